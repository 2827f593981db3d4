//! A quiz end to end in headless Chromium: the instructor writes three questions in the course's
//! bank through its form, makes the plan's quiz assessment a quiz of them and publishes it; a
//! student on a phone starts it, answers as the page saves each answer in the background,
//! reloads in the middle (nothing is lost), finishes and hands in; the instructor finds the
//! points in the marks grid and CLO attainment. Screenshots in `test-artifacts/screenshots/`.

use std::time::Duration;

use qobe_browser::Browser;

use crate::assessment::class;
use crate::browser::{launch, screenshots, serve, sign_in, sign_out};
use crate::support::{PASSWORD, TestApp};

/// Writes one question through the bank's form.
async fn write_question(browser: &Browser, fields: &[(&str, &str)]) {
    for (field, value) in fields {
        browser.fill(&format!("#question-form #f-{field}"), value).await.unwrap();
    }
    browser.click_and_wait_navigation("#question-form button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Question added"), "{}", browser.page_text().await.unwrap());
}

/// Picks, in a select of the quiz's sections, the option whose text holds `words`.
async fn pick(browser: &Browser, select: &str, words: &str) {
    let script = format!(
        "(() => {{ const s = document.querySelector({select:?}); \
         const o = [...s.options].find((o) => o.text.includes({words:?})); \
         s.value = o.value; return o.value; }})()"
    );
    let picked = browser.eval(&script).await.unwrap();
    assert!(picked.as_str().is_some_and(|v| !v.is_empty()), "{select}: {words}");
}

/// The id of the attempt's question (its `li`) whose prompt holds `words`.
async fn question(browser: &Browser, words: &str) -> String {
    let script = format!(
        "[...document.querySelectorAll('ol.quiz li.question')].find((li) => li.querySelector('.prose').textContent.includes({words:?})).id"
    );
    browser.eval(&script).await.unwrap().as_str().unwrap().to_owned()
}

/// Waits until the page's script reports the question's answer saved.
async fn saved(browser: &Browser, li: &str) {
    browser.wait_for(&format!("#{li} form[data-saved='true']"), Duration::from_secs(10)).await.unwrap();
    assert!(browser.text(&format!("#{li} .save-status")).await.unwrap().starts_with("Saved"));
}

