//! Every report page in headless Chromium, as a coordinator sees it: the reports page, PLO
//! attainment with its heat maps and charts (then filtered to one cohort), a heat-map cell's
//! students, a student's outcome transcript, the CLO–PLO matrix with coverage, a course's trend,
//! and the program report made in the background with its progress followed by the page's own
//! script. Screenshots in `test-artifacts/screenshots/`.

use std::time::Duration;

use crate::browser::{cells, launch, screenshots, serve};
use crate::program_attainment::{ProgramClass, next_intake, program_class};
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn every_report_page_renders_in_a_real_browser() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let ProgramClass { mut c, program, page, assessed, cohort, course, plos, .. } = program_class(&t, "brr").await;
    // A second cohort (next year's intake, no evidence yet), so the cohort filter shows whether
    // it filters.
    next_intake(&t, &mut c, program).await;
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
    let programs = cells(&browser, "#report-programs").await;
    assert_eq!(programs.len(), 1, "{programs:?}");
    assert!(programs[0][0].starts_with("BSEE "), "{programs:?}");
    browser.screenshot(&shots.join("40-reports.png")).await.unwrap();

    browser.click_and_wait_navigation("#report-programs a[href$='/attainment']").await.unwrap();
    let heat = cells(&browser, "#plo-heatmap").await;
    let cohorts: Vec<&str> = heat.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(cohorts, ["BSEE 2026", "BSEE 2027", "All cohorts shown"]);
    assert_eq!(heat[0][1..3], ["100.0%", "50.0%"], "PLO1 attained by both students, PLO2 by one: {heat:?}");
    assert!(heat[0][3..].iter().chain(&heat[1][1..]).all(|cell| cell == "—"), "no other evidence: {heat:?}");
    let spread = cells(&browser, "#plo-distribution").await;
    let plo1 = spread.iter().find(|row| row[0] == "PLO1").unwrap();
    assert_eq!(plo1.last().unwrap(), "2 of 2", "{spread:?}");
    let trend = cells(&browser, "#plo-trend").await;
    assert_eq!(trend.len(), 1, "one term: {trend:?}");
    assert_eq!(trend[0][..3], ["Term NOW", "100.0%", "50.0%"], "{trend:?}");
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
    let filtered: Vec<String> = cells(&browser, "#plo-heatmap").await.into_iter().map(|row| row[0].clone()).collect();
    assert_eq!(filtered, ["BSEE 2026", "All cohorts shown"], "only the chosen cohort");
    browser.screenshot(&shots.join("42-plo-attainment-one-cohort.png")).await.unwrap();

    browser.goto(&format!("{base}{assessed}/attainment/{}/{}", cohort.id, plos[1].1)).await.unwrap();
    // Registration number, PLO score, attained, and the one CLO behind it.
    let students: Vec<Vec<String>> =
        cells(&browser, "#cell-students").await.into_iter().map(|row| row[1..].to_vec()).collect();
    assert_eq!(students, [["EE-0", "25.0%", "no", "25.0%"], ["EE-1", "82.5%", "yes", "82.5%"]]);
    browser.screenshot(&shots.join("43-heat-map-cell.png")).await.unwrap();
    browser.click_and_wait_navigation("#cell-students a").await.unwrap();
    assert_eq!(browser.text("h1").await.unwrap(), "Outcome transcript — Invited Person");
    // The first student: CLO1 (8 + 5) / 20 = 65 %, CLO2 (5 + 0) / 20 = 25 %.
    assert_eq!(
        cells(&browser, "#my-clos").await,
        [["EE-201", "Term NOW", "CLO1", "65.0% attained"], ["EE-201", "Term NOW", "CLO2", "25.0%"]]
    );
    browser.screenshot(&shots.join("44-outcome-transcript.png")).await.unwrap();

    browser.goto(&format!("{base}{page}/matrix")).await.unwrap();
    let coverage = cells(&browser, "#coverage").await;
    let verdicts: Vec<(&str, &str)> = coverage.iter().map(|row| (row[0].as_str(), row[5].as_str())).collect();
    assert_eq!(verdicts[..3], [("PLO1", "covered"), ("PLO2", "covered"), ("PLO3", "not covered")], "{coverage:?}");
    browser.screenshot(&shots.join("45-clo-plo-matrix-coverage.png")).await.unwrap();

    browser.goto(&format!("{base}/assessment/courses/{}/trends", course.id)).await.unwrap();
    let course_trend = cells(&browser, "#trend").await;
    assert_eq!(course_trend.len(), 1, "{course_trend:?}");
    assert!(course_trend[0][0].starts_with("Term NOW"), "{course_trend:?}");
    assert_eq!(
        course_trend[0][1..],
        ["100.0% (2 of 2)", "50.0% (1 of 2)"],
        "CLO1 and CLO2 this term: {course_trend:?}"
    );
    browser.screenshot(&shots.join("46-course-trend.png")).await.unwrap();

    // The program report: started from the page, its progress followed until it can be downloaded.
    browser.goto(&format!("{base}{assessed}/attainment")).await.unwrap();
    browser.click_and_wait_navigation("form[action$='/report'] button").await.unwrap();
    browser.wait_for("#job-file:not([hidden])", Duration::from_secs(60)).await.unwrap();
    assert!(browser.text("#job-stage").await.unwrap().contains("Ready to download"));
    assert_eq!(browser.eval("document.getElementById('job-progress').value").await.unwrap(), 100);
    browser.screenshot(&shots.join("47-program-report-ready.png")).await.unwrap();
}
