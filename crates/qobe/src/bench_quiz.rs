//! `qobe bench quiz --size m`: 300 students of one class start a 40-question quiz at the same
//! moment, save their answers one by one through the API and hand in, all through the real
//! router; then every attempt is checked against what its student sent.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use qobe_app::App;
use qobe_app::accounts::sessions::resolve;
use qobe_app::quizzes::bank::{self, QuestionInput};
use qobe_app::quizzes::{self, QuizInput, SectionInput};
use qobe_domain::entered::Entered;
use qobe_domain::ids::{InstitutionId, OfferingId, UserId};
use qobe_domain::quizzes::questions::Body as QuestionBody;
use qobe_web::WebConfig;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::bench::{big_class, ms, sign_in};

const STUDENTS: usize = 300;
const QUESTIONS: usize = 40;

/// Forty one-point questions, eight of each kind a machine scores.
fn questions() -> Vec<QuestionInput> {
    let body = |n: usize| match n % 5 {
        0 => {
            QuestionBody::SingleChoice { options: ["1 A", "2 A", "3 A", "4 A"].map(String::from).to_vec(), correct: 2 }
        }
        1 => QuestionBody::MultipleChoice {
            options: ["V", "m", "A", "s"].map(String::from).to_vec(),
            correct: vec![0, 2],
        },
        2 => QuestionBody::TrueFalse { correct: true },
        3 => QuestionBody::Numeric { answer: 3.3, tolerance: 0.05 },
        _ => QuestionBody::ShortAnswer { patterns: vec!["ohm*law".into()], case_sensitive: false },
    };
    (0..QUESTIONS)
        .map(|n| QuestionInput {
            category: "Benchmark".into(),
            tags: String::new(),
            clo: None,
            prompt: format!("Question {}", n + 1),
            points: Some(1.0),
            body: body(n),
        })
        .collect()
}

/// The right response to a question as the attempt shows it: options named by shown place.
fn right_response(question: &Value) -> Value {
    let place = |text: &str| {
        question["options"].as_array().and_then(|o| o.iter().find(|o| o[1] == text)).and_then(|o| o[0].as_u64())
    };
    match question["kind"].as_str().unwrap_or_default() {
        "single_choice" => json!({ "choices": [place("3 A")] }),
        "multiple_choice" => json!({ "choices": [place("V"), place("A")] }),
        "true_false" => json!({ "choices": [place("True").unwrap_or(0)] }),
        "numeric" => json!({ "text": "3,3" }),
        _ => json!({ "text": "Ohm's Law" }),
    }
}

/// A signed-in student: the session cookie and its CSRF token.
struct Student {
    cookie: String,
    csrf: String,
}

/// One request's outcome: how long it took, and its body when it failed.
struct Timed {
    took: Duration,
    failed: Option<String>,
    body: Value,
}

async fn call(router: &Router, student: &Student, method: Method, path: &str, body: Option<&Value>) -> Timed {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, format!("qobe_session={}", student.cookie))
        .header("x-csrf-token", &student.csrf)
        .header("x-requested-with", "fetch");
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let request = match request.body(body.map(|b| Body::from(b.to_string())).unwrap_or_default()) {
        Ok(request) => request,
        Err(e) => return Timed { took: Duration::ZERO, failed: Some(format!("{path}: {e}")), body: Value::Null },
    };
    let at = Instant::now();
    let outcome = router.clone().oneshot(request).await;
    let (status, bytes) = match outcome {
        Ok(response) => {
            let status = response.status();
            (status, axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default())
        }
        Err(never) => match never {},
    };
    let took = at.elapsed();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let failed = (!status.is_success()).then(|| format!("{path}: {status} {}", String::from_utf8_lossy(&bytes)));
    Timed { took, failed, body }
}

/// How students go through the quiz: each starts `offset` after the run begins and waits `gap`
/// before each answer (reading the question); zero for both is every request at once.
#[derive(Clone, Copy)]
struct Pace {
    spread: Duration,
    gap: Duration,
}

