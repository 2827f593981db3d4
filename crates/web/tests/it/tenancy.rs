//! Institutions: created by the operator with an invited admin, or by public sign-up.

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn operator_creates_an_institution_and_its_admin_joins_by_email() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "nust", "").await;
    let dashboard = admin.get("/").await;
    assert_eq!(dashboard.status, 200);
    // Standard plan default seats apply when none are given.
    assert_eq!(crate::support::html::text(&dashboard.text, "seats").as_deref(), Some("standard: 1 of 5000 seats used"));

    // The operator sees the institution and its usage, but not its people.
    let console = operator.get("/operator").await;
    let row = crate::support::html::row_with(&console.text, "institutions", "University nust").expect("listed");
    assert_eq!(row[1], "nust");
    assert!(!console.contains("admin@nust.edu"));
    assert_eq!(operator.get("/admin/users").await.status, 403);
    let token_less = operator.get("/api/v1/users").await;
    assert_eq!(token_less.status, 403);
}

#[tokio::test]
async fn duplicate_short_names_are_refused_with_the_field_named() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    t.institution(&mut operator, "uet", "10").await;
    let again = operator
        .submit(
            "/operator",
            "/operator/institutions",
            &[
                ("name", "Other"),
                ("slug", "uet"),
                ("plan", "trial"),
                ("seat_limit", ""),
                ("admin_name", "X"),
                ("admin_email", "x@uet2.edu"),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.contains("That short name is taken"));
    assert!(again.contains("value=\"Other\""), "typed values are kept");
}

#[tokio::test]
async fn public_sign_up_creates_a_trial_institution_and_asks_to_verify_email() {
    let t = TestApp::new().await;
    let mut client = t.client();
    let response = client
        .submit(
            "/signup",
            "/signup",
            &[
                ("institution_name", "Riverside College"),
                ("slug", "riverside"),
                ("name", "Rita Registrar"),
                ("email", "rita@riverside.edu"),
                ("password", PASSWORD),
                ("accept_terms", "on"),
            ],
        )
        .await;
    assert_eq!(response.location(), Some("/"));
    let dashboard = client.get("/").await;
    assert!(dashboard.contains("Please verify your email address"));
    assert!(dashboard.contains("of 50 seats used"), "trial plan seats");

    let first = t.link_in_last_email("rita@riverside.edu").await;
    assert!(first.starts_with("/email/verify?token="));
    // Asked again, a new link comes.
    let resent = client.submit("/", "/email/resend-verification", &[]).await;
    assert_eq!(resent.location(), Some("/"));
    let link = t.link_in_last_email("rita@riverside.edu").await;
    assert!(link.starts_with("/email/verify?token=") && link != first, "{link}");
    assert_eq!(client.get(&link).await.status, 200);
    // Once verified, there is nothing to resend.
    assert_eq!(client.submit("/", "/email/resend-verification", &[]).await.status, 409);
    assert!(!client.get("/").await.contains("Please verify your email address"));
    // The link works once.
    assert_eq!(client.get(&link).await.status, 422);
}

#[tokio::test]
async fn sign_up_can_be_switched_off() {
    let t = TestApp::with(|config, _| config.public_signup = false).await;
    let mut client = t.client();
    assert_eq!(client.get("/signup").await.status, 404);
    let token = client.get("/login").await.csrf().unwrap();
    let post = client
        .post_raw(
            "/signup",
            &[
                ("institution_name", "X"),
                ("slug", "xx"),
                ("name", "X"),
                ("email", "x@x.edu"),
                ("password", PASSWORD),
                ("accept_terms", "on"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(post.status, 403);
}

#[tokio::test]
async fn sign_up_requires_accepting_the_terms_and_records_consent() {
    let t = TestApp::new().await;
    let mut client = t.client();
    let refused = client
        .submit(
            "/signup",
            "/signup",
            &[
                ("institution_name", "Hill College"),
                ("slug", "hill"),
                ("name", "Hana"),
                ("email", "hana@hill.edu"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("accept the terms"));
    let accepted = client
        .submit(
            "/signup",
            "/signup",
            &[
                ("institution_name", "Hill College"),
                ("slug", "hill"),
                ("name", "Hana"),
                ("email", "hana@hill.edu"),
                ("password", PASSWORD),
                ("accept_terms", "on"),
            ],
        )
        .await;
    assert_eq!(accepted.status, 303);
    let user = t.user_id("hill", "hana@hill.edu").await;
    let institution = qobe_store::tenancy::by_slug(t.app.store.conn(), "hill").await.unwrap().unwrap();
    let consents = qobe_store::consents::for_user(
        t.app.store.conn(),
        Some(qobe_domain::ids::InstitutionId(institution.id)),
        qobe_domain::ids::UserId(user),
    )
    .await
    .unwrap();
    let kinds: Vec<(&str, &str)> = consents.iter().map(|c| (c.kind.as_str(), c.version.as_str())).collect();
    assert!(kinds.contains(&("terms", qobe_app::legal::TERMS_VERSION)));
    assert!(kinds.contains(&("privacy", qobe_app::legal::PRIVACY_VERSION)));
}
