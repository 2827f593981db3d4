//! End to end in headless Chromium: an instructor enters marks in the grid (each saves as it
//! is typed), checks CLO attainment and submits; the head of department approves and
//! publishes; a student sees the grade and their outcome profile. Screenshots in
//! `test-artifacts/screenshots/`.

use std::time::Duration;

use crate::assessment::class;
use crate::browser::{cells, launch, screenshots, serve, sign_in};
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
    // CLO1: s1 (8 + 8) / 20 = 80 %, s2 (9 + 6) / 20 = 75 %, s3 (4 + 3) / 20 = 35 % → two of
    // three attain (66.7 %, target 60 % met). CLO2: 75 %, 30 % (absent is zero), 30 % → one.
    let table = cells(&browser, "#attainment").await;
    assert_eq!(table[0], ["CLO1", "3", "2 (66.7%)", "63.3%", "66.7%", "met"], "{table:?}");
    assert_eq!(table[1][..5], ["CLO2", "3", "1 (33.3%)", "45.0%", "33.3%"], "{table:?}");
    assert!(table[1][5].starts_with("not met"), "{table:?}");
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
    // s1: quiz (8 + 16) / 30 = 80 % × 20 + final 7 / 10 = 70 % × 80 → 72 %: B, 3.00 points.
    let results = cells(&browser, "table.my-results").await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert!(results[0][0].starts_with("EE-201"), "{results:?}");
    assert_eq!(results[0][2..], ["B", "3.00"], "{results:?}");
    assert!(browser.text("#cgpa").await.unwrap().starts_with("CGPA: 3.00"));
    browser.screenshot(&shots.join("23-student-results.png")).await.unwrap();
    browser.goto(&format!("{base}/my/outcomes")).await.unwrap();
    let outcomes: Vec<Vec<String>> =
        cells(&browser, "#my-clos").await.into_iter().map(|row| row[2..].to_vec()).collect();
    assert_eq!(outcomes, [["CLO1", "80.0% attained"], ["CLO2", "75.0% attained"]]);
    browser.screenshot(&shots.join("24-student-outcomes.png")).await.unwrap();
}