/// A student's whole sitting: start, forty answers saved one by one, hand in.
async fn sit(router: Router, student: Arc<Student>, quiz: i64, offset: Duration, gap: Duration) -> Vec<Timed> {
    tokio::time::sleep(offset).await;
    let mut done = Vec::with_capacity(QUESTIONS + 2);
    let started = call(&router, &student, Method::POST, &format!("/api/v1/quizzes/{quiz}/attempts"), None).await;
    let attempt = started.body["id"].as_i64();
    let shown = started.body["questions"].as_array().cloned().unwrap_or_default();
    done.push(started);
    let Some(attempt) = attempt else { return done };
    for question in &shown {
        tokio::time::sleep(gap).await;
        let path = format!("/api/v1/quiz-attempts/{attempt}/answers/{}", question["slot"]);
        done.push(call(&router, &student, Method::PUT, &path, Some(&right_response(question))).await);
    }
    done.push(call(&router, &student, Method::POST, &format!("/api/v1/quiz-attempts/{attempt}/hand-in"), None).await);
    done
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() as f64 * share).ceil() as usize).saturating_sub(1).min(sorted.len() - 1)]
}

/// Every student sits the quiz at the given pace; prints the figures and checks every answer.
async fn run(
    app: &App,
    institution: InstitutionId,
    students: &[Arc<Student>],
    quiz: i64,
    pace: Pace,
    what: &str,
) -> anyhow::Result<()> {
    let router = qobe_web::router(app.clone(), WebConfig { secure: false, trusted_proxies: Vec::new() });
    let step = pace.spread / STUDENTS as u32;
    let at = Instant::now();
    let sittings: Vec<_> = students
        .iter()
        .enumerate()
        .map(|(n, s)| tokio::spawn(sit(router.clone(), s.clone(), quiz, step * n as u32, pace.gap)))
        .collect();
    let mut timed = Vec::new();
    for sitting in sittings {
        timed.extend(sitting.await?);
    }
    let wall = at.elapsed();
    let errors: Vec<&String> = timed.iter().filter_map(|t| t.failed.as_ref()).collect();
    let mut took: Vec<Duration> = timed.iter().map(|t| t.took).collect();
    took.sort();
    let (lost, wrong) = check_every_answer(app, institution, students.len(), quiz).await?;
    println!(
        "{what}: {} requests in {:.1} s = {:.0} requests/s; latency median {}, p99 {}, worst {}; \
         {} errors; answers lost {lost}; attempts not finished with all {QUESTIONS} right {wrong} (read back from the database)",
        timed.len(),
        wall.as_secs_f64(),
        timed.len() as f64 / wall.as_secs_f64(),
        ms(percentile(&took, 0.5)),
        ms(percentile(&took, 0.99)),
        ms(percentile(&took, 1.0)),
        errors.len()
    );
    if let Some(first) = errors.first() {
        println!("first error: {first}");
    }
    if !errors.is_empty() || lost > 0 || wrong > 0 {
        return Err(anyhow!("{} errors, {lost} answers lost, {wrong} attempts wrong", errors.len()));
    }
    Ok(())
}

