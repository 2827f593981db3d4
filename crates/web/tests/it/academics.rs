//! Academic structure and the outcome model: terms, courses, prerequisites, offerings,
//! frameworks, CLO/PLO versioning and the mapping matrix.

use chrono::{Duration, Utc};

use crate::support::{Client, TestApp};

pub(crate) fn day(offset: i64) -> String {
    (Utc::now() + Duration::days(offset)).format("%Y-%m-%dT%H:%M").to_string()
}

/// Creates a term whose teaching starts `start` days from now.
pub(crate) async fn term(admin: &mut Client, code: &str, start: i64) -> crate::support::Response {
    admin
        .submit(
            "/academics/terms",
            "/academics/terms",
            &[
                ("code", code),
                ("name", &format!("Term {code}")),
                ("registration_opens_at", &day(start - 30)),
                ("registration_closes_at", &day(start - 5)),
                ("starts_at", &day(start)),
                ("add_drop_closes_at", &day(start + 10)),
                ("withdrawal_closes_at", &day(start + 60)),
                ("ends_at", &day(start + 110)),
                ("marks_entry_closes_at", &day(start + 120)),
                ("results_published_at", &day(start + 130)),
                ("min_credits", "9"),
                ("max_credits", "21"),
            ],
        )
        .await
}

/// An institution with a department EE and a program BSEE; returns the admin.
pub(crate) async fn school(t: &TestApp, slug: &str) -> Client {
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, slug, "").await;
    admin.submit("/admin/structure", "/admin/departments", &[("code", "EE"), ("name", "Electrical Engineering")]).await;
    let department = department_id(t, slug).await;
    admin
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department_id", &department.to_string()), ("code", "BSEE"), ("name", "BS Electrical Engineering")],
        )
        .await;
    admin
}

pub(crate) async fn institution(t: &TestApp, slug: &str) -> qobe_domain::ids::InstitutionId {
    qobe_domain::ids::InstitutionId(qobe_store::tenancy::by_slug(t.app.store.conn(), slug).await.unwrap().unwrap().id)
}

pub(crate) async fn department_id(t: &TestApp, slug: &str) -> i64 {
    qobe_store::structure::departments(t.app.store.conn(), institution(t, slug).await).await.unwrap()[0].id
}

pub(crate) async fn program_id(t: &TestApp, slug: &str) -> i64 {
    qobe_store::structure::programs(t.app.store.conn(), institution(t, slug).await).await.unwrap()[0].id
}

