//! Online quizzes as a class takes them: the instructor writes a bank of every question type and
//! makes the plan's quiz assessment a quiz; students take it through the API and the pages, the
//! server keeping the time limit (an answer after it is refused, an attempt left open is closed
//! with what it saved); every type is scored, an essay by hand, and the best attempt's points
//! land on the items in the marks grid with history and in CLO attainment; correcting a key
//! regrades; a student never sees a key before the close nor anyone else's attempt, and another
//! institution reaches nothing.

use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::assessment::{Class, class};
use crate::support::{Client, TestApp, html};

async fn count(t: &TestApp, sql: &str) -> i64 {
    let conn = t.app.store.conn();
    let row =
        conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Adds a question to the class's course bank through the API; returns its id.
async fn add_question(c: &mut Class, token: &str, category: &str, points: f64, body: Value) -> i64 {
    let kind = body["kind"].as_str().unwrap().to_owned();
    let input = json!({"category": category, "prompt": format!("Answer this {kind} question."), "points": points, "body": body});
    let path = format!("/api/v1/offerings/{}/questions", c.offering);
    let made = c.instructor.api("POST", &path, token, Some(input)).await;
    assert_eq!(made.status, 201, "{}", made.text);
    made.json()["id"].as_i64().unwrap()
}

/// Makes the plan's quiz assessment (Q1 /10 → CLO1, Q2 /20 → CLO1 and CLO2) a quiz with the
/// given sections and settings; returns its id.
async fn make_quiz(c: &mut Class, t: &TestApp, token: &str, settings: Value) -> i64 {
    let assessment = c.assessment_ids(t).await[0];
    let mut input = json!({"assessment": assessment, "title": "Circuits quiz", "published": true});
    input.as_object_mut().unwrap().extend(settings.as_object().unwrap().clone());
    let made = c.instructor.api("POST", &format!("/api/v1/offerings/{}/quizzes", c.offering), token, Some(input)).await;
    assert_eq!(made.status, 201, "{}", made.text);
    made.json()["id"].as_i64().unwrap()
}

/// The attempt's question of a kind.
fn of_kind<'a>(attempt: &'a Value, kind: &str) -> &'a Value {
    attempt["questions"].as_array().unwrap().iter().find(|q| q["kind"] == kind).unwrap()
}

/// The shown place of the option (choice, right or item) with this text.
fn place(question: &Value, text: &str) -> usize {
    question["options"].as_array().unwrap().iter().find(|o| o[1] == text).unwrap()[0].as_u64().unwrap() as usize
}

async fn save(
    student: &mut Client,
    token: &str,
    attempt: i64,
    question: &Value,
    response: Value,
) -> crate::support::Response {
    let path = format!("/api/v1/quiz-attempts/{attempt}/answers/{}", question["slot"]);
    student.api("PUT", &path, token, Some(response)).await
}

async fn marks(c: &mut Class, token: &str) -> Value {
    c.instructor.api("GET", &format!("/api/v1/offerings/{}/marks", c.offering), token, None).await.json()
}

