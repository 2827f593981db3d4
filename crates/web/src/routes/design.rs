//! The design system's living style page (`/design`, for staff): the tokens and every component
//! the pages are built from, working (the table sorts, the form keeps what was typed and says
//! what is wrong beside it).

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use qobe_app::AppError;
use qobe_documents::charts::{Bar, bar_chart};
use qobe_domain::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::render;

pub fn router() -> Router<AppState> {
    Router::new().route("/design", get(show))
}

#[derive(Template)]
#[template(path = "design/index.html")]
struct DesignPage {
    page: Page,
    colours: Vec<(&'static str, &'static str)>,
    spaces: Vec<u8>,
    form: FormState,
    rows: Vec<(&'static str, &'static str, bool)>,
    /// A long table's rows: (student, score), enough to scroll under its sticky header.
    long_rows: Vec<(String, u32)>,
    /// Terms for the term switcher's sample.
    terms: Vec<SampleTerm>,
    chart: String,
}

/// A term as the switcher shows one.
struct SampleTerm {
    id: i64,
    name: &'static str,
}

/// What was typed into the sample form.
#[derive(Deserialize)]
struct Sample {
    code: Option<String>,
    credits: Option<String>,
}

const COLOURS: [(&str, &str); 11] = [
    ("ink", "text"),
    ("muted", "secondary text"),
    ("line", "borders"),
    ("bg", "page"),
    ("card", "cards, tables"),
    ("brand", "links, buttons"),
    ("brand-soft", "where you are"),
    ("ok", "met, done"),
    ("bad", "not met, errors"),
    ("warn", "waiting"),
    ("focus", "keyboard focus"),
];

async fn show(signed: SignedIn, Query(sample): Query<Sample>) -> Result<Response, HtmlError> {
    if !qobe_app::authz::staff(&signed.actor) {
        return Err(AppError::Forbidden.into());
    }
    let mut form = FormState::new();
    if let (Some(code), Some(credits)) = (&sample.code, &sample.credits) {
        let mut errors = FieldErrors::new();
        errors.check("code", qobe_domain::validation::code(code));
        errors.check("credits", qobe_domain::academics::parse_credits(credits));
        form = form.set("code", code).set("credits", credits);
        form.errors = errors;
    }
    let bars = [("CLO1", 0.82), ("CLO2", 0.55), ("CLO3", 0.71)].map(|(label, value)| Bar {
        label: label.into(),
        value: Some(value),
        target: Some(0.6),
        href: None,
    });
    Ok(render(&DesignPage {
        page: Page::new("Design system", &signed.ctx),
        colours: COLOURS.to_vec(),
        spaces: (1..=6).collect(),
        form,
        rows: vec![("CLO1", "82%", true), ("CLO2", "55%", false), ("CLO3", "71%", true)],
        long_rows: (1..=40).map(|n| (format!("Student {n:02}"), (n * 37 % 61 + 39) as u32)).collect(),
        terms: vec![SampleTerm { id: 2, name: "Spring 2027" }, SampleTerm { id: 1, name: "Fall 2026" }],
        chart: bar_chart("Share of students attaining each CLO (sample)", &bars),
    }))
}
