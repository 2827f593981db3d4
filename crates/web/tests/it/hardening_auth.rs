//! What an outside review found in signing in, and stays fixed: the `next` redirect, two-factor
//! changes that need the password and the current code, codes used once, the page gates on the
//! API for cookie and token callers, suspension and deactivation ending sessions and tokens, and
//! rate limits on every password check and on reset and sign-up requests.

use chrono::Duration;
use qobe_domain::ids::{InstitutionId, UserId};

use crate::support::{Client, PASSWORD, TestApp};

async fn login(client: &mut Client, email: &str, password: &str) -> crate::support::Response {
    client.submit("/login", "/login", &[("email", email), ("password", password)]).await
}

/// Opens the sign-in page from a link carrying `next` and signs in; the form sends `next` back.
async fn login_to(client: &mut Client, next: &str) -> crate::support::Response {
    let page = format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
    let shown = client.get(&page).await;
    assert_eq!(shown.status, 200, "the sign-in page opens for next={next:?}: {}", shown.text);
    let token = shown.csrf().unwrap();
    client
        .post_raw(
            "/login",
            &[("email", "admin@gcu.edu"), ("password", PASSWORD), ("next", next), ("csrf_token", &token)],
        )
        .await
}

#[tokio::test]
async fn after_sign_in_only_paths_of_this_site_are_followed() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    t.institution(&mut operator, "gcu", "").await;
    for (next, expected) in [
        ("/admin/users?page=2", "/admin/users?page=2"),
        ("/\t/evil.example", "/"),
        ("/\t\t/evil.example/x", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\u{1}x", "/"),
        ("/\u{7f}", "/"),
    ] {
        let mut client = t.client();
        let signed = login_to(&mut client, next).await;
        assert_eq!(signed.status, 303, "next={next:?}: {}", signed.text);
        assert_eq!(signed.location(), Some(expected), "next={next:?}");
        // Already signed in, the sign-in page forwards to the same safe place.
        let page = format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
        assert_eq!(client.get(&page).await.location(), Some(expected), "next={next:?} when signed in");
    }
}

