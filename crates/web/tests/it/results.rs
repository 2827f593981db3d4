//! Grades and the result workflow: live grades from marks, submit (marks freeze), approval by
//! the head of department (attainment snapshot), publish (students see grades and outcomes),
//! lock, and change requests; with role and cross-institution checks.

use crate::assessment::class;
use crate::support::TestApp;

#[tokio::test]
async fn results_go_from_draft_to_locked_and_students_see_them() {
    let t = TestApp::new().await;
    let mut c = class(&t, "wf").await;
    let items = c.plan(&t).await;
    let (s1, s2) = (c.students[0], c.students[1]);
    c.enter_worked_marks(&items).await;
    let grades = c.page("/grades");
    // s1: quiz 18/30 (w 20), final absent 0/10 (w 80): 12 % → F. s2: quiz 20/20, final 65 %: 72 % → B.
    // s3 has no marks: I.
    let draft = c.instructor.get(&grades).await;
    assert!(draft.contains("<td>12.00</td><td>F</td>") && draft.contains("<td>72.00</td><td>B</td>"), "{}", draft.text);
    assert!(draft.contains("<td>—</td><td>I</td>"));

    let mut head = t.invite(&mut c.admin, "head@wf.edu", "program_coordinator").await;
    let early = head.submit(&grades, &c.page("/grades/step/approve"), &[]).await;
    assert_eq!(early.status, 303);
    assert!(head.get(&grades).await.contains("results that are draft cannot be approved"));

    // Completeness: Q1 and F1 are in for everyone but s3, who has no marks at all.
    let completeness = draft.text.split("id=\"completeness\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(completeness.starts_with(" data-complete=\"false\" data-blanks=\"3\">"), "{completeness}");
    assert!(
        completeness.contains("<td>Quiz</td><td>4</td><td>6</td>"),
        "entered of expected, per assessment: {completeness}"
    );
    assert!(completeness.contains("Quiz Q1, Quiz Q2, Final F1"), "{completeness}");
    let blank = c.instructor.submit(&grades, &c.page("/grades/step/submit"), &[]).await;
    assert_eq!(blank.status, 303);
    let refused = c.instructor.get(&grades).await;
    assert!(refused.contains("3 mark(s) are blank for 1 student(s)"), "{}", refused.text);
    assert!(refused.contains("id=\"result-status\">draft<"), "nothing submitted");
    let unexplained =
        c.instructor.submit(&grades, &c.page("/grades/step/submit"), &[("confirm_blanks", "on"), ("note", " ")]).await;
    assert_eq!(unexplained.status, 303);
    assert!(c.instructor.get(&grades).await.contains("say why the results go in with blank marks"));
    let submitted = c
        .instructor
        .submit(&grades, &c.page("/grades/step/submit"), &[("confirm_blanks", "on"), ("note", "s3 never attended")])
        .await;
    assert_eq!(submitted.status, 303);
    let now_submitted = c.instructor.get(&grades).await;
    assert!(now_submitted.contains("Results are now submitted."));
    assert!(now_submitted.contains("Submitted with blank marks: 3 blank mark(s) for 1 student(s): s3 never attended"));
    let frozen = c.type_mark(s1, items[2], "9").await;
    assert_eq!(frozen.status, 422);
    assert!(frozen.json()["problems"][0].as_str().unwrap().contains("Results are submitted"), "{}", frozen.text);
    assert_eq!(
        c.instructor.submit(&grades, &c.page("/grades/step/approve"), &[]).await.status,
        403,
        "an instructor can't approve"
    );
    let waiting = crate::support::html::rows(&head.get("/results/approvals").await.text, "approvals");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert!(waiting[0][0].starts_with("EE-201") && waiting[0][4] == "with blanks", "{waiting:?}");

    // Returned with a reason, corrected, submitted again.
    head.submit(&grades, &c.page("/grades/step/return"), &[("note", "F1 for s1 is missing")]).await;
    assert!(c.instructor.get(&grades).await.contains("Returned: F1 for s1 is missing"));
    assert_eq!(c.type_mark(s1, items[2], "9").await.status, 200);
    c.instructor
        .submit(
            &grades,
            &c.page("/grades/step/submit"),
            &[("confirm_blanks", "on"), ("note", "one student has no marks yet")],
        )
        .await;
    // s1 now: quiz 60 % (w 20) + final 90 % (w 80) = 84 % → A-.
    head.submit(&grades, &c.page("/grades/step/approve"), &[]).await;
    let inst = c.institution(&t).await;
    let offering = qobe_domain::ids::OfferingId(c.offering);
    let snapshot = qobe_store::results::latest_snapshot(t.app.store.conn(), inst, offering).await.unwrap().unwrap();
    assert!(snapshot.data.contains("\"code\":\"CLO1\""), "attainment is frozen at approval");

    let mut student = t.sign_in("s2@wf.edu").await;
    let before = student.get("/my/results").await;
    assert_eq!(before.status, 200);
    assert!(
        before.contains("No published results yet.") && !before.contains("class=\"my-results\""),
        "not before publishing"
    );
    head.submit(&grades, &c.page("/grades/step/publish"), &[]).await;
    let mine = student.get("/my/results").await;
    assert!(
        mine.contains("EE-201") && mine.contains("<td>B</td>") && mine.contains("CGPA: <strong>3.00</strong>"),
        "{}",
        mine.text
    );
    let enrollment = qobe_store::registration::find(t.app.store.conn(), inst, offering, qobe_domain::ids::UserId(s2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((enrollment.status.as_str(), enrollment.grade.as_deref()), ("completed", Some("B")));
    // A published result does not free the student's seat: three students hold three of 30.
    let term =
        qobe_store::academics::offerings::get(t.app.store.conn(), inst, offering).await.unwrap().unwrap().term_id;
    let registration = student.get(&format!("/registration?term={term}")).await;
    let row = registration.text.split(&format!("id=\"offering-{}\"", c.offering)).nth(1).unwrap();
    let seats = row.split("<td class=\"seats\">").nth(1).unwrap().split('<').next().unwrap();
    assert_eq!(seats.trim(), "27 of 30 free");
    let outcomes = student.get("/my/outcomes").await;
    // s2: CLO1 100 %, CLO2 (10 + 6.5) / 20 = 82.5 %.
    let clos: Vec<Vec<String>> =
        crate::support::html::rows(&outcomes.text, "my-clos").into_iter().map(|row| row[2..].to_vec()).collect();
    assert_eq!(clos, [["CLO1", "100.0% attained"], ["CLO2", "82.5% attained"]], "{}", outcomes.text);
    let token = student.api_token().await;
    let mut api = t.client();
    let profile = api.api("GET", "/api/v1/me/outcomes", &token, None).await.json();
    assert_eq!(profile["clos"][1]["score"], 0.825, "{profile}");
    let results = api.api("GET", "/api/v1/me/results", &token, None).await.json();
    assert_eq!((results["cgpa"].as_f64(), results["results"][0]["letter"].as_str()), (Some(3.0), Some("B")));

    // Locked: a grade changes only through an approved request.
    head.submit(&grades, &c.page("/grades/step/lock"), &[]).await;
    let asked = c
        .instructor
        .submit(
            &grades,
            &c.page("/grades/changes"),
            &[("student", &s1.to_string()), ("to_letter", "A"), ("reason", "Re-marked Q2")],
        )
        .await;
    assert_eq!(asked.status, 303);
    let request = qobe_store::results::change_requests(t.app.store.conn(), inst, offering).await.unwrap()[0].id;
    assert_eq!(
        c.instructor.submit(&grades, &c.page(&format!("/grades/changes/{request}/approve")), &[]).await.status,
        403
    );
    head.submit(&grades, &c.page(&format!("/grades/changes/{request}/approve")), &[]).await;
    let s1_row = qobe_store::registration::find(t.app.store.conn(), inst, offering, qobe_domain::ids::UserId(s1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s1_row.grade.as_deref(), Some("A"));
    let again = head.submit(&grades, &c.page(&format!("/grades/changes/{request}/approve")), &[]).await;
    assert_eq!(again.status, 303);
    assert!(head.get(&grades).await.contains("already decided"));

    // A request turned down leaves the grade as it was.
    let s2_before = qobe_store::registration::find(t.app.store.conn(), inst, offering, qobe_domain::ids::UserId(s2))
        .await
        .unwrap()
        .unwrap()
        .grade;
    c.instructor
        .submit(
            &grades,
            &c.page("/grades/changes"),
            &[("student", &s2.to_string()), ("to_letter", "A"), ("reason", "Asked")],
        )
        .await;
    let second = qobe_store::results::change_requests(t.app.store.conn(), inst, offering)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.user_id == s2)
        .unwrap();
    let rejected = head.submit(&grades, &c.page(&format!("/grades/changes/{}/reject", second.id)), &[]).await;
    assert_eq!(rejected.status, 303);
    let decided = qobe_store::results::change_requests(t.app.store.conn(), inst, offering)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == second.id)
        .unwrap();
    assert_eq!(decided.status, "rejected");
    let s2_after = qobe_store::registration::find(t.app.store.conn(), inst, offering, qobe_domain::ids::UserId(s2))
        .await
        .unwrap()
        .unwrap()
        .grade;
    assert_eq!((s2_before.as_deref(), s2_after.as_deref()), (Some("B"), Some("B")));

    // Other institutions see nothing; students can't see the class's grades.
    let mut other = class(&t, "wf2").await;
    assert_eq!(other.instructor.get(&grades).await.status, 404);
    assert_eq!(other.admin.get(&grades).await.status, 404);
    assert_eq!(student.get(&grades).await.status, 403);
}

