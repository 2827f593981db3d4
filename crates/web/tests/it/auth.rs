//! Signing in and out, lockout, rate limits, password reset, email change and two-factor.

use chrono::Duration;

use crate::support::{Client, PASSWORD, TestApp};

async fn login(client: &mut Client, email: &str, password: &str) -> crate::support::Response {
    client.submit("/login", "/login", &[("email", email), ("password", password)]).await
}

async fn school(t: &TestApp) -> (Client, Client) {
    let mut operator = t.operator().await;
    let admin = t.institution(&mut operator, "gcu", "").await;
    (operator, admin)
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_ends_it() {
    let t = TestApp::new().await;
    let (_, _) = school(&t).await;
    let mut client = t.client();
    let wrong = login(&mut client, "admin@gcu.edu", "not the password").await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.contains("Email or password is incorrect."));
    assert!(wrong.contains("value=\"admin@gcu.edu\""), "the email is kept");
    assert!(!wrong.contains("not the password"), "the password is never echoed");

    client.cookies.insert("qobe_session".into(), "attacker-chosen-value".into());
    let ok = login(&mut client, "ADMIN@gcu.edu", PASSWORD).await;
    assert_eq!(ok.location(), Some("/"));
    let session = client.cookies.get("qobe_session").cloned().unwrap();
    assert_ne!(session, "attacker-chosen-value", "a fresh session id is issued at sign-in");
    let cookie = ok.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no Secure flag without TLS");
    assert_eq!(client.get("/").await.status, 200);

    let signed_out = client.submit("/", "/logout", &[]).await;
    assert_eq!(signed_out.location(), Some("/login"));
    // The old cookie no longer opens anything.
    let mut replay = t.client();
    replay.cookies.insert("qobe_session".into(), session);
    assert_eq!(replay.get("/profile").await.location(), Some("/login?next=%2Fprofile"));
}

#[tokio::test]
async fn repeated_failures_slow_that_address_and_network_without_locking_the_owner_out() {
    let t = TestApp::new().await;
    school(&t).await;
    let mut attacker = t.client();
    for _ in 0..5 {
        assert_eq!(login(&mut attacker, "admin@gcu.edu", "wrong password!").await.status, 422);
    }
    let throttled = login(&mut attacker, "admin@gcu.edu", PASSWORD).await;
    assert_eq!(throttled.status, 429, "even the right password is refused from this network for now");
    assert!(
        throttled.contains("Too many failed sign-ins for this address from your network. Try again in 15 minutes"),
        "{}",
        throttled.text
    );
    // The owner, elsewhere, signs in as usual: the attacker locked no one out.
    let mut owner = t.client_from([198, 51, 100, 7]);
    assert_eq!(login(&mut owner, "admin@gcu.edu", PASSWORD).await.location(), Some("/"));
    t.clock.advance(Duration::minutes(16));
    assert_eq!(login(&mut attacker, "admin@gcu.edu", PASSWORD).await.location(), Some("/"));
}

#[tokio::test]
async fn too_many_failures_from_one_address_are_rate_limited() {
    let t = TestApp::with(|config, _| config.ip_failure_limit = 3).await;
    let mut client = t.client();
    for i in 0..3 {
        assert_eq!(login(&mut client, &format!("nobody{i}@x.edu"), "whatever password").await.status, 422);
    }
    assert_eq!(login(&mut client, "nobody@x.edu", "whatever password").await.status, 429);
    t.clock.advance(Duration::minutes(16));
    assert_eq!(login(&mut client, "nobody@x.edu", "whatever password").await.status, 422);
}

