//! A course exit survey end to end in headless Chromium: a coordinator makes it from the
//! offering's CLOs and publishes it to the class and an employer; two students answer on a
//! phone (one saves and comes back), the employer through the link in their email; the results
//! page shows its charts; the course file shows direct, indirect and blended CLO attainment.
//! Screenshots in `test-artifacts/screenshots/`.

use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::class;
use crate::browser::{cells, launch, screenshots, serve, sign_in, sign_out};
use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_course_exit_survey_is_made_answered_on_phones_and_blended_in_a_real_browser() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let mut c = class(&t, "bsv").await;
    t.invite(&mut c.admin, "coord@bsv.edu", "program_coordinator").await;

    // The coordinator makes the survey from the CLOs and publishes it.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "coord@bsv.edu", PASSWORD).await;
    browser.goto(&format!("{base}/surveys")).await.unwrap();
    browser.fill("#f-purpose", "course_exit").await.unwrap();
    browser.fill("#f-offering", &c.offering.to_string()).await.unwrap();
    browser.click_and_wait_navigation("#new-survey button[type=submit]").await.unwrap();
    let page = browser.url().await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Survey made"), "{page}");
    // The settings of other kinds are hidden by the page's script; the scale's are shown.
    let hidden = browser.eval("document.querySelector('#q-clo1 [data-kinds=\"numeric\"]').hidden").await.unwrap();
    assert_eq!(hidden, serde_json::json!(true));
    browser.click_and_wait_navigation("button[value='down:clo1']").await.unwrap();
    let order = browser
        .eval("Array.from(document.querySelectorAll('.designer-question')).map((q) => q.id).join(' ')")
        .await
        .unwrap();
    assert!(order.as_str().unwrap().starts_with("q-clo2 q-clo1"), "{order}");
    browser.screenshot(&shots.join("30-survey-designer.png")).await.unwrap();
    // And by drag and drop: clo1 dragged by its handle back above clo2, kept when saved.
    browser.drag("#q-clo1 .drag-handle", "#q-clo2").await.unwrap();
    let order_now = "Array.from(document.querySelectorAll('.designer-question')).map((q) => q.id).join(' ')";
    let dragged = browser.eval(order_now).await.unwrap();
    assert!(dragged.as_str().unwrap().starts_with("q-clo1 q-clo2"), "{dragged}");
    assert_eq!(
        browser.eval("document.querySelector('#designer .unsaved').hidden").await.unwrap(),
        serde_json::json!(false)
    );
    browser.click_and_wait_navigation("#designer button[value='save']:not(.visually-hidden)").await.unwrap();
    let saved = browser.eval(order_now).await.unwrap();
    assert!(saved.as_str().unwrap().starts_with("q-clo1 q-clo2"), "the dragged order is saved: {saved}");
    browser.fill("#f-external", "hr@acme.com").await.unwrap();
    browser.click_and_wait_navigation("#publish button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Published: 3 people and 1 external"), "{page}");
    sign_out(&browser).await;

    // Two students answer on a phone; the first saves one answer and comes back to finish.
    browser.set_viewport(390, 844, true).await.unwrap();
    for (student, finish_later) in [("s1@bsv.edu", true), ("s2@bsv.edu", false)] {
        sign_in(&browser, &base, student, PASSWORD).await;
        browser.click_and_wait_navigation("#surveys-to-answer a").await.unwrap();
        browser.click("input[name='clo1'][value='4']").await.unwrap();
        if finish_later {
            browser.click_and_wait_navigation("button[name='save']").await.unwrap();
            browser.goto(&format!("{base}/")).await.unwrap();
            assert!(browser.page_text().await.unwrap().contains("continue where you left off"));
            browser.click_and_wait_navigation("#surveys-to-answer a").await.unwrap();
            let kept = browser.eval("document.querySelector(\"input[name='clo1'][value='4']\").checked").await.unwrap();
            assert_eq!(kept, serde_json::json!(true), "the saved answer is there");
            // Submitting without the required second item is refused beside it.
            browser.click_and_wait_navigation("button[name='finish']").await.unwrap();
            assert!(browser.text("#e-clo2").await.unwrap().contains("answer this question"));
            browser.screenshot(&shots.join("31-survey-on-a-phone.png")).await.unwrap();
        }
        browser.click("input[name='clo2'][value='5']").await.unwrap();
        browser.click_and_wait_navigation("button[name='finish']").await.unwrap();
        assert!(browser.page_text().await.unwrap().contains("Thank you"));
        sign_out(&browser).await;
    }

    // The employer answers through their link, with no account.
    let link = t.link_in_last_email("hr@acme.com").await;
    browser.goto(&format!("{base}{link}")).await.unwrap();
    browser.click("input[name='clo1'][value='3']").await.unwrap();
    browser.click("input[name='clo2'][value='3']").await.unwrap();
    browser.click_and_wait_navigation("button[name='finish']").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Thank you"));

    // Three responses: with the institution's minimum at 3 the results show, with charts.
    let conn = t.app.store.conn();
    let sql = "UPDATE institutions SET survey_min_responses = 3 WHERE slug = 'bsv'";
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap();
    crate::surveys_pages::weigh_surveys(&mut c.admin, "20").await;
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "coord@bsv.edu", PASSWORD).await;
    browser.goto(&format!("{page}/results")).await.unwrap();
    let charts = browser.eval("document.querySelectorAll('svg.chart').length").await.unwrap();
    assert!(charts.as_u64().unwrap() >= 3, "the indirect chart and one per rated question: {charts}");
    // CLO1: (4 + 4 + 3) / 15 = 73.3 %; CLO2: (5 + 5 + 3) / 15 = 86.7 %.
    let indirect = cells(&browser, "#indirect-table").await;
    assert_eq!(indirect.len(), 2, "{indirect:?}");
    assert!(indirect.iter().any(|r| r[0].ends_with("CLO1") && r[3] == "73.3%"), "{indirect:?}");
    assert!(indirect.iter().any(|r| r[0].ends_with("CLO2") && r[3] == "86.7%"), "{indirect:?}");
    browser.screenshot(&shots.join("32-survey-results.png")).await.unwrap();

    // The course file: no marks yet, so the blend is the surveys' figure alone.
    browser.goto(&format!("{base}/assessment/offerings/{}/course-file", c.offering)).await.unwrap();
    let blended = cells(&browser, "#file-blended").await;
    assert_eq!(blended[0][..2], ["CLO1", "—"], "{blended:?}");
    assert!(blended[0][2].starts_with("73.3%") && blended[0][3] == "73.3%", "{blended:?}");
    browser.screenshot(&shots.join("33-course-file-direct-indirect-blended.png")).await.unwrap();
}
