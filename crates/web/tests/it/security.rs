//! CSRF, security headers, secure cookies, hashed secrets.

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "csrf", "").await;
    let fields = [("name", "Hacked"), ("require_staff_2fa", "on")];
    assert_eq!(admin.post_raw("/admin/settings", &fields).await.status, 403, "no token");
    let mut with_wrong = fields.to_vec();
    with_wrong.push(("csrf_token", "0000000000000000000000000000000000000000000000000000000000000000"));
    assert_eq!(admin.post_raw("/admin/settings", &with_wrong).await.status, 403, "wrong token");
    // The pre-sign-in token is not the session's token.
    let pre_sign_in = t.client().get("/login").await.csrf().unwrap();
    let mut with_other = fields.to_vec();
    with_other.push(("csrf_token", &pre_sign_in));
    assert_eq!(admin.post_raw("/admin/settings", &with_other).await.status, 403, "another visitor's token");
    assert!(admin.get("/admin/settings").await.contains("value=\"University csrf\""), "nothing changed");

    // Sign-in itself is protected too (login CSRF).
    let mut anon = t.client();
    assert_eq!(anon.post_raw("/login", &[("email", "admin@csrf.edu"), ("password", PASSWORD)]).await.status, 403);
}

#[tokio::test]
async fn cross_site_origins_are_refused_even_with_a_token() {
    let t = TestApp::new().await;
    let mut client = t.client();
    let token = client.get("/login").await.csrf().unwrap();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("email", "a@b.edu"), ("password", "whatever pass"), ("csrf_token", token.as_str())])
        .finish();
    let cookie = client.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/login")
        .header("host", "qobe.test")
        .header("origin", "https://evil.example")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(client.send(request).await.status, 403);
}

#[tokio::test]
async fn every_page_carries_security_headers() {
    let t = TestApp::new().await;
    let response = t.client().get("/login").await;
    let h = |name: &str| response.headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert!(h("content-security-policy").contains("script-src 'self'"));
    assert!(!h("content-security-policy").contains("unsafe-inline"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert!(!h("x-request-id").is_empty());
    assert!(h("strict-transport-security").is_empty(), "no HSTS without TLS");
    assert!(!response.text.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn under_tls_cookies_are_secure_and_hsts_is_sent() {
    let t = TestApp::with(|_, web| web.secure = true).await;
    let response = t.client().get("/login").await;
    assert!(response.headers.get("strict-transport-security").is_some());
    let cookie = response.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn secrets_are_stored_only_as_hashes() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    operator
        .submit(
            "/operator",
            "/operator/institutions",
            &[
                ("name", "Hash U"),
                ("slug", "hash"),
                ("plan", "trial"),
                ("seat_limit", ""),
                ("admin_name", "H"),
                ("admin_email", "h@hash.edu"),
            ],
        )
        .await;
    let link = t.link_in_last_email("h@hash.edu").await;
    let token = link.split("token=").nth(1).unwrap();
    let conn = t.app.store.conn();
    assert!(qobe_store::tokens::find(conn, "invite", token).await.unwrap().is_none(), "the plain token is not stored");
    assert!(qobe_store::tokens::find(conn, "invite", &qobe_app::crypto::token_hash(token)).await.unwrap().is_some());
    let session = operator.cookies.get("qobe_session").unwrap().clone();
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert!(qobe_store::sessions::by_token_hash(conn, &session, now).await.unwrap().is_none());
    let operator_row = qobe_store::accounts::by_email(conn, None, "operator@qobe.test").await.unwrap().unwrap();
    assert!(operator_row.password_hash.unwrap().starts_with("$argon2id$"));
}
