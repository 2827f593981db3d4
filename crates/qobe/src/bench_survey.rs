//! `qobe bench survey`: a 30-question survey of every kind with 10,000 responses, summarised
//! as the results page does (every question's summary and chart, the indirect measure, a
//! cross-tab), and the results page served through the real router.

use std::time::Instant;

use anyhow::{Context, anyhow};
use axum::body::Body;
use axum::http::{Request, header};
use qobe_app::App;
use qobe_app::accounts::sessions::resolve;
use qobe_app::surveys::design::{self, DesignInput, NewSurveyInput};
use qobe_domain::ids::{InstitutionId, SurveyId};
use qobe_domain::surveys::{Answer, Answers, Question, QuestionKind, Section, SurveyForm};
use qobe_web::WebConfig;
use tower::ServiceExt;

use crate::bench::{median, ms, sign_in, worst};

const RESPONSES: usize = 10_000;

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_owned()).collect()
}

/// Thirty questions: ten rating scales, five single and three multiple choices, three grids,
/// two rankings, two numbers, a date, two short and two long texts.
fn form() -> SurveyForm {
    let mut questions = Vec::new();
    let mut add = |key: String, kind: QuestionKind| {
        questions.push(Question {
            text: format!("Question {key}"),
            key,
            help: String::new(),
            required: false,
            kind,
            show_if: None,
        });
    };
    for n in 0..10 {
        add(format!("scale{n}"), QuestionKind::Scale { points: 5, labels: Vec::new() });
    }
    for n in 0..5 {
        add(
            format!("one{n}"),
            QuestionKind::SingleChoice { options: words(&["Lab", "Lecture", "Tutorial", "Online"]), other: true },
        );
    }
    for n in 0..3 {
        add(
            format!("many{n}"),
            QuestionKind::MultipleChoice { options: words(&["A", "B", "C", "D", "E"]), other: false },
        );
    }
    for n in 0..3 {
        add(
            format!("grid{n}"),
            QuestionKind::Matrix { rows: words(&["Pace", "Clarity", "Feedback"]), points: 5, labels: Vec::new() },
        );
    }
    for n in 0..2 {
        add(format!("rank{n}"), QuestionKind::Ranking { options: words(&["W", "X", "Y", "Z"]) });
    }
    for n in 0..2 {
        add(format!("number{n}"), QuestionKind::Numeric { min: Some(0.0), max: Some(100.0), whole: true });
    }
    add("date0".into(), QuestionKind::Date);
    for n in 0..2 {
        add(format!("short{n}"), QuestionKind::ShortText);
    }
    for n in 0..2 {
        add(format!("long{n}"), QuestionKind::LongText);
    }
    SurveyForm { sections: vec![Section { title: "Everything".into(), questions, ..Section::default() }] }
}

/// SplitMix64: the same responses every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % below
    }
}

fn answers(form: &SurveyForm, rng: &mut Rng) -> Answers {
    let mut out = Answers::new();
    for (_, q) in form.questions() {
        let pick = |rng: &mut Rng, options: &[String]| options[rng.next(options.len() as u64) as usize].clone();
        let answer = match &q.kind {
            QuestionKind::Scale { .. } => Answer::Point(1 + rng.next(5) as u8),
            QuestionKind::SingleChoice { options, .. } => Answer::Choice { chosen: pick(rng, options), other: false },
            QuestionKind::MultipleChoice { options, .. } => {
                let chosen = options.iter().filter(|_| rng.next(2) == 0).cloned().collect();
                Answer::Choices { chosen, other: None }
            }
            QuestionKind::Matrix { rows, .. } => {
                Answer::Rows(rows.iter().map(|_| Some(1 + rng.next(5) as u8)).collect())
            }
            QuestionKind::Ranking { options } => {
                let mut order = options.clone();
                order.rotate_left(rng.next(options.len() as u64) as usize);
                Answer::Order(order)
            }
            QuestionKind::Numeric { .. } => Answer::Number(rng.next(101) as f64),
            QuestionKind::Date => {
                Answer::Date(chrono::NaiveDate::from_ymd_opt(2026, 1 + rng.next(12) as u32, 1).unwrap_or_default())
            }
            QuestionKind::ShortText => Answer::Text(format!("short answer {}", rng.next(1000))),
            QuestionKind::LongText => {
                Answer::Text("A longer answer about the course, its labs and its pace. ".repeat(3))
            }
            QuestionKind::YesNo => Answer::YesNo(rng.next(2) == 0),
        };
        out.insert(q.key.clone(), answer);
    }
    out
}