/// Reads the TOTP secret shown on the setup page.
fn secret_on(page: &str) -> String {
    let marker = "id=\"totp-secret\" class=\"secret\">";
    page.split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no secret on the page: {page}"))
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

async fn audit_actions(t: &TestApp, slug: &str) -> Vec<String> {
    let conn = t.app.store.conn();
    let institution = qobe_store::tenancy::by_slug(conn, slug).await.unwrap().unwrap();
    qobe_store::logs::audit(conn, Some(InstitutionId(institution.id)), None, 1, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// Turns two-factor on for a signed-in client; returns the secret.
async fn enable_two_factor(t: &TestApp, client: &mut Client) -> String {
    let setup = client.submit("/security/two-factor", "/security/two-factor/start", &[("password", PASSWORD)]).await;
    let secret = secret_on(&setup.text);
    let code = qobe_app::accounts::two_factor::current_code(&t.app, &secret).unwrap();
    let on = client.submit("/security/two-factor", "/security/two-factor/confirm", &[("code", &code)]).await;
    assert_eq!(on.location(), Some("/security"), "{}", on.text);
    secret
}

#[tokio::test]
async fn two_factor_is_changed_only_with_the_password_and_the_current_code() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "gcu", "").await;
    let no_password = admin.submit("/security/two-factor", "/security/two-factor/start", &[("password", "")]).await;
    assert_eq!(no_password.status, 422);
    assert!(!no_password.contains("id=\"totp-secret\""), "no secret without the password");
    let secret = enable_two_factor(&t, &mut admin).await;
    t.clock.advance(Duration::seconds(31));

    // Starting setup again with the password only is refused, and two-factor stays on.
    let without_code =
        admin.submit("/security/two-factor", "/security/two-factor/start", &[("password", PASSWORD)]).await;
    assert_eq!(without_code.status, 422);
    assert!(without_code.contains("That code is not right."), "{}", without_code.text);
    let account = stored_row(&t, &admin_actor(&t, "gcu").await).await;
    assert!(account.totp_enabled_at.is_some(), "still on");
    assert_eq!(account.totp_secret.as_deref(), Some(secret.as_str()), "the secret in use is untouched");

    // With both, a new secret is set up; until it is confirmed, the old one keeps working.
    let code = qobe_app::accounts::two_factor::current_code(&t.app, &secret).unwrap();
    let again = admin
        .submit(
            "/security/two-factor",
            "/security/two-factor/start",
            &[("password", PASSWORD), ("current_code", &code)],
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    let new_secret = secret_on(&again.text);
    assert_ne!(new_secret, secret);
    let account = stored_row(&t, &admin_actor(&t, "gcu").await).await;
    assert_eq!(account.totp_secret.as_deref(), Some(secret.as_str()), "the old secret stays until confirmed");

    // Turning it off needs the password and a code too.
    t.clock.advance(Duration::seconds(31));
    let wrong_password = admin
        .submit(
            "/security",
            "/security/two-factor/disable",
            &[("password", "nope nope nope"), ("current_code", "000000")],
        )
        .await;
    assert_eq!(wrong_password.status, 422);
    let no_code = admin.submit("/security", "/security/two-factor/disable", &[("password", PASSWORD)]).await;
    assert_eq!(no_code.status, 422);
    let code = qobe_app::accounts::two_factor::current_code(&t.app, &secret).unwrap();
    let off = admin
        .submit("/security", "/security/two-factor/disable", &[("password", PASSWORD), ("current_code", &code)])
        .await;
    assert_eq!(off.location(), Some("/security"), "{}", off.text);
    let actions = audit_actions(&t, "gcu").await;
    for action in ["account.two_factor_enabled", "account.two_factor_setup_started", "account.two_factor_disabled"] {
        assert!(actions.iter().any(|a| a == action), "{action} is audited: {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| *a == "account.two_factor_setup_started").count(), 2);
}

async fn admin_actor(t: &TestApp, slug: &str) -> qobe_app::Actor {
    let user = t.user_id(slug, &format!("admin@{slug}.edu")).await;
    let institution = qobe_store::tenancy::by_slug(t.app.store.conn(), slug).await.unwrap().unwrap();
    TestApp::admin_actor(institution.id, user, &format!("admin@{slug}.edu"))
}

#[tokio::test]
async fn a_code_works_once() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "gcu", "").await;
    let secret = enable_two_factor(&t, &mut admin).await;
    t.clock.advance(Duration::seconds(31));
    let code = qobe_app::accounts::two_factor::current_code(&t.app, &secret).unwrap();
    let mut first = t.client();
    assert_eq!(login(&mut first, "admin@gcu.edu", PASSWORD).await.location(), Some("/login/two-factor"));
    let used = first.submit("/login/two-factor", "/login/two-factor", &[("code", &code)]).await;
    assert_eq!(used.location(), Some("/"));
    // Someone who watched the code being typed cannot use it again within its window.
    let mut replay = t.client_from([198, 51, 100, 9]);
    assert_eq!(login(&mut replay, "admin@gcu.edu", PASSWORD).await.location(), Some("/login/two-factor"));
    let again = replay.submit("/login/two-factor", "/login/two-factor", &[("code", &code)]).await;
    assert_eq!(again.status, 422);
    assert!(again.contains("That code has been used already."), "{}", again.text);
    assert_eq!(replay.get("/profile").await.location(), Some("/login/two-factor"));
}

#[tokio::test]
async fn the_api_keeps_the_gates_of_the_pages_for_cookie_and_token_callers() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "gcu", "").await;
    let mut instructor = t.invite(&mut admin, "ins@gcu.edu", "instructor").await;
    let mut student = t.invite(&mut admin, "stu@gcu.edu", "student").await;
    let staff_token = instructor.api_token().await;
    let student_token = student.api_token().await;
    let mut api = t.client();
    assert_eq!(api.api("GET", "/api/v1/me", &staff_token, None).await.status, 200);

    // The institution now requires two-factor for staff: a token made before the policy stops.
    let saved = admin
        .submit("/admin/settings", "/admin/settings", &[("name", "University gcu"), ("require_staff_2fa", "on")])
        .await;
    assert_eq!(saved.status, 303);
    let refused = api.api("GET", "/api/v1/me", &staff_token, None).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["code"], "two_factor_setup_required");
    let by_cookie = instructor.get("/api/v1/me").await;
    assert_eq!(by_cookie.status, 403, "the session cookie is held to the same gate");
    assert_eq!(by_cookie.json()["code"], "two_factor_setup_required");
    assert_eq!(api.api("GET", "/api/v1/me", &student_token, None).await.status, 200, "students are not staff");

    // Terms that changed since the student agreed: owed before the API answers.
    let user = t.user_id("gcu", "stu@gcu.edu").await;
    let institution = qobe_store::tenancy::by_slug(t.app.store.conn(), "gcu").await.unwrap().unwrap();
    qobe_store::consents::insert(
        t.app.store.conn(),
        qobe_store::consents::NewConsent {
            institution_id: Some(InstitutionId(institution.id)),
            user_id: UserId(user),
            kind: "terms",
            version: "0-superseded",
            granted: true,
            ip: None,
            now: t.app.now() + Duration::seconds(1),
        },
    )
    .await
    .unwrap();
    let owed = api.api("GET", "/api/v1/me", &student_token, None).await;
    assert_eq!(owed.status, 403);
    assert_eq!(owed.json()["code"], "consent_required");
    assert_eq!(student.get("/api/v1/me").await.json()["code"], "consent_required");
    assert_eq!(student.get("/profile").await.location(), Some("/consent"), "pages send them to settle it");
}

