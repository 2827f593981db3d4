//! Several app instances on one database, and concurrent requests racing for the last seat.

use crate::support::TestApp;

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_another() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "lb", "").await;
    let first = admin.router.clone();
    admin.router = t.second_instance().await;
    assert_eq!(admin.get("/admin/users").await.status, 200, "the session is found by the other instance");
    // A form shown by one instance can be posted to the other (the CSRF token is in the database).
    let token = admin.get("/profile").await.csrf().unwrap();
    admin.router = first;
    let saved = admin
        .post_raw(
            "/profile",
            &[("name", "Load Balanced"), ("language", "en"), ("time_zone", "UTC"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(saved.status, 303);
    // Signing out on one ends the session on both.
    admin.submit("/", "/logout", &[]).await;
    admin.router = t.second_instance().await;
    assert_eq!(admin.get("/admin/users").await.status, 303);
}

#[tokio::test]
async fn concurrent_invitations_never_exceed_the_seat_limit() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "race", "3").await;
    let created = admin.submit("/security", "/security/tokens", &[("name", "race"), ("valid_days", "")]).await;
    let secret = created.text.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let second = t.second_instance().await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let mut client = t.client();
        if i % 2 == 1 {
            client.router = second.clone();
        }
        let secret = secret.clone();
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({ "email": format!("racer{i}@race.edu"), "name": format!("Racer {i}"), "role": "student" });
            client.api("POST", "/api/v1/invitations", &secret, Some(body)).await.status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(created, 2, "exactly the two free seats are taken: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "the others are told the plan is full: {statuses:?}");
    let institution = qobe_store::tenancy::by_slug(t.app.store.conn(), "race").await.unwrap().unwrap();
    let used = qobe_store::accounts::count_seats(t.app.store.conn(), qobe_domain::ids::InstitutionId(institution.id))
        .await
        .unwrap();
    assert_eq!(used, 3);
}