pub async fn quiz(app: App, size: qobe_app::demo::Size) -> anyhow::Result<()> {
    let summary = qobe_app::demo::generate(&app, size, |_| {}).await?;
    let conn = app.store.conn();
    let institution =
        InstitutionId(qobe_store::tenancy::by_slug(conn, &summary.slug).await?.context("the demo institution")?.id);
    let (offering, instructor_email, students, _) = big_class(&app, institution, "QUIZ", STUDENTS, false).await?;
    if students.len() < STUDENTS {
        return Err(anyhow!("the demo has {} students; {STUDENTS} are needed: use --size m", students.len()));
    }
    let paced = make_quiz(&app, institution, offering, &instructor_email, 0).await?;
    let at_once = make_quiz(&app, institution, offering, &instructor_email, 1).await?;

    let people = qobe_store::accounts::people(conn, institution, &students).await?;
    let at = Instant::now();
    let mut signed_in = Vec::with_capacity(STUDENTS);
    for person in &people {
        let cookie = sign_in(&app, &person.email).await?;
        let csrf = resolve(&app, &cookie).await?.context("session")?.csrf_token;
        signed_in.push(Arc::new(Student { cookie, csrf }));
    }
    println!("{} students signed in (not timed below) in {:.1} s", signed_in.len(), at.elapsed().as_secs_f64());

    let minute = Pace { spread: Duration::from_secs(10), gap: Duration::from_secs(1) };
    let what = format!(
        "{STUDENTS} students start within 10 s, save {QUESTIONS} answers a second apart and hand in (one minute)"
    );
    run(&app, institution, &signed_in, paced, minute, &what).await?;
    let what = format!("{STUDENTS} students at once, every request as soon as the last is answered");
    run(&app, institution, &signed_in, at_once, Pace { spread: Duration::ZERO, gap: Duration::ZERO }, &what).await
}

/// The bank's forty questions (written again for each quiz) and a published quiz of them on one
/// of the class's assessments, open now for two hours with a one-hour limit.
async fn make_quiz(
    app: &App,
    institution: InstitutionId,
    offering: OfferingId,
    email: &str,
    assessment: usize,
) -> anyhow::Result<i64> {
    let cookie = sign_in(app, email).await?;
    let actor = resolve(app, &cookie).await?.context("session")?.actor;
    let client = qobe_app::ClientInfo::default();
    let conn = app.store.conn();
    let first = qobe_store::assessment::plans::assessments(conn, institution, offering)
        .await?
        .into_iter()
        .nth(assessment)
        .context("an assessment")?;
    let items: Vec<i64> = qobe_store::assessment::plans::items(conn, institution, offering)
        .await?
        .into_iter()
        .filter(|i| i.assessment_id == first.id)
        .map(|i| i.id)
        .collect();
    let mut sections = Vec::with_capacity(QUESTIONS);
    for (n, input) in questions().iter().enumerate() {
        let made = bank::create(app, &actor, offering, input, &client).await?;
        sections.push(SectionInput {
            item: items[n % items.len()],
            question: Some(made.id),
            ..SectionInput::default()
        });
    }
    let input = QuizInput {
        assessment: Some(first.id),
        title: "Benchmark quiz".into(),
        closes_at: Some(Entered::Value(app.now() + chrono::Duration::hours(2))),
        time_limit_minutes: Some(Entered::Value(60)),
        shuffle: true,
        published: true,
        sections,
        ..QuizInput::default()
    };
    Ok(quizzes::create(app, &actor, offering, &input, &client).await?.id)
}

/// Answers missing from the store, and attempts not finished with every answer scored right:
/// every student must have one finished attempt with all forty answers saved and right.
async fn check_every_answer(
    app: &App,
    institution: InstitutionId,
    expected: usize,
    quiz: i64,
) -> anyhow::Result<(usize, usize)> {
    let conn = app.store.conn();
    let attempts = qobe_store::quizzes::attempts(conn, institution, quiz, None).await?;
    let ids: Vec<i64> = attempts.iter().map(|a| a.id).collect();
    let answers = qobe_store::quizzes::answers(conn, institution, &ids).await?;
    let students: std::collections::HashSet<UserId> = attempts.iter().map(|a| UserId(a.user_id)).collect();
    let mut lost = (expected - students.len().min(expected)) * QUESTIONS;
    let mut wrong = expected - students.len().min(expected);
    for attempt in &attempts {
        let right = answers.iter().filter(|a| a.attempt_id == attempt.id && a.points == Some(1.0)).count();
        lost += QUESTIONS - right.min(QUESTIONS);
        if attempt.finished_at.is_none() || attempt.score != Some(QUESTIONS as f64) {
            wrong += 1;
        }
    }
    Ok((lost, wrong))
}