fn mark(marks: &Value, student: i64, item: i64) -> String {
    marks["marks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["student_id"] == student && m["item_id"] == item)
        .map(|m| m["value"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

const MATCHING: [(&str, &str); 4] = [("V", "volt"), ("I", "ampere"), ("R", "ohm"), ("P", "watt")];
const STEPS: [&str; 4] = ["Isolate", "Test dead", "Work", "Restore"];

/// A bank of every type, each a fixed section: three on Q1 (4 points), five on Q2 (10 points,
/// of them an essay of 4).
async fn every_type(c: &mut Class, token: &str, items: &[i64]) -> Vec<Value> {
    let (q1, q2) = (items[0], items[1]);
    let pairs: Vec<Value> = MATCHING.iter().map(|(l, r)| json!({"left": l, "right": r})).collect();
    let mut sections = Vec::new();
    for (item, category, points, body) in [
        (q1, "Basics", 1.0, json!({"kind": "single_choice", "options": ["2 ohm", "4 ohm", "8 ohm"], "correct": 1})),
        (
            q1,
            "Basics",
            2.0,
            json!({"kind": "multiple_choice", "options": ["Volt", "Metre", "Ampere", "Litre"], "correct": [0, 2]}),
        ),
        (q1, "Basics", 1.0, json!({"kind": "true_false", "correct": false})),
        (q2, "Working", 2.0, json!({"kind": "numeric", "answer": 3.3, "tolerance": 0.05})),
        (q2, "Working", 1.0, json!({"kind": "short_answer", "patterns": ["ohm*law"]})),
        (q2, "Working", 2.0, json!({"kind": "matching", "pairs": pairs})),
        (q2, "Working", 1.0, json!({"kind": "ordering", "items": STEPS})),
        (q2, "Essays", 4.0, json!({"kind": "essay", "guidance": "Mentions superposition"})),
    ] {
        let question = add_question(c, token, category, points, body).await;
        sections.push(json!({"item": item, "question": question}));
    }
    sections
}

/// The responses of the first attempt: single right, multiple one right and one wrong (0),
/// false right, 3,32 within 0.05 of 3.3, the pattern matched, two of four pairs, the order
/// right, and an essay.
fn first_answers(attempt: &Value) -> Vec<(&'static str, Value)> {
    let multiple = of_kind(attempt, "multiple_choice");
    let matching = of_kind(attempt, "matching");
    let picks = ["volt", "ampere", "watt", "ohm"].map(|right| place(matching, right));
    let ordering = of_kind(attempt, "ordering");
    vec![
        ("single_choice", json!({"choices": [place(of_kind(attempt, "single_choice"), "4 ohm")]})),
        ("multiple_choice", json!({"choices": [place(multiple, "Volt"), place(multiple, "Metre")]})),
        ("true_false", json!({"choices": [1]})),
        ("numeric", json!({"text": " 3,32 "})),
        ("short_answer", json!({"text": "Ohm's   Law"})),
        ("matching", json!({"matches": picks})),
        ("ordering", json!({"order": STEPS.map(|step| place(ordering, step))})),
        ("essay", json!({"text": "By superposition, each source alone, then the sum."})),
    ]
}

#[tokio::test]
async fn every_type_is_scored_and_the_best_attempt_lands_in_the_grid_and_clo_attainment() {
    let t = TestApp::new().await;
    let mut c = class(&t, "qzs").await;
    let items = c.plan(&t).await;
    let staff = c.instructor.api_token().await;
    let sections = every_type(&mut c, &staff, &items).await;
    let closes = (t.app.now() + Duration::days(2)).to_rfc3339();
    let settings = json!({"sections": sections, "time_limit_minutes": 30, "attempts_allowed": 2, "shuffle": true, "closes_at": closes});
    let quiz = make_quiz(&mut c, &t, &staff, settings).await;

    let mut s1 = t.sign_in("s1@qzs.edu").await;
    let learner = s1.api_token().await;
    let start = format!("/api/v1/quizzes/{quiz}/attempts");
    let started = s1.api("POST", &start, &learner, None).await;
    assert_eq!(started.status, 201, "{}", started.text);
    let attempt = started.json();
    let id = attempt["id"].as_i64().unwrap();
    assert_eq!(attempt["questions"].as_array().unwrap().len(), 8);
    for secret in ["\"key\"", "correct", "ohm*law", "superposition", "tolerance"] {
        assert!(!started.text.contains(secret), "no key before the close ({secret}): {}", started.text);
    }
    assert_eq!(s1.api("POST", &start, &learner, None).await.json()["id"], id, "starting again goes on with it");

    // A response that does not fit its question, or a question the attempt lacks, is refused.
    let single = of_kind(&attempt, "single_choice").clone();
    let two = save(&mut s1, &learner, id, &single, json!({"choices": [0, 1]})).await;
    assert_eq!(two.status, 409, "{}", two.text);
    let path = format!("/api/v1/quiz-attempts/{id}/answers/8");
    assert_eq!(s1.api("PUT", &path, &learner, Some(json!({"text": "x"}))).await.status, 409);
    for (kind, response) in first_answers(&attempt) {
        let saved = save(&mut s1, &learner, id, of_kind(&attempt, kind), response).await;
        assert_eq!(saved.status, 200, "{kind}: {}", saved.text);
    }
    // What was saved comes back as it was sent (by shown place).
    let reread = s1.api("GET", &format!("/api/v1/quiz-attempts/{id}"), &learner, None).await.json();
    for (kind, response) in first_answers(&attempt) {
        let back = &of_kind(&reread, kind)["response"];
        for (field, value) in response.as_object().unwrap() {
            assert_eq!(&back[field], value, "{kind}.{field}");
        }
    }
    // And the page, reloaded, shows each left with the right picked for it.
    let page = s1.get(&format!("/quizzes/attempts/{id}")).await.text;
    let matching = of_kind(&attempt, "matching");
    let li = format!("id=\"q{}\"", matching["slot"].as_u64().unwrap() + 1);
    let question = &page[page.find(&li).unwrap()..];
    for (left, right) in ["volt", "ampere", "watt", "ohm"].iter().enumerate() {
        let select = &question[question.find(&format!("name=\"match-{left}\"")).unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        let chosen = format!("value=\"{}\" selected", place(matching, right));
        assert!(select.contains(&chosen), "left {left} shows {right} picked: {select}");
    }

    let handed = s1.api("POST", &format!("/api/v1/quiz-attempts/{id}/hand-in"), &learner, None).await;
    assert_eq!(handed.status, 200, "{}", handed.text);
    let handed = handed.json();
    assert_eq!((handed["finished_by"].as_str(), handed.get("score")), (Some("student"), None), "the essay waits");
    assert!(handed["questions"][0].get("key").is_none(), "no key until the quiz closes");
    let late = save(&mut s1, &learner, id, &single, json!({"choices": [0]})).await;
    assert_eq!(late.status, 409, "handed in: {}", late.text);
    assert_eq!(mark(&marks(&mut c, &staff).await, c.students[0], items[0]), "", "nothing posted while the essay waits");

    // The essay is scored by hand: out of range refused beside its field, then 3 of 4.
    let results = format!("/api/v1/quizzes/{quiz}/results");
    let found = c.instructor.api("GET", &results, &staff, None).await.json();
    let essay = found["waiting"][0].as_i64().unwrap();
    let score = format!("/api/v1/quizzes/{quiz}/answers/{essay}/score");
    let over = c.instructor.api("PUT", &score, &staff, Some(json!({"points": 5}))).await;
    assert_eq!(over.status, 409, "{}", over.text);
    assert!(over.text.contains("points"), "{}", over.text);
    assert_eq!(s1.api("PUT", &score, &learner, Some(json!({"points": 4}))).await.status, 403);
    let scored =
        c.instructor.api("PUT", &score, &staff, Some(json!({"points": 3, "comment": "Say why it holds."}))).await;
    assert_eq!(scored.status, 204, "{}", scored.text);

    // Q1: 1 + 0 + 1 of 4 → 5 of 10; Q2: 2 + 1 + 1 + 1 + 3 of 10 → 16 of 20.
    let grid = marks(&mut c, &staff).await;
    let s1_id = c.students[0];
    assert_eq!((mark(&grid, s1_id, items[0]), mark(&grid, s1_id, items[1])), ("5".into(), "16".into()));
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'quiz'").await, 2);
    // CLO1 from Q1 and half of Q2: (5 + 8) / (10 + 10) = 65 %.
    let attainment =
        c.instructor.api("GET", &format!("/api/v1/offerings/{}/attainment", c.offering), &staff, None).await.json();
    let clo1 = attainment["clos"].as_array().unwrap().iter().find(|x| x["code"] == "CLO1").unwrap().clone();
    assert_eq!(clo1["students_with_evidence"], 1, "{attainment}");
    assert!((clo1["mean_score"].as_f64().unwrap() - 0.65).abs() < 1e-9, "{clo1}");

    // Item statistics: who picked what.
    let found = c.instructor.api("GET", &results, &staff, None).await.json();
    let line = |found: &Value| found["students"].as_array().unwrap().iter().find(|l| l["student"] == s1_id).cloned();
    assert_eq!(line(&found).unwrap()["attempts"][0]["score"], 10.0, "{found}");
    let stat = |question: &Value| {
        found["statistics"].as_array().unwrap().iter().find(|s| s["question"] == question["question"]).unwrap().clone()
    };
    let single_stat = stat(&sections[0]);
    assert_eq!(single_stat["facility"], 1.0);
    assert_eq!(single_stat["options"], json!([["2 ohm", 0, false], ["4 ohm", 1, true], ["8 ohm", 0, false]]));
    let multiple_stat = stat(&sections[1]);
    assert_eq!(multiple_stat["facility"], 0.0);
    assert_eq!(
        multiple_stat["options"],
        json!([["Volt", 1, true], ["Metre", 1, false], ["Ampere", 0, true], ["Litre", 0, false]])
    );

    // A worse second attempt does not replace the better first.
    let second = s1.api("POST", &start, &learner, None).await;
    assert_eq!(second.status, 201, "{}", second.text);
    let second = second.json();
    let second_id = second["id"].as_i64().unwrap();
    assert_eq!(second["number"], 2);
    let right = json!({"choices": [place(of_kind(&second, "single_choice"), "4 ohm")]});
    assert_eq!(save(&mut s1, &learner, second_id, of_kind(&second, "single_choice"), right).await.status, 200);
    assert_eq!(s1.api("POST", &format!("/api/v1/quiz-attempts/{second_id}/hand-in"), &learner, None).await.status, 200);
    let found = c.instructor.api("GET", &results, &staff, None).await.json();
    let essay = found["waiting"][0].as_i64().unwrap();
    let score = format!("/api/v1/quizzes/{quiz}/answers/{essay}/score");
    assert_eq!(c.instructor.api("PUT", &score, &staff, Some(json!({"points": 0}))).await.status, 204);
    let found = c.instructor.api("GET", &results, &staff, None).await.json();
    assert_eq!(line(&found).unwrap()["kept"], id, "the better attempt counts: {found}");
    let grid = marks(&mut c, &staff).await;
    assert_eq!((mark(&grid, s1_id, items[0]), mark(&grid, s1_id, items[1])), ("5".into(), "16".into()));
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'quiz'").await, 2);
    let third = s1.api("POST", &start, &learner, None).await;
    assert_eq!(third.status, 409, "two attempts allowed: {}", third.text);

    // After the close the student reads the keys, points and comment.
    t.clock.advance(Duration::days(3));
    let mut s1 = t.sign_in("s1@qzs.edu").await;
    let learner = s1.api_token().await;
    let review = s1.api("GET", &format!("/api/v1/quiz-attempts/{id}"), &learner, None).await.json();
    assert_eq!(of_kind(&review, "single_choice")["key"], "4 ohm");
    assert_eq!(of_kind(&review, "numeric")["key"], "3.3 ± 0.05");
    assert_eq!(of_kind(&review, "matching")["earned"], 1.0);
    let page = s1.get(&format!("/quizzes/attempts/{id}")).await;
    assert!(page.contains("Right answer: 4 ohm") && page.contains("Say why it holds."), "{}", page.text);
}

#[tokio::test]
async fn the_server_keeps_the_time_limit_and_closes_an_attempt_left_open_with_what_it_saved() {
    let t = TestApp::new().await;
    let mut c = class(&t, "qzt").await;
    let items = c.plan(&t).await;
    let staff = c.instructor.api_token().await;
    let truth = add_question(&mut c, &staff, "Basics", 1.0, json!({"kind": "true_false", "correct": true})).await;
    let numeric =
        add_question(&mut c, &staff, "Working", 2.0, json!({"kind": "numeric", "answer": 3.3, "tolerance": 0.05}))
            .await;
    let sections = json!([{"item": items[0], "question": truth}, {"item": items[1], "question": numeric}]);
    let quiz = make_quiz(&mut c, &t, &staff, json!({"sections": sections, "time_limit_minutes": 10})).await;

    // s2 has half as much time again; only the offering's students can be given any.
    let extra = format!("/api/v1/quizzes/{quiz}/accommodations");
    let outsider =
        c.instructor.api("PUT", &extra, &staff, Some(json!({"student": 987_654, "extra_percent": 50}))).await;
    assert_eq!(outsider.status, 409, "{}", outsider.text);
    let given =
        c.instructor.api("PUT", &extra, &staff, Some(json!({"student": c.students[1], "extra_percent": 50}))).await;
    assert_eq!(given.status, 204, "{}", given.text);

    let mut students = Vec::new();
    for n in 1..=3 {
        let mut client = t.sign_in(&format!("s{n}@qzt.edu")).await;
        let token = client.api_token().await;
        let attempt = client.api("POST", &format!("/api/v1/quizzes/{quiz}/attempts"), &token, None).await.json();
        students.push((client, token, attempt));
    }
    let minutes = |attempt: &Value| {
        let at = |field: &str| chrono::DateTime::parse_from_rfc3339(attempt[field].as_str().unwrap()).unwrap();
        (at("deadline_at") - at("started_at")).num_minutes()
    };
    assert_eq!((minutes(&students[0].2), minutes(&students[1].2)), (10, 15));
    let ids: Vec<i64> = students.iter().map(|s| s.2["id"].as_i64().unwrap()).collect();
    for (client, token, attempt) in students.iter_mut() {
        let id = attempt["id"].as_i64().unwrap();
        let saved = save(client, token, id, of_kind(attempt, "true_false"), json!({"choices": [0]})).await;
        assert_eq!(saved.status, 200, "{}", saved.text);
    }
    let (s3, s3_token, s3_attempt) = &mut students[2];
    let saved = save(s3, s3_token, ids[2], of_kind(s3_attempt, "numeric"), json!({"text": "3.3"})).await;
    assert_eq!(saved.status, 200);

    // Five seconds past the limit an answer on its way is still taken; eleven, it is refused.
    t.clock.advance(Duration::minutes(10) + Duration::seconds(5));
    let (s1, s1_token, s1_attempt) = &mut students[0];
    let numeric_slot = of_kind(s1_attempt, "numeric").clone();
    assert_eq!(save(s1, s1_token, ids[0], &numeric_slot, json!({"text": "3.31"})).await.status, 200);
    t.clock.advance(Duration::seconds(6));
    let refused = save(s1, s1_token, ids[0], &numeric_slot, json!({"text": "99"})).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.text.contains("time is up"), "{}", refused.text);
    let closed = s1.api("GET", &format!("/api/v1/quiz-attempts/{}", ids[0]), s1_token, None).await.json();
    assert_eq!((closed["finished_by"].as_str(), closed["score"].as_f64()), (Some("time"), Some(3.0)), "{closed}");
    assert_eq!(closed["finished_at"], closed["deadline_at"], "it ended at its deadline");
    assert_eq!(of_kind(&closed, "numeric")["response"]["text"], "3.31", "the refused answer was not kept");
    // The page's script is refused the same way.
    let mut page_client = t.sign_in("s1@qzt.edu").await;
    let page = format!("/quizzes/attempts/{}", ids[0]);
    let action = format!("{page}/answers/{}", numeric_slot["slot"]);
    let by_script = page_client.fetch_post(&page, &action, &[("text", "4")]).await;
    assert!(by_script.status == 409 || by_script.status == 403, "{} {}", by_script.status, by_script.text);

    // s2's extra time still runs.
    let (s2, s2_token, s2_attempt) = &mut students[1];
    let numeric_slot = of_kind(s2_attempt, "numeric").clone();
    assert_eq!(save(s2, s2_token, ids[1], &numeric_slot, json!({"text": "1"})).await.status, 200);

    // s3 never came back: the background chore closes the attempt with what it saved, and
    // its marks go to the grid.
    let ran = t.run_jobs().await;
    assert!(ran.iter().any(|(_, kind, _)| *kind == qobe_app::jobs::Kind::CloseQuizAttempts), "{ran:?}");
    let found = c.instructor.api("GET", &format!("/api/v1/quizzes/{quiz}/results"), &staff, None).await.json();
    let line = |student: i64| found["students"].as_array().unwrap().iter().find(|l| l["student"] == student).unwrap();
    let s3_line = &line(c.students[2])["attempts"][0];
    assert_eq!((s3_line["finished_by"].as_str(), s3_line["score"].as_f64()), (Some("time"), Some(3.0)), "{found}");
    assert!(line(c.students[1])["attempts"][0].get("finished_at").is_none(), "s2 still has time: {found}");
    let grid = marks(&mut c, &staff).await;
    assert_eq!(
        (mark(&grid, c.students[2], items[0]), mark(&grid, c.students[2], items[1])),
        ("10".into(), "20".into())
    );

    // At s2's own limit the same happens to s2.
    t.clock.advance(Duration::minutes(5));
    let (s2, s2_token, _) = &mut students[1];
    assert_eq!(save(s2, s2_token, ids[1], &numeric_slot, json!({"text": "3.3"})).await.status, 409);
    t.run_jobs().await;
    let grid = marks(&mut c, &staff).await;
    assert_eq!((mark(&grid, c.students[1], items[0]), mark(&grid, c.students[1], items[1])), ("10".into(), "0".into()));
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM quiz_attempts WHERE finished_how = 'time'").await, 3);
}

/// The part of an attempt page that shows the question whose prompt has these words.
fn question_html<'a>(page: &'a str, words: &str) -> &'a str {
    page.split("<li class=\"card question\"").find(|part| part.contains(words)).unwrap_or_else(|| panic!("{page}"))
}

/// The value of the option labelled `text` in a question's part of the page.
fn option_value(part: &str, text: &str) -> String {
    let end = part.find(&format!("> {text}</label>")).unwrap_or_else(|| panic!("no option {text}: {part}"));
    part[..end].rsplit("value=\"").next().unwrap().split('"').next().unwrap().to_owned()
}

/// Where the question's form saves its answer.
fn answer_action(part: &str) -> String {
    part.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn correcting_a_key_regrades_every_finished_attempt_and_the_grid_keeps_the_history() {
    let t = TestApp::new().await;
    let mut c = class(&t, "qzr").await;
    let items = c.plan(&t).await;
    let bank = format!("/quizzes/offerings/{}/bank", c.offering);
    // The bank's form: a line that is not a pair is refused beside its field, with what was typed.
    let bad = c
        .instructor
        .submit(&bank, &bank, &[("kind", "matching"), ("prompt", "Match the units."), ("lines", "V = volt\nampere")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.contains("line 2 must be") && bad.contains("Match the units."), "{}", bad.text);
    // The key is wrong: ampere is starred.
    let unit = [("kind", "single_choice"), ("prompt", "The unit of charge?"), ("category", "Units"), ("points", "1")];
    let made = c.instructor.submit(&bank, &bank, &[&unit[..], &[("lines", "coulomb\n*ampere")]].concat()).await;
    assert_eq!(made.status, 303, "{}", made.text);
    for n in 1..=3 {
        let prompt = format!("Statement {n} holds.");
        let fields = [("kind", "true_false"), ("prompt", prompt.as_str()), ("category", "Pool"), ("truth", "true")];
        assert_eq!(c.instructor.submit(&bank, &bank, &fields).await.status, 303);
    }
    let shown = c.instructor.get(&bank).await;
    assert!(shown.contains("Pool (3)") && shown.contains("Units (1)"), "{}", shown.text);
    let staff = c.instructor.api_token().await;
    let listed = c.instructor.api("GET", &format!("/api/v1/offerings/{}/questions", c.offering), &staff, None).await;
    let unit_id =
        listed.json()["questions"].as_array().unwrap().iter().find(|q| q["category"] == "Units").unwrap()["id"]
            .as_i64()
            .unwrap();

    // The quiz: made from the list, its questions set on its page.
    let list = format!("/quizzes/offerings/{}", c.offering);
    let assessment = c.assessment_ids(&t).await[0].to_string();
    let made = c.instructor.submit(&list, &list, &[("assessment", &assessment), ("title", "Units quiz")]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    let quiz_page = made.location().unwrap().split('#').next().unwrap().to_owned();
    let (q1, q2, unit_q) = (items[0].to_string(), items[1].to_string(), unit_id.to_string());
    let mut settings = vec![
        ("title", "Units quiz"),
        ("attempts_allowed", "1"),
        ("published", "on"),
        ("section-item-0", q1.as_str()),
        ("section-question-0", unit_q.as_str()),
        ("section-item-1", q2.as_str()),
        ("section-category-1", "Pool"),
        ("section-count-1", "5"),
    ];
    let too_many = c.instructor.submit(&quiz_page, &quiz_page, &settings).await;
    assert_eq!(too_many.status, 409, "{}", too_many.text);
    assert!(too_many.contains("has 3 questions") && too_many.contains("value=\"5\""), "{}", too_many.text);
    settings[7] = ("section-count-1", "2");
    let saved = c.instructor.submit(&quiz_page, &quiz_page, &settings).await;
    assert_eq!(saved.status, 303, "{}", saved.text);

    // s1 picks coulomb, s2 ampere, each on the attempt page, and both hand in.
    let mut attempts = Vec::new();
    for (n, pick) in [(1, "coulomb"), (2, "ampere")] {
        let mut student = t.sign_in(&format!("s{n}@qzr.edu")).await;
        let started = student.submit(&quiz_page, &format!("{quiz_page}/attempts"), &[]).await;
        assert_eq!(started.status, 303, "{}", started.text);
        let attempt = started.location().unwrap().to_owned();
        let page = student.get(&attempt).await;
        assert_eq!(page.text.matches("<li class=\"card question\"").count(), 3, "one fixed and two drawn");
        assert_eq!(page.text.matches("Statement ").count(), 2, "two of the pool");
        let part = question_html(&page.text, "The unit of charge?");
        // A field naming a left far past any question's is refused before anything is allocated.
        let absurd = student.submit(&attempt, &answer_action(part), &[("match-99999999999999", "1")]).await;
        assert_eq!(absurd.status, 303, "{}", absurd.text);
        assert!(student.get(absurd.location().unwrap()).await.contains("a match is not one of the pairs"));
        let answered = student.submit(&attempt, &answer_action(part), &[("choice", &option_value(part, pick))]).await;
        assert_eq!(answered.status, 303, "{}", answered.text);
        assert!(student.get(&attempt).await.contains("checked> coulomb") == (pick == "coulomb"));
        let handed = student.submit(&attempt, &format!("{attempt}/hand-in"), &[]).await;
        assert_eq!(handed.status, 303, "{}", handed.text);
        attempts.push((student, attempt));
    }
    let (s1, s2) = (c.students[0], c.students[1]);
    let grid = marks(&mut c, &staff).await;
    assert_eq!((mark(&grid, s1, items[0]), mark(&grid, s2, items[0])), ("0".into(), "10".into()));
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'quiz'").await, 4);

    // The key corrected on the question's form: both attempts regraded, the grid follows with
    // the change in its history.
    let edit = format!("/quizzes/offerings/{}/questions/{unit_id}", c.offering);
    // A third option would shift what the attempts showed, place by place: refused, nothing changed.
    let widened =
        c.instructor.submit(&edit, &edit, &[&unit[..], &[("lines", "*coulomb\nampere\nvolt")]].concat()).await;
    assert_eq!(widened.status, 409, "{}", widened.text);
    assert!(widened.contains("2 attempts have drawn this question"), "{}", widened.text);
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'quiz regrade'").await, 0);
    let corrected = c.instructor.submit(&edit, &edit, &[&unit[..], &[("lines", "*coulomb\nampere")]].concat()).await;
    assert_eq!(corrected.status, 303, "{}", corrected.text);
    assert!(c.instructor.get(corrected.location().unwrap()).await.contains("2 attempts regraded"));
    let grid = marks(&mut c, &staff).await;
    assert_eq!((mark(&grid, s1, items[0]), mark(&grid, s2, items[0])), ("10".into(), "0".into()));
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'quiz regrade'").await, 2);
    let mine = attempts[0].0.get(&quiz_page).await;
    assert!(html::text(&mine.text, "my-attempts").unwrap().contains("1 / 3"), "{}", mine.text);

    // The results page is the staff's.
    let results = format!("{quiz_page}/results");
    let page = c.instructor.get(&results).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let statistics = html::text(&page.text, "statistics").unwrap();
    assert!(statistics.contains("coulomb ✓: 1") && statistics.contains("ampere: 1"), "{statistics}");
    assert_eq!(attempts[0].0.get(&results).await.status, 403);
}

#[tokio::test]
async fn a_student_sees_no_key_before_the_close_nor_anyone_elses_attempt_and_another_institution_nothing() {
    let t = TestApp::new().await;
    let mut c = class(&t, "qzk").await;
    let items = c.plan(&t).await;
    let staff = c.instructor.api_token().await;
    let sections = every_type(&mut c, &staff, &items).await;
    let closes = (t.app.now() + Duration::days(1)).to_rfc3339();
    let quiz = make_quiz(&mut c, &t, &staff, json!({"sections": sections, "closes_at": closes})).await;
    let question = sections[4]["question"].as_i64().unwrap();

    let mut s1 = t.sign_in("s1@qzk.edu").await;
    let mut s2 = t.sign_in("s2@qzk.edu").await;
    let (s1_token, s2_token) = (s1.api_token().await, s2.api_token().await);
    // The bank is the staff's: it holds the keys.
    let bank = format!("/quizzes/offerings/{}/bank", c.offering);
    assert_eq!(s1.get(&bank).await.status, 403);
    let questions = format!("/api/v1/offerings/{}/questions", c.offering);
    assert_eq!(s1.api("GET", &questions, &s1_token, None).await.status, 403);

    let quiz_page = format!("/quizzes/{quiz}");
    let started = s1.submit(&quiz_page, &format!("{quiz_page}/attempts"), &[]).await;
    assert_eq!(started.status, 303, "{}", started.text);
    let attempt_page = started.location().unwrap().to_owned();
    let id: i64 = attempt_page.rsplit('/').next().unwrap().parse().unwrap();
    let source = s1.get(&attempt_page).await;
    assert_eq!(source.status, 200);
    for secret in ["ohm*law", "superposition", "Right answer", "tolerance", "correct"] {
        assert!(!source.text.contains(secret), "the page's source holds no key ({secret})");
    }
    let api = s1.api("GET", &format!("/api/v1/quiz-attempts/{id}"), &s1_token, None).await;
    assert!(!api.text.contains("ohm*law") && !api.text.contains("\"key\""), "{}", api.text);

    // Another student reaches nothing of it; the staff see it with its keys.
    assert_eq!(s2.get(&attempt_page).await.status, 404);
    assert_eq!(s2.api("GET", &format!("/api/v1/quiz-attempts/{id}"), &s2_token, None).await.status, 404);
    let answer = format!("/api/v1/quiz-attempts/{id}/answers/0");
    assert_eq!(s2.api("PUT", &answer, &s2_token, Some(json!({"text": "mine"}))).await.status, 404);
    assert_eq!(s2.api("POST", &format!("/api/v1/quiz-attempts/{id}/hand-in"), &s2_token, None).await.status, 404);
    assert_eq!(s1.api("GET", &format!("/api/v1/quizzes/{quiz}/results"), &s1_token, None).await.status, 403);
    let fix = json!({"prompt": "Changed", "body": {"kind": "true_false", "correct": true}});
    let changed = s1.api("PUT", &format!("{questions}/{question}"), &s1_token, Some(fix.clone())).await;
    assert_eq!(changed.status, 403);
    let staff_view = c.instructor.get(&attempt_page).await;
    assert!(staff_view.contains("Right answer: ohm*law"), "{}", staff_view.text);

    // After the close the student reads the keys too.
    t.clock.advance(Duration::days(2));
    let mut s1 = t.sign_in("s1@qzk.edu").await;
    let review = s1.get(&attempt_page).await;
    assert!(review.contains("Right answer: ohm*law"), "{}", review.text);

    // Another institution's admin reaches nothing by page or API.
    let mut other = class(&t, "qzo").await;
    let foreign = other.admin.api_token().await;
    for page in [quiz_page.clone(), attempt_page.clone(), format!("{quiz_page}/results"), bank.clone()] {
        assert_eq!(other.admin.get(&page).await.status, 404, "{page}");
    }
    for (method, path, body) in [
        ("GET", format!("/api/v1/quiz-attempts/{id}"), None),
        ("GET", format!("/api/v1/quizzes/{quiz}/results"), None),
        ("GET", questions.clone(), None),
        ("PUT", format!("{questions}/{question}"), Some(fix.clone())),
        (
            "PUT",
            format!("/api/v1/quizzes/{quiz}/accommodations"),
            Some(json!({"student": c.students[0], "extra_percent": 50})),
        ),
        ("POST", format!("/api/v1/quizzes/{quiz}/attempts"), None),
    ] {
        assert_eq!(other.admin.api(method, &path, &foreign, body).await.status, 404, "{method} {path}");
    }
}
