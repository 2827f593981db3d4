//! The assessment API: plan, marks (all or nothing), attainment and explanations, grades and
//! their workflow, a student's own results; role and cross-institution checks.

use serde_json::json;

use crate::assessment::class;
use crate::support::TestApp;

#[tokio::test]
async fn marks_attainment_and_grades_through_the_api() {
    let t = TestApp::new().await;
    let mut c = class(&t, "apim").await;
    let items = c.plan(&t).await;
    let token = c.instructor.api_token().await;
    let mut api = t.client();
    let base = format!("/api/v1/offerings/{}", c.offering);
    let (s1, s2) = (c.students[0], c.students[1]);

    let plan = api.api("GET", &format!("{base}/plan"), &token, None).await.json();
    assert_eq!(plan["items"].as_array().unwrap().len(), 3);
    assert_eq!(plan["items"][1]["clos"][1][0], "CLO2");
    assert!(plan["warnings"].as_array().unwrap().is_empty(), "{plan}");

    let bad = api
        .api(
            "PUT",
            &format!("{base}/marks"),
            &token,
            Some(json!({ "marks": [
                { "student_id": s1, "item_id": items[0], "value": "8" },
                { "student_id": s1, "item_id": items[1], "value": "99" },
            ] })),
        )
        .await;
    assert_eq!(bad.status, 409);
    assert!(
        bad.json()["message"].as_str().unwrap().contains("row 2: Invited Person, Q2: 99 is outside 0–20"),
        "{}",
        bad.text
    );
    let empty = api.api("GET", &format!("{base}/marks"), &token, None).await.json();
    assert!(empty["marks"].as_array().unwrap().is_empty(), "all or nothing");

    let saved = api
        .api(
            "PUT",
            &format!("{base}/marks"),
            &token,
            Some(json!({ "marks": [
                { "student_id": s1, "item_id": items[0], "value": "8" },
                { "student_id": s1, "item_id": items[1], "value": "10" },
                { "student_id": s1, "item_id": items[2], "value": "ab" },
                { "student_id": s2, "item_id": items[1], "value": "20" },
                { "student_id": s2, "item_id": items[2], "value": "6.5" },
            ] })),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let body = saved.json();
    assert_eq!(body["changed"], 5);
    // CLO2: s1 (5 + 0) / 20 = 25 %, s2 (10 + 6.5) / 20 = 82.5 % → one of two attains.
    assert_eq!(body["attainment"]["clos"][1]["attaining"], 1);
    assert_eq!(body["attainment"]["clos"][1]["value"], 0.5);

    let marks = api.api("GET", &format!("{base}/marks"), &token, None).await.json();
    let stored: Vec<(i64, i64, &str)> = marks["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["student_id"].as_i64().unwrap(), m["item_id"].as_i64().unwrap(), m["value"].as_str().unwrap()))
        .collect();
    for expected in
        [(s1, items[0], "8"), (s1, items[1], "10"), (s1, items[2], "AB"), (s2, items[1], "20"), (s2, items[2], "6.5")]
    {
        assert!(stored.contains(&expected), "{expected:?} in {stored:?}");
    }
    assert_eq!(stored.len(), 5, "{stored:?}");
    let why = api.api("GET", &format!("{base}/attainment/{}/students/{s1}", c.clos[1]), &token, None).await.json();
    assert_eq!(why["explanation"]["score"], 0.25, "{why}");
    assert_eq!(why["explanation"]["contributions"].as_array().unwrap().len(), 2);
    let clo = api.api("GET", &format!("{base}/attainment/{}", c.clos[1]), &token, None).await.json();
    assert_eq!(clo["explanation"]["students"].as_array().unwrap().len(), 3);

    // s2 has no Q1 and s3 no marks at all: submitting is refused, naming each student's blank
    // items, until the blanks are confirmed with a reason.
    let blanks = api.api("POST", &format!("{base}/grades/submit"), &token, Some(json!({}))).await;
    assert_eq!(blanks.status, 409, "{}", blanks.text);
    assert!(
        blanks.json()["message"].as_str().unwrap().starts_with(
            "4 mark(s) are blank for 2 student(s): Invited Person: Quiz Q1; Invited Person: Quiz Q1, Quiz Q2, Final F1."
        ),
        "{}",
        blanks.text
    );
    let unexplained =
        api.api("POST", &format!("{base}/grades/submit"), &token, Some(json!({ "confirm_blanks": true }))).await;
    assert_eq!(unexplained.status, 409);
    assert_eq!(unexplained.json()["fields"][0]["field"], "note");
    let submitted = api
        .api(
            "POST",
            &format!("{base}/grades/submit"),
            &token,
            Some(json!({ "confirm_blanks": true, "note": "s3 has not come to class; the dean is informed" })),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.json()["status"], "submitted");
    let frozen = api
        .api(
            "PUT",
            &format!("{base}/marks"),
            &token,
            Some(json!({ "marks": [{ "student_id": s2, "item_id": items[0], "value": "1" }] })),
        )
        .await;
    assert_eq!(frozen.status, 409);
    let approve = api.api("POST", &format!("{base}/grades/approve"), &token, Some(json!({}))).await;
    assert_eq!(approve.status, 403, "an instructor can't approve");

    // Students: their own explanation and results only.
    let mut student = t.sign_in(&format!("s1@{}.edu", c.slug)).await;
    let student_token = student.api_token().await;
    assert_eq!(api.api("GET", &format!("{base}/marks"), &student_token, None).await.status, 403);
    assert_eq!(
        api.api("GET", &format!("{base}/attainment/{}/students/{s1}", c.clos[0]), &student_token, None).await.status,
        200
    );
    assert_eq!(
        api.api("GET", &format!("{base}/attainment/{}/students/{s2}", c.clos[0]), &student_token, None).await.status,
        403
    );
    let results = api.api("GET", "/api/v1/me/results", &student_token, None).await.json();
    assert!(results["results"].as_array().unwrap().is_empty(), "nothing is published yet");

    // Another institution: not found.
    let mut other = class(&t, "apim2").await;
    let other_token = other.instructor.api_token().await;
    assert_eq!(api.api("GET", &format!("{base}/plan"), &other_token, None).await.status, 404);
    let foreign = api
        .api(
            "PUT",
            &format!("{base}/marks"),
            &other_token,
            Some(json!({ "marks": [{ "student_id": s1, "item_id": items[0], "value": "1" }] })),
        )
        .await;
    assert_eq!(foreign.status, 404);
}
