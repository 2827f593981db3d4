//! Every report page in headless Chromium, as a coordinator sees it: the reports page, PLO
//! attainment with its heat maps and charts (then filtered to one cohort), a heat-map cell's
//! students, a student's outcome transcript, the CLO–PLO matrix with coverage, a course's trend,
//! and the program report made in the background with its progress followed by the page's own
//! script. Screenshots in `test-artifacts/screenshots/`.

use std::time::Duration;

use crate::browser::{launch, screenshots, serve};
use crate::program_attainment::{ProgramClass, program_class};
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn every_report_page_renders_in_a_real_browser() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let ProgramClass { mut c, page, cohort, course, plos, .. } = program_class(&t, "brr").await;
    // Results approved and published, so the transcript has frozen outcomes to show.
    let grades = c.page("/grades");
    c.instructor
        .submit(
            &grades,
            &c.page("/grades/step/submit"),
            &[("confirm_blanks", "on"), ("note", "one student has no marks yet")],
        )
        .await;
    c.admin.submit(&grades, &c.page("/grades/step/approve"), &[]).await;
    c.admin.submit(&grades, &c.page("/grades/step/publish"), &[]).await;

    browser.goto(&format!("{base}/login")).await.unwrap();
    browser.fill("#f-email", "admin@brr.edu").await.unwrap();
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();

    browser.goto(&format!("{base}/reports")).await.unwrap();
    assert!(browser.text("#report-programs").await.unwrap().contains("PLO attainment"));
    browser.screenshot(&shots.join("40-reports.png")).await.unwrap();

    browser.click_and_wait_navigation("#report-programs a[href$='/attainment']").await.unwrap();
    let heat = browser.text("#plo-heatmap").await.unwrap();
    assert!(heat.contains("BSEE 2026") && heat.contains("100.0%") && heat.contains("50.0%"), "{heat}");
    let spread = browser.text("#plo-distribution").await.unwrap();
    assert!(spread.contains("PLO1") && spread.contains("2 of 2"), "{spread}");
    assert!(browser.text("#plo-trend").await.unwrap().contains("Term NOW"));
    browser.screenshot(&shots.join("41-plo-attainment.png")).await.unwrap();
    // Report tables sort by a column; a second click reverses.
    let first_row = "document.querySelector('#plo-distribution tbody tr th').innerText";
    browser.click("#plo-distribution thead th:first-child").await.unwrap();
    assert_eq!(browser.eval(first_row).await.unwrap(), "PLO1");
    browser.click("#plo-distribution thead th:first-child").await.unwrap();
    assert_eq!(browser.eval(first_row).await.unwrap(), "PLO7");

    browser.eval(&format!("document.getElementById('f-cohort').value = '{}'; true", cohort.id)).await.unwrap();
    browser.click_and_wait_navigation("form.filters button").await.unwrap();
    assert!(browser.url().await.unwrap().contains(&format!("cohort={}", cohort.id)));
    assert!(browser.page_text().await.unwrap().contains("All cohorts shown"));
    browser.screenshot(&shots.join("42-plo-attainment-one-cohort.png")).await.unwrap();

    browser.goto(&format!("{base}{page}/attainment/{}/{}", cohort.id, plos[1].1)).await.unwrap();
    assert!(browser.text("#cell-students").await.unwrap().contains("82.5%"));
    browser.screenshot(&shots.join("43-heat-map-cell.png")).await.unwrap();
    browser.click_and_wait_navigation("#cell-students a").await.unwrap();
    let transcript = browser.page_text().await.unwrap();
    assert!(transcript.contains("Outcome transcript") && transcript.contains("EE-201"), "{transcript}");
    browser.screenshot(&shots.join("44-outcome-transcript.png")).await.unwrap();

    browser.goto(&format!("{base}{page}/matrix")).await.unwrap();
    assert!(browser.text("#coverage").await.unwrap().contains("not covered"));
    browser.screenshot(&shots.join("45-clo-plo-matrix-coverage.png")).await.unwrap();

    browser.goto(&format!("{base}/academics/courses/{}/trends", course.id)).await.unwrap();
    assert!(browser.text("#trend").await.unwrap().contains("Term NOW"));
    browser.screenshot(&shots.join("46-course-trend.png")).await.unwrap();

    // The program report: started from the page, its progress followed until it can be downloaded.
    browser.goto(&format!("{base}{page}/attainment")).await.unwrap();
    browser.click_and_wait_navigation("form[action$='/report'] button").await.unwrap();
    browser.wait_for("#job-file:not([hidden])", Duration::from_secs(60)).await.unwrap();
    assert!(browser.text("#job-stage").await.unwrap().contains("Ready to download"));
    assert_eq!(browser.eval("document.getElementById('job-progress').value").await.unwrap(), 100);
    browser.screenshot(&shots.join("47-program-report-ready.png")).await.unwrap();
}
