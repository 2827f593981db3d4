//! Faculties, editing cohorts and curricula, searching terms and cohorts, and the structure
//! through the JSON API, with its permission and cross-institution checks.

use serde_json::json;

use crate::academics::{day, institution, program_id, school, term};
use crate::support::TestApp;

#[tokio::test]
async fn faculties_group_departments_and_stay_in_their_institution() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "fac").await;
    let mut other = school(&t, "fac2").await;
    let made = admin.submit("/admin/structure", "/admin/faculties", &[("code", "eng"), ("name", "Engineering")]).await;
    assert_eq!(made.status, 303);
    let blank = admin.submit("/admin/structure", "/admin/faculties", &[("code", ""), ("name", "x")]).await;
    assert_eq!(blank.status, 422);
    assert!(blank.contains("value=\"x\""), "typed values are kept");
    let twice = admin.submit("/admin/structure", "/admin/faculties", &[("code", "ENG"), ("name", "Again")]).await;
    assert!(twice.contains("That code is already used here."));
    let faculties = qobe_store::structure::faculties(t.app.store.conn(), institution(&t, "fac").await).await.unwrap();
    let faculty = faculties[0].id.to_string();

    let placed = admin
        .submit("/admin/structure", "/admin/departments", &[("faculty_id", &faculty), ("code", "ME"), ("name", "Mech")])
        .await;
    assert_eq!(placed.status, 303);
    let page = admin.get("/admin/structure").await;
    assert!(page.contains("<code>ME</code> Mech <span class=\"muted\">(ENG)</span>"), "{}", page.text);

    // Another institution can neither use nor edit this faculty.
    let foreign = other
        .submit(
            "/admin/structure",
            "/admin/departments",
            &[("faculty_id", &faculty), ("code", "CE"), ("name", "Civil")],
        )
        .await;
    assert_eq!(foreign.status, 422);
    assert!(foreign.contains("choose a faculty of this institution"));
    let edit = other
        .submit("/admin/structure", &format!("/admin/faculties/{faculty}"), &[("code", "X"), ("name", "Stolen")])
        .await;
    assert_eq!(edit.status, 404);
    assert_eq!(
        qobe_store::structure::faculties(t.app.store.conn(), institution(&t, "fac").await).await.unwrap()[0].name,
        "Engineering"
    );
    let renamed = admin
        .submit(
            "/admin/structure",
            &format!("/admin/faculties/{faculty}"),
            &[("code", "ENG"), ("name", "Engineering and Technology")],
        )
        .await;
    assert_eq!(renamed.status, 303);
    assert!(admin.get("/admin/structure").await.contains("<code>ENG</code> Engineering and Technology"));

    // A student may not create faculties.
    let mut student = t.invite(&mut admin, "s@fac.edu", "student").await;
    let refused = student.submit("/profile", "/admin/faculties", &[("code", "S"), ("name", "Student")]).await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn terms_and_cohorts_are_searchable_and_cohorts_and_curricula_editable() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "edit").await;
    let mut other = school(&t, "edit2").await;
    term(&mut admin, "2026FA", 20).await;
    term(&mut admin, "2027SP", 140).await;
    let found = admin.get("/academics/terms?q=2027").await;
    assert!(found.contains("Term 2027SP") && !found.contains("Term 2026FA"), "search narrows the list");
    assert!(admin.get("/academics/terms?q=zzz").await.contains("No terms match."));

    let program = program_id(&t, "edit").await.to_string();
    let cohort = admin
        .submit(
            "/academics/cohorts",
            "/academics/cohorts",
            &[("program_id", &program), ("intake_term", "2026FA"), ("name", "BSEE 2026")],
        )
        .await;
    let cohort_page = cohort.location().unwrap().to_owned();
    admin
        .submit(
            "/academics/cohorts",
            "/academics/cohorts",
            &[("program_id", &program), ("intake_term", "2027SP"), ("name", "BSEE 2027")],
        )
        .await;
    let searched = admin.get("/academics/cohorts?q=2027").await;
    assert!(searched.contains("BSEE 2027") && !searched.contains("BSEE 2026"));

    let clash = admin.submit(&cohort_page, &cohort_page, &[("name", "Renamed"), ("intake_term", "2027SP")]).await;
    assert_eq!(clash.status, 422);
    assert!(clash.contains("already has a cohort for that intake term") && clash.contains("value=\"Renamed\""));
    let unknown = admin.submit(&cohort_page, &cohort_page, &[("name", "Renamed"), ("intake_term", "1999XX")]).await;
    assert!(unknown.contains("is not a term code of this institution"));
    let saved =
        admin.submit(&cohort_page, &cohort_page, &[("name", "BSEE Fall 2026"), ("intake_term", "2026fa")]).await;
    assert_eq!(saved.status, 303);
    assert!(admin.get(&cohort_page).await.contains("<h1>BSEE Fall 2026</h1>"));
    let foreign =
        other.submit("/academics/cohorts", &cohort_page, &[("name", "Taken"), ("intake_term", "2026FA")]).await;
    assert_eq!(foreign.status, 404);

    let program_page = format!("/academics/programs/{program}");
    let made = admin
        .submit(
            &program_page,
            &format!("{program_page}/curricula"),
            &[("name", "Catalogue"), ("catalog_year", "2026"), ("effective_term", "2026FA")],
        )
        .await;
    let curriculum = made.location().unwrap().to_owned();
    let bad = admin
        .submit(
            &curriculum,
            &curriculum,
            &[("name", "Catalogue"), ("catalog_year", "26"), ("effective_term", "2026FA")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("must be a year like 2026"));
    let edited = admin
        .submit(
            &curriculum,
            &curriculum,
            &[("name", "New catalogue"), ("catalog_year", "2027"), ("effective_term", "2027SP")],
        )
        .await;
    assert_eq!(edited.status, 303);
    assert!(admin.get(&curriculum).await.contains("New catalogue — catalogue 2027"));
    let stolen = other
        .submit(
            "/academics/cohorts",
            &curriculum,
            &[("name", "X"), ("catalog_year", "2026"), ("effective_term", "2026FA")],
        )
        .await;
    assert_eq!(stolen.status, 404);
}

