//! Course content through its pages and API, as people use them: an instructor builds a module
//! with a page, a PDF, a video with captions and a link, gates items by date and by another
//! item; a student sees only what is released, opens and marks items done and sees progress;
//! files stream with ranges, keep safe names, and are never shown inline when they could run
//! script; size and quota refusals say why; another institution and outsiders reach nothing.

use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::{Class, class};
use crate::support::{Client, TestApp, html};

/// A PDF small enough to read in a test.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// The start of an MP4 file followed by numbered bytes, so a range shows where it came from.
fn video(len: usize) -> Vec<u8> {
    let mut bytes = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2".to_vec();
    bytes.extend((0..len).map(|i| (i % 251) as u8));
    bytes
}

const CAPTIONS: &[u8] = b"WEBVTT\n\n00:00.000 --> 00:02.000\nOhm's law, again\n";

fn outline(offering: i64) -> String {
    format!("/learning/offerings/{offering}")
}

/// The new module's id, from where adding it went.
async fn add_module(client: &mut Client, offering: i64, title: &str, published: bool) -> i64 {
    let mut fields = vec![("title", title)];
    if published {
        fields.push(("published", "on"));
    }
    let made = client.submit(&outline(offering), &format!("{}/modules", outline(offering)), &fields).await;
    assert_eq!(made.status, 303, "{}", made.text);
    made.location().unwrap().rsplit("#module-").next().unwrap().parse().unwrap()
}

/// The id of the newest item titled `title` (items are listed in the outline with their ids).
fn item_id(page: &str, title: &str) -> i64 {
    let at = page.find(&format!(">{title}</a>")).unwrap_or_else(|| panic!("{title} is not listed: {page}"));
    let before = &page[..at];
    let href = before.rsplit("href=\"/learning/items/").next().unwrap();
    href.split('"').next().unwrap().parse().unwrap()
}

async fn add_page(client: &mut Client, module: i64, fields: &[(&str, &str)]) -> crate::support::Response {
    let mut all = vec![("kind", "page"), ("published", "on")];
    all.extend_from_slice(fields);
    client
        .submit(
            &format!("/learning/modules/{module}/new?kind=page"),
            &format!("/learning/modules/{module}/items"),
            &all,
        )
        .await
}