pub(crate) async fn course(t: &TestApp, admin: &mut Client, slug: &str, code: &str) -> i64 {
    let department = department_id(t, slug).await.to_string();
    let response = admin
        .submit(
            "/academics/courses",
            "/academics/courses",
            &[
                ("department_id", &department),
                ("code", code),
                ("title", &format!("Course {code}")),
                ("credits_theory", "3"),
                ("credits_lab", "1"),
                ("category", "core"),
            ],
        )
        .await;
    assert_eq!(response.status, 303, "{}", response.text);
    response.location().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn terms_check_their_windows_and_codes() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "terms").await;
    let mut bad = admin.get("/academics/terms").await;
    assert_eq!(bad.status, 200);
    bad = admin
        .submit(
            "/academics/terms",
            "/academics/terms",
            &[
                ("code", "2026FA"),
                ("name", "Fall"),
                ("registration_opens_at", &day(10)),
                ("registration_closes_at", &day(5)),
                ("starts_at", &day(20)),
                ("add_drop_closes_at", &day(30)),
                ("withdrawal_closes_at", &day(60)),
                ("ends_at", &day(100)),
                ("marks_entry_closes_at", &day(110)),
                ("results_published_at", "not a date"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("must be a date like 2026-09-01"), "the bad field is named");
    assert!(bad.contains("value=\"2026FA\""), "typed values are kept");
    assert_eq!(term(&mut admin, "2026FA", 20).await.status, 303);
    let twice = term(&mut admin, "2026fa", 40).await;
    assert_eq!(twice.status, 422);
    assert!(twice.contains("Another term already uses that code."));
    let list = admin.get("/academics/terms").await;
    assert!(list.contains("Term 2026FA"));
}

/// The value a form field shows.
fn field_value(page: &str, field: &str) -> String {
    let marker = format!("name=\"{field}\" type=\"datetime-local\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {field} field")) + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_new_term_starts_from_sensible_dates_in_the_persons_time_zone() {
    use chrono::{Datelike, NaiveDateTime, TimeZone};
    let t = TestApp::new().await;
    let mut admin = school(&t, "tz").await;
    let saved = admin
        .submit("/profile", "/profile", &[("name", "Admin of tz"), ("language", "en"), ("time_zone", "Asia/Karachi")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let karachi = chrono_tz::Asia::Karachi;
    let local = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap();

    // No term yet: a 16-week term from the next Monday at 08:00, every window filled in.
    let first = admin.get("/academics/terms").await;
    assert!(first.contains("Asia/Karachi"), "the form says which time zone it reads");
    let starts = local(&field_value(&first.text, "starts_at"));
    let today = Utc::now().with_timezone(&karachi).date_naive();
    assert_eq!(starts.weekday(), chrono::Weekday::Mon);
    assert!(starts.date() > today && starts.date() <= today + Duration::days(7), "{starts}");
    assert_eq!(starts.time(), chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap());
    assert_eq!(local(&field_value(&first.text, "ends_at")) - starts, Duration::weeks(16));
    assert_eq!(starts - local(&field_value(&first.text, "registration_opens_at")), Duration::days(30));

    // Saved as suggested, the term's times are Karachi times (UTC+5).
    let mut fields: Vec<(String, String)> =
        vec![("code".into(), "2027SP".into()), ("name".into(), "Spring 2027".into())];
    for field in [
        "starts_at",
        "ends_at",
        "registration_opens_at",
        "registration_closes_at",
        "add_drop_closes_at",
        "withdrawal_closes_at",
        "marks_entry_closes_at",
        "results_published_at",
    ] {
        fields.push((field.into(), field_value(&first.text, field)));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let created = admin.submit("/academics/terms", "/academics/terms", &pairs).await;
    assert_eq!(created.status, 303, "{}", created.text);
    let inst = institution(&t, "tz").await;
    let stored = qobe_store::academics::terms::by_code(t.app.store.conn(), inst, "2027SP").await.unwrap().unwrap();
    assert_eq!(stored.starts_at, karachi.from_local_datetime(&starts).unwrap().to_utc());
    assert_eq!(stored.starts_at.format("%H:%M").to_string(), "03:00");

    // The next suggestion follows it: same shape, from the first Monday after a two-week break.
    let next = admin.get("/academics/terms").await;
    let next_start = local(&field_value(&next.text, "starts_at"));
    let ends = stored.ends_at.with_timezone(&karachi).naive_local();
    assert_eq!(next_start.weekday(), chrono::Weekday::Mon);
    assert!(
        next_start > ends + Duration::days(14) && next_start <= ends + Duration::days(21),
        "{next_start} after {ends}"
    );
    assert_eq!(local(&field_value(&next.text, "ends_at")) - next_start, stored.ends_at - stored.starts_at);
    // Editing shows the stored term in the same zone.
    let edit = admin.get(&format!("/academics/terms/{}", stored.id)).await;
    assert_eq!(local(&field_value(&edit.text, "starts_at")), starts);
}

#[tokio::test]
async fn courses_and_prerequisites_refuse_loops() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "cat").await;
    let c101 = course(&t, &mut admin, "cat", "EE-101").await;
    let c201 = course(&t, &mut admin, "cat", "EE-201").await;
    let c301 = course(&t, &mut admin, "cat", "EE-301").await;
    let page = |id: i64| format!("/academics/courses/{id}");
    let add = |id: i64| format!("/academics/courses/{id}/prerequisites");
    assert_eq!(
        admin.submit(&page(c201), &add(c201), &[("required_course", "ee-101"), ("min_grade", "C")]).await.status,
        303
    );
    assert_eq!(
        admin.submit(&page(c301), &add(c301), &[("required_course", "EE-201"), ("min_grade", "")]).await.status,
        303
    );
    let looped = admin.submit(&page(c101), &add(c101), &[("required_course", "EE-301"), ("min_grade", "D")]).await;
    assert_eq!(looped.status, 422);
    assert!(looped.contains("that would be a loop"));
    let own = admin.submit(&page(c101), &add(c101), &[("required_course", "EE-101")]).await;
    assert!(own.contains("cannot require itself"));
    let grade = admin.submit(&page(c101), &add(c101), &[("required_course", "EE-999"), ("min_grade", "Q")]).await;
    assert!(grade.contains("is not a course code") && grade.contains("must be a letter grade"));
    let shown = admin.get(&page(c201)).await;
    assert!(shown.contains("<code>EE-101</code> with at least C"));
    // Removed, EE-201 no longer needs EE-101, so EE-101 may now require EE-301 without a loop.
    let institution = institution(&t, "cat").await;
    let rows = qobe_store::academics::courses::prerequisites(
        t.app.store.conn(),
        institution,
        qobe_domain::ids::CourseId(c201),
    )
    .await
    .unwrap();
    assert_eq!(rows.iter().map(|p| p.required_course_id).collect::<Vec<_>>(), [c101]);
    let removed = admin.submit(&page(c201), &format!("{}/{}/remove", add(c201), rows[0].id), &[]).await;
    assert_eq!((removed.status, removed.location()), (303, Some(page(c201).as_str())));
    assert!(!admin.get(&page(c201)).await.contains("<code>EE-101</code> with at least"));
    let now_fine = admin.submit(&page(c101), &add(c101), &[("required_course", "EE-301"), ("min_grade", "D")]).await;
    assert_eq!(now_fine.status, 303, "{}", now_fine.text);
    let duplicate = admin
        .submit(
            "/academics/courses",
            "/academics/courses",
            &[
                ("department_id", &department_id(&t, "cat").await.to_string()),
                ("code", "ee-101"),
                ("title", "Again"),
                ("credits_theory", "3"),
                ("credits_lab", ""),
                ("category", "core"),
            ],
        )
        .await;
    assert_eq!(duplicate.status, 422);
    assert!(duplicate.contains("Another course already uses that code."));
    let search = admin.get("/academics/courses?q=301").await;
    assert!(search.contains("EE-301") && !search.contains("EE-201<"));
}

#[tokio::test]
async fn offerings_validate_sections_schedules_and_assign_instructors() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "off").await;
    term(&mut admin, "2027SP", 60).await;
    course(&t, &mut admin, "off", "EE-210").await;
    let form = |section: &'static str, schedule: &'static str| {
        vec![
            ("course", "EE-210"),
            ("term", "2027SP"),
            ("section", section),
            ("capacity", "30"),
            ("room", "B-12"),
            ("schedule", schedule),
        ]
    };
    let bad = admin.submit("/academics/offerings", "/academics/offerings", &form("A", "Someday 9-10")).await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("is not like"));
    let ok = admin
        .submit("/academics/offerings", "/academics/offerings", &form("a", "Mon 09:00-10:30; Wed 09:00-10:30"))
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    let again = admin.submit("/academics/offerings", "/academics/offerings", &form("A", "")).await;
    assert!(again.contains("That course already has this section in the term."));

    let offering_page = ok.location().unwrap().to_owned();
    t.invite(&mut admin, "teacher@off.edu", "instructor").await;
    let nobody =
        admin.submit(&offering_page, &format!("{offering_page}/instructors"), &[("email", "ghost@off.edu")]).await;
    assert!(nobody.contains("invite them first"));
    let assigned =
        admin.submit(&offering_page, &format!("{offering_page}/instructors"), &[("email", "teacher@off.edu")]).await;
    assert_eq!(assigned.status, 303);
    let shown = admin.get(&offering_page).await;
    assert!(shown.contains("teacher@off.edu") && shown.contains("Mon 09:00–10:30; Wed 09:00–10:30"));
    let teacher = t.user_id("off", "teacher@off.edu").await;
    assert!(
        crate::support::html::texts_of_class(&admin.get(&format!("/admin/users/{teacher}")).await.text, "grant")
            .contains(&"Instructor — EE-210 2027SP A".to_owned()),
        "an instructor role scoped to the offering, named by course, term and section"
    );
}

