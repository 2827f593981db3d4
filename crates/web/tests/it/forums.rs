//! Forums as a class uses them: students start threads and reply, the instructor answers and
//! moderates (pins, locks, hides a post with a reason, each audited), authors edit within the
//! window; followers get one digest a day of what is new; people outside the class or the
//! institution reach nothing, by page or by API.

use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::class;
use crate::support::{Client, TestApp, html};

fn thread_id(location: &str) -> i64 {
    location.trim_start_matches("/learning/threads/").split('#').next().unwrap().parse().unwrap()
}

fn post_ids(page: &str) -> Vec<i64> {
    page.split("<article class=\"post")
        .skip(1)
        .map(|a| a.split("id=\"post-").nth(1).unwrap().split('"').next().unwrap().parse().unwrap())
        .collect()
}

async fn audited(t: &TestApp, action: &str) -> i64 {
    let conn = t.app.store.conn();
    let sql = format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = '{action}'");
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn start(student: &mut Client, forum: &str, title: &str, body: &str) -> i64 {
    let made = student.submit(forum, forum, &[("title", title), ("body", body)]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    thread_id(made.location().unwrap())
}

#[tokio::test]
async fn a_class_discusses_in_its_forum_and_the_instructor_moderates() {
    let t = TestApp::new().await;
    let mut c = class(&t, "frm").await;
    let forum = format!("/learning/offerings/{}/forum", c.offering);
    let mut s1 = t.sign_in("s1@frm.edu").await;
    let mut s2 = t.sign_in("s2@frm.edu").await;
    let mut s3 = t.sign_in("s3@frm.edu").await;

    let refused = s1.submit(&forum, &forum, &[("title", " "), ("body", "Why do voltages sum to zero?")]).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.contains("id=\"e-title\"") && refused.contains("Why do voltages sum to zero?"),
        "kept: {}",
        refused.text
    );
    let kvl = start(&mut s1, &forum, "Question on KVL", "Why do voltages **sum** to zero?").await;
    let thread = format!("/learning/threads/{kvl}");

    // The instructor sees it as new, answers; the student then sees one new reply.
    let list = c.instructor.get(&forum).await;
    let row = html::text(&list.text, &format!("thread-{kvl}")).unwrap_or_else(|| panic!("{}", list.text));
    assert!(row.contains("Question on KVL") && row.contains("1 new"), "{row}");
    let page = c.instructor.get(&thread).await;
    assert!(page.contains("<strong>sum</strong>") && page.contains("id=\"moderation\""), "{}", page.text);
    let answered = c.instructor.submit(&thread, &format!("{thread}/posts"), &[("body", "Energy is conserved.")]).await;
    assert_eq!(answered.status, 303, "{}", answered.text);
    let row = html::text(&s1.get(&forum).await.text, &format!("thread-{kvl}")).unwrap();
    assert!(row.contains("1 reply") && row.contains("1 new"), "{row}");

    // A reply with markup keeps its text and loses its script.
    let replied = s2
        .submit(
            &thread,
            &format!("{thread}/posts"),
            &[("body", "Me too <script>alert(1)</script> [x](javascript:alert(2))")],
        )
        .await;
    assert_eq!(replied.status, 303);
    let page = s3.get(&thread).await;
    assert!(
        page.contains("Me too") && !page.contains("<script>alert") && !page.contains("javascript:alert"),
        "{}",
        page.text
    );
    assert!(!page.contains("id=\"moderation\"") && !page.contains(">Hide<"), "students are offered no moderation");
    let ids = post_ids(&page.text);
    assert_eq!(ids.len(), 3);
    let s2_post = ids[2];

    // Hiding needs a reason; then the class sees only that it was hidden, its author why.
    let hide = format!("/learning/posts/{s2_post}/hide");
    let refused = c.instructor.submit(&thread, &hide, &[("reason", "")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("id=\"e-reason\""), "{}", refused.text);
    let hidden = c.instructor.submit(&thread, &hide, &[("reason", "Off topic")]).await;
    assert_eq!(hidden.status, 303, "{}", hidden.text);
    assert_eq!(audited(&t, "forum.post_hidden").await, 1);
    let seen = s3.get(&thread).await;
    let article = html::text(&seen.text, &format!("post-{s2_post}")).unwrap();
    assert!(
        article.contains("Hidden by a moderator") && !article.contains("Me too") && !article.contains("Off topic"),
        "{article}"
    );
    let own = html::text(&s2.get(&thread).await.text, &format!("post-{s2_post}")).unwrap();
    assert!(own.contains("Off topic") && own.contains("Me too"), "{own}");
    let token = seen.csrf().unwrap();
    let tried = s3.post_raw(&hide, &[("reason", "mine"), ("csrf_token", &token)]).await;
    assert_eq!(tried.status, 403, "a student does not hide posts");

    // Locked: students are refused and offered no form; the instructor still replies.
    let locked = c.instructor.submit(&thread, &format!("{thread}/moderation"), &[("locked", "on")]).await;
    assert_eq!(locked.status, 303);
    assert_eq!(audited(&t, "forum.moderated").await, 1);
    let page = s1.get(&thread).await;
    assert!(page.contains("Locked") && !page.contains("Post reply"), "{}", page.text);
    let token = page.csrf().unwrap();
    let tried = s1.post_raw(&format!("{thread}/posts"), &[("body", "But why?"), ("csrf_token", &token)]).await;
    assert_eq!(tried.status, 409, "{}", tried.text);
    let tried = s1.post_raw(&format!("{thread}/moderation"), &[("csrf_token", &token)]).await;
    assert_eq!(tried.status, 403, "a student does not unlock");
    let answered =
        c.instructor.submit(&thread, &format!("{thread}/posts"), &[("body", "Closed: see the notes.")]).await;
    assert_eq!(answered.status, 303);

    // Pinned threads come first, however old.
    let newer = start(&mut s3, &forum, "Lab groups", "Who is in my group?").await;
    let list = s1.get(&forum).await.text;
    assert!(list.find(&format!("thread-{newer}")) < list.find(&format!("thread-{kvl}")), "newest first");
    c.instructor.submit(&thread, &format!("{thread}/moderation"), &[("pinned", "on"), ("locked", "on")]).await;
    let list = s1.get(&forum).await.text;
    assert!(list.find(&format!("thread-{kvl}")) < list.find(&format!("thread-{newer}")), "pinned first");

    // Authors edit their own posts for 30 minutes; never another's.
    let page = s3.get(&format!("/learning/threads/{newer}")).await;
    let own_post = post_ids(&page.text)[0];
    let edit = format!("/learning/posts/{own_post}/edit");
    assert!(page.contains(&edit));
    let saved = s3.submit(&edit, &edit, &[("body", "Who is in group B?")]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let page = s1.get(&format!("/learning/threads/{newer}")).await;
    assert!(page.contains("group B") && page.contains("edited"), "{}", page.text);
    assert!(!page.contains(&edit), "not offered to others");
    assert_eq!(s1.get(&edit).await.status, 403);
    t.clock.advance(Duration::minutes(31));
    assert!(!s3.get(&format!("/learning/threads/{newer}")).await.contains(&edit), "the window has closed");
    let token = s3.get(&forum).await.csrf().unwrap();
    let late = s3.post_raw(&edit, &[("body", "Too late"), ("csrf_token", &token)]).await;
    assert_eq!(late.status, 409);

    // Outside the class: forbidden; another institution: not found, for every address.
    let mut outsider = t.invite(&mut c.admin, "out@frm.edu", "student").await;
    assert_eq!(outsider.get(&forum).await.status, 403);
    assert_eq!(outsider.get(&thread).await.status, 403);
    let mut other = class(&t, "frx").await;
    for path in [forum.clone(), thread.clone(), edit.clone()] {
        assert_eq!(other.admin.get(&path).await.status, 404, "{path}");
    }
    let token = other.admin.get("/").await.csrf().unwrap();
    for path in [
        format!("{thread}/posts"),
        format!("{thread}/moderation"),
        hide.clone(),
        format!("/learning/posts/{s2_post}/show"),
    ] {
        let tried = other.admin.post_raw(&path, &[("body", "x"), ("reason", "x"), ("csrf_token", &token)]).await;
        assert_eq!(tried.status, 404, "{path}");
    }
    let _ = &mut other.instructor;
}

#[tokio::test]
async fn followers_get_one_digest_a_day_of_what_others_posted() {
    let t = TestApp::new().await;
    let mut c = class(&t, "dig").await;
    let forum = format!("/learning/offerings/{}/forum", c.offering);
    let mut s1 = t.sign_in("s1@dig.edu").await;
    let mut s2 = t.sign_in("s2@dig.edu").await;
    let followed = s2.submit(&forum, &format!("{forum}/follow"), &[("on", "on")]).await;
    assert_eq!(followed.status, 303);
    assert!(s2.get(&forum).await.contains("Stop following the forum"));
    let kvl = start(&mut s1, &forum, "Question on KVL", "Why do voltages sum to zero?").await;
    let thread = format!("/learning/threads/{kvl}");
    c.instructor.submit(&thread, &format!("{thread}/posts"), &[("body", "Energy is conserved around a loop.")]).await;
    let page = c.instructor.get(&thread).await;
    let hidden_reply = s2.submit(&thread, &format!("{thread}/posts"), &[("body", "Spam spam spam")]).await;
    assert_eq!(hidden_reply.status, 303);
    let spam = post_ids(&c.instructor.get(&thread).await.text)[2];
    c.instructor.submit(&thread, &format!("/learning/posts/{spam}/hide"), &[("reason", "Spam")]).await;
    drop(page);

    qobe_app::jobs::tick(&t.app).await.unwrap();
    let emails = t.emails().await;
    let digests = |to: &str| -> Vec<String> {
        emails.iter().filter(|e| e.contains(&format!("To: {to}")) && e.contains("Forum digest")).cloned().collect()
    };
    let s1_digest = digests("s1@dig.edu");
    assert_eq!(s1_digest.len(), 1, "s1 follows the thread they started");
    let text = &s1_digest[0];
    assert!(text.contains("Question on KVL (1 new)") && text.contains("Energy is conserved"), "{text}");
    assert!(
        !text.contains("Why do voltages") && !text.contains("Spam spam"),
        "not one's own, nor hidden posts: {text}"
    );
    assert!(text.contains(&format!("/learning/threads/{kvl}")), "{text}");
    let s2_digest = digests("s2@dig.edu");
    assert_eq!(s2_digest.len(), 1, "s2 follows the forum (and the thread they replied in): one email");
    assert!(
        s2_digest[0].contains("Why do voltages") && s2_digest[0].contains("Energy is conserved"),
        "{}",
        s2_digest[0]
    );
    assert!(digests("s3@dig.edu").is_empty(), "s3 follows nothing");

    // The same day: nothing again. The next day: only what is new; unfollowing stops it.
    qobe_app::jobs::tick(&t.app).await.unwrap();
    assert_eq!(t.emails().await.iter().filter(|e| e.contains("Forum digest")).count(), 2);
    let unfollow = s1.submit(&thread, &format!("{thread}/follow"), &[]).await;
    assert_eq!(unfollow.status, 303);
    c.instructor.submit(&thread, &format!("{thread}/posts"), &[("body", "One more hint: Kirchhoff.")]).await;
    t.clock.advance(Duration::days(1));
    qobe_app::jobs::tick(&t.app).await.unwrap();
    let emails = t.emails().await;
    let latest: Vec<&String> = emails.iter().filter(|e| e.contains("Forum digest")).collect();
    assert_eq!(latest.len(), 3, "only s2's: s1 stopped following");
    let text = latest[2];
    assert!(
        text.contains("To: s2@dig.edu") && text.contains("One more hint") && !text.contains("Energy is conserved"),
        "{text}"
    );
}

#[tokio::test]
async fn the_api_runs_the_forum_under_the_same_rules() {
    let t = TestApp::new().await;
    let mut c = class(&t, "fap").await;
    let staff = c.instructor.api_token().await;
    let mut s1 = t.sign_in("s1@fap.edu").await;
    let learner = s1.api_token().await;
    let forum = format!("/api/v1/offerings/{}/forum", c.offering);
    let made = s1
        .api("POST", &forum, &learner, Some(serde_json::json!({"title": "Units?", "body": "Volts or millivolts?"})))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let thread = made.json()["id"].as_i64().unwrap();
    let bad = s1.api("POST", &forum, &learner, Some(serde_json::json!({"title": "", "body": "x"}))).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["fields"][0]["field"], "title");
    let path = format!("/api/v1/forum/threads/{thread}");
    let replied =
        c.instructor.api("POST", &format!("{path}/posts"), &staff, Some(serde_json::json!({"body": "Volts."}))).await;
    assert_eq!(replied.status, 201, "{}", replied.text);
    let reply = replied.json()["id"].as_i64().unwrap();
    let moderation = serde_json::json!({"pinned": true, "locked": false});
    let refused = s1.api("PUT", &format!("{path}/moderation"), &learner, Some(moderation.clone())).await;
    assert_eq!(refused.status, 403);
    let pinned = c.instructor.api("PUT", &format!("{path}/moderation"), &staff, Some(moderation)).await;
    assert_eq!(pinned.json()["pinned"], true);
    let hid = c
        .instructor
        .api(
            "PUT",
            &format!("/api/v1/forum/posts/{reply}/hidden"),
            &staff,
            Some(serde_json::json!({"reason": "Wrong"})),
        )
        .await;
    assert_eq!(hid.status, 200, "{}", hid.text);
    let listed = s1.api("GET", &forum, &learner, None).await.json();
    assert_eq!(listed["threads"][0]["pinned"], true);
    assert_eq!(listed["threads"][0]["replies"], 0, "the hidden reply is not counted for a student");
    let seen = s1.api("GET", &path, &learner, None).await.json();
    assert_eq!(seen["posts"][1]["hidden"], true);
    assert!(seen["posts"][1].get("body").is_none(), "{seen}");
    assert_eq!(seen["posts"][0]["editable"], true);
    let shown = c.instructor.api("DELETE", &format!("/api/v1/forum/posts/{reply}/hidden"), &staff, None).await;
    assert_eq!(shown.json()["hidden"], false);
    let follow = s1.api("PUT", &format!("{forum}/subscription"), &learner, None).await;
    assert_eq!(follow.json()["following"], true);
    assert_eq!(s1.api("GET", &forum, &learner, None).await.json()["following"], true);

    let mut other = class(&t, "fao").await;
    let foreign = other.admin.api_token().await;
    for (method, target) in
        [("GET", forum.clone()), ("GET", path.clone()), ("PUT", format!("/api/v1/forum/posts/{reply}"))]
    {
        let body = (method == "PUT").then(|| serde_json::json!({"body": "x"}));
        assert_eq!(other.admin.api(method, &target, &foreign, body).await.status, 404, "{target}");
    }
}