#[tokio::test]
async fn password_reset_links_work_once_and_expire() {
    let t = TestApp::new().await;
    let (_, mut admin) = school(&t).await;
    let mut anon = t.client();
    let asked = anon.submit("/password/forgot", "/password/forgot", &[("email", "admin@gcu.edu")]).await;
    assert!(asked.contains("Check your email"));
    // Unknown addresses get the same answer and no email.
    let before = t.emails().await.len();
    let unknown = anon.submit("/password/forgot", "/password/forgot", &[("email", "ghost@gcu.edu")]).await;
    let shown = |page: &str| crate::support::html::text(page, "main").unwrap_or_default();
    assert!(
        shown(&asked.text).starts_with("Check your email If an account uses that address"),
        "{}",
        shown(&asked.text)
    );
    assert_eq!(shown(&unknown.text), shown(&asked.text), "the same answer");
    assert_eq!(t.emails().await.len(), before, "and no email");

    let link = t.link_in_last_email("admin@gcu.edu").await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let new_password = "a brand new passphrase";
    let mismatch = anon
        .submit(
            &link,
            "/password/reset",
            &[("token", &token), ("password", new_password), ("password_confirm", "different one here")],
        )
        .await;
    assert_eq!(mismatch.status, 422);
    let done = anon
        .submit(
            &link,
            "/password/reset",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(done.location(), Some("/login"));
    // Sessions that existed before the reset are ended.
    assert_eq!(admin.get("/").await.status, 303);
    // The link is spent.
    assert_eq!(anon.get(&link).await.status, 422);
    assert_eq!(login(&mut anon, "admin@gcu.edu", new_password).await.location(), Some("/"));

    // A fresh link expires after an hour.
    anon.submit("/password/forgot", "/password/forgot", &[("email", "admin@gcu.edu")]).await;
    let late = t.link_in_last_email("admin@gcu.edu").await;
    t.clock.advance(Duration::minutes(61));
    let expired = anon.get(&late).await;
    assert_eq!(expired.status, 422);
    assert!(expired.contains("expired"));
}

#[tokio::test]
async fn changing_email_takes_effect_only_after_confirmation() {
    let t = TestApp::new().await;
    let (_, mut admin) = school(&t).await;
    let wrong = admin
        .submit("/profile", "/profile/email", &[("new_email", "boss@gcu.edu"), ("password", "not my password")])
        .await;
    assert_eq!(wrong.status, 422);
    let asked =
        admin.submit("/profile", "/profile/email", &[("new_email", "boss@gcu.edu"), ("password", PASSWORD)]).await;
    assert_eq!(asked.status, 303);
    assert!(admin.get("/profile").await.contains("Waiting for confirmation of boss@gcu.edu"));
    let link = t.link_in_last_email("boss@gcu.edu").await;
    assert!(admin.get(&link).await.contains("boss@gcu.edu"));
    let mut fresh = t.client();
    assert_eq!(login(&mut fresh, "boss@gcu.edu", PASSWORD).await.location(), Some("/"));
    assert_eq!(login(&mut t.client(), "admin@gcu.edu", PASSWORD).await.status, 422);
}

/// Reads the TOTP secret shown on the setup page.
fn secret_on(page: &str) -> String {
    let start =
        page.find("id=\"totp-secret\" class=\"secret\">").unwrap() + "id=\"totp-secret\" class=\"secret\">".len();
    page[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn two_factor_sign_in_asks_for_a_code() {
    let t = TestApp::new().await;
    let (_, mut admin) = school(&t).await;
    let setup = admin.submit("/security/two-factor", "/security/two-factor/start", &[("password", PASSWORD)]).await;
    let secret = secret_on(&setup.text);
    let bad = admin.submit("/security/two-factor", "/security/two-factor/confirm", &[("code", "000000")]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(secret_on(&bad.text), secret, "the same secret is shown again after a wrong code");
    let code = qobe_app::accounts::two_factor::current_code(&t.app, &secret).unwrap();
    let ok = admin.submit("/security/two-factor", "/security/two-factor/confirm", &[("code", &code)]).await;
    assert_eq!(ok.location(), Some("/security"));

    let mut client = t.client();
    let first = login(&mut client, "admin@gcu.edu", PASSWORD).await;
    assert_eq!(first.location(), Some("/login/two-factor"));
    assert_eq!(client.get("/profile").await.location(), Some("/login/two-factor"), "nothing opens before the code");
    let wrong = client.submit("/login/two-factor", "/login/two-factor", &[("code", "123456")]).await;
    assert_eq!(wrong.status, 422);
    t.clock.advance(Duration::seconds(31));
    let code = qobe_app::accounts::two_factor::current_code(&t.app, &secret).unwrap();
    let right = client.submit("/login/two-factor", "/login/two-factor", &[("code", &code)]).await;
    assert_eq!(right.location(), Some("/"));
    assert_eq!(client.get("/profile").await.status, 200);
}

#[tokio::test]
async fn institutions_can_require_two_factor_for_staff() {
    let t = TestApp::new().await;
    let (_, mut admin) = school(&t).await;
    let mut student = t.invite(&mut admin, "sara@gcu.edu", "student").await;
    let saved = admin
        .submit("/admin/settings", "/admin/settings", &[("name", "University gcu"), ("require_staff_2fa", "on")])
        .await;
    assert_eq!(saved.status, 303);
    // Staff are sent to set it up; students are not.
    assert_eq!(admin.get("/admin/users").await.location(), Some("/security/two-factor"));
    assert_eq!(admin.get("/security/two-factor").await.status, 200);
    assert_eq!(student.get("/profile").await.status, 200);
}
