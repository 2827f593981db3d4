//! The demo generator makes a coherent institution that works in the product at once.

use crate::support::TestApp;

#[tokio::test]
async fn a_small_demo_institution_is_generated_and_usable() {
    let t = TestApp::new().await;
    let mut lines = Vec::new();
    let summary =
        qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |line| lines.push(line.to_owned())).await.unwrap();
    assert_eq!((summary.programs, summary.courses, summary.students), (1, 40, 200));
    // Cohorts of 50 have taken 8, 6, 4 and 2 semesters of five courses.
    assert_eq!(summary.enrollments, 50 * 5 * (8 + 6 + 4 + 2));
    assert!(lines.iter().any(|l| l.contains("registrations")), "progress is reported: {lines:?}");
    assert!(
        qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.is_err(),
        "a second run is refused"
    );

    let mut admin = t.client();
    let signed =
        admin.submit("/login", "/login", &[("email", &summary.admin_email), ("password", summary.password)]).await;
    assert_eq!(signed.location(), Some("/"), "{}", signed.text);
    // Demo accounts agree to the terms at their first sign-in, like everyone else.
    assert_eq!(admin.get("/academics/courses").await.location(), Some("/consent"));
    admin.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    let courses = admin.get("/academics/courses").await;
    assert!(courses.contains("BSCE-101"), "{}", &courses.text[..courses.text.len().min(3000)]);
    let users = admin.get("/admin/users?role=student").await;
    assert!(users.contains("(200 people)"));
    let program =
        qobe_store::structure::programs(t.app.store.conn(), qobe_domain::ids::InstitutionId(1)).await.unwrap()[0].id;
    let matrix = admin.get(&format!("/academics/programs/{program}/matrix")).await;
    assert_eq!(matrix.status, 200);
    assert!(matrix.contains("PLO11") && matrix.contains("BSCE-801"), "every course and PLO appears in the matrix");

    // A student sees their current registrations.
    let mut student = t.client();
    student.submit("/login", "/login", &[("email", "s000000@demo-s.edu"), ("password", summary.password)]).await;
    student.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    let registration = student.get("/registration").await;
    let statuses = crate::support::html::texts_of_class(&registration.text, "status");
    assert_eq!(
        statuses.iter().filter(|s| *s == "Enrolled").count(),
        5,
        "the current term's five courses: {statuses:?}"
    );
}

#[tokio::test]
async fn the_operator_can_make_the_small_demo_from_the_console() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let made = operator.submit("/operator", "/operator/demo", &[]).await;
    assert_eq!(made.status, 303);
    let console = operator.get("/operator").await;
    assert!(console.contains("demo-s created with 200 students") && console.contains("Demo University (S)"));
    operator.submit("/operator", "/operator/demo", &[]).await;
    assert!(operator.get("/operator").await.contains("already exists"), "a second demo is refused with a reason");
    let mut admin = t.institution(&mut operator, "real", "").await;
    let token = admin.get("/").await.csrf().unwrap();
    assert_eq!(admin.post_raw("/operator/demo", &[("csrf_token", &token)]).await.status, 403, "only the operator");
}

#[tokio::test]
async fn the_roster_exports_as_oneroster_csv_that_validates() {
    let t = TestApp::new().await;
    let (summary, mut admin) = t.demo_admin().await;
    let response = admin.get("/admin/oneroster/export").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.headers.get("content-type").unwrap(), "application/zip");
    assert!(response.headers.get("content-disposition").unwrap().to_str().unwrap().contains("oneroster-"));
    let artifacts = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(artifacts.join("oneroster-demo-s.zip"), &response.bytes).unwrap();

    // The same files, straight from the use-case, parse under the import rules.
    let actor = {
        let created = admin.submit("/security", "/security/tokens", &[("name", "x"), ("valid_days", "")]).await;
        let secret = created.text.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        qobe_app::accounts::api_tokens::authenticate(&t.app, &secret).await.unwrap()
    };
    let files = qobe_app::interop::oneroster::export(&t.app, &actor).await.unwrap();
    let package = qobe_domain::oneroster::parse_package(&files).expect("the export validates");
    assert_eq!(package.courses.len(), 40);
    assert_eq!(package.academic_sessions.len(), 8);
    assert_eq!(package.orgs.len(), 2, "the institution and its department");
    assert_eq!(package.users.len(), 1 + 1 + 1 + 8 + 200, "admin, QA officer, head, instructors, students");
    let students =
        package.enrollments.iter().filter(|e| e.role == qobe_domain::oneroster::EnrollmentRole::Student).count();
    assert_eq!(students, summary.enrollments);

    let mut student = t.client();
    student.submit("/login", "/login", &[("email", "s000005@demo-s.edu"), ("password", summary.password)]).await;
    student.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    assert_eq!(student.get("/admin/oneroster/export").await.status, 403);
}

