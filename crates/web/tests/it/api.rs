//! The JSON API: token authentication, errors as JSON, and the OpenAPI document.

use crate::support::TestApp;

#[tokio::test]
async fn api_tokens_authenticate_and_can_be_revoked() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "api", "").await;
    let created = admin.submit("/security", "/security/tokens", &[("name", "sync script"), ("valid_days", "30")]).await;
    assert_eq!(created.status, 200);
    let secret = created.text.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(secret.starts_with("qobe_"));

    let mut client = t.client();
    let me = client.api("GET", "/api/v1/me", &secret, None).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["email"], "admin@api.edu");
    assert_eq!(me.json()["roles"][0]["role"], "institution_admin");
    let inst = client.api("GET", "/api/v1/institution", &secret, None).await.json();
    assert_eq!(inst["slug"], "api");
    assert_eq!(inst["seats_used"], 1);

    // A write through the API needs no CSRF token: the bearer token is not a cookie.
    let invited = client
        .api(
            "POST",
            "/api/v1/invitations",
            &secret,
            Some(serde_json::json!({ "email": "new@api.edu", "name": "New Person", "role": "student" })),
        )
        .await;
    assert_eq!(invited.status, 201, "{}", invited.text);
    assert_eq!(invited.json()["status"], "invited");
    let bad = client
        .api(
            "POST",
            "/api/v1/invitations",
            &secret,
            Some(serde_json::json!({ "email": "nope", "name": "", "role": "student" })),
        )
        .await;
    assert_eq!(bad.status, 422);
    let errors = bad.json();
    assert_eq!(errors["code"], "invalid_input");
    let fields: Vec<String> =
        errors["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
    assert_eq!(fields, vec!["email", "name"]);

    let list = client.api("GET", "/api/v1/users?sort=email", &secret, None).await.json();
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["email"], "admin@api.edu");

    assert_eq!(client.api("GET", "/api/v1/me", "qobe_not_a_token", None).await.status, 401);
    let token_id = qobe_store::api_tokens::for_user(
        t.app.store.conn(),
        qobe_domain::ids::InstitutionId(1),
        qobe_domain::ids::UserId(t.user_id("api", "admin@api.edu").await),
    )
    .await
    .unwrap()[0]
        .id;
    admin.submit("/security", &format!("/security/tokens/{token_id}/revoke"), &[]).await;
    let revoked = client.api("GET", "/api/v1/me", &secret, None).await;
    assert_eq!(revoked.status, 401);
    assert_eq!(revoked.json()["code"], "unauthenticated");
}

#[tokio::test]
async fn expired_api_tokens_stop_working() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "exp", "").await;
    let created = admin.submit("/security", "/security/tokens", &[("name", "short"), ("valid_days", "1")]).await;
    let secret = created.text.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert_eq!(t.client().api("GET", "/api/v1/me", &secret, None).await.status, 200);
    t.clock.advance(chrono::Duration::days(2));
    assert_eq!(t.client().api("GET", "/api/v1/me", &secret, None).await.status, 401);
}

#[tokio::test]
async fn health_and_readiness() {
    let t = TestApp::new().await;
    let mut client = t.client();
    assert_eq!(client.get("/healthz").await.json()["status"], "ok");
    let ready = client.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["database"], "ok");
}

#[tokio::test]
async fn the_openapi_document_is_served_and_stable() {
    let t = TestApp::new().await;
    let served = t.client().get("/api/openapi.json").await.json();
    assert_eq!(served["info"]["title"], "QOBE API");
    assert!(served["paths"]["/api/v1/users/{id}"]["get"].is_object());
    insta::assert_snapshot!("openapi", qobe_web::openapi_json());
}

