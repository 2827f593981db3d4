//! End to end in headless Chromium: an instructor enters marks in the grid (each saves as it
//! is typed), checks CLO attainment and submits; the head of department approves and
//! publishes; a student sees the grade and their outcome profile. Screenshots in
//! `test-artifacts/screenshots/`.

use std::time::Duration;

use crate::assessment::class;
use crate::browser::{launch, screenshots, serve, sign_in};
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn marks_to_published_results_in_a_real_browser() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let mut c = class(&t, "br").await;
    let items = c.plan(&t).await;
    t.invite(&mut c.admin, "head@br.edu", "program_coordinator").await;

    // The instructor types marks into the grid; each cell saves on its own.
    sign_in(&browser, &base, "ins@br.edu", PASSWORD).await;
    browser.goto(&format!("{base}{}", c.page("/marks"))).await.unwrap();
    let marks = [["8", "16", "7"], ["9", "12", "AB"], ["4", "6", "3"]];
    for (student, row) in c.students.iter().zip(marks) {
        for (item, value) in items.iter().zip(row) {
            let cell = format!("input[name='m{student}_{item}']");
            browser.fill(&cell, value).await.unwrap();
            browser.wait_for(&format!("{cell}.saved"), Duration::from_secs(10)).await.unwrap();
        }
    }
    let status = browser.text("#grid-status").await.unwrap();
    assert!(status.contains("Saved. CLO attainment now: CLO1"), "{status}");
    browser.fill(&format!("input[name='m{}_{}']", c.students[0], items[0]), "12").await.unwrap();
    browser.wait_for("input.cell.error", Duration::from_secs(10)).await.unwrap();
    assert!(browser.text("#grid-status").await.unwrap().contains("12 is outside 0–10"));
    // The refusal stands beside its cell, naming the student and the item.
    let beside = browser.text(&format!("#m{}_{}-error", c.students[0], items[0])).await.unwrap();
    assert!(beside.starts_with("Invited Person, Q1: 12 is outside 0–10"), "{beside}");
    browser.screenshot(&shots.join("20-marks-grid.png")).await.unwrap();
    browser.fill(&format!("input[name='m{}_{}']", c.students[0], items[0]), "8").await.unwrap();

    browser.goto(&format!("{base}{}", c.page("/attainment"))).await.unwrap();
    let attainment = browser.page_text().await.unwrap();
    assert!(attainment.contains("CLO1") && attainment.contains("met"), "{attainment}");
    browser.screenshot(&shots.join("21-clo-attainment.png")).await.unwrap();

    browser.goto(&format!("{base}{}", c.page("/grades"))).await.unwrap();
    // Answer the "are you sure?" question as a person would.
    browser.eval("window.confirm = () => true; true").await.unwrap();
    browser.click_and_wait_navigation("form[action$='/step/submit'] button").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Results are now submitted."));
    browser.click_and_wait_navigation("form[action='/logout'] button").await.unwrap();

    // The head of department approves and publishes.
    sign_in(&browser, &base, "head@br.edu", PASSWORD).await;
    browser.goto(&format!("{base}/results/approvals")).await.unwrap();
    browser.click_and_wait_navigation("#approvals a").await.unwrap();
    browser.screenshot(&shots.join("22-grades-for-approval.png")).await.unwrap();
    browser.click_and_wait_navigation("form[action$='/step/approve'] button").await.unwrap();
    browser.click_and_wait_navigation("form[action$='/step/publish'] button").await.unwrap();
    assert_eq!(browser.text("#result-status").await.unwrap().trim(), "published");
    browser.click_and_wait_navigation("form[action='/logout'] button").await.unwrap();

    // The student sees the grade and the outcome profile.
    sign_in(&browser, &base, "s1@br.edu", PASSWORD).await;
    browser.goto(&format!("{base}/my/results")).await.unwrap();
    let results = browser.page_text().await.unwrap();
    assert!(results.contains("EE-201") && results.contains("CGPA"), "{results}");
    browser.screenshot(&shots.join("23-student-results.png")).await.unwrap();
    browser.goto(&format!("{base}/my/outcomes")).await.unwrap();
    let outcomes = browser.page_text().await.unwrap();
    assert!(outcomes.contains("CLO1") && outcomes.contains("Course outcomes"), "{outcomes}");
    browser.screenshot(&shots.join("24-student-outcomes.png")).await.unwrap();
}
