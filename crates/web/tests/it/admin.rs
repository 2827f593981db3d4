//! The institution admin: users (search, filter, pages), invitations, seats, bulk CSV,
//! deactivation and roles.

use crate::support::html;
use crate::support::{Client, PASSWORD, TestApp};

async fn school(t: &TestApp, seats: &str) -> Client {
    let mut operator = t.operator().await;
    t.institution(&mut operator, "lums", seats).await
}

#[tokio::test]
async fn the_seat_limit_is_enforced_with_a_clear_message() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "2").await;
    t.invite(&mut admin, "one@lums.edu", "instructor").await;
    let refused = admin
        .submit(
            "/admin/users/invite",
            "/admin/users/invite",
            &[("email", "two@lums.edu"), ("name", "Two"), ("role", "student"), ("scope", "institution")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("allows 2 user accounts and 2 are in use"), "{}", refused.text);
    assert!(refused.contains("value=\"two@lums.edu\""));

    // Deactivating someone frees a seat.
    let one = t.user_id("lums", "one@lums.edu").await;
    assert_eq!(
        admin.submit(&format!("/admin/users/{one}"), &format!("/admin/users/{one}/deactivate"), &[]).await.status,
        303
    );
    let ok = admin
        .submit(
            "/admin/users/invite",
            "/admin/users/invite",
            &[("email", "two@lums.edu"), ("name", "Two"), ("role", "student"), ("scope", "institution")],
        )
        .await;
    assert_eq!(ok.status, 303);
    // And reactivation is refused while the plan is full.
    let back = admin.submit(&format!("/admin/users/{one}"), &format!("/admin/users/{one}/reactivate"), &[]).await;
    assert_eq!(back.status, 303);
    let page = admin.get(&format!("/admin/users/{one}")).await;
    assert_eq!(html::text(&page.text, "status").as_deref(), Some("deactivated"));
    let refusal = [html::texts_of_class(&page.text, "notice"), html::texts_of_class(&page.text, "alert")].concat();
    assert!(refusal.iter().any(|t| t.contains("2 are in use")), "the reason is shown: {refusal:?}");
}

#[tokio::test]
async fn deactivation_signs_the_person_out_and_blocks_sign_in() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    let mut teacher = t.invite(&mut admin, "teacher@lums.edu", "instructor").await;
    assert_eq!(teacher.get("/profile").await.status, 200);
    let id = t.user_id("lums", "teacher@lums.edu").await;
    admin.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/deactivate"), &[]).await;
    assert_eq!(teacher.get("/profile").await.status, 303);
    let again = t.client().submit("/login", "/login", &[("email", "teacher@lums.edu"), ("password", PASSWORD)]).await;
    assert_eq!(again.status, 422);
    // Admins cannot deactivate themselves.
    let me = t.user_id("lums", "admin@lums.edu").await;
    assert_eq!(admin.submit("/admin/users", &format!("/admin/users/{me}/deactivate"), &[]).await.status, 409);
}

#[tokio::test]
async fn user_list_searches_filters_sorts_and_pages() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    let mut csv = String::from("email,name,role\n");
    for i in 0..30 {
        csv.push_str(&format!("student{i:02}@lums.edu,Student {i:02},student\n"));
    }
    csv.push_str("zara@lums.edu,Zara Teacher,instructor\n");
    let preview = admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "people.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    let import = admin.submit("/admin/users/bulk", "/admin/users/bulk/import", &[("csv_text", &csv)]).await;
    assert_eq!(import.status, 303, "{}", import.text);

    let names = |page: &crate::support::Response| -> Vec<String> {
        html::rows(&page.text, "users").into_iter().map(|row| row[0].clone()).collect()
    };
    let first = admin.get("/admin/users").await;
    assert!(first.contains("Page 1 of 2 (32 people)"), "{}", first.text);
    let second = admin.get("/admin/users?page=2").await;
    let mut everyone = [names(&first), names(&second)].concat();
    assert_eq!(everyone.len(), 32, "two pages hold everyone once");
    everyone.sort();
    everyone.dedup();
    assert_eq!(everyone.len(), 32, "no one on both pages");
    // Names in order: the admin, then the students by number, then Zara.
    assert_eq!(names(&first)[..3], ["Admin of lums", "Student 00", "Student 01"]);
    assert_eq!(names(&second).last().map(String::as_str), Some("Zara Teacher"));
    assert_eq!(names(&admin.get("/admin/users?q=zara").await), ["Zara Teacher"]);
    assert_eq!(names(&admin.get("/admin/users?role=instructor").await), ["Zara Teacher"]);
    let invited = admin.get("/admin/users?status=invited").await;
    assert!(invited.contains("Page 1 of 2 (31 people)"), "{}", invited.text);
    assert!(html::rows(&invited.text, "users").iter().all(|row| row[3] == "invited"), "{}", invited.text);
    let newest = names(&admin.get("/admin/users?sort=newest").await);
    assert_eq!(newest[..2], ["Zara Teacher", "Student 29"], "newest first");
}

