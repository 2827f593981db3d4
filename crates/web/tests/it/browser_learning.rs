//! Course content end to end in headless Chromium: an instructor builds a module with a page,
//! a PDF and a video with captions; a student on a phone opens the content, plays and seeks in
//! the video (captions loaded), marks the page done and sees their progress move; the
//! instructor sees it in the class table; the student asks in the forum, the instructor
//! replies, and the student reads the reply. Screenshots in `test-artifacts/screenshots/`.

use std::path::PathBuf;

use crate::assessment::class;
use crate::browser::{launch, screenshots, serve, sign_in, sign_out};
use crate::support::{PASSWORD, TestApp};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures").join(name)
}

#[tokio::test]
async fn an_instructor_builds_a_module_and_a_student_on_a_phone_works_through_it() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let c = class(&t, "bln").await;
    let dir = std::env::temp_dir().join(format!("qobe-learning-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("week-1-notes.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").unwrap();
    let captions = dir.join("lecture.vtt");
    std::fs::write(
        &captions,
        "WEBVTT\n\n00:00.000 --> 00:03.000\nOhm's law\n\n00:03.000 --> 00:06.000\nKirchhoff's laws\n",
    )
    .unwrap();
    let content = format!("{base}/learning/offerings/{}", c.offering);

    // The instructor adds a published module, then a page, a PDF and a video with captions.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "ins@bln.edu", PASSWORD).await;
    browser.goto(&format!("{base}/academics/offerings/{}", c.offering)).await.unwrap();
    let tab = format!(".course-tabs a[href='/learning/offerings/{}']", c.offering);
    browser.click_and_wait_navigation(&tab).await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("This course has no content yet"));
    browser.fill("#new-module #f-title", "Week 1: Circuits").await.unwrap();
    browser.click("#new-module input[name=published]").await.unwrap();
    browser.click_and_wait_navigation("#new-module button[type=submit]").await.unwrap();
    browser.click_and_wait_navigation("a[href$='new?kind=page']").await.unwrap();
    browser.fill("#f-title", "Read me first").await.unwrap();
    browser.fill("#f-body", "# Ohm's law\n\nV = IR. Watch the lecture, then try the exercises.").await.unwrap();
    browser.fill("#f-completion", "done").await.unwrap();
    browser.click_and_wait_navigation("#item-form button[type=submit]").await.unwrap();
    let after = browser.page_text().await.unwrap();
    assert!(after.contains("Item added"), "{after}");
    for (title, file, extra) in
        [("Lecture notes", &pdf, None), ("Lecture video", &fixture("lecture.webm"), Some(&captions))]
    {
        browser.click_and_wait_navigation("a[href$='new?kind=file']").await.unwrap();
        browser.fill("#f-title", title).await.unwrap();
        browser.set_files("#f-file", &[file.as_path()]).await.unwrap();
        if let Some(vtt) = extra {
            browser.set_files("#f-captions", &[vtt.as_path()]).await.unwrap();
        }
        browser.click_and_wait_navigation("#item-form button[type=submit]").await.unwrap();
        assert!(browser.page_text().await.unwrap().contains("File uploaded"), "{title}");
    }
    let listed = browser
        .eval("Array.from(document.querySelectorAll('ol.content-items li > a')).map((a) => a.textContent).join('|')")
        .await
        .unwrap();
    assert_eq!(listed, serde_json::json!("Read me first|Lecture notes|Lecture video"));
    browser.eval("window.scrollTo(0, 0); true").await.unwrap();
    browser.screenshot(&shots.join("40-content-instructor.png")).await.unwrap();
    // And announces it to the class.
    browser.click_and_wait_navigation(".course-tabs a[href$='/announcements']").await.unwrap();
    browser.fill("#new-announcement #f-title", "Week 1 is up").await.unwrap();
    browser.fill("#new-announcement #f-body", "Start with **Read me first**, then the lecture video.").await.unwrap();
    browser.click_and_wait_navigation("#new-announcement button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Announcement posted"));
    sign_out(&browser).await;

    // A student on a phone.
    browser.set_viewport(390, 844, true).await.unwrap();
    sign_in(&browser, &base, "s1@bln.edu", PASSWORD).await;
    let home = browser.text("#announcements-home").await.unwrap();
    assert!(home.contains("Week 1 is up") && home.contains("New"), "{home}");
    browser.screenshot(&shots.join("44-announcement-on-a-phone-home.png")).await.unwrap();
    browser.goto(&content).await.unwrap();
    assert!(browser.text("#my-progress").await.unwrap().contains("0 of 3"));
    browser.click_and_wait_navigation("ol.content-items li:nth-child(3) > a").await.unwrap();
    // The video plays from the file store and seeks: the browser asks for ranges.
    let ready = browser
        .eval(
            "new Promise((done) => { const v = document.querySelector('video'); \
             const go = () => { v.currentTime = 4.2; v.addEventListener('seeked', () => done({ t: v.currentTime, d: v.duration, cues: v.textTracks[0] && v.textTracks[0].cues ? v.textTracks[0].cues.length : 0 }), { once: true }); }; \
             v.textTracks[0].mode = 'showing'; if (v.readyState >= 1) go(); else v.addEventListener('loadedmetadata', go, { once: true }); })",
        )
        .await
        .unwrap();
    let at = ready["t"].as_f64().unwrap();
    assert!((4.0..4.5).contains(&at), "seeked to {ready}");
    assert!((ready["d"].as_f64().unwrap() - 6.0).abs() < 0.5, "six seconds long: {ready}");
    let cues = browser
        .eval("new Promise((done) => { const t = document.querySelector('video').textTracks[0]; const check = () => t.cues && t.cues.length ? done(t.cues.length) : setTimeout(check, 50); check(); })")
        .await
        .unwrap();
    assert_eq!(cues, serde_json::json!(2), "both captions are loaded");
    browser.screenshot(&shots.join("41-content-video-on-a-phone.png")).await.unwrap();

    // The page asks to be marked done.
    browser.goto(&content).await.unwrap();
    browser.click_and_wait_navigation("ol.content-items li:nth-child(1) > a").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Ohm's law"));
    browser.click_and_wait_navigation("#completion button[value=yes]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Marked done"));
    browser.goto(&content).await.unwrap();
    let progress = browser.text("#my-progress").await.unwrap();
    assert!(progress.contains("2 of 3"), "the page done and the video opened: {progress}");
    let bar = browser.eval("document.querySelector('#content-progress').value").await.unwrap();
    assert_eq!(bar, serde_json::json!(2));
    browser.screenshot(&shots.join("42-content-progress-on-a-phone.png")).await.unwrap();
    // The student asks in the course's forum.
    browser.click_and_wait_navigation(".course-tabs a[href$='/forum']").await.unwrap();
    browser.fill("#new-thread #f-title", "Sign of the current").await.unwrap();
    browser.fill("#new-thread #f-body", "In the video at 0:04, why is the current *negative*?").await.unwrap();
    browser.click_and_wait_navigation("#new-thread button[type=submit]").await.unwrap();
    let thread = browser.eval("location.pathname").await.unwrap().as_str().unwrap_or_default().to_owned();
    assert!(thread.starts_with("/learning/threads/"), "{thread}");
    assert!(browser.text("#posts").await.unwrap().contains("why is the current negative?"));
    browser.screenshot(&shots.join("55-forum-question-on-a-phone.png")).await.unwrap();
    sign_out(&browser).await;

    // The instructor's class table shows it.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "ins@bln.edu", PASSWORD).await;
    browser.goto(&format!("{content}/progress")).await.unwrap();
    let rows = crate::browser::cells(&browser, "#progress").await;
    let row = rows.iter().find(|r| r.last().is_some_and(|c| c.contains("2/3"))).unwrap_or_else(|| panic!("{rows:?}"));
    let states: Vec<bool> = row[1..4].iter().map(|cell| cell.ends_with("Completed")).collect();
    assert_eq!(states, [true, false, true], "the page and the video, not the notes: {row:?}");
    browser.screenshot(&shots.join("43-content-class-progress.png")).await.unwrap();

    // The instructor finds the new thread in the forum and replies.
    browser.click_and_wait_navigation(".course-tabs a[href$='/forum']").await.unwrap();
    let list = browser.text("#threads").await.unwrap();
    assert!(list.contains("Sign of the current") && list.contains("1 new"), "{list}");
    browser.click_and_wait_navigation(&format!("a[href='{thread}']")).await.unwrap();
    browser.fill("#reply #f-body", "It flows against the arrow you drew: **keep the sign**.").await.unwrap();
    browser.click_and_wait_navigation("#reply button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Reply posted"));
    browser.screenshot(&shots.join("56-forum-reply.png")).await.unwrap();
    sign_out(&browser).await;

    // The student sees the reply, marked new.
    browser.set_viewport(390, 844, true).await.unwrap();
    sign_in(&browser, &base, "s1@bln.edu", PASSWORD).await;
    browser.goto(&format!("{base}{thread}")).await.unwrap();
    let posts = browser.text("#posts").await.unwrap();
    assert!(posts.contains("keep the sign") && posts.contains("New"), "{posts}");
    let _ = std::fs::remove_dir_all(dir);
}
