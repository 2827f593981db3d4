//! Announcements as people use them: an instructor announces to the class, which reads it on
//! the course and on home (marked new until read) and gets it by email unless they turned course
//! announcements off; an admin announces to the whole institution; students post nothing;
//! outsiders and other institutions reach nothing.

use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::class;
use crate::support::{TestApp, html};

fn emails_to<'a>(emails: &'a [String], to: &str) -> Vec<&'a String> {
    emails.iter().filter(|text| text.lines().any(|l| l.to_lowercase().starts_with("to:") && l.contains(to))).collect()
}

#[tokio::test]
async fn an_announcement_reaches_the_class_in_the_product_and_by_email_as_each_prefers() {
    let t = TestApp::new().await;
    let mut c = class(&t, "ann").await;
    // s2 takes no course announcements by email.
    let conn = t.app.store.conn();
    let sql = "UPDATE users SET communication = '{\"course_announcements\":false,\"reminders\":true,\"surveys\":true,\"newsletters\":false}' WHERE email = 's2@ann.edu'";
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap();
    let page = format!("/learning/offerings/{}/announcements", c.offering);

    let refused = c.instructor.submit(&page, &page, &[("title", ""), ("body", "Room change")]).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.contains("id=\"e-title\"") && refused.contains("Room change"),
        "the error beside the field, the text kept"
    );
    let posted = c
        .instructor
        .submit(&page, &page, &[("title", "Lab moved to room 4"), ("body", "From **Monday**, labs are in room 4.")])
        .await;
    assert_eq!(posted.status, 303, "{}", posted.text);

    let emails = t.emails().await;
    for (student, gets) in [("s1@ann.edu", true), ("s2@ann.edu", false), ("s3@ann.edu", true)] {
        let to: Vec<&String> = emails_to(&emails, student).into_iter().filter(|e| e.contains("Lab moved")).collect();
        assert_eq!(to.len(), usize::from(gets), "{student}");
        if gets {
            assert!(to[0].contains("/announcements") && to[0].contains("Monday"), "{}", to[0]);
        }
    }
    assert!(!emails_to(&emails, "ins@ann.edu").iter().any(|e| e.contains("Lab moved")), "not to the one who posted it");

    // A student sees it on home as new, reads it on the course, and then it is not new.
    let mut s1 = t.sign_in("s1@ann.edu").await;
    let home = s1.get("/").await;
    let card = html::text(&home.text, "announcements-home").unwrap_or_else(|| panic!("{}", home.text));
    assert!(card.contains("Lab moved to room 4") && card.contains("New"), "{card}");
    let course = s1.get(&page).await;
    assert_eq!(course.status, 200);
    assert!(course.contains("<strong>Monday</strong>"), "Markdown rendered: {}", course.text);
    let home = s1.get("/").await;
    let card = html::text(&home.text, "announcements-home").unwrap();
    assert!(card.contains("Lab moved to room 4") && !card.contains("New"), "{card}");
    // The student may not post or delete, and is offered neither.
    assert!(!course.contains("Post announcement") && !course.contains(">Delete<"));
    let token = course.csrf().unwrap_or_default();
    let tried = s1.post_raw(&page, &[("title", "Mine"), ("body", "x"), ("csrf_token", &token)]).await;
    assert_eq!(tried.status, 403);

    // Outsiders: a student of the institution not in the class, another institution.
    let mut outsider = t.invite(&mut c.admin, "out@ann.edu", "student").await;
    assert_eq!(outsider.get(&page).await.status, 403);
    let mut other = class(&t, "oth").await;
    assert_eq!(other.admin.get(&page).await.status, 404);
    assert!(!other.admin.get("/learning/announcements").await.contains("Lab moved"));
    let id: i64 = course.text.split("id=\"announcement-").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let token = other.admin.get("/learning/announcements").await.csrf().unwrap_or_default();
    let tried = other.admin.post_raw(&format!("/learning/announcements/{id}/delete"), &[("csrf_token", &token)]).await;
    assert_eq!(tried.status, 404);
    assert!(outsider.get("/learning/announcements").await.text.contains("Nothing announced yet"));

    // The institution's admin announces to everyone; students read it in their list.
    let posted = c
        .admin
        .submit(
            "/learning/announcements",
            "/learning/announcements",
            &[("title", "Campus closed Friday"), ("body", "For the holiday.")],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.text);
    let emails = t.emails().await;
    assert_eq!(emails_to(&emails, "out@ann.edu").iter().filter(|e| e.contains("Campus closed")).count(), 1);
    assert_eq!(emails_to(&emails, "s2@ann.edu").iter().filter(|e| e.contains("Campus closed")).count(), 0);
    let list = s1.get("/learning/announcements").await;
    assert!(list.contains("Campus closed Friday") && list.contains("Lab moved to room 4"), "{}", list.text);
    assert!(!list.contains("Post announcement"), "students do not post to the institution");
    assert!(!other.admin.get("/learning/announcements").await.contains("Campus closed"));

    // The instructor deletes theirs; it is gone for the class.
    let deleted = c.instructor.submit(&page, &format!("/learning/announcements/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, 303);
    assert!(!s1.get(&page).await.contains("Lab moved"));
}

#[tokio::test]
async fn the_api_posts_and_lists_announcements_under_the_same_rules() {
    let t = TestApp::new().await;
    let mut c = class(&t, "aap").await;
    let staff = c.instructor.api_token().await;
    let mut s1 = t.sign_in("s1@aap.edu").await;
    let learner = s1.api_token().await;
    let path = format!("/api/v1/offerings/{}/announcements", c.offering);
    let made = c
        .instructor
        .api("POST", &path, &staff, Some(serde_json::json!({"title": "Quiz on Friday", "body": "Chapters 1–3."})))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let refused = s1.api("POST", &path, &learner, Some(serde_json::json!({"title": "Mine", "body": "x"}))).await;
    assert_eq!(refused.status, 403);
    let mine = s1.api("GET", "/api/v1/announcements", &learner, None).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    let list = mine.json();
    assert_eq!(list["unread"], 1);
    assert_eq!(list["announcements"][0]["title"], "Quiz on Friday");
    assert_eq!(list["announcements"][0]["offering_id"], c.offering);
    let class_list = s1.api("GET", &path, &learner, None).await;
    assert_eq!(class_list.json()["announcements"].as_array().unwrap().len(), 1);
    let mut other = class(&t, "oap").await;
    let foreign = other.admin.api_token().await;
    assert_eq!(other.admin.api("GET", &path, &foreign, None).await.status, 404);
}