#[tokio::test]
async fn bulk_invitation_is_all_or_nothing_with_row_errors() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    let csv = "email,name,role,scope\nok@lums.edu,Okay,student,institution\nnot-an-email,Bad,student,\ndup@lums.edu,Dup,student,\ndup@lums.edu,Dup again,student,\nx@lums.edu,X,wizard,\ny@lums.edu,Y,student,program:NOPE\n";
    let preview = admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "p.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, 422);
    // Each row's check, by its line in the file.
    let check = |line: &str| html::row_with(&preview.text, "preview", line).unwrap().last().cloned().unwrap();
    assert_eq!(check("2"), "ok");
    assert!(check("3").contains("must be an email address"), "{}", check("3"));
    assert!(check("5").contains("appears more than once"), "{}", check("5"));
    assert!(check("6").contains("is not a known role"), "{}", check("6"));
    assert!(check("7").contains("program:NOPE"), "{}", check("7"));
    assert!(!preview.contains("Invite all"), "no import button while rows are wrong");
    // Posting the import anyway writes nothing.
    let forced = admin.submit("/admin/users/bulk", "/admin/users/bulk/import", &[("csv_text", csv)]).await;
    assert_eq!(forced.status, 422);
    assert!(!admin.get("/admin/users").await.contains("ok@lums.edu"));

    let missing_columns =
        admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "p.csv", b"mail,who\na@b.edu,A\n").await;
    assert!(missing_columns.contains("must name the columns"));
}

#[tokio::test]
async fn roles_are_granted_at_a_scope_and_the_last_admin_is_kept() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    admin.submit("/admin/structure", "/admin/departments", &[("code", "cs"), ("name", "Computer Science")]).await;
    let structure = admin.get("/admin/structure").await;
    assert!(structure.contains("<li><code>CS</code> Computer Science"), "the code is upper-cased");
    let dept =
        qobe_store::structure::departments(t.app.store.conn(), qobe_domain::ids::InstitutionId(1)).await.unwrap()[0].id;
    admin
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department_id", &dept.to_string()), ("code", "bscs"), ("name", "BS Computer Science")],
        )
        .await;
    let program =
        qobe_store::structure::programs(t.app.store.conn(), qobe_domain::ids::InstitutionId(1)).await.unwrap()[0].id;

    t.invite(&mut admin, "coord@lums.edu", "instructor").await;
    let id = t.user_id("lums", "coord@lums.edu").await;
    let page = format!("/admin/users/{id}");
    let granted = admin
        .submit(
            &page,
            &format!("/admin/users/{id}/roles"),
            &[("role", "program_coordinator"), ("scope", &format!("program:{program}"))],
        )
        .await;
    assert_eq!(granted.status, 303, "{}", granted.text);
    let roles = html::texts_of_class(&admin.get(&page).await.text, "grant");
    assert_eq!(roles, ["Instructor — Whole institution", "Program coordinator / head — Program BSCS"]);
    let twice = admin
        .submit(
            &page,
            &format!("/admin/users/{id}/roles"),
            &[("role", "program_coordinator"), ("scope", &format!("program:{program}"))],
        )
        .await;
    assert_eq!(twice.status, 422);
    assert!(twice.contains("already has that role"));
    let narrow_admin = admin
        .submit(
            &page,
            &format!("/admin/users/{id}/roles"),
            &[("role", "institution_admin"), ("scope", &format!("program:{program}"))],
        )
        .await;
    assert!(narrow_admin.contains("can only be granted institution-wide"));

    let me = t.user_id("lums", "admin@lums.edu").await;
    let grants = qobe_store::roles::for_user(
        t.app.store.conn(),
        qobe_domain::ids::InstitutionId(1),
        qobe_domain::ids::UserId(me),
    )
    .await
    .unwrap();
    let revoke = admin
        .submit(
            &format!("/admin/users/{me}"),
            &format!("/admin/roles/{}/revoke", grants[0].id),
            &[("user_id", &me.to_string())],
        )
        .await;
    assert_eq!(revoke.status, 303);
    assert_eq!(revoke.location(), Some(format!("/admin/users/{me}").as_str()));
    let kept = html::texts_of_class(&admin.get(&format!("/admin/users/{me}")).await.text, "grant");
    assert_eq!(kept, ["Institution admin — Whole institution"], "the last admin keeps the role");
}

#[tokio::test]
async fn non_admins_cannot_reach_admin_pages() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    let mut student = t.invite(&mut admin, "stu@lums.edu", "student").await;
    for path in [
        "/admin/users",
        "/admin/users/invite",
        "/admin/settings",
        "/admin/audit",
        "/admin/logins",
        "/admin/users/bulk",
        "/operator",
    ] {
        assert_eq!(student.get(path).await.status, 403, "{path}");
    }
    let token = student.get("/profile").await.csrf().unwrap();
    let post = student
        .post_raw(
            "/admin/users/invite",
            &[
                ("email", "x@lums.edu"),
                ("name", "X"),
                ("role", "institution_admin"),
                ("scope", "institution"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(post.status, 403);
}

#[tokio::test]
async fn admin_actions_are_in_the_audit_log_and_logins_in_the_history() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    t.invite(&mut admin, "audited@lums.edu", "student").await;
    let log = admin.get("/admin/audit").await;
    let invited =
        html::rows(&log.text, "audit").into_iter().find(|row| row[2] == "user.invited").expect("the invitation");
    assert_eq!((invited[1].as_str(), invited[3].as_str()), ("admin@lums.edu", "audited@lums.edu"), "{invited:?}");
    let filtered = html::rows(&admin.get("/admin/audit?action=user.invitation_accepted").await.text, "audit");
    let actions: Vec<&str> = filtered.iter().map(|row| row[2].as_str()).collect();
    assert!(!actions.is_empty() && actions.iter().all(|a| *a == "user.invitation_accepted"), "{actions:?}");
    t.client().submit("/login", "/login", &[("email", "audited@lums.edu"), ("password", "wrong wrong wrong")]).await;
    let logins = html::rows(&admin.get("/admin/logins").await.text, "logins");
    let failed = logins.iter().find(|row| row[1] == "audited@lums.edu").expect("the failed sign-in");
    assert_eq!(failed[2..5], ["wrong_password", "192.0.2.10", "Chrome 126"], "{failed:?}");
}
