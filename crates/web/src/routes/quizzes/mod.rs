//! Quizzes' pages under `/quizzes/…`: an offering's list (with the form that makes an assessment
//! of the plan a quiz), a quiz as its student sees it (attempts, the start button) or as its
//! staff see it (settings with its sections, extra time), the bank ([`bank`]), taking an attempt
//! ([`take`]) and the results with item statistics ([`results`]).

mod bank;
mod qti;
mod results;
mod take;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::quizzes::attempts::{self, Standing};
use qobe_app::quizzes::{self, AccommodationInput, Listing, Question, QuizInput, SectionInput};
use qobe_domain::entered::Entered;
use qobe_domain::ids::OfferingId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quizzes/offerings/{id}", get(list).post(create))
        .route("/quizzes/{id}", get(show).post(edit))
        .route("/quizzes/{id}/accommodations", post(accommodate))
        .merge(bank::router())
        .merge(qti::router())
        .merge(take::router())
        .merge(results::router())
}

/// Words for a quiz's window and limit in the viewer's zone.
fn window_words(page: &Page, quiz: &qobe_app::quizzes::Quiz) -> String {
    let mut parts = Vec::new();
    if let Some(opens) = quiz.opens_at {
        parts.push(format!("opens {}", page.local(&opens)));
    }
    if let Some(closes) = quiz.closes_at {
        parts.push(format!("closes {}", page.local(&closes)));
    }
    match quiz.time_limit_minutes {
        Some(minutes) => parts.push(format!("{minutes} minutes")),
        None => parts.push("no time limit".into()),
    }
    let attempts = quiz.attempts_allowed;
    parts.push(format!("{attempts} attempt{}", if attempts == 1 { "" } else { "s" }));
    parts.join(" · ")
}

#[derive(Template)]
#[template(path = "quizzes/list.html")]
struct ListPage {
    page: Page,
    listing: Listing,
    form: FormState,
}

impl ListPage {
    fn window(&self, quiz: &qobe_app::quizzes::Quiz) -> String {
        window_words(&self.page, quiz)
    }
}

async fn list_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: FormState,
) -> Result<ListPage, HtmlError> {
    let listing = quizzes::list(&state.app, &signed.actor, id).await?;
    let title = format!("Quizzes · {} {}", listing.offering.course.code, listing.offering.term.code);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&listing.offering, !listing.viewer.is_student(), true);
    Ok(ListPage { page, listing, form })
}

async fn list(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let form = FormState::new().set("shuffle", "on").set("attempts_allowed", "1");
    Ok(render(&list_page(&state, &signed, OfferingId(id), form).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    match quizzes::create(&state.app, &signed.actor, OfferingId(id), &quiz_input(&pairs), &signed.ctx.client).await {
        Ok(made) => {
            Ok(done(&state, &format!("/quizzes/{}#sections", made.id), "Quiz made: now give it its questions."))
        }
        Err(err) => {
            let kept = FormState::from_pairs(&pairs).absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &list_page(&state, &signed, OfferingId(id), kept).await?))
        }
    }
}

/// A row of the sections editor.
struct SectionRow {
    n: usize,
    item: String,
    question: String,
    category: String,
    count: String,
}

#[derive(Template)]
#[template(path = "quizzes/show.html")]
struct QuizPage {
    page: Page,
    standing: Standing,
    form: FormState,
    /// For staff: the assessment's items (id, label), the bank and its categories.
    items: Vec<(i64, String)>,
    bank: Vec<Question>,
    categories: Vec<String>,
    rows: Vec<SectionRow>,
    students: Vec<(i64, String)>,
}

impl QuizPage {
    fn window(&self) -> String {
        window_words(&self.page, &self.standing.quiz)
    }

    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn short(&self, text: &str) -> String {
        let line = text.lines().next().unwrap_or_default();
        if line.chars().count() > 70 {
            format!("{}…", line.chars().take(70).collect::<String>())
        } else {
            line.to_owned()
        }
    }

    fn may_start(&self) -> bool {
        self.standing.refusal.is_none()
    }

    fn refusal(&self) -> String {
        self.standing.refusal.clone().unwrap_or_default()
    }

    fn resumes(&self) -> bool {
        self.standing.attempts.iter().any(|a| a.finished_at.is_none())
    }
}

