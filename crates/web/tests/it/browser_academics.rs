//! End to end in headless Chromium: an admin builds a program from the ABET template, a course
//! with CLOs mapped to PLOs and offerings; a student is refused for a missing prerequisite with
//! the reason shown and registers for another course. Screenshots in `test-artifacts/screenshots/`.

use crate::browser::{launch, screenshots, serve};
use crate::support::{PASSWORD, TestApp};

fn at(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test]
async fn admin_builds_a_program_and_a_student_registers_in_a_real_browser() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();

    // Groundwork over HTTP: institution, admin, department, program, an open term, a student.
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "ui", "").await;
    admin.submit("/admin/structure", "/admin/departments", &[("code", "EE"), ("name", "Electrical Engineering")]).await;
    let institution = qobe_domain::ids::InstitutionId(
        qobe_store::tenancy::by_slug(t.app.store.conn(), "ui").await.unwrap().unwrap().id,
    );
    let department = qobe_store::structure::departments(t.app.store.conn(), institution).await.unwrap()[0].id;
    admin
        .submit(
            "/admin/structure",
            "/admin/programs",
            &[("department_id", &department.to_string()), ("code", "BSEE"), ("name", "BS Electrical Engineering")],
        )
        .await;
    let program = qobe_store::structure::programs(t.app.store.conn(), institution).await.unwrap()[0].id;
    admin
        .submit(
            "/academics/terms",
            "/academics/terms",
            &[
                ("code", "2026FA"),
                ("name", "Fall 2026"),
                ("registration_opens_at", &at(-2)),
                ("registration_closes_at", &at(10)),
                ("starts_at", &at(12)),
                ("add_drop_closes_at", &at(20)),
                ("withdrawal_closes_at", &at(60)),
                ("ends_at", &at(100)),
                ("marks_entry_closes_at", &at(110)),
                ("results_published_at", &at(120)),
                ("min_credits", "0"),
                ("max_credits", "21"),
            ],
        )
        .await;
    t.invite(&mut admin, "student@ui.edu", "student").await;

    // The admin, in the browser.
    browser.goto(&format!("{base}/login")).await.unwrap();
    browser.fill("#f-email", "admin@ui.edu").await.unwrap();
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();

    browser.goto(&format!("{base}/academics/programs/{program}")).await.unwrap();
    browser.fill("#f-framework", "abet-eac-2019").await.unwrap();
    browser.click_and_wait_navigation("form[action$='/adopt'] button").await.unwrap();
    let text = browser.page_text().await.unwrap();
    assert!(text.contains("7 PLOs adopted") && text.contains("PLO7"), "{text}");
    browser.screenshot(&shots.join("10-program-abet-plos.png")).await.unwrap();

    // Courses: EE-101 (the prerequisite), EE-201 (needs EE-101 with C), EE-150 (open to all).
    for (code, title) in
        [("EE-101", "Circuit Analysis I"), ("EE-201", "Circuit Analysis II"), ("EE-150", "Engineering Drawing")]
    {
        browser.goto(&format!("{base}/academics/courses")).await.unwrap();
        browser.fill("#f-code", code).await.unwrap();
        browser.fill("#f-title", title).await.unwrap();
        browser
            .click_and_wait_navigation("form[method=post][action='/academics/courses'] button[type=submit]")
            .await
            .unwrap();
        assert!(browser.page_text().await.unwrap().contains(&format!("Course {code} created.")));
    }
    let ee201 =
        qobe_store::academics::courses::by_code(t.app.store.conn(), institution, "EE-201").await.unwrap().unwrap().id;
    browser.goto(&format!("{base}/academics/courses/{ee201}")).await.unwrap();
    browser.fill("#f-required_course", "EE-101").await.unwrap();
    browser.fill("#f-min_grade", "C").await.unwrap();
    browser.click_and_wait_navigation("form[action$='/prerequisites'] button").await.unwrap();
    for (code, text, level) in
        [("CLO1", "Analyse AC circuits using phasors", "C4"), ("CLO2", "Measure circuit responses in the lab", "P3")]
    {
        browser.fill("form[action$='/clos'] #f-code", code).await.unwrap();
        browser.fill("form[action$='/clos'] #f-text", text).await.unwrap();
        browser.fill("form[action$='/clos'] #f-taxonomy_level", level).await.unwrap();
        browser.click_and_wait_navigation("form[action$='/clos'] button").await.unwrap();
    }
    let page = browser.page_text().await.unwrap();
    assert!(page.contains("EE-101 with at least C") && page.contains("Measure circuit responses"), "{page}");
    browser.screenshot(&shots.join("11-course-clos.png")).await.unwrap();

    // Map the CLOs to PLOs in the matrix grid.
    browser.goto(&format!("{base}/academics/programs/{program}/matrix")).await.unwrap();
    browser.eval("document.querySelectorAll('input.cell')[0].value = '3'; document.querySelectorAll('input.cell')[8].value = '2'; true").await.unwrap();
    browser.click_and_wait_navigation("form[action$='/matrix'] button[type=submit]").await.unwrap();
    let matrix = browser.page_text().await.unwrap();
    assert!(matrix.contains("Mapping saved (2 cells changed)"), "{matrix}");
    browser.screenshot(&shots.join("12-clo-plo-matrix.png")).await.unwrap();

    // Offerings of EE-201 and EE-150.
    for course in ["EE-201", "EE-150"] {
        browser.goto(&format!("{base}/academics/offerings")).await.unwrap();
        let id =
            qobe_store::academics::courses::by_code(t.app.store.conn(), institution, course).await.unwrap().unwrap().id;
        browser.fill("#f-course", &id.to_string()).await.unwrap();
        browser
            .fill("#f-schedule", if course == "EE-201" { "Mon 09:00-10:30" } else { "Tue 11:00-12:30" })
            .await
            .unwrap();
        browser
            .click_and_wait_navigation("form[method=post][action='/academics/offerings'] button[type=submit]")
            .await
            .unwrap();
        assert!(browser.page_text().await.unwrap().contains("Offering created."));
        // What was just done shows as a toast, which the person closes.
        browser.click(".toast .toast-close").await.unwrap();
        assert_eq!(browser.eval("document.querySelector('.toast') === null").await.unwrap(), true);
    }
    // The search box answers as the admin types, from any page; "/" reaches it.
    browser.eval("document.dispatchEvent(new KeyboardEvent('keydown', { key: '/' })); true").await.unwrap();
    assert_eq!(
        browser.eval("document.activeElement.id").await.unwrap(),
        "quick-q",
        "the shortcut focuses the search box"
    );
    browser.fill("#quick-q", "EE-2").await.unwrap();
    browser
        .wait_for("#quick-answers a[href^='/academics/courses/']", std::time::Duration::from_secs(10))
        .await
        .unwrap();
    let answers = browser.text("#quick-answers").await.unwrap();
    assert!(answers.contains("EE-201") && !answers.contains("EE-150"), "{answers}");
    browser.screenshot(&shots.join("13-search-answering.png")).await.unwrap();
    // The arrow keys walk from the box into the answers and back.
    let press = |key: &str| {
        format!(
            "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true }})); \
             document.activeElement.closest('#quick-answers') ? document.activeElement.getAttribute('href') : document.activeElement.id"
        )
    };
    let first = browser.eval(&press("ArrowDown")).await.unwrap();
    assert!(first.as_str().is_some_and(|href| href.starts_with("/academics/courses/")), "{first}");
    assert_eq!(browser.eval(&press("ArrowUp")).await.unwrap(), "quick-q", "back to the box");
    assert_eq!(browser.eval("document.getElementById('quick-answers').hidden").await.unwrap(), false);
    browser.click_and_wait_navigation("form[action='/logout'] button").await.unwrap();

    // The student registers.
    browser.fill("#f-email", "student@ui.edu").await.unwrap();
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();
    browser.goto(&format!("{base}/registration")).await.unwrap();
    let offerings = qobe_store::academics::offerings::list(t.app.store.conn(), institution, None).await.unwrap();
    let course_of = |id: i64| offerings.iter().find(|o| o.course_id == id).unwrap().id;
    let ee150 =
        qobe_store::academics::courses::by_code(t.app.store.conn(), institution, "EE-150").await.unwrap().unwrap().id;
    browser
        .click_and_wait_navigation(&format!("#offering-{} form[action$='/request'] button", course_of(ee201)))
        .await
        .unwrap();
    let refused = browser.page_text().await.unwrap();
    assert!(refused.contains("Not registered. Prerequisite not met: EE-101 passed with at least C."), "{refused}");
    browser.screenshot(&shots.join("14-registration-refused.png")).await.unwrap();
    browser
        .click_and_wait_navigation(&format!("#offering-{} form[action$='/request'] button", course_of(ee150)))
        .await
        .unwrap();
    let registered = browser.page_text().await.unwrap();
    assert!(registered.contains("You are registered."), "{registered}");
    let status = browser.text(&format!("#offering-{} .status", course_of(ee150))).await.unwrap();
    assert_eq!(status.trim(), "Enrolled");
    browser.screenshot(&shots.join("15-registration-enrolled.png")).await.unwrap();
}
