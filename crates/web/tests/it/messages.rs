//! Messages as people use them: a student writes to their instructor and a classmate, never to
//! someone outside their classes (refused exactly as an unknown address); an administrator
//! writes to anyone; an instructor writes to the whole class; unread counts on home and in the
//! inbox; a conversation is reachable only by its members, by page and by API.

use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::class;
use crate::support::{TestApp, html};

fn conversation_of(location: &str) -> i64 {
    location.trim_start_matches("/messages/").split('#').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn people_write_to_those_they_share_a_class_with() {
    let t = TestApp::new().await;
    let mut c = class(&t, "msg").await;
    let mut outsider = t.invite(&mut c.admin, "out@msg.edu", "student").await;
    let mut s1 = t.sign_in("s1@msg.edu").await;
    let mut s2 = t.sign_in("s2@msg.edu").await;
    let mut s3 = t.sign_in("s3@msg.edu").await;

    // The form lists the class and the instructor, not the outsider.
    let compose = s1.get("/messages/new").await;
    let contacts = html::text(&compose.text, "contact-list").unwrap_or_else(|| panic!("{}", compose.text));
    assert!(
        contacts.contains("ins@msg.edu") && contacts.contains("s2@msg.edu") && contacts.contains("EE-201"),
        "{contacts}"
    );
    assert!(!contacts.contains("out@msg.edu") && !contacts.contains("s1@msg.edu"), "{contacts}");

    // Out of reach and unknown read the same; what was typed is kept.
    for address in ["out@msg.edu", "nobody@msg.edu"] {
        let refused = s1
            .submit("/messages/new", "/messages", &[("to", address), ("subject", "Hi"), ("body", "Are you in my lab?")])
            .await;
        assert_eq!(refused.status, 409, "{address}");
        let error = html::text(&refused.text, "e-to").unwrap();
        assert_eq!(error, format!("No one you may write to has the address {address}."));
        assert!(refused.contains("Are you in my lab?"));
    }

    // s2 takes no messages by email (the rest keep the default: they do).
    let conn = t.app.store.conn();
    let sql = "UPDATE users SET communication = '{\"course_announcements\":true,\"reminders\":true,\"surveys\":true,\"newsletters\":false,\"messages\":false}' WHERE email = 's2@msg.edu'";
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap();
    let sent = s1
        .submit(
            "/messages/new",
            "/messages",
            &[("to", "ins@msg.edu, S2@msg.edu"), ("subject", "Lab report"), ("body", "May we hand it in **Monday**?")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let id = conversation_of(sent.location().unwrap());
    let page = format!("/messages/{id}");
    let emails = t.emails().await;
    let about =
        |to: &str| emails.iter().filter(|e| e.contains(&format!("To: {to}")) && e.contains("Lab report")).count();
    assert_eq!(
        (about("ins@msg.edu"), about("s2@msg.edu"), about("s1@msg.edu")),
        (1, 0, 0),
        "by preference, never to oneself"
    );
    let mail = t.last_email_to("ins@msg.edu").await;
    assert!(mail.contains("May we hand it in") && mail.contains(&page), "{mail}");

    // The instructor sees one unread on home and in the inbox; reading clears it.
    let home = c.instructor.get("/").await;
    assert!(html::text(&home.text, "messages-home").unwrap().contains("1 unread"), "{}", home.text);
    let inbox = c.instructor.get("/messages").await;
    let row = html::text(&inbox.text, &format!("conversation-{id}")).unwrap();
    assert!(row.contains("Lab report") && row.contains("Unread") && row.contains("With Invited Person"), "{row}");
    let opened = c.instructor.get(&page).await;
    assert!(opened.contains("<strong>Monday</strong>") && opened.contains("New"), "{}", opened.text);
    assert!(html::text(&c.instructor.get("/").await.text, "messages-home").unwrap().contains("nothing unread"));

    // A reply is unread for the others, not for the one who wrote it.
    let replied = c.instructor.submit(&page, &page, &[("body", "Yes, Monday is fine.")]).await;
    assert_eq!(replied.status, 303, "{}", replied.text);
    assert!(html::text(&s1.get("/").await.text, "messages-home").unwrap().contains("1 unread"));
    assert!(html::text(&c.instructor.get("/").await.text, "messages-home").unwrap().contains("nothing unread"));
    assert!(s2.get(&page).await.contains("Monday is fine"));

    // Not a member: not found, here and in another institution; no reply either.
    assert_eq!(s3.get(&page).await.status, 404);
    let token = s3.get("/messages").await.csrf().unwrap();
    assert_eq!(s3.post_raw(&page, &[("body", "let me in"), ("csrf_token", &token)]).await.status, 404);
    let mut other = class(&t, "mso").await;
    assert_eq!(other.admin.get(&page).await.status, 404);
    assert!(!other.admin.get("/messages").await.contains("Lab report"));

    // A student may not write to a whole class; its instructor may.
    let token = s1.get("/messages").await.csrf().unwrap();
    let offering = c.offering.to_string();
    let tried = s1
        .post_raw("/messages", &[("offering", &offering), ("subject", "All"), ("body", "x"), ("csrf_token", &token)])
        .await;
    assert_eq!(tried.status, 403);
    let class_page = format!("/messages/new?offering={}", c.offering);
    assert_eq!(s1.get(&class_page).await.status, 403);
    let form = c.instructor.get(&class_page).await;
    assert!(form.contains("To the class of EE-201"), "{}", form.text);
    let sent = c
        .instructor
        .submit(&class_page, "/messages", &[("offering", &offering), ("subject", "Quiz moved"), ("body", "To Friday.")])
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    for student in [&mut s1, &mut s2, &mut s3] {
        assert!(student.get("/messages").await.contains("Quiz moved"));
    }
    assert!(!outsider.get("/messages").await.contains("Quiz moved"));

    // The administrator reaches anyone in the institution, found by search.
    let found = c.admin.get("/messages/new?q=out%40msg").await;
    assert!(html::text(&found.text, "contact-list").unwrap().contains("out@msg.edu"), "{}", found.text);
    let sent = c
        .admin
        .submit("/messages/new", "/messages", &[("to", "out@msg.edu"), ("subject", "Welcome"), ("body", "Hello.")])
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    assert!(outsider.get("/messages").await.contains("Welcome"));
    // …but not into another institution.
    let refused =
        c.admin.submit("/messages/new", "/messages", &[("to", "s1@mso.edu"), ("subject", "Hi"), ("body", "x")]).await;
    assert_eq!(refused.status, 409);
}

#[tokio::test]
async fn the_api_sends_lists_and_counts_messages_under_the_same_rules() {
    let t = TestApp::new().await;
    let mut c = class(&t, "map").await;
    t.invite(&mut c.admin, "out@map.edu", "student").await;
    let mut s1 = t.sign_in("s1@map.edu").await;
    let learner = s1.api_token().await;
    let staff = c.instructor.api_token().await;
    let refused = s1
        .api(
            "POST",
            "/api/v1/messages",
            &learner,
            Some(serde_json::json!({"to": "out@map.edu", "subject": "Hi", "body": "x"})),
        )
        .await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.json()["fields"][0]["field"], "to");
    let sent = s1
        .api(
            "POST",
            "/api/v1/messages",
            &learner,
            Some(serde_json::json!({"to": "ins@map.edu", "subject": "Office hours", "body": "When are they?"})),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let id = sent.json()["id"].as_i64().unwrap();
    let inbox = c.instructor.api("GET", "/api/v1/messages", &staff, None).await.json();
    assert_eq!(inbox["unread"], 1);
    assert_eq!(inbox["conversations"][0]["subject"], "Office hours");
    let opened = c.instructor.api("GET", &format!("/api/v1/messages/{id}"), &staff, None).await.json();
    assert_eq!(opened["messages"][0]["body"], "When are they?");
    assert_eq!(opened["messages"][0]["new"], true);
    let replied = c
        .instructor
        .api("POST", &format!("/api/v1/messages/{id}"), &staff, Some(serde_json::json!({"body": "Tuesdays at 2."})))
        .await;
    assert_eq!(replied.status, 201);
    assert_eq!(c.instructor.api("GET", "/api/v1/messages", &staff, None).await.json()["unread"], 0);
    assert_eq!(s1.api("GET", "/api/v1/messages", &learner, None).await.json()["unread"], 1);
    let mut other = class(&t, "mao").await;
    let foreign = other.admin.api_token().await;
    assert_eq!(other.admin.api("GET", &format!("/api/v1/messages/{id}"), &foreign, None).await.status, 404);
}