async fn quiz_page(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    form: Option<FormState>,
) -> Result<QuizPage, HtmlError> {
    let app = &state.app;
    let standing = attempts::standing(app, &signed.actor, id).await?;
    let staff = !standing.viewer.is_student();
    let page = Page::new(&standing.quiz.title, &signed.ctx).in_offering_as(&standing.offering, staff, true);
    let (mut items, mut bank, mut categories, mut students) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let form = match form {
        Some(form) => form,
        None => FormState::of(&quizzes::input_of(&standing.quiz, signed.actor.zone())),
    };
    if standing.viewer.edits() {
        items = quizzes::items_of(app, &signed.actor, &standing.quiz)
            .await?
            .iter()
            .map(|i| (i.id, format!("{} (of {})", i.label, qobe_app::assessment::marks::display_number(i.max_marks))))
            .collect();
        let listing = qobe_app::quizzes::bank::bank(app, &signed.actor, OfferingId(standing.quiz.offering_id)).await?;
        categories = listing.categories.iter().map(|(c, _)| c.clone()).collect();
        bank = listing.questions;
        let results = qobe_app::quizzes::results::results(app, &signed.actor, id).await?;
        students = results.lines.iter().map(|l| (l.student, l.name.clone())).collect();
    }
    let sections = quizzes::sections(&standing.quiz);
    let stored = sections.len();
    let mut rows: Vec<SectionRow> = (0..stored + 3)
        .map(|n| {
            let field = |name: &str| form.value(&format!("section-{name}-{n}")).to_owned();
            match (sections.get(n), form.value(&format!("section-item-{n}")).is_empty()) {
                (Some(s), true) => SectionRow {
                    n,
                    item: s.item.to_string(),
                    question: s.question.map(|q| q.to_string()).unwrap_or_default(),
                    category: s.category.clone().unwrap_or_default(),
                    count: s.count.to_string(),
                },
                _ => SectionRow {
                    n,
                    item: field("item"),
                    question: field("question"),
                    category: field("category"),
                    count: field("count"),
                },
            }
        })
        .collect();
    rows.truncate(stored.max(form_rows(&form)) + 3);
    Ok(QuizPage { page, standing, form, items, bank, categories, rows, students })
}

/// How many section rows a refused form had filled.
fn form_rows(form: &FormState) -> usize {
    (0..200).take_while(|n| !form.value(&format!("section-item-{n}")).is_empty()).count()
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&quiz_page(&state, &signed, id, None).await?))
}

/// Reads the settings form: its fields, and the sections editor's rows (a row without an item
/// is left out).
fn quiz_input(pairs: &[(String, String)]) -> QuizInput {
    let value =
        |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    fn entered<T>(text: String) -> Option<Entered<T>> {
        Some(text).filter(|v| !v.is_empty()).map(Entered::Text)
    }
    let typed = |key: &str| value(key);
    let ticked = |key: &str| pairs.iter().any(|(k, v)| k == key && !v.is_empty());
    QuizInput {
        assessment: value("assessment").parse().ok(),
        title: value("title"),
        instructions: value("instructions"),
        opens_at: entered(typed("opens_at")),
        closes_at: entered(typed("closes_at")),
        time_limit_minutes: entered(typed("time_limit_minutes")),
        attempts_allowed: entered(typed("attempts_allowed")),
        shuffle: ticked("shuffle"),
        published: ticked("published"),
        sections: (0..200)
            .filter_map(|n| {
                let item = value(&format!("section-item-{n}")).parse::<i64>().ok()?;
                let question = value(&format!("section-question-{n}")).parse::<i64>().ok();
                let category = Some(value(&format!("section-category-{n}"))).filter(|c| !c.is_empty());
                let count = value(&format!("section-count-{n}")).parse::<i64>().ok();
                Some(SectionInput { item, question, category, count })
            })
            .collect(),
    }
}

async fn edit(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    match quizzes::update(&state.app, &signed.actor, id, &quiz_input(&pairs), &signed.ctx.client).await {
        Ok(_) => Ok(done(&state, &format!("/quizzes/{id}"), "Quiz saved.")),
        Err(err) => {
            let kept = FormState::from_pairs(&pairs).absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &quiz_page(&state, &signed, id, Some(kept)).await?))
        }
    }
}

async fn accommodate(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<AccommodationInput>,
) -> Result<Response, HtmlError> {
    match quizzes::accommodate(&state.app, &signed.actor, id, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/quizzes/{id}#extra-time"), "Extra time saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &quiz_page(&state, &signed, id, Some(kept)).await?))
        }
    }
}