#[tokio::test]
async fn suspension_and_deactivation_end_sessions_and_tokens_for_good() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "gcu", "").await;
    let mut student = t.invite(&mut admin, "stu@gcu.edu", "student").await;
    let admin_token = admin.api_token().await;
    let student_token = student.api_token().await;
    let mut api = t.client();
    let institution = qobe_store::tenancy::by_slug(t.app.store.conn(), "gcu").await.unwrap().unwrap().id;

    // Deactivating a person revokes their tokens; reactivating them does not bring them back.
    let student_id = t.user_id("gcu", "stu@gcu.edu").await;
    let page = format!("/admin/users/{student_id}");
    assert_eq!(admin.submit(&page, &format!("{page}/deactivate"), &[]).await.status, 303);
    assert_eq!(api.api("GET", "/api/v1/me", &student_token, None).await.status, 401);
    assert_eq!(student.get("/profile").await.location(), Some("/login?next=%2Fprofile"));
    assert_eq!(admin.submit(&page, &format!("{page}/reactivate"), &[]).await.status, 303);
    assert_eq!(api.api("GET", "/api/v1/me", &student_token, None).await.status, 401, "still revoked");

    // Suspending the institution ends every session and token at once.
    let suspended = operator.submit("/operator", &format!("/operator/institutions/{institution}/suspend"), &[]).await;
    assert_eq!(suspended.status, 303, "{}", suspended.text);
    assert_eq!(admin.get("/admin/users").await.location(), Some("/login?next=%2Fadmin%2Fusers"));
    assert_eq!(api.api("GET", "/api/v1/me", &admin_token, None).await.status, 401);
    assert_eq!(login(&mut t.client(), "admin@gcu.edu", PASSWORD).await.status, 422, "no sign-in while suspended");
    let listed = operator.get("/operator").await;
    assert!(listed.contains("data-status=\"suspended\""), "the operator sees it suspended");

    let reactivated =
        operator.submit("/operator", &format!("/operator/institutions/{institution}/reactivate"), &[]).await;
    assert_eq!(reactivated.status, 303);
    assert_eq!(api.api("GET", "/api/v1/me", &admin_token, None).await.status, 401, "old tokens stay revoked");
    let mut again = t.client();
    assert_eq!(login(&mut again, "admin@gcu.edu", PASSWORD).await.location(), Some("/"));
    let platform: Vec<String> = qobe_store::logs::audit(t.app.store.conn(), None, None, 1, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(platform.iter().any(|a| a == "institution.suspended"), "in the platform's audit log: {platform:?}");
    assert!(platform.iter().any(|a| a == "institution.reactivated"), "{platform:?}");
}

#[tokio::test]
async fn every_password_check_is_limited_like_sign_in() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "gcu", "").await;
    let attempts: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "/profile/password",
            vec![
                ("current_password", "guess guess 1"),
                ("new_password", "a new long passphrase"),
                ("new_password_confirm", "a new long passphrase"),
            ],
        ),
        ("/profile/email", vec![("new_email", "boss@gcu.edu"), ("password", "guess guess 2")]),
        ("/security/two-factor/start", vec![("password", "guess guess 3")]),
    ];
    // Five wrong guesses, spread over the three forms that ask for the password...
    for n in 0..5 {
        let (action, fields) = &attempts[n % 3];
        let page = if action.starts_with("/security") { "/security/two-factor" } else { "/profile" };
        let wrong = admin.submit(page, action, fields).await;
        assert_eq!(wrong.status, 422, "guess {n} at {action}: {}", wrong.text);
    }
    // ...and the next check is refused, even with the right password.
    let limited =
        admin.submit("/profile", "/profile/email", &[("new_email", "boss@gcu.edu"), ("password", PASSWORD)]).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
    assert!(limited.contains("Too many wrong passwords. Try again in 15 minutes."), "{}", limited.text);
    t.clock.advance(Duration::minutes(16));
    let allowed =
        admin.submit("/profile", "/profile/email", &[("new_email", "boss@gcu.edu"), ("password", PASSWORD)]).await;
    assert_eq!(allowed.status, 303, "{}", allowed.text);
}