#[tokio::test]
async fn an_instructor_builds_a_quiz_from_the_bank_and_a_student_on_a_phone_takes_it_through_a_reload() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();
    let mut c = class(&t, "bqz").await;
    c.plan(&t).await;

    // The instructor writes three questions in the bank from the course's Quizzes tab.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "ins@bqz.edu", PASSWORD).await;
    browser.goto(&format!("{base}/academics/offerings/{}", c.offering)).await.unwrap();
    browser.click_and_wait_navigation(".course-tabs a[href^='/quizzes/offerings/']").await.unwrap();
    browser.click_and_wait_navigation(".page-head a[href$='/bank']").await.unwrap();
    let ohm = [
        ("kind", "single_choice"),
        ("points", "2"),
        ("prompt", "What current flows through 4 Ω at 12 V?"),
        ("lines", "2 A\n*3 A\n4 A"),
        ("category", "Ohm's law"),
    ];
    write_question(&browser, &ohm).await;
    let numeric = [
        ("kind", "numeric"),
        ("points", "2"),
        ("prompt", "What resistance, in ohms, passes 4 A at 12 V?"),
        ("answer", "3"),
        ("tolerance", "0.1"),
        ("category", "Ohm's law"),
    ];
    write_question(&browser, &numeric).await;
    let truth = [("kind", "true_false"), ("prompt", "Current is measured in amperes."), ("truth", "true")];
    write_question(&browser, &truth).await;
    assert_eq!(browser.eval("document.querySelectorAll('ol.bank li').length").await.unwrap(), 3);
    browser.screenshot(&shots.join("57-quiz-bank.png")).await.unwrap();

    // The plan's quiz assessment made a quiz: three fixed questions, two on Q1 and one on Q2.
    browser.click_and_wait_navigation(".page-head a[href^='/quizzes/offerings/']:not([href$='/qti'])").await.unwrap();
    let assessment = browser.eval("document.querySelector('#f-assessment option:nth-child(2)').value").await.unwrap();
    browser.fill("#f-assessment", assessment.as_str().unwrap()).await.unwrap();
    browser.fill("#new-quiz #f-title", "Quiz 1: Ohm's law").await.unwrap();
    browser.fill("#new-quiz #f-time_limit_minutes", "30").await.unwrap();
    browser.click_and_wait_navigation("#new-quiz button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Quiz made"));
    for (row, item, words) in [(0, "Q1", "4 Ω at 12 V"), (1, "Q1", "passes 4 A"), (2, "Q2", "amperes")] {
        pick(&browser, &format!("select[name='section-item-{row}']"), item).await;
        pick(&browser, &format!("select[name='section-question-{row}']"), words).await;
    }
    browser.fill("#settings input[name=published]", "on").await.unwrap();
    browser.screenshot(&shots.join("58-quiz-settings.png")).await.unwrap();
    browser.click_and_wait_navigation("#settings button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Quiz saved"), "{}", browser.page_text().await.unwrap());
    let quiz = browser.eval("location.pathname").await.unwrap().as_str().unwrap().to_owned();
    sign_out(&browser).await;

    // A student on a phone finds it under the course's Quizzes and starts it.
    browser.set_viewport(390, 844, true).await.unwrap();
    sign_in(&browser, &base, "s1@bqz.edu", PASSWORD).await;
    browser.goto(&format!("{base}/learning/offerings/{}", c.offering)).await.unwrap();
    browser.click_and_wait_navigation(".course-tabs a[href^='/quizzes/offerings/']").await.unwrap();
    browser.click_and_wait_navigation(&format!("a[href='{quiz}']")).await.unwrap();
    browser.click_and_wait_navigation("#start").await.unwrap();
    assert!(browser.text("#clock").await.unwrap().contains("Time left"));
    let source = browser.eval("document.documentElement.outerHTML").await.unwrap();
    assert!(!source.as_str().unwrap().contains("Right answer"), "no key in the page before the close");

    // The choice is saved in the background the moment it is picked.
    let choice = question(&browser, "4 Ω at 12 V").await;
    let three_amperes = format!(
        "[...document.querySelectorAll('#{choice} label.option')].find((l) => l.textContent.trim() === '3 A').querySelector('input').click(); true"
    );
    browser.eval(&three_amperes).await.unwrap();
    saved(&browser, &choice).await;
    browser.screenshot(&shots.join("59-quiz-on-a-phone.png")).await.unwrap();

    // The phone reloads the page (a dropped connection, a closed tab): the answer is still there.
    let attempt = browser.eval("location.href").await.unwrap().as_str().unwrap().to_owned();
    browser.goto(&attempt).await.unwrap();
    let kept = browser
        .eval(&format!(
            "document.querySelector('#{choice} input[type=radio]:checked').parentElement.textContent.trim()"
        ))
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!("3 A"), "the saved answer survives the reload");
    assert!(browser.text(&format!("#{choice} .save-status")).await.unwrap().starts_with("Saved"));

    // The rest, typed and picked; then handed in.
    let typed = question(&browser, "passes 4 A").await;
    browser.fill(&format!("#{typed} input[name=text]"), "3,0").await.unwrap();
    saved(&browser, &typed).await;
    let truth = question(&browser, "amperes").await;
    let true_label = format!(
        "[...document.querySelectorAll('#{truth} label.option')].find((l) => l.textContent.trim() === 'True').querySelector('input').click(); true"
    );
    browser.eval(&true_label).await.unwrap();
    saved(&browser, &truth).await;
    browser.click_and_wait_navigation("#hand-in-button").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Handed in"));
    let mine = browser.text("#my-attempts").await.unwrap();
    assert!(mine.contains("Handed in") && mine.contains("5 / 5"), "{mine}");
    browser.screenshot(&shots.join("60-quiz-handed-in-on-a-phone.png")).await.unwrap();
    sign_out(&browser).await;

    // The instructor finds the points on the items in the marks grid and in CLO attainment.
    browser.set_viewport(1280, 900, false).await.unwrap();
    sign_in(&browser, &base, "ins@bqz.edu", PASSWORD).await;
    browser.goto(&format!("{base}/assessment/offerings/{}/marks", c.offering)).await.unwrap();
    let grid = browser
        .eval("Array.from(document.querySelectorAll('#marks input')).map((i) => i.value).filter((v) => v).join(',')")
        .await
        .unwrap();
    assert_eq!(grid, serde_json::json!("10,20"), "Q1: 4 of 4 points → 10 of 10; Q2: 1 of 1 → 20 of 20");
    browser.goto(&format!("{base}{quiz}/results")).await.unwrap();
    let results = browser.page_text().await.unwrap();
    assert!(results.contains("5 / 5") || results.contains("5/5"), "{results}");
    browser.screenshot(&shots.join("61-quiz-results.png")).await.unwrap();
    browser.goto(&format!("{base}/assessment/offerings/{}/attainment", c.offering)).await.unwrap();
    let attainment = browser.page_text().await.unwrap();
    assert!(attainment.contains("CLO1") && attainment.contains("2 marks entered"), "{attainment}");
    browser.screenshot(&shots.join("62-quiz-marks-in-attainment.png")).await.unwrap();
}