#[tokio::test]
async fn frameworks_are_adopted_and_outcomes_are_versioned_once_in_use() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "obe").await;
    let program = program_id(&t, "obe").await;
    let program_page = format!("/academics/programs/{program}");
    let adopted =
        admin.submit(&program_page, &format!("{program_page}/adopt"), &[("framework", "abet-eac-2019")]).await;
    assert_eq!(adopted.status, 303);
    let shown = admin.get(&program_page).await;
    assert!(shown.contains("PLO7") && shown.contains("SO7 (ABET"), "seven PLOs aligned to ABET");
    let twice = admin.submit(&program_page, &format!("{program_page}/adopt"), &[("framework", "wa-2021")]).await;
    assert_eq!(twice.status, 422);

    let c = course(&t, &mut admin, "obe", "EE-220").await;
    let course_page = format!("/academics/courses/{c}");
    let bad = admin
        .submit(
            &course_page,
            &format!("{course_page}/clos"),
            &[("code", "CLO1"), ("text", "Analyse circuits"), ("taxonomy_level", "C9")],
        )
        .await;
    assert!(bad.contains("C1–C6, P1–P7 or A1–A5"));
    assert_eq!(
        admin
            .submit(
                &course_page,
                &format!("{course_page}/clos"),
                &[("code", "CLO1"), ("text", "Analyse circuits"), ("taxonomy_level", "c4")]
            )
            .await
            .status,
        303
    );
    let clo = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        institution(&t, "obe").await,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(c),
    )
    .await
    .unwrap()[0]
        .clone();
    assert_eq!(clo.taxonomy_level.as_deref(), Some("C4"));
    let edit = format!("{course_page}/clos/{}/edit", clo.id);

    // Not taught yet: the wording is corrected in place.
    let fixed = admin
        .submit(&course_page, &edit, &[("code", "CLO1"), ("text", "Analyse DC circuits"), ("taxonomy_level", "C4")])
        .await;
    assert_eq!(fixed.status, 303);
    let after = admin.get(&course_page).await;
    assert!(after.contains("CLO CLO1 saved."), "{}", after.text);

    // Taught in a term that has started: editing needs a future term and makes version 2.
    term(&mut admin, "2026FA", -10).await;
    term(&mut admin, "2027SP", 100).await;
    admin
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", "EE-220"), ("term", "2026FA"), ("section", "A"), ("capacity", "30"), ("schedule", "")],
        )
        .await;
    let refused = admin
        .submit(
            &course_page,
            &edit,
            &[("code", "CLO1"), ("text", "Analyse DC and AC circuits"), ("taxonomy_level", "C4")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("already has evidence"));
    let past = admin
        .submit(
            &course_page,
            &edit,
            &[
                ("code", "CLO1"),
                ("text", "Analyse DC and AC circuits"),
                ("taxonomy_level", "C4"),
                ("effective_term", "2026FA"),
            ],
        )
        .await;
    assert!(past.contains("must be a term that has not started"));
    let versioned = admin
        .submit(
            &course_page,
            &edit,
            &[
                ("code", "CLO1"),
                ("text", "Analyse DC and AC circuits"),
                ("taxonomy_level", "C4"),
                ("effective_term", "2027sp"),
            ],
        )
        .await;
    assert_eq!(versioned.status, 303);
    let page = admin.get(&course_page).await;
    assert!(page.contains("version 2 was created; it applies from 2027SP"));
    assert!(page.contains("v1 from the start: Analyse DC circuits"), "the history keeps the old wording");

    // Each term sees its own wording.
    let actor_terms =
        qobe_store::academics::terms::list(t.app.store.conn(), institution(&t, "obe").await).await.unwrap();
    let all = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        institution(&t, "obe").await,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(c),
    )
    .await
    .unwrap();
    let fall = actor_terms.iter().find(|x| x.code == "2026FA").unwrap();
    let spring = actor_terms.iter().find(|x| x.code == "2027SP").unwrap();
    assert_eq!(
        qobe_app::academics::outcomes::versions_for(&all, &actor_terms, Some(fall))[0].text,
        "Analyse DC circuits"
    );
    assert_eq!(
        qobe_app::academics::outcomes::versions_for(&all, &actor_terms, Some(spring))[0].text,
        "Analyse DC and AC circuits"
    );
}