#[tokio::test]
async fn a_oneroster_package_imports_all_or_nothing_into_another_institution() {
    let t = TestApp::new().await;
    qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let demo_admin = {
        let user = qobe_store::accounts::by_email(
            t.app.store.conn(),
            Some(qobe_domain::ids::InstitutionId(1)),
            "admin@demo-s.edu",
        )
        .await
        .unwrap()
        .unwrap();
        TestApp::admin_actor(1, user.id, &user.email)
    };
    let files = qobe_app::interop::oneroster::export(&t.app, &demo_admin).await.unwrap();

    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "target", "").await;
    let page = "/admin/oneroster";
    // A broken package: an enrollment pointing at a class that is not in the file.
    let mut broken = files.clone();
    for (name, bytes) in broken.iter_mut() {
        if name == "enrollments.csv" {
            let text = String::from_utf8(bytes.clone()).unwrap().replacen("class-", "class-999", 1);
            *bytes = text.into_bytes();
        }
    }
    let refused = admin.upload_files(page, page, &[("mode", "import")], "files", &broken).await;
    assert_eq!(refused.status, 422);
    let errors = crate::support::html::rows(&refused.text, "preview");
    assert!(
        errors.iter().any(|row| row[1] == "enrollments.csv" && row.iter().any(|cell| cell.contains("class-999"))),
        "the enrollment naming an unknown class is reported: {errors:?}\n{}",
        &refused.text[..refused.text.len().min(4000)]
    );
    assert!(!admin.get("/academics/courses").await.contains("BSCE-101"), "nothing was written");

    let checked = admin.upload_files(page, page, &[("mode", "check")], "files", &files).await;
    assert_eq!(checked.status, 200, "{}", &checked.text[..checked.text.len().min(4000)]);
    let result = crate::support::html::text(&checked.text, "result").unwrap_or_default();
    assert!(result.starts_with("Ready to import"), "{result}");
    assert!(result.contains(" 211 people, 5100 enrollments."), "{result}");
    let imported = admin.upload_files(page, page, &[("mode", "import")], "files", &files).await;
    let result = crate::support::html::text(&imported.text, "result").unwrap_or_default();
    assert!(result.starts_with("Imported"), "{result}");
    let target = qobe_domain::ids::InstitutionId(
        qobe_store::tenancy::by_slug(t.app.store.conn(), "target").await.unwrap().unwrap().id,
    );
    let invited =
        qobe_store::accounts::by_email(t.app.store.conn(), Some(target), "s000007@demo-s.edu").await.unwrap().unwrap();
    assert_eq!(invited.status, "invited", "people arrive as invited accounts");
    let offerings = qobe_store::academics::offerings::list(t.app.store.conn(), target, None).await.unwrap();
    assert_eq!(offerings.len(), 100);
    assert!(qobe_store::academics::courses::by_code(t.app.store.conn(), target, "BSCE-801").await.unwrap().is_some());
    // Importing the same package again creates nothing new.
    admin.upload_files(page, page, &[("mode", "import")], "files", &files).await;
    assert_eq!(qobe_store::academics::offerings::list(t.app.store.conn(), target, None).await.unwrap().len(), 100);
    let admins = qobe_store::roles::count_admins(t.app.store.conn(), target).await.unwrap();
    assert_eq!(admins, 1, "administrator roles in the file are not granted");
}

/// A demo account signed in, with the terms agreed to.
async fn demo_sign_in(t: &TestApp, email: &str) -> crate::support::Client {
    let mut client = t.client();
    let signed =
        client.submit("/login", "/login", &[("email", email), ("password", qobe_app::demo::DEMO_PASSWORD)]).await;
    assert_eq!(signed.status, 303, "{email}: {}", signed.text);
    client.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    client
}

