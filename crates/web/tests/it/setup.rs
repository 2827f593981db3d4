//! First run: the setup link creates the platform operator once.

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn setup_link_creates_the_operator_once() {
    let t = TestApp::new().await;
    let link = qobe_app::setup::setup_link(&t.app).await.unwrap().expect("a link while no operator exists");
    let path = link.trim_start_matches("http://qobe.test").to_owned();
    let token = path.split("token=").nth(1).unwrap().to_owned();

    let mut client = t.client();
    let page = client.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(crate::support::html::h1(&page.text).as_deref(), Some("Set up QOBE"));
    assert!(page.contains(&format!("name=\"token\" value=\"{token}\"")), "the form carries the link's token");

    // A weak password is refused with the field named, and the typed email is kept.
    let weak = client
        .submit(
            &path,
            "/setup",
            &[
                ("token", &token),
                ("name", "Op"),
                ("email", "op@qobe.test"),
                ("password", "password123"),
                ("password_confirm", "password123"),
                ("accept_terms", "on"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.contains("most common passwords"));
    assert!(weak.contains("value=\"op@qobe.test\""));

    let ok = client
        .submit(
            &path,
            "/setup",
            &[
                ("token", &token),
                ("name", "Op"),
                ("email", "op@qobe.test"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("accept_terms", "on"),
            ],
        )
        .await;
    assert_eq!(ok.location(), Some("/operator"));
    assert_eq!(client.get("/operator").await.status, 200);

    // The link is spent, and no new link is issued once an operator exists.
    let again = t.client().get(&path).await;
    assert_eq!(again.status, 422);
    assert!(qobe_app::setup::setup_link(&t.app).await.unwrap().is_none());
}

#[tokio::test]
async fn a_newer_setup_link_replaces_the_older_one() {
    let t = TestApp::new().await;
    let first = qobe_app::setup::setup_link(&t.app).await.unwrap().unwrap();
    let second = qobe_app::setup::setup_link(&t.app).await.unwrap().unwrap();
    assert_ne!(first, second);
    assert_eq!(t.client().get(first.trim_start_matches("http://qobe.test")).await.status, 422);
    assert_eq!(t.client().get(second.trim_start_matches("http://qobe.test")).await.status, 200);
}