async fn upload(
    client: &mut Client,
    module: i64,
    texts: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> crate::support::Response {
    client
        .upload_parts(
            &format!("/learning/modules/{module}/new?kind=file"),
            &format!("/learning/modules/{module}/files"),
            texts,
            files,
        )
        .await
}

struct Built {
    module: i64,
    page: i64,
    pdf: i64,
    video: i64,
    tomorrow: i64,
    gated: i64,
}

/// Week 1: a page (completed by marking it done), a PDF, a video with captions, a link released
/// tomorrow, and a page released only after the first page is done.
async fn build_week(c: &mut Class, t: &TestApp) -> Built {
    let module = add_module(&mut c.instructor, c.offering, "Week 1: Circuits", true).await;
    let made = add_page(
        &mut c.instructor,
        module,
        &[
            ("title", "Read me first"),
            ("completion", "done"),
            (
                "body",
                "# Ohm's law\n\nV = IR.<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[trap](javascript:alert(3)) and [notes](https://example.edu/notes)\n",
            ),
        ],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let made = upload(
        &mut c.instructor,
        module,
        &[("title", "Lecture notes"), ("published", "on")],
        &[("file", "../../notes\u{202e}fdp.pdf", PDF)],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let lecture = video(300_000);
    let made = upload(
        &mut c.instructor,
        module,
        &[("title", "Lecture video"), ("published", "on")],
        &[("file", "lecture.mp4", &lecture), ("captions", "lecture.vtt", CAPTIONS)],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let tomorrow = (t.app.now() + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M").to_string();
    let made = c
        .instructor
        .submit(
            &format!("/learning/modules/{module}/new?kind=link"),
            &format!("/learning/modules/{module}/items"),
            &[
                ("kind", "link"),
                ("title", "Simulator"),
                ("url", "https://example.edu/sim"),
                ("published", "on"),
                ("available_from", &tomorrow),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let shown = c.instructor.get(&outline(c.offering)).await.text;
    let page = item_id(&shown, "Read me first");
    let made = add_page(
        &mut c.instructor,
        module,
        &[("title", "Exercises"), ("body", "Solve 1 to 5."), ("after_item", &page.to_string())],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let shown = c.instructor.get(&outline(c.offering)).await.text;
    assert!(shown.contains("Released after “Read me first” is completed"), "{shown}");
    Built {
        module,
        page,
        pdf: item_id(&shown, "Lecture notes"),
        video: item_id(&shown, "Lecture video"),
        tomorrow: item_id(&shown, "Simulator"),
        gated: item_id(&shown, "Exercises"),
    }
}

async fn student(t: &TestApp, c: &Class, n: usize) -> Client {
    t.sign_in(&format!("s{n}@{}.edu", c.slug)).await
}

#[tokio::test]
async fn a_student_sees_what_is_released_opens_it_marks_it_done_and_sees_progress() {
    let t = TestApp::new().await;
    let mut c = class(&t, "uni").await;
    let built = build_week(&mut c, &t).await;
    let mut s1 = student(&t, &c, 1).await;

    let shown = s1.get(&outline(c.offering)).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    for title in ["Read me first", "Lecture notes", "Lecture video"] {
        assert!(shown.contains(&format!(">{title}</a>")), "{title} is released: {}", shown.text);
    }
    for title in ["Simulator", "Exercises"] {
        assert!(!shown.contains(title), "{title} is held from students: {}", shown.text);
    }
    assert!(shown.contains("<strong>0 of 5</strong>"), "five published items count: {}", shown.text);
    assert!(shown.contains("2 more are released later"), "{}", shown.text);
    // Held items are not found, not merely hidden from the list.
    for held in [built.tomorrow, built.gated] {
        assert_eq!(s1.get(&format!("/learning/items/{held}")).await.status, 404);
    }

    // The page's Markdown is rendered and sanitised.
    let page = s1.get(&format!("/learning/items/{}", built.page)).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("<h1>Ohm&#39;s law</h1>") || page.contains("<h1>Ohm's law</h1>"), "{}", page.text);
    assert!(!page.contains("<script>alert(1)"), "no script survives");
    assert!(
        !page.contains("onerror=alert") || page.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "no event handler survives"
    );
    assert!(!page.contains("href=\"javascript:"), "no script address survives");
    assert!(page.contains("href=\"https://example.edu/notes\""), "{}", page.text);

    // A file held behind the page: its bytes are not found either, until the page is done.
    let edit = format!("/learning/items/{}/edit", built.pdf);
    let page_id = built.page.to_string();
    let held = c
        .instructor
        .submit(
            &edit,
            &format!("/learning/items/{}", built.pdf),
            &[("title", "Lecture notes"), ("published", "on"), ("after_item", &page_id)],
        )
        .await;
    assert_eq!(held.status, 303, "{}", held.text);
    assert_eq!(s1.get(&format!("/learning/items/{}/file", built.pdf)).await.status, 404);
    assert_eq!(c.instructor.get(&format!("/learning/items/{}/file", built.pdf)).await.status, 200, "staff reach it");

    // Opening a "done" item does not complete it; marking it done does, and releases the gated one.
    let shown = s1.get(&outline(c.offering)).await;
    assert!(shown.contains("<strong>0 of 5</strong>"), "{}", shown.text);
    let done = s1
        .submit(
            &format!("/learning/items/{}", built.page),
            &format!("/learning/items/{}/done", built.page),
            &[("done", "yes")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    // Opening a file item completes it; its bytes are released with it.
    assert_eq!(s1.get(&format!("/learning/items/{}", built.pdf)).await.status, 200);
    assert_eq!(s1.get(&format!("/learning/items/{}/file", built.pdf)).await.status, 200);
    let shown = s1.get(&outline(c.offering)).await;
    assert!(shown.contains("<strong>2 of 5</strong>"), "{}", shown.text);
    assert!(shown.contains(">Exercises</a>"), "released after the page was done: {}", shown.text);
    assert!(shown.contains("1 more is released later"), "{}", shown.text);
    assert_eq!(s1.get(&format!("/learning/items/{}", built.gated)).await.status, 200);

    // Tomorrow comes.
    t.clock.advance(chrono::Duration::days(2));
    let mut s1 = student(&t, &c, 1).await;
    let shown = s1.get(&outline(c.offering)).await;
    assert!(shown.contains(">Simulator</a>"), "{}", shown.text);
    assert!(shown.contains("<strong>3 of 5</strong>"), "{}", shown.text);

    // The instructor's class × item table agrees, and downloads.
    c.instructor = t.sign_in(&format!("ins@{}.edu", c.slug)).await;
    let table = c.instructor.get(&format!("/learning/offerings/{}/progress", c.offering)).await;
    assert_eq!(table.status, 200, "{}", table.text);
    let csv = c.instructor.get(&format!("/learning/offerings/{}/progress?format=csv", c.offering)).await;
    assert_eq!(csv.status, 200);
    let first = csv.text.lines().next().unwrap();
    assert!(
        first.starts_with(
            "Student,Registration number,Read me first,Lecture notes,Lecture video,Simulator,Exercises,Completed"
        ),
        "{first}"
    );
    let s1_row = csv.text.lines().find(|l| l.contains("Completed,Completed")).unwrap_or_else(|| panic!("{}", csv.text));
    assert!(s1_row.contains(",Completed,Completed,Not started,Not started,Completed,3,60"), "{s1_row}");
    let xlsx = c.instructor.get(&format!("/learning/offerings/{}/progress?format=xlsx", c.offering)).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX workbook");
    // Students do not see the class table.
    assert_eq!(s1.get(&format!("/learning/offerings/{}/progress", c.offering)).await.status, 403);
    let _ = built.module;
}

#[tokio::test]
async fn files_stream_with_ranges_keep_safe_names_and_never_run_in_the_page() {
    let t = TestApp::new().await;
    files_round_trip(&t).await;
}

#[tokio::test]
async fn files_round_trip_through_an_s3_bucket_too() {
    let Some(t) = TestApp::on_s3().await else { return };
    files_round_trip(&t).await;
}

async fn files_round_trip(t: &TestApp) {
    let mut c = class(t, "uni").await;
    let built = build_week(&mut c, t).await;
    let mut s1 = student(t, &c, 1).await;
    let lecture = video(300_000);

    // The whole video, then a seek into it.
    let whole = s1.get(&format!("/learning/items/{}/file", built.video)).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.bytes, lecture);
    assert_eq!(whole.headers["content-type"], "video/mp4");
    assert!(whole.headers["content-disposition"].to_str().unwrap().starts_with("inline;"));
    let part = s1
        .get_with(
            &format!("/learning/items/{}/file", built.video),
            &[("range", "bytes=1000-1099"), ("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.headers["content-range"], format!("bytes 1000-1099/{}", lecture.len()));
    assert_eq!(part.bytes, lecture[1000..1100], "the bytes asked for, uncompressed");
    assert!(part.headers.get("content-encoding").is_none());
    let captions = s1.get(&format!("/learning/items/{}/captions", built.video)).await;
    assert_eq!(captions.status, 200);
    assert_eq!(captions.bytes, CAPTIONS);
    assert!(captions.headers["content-type"].to_str().unwrap().starts_with("text/vtt"));

    // The PDF keeps its name without folders or the right-to-left override.
    let pdf = s1.get(&format!("/learning/items/{}/file", built.pdf)).await;
    assert_eq!(pdf.bytes, PDF);
    let disposition = pdf.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains("filename=\"notesfdp.pdf\""), "{disposition}");
    assert!(!disposition.contains("%E2%80%AE") && !disposition.contains(".."), "{disposition}");

    // Markup that would run is saved, never shown, whatever it is called.
    for (name, bytes, kind) in [
        ("notes.html", &b"<!doctype html><script>alert(document.cookie)</script>"[..], "text/html"),
        (
            "diagram.png",
            &b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"[..],
            "image/svg+xml",
        ),
    ] {
        let made =
            upload(&mut c.instructor, built.module, &[("title", name), ("published", "on")], &[("file", name, bytes)])
                .await;
        assert_eq!(made.status, 303, "{}", made.text);
        let shown = c.instructor.get(&outline(c.offering)).await.text;
        let id = item_id(&shown, name);
        let sent = s1.get(&format!("/learning/items/{id}/file")).await;
        assert_eq!(sent.status, 200);
        assert!(sent.headers["content-type"].to_str().unwrap().starts_with(kind), "{:?}", sent.headers);
        assert!(
            sent.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"),
            "{name} is never inline"
        );
        assert_eq!(sent.headers["x-content-type-options"], "nosniff");
    }

    // A long name, a NUL and right-to-left letters are stored safely.
    let long = format!("{}.pdf", "ن".repeat(300));
    let made = upload(
        &mut c.instructor,
        built.module,
        &[("title", "Arabic notes"), ("published", "on")],
        &[("file", &long, PDF)],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let shown = c.instructor.get(&outline(c.offering)).await.text;
    let id = item_id(&shown, "Arabic notes");
    let file = qobe_app::learning::file(
        &t.app,
        &TestApp::admin_actor(0, 0, "x"),
        qobe_domain::ids::ContentItemId(id),
        qobe_app::learning::Attached::File,
    )
    .await;
    assert!(file.is_err(), "an actor of no institution reaches nothing");
    let sent = s1.get(&format!("/learning/items/{id}/file")).await;
    let disposition = sent.headers["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("filename*=UTF-8''%D9%86"), "{disposition}");
    let name = disposition.split("filename=\"").nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(name.chars().count(), 200, "cut to 200 characters");

    // Deleting the item deletes its bytes once the job runs.
    let keys_before = t.stored_keys().await.len();
    let deleted = c
        .instructor
        .submit(
            &format!("/learning/items/{}/edit", built.video),
            &format!("/learning/items/{}/delete", built.video),
            &[],
        )
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.text);
    t.run_jobs().await;
    assert_eq!(t.stored_keys().await.len(), keys_before - 2, "the video and its captions are gone");
    assert_eq!(s1.get(&format!("/learning/items/{}/file", built.video)).await.status, 404);
}

async fn limit(t: &TestApp, slug: &str, quota_mb: i64, file_mb: i64) {
    let conn = t.app.store.conn();
    let sql =
        format!("UPDATE institutions SET storage_quota_mb = {quota_mb}, max_file_mb = {file_mb} WHERE slug = '{slug}'");
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
}

#[tokio::test]
async fn files_beyond_the_largest_file_or_the_quota_are_refused_with_a_reason_and_leave_nothing() {
    let t = TestApp::new().await;
    let mut c = class(&t, "uni").await;
    let module = add_module(&mut c.instructor, c.offering, "Week 1", true).await;
    limit(&t, "uni", 2, 1).await;
    let keys = t.stored_keys().await.len();

    let big = video(1024 * 1024 + 10);
    let refused = upload(&mut c.instructor, module, &[("title", "Too big")], &[("file", "big.mp4", &big)]).await;
    assert_eq!(refused.status, 413, "{}", refused.text);
    assert!(refused.contains("larger than 1 MB, the most one file may be"), "{}", refused.text);
    assert!(refused.contains("value=\"Too big\""), "what was typed is kept: {}", refused.text);
    assert_eq!(t.stored_keys().await.len(), keys, "a refused file leaves no bytes");

    let most = video(900 * 1024);
    for n in 1..=2 {
        let made =
            upload(&mut c.instructor, module, &[("title", &format!("Part {n}"))], &[("file", "part.mp4", &most)]).await;
        assert_eq!(made.status, 303, "{}", made.text);
    }
    let refused = upload(&mut c.instructor, module, &[("title", "Part 3")], &[("file", "part.mp4", &most)]).await;
    assert_eq!(refused.status, 413, "{}", refused.text);
    assert!(
        refused.contains("The institution&#39;s storage is full")
            || refused.contains("The institution's storage is full"),
        "{}",
        refused.text
    );
    assert_eq!(t.stored_keys().await.len(), keys + 2);

    // The admin sees the storage against the quota.
    let settings = c.admin.get("/admin/settings").await;
    assert!(html::text(&settings.text, "storage").unwrap().contains("1.8 MB of 2 MB used (87 %)"), "{}", settings.text);

    // An empty file and a missing one are named beside the file field.
    let refused = upload(&mut c.instructor, module, &[("title", "Nothing")], &[("file", "empty.pdf", b"")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("id=\"e-file\""), "{}", refused.text);
}

#[tokio::test]
async fn who_may_see_and_change_content() {
    let t = TestApp::new().await;
    let mut c = class(&t, "uni").await;
    let built = build_week(&mut c, &t).await;
    // A student of the institution not in the course, and another institution's admin.
    let mut outsider = t.invite(&mut c.admin, "outsider@uni.edu", "student").await;
    let mut other = class(&t, "other").await;
    let mut s1 = student(&t, &c, 1).await;

    for path in
        [outline(c.offering), format!("/learning/items/{}", built.page), format!("/learning/items/{}/file", built.pdf)]
    {
        let answer = outsider.get(&path).await;
        assert!(matches!(answer.status, 403 | 404), "{path}: {}", answer.status);
        assert!(!answer.contains("Ohm"), "{path}");
        let answer = other.admin.get(&path).await;
        assert_eq!(answer.status, 404, "{path}: another institution's admin");
        let answer = other.instructor.get(&path).await;
        assert_eq!(answer.status, 404, "{path}: another institution's instructor");
    }
    // A student changes nothing, and is offered nothing to change.
    let shown = s1.get(&outline(c.offering)).await.text;
    for offered in ["Add a page", "Upload a file", "Module settings", "New module", "/edit\""] {
        assert!(!shown.contains(offered), "{offered} is not offered to a student");
    }
    let token = s1.get(&outline(c.offering)).await.csrf().unwrap_or_default();
    for (path, fields) in [
        (format!("{}/modules", outline(c.offering)), vec![("title", "Mine")]),
        (format!("/learning/modules/{}/items", built.module), vec![("kind", "page"), ("title", "Mine"), ("body", "x")]),
        (format!("/learning/items/{}/delete", built.page), vec![]),
    ] {
        let mut all = fields.clone();
        all.push(("csrf_token", &token));
        assert_eq!(s1.post_raw(&path, &all).await.status, 403, "{path}");
    }
    // Another institution's instructor can't add to this module or delete its item.
    let token = other.instructor.get("/").await.csrf().unwrap_or_default();
    let answer =
        other.instructor.post_raw(&format!("/learning/items/{}/delete", built.page), &[("csrf_token", &token)]).await;
    assert_eq!(answer.status, 404);
    // Drafts: an unpublished module hides everything in it.
    let hidden = add_module(&mut c.instructor, c.offering, "Week 9 (not ready)", false).await;
    add_page(&mut c.instructor, hidden, &[("title", "Spoilers"), ("body", "Answers")]).await;
    let shown = s1.get(&outline(c.offering)).await.text;
    assert!(!shown.contains("Week 9") && !shown.contains("Spoilers"), "{shown}");
}

#[tokio::test]
async fn the_api_lists_adds_and_completes_content_as_the_pages_do() {
    let t = TestApp::new().await;
    let mut c = class(&t, "uni").await;
    let built = build_week(&mut c, &t).await;
    let staff = c.instructor.api_token().await;
    let mut s1 = student(&t, &c, 1).await;
    let learner = s1.api_token().await;

    let made = c
        .instructor
        .api(
            "POST",
            &format!("/api/v1/offerings/{}/content/modules", c.offering),
            &staff,
            Some(serde_json::json!({"title": "Week 2", "published": true})),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let module = made.json()["id"].as_i64().unwrap();
    let made = c
        .instructor
        .api("POST", &format!("/api/v1/content/modules/{module}/items"), &staff, Some(serde_json::json!({"kind": "link", "title": "Datasheet", "url": "javascript:alert(1)", "published": true})))
        .await;
    assert_eq!(made.status, 409, "a script address is refused: {}", made.text);
    assert_eq!(made.json()["fields"][0]["field"], "url");
    let made = c
        .instructor
        .api("POST", &format!("/api/v1/content/modules/{module}/items"), &staff, Some(serde_json::json!({"kind": "link", "title": "Datasheet", "url": "https://example.edu/ds.pdf", "published": true})))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let datasheet = made.json()["id"].as_i64().unwrap();
    let page = c.instructor.get(&format!("/learning/items/{datasheet}")).await;
    assert!(page.contains("https://example.edu/ds.pdf") && !page.contains("<iframe"), "a plain link: {}", page.text);

    // A video service's link plays in the page, from the privacy-enhanced player the CSP allows.
    let made = c
        .instructor
        .api("POST", &format!("/api/v1/content/modules/{module}/items"), &staff, Some(serde_json::json!({"kind": "link", "title": "Lecture on YouTube", "url": "https://youtu.be/dQw4w9WgXcQ", "published": false})))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let player = c.instructor.get(&format!("/learning/items/{}", made.json()["id"].as_i64().unwrap())).await;
    assert!(player.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""), "{}", player.text);
    let policy = player.headers.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    for origin in qobe_domain::learning::EMBED_ORIGINS {
        assert!(policy.contains("frame-src") && policy.contains(origin), "{policy}");
    }

    let mine = s1.api("GET", &format!("/api/v1/offerings/{}/content", c.offering), &learner, None).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    let body = mine.json();
    let titles: Vec<&str> = body["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["items"].as_array().unwrap())
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Read me first", "Lecture notes", "Lecture video", "Datasheet"], "held items are left out");
    assert_eq!(body["progress"], serde_json::json!({"completed": 0, "total": 6}));
    assert_eq!(s1.api("GET", &format!("/api/v1/content/items/{}", built.gated), &learner, None).await.status, 404);

    let done = s1
        .api(
            "PUT",
            &format!("/api/v1/content/items/{}/completion", built.page),
            &learner,
            Some(serde_json::json!({"done": true})),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.json()["item"]["completed"], true);
    assert_eq!(s1.api("GET", &format!("/api/v1/content/items/{}", built.gated), &learner, None).await.status, 200);
    let part = s1
        .get_with(
            &format!("/api/v1/content/items/{}/file", built.video),
            &[("authorization", &format!("Bearer {learner}")), ("range", "bytes=0-3")],
        )
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, video(10)[..4]);

    let table =
        c.instructor.api("GET", &format!("/api/v1/offerings/{}/content/progress", c.offering), &staff, None).await;
    assert_eq!(table.status, 200, "{}", table.text);
    let row = &table.json()["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["progress"]["completed"] == 2)
        .cloned()
        .unwrap();
    assert_eq!(row["cells"][0], "completed");
    // A student may not read the class's progress; another institution finds nothing.
    assert_eq!(
        s1.api("GET", &format!("/api/v1/offerings/{}/content/progress", c.offering), &learner, None).await.status,
        403
    );
    let mut other = class(&t, "other").await;
    let foreign = other.admin.api_token().await;
    assert_eq!(
        other.admin.api("GET", &format!("/api/v1/offerings/{}/content", c.offering), &foreign, None).await.status,
        404
    );
    assert_eq!(
        other.admin.api("GET", &format!("/api/v1/content/items/{}", built.page), &foreign, None).await.status,
        404
    );
}

#[tokio::test]
async fn content_is_copied_from_an_earlier_offering_with_its_files_and_rules() {
    let t = TestApp::new().await;
    let mut c = class(&t, "uni").await;
    let built = build_week(&mut c, &t).await;
    // The same course next term, taught by the same instructor.
    crate::academics::term(&mut c.admin, "NEXT", 120).await;
    let made = c
        .admin
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", "EE-201"), ("term", "NEXT"), ("section", "A"), ("capacity", "30")],
        )
        .await;
    let next_page = made.location().unwrap().to_owned();
    let next: i64 = next_page.rsplit('/').next().unwrap().parse().unwrap();
    c.admin.submit(&next_page, &format!("{next_page}/instructors"), &[("email", "ins@uni.edu")]).await;
    let mut instructor = t.sign_in("ins@uni.edu").await;

    let page = instructor.get(&outline(next)).await;
    assert!(page.contains("Copy from an earlier offering"), "{}", page.text);
    let copied = instructor
        .submit(&outline(next), &format!("{}/copy", outline(next)), &[("from", &c.offering.to_string())])
        .await;
    assert_eq!(copied.status, 303, "{}", copied.text);
    let shown = instructor.get(&outline(next)).await.text;
    assert!(shown.contains("Week 1: Circuits") && shown.contains("<span class=\"badge warn\">Draft</span>"), "{shown}");
    let exercises = item_id(&shown, "Exercises");
    let notes = item_id(&shown, "Read me first");
    assert!(exercises != built.gated && notes != built.page, "new items");
    assert!(shown.contains("Released after “Read me first” is completed"), "the rule points at the copy: {shown}");
    // The copy's file has its own bytes: deleting the original leaves it.
    let copy_video = item_id(&shown, "Lecture video");
    c.instructor
        .submit(
            &format!("/learning/items/{}/edit", built.video),
            &format!("/learning/items/{}/delete", built.video),
            &[],
        )
        .await;
    t.run_jobs().await;
    let sent = instructor.get(&format!("/learning/items/{copy_video}/file")).await;
    assert_eq!(sent.status, 200);
    assert_eq!(sent.bytes, video(300_000));
}
