//! The institution admin: users (search, filter, pages), invitations, seats, bulk CSV,
//! deactivation and roles.

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
    assert!(admin.get(&format!("/admin/users/{one}")).await.contains("deactivated"));
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

    let first = admin.get("/admin/users").await;
    assert!(first.contains("Page 1 of 2 (32 people)"), "{}", first.text);
    let second = admin.get("/admin/users?page=2").await;
    assert!(second.contains("Zara Teacher"));
    let search = admin.get("/admin/users?q=zara").await;
    assert!(search.contains("Zara Teacher") && !search.contains("Student 01"));
    let role = admin.get("/admin/users?role=instructor").await;
    assert!(role.contains("Zara Teacher") && !role.contains("Student 05"));
    let invited = admin.get("/admin/users?status=invited").await;
    assert!(invited.contains("31 people") || invited.contains("(31 people)"), "{}", invited.text);
    let newest = admin.get("/admin/users?sort=newest").await;
    let zara = newest.text.find("Zara Teacher").unwrap();
    let s00 = newest.text.find("Student 29").unwrap();
    assert!(zara < s00, "newest first");
}

#[tokio::test]
async fn bulk_invitation_is_all_or_nothing_with_row_errors() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "").await;
    let csv = "email,name,role,scope\nok@lums.edu,Okay,student,institution\nnot-an-email,Bad,student,\ndup@lums.edu,Dup,student,\ndup@lums.edu,Dup again,student,\nx@lums.edu,X,wizard,\ny@lums.edu,Y,student,program:NOPE\n";
    let preview = admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "p.csv", csv.as_bytes()).await;
    assert_eq!(preview.status, 422);
    assert!(preview.contains("must be an email address"));
    assert!(preview.contains("appears more than once"));
    assert!(preview.contains("is not a known role"));
    assert!(preview.contains("program:NOPE"));
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
    assert!(structure.contains("CS"));
    let dept =
        qobe_store::structure::departments(t.app.store.conn(), qobe_domain::ids::InstitutionId(1)).await.unwrap()[0].id;
    admin
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department", &dept.to_string()), ("code", "bscs"), ("name", "BS Computer Science")],
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
    assert!(admin.get(&page).await.contains("Program BSCS"));
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
    assert!(
        admin.get(&format!("/admin/users/{me}")).await.contains("Institution admin"),
        "the last admin keeps the role"
    );
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
    assert!(log.contains("user.invited") && log.contains("audited@lums.edu"));
    let filtered = admin.get("/admin/audit?action=user.invitation_accepted").await;
    assert!(filtered.contains("user.invitation_accepted") && !filtered.contains("<code>user.invited</code>"));
    t.client().submit("/login", "/login", &[("email", "audited@lums.edu"), ("password", "wrong wrong wrong")]).await;
    let logins = admin.get("/admin/logins").await;
    assert!(logins.contains("audited@lums.edu") && logins.contains("wrong_password"));
    assert!(logins.contains("Chrome 126") && logins.contains("192.0.2.10"), "{}", logins.text);
}
