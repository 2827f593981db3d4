//! Tenant isolation: a person of institution A gets "not found" for every id of institution B,
//! on every endpoint that takes an id, and nothing of B changes.

use crate::support::TestApp;

#[tokio::test]
async fn no_endpoint_reaches_another_institutions_data() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin_a = t.institution(&mut operator, "alpha", "").await;
    let mut admin_b = t.institution(&mut operator, "beta", "").await;

    // Institution B: a person with a picture, a pending invitation, a department, a program,
    // a session and an API token.
    let mut person_b = t.invite(&mut admin_b, "bob@beta.edu", "instructor").await;
    let png = tiny_png();
    assert_eq!(person_b.upload("/profile", "/profile/picture", "image", "me.png", &png).await.status, 303);
    admin_b
        .submit(
            "/admin/users/invite",
            "/admin/users/invite",
            &[("email", "pending@beta.edu"), ("name", "Pending"), ("role", "student"), ("scope", "institution")],
        )
        .await;
    admin_b.submit("/admin/structure", "/admin/departments", &[("code", "EE"), ("name", "Electrical")]).await;
    let conn = t.app.store.conn();
    let beta = qobe_store::tenancy::by_slug(conn, "beta").await.unwrap().unwrap();
    let beta_id = qobe_domain::ids::InstitutionId(beta.id);
    let dept_b = qobe_store::structure::departments(conn, beta_id).await.unwrap()[0].id;
    admin_b
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department_id", &dept_b.to_string()), ("code", "BSEE"), ("name", "BS EE")],
        )
        .await;
    let program_b = qobe_store::structure::programs(conn, beta_id).await.unwrap()[0].id;
    let bob = t.user_id("beta", "bob@beta.edu").await;
    let pending = t.user_id("beta", "pending@beta.edu").await;
    let grant_b = qobe_store::roles::for_user(conn, beta_id, qobe_domain::ids::UserId(bob)).await.unwrap()[0].id;
    let session_b =
        qobe_store::sessions::list_for_user(conn, Some(beta_id), qobe_domain::ids::UserId(bob), chrono::Utc::now())
            .await
            .unwrap()[0]
            .id;
    let created = person_b.submit("/security", "/security/tokens", &[("name", "script"), ("valid_days", "")]).await;
    let token_b_secret = created.text.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let token_b = qobe_store::api_tokens::for_user(conn, beta_id, qobe_domain::ids::UserId(bob)).await.unwrap()[0].id;

    // Admin of A, with every permission in A, tries B's ids.
    for path in [format!("/admin/users/{bob}"), format!("/users/{bob}/picture"), format!("/api/v1/users/{bob}")] {
        assert_eq!(admin_a.get(&path).await.status, 404, "GET {path}");
    }
    let a_page = "/admin/users";
    let posts: Vec<(String, Vec<(&str, String)>)> = vec![
        (format!("/admin/users/{bob}/deactivate"), vec![]),
        (format!("/admin/users/{bob}/reactivate"), vec![]),
        (format!("/admin/users/{pending}/resend"), vec![]),
        (format!("/admin/users/{bob}/roles"), vec![("role", "student".into()), ("scope", "institution".into())]),
        (format!("/admin/roles/{grant_b}/revoke"), vec![("user_id", bob.to_string())]),
        (format!("/security/sessions/{session_b}/revoke"), vec![]),
        (format!("/security/tokens/{token_b}/revoke"), vec![]),
    ];
    for (path, fields) in &posts {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(admin_a.submit(a_page, path, &fields).await.status, 404, "POST {path}");
    }
    // Scopes and parents of another institution are refused as input errors.
    let me_a = t.user_id("alpha", "admin@alpha.edu").await;
    let scoped = admin_a
        .submit(
            a_page,
            &format!("/admin/users/{me_a}/roles"),
            &[("role", "instructor"), ("scope", &format!("program:{program_b}"))],
        )
        .await;
    assert_eq!(scoped.status, 422);
    let program = admin_a
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department_id", &dept_b.to_string()), ("code", "X"), ("name", "X")],
        )
        .await;
    assert_eq!(program.status, 422);
    assert_eq!(
        admin_a
            .submit(
                a_page,
                &format!("/operator/institutions/{}/plan", beta.id),
                &[("plan", "trial"), ("seat_limit", "1")]
            )
            .await
            .status,
        403
    );
    // B's data is visible to nobody in A through lists either.
    let found = admin_a.get("/admin/users?q=bob").await;
    assert_eq!(crate::support::html::rows(&found.text, "users"), [["Nobody matches."]]);
    t.sign_in("admin@alpha.edu").await;
    for (list, table) in [("/admin/audit", "audit"), ("/admin/logins", "logins")] {
        let shown = admin_a.get(list).await;
        let rows = crate::support::html::rows(&shown.text, table);
        assert!(!rows.is_empty() && rows.iter().all(|r| r.len() > 2), "A's own entries are listed: {rows:?}");
        assert!(!shown.contains("beta.edu"), "{list}");
    }

    // Nothing of B changed, and B's token still works for B only.
    assert_eq!(person_b.get("/profile").await.status, 200);
    let bob_page = admin_b.get(&format!("/admin/users/{bob}")).await;
    assert_eq!(crate::support::html::text(&bob_page.text, "status").as_deref(), Some("active"));
    let me = admin_a.api("GET", "/api/v1/me", &token_b_secret, None).await;
    assert_eq!(me.json()["email"], "bob@beta.edu");
    assert_eq!(
        admin_a.api("GET", &format!("/api/v1/users/{me_a}"), &token_b_secret, None).await.status,
        403,
        "an instructor of B cannot list users, least of all A's"
    );
}

/// A small PNG made in memory.
pub fn tiny_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([(x * 6) as u8, (y * 8) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}