pub async fn survey(app: App, size: qobe_app::demo::Size) -> anyhow::Result<()> {
    let summary = qobe_app::demo::generate(&app, size, |_| {}).await?;
    let conn = app.store.conn();
    let institution =
        InstitutionId(qobe_store::tenancy::by_slug(conn, &summary.slug).await?.context("the demo institution")?.id);
    let cookie = sign_in(&app, &summary.admin_email).await?;
    let actor = resolve(&app, &cookie).await?.context("session")?.actor;
    let client = qobe_app::ClientInfo::default();
    let input =
        NewSurveyInput { purpose: "general".into(), title: "Benchmark survey".into(), ..NewSurveyInput::default() };
    let made = design::create(&app, &actor, &input, &client).await?;
    let id = SurveyId(made.id);
    let form = form();
    let design = DesignInput {
        title: "Benchmark survey".into(),
        description: String::new(),
        anonymous: true,
        form: form.clone(),
        links: Vec::new(),
    };
    design::save(&app, &actor, id, &design, &client).await?;

    let started = Instant::now();
    let mut rng = Rng(0x5EED);
    let mut rows = Vec::with_capacity(RESPONSES);
    for n in 0..RESPONSES {
        rows.push((format!("{n:032x}"), serde_json::to_string(&answers(&form, &mut rng))?));
    }
    let tx = app.store.begin().await?;
    qobe_store::bulk::insert_anonymous_responses(&tx, institution, id.0, &rows).await?;
    qobe_store::commit(tx).await?;
    println!("{RESPONSES} responses to {} questions written in {}", form.questions().count(), ms(started.elapsed()));

    // Summarised from the stored responses (nothing kept), then as kept for the next view.
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        for kept in [false, true] {
            if !kept {
                app.tallies.forget();
            }
            let at = Instant::now();
            let results = qobe_app::surveys::results::of(&app, &actor, id).await?;
            let charts = results.summaries.iter().filter_map(qobe_app::reports::question_chart).count();
            let tab = qobe_app::surveys::results::cross(&app, &actor, id, "one0", "many0").await?;
            (if kept { &mut warm } else { &mut cold }).push(at.elapsed());
            if results.responses != RESPONSES || charts != 18 || tab.counts.iter().flatten().sum::<usize>() == 0 {
                return Err(anyhow!("the summary is not complete: {} responses, {charts} charts", results.responses));
            }
        }
    }
    println!(
        "summary of every question (loaded, parsed, counted; 18 charts drawn) and a cross-tab: median {}, worst {}; \
         with the summary kept from an earlier view: median {} (5 runs each)",
        ms(median(cold.clone())),
        ms(worst(&cold)),
        ms(median(warm))
    );

    // Where the time goes: the rows, the JSON, the counting.
    let at = Instant::now();
    let stored = qobe_store::surveys::response_answers(conn, institution, id).await?;
    let loaded = at.elapsed();
    let at = Instant::now();
    let parsed: Vec<Answers> = stored.iter().map(|json| serde_json::from_str(json)).collect::<Result<_, _>>()?;
    let parsing = at.elapsed();
    let at = Instant::now();
    let counted = qobe_domain::surveys::summary::summarise(&form, &parsed);
    println!(
        "of which: rows loaded {}, answers parsed {}, {} questions summarised {}",
        ms(loaded),
        ms(parsing),
        counted.len(),
        ms(at.elapsed())
    );

    let router = qobe_web::router(app.clone(), WebConfig { secure: false, trusted_proxies: Vec::new() });
    let path = format!("/surveys/{}/results", id.0);
    let page = |kept: bool| {
        let (router, cookie, path, app) = (router.clone(), cookie.clone(), path.clone(), app.clone());
        async move {
            if !kept {
                app.tallies.forget();
            }
            let request = Request::get(&path)
                .header(header::HOST, "localhost")
                .header(header::COOKIE, format!("qobe_session={cookie}"))
                .body(Body::empty())?;
            let at = Instant::now();
            let response = router.oneshot(request).await?;
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            let took = at.elapsed();
            if !status.is_success() || !bytes.windows(16).any(|w| w == b"<svg class=\"char") {
                return Err(anyhow!("the results page did not render its charts: {status}"));
            }
            Ok(took)
        }
    };
    let (mut first, mut later) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        first.push(page(false).await?);
    }
    for _ in 0..20 {
        later.push(page(true).await?);
    }
    println!(
        "results page with {RESPONSES} responses: median {}, worst {} (20 requests); \
         the first view after the responses changed: median {} (5 requests)",
        ms(median(later.clone())),
        ms(worst(&later)),
        ms(median(first))
    );
    Ok(())
}
