//! An assignment end to end in headless Chromium: the instructor makes the plan's quiz an
//! assignment on its page; a student on a phone hands in a PDF with a note; the instructor
//! grades with the keyboard (marks typed, saved and on to the next student, Alt+← back) and the
//! marks are in the marks grid and CLO attainment. Screenshots in `test-artifacts/screenshots/`.

use std::time::Duration;

use crate::assessment::class;
use crate::browser::{launch, screenshots, serve, sign_in, sign_out};
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_student_hands_in_on_a_phone_and_the_instructor_grades_with_the_keyboard() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let mut c = class(&t, "bas").await;
    c.plan(&t).await;
    let dir = std::env::temp_dir().join(format!("qobe-assignment-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("my-working.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").unwrap();

    // The instructor makes the quiz an assignment from the course's Assignments tab.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "ins@bas.edu", PASSWORD).await;
    browser.goto(&format!("{base}/academics/offerings/{}", c.offering)).await.unwrap();
    browser.click_and_wait_navigation(".course-tabs a[href^='/assignments/offerings/']").await.unwrap();
    let quiz = browser.eval("document.querySelector('#f-assessment option:nth-child(2)').value").await.unwrap();
    browser.fill("#f-assessment", quiz.as_str().unwrap()).await.unwrap();
    browser.fill("#new-assignment #f-title", "Problem set 1").await.unwrap();
    browser.fill("#new-assignment #f-instructions", "Show your working for **every** problem.").await.unwrap();
    browser.fill("#f-file_types", "pdf").await.unwrap();
    let due = (t.app.now() + chrono::Duration::days(3)).format("%Y-%m-%dT%H:%M").to_string();
    browser.fill("#f-due_at", &due).await.unwrap();
    browser.fill("#f-late_percent", "10").await.unwrap();
    browser.click("#new-assignment input[name=published]").await.unwrap();
    browser.click_and_wait_navigation("#new-assignment button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Assignment made"));
    let assignment = browser.eval("location.pathname").await.unwrap().as_str().unwrap().to_owned();
    browser.screenshot(&shots.join("51-assignment-overview.png")).await.unwrap();
    sign_out(&browser).await;

    // A student on a phone finds it under the course's Assignments and hands in a PDF.
    browser.set_viewport(390, 844, true).await.unwrap();
    sign_in(&browser, &base, "s1@bas.edu", PASSWORD).await;
    browser.goto(&format!("{base}/learning/offerings/{}", c.offering)).await.unwrap();
    browser.click_and_wait_navigation(".course-tabs a[href^='/assignments/offerings/']").await.unwrap();
    browser.click_and_wait_navigation(&format!("a[href='{assignment}']")).await.unwrap();
    assert!(browser.text("#deadline").await.unwrap().contains("10% off per day late"));
    browser.fill("#f-body", "My answers are in the PDF.").await.unwrap();
    browser.set_files("#f-files", &[pdf.as_path()]).await.unwrap();
    browser.click_and_wait_navigation("#hand-in button[type=submit]").await.unwrap();
    let versions = browser.text("#versions").await.unwrap();
    assert!(
        versions.contains("Version 1") && versions.contains("my-working.pdf") && versions.contains("On time"),
        "{versions}"
    );
    browser.screenshot(&shots.join("52-assignment-handed-in-on-a-phone.png")).await.unwrap();
    sign_out(&browser).await;

    // The instructor grades: marks typed, Save and next, then Alt+← back to the first student.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "ins@bas.edu", PASSWORD).await;
    browser.goto(&format!("{base}{assignment}/grade")).await.unwrap();
    assert!(browser.text("#work").await.unwrap().contains("my-working.pdf"));
    let fields = browser
        .eval("Array.from(document.querySelectorAll('#marking input[name^=item-]')).map((i) => i.id)")
        .await
        .unwrap();
    let fields: Vec<String> = serde_json::from_value(fields).unwrap();
    assert_eq!(fields.len(), 2, "Q1 and Q2 of the quiz");
    browser.fill(&format!("#{}", fields[0]), "8").await.unwrap();
    browser.fill(&format!("#{}", fields[1]), "16").await.unwrap();
    browser.fill("#f-feedback", "Clear working.").await.unwrap();
    browser.screenshot(&shots.join("53-grading.png")).await.unwrap();
    browser.click_and_wait_navigation("#marking button[value=next]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Marks saved"));
    assert!(browser.text("#work").await.unwrap().contains("Nothing handed in"), "on to the next student");
    browser
        .eval("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', altKey: true, bubbles: true })); true")
        .await
        .unwrap();
    browser.wait_for("#work a[href*='/files/']", Duration::from_secs(10)).await.unwrap();
    let kept = browser.eval(&format!("document.querySelector('#{}').value", fields[0])).await.unwrap();
    assert_eq!(kept, serde_json::json!("8"), "the first student again, with the marks given");

    // The marks grid has them, and CLO attainment counts them.
    browser.goto(&format!("{base}/assessment/offerings/{}/marks", c.offering)).await.unwrap();
    let grid = browser
        .eval("Array.from(document.querySelectorAll('#marks input')).map((i) => i.value).filter((v) => v).join(',')")
        .await
        .unwrap();
    assert_eq!(grid, serde_json::json!("8,16"), "{grid}");
    browser.goto(&format!("{base}/assessment/offerings/{}/attainment", c.offering)).await.unwrap();
    let attainment = browser.page_text().await.unwrap();
    assert!(attainment.contains("CLO1") && attainment.contains("2 marks entered"), "{attainment}");
    browser.screenshot(&shots.join("54-assignment-marks-in-attainment.png")).await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
