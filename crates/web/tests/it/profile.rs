//! One's own profile: details with validation, picture upload, sessions.

use crate::support::TestApp;

#[tokio::test]
async fn profile_edits_are_validated_and_kept_on_error() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "prof", "").await;
    let bad = admin
        .submit(
            "/profile",
            "/profile",
            &[
                ("name", "Ayesha Khan"),
                ("organisation", "Registrar's office"),
                ("address", "Main campus"),
                ("language", "ur"),
                ("time_zone", "Mars/Olympus"),
                ("reminders", "on"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("is not a known time zone"));
    assert!(bad.contains("value=\"Ayesha Khan\""));
    assert!(
        bad.contains("value=\"Registrar&#x27;s office\"") || bad.contains("value=\"Registrar&#39;s office\""),
        "typed values kept"
    );

    let ok = admin
        .submit(
            "/profile",
            "/profile",
            &[
                ("name", "Ayesha Khan"),
                ("organisation", ""),
                ("address", ""),
                ("language", "ur"),
                ("time_zone", "Asia/Karachi"),
                ("newsletters", "on"),
            ],
        )
        .await;
    assert_eq!(ok.location(), Some("/profile"));
    let shown = admin.get("/profile").await;
    assert!(shown.contains("Your profile has been saved."));
    assert!(shown.contains("value=\"Asia/Karachi\""));
    assert!(shown.contains("name=\"newsletters\" checked"));
    assert!(!shown.contains("name=\"reminders\" checked"));
    // Times are shown in the chosen zone.
    let sessions = crate::support::html::rows(&admin.get("/security").await.text, "sessions");
    assert!(sessions[0][0].ends_with("PKT"), "{sessions:?}");
}

#[tokio::test]
async fn pictures_are_checked_and_stored_as_small_squares() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "pic", "").await;
    let not_image = admin.upload("/profile", "/profile/picture", "image", "x.png", b"this is not a picture").await;
    assert_eq!(not_image.status, 422);
    assert!(not_image.contains("must be a PNG or JPEG picture"));
    let png = crate::isolation::tiny_png();
    assert_eq!(admin.upload("/profile", "/profile/picture", "image", "me.png", &png).await.status, 303);
    let id = t.user_id("pic", "admin@pic.edu").await;
    let stored_picture = || async {
        let user = qobe_store::accounts::get(
            t.app.store.conn(),
            Some(qobe_domain::ids::InstitutionId(1)),
            qobe_domain::ids::UserId(id),
        )
        .await
        .unwrap()
        .unwrap();
        t.stored_bytes(user.picture_file_id?).await
    };
    let served = admin.get(&format!("/users/{id}/picture")).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.headers.get("content-type").unwrap(), "image/png");
    let stored = image::load_from_memory(&stored_picture().await.unwrap()).unwrap();
    assert_eq!((stored.width(), stored.height()), (256, 256));

    let key = t.stored_keys().await.pop().unwrap();
    assert!(t.app.files.exists(&key).await.unwrap());

    // Removed, the picture is gone for everyone.
    let removed = admin.submit("/profile", "/profile/picture/remove", &[]).await;
    assert_eq!((removed.status, removed.location()), (303, Some("/profile")));
    assert_eq!(admin.get(&format!("/users/{id}/picture")).await.status, 404);
    assert!(stored_picture().await.is_none());
    // Its bytes leave the file store once the removal has committed.
    assert!(t.app.files.exists(&key).await.unwrap(), "kept until the job runs");
    assert!(t.run_jobs().await.iter().any(|(_, kind, _)| *kind == qobe_app::jobs::Kind::DeleteFile));
    assert_eq!(t.stored_keys().await, Vec::<String>::new());
    assert!(!t.app.files.exists(&key).await.unwrap());
}

#[tokio::test]
async fn people_see_and_end_their_other_sessions() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "sess", "").await;
    let mut phone = t.client();
    phone.user_agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1".into();
    phone.submit("/login", "/login", &[("email", "admin@sess.edu"), ("password", crate::support::PASSWORD)]).await;
    let security = admin.get("/security").await;
    let sessions = crate::support::html::rows(&security.text, "sessions");
    let ends: Vec<&str> = sessions.iter().map(|row| row[3].as_str()).collect();
    assert_eq!(ends, ["this device", "Sign out"], "this session and the phone's, which can be ended");
    let newest = &crate::support::html::rows(&security.text, "my-logins")[0];
    assert_eq!((newest[1].as_str(), newest[5].as_str()), ("signed in", "smartphone"), "login history names the device");
    let ended = admin.submit("/security", "/security/sessions/revoke-others", &[]).await;
    assert_eq!(ended.status, 303);
    assert_eq!(phone.get("/profile").await.status, 303);
    assert_eq!(admin.get("/profile").await.status, 200);
    assert_eq!(crate::support::html::rows(&admin.get("/security").await.text, "sessions").len(), 1);
}