#[tokio::test]
async fn the_demo_tells_one_true_story_for_every_role() {
    use qobe_domain::roles::Role;
    let t = TestApp::new().await;
    let demo = qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let conn = t.app.store.conn();
    let institution = qobe_domain::ids::InstitutionId(1);

    // A sign-in for every role that has pages today (alumni arrive with graduation), each an
    // account that holds that role.
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Alumnus) {
        let (_, email) = demo.sign_ins.iter().find(|(r, _)| *r == role).unwrap_or_else(|| panic!("no {role:?}"));
        let user = qobe_store::accounts::by_email(conn, Some(institution), email).await.unwrap().unwrap();
        let grants = qobe_store::roles::for_user(conn, institution, qobe_domain::ids::UserId(user.id)).await.unwrap();
        assert!(grants.iter().any(|g| g.role == role.as_str()), "{email} holds {role:?}: {grants:?}");
    }
    assert!(demo.published > 0 && demo.published < demo.offerings, "past terms published, the current one running");

    // The student has published results and an outcome profile built from them.
    let student_email = &demo.sign_ins.iter().find(|(r, _)| *r == Role::Student).unwrap().1;
    let mut student = demo_sign_in(&t, student_email).await;
    let results = student.get("/my/results").await;
    assert!(!results.contains("No published results yet."), "{}", results.text);
    let graded = results.text.matches("<tr><td>BSCE-").count();
    let student_id = qobe_store::accounts::by_email(conn, Some(institution), student_email).await.unwrap().unwrap().id;
    let completed = qobe_store::registration::for_user(conn, institution, qobe_domain::ids::UserId(student_id))
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.status == "completed")
        .count();
    assert!(completed >= 5, "a term of graded courses at least: {completed}");
    assert_eq!(graded, completed, "every completed course is on the results page");
    let outcomes = student.get("/my/outcomes").await;
    assert!(!outcomes.contains("No approved results yet."), "{}", outcomes.text);
    let plos = crate::support::html::rows(&outcomes.text, "my-plos");
    assert!(plos.iter().any(|row| row[1] != "—"), "PLO scores from published results: {plos:?}");
    assert!(outcomes.contains("<span class=\"plo-title\">"), "PLOs named by title");

    // Some CLO fell short last term, and the QA officer raised a finding on it.
    let findings = qobe_store::cqi::findings(conn, institution).await.unwrap();
    assert_eq!(findings.len(), demo.findings);
    assert!(!findings.is_empty());
    let admin_user = qobe_store::accounts::by_email(conn, Some(institution), &demo.admin_email).await.unwrap().unwrap();
    let admin = TestApp::admin_actor(1, admin_user.id, &demo.admin_email);
    for finding in &findings {
        let (offering, clo) = (finding.offering_id.expect("on an offering"), finding.clo_id.expect("on a CLO"));
        let view =
            qobe_app::assessment::attainment::of_offering(&t.app, &admin, qobe_domain::ids::OfferingId(offering))
                .await
                .unwrap();
        let shown = view.attainment.clos.iter().find(|c| c.clo.id == clo || c.clo.lineage_id == clo).expect("the CLO");
        assert_eq!(shown.result.met, Some(false), "finding {} is about a real shortfall", finding.title);
    }
    let qa_email = &demo.sign_ins.iter().find(|(r, _)| *r == Role::QaOfficer).unwrap().1;
    let cqi = demo_sign_in(&t, qa_email).await.get("/cqi").await;
    assert_eq!(crate::support::html::rows(&cqi.text, "findings").len(), findings.len(), "{}", cqi.text);

    // Each role is listed once per person, with the places it applies to by name.
    let mut admin_client = demo_sign_in(&t, &demo.admin_email).await;
    let instructors = admin_client.get("/admin/users?role=instructor").await;
    assert!(instructors.contains("<span class=\"badge\">Instructor (Department CE, BSCE-"), "{}", instructors.text);
    let roles: Vec<String> =
        crate::support::html::rows(&instructors.text, "users").into_iter().map(|r| r[2].clone()).collect();
    assert!(roles.iter().all(|r| r.matches("Instructor").count() == 1), "one line per role: {roles:?}");
}