#[tokio::test]
async fn academics_and_registration_through_the_api() {
    let t = TestApp::new().await;
    let summary = qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let mut student = t.client();
    student.submit("/login", "/login", &[("email", "s000001@demo-s.edu"), ("password", summary.password)]).await;
    student.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    let created = student.submit("/security", "/security/tokens", &[("name", "api"), ("valid_days", "")]).await;
    let secret = created.text.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let mut api = t.client();

    let terms = api.api("GET", "/api/v1/terms", &secret, None).await.json();
    assert_eq!(terms.as_array().unwrap().len(), 8);
    let courses = api.api("GET", "/api/v1/courses?q=BSCE-1", &secret, None).await.json();
    assert_eq!(courses.as_array().unwrap().len(), 5, "{courses}");
    let course_id = courses[0]["id"].as_i64().unwrap();
    let course = api.api("GET", &format!("/api/v1/courses/{course_id}"), &secret, None).await.json();
    let stored = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        qobe_domain::ids::InstitutionId(1),
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(course_id),
    )
    .await
    .unwrap();
    let mut lineages: Vec<i64> = stored.iter().filter(|c| !c.retired).map(|c| c.lineage_id).collect();
    lineages.sort_unstable();
    lineages.dedup();
    assert_eq!(course["clos"].as_array().unwrap().len(), lineages.len(), "each CLO once: {course}");
    let level = course["clos"][0]["taxonomy_level"].as_str().unwrap_or_default();
    assert!(
        level.len() == 2 && ["C", "P", "A"].iter().any(|d| level.starts_with(d)),
        "a Bloom/Simpson/Krathwohl level: {course}"
    );

    let mine = api.api("GET", "/api/v1/registrations", &secret, None).await.json();
    let enrolled = mine.as_array().unwrap();
    assert_eq!(enrolled.len(), 5, "the current term's five courses: {mine}");
    let offering = enrolled[0]["offering_id"].as_i64().unwrap();
    let again =
        api.api("POST", "/api/v1/registrations", &secret, Some(serde_json::json!({ "offering_id": offering }))).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.json()["code"], "refused");
    assert!(again.json()["message"].as_str().unwrap().contains("already have a registration"));
    let dropped = api.api("POST", &format!("/api/v1/registrations/{offering}/drop"), &secret, None).await;
    assert_eq!(dropped.status, 200, "{}", dropped.text);
    // Dropped while add/drop is open; after it, a withdrawal.
    let offering_row = qobe_store::academics::offerings::get(
        t.app.store.conn(),
        qobe_domain::ids::InstitutionId(1),
        qobe_domain::ids::OfferingId(offering),
    )
    .await
    .unwrap()
    .unwrap();
    let term = qobe_store::academics::terms::get(
        t.app.store.conn(),
        qobe_domain::ids::InstitutionId(1),
        qobe_domain::ids::TermId(offering_row.term_id),
    )
    .await
    .unwrap()
    .unwrap();
    let expected = if t.app.now() < term.add_drop_closes_at { "dropped" } else { "withdrawn" };
    assert_eq!(dropped.json()["status"], expected);

    let program =
        qobe_store::structure::programs(t.app.store.conn(), qobe_domain::ids::InstitutionId(1)).await.unwrap()[0].id;
    let matrix = api.api("GET", &format!("/api/v1/programs/{program}/matrix"), &secret, None).await.json();
    assert_eq!(matrix["plos"].as_array().unwrap().len(), 11, "WA 2021 has eleven attributes");
    assert_eq!(matrix["courses"].as_array().unwrap().len(), 40);
    assert_eq!(api.api("GET", "/api/v1/courses/999999", &secret, None).await.status, 404);
}

#[tokio::test]
async fn the_login_history_api_lists_ones_own_sign_ins_only() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "lh", "").await;
    let mut student = t.invite(&mut admin, "s@lh.edu", "student").await;
    t.client().submit("/login", "/login", &[("email", "s@lh.edu"), ("password", "wrong wrong wrong")]).await;
    t.sign_in("s@lh.edu").await;
    let token = student.api_token().await;
    let history = t.client().api("GET", "/api/v1/login-history", &token, None).await;
    assert_eq!(history.status, 200, "{}", history.text);
    let entries = history.json();
    let seen: Vec<(String, bool, String)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["email"].as_str().unwrap().to_owned(),
                e["success"].as_bool().unwrap(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(seen.iter().all(|(email, _, _)| email == "s@lh.edu"), "only the caller's: {seen:?}");
    assert_eq!(
        seen.iter().filter(|(_, ok, _)| !ok).map(|(_, _, o)| o.as_str()).collect::<Vec<_>>(),
        ["wrong_password"]
    );
    assert_eq!(seen.iter().filter(|(_, ok, _)| *ok).count(), 1, "one sign-in with the password: {seen:?}");
}
