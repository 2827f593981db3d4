//! One input type per action (ADR 0007): the course form and `POST /api/v1/courses` read into the
//! same use-case input. A form's text that does not read comes back as typed, with the error
//! beside its field; JSON must send numbers as numbers, and a field both name the same way.

use serde_json::json;

use crate::academics::{department_id, school};
use crate::support::TestApp;

#[tokio::test]
async fn the_course_form_and_the_api_read_one_input() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "inputs").await;
    let department = department_id(&t, "inputs").await;
    let course = |credits: &'static str| {
        [
            ("department_id", department.to_string()),
            ("code", "EE-101".to_owned()),
            ("title", "Circuits".to_owned()),
            ("credits_theory", credits.to_owned()),
            ("category", "core".to_owned()),
            // Not a field of the course: left out, as the CSRF token is.
            ("submit", "Create".to_owned()),
        ]
    };
    let fields = course("three");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let typed = admin.submit("/academics/courses", "/academics/courses", &fields).await;
    assert_eq!(typed.status, 422, "{}", typed.text);
    assert!(typed.contains("value=\"three\""), "what was typed comes back");
    assert!(typed.contains("must be a number of credit hours"), "the error beside the field");
    assert!(typed.contains("value=\"Circuits\""), "the other fields too");

    let token = admin.api_token().await;
    let mut api = t.client();
    let body = |credits: serde_json::Value| json!({ "department_id": department, "code": "EE-101", "title": "Circuits", "credits_theory": credits, "category": "core" });
    let as_text = api.api("POST", "/api/v1/courses", &token, Some(body(json!("3")))).await;
    assert_eq!(as_text.status, 422, "a string where the document says number: {}", as_text.text);
    assert_eq!(as_text.json()["code"], "invalid_input");
    let unknown = api
        .api("POST", "/api/v1/courses", &token, Some(json!({ "department": department, "code": "X", "title": "X" })))
        .await;
    assert_eq!(unknown.status, 422, "a field the document does not have: {}", unknown.text);
    let bad_hours = api.api("POST", "/api/v1/courses", &token, Some(body(json!(0)))).await;
    assert_eq!(bad_hours.status, 409, "{}", bad_hours.text);
    assert_eq!(bad_hours.json()["fields"][0]["field"], "credits_theory");
    let foreign = api
        .api("POST", "/api/v1/courses", &token, Some(json!({ "department_id": 999_999, "code": "EE-102", "title": "X", "credits_theory": 3, "category": "core" })))
        .await;
    assert_eq!(foreign.status, 409, "{}", foreign.text);
    assert_eq!(foreign.json()["fields"][0]["field"], "department_id", "the field the client sent");
    let created = api.api("POST", "/api/v1/courses", &token, Some(body(json!(3.5)))).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["credits_theory"], 3.5);

    // The form for the same course, now that it exists: the same rule refuses the same code.
    let fields = course("3");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let again = admin.submit("/academics/courses", "/academics/courses", &fields).await;
    assert_eq!(again.status, 422, "{}", again.text);
    assert!(again.contains("Another course already uses that code."));
}

#[tokio::test]
async fn an_edit_form_shows_what_is_stored_and_a_checkbox_left_unticked_is_no() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "edits").await;
    let term = crate::academics::term(&mut admin, "2026FA", 0).await;
    assert_eq!(term.status, 303, "{}", term.text);
    let terms = admin.get("/academics/terms").await;
    let id = terms.text.split("/academics/terms/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let shown = admin.get(&format!("/academics/terms/{id}")).await;
    assert!(shown.contains("name=\"max_credits\""), "{}", shown.text);
    assert!(shown.contains("value=\"21\""), "the stored credits, written as typed: {}", shown.text);

    let course = crate::academics::course(&t, &mut admin, "edits", "EE-101").await;
    let offering = admin
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", &course.to_string()), ("term", &id), ("section", "A"), ("capacity", "30"), ("online", "on")],
        )
        .await;
    assert_eq!(offering.status, 303, "{}", offering.text);
    let page = offering.location().unwrap().to_owned();
    assert!(admin.get(&page).await.contains("name=\"online\" checked"), "ticked");
    // The edit form sends no course or term (they do not change) and leaves "online" unticked.
    let saved = admin.submit(&page, &page, &[("section", "A"), ("capacity", "40")]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let after = admin.get(&page).await;
    assert!(!after.contains("name=\"online\" checked"), "unticked reads as no");
    assert!(after.contains("value=\"40\""));
}