#[tokio::test]
async fn the_mapping_matrix_saves_cells_and_averages_ignore_blanks() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "map").await;
    let program = program_id(&t, "map").await;
    let program_page = format!("/academics/programs/{program}");
    admin.submit(&program_page, &format!("{program_page}/adopt"), &[("framework", "pec-2014")]).await;
    let c = course(&t, &mut admin, "map", "EE-230").await;
    let course_page = format!("/academics/courses/{c}");
    for (code, level) in [("CLO1", "C3"), ("CLO2", "P2")] {
        admin
            .submit(
                &course_page,
                &format!("{course_page}/clos"),
                &[("code", code), ("text", &format!("Outcome {code}")), ("taxonomy_level", level)],
            )
            .await;
    }
    let inst = institution(&t, "map").await;
    let conn = t.app.store.conn();
    let clos = qobe_store::academics::outcomes::all_versions(
        conn,
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(c),
    )
    .await
    .unwrap();
    let plos = qobe_store::academics::outcomes::all_versions(
        conn,
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program),
    )
    .await
    .unwrap();
    let plo = |code: &str| plos.iter().find(|p| p.code == code).unwrap().lineage_id;
    let cell = |clo: usize, plo: i64| format!("c{}_{plo}", clos[clo].id);
    let matrix_page = format!("{program_page}/matrix");
    let bad = admin.submit(&matrix_page, &matrix_page, &[(&cell(0, plo("PLO1")), "7")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("CLO1 → PLO1"), "the bad cell is named: {}", bad.text);
    let saved = admin
        .submit(
            &matrix_page,
            &matrix_page,
            &[
                (&cell(0, plo("PLO1")), "3"),
                (&cell(1, plo("PLO1")), "1"),
                (&cell(0, plo("PLO2")), "H"),
                (&cell(1, plo("PLO3")), ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    assert!(admin.get(&matrix_page).await.contains("3 cells changed"));

    let actor = admin_actor(&t, "map").await;
    let matrix =
        qobe_app::academics::outcomes::matrix(&t.app, &actor, qobe_domain::ids::ProgramId(program)).await.unwrap();
    let block = &matrix.courses[0];
    let column = |code: &str| matrix.plos.iter().position(|p| p.code == code).unwrap();
    assert_eq!(block.plo_averages[column("PLO1")], Some(2.0), "(3 + 1) / 2");
    assert_eq!(block.plo_averages[column("PLO2")], Some(3.0), "one non-blank cell");
    assert_eq!(block.plo_averages[column("PLO3")], None, "all blank");
    assert_eq!(block.average, Some((3.0 + 1.0 + 3.0) / 3.0));
    assert_eq!(matrix.plo_averages[column("PLO1")], Some(2.0));
    let html = admin.get(&matrix_page).await;
    let course_row = &crate::support::html::rows(&html.text, "matrix")[0];
    assert_eq!(course_row.last().map(String::as_str), Some("2.33"), "the course average is shown: {course_row:?}");
}

pub(crate) async fn admin_actor(t: &TestApp, slug: &str) -> qobe_app::Actor {
    let inst = institution(t, slug).await;
    let user = qobe_store::accounts::by_email(t.app.store.conn(), Some(inst), &format!("admin@{slug}.edu"))
        .await
        .unwrap()
        .unwrap();
    let (_, secret) = qobe_app::accounts::api_tokens::create(
        &t.app,
        &test_actor(inst, user.id, &user.email),
        &qobe_app::accounts::api_tokens::TokenInput { name: "t".into(), valid_days: None },
        &Default::default(),
    )
    .await
    .unwrap();
    qobe_app::accounts::api_tokens::authenticate(&t.app, &secret).await.unwrap()
}

pub(crate) fn test_actor(inst: qobe_domain::ids::InstitutionId, id: i64, email: &str) -> qobe_app::Actor {
    qobe_app::Actor {
        user_id: qobe_domain::ids::UserId(id),
        institution_id: Some(inst),
        email: email.into(),
        name: String::new(),
        is_operator: false,
        grants: Vec::new(),
        session_id: None,
        time_zone: "UTC".into(),
        language: "en".into(),
        needs_two_factor_setup: false,
        needs_consent: false,
    }
}

#[tokio::test]
async fn students_and_instructors_cannot_change_the_catalogue() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "perm").await;
    let mut student = t.invite(&mut admin, "s@perm.edu", "student").await;
    let department = department_id(&t, "perm").await.to_string();
    let refused = student
        .submit(
            "/academics/courses",
            "/academics/courses",
            &[
                ("department_id", &department),
                ("code", "X-1"),
                ("title", "X"),
                ("credits_theory", "3"),
                ("category", "core"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    let token = student.get("/profile").await.csrf().unwrap();
    assert_eq!(student.post_raw("/academics/terms", &[("code", "X"), ("csrf_token", &token)]).await.status, 403);
    let program = program_id(&t, "perm").await;
    let adopt = student
        .post_raw(&format!("/academics/programs/{program}/adopt"), &[("framework", "wa-2021"), ("csrf_token", &token)])
        .await;
    assert_eq!(adopt.status, 403);
}

#[tokio::test]
async fn academic_records_of_another_institution_are_not_found() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin_a = t.institution(&mut operator, "aa", "").await;
    let mut admin_b = t.institution(&mut operator, "bb", "").await;
    admin_b.submit("/admin/structure", "/admin/departments", &[("code", "ME"), ("name", "Mechanical")]).await;
    let dept_b = department_id(&t, "bb").await;
    admin_b
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department_id", &dept_b.to_string()), ("code", "BSME"), ("name", "BS ME")],
        )
        .await;
    let program_b = program_id(&t, "bb").await;
    term(&mut admin_b, "2027SP", 60).await;
    let course_b = course(&t, &mut admin_b, "bb", "ME-101").await;
    let offering = admin_b
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", "ME-101"), ("term", "2027SP"), ("section", "A"), ("capacity", "10"), ("schedule", "")],
        )
        .await;
    let offering_b = offering.location().unwrap().to_owned();
    let term_b =
        qobe_store::academics::terms::list(t.app.store.conn(), institution(&t, "bb").await).await.unwrap()[0].id;
    admin_b
        .submit(
            &format!("/academics/courses/{course_b}"),
            &format!("/academics/courses/{course_b}/clos"),
            &[("code", "CLO1"), ("text", "x"), ("taxonomy_level", "C1")],
        )
        .await;
    let clo_b = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        institution(&t, "bb").await,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(course_b),
    )
    .await
    .unwrap()[0]
        .id;

    for path in [
        format!("/academics/courses/{course_b}"),
        format!("/academics/terms/{term_b}"),
        offering_b.clone(),
        format!("/academics/programs/{program_b}"),
        format!("/academics/programs/{program_b}/matrix"),
    ] {
        assert_eq!(admin_a.get(&path).await.status, 404, "GET {path}");
    }
    let a_page = "/academics/courses";
    for (path, fields) in [
        (
            format!("/academics/courses/{course_b}"),
            vec![("code", "HACK"), ("title", "x"), ("credits_theory", "3"), ("category", "core")],
        ),
        (format!("/academics/courses/{course_b}/prerequisites"), vec![("required_course", "ME-101")]),
        (
            format!("/academics/courses/{course_b}/clos"),
            vec![("code", "CLO9"), ("text", "x"), ("taxonomy_level", "C1")],
        ),
        (
            format!("/academics/courses/{course_b}/clos/{clo_b}/edit"),
            vec![("code", "CLO1"), ("text", "hacked"), ("taxonomy_level", "C1")],
        ),
        (format!("/academics/terms/{term_b}"), vec![("code", "HACK")]),
        (offering_b.clone(), vec![("section", "Z"), ("capacity", "1")]),
        (format!("{offering_b}/instructors"), vec![("email", "admin@aa.edu")]),
        (format!("/academics/programs/{program_b}/adopt"), vec![("framework", "wa-2013")]),
        (format!("/academics/programs/{program_b}/plos"), vec![("code", "P"), ("text", "x")]),
        (format!("/academics/programs/{program_b}/matrix"), vec![]),
    ] {
        assert_eq!(admin_a.submit(a_page, &path, &fields).await.status, 404, "POST {path}");
    }
    assert!(!admin_a.get("/academics/courses").await.contains("ME-101"));
    assert!(
        admin_b.get(&format!("/academics/courses/{course_b}")).await.contains("ME-101 Course ME-101"),
        "B's course is unchanged"
    );
}