#[tokio::test]
async fn the_structure_through_the_api() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "apis").await;
    let mut other = school(&t, "apis2").await;
    let token = admin.api_token().await;
    let other_token = other.api_token().await;
    let mut api = t.client();

    let faculty =
        api.api("POST", "/api/v1/faculties", &token, Some(json!({ "code": "eng", "name": "Engineering" }))).await;
    assert_eq!(faculty.status, 201, "{}", faculty.text);
    let faculty_id = faculty.json()["id"].as_i64().unwrap();
    assert_eq!(faculty.json()["code"], "ENG");
    let department = api
        .api(
            "POST",
            "/api/v1/departments",
            &token,
            Some(json!({ "faculty_id": faculty_id, "code": "CS", "name": "Computing" })),
        )
        .await;
    assert_eq!(department.status, 201);
    let department_id = department.json()["id"].as_i64().unwrap();
    let program = api
        .api(
            "POST",
            "/api/v1/programs",
            &token,
            Some(json!({ "department_id": department_id, "code": "BSCS", "name": "BS CS" })),
        )
        .await;
    assert_eq!(program.status, 201);
    let program_id = program.json()["id"].as_i64().unwrap();

    let at = |offset: i64| format!("{}:00Z", day(offset));
    let mut new_term = json!({
        "code": "2026FA", "name": "Fall 2026",
        "registration_opens_at": at(-10), "registration_closes_at": at(5), "starts_at": at(20),
        "add_drop_closes_at": at(40), "withdrawal_closes_at": at(60), "ends_at": at(120),
        "marks_entry_closes_at": at(130), "results_published_at": at(140), "min_credits": 9, "max_credits": 21
    });
    let created_term = api.api("POST", "/api/v1/terms", &token, Some(new_term.clone())).await;
    assert_eq!(created_term.status, 201, "{}", created_term.text);
    new_term["code"] = json!("2027SP");
    new_term["results_published_at"] = json!("soon");
    let bad_term = api.api("POST", "/api/v1/terms", &token, Some(new_term.clone())).await;
    assert_eq!(bad_term.status, 422);
    assert_eq!(bad_term.json()["fields"][0]["field"], "results_published_at", "{}", bad_term.text);
    // Well formed but out of order: a conflict with the rules, not bad input.
    new_term["results_published_at"] = json!(at(10));
    let backwards = api.api("POST", "/api/v1/terms", &token, Some(new_term)).await;
    assert_eq!(backwards.status, 409, "{}", backwards.text);
    assert_eq!(backwards.json()["code"], "refused");
    assert_eq!(backwards.json()["fields"][0]["field"], "results_published_at", "{}", backwards.text);

    let course = api
        .api(
            "POST",
            "/api/v1/courses",
            &token,
            Some(json!({ "department_id": department_id, "code": "cs-101", "title": "Programming", "credits_theory": 3, "category": "core" })),
        )
        .await;
    assert_eq!(course.status, 201, "{}", course.text);
    assert_eq!(course.json()["code"], "CS-101");
    let cohort = api
        .api(
            "POST",
            "/api/v1/cohorts",
            &token,
            Some(json!({ "program_id": program_id, "intake_term": "2026FA", "name": "CS 2026" })),
        )
        .await;
    assert_eq!(cohort.status, 201, "{}", cohort.text);
    let curriculum = api
        .api(
            "POST",
            &format!("/api/v1/programs/{program_id}/curricula"),
            &token,
            Some(json!({ "name": "Catalogue", "catalog_year": 2026, "effective_term": "2026FA" })),
        )
        .await;
    assert_eq!(curriculum.status, 201, "{}", curriculum.text);

    let faculties = api.api("GET", "/api/v1/faculties", &token, None).await.json();
    assert_eq!(faculties.as_array().unwrap().len(), 1);
    let departments = api.api("GET", "/api/v1/departments", &token, None).await.json();
    assert!(departments.as_array().unwrap().iter().any(|d| d["faculty_id"] == faculty_id));
    assert_eq!(api.api("GET", "/api/v1/programs", &token, None).await.json().as_array().unwrap().len(), 2);
    assert_eq!(api.api("GET", "/api/v1/cohorts?q=cs", &token, None).await.json()[0]["name"], "CS 2026");
    let curricula = api.api("GET", &format!("/api/v1/programs/{program_id}/curricula"), &token, None).await.json();
    assert_eq!(curricula[0]["catalog_year"], 2026);

    // The other institution sees none of it and can't build on it.
    assert!(api.api("GET", "/api/v1/faculties", &other_token, None).await.json().as_array().unwrap().is_empty());
    assert!(api.api("GET", "/api/v1/cohorts", &other_token, None).await.json().as_array().unwrap().is_empty());
    assert_eq!(
        api.api("GET", &format!("/api/v1/programs/{program_id}/curricula"), &other_token, None).await.status,
        404
    );
    let borrowed = api
        .api(
            "POST",
            "/api/v1/programs",
            &other_token,
            Some(json!({ "department_id": department_id, "code": "X", "name": "X" })),
        )
        .await;
    // Another institution's id reads as one that is not there: refused, naming the field.
    assert_eq!(borrowed.status, 409);
    assert_eq!(borrowed.json()["fields"][0]["field"], "department_id");
    let foreign_cohort = api
        .api(
            "POST",
            "/api/v1/cohorts",
            &other_token,
            Some(json!({ "program_id": program_id, "intake_term": "2026FA", "name": "X" })),
        )
        .await;
    assert_eq!(foreign_cohort.status, 409);
    assert_eq!(foreign_cohort.json()["fields"][0]["field"], "program_id", "{}", foreign_cohort.text);
    let foreign_curriculum = api
        .api(
            "POST",
            &format!("/api/v1/programs/{program_id}/curricula"),
            &other_token,
            Some(json!({ "name": "X", "catalog_year": 2030, "effective_term": "2026FA" })),
        )
        .await;
    assert_eq!(foreign_curriculum.status, 404);

    // A student reads but cannot write.
    let mut student = t.invite(&mut admin, "s@apis.edu", "student").await;
    let student_token = student.api_token().await;
    assert_eq!(api.api("GET", "/api/v1/programs", &student_token, None).await.status, 200);
    let denied = api.api("POST", "/api/v1/faculties", &student_token, Some(json!({ "code": "S", "name": "S" }))).await;
    assert_eq!(denied.status, 403);
    let denied_course = api
        .api(
            "POST",
            "/api/v1/courses",
            &student_token,
            Some(json!({ "department_id": department_id, "code": "CS-102", "title": "T", "credits_theory": 3, "category": "core" })),
        )
        .await;
    assert_eq!(denied_course.status, 403);
}