#[tokio::test]
async fn locked_and_unknown_addresses_answer_alike() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    t.institution(&mut operator, "gcu", "").await;
    let mut attacker = t.client();
    let mut answers = Vec::new();
    for email in ["admin@gcu.edu", "nobody@gcu.edu"] {
        for _ in 0..5 {
            let wrong = login(&mut attacker, email, "wrong password!").await;
            assert_eq!(wrong.status, 422);
            assert!(wrong.contains("Email or password is incorrect."));
        }
        let sixth = login(&mut attacker, email, "wrong password!").await;
        answers.push((
            sixth.status,
            sixth.text.split("role=\"alert\">").nth(1).unwrap_or("").split('<').next().unwrap_or("").to_owned(),
        ));
    }
    assert_eq!(answers[0], answers[1], "an existing account and an unknown address are told the same");
    assert_eq!(answers[0].0, 429);
}

#[tokio::test]
async fn reset_and_sign_up_requests_are_limited_per_address_and_network() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    t.institution(&mut operator, "gcu", "").await;
    let mut anon = t.client();
    for _ in 0..3 {
        let asked = anon.submit("/password/forgot", "/password/forgot", &[("email", "admin@gcu.edu")]).await;
        assert!(asked.contains("Check your email"), "{}", asked.text);
    }
    let fourth = anon.submit("/password/forgot", "/password/forgot", &[("email", "admin@gcu.edu")]).await;
    assert_eq!(fourth.status, 429, "{}", fourth.text);
    let unknown = anon.submit("/password/forgot", "/password/forgot", &[("email", "ghost@gcu.edu")]).await;
    assert!(unknown.contains("Check your email"), "another address is still answered");
    assert!(
        t.emails().await.iter().all(|text| !text.contains("ghost@gcu.edu")),
        "and no email goes to an address without an account"
    );
    // Ten requests an hour from one network, whatever the addresses.
    for n in 0..5 {
        let asked = anon.submit("/password/forgot", "/password/forgot", &[("email", &format!("p{n}@gcu.edu"))]).await;
        assert_eq!(asked.status, 200, "request {n}");
    }
    let network = anon.submit("/password/forgot", "/password/forgot", &[("email", "p9@gcu.edu")]).await;
    assert_eq!(network.status, 429);
    t.clock.advance(Duration::minutes(61));
    assert_eq!(anon.submit("/password/forgot", "/password/forgot", &[("email", "p9@gcu.edu")]).await.status, 200);

    let mut visitor = t.client_from([203, 0, 113, 5]);
    for n in 0..5 {
        let signed = visitor
            .submit(
                "/signup",
                "/signup",
                &[
                    ("institution_name", &format!("Trial {n}")),
                    ("slug", &format!("trial{n}")),
                    ("name", "Tess Trial"),
                    ("email", &format!("tess{n}@trial.edu")),
                    ("password", PASSWORD),
                    ("accept_terms", "on"),
                ],
            )
            .await;
        assert_eq!(signed.status, 303, "sign-up {n}: {}", signed.text);
        visitor.cookies.remove("qobe_session");
    }
    let sixth = visitor
        .submit(
            "/signup",
            "/signup",
            &[
                ("institution_name", "Trial 6"),
                ("slug", "trial6"),
                ("name", "Tess Trial"),
                ("email", "tess6@trial.edu"),
                ("password", PASSWORD),
                ("accept_terms", "on"),
            ],
        )
        .await;
    assert_eq!(sixth.status, 429, "{}", sixth.text);
    assert!(sixth.contains("Too many sign-ups."), "{}", sixth.text);
}

/// The account's stored row, secrets and all (pages only ever see an `Account`).
async fn stored_row(t: &TestApp, actor: &qobe_app::Actor) -> qobe_store::rows::User {
    qobe_store::accounts::get(t.app.store.conn(), actor.institution_id, actor.user_id).await.unwrap().unwrap()
}