#[tokio::test]
async fn the_grading_scheme_is_editable_and_used_for_new_submissions() {
    let t = TestApp::new().await;
    let mut c = class(&t, "gs").await;
    let items = c.plan(&t).await;
    c.type_mark(c.students[0], items[0], "10").await;
    c.type_mark(c.students[0], items[1], "20").await;
    c.type_mark(c.students[0], items[2], "5").await;
    let bad = c
        .admin
        .submit("/admin/grading", "/admin/grading", &[("name", "Pass/fail"), ("bands", "P: 50, 1\nF 0 0")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("line 2: write it like A: 85, 4.0"), "{}", bad.text);
    let saved = c
        .admin
        .submit("/admin/grading", "/admin/grading", &[("name", "Pass/fail"), ("bands", "P: 50, 1\nF: 0, 0")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    // s1: quiz 30/30 (w 20) + final 5/10 (w 80) = 60 % → P under the new scheme.
    let grades = c.instructor.get(&c.page("/grades")).await;
    assert!(grades.contains("<td>60.00</td><td>P</td>"), "{}", grades.text);
    assert_eq!(c.instructor.get("/admin/grading").await.status, 403);
}

#[tokio::test]
async fn the_course_file_gathers_the_evidence_and_freezes_with_the_results() {
    let t = TestApp::new().await;
    let mut c = class(&t, "cf").await;
    let items = c.plan(&t).await;
    c.enter_worked_marks(&items).await;
    c.instructor
        .submit(&c.page("/attainment"), &format!("/cqi/offerings/{}/clos/{}/finding", c.offering, c.clos[1]), &[])
        .await;
    let file = c.page("/course-file");
    let shown = c.instructor.get(&file).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert!(shown.contains("Design filters") && shown.contains("<td>C4</td>"), "CLOs with levels");
    assert!(shown.contains("<td>CLO1 ×0.5, CLO2 ×0.5</td>"), "items with their CLO shares: {}", shown.text);
    assert!(shown.contains("CLO2 of EE-201 below target"), "the finding raised on this offering");
    let saved = c
        .instructor
        .submit(
            &file,
            &file,
            &[("reflections", "Students struggled with filter design."), ("improvements", "Add a lab on filters.")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert!(c.instructor.get(&file).await.contains("Students struggled with filter design."));
    c.instructor
        .submit(
            &c.page("/grades"),
            &c.page("/grades/step/submit"),
            &[("confirm_blanks", "on"), ("note", "one student has no marks yet")],
        )
        .await;
    let frozen = c.instructor.submit(&file, &file, &[("reflections", "changed"), ("improvements", "")]).await;
    assert_eq!(frozen.status, 303);
    let after = c.instructor.get(&file).await;
    assert!(
        after.contains("frozen with the results") && after.contains("Students struggled with filter design."),
        "{}",
        after.text
    );
    assert!(after.contains("id=\"file-status\">submitted"));
    let mut student = t.sign_in("s1@cf.edu").await;
    assert_eq!(student.get(&file).await.status, 403);
    let mut other = class(&t, "cf2").await;
    assert_eq!(other.instructor.get(&file).await.status, 404);
}
