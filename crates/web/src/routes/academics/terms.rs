//! Terms: list, create, edit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use qobe_app::academics::terms::{self, TermInput};
use qobe_app::rows::Term;
use qobe_domain::ids::TermId;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{Search, done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/terms", get(list).post(create))
        .route("/academics/terms/{id}", get(show).post(update))
}

#[derive(Template)]
#[template(path = "academics/terms.html")]
struct TermsPage {
    page: Page,
    terms: Vec<Term>,
    form: FormState,
    editing: Option<Term>,
    q: String,
    /// May create and change terms.
    can_manage: bool,
}

const FIELDS: [&str; 12] = [
    "code",
    "name",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "add_drop_closes_at",
    "withdrawal_closes_at",
    "marks_entry_closes_at",
    "results_published_at",
    "min_credits",
    "max_credits",
];

#[derive(Deserialize, Default)]
struct TermForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    registration_opens_at: String,
    #[serde(default)]
    registration_closes_at: String,
    #[serde(default)]
    add_drop_closes_at: String,
    #[serde(default)]
    withdrawal_closes_at: String,
    #[serde(default)]
    marks_entry_closes_at: String,
    #[serde(default)]
    results_published_at: String,
    #[serde(default)]
    min_credits: String,
    #[serde(default)]
    max_credits: String,
}

impl TermForm {
    fn input(&self) -> TermInput {
        TermInput {
            code: self.code.clone(),
            name: self.name.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            registration_opens_at: self.registration_opens_at.clone(),
            registration_closes_at: self.registration_closes_at.clone(),
            add_drop_closes_at: self.add_drop_closes_at.clone(),
            withdrawal_closes_at: self.withdrawal_closes_at.clone(),
            marks_entry_closes_at: self.marks_entry_closes_at.clone(),
            results_published_at: self.results_published_at.clone(),
            min_credits: self.min_credits.clone(),
            max_credits: self.max_credits.clone(),
        }
    }
}

fn form_of(input: &TermInput) -> FormState {
    let values = [
        &input.code,
        &input.name,
        &input.starts_at,
        &input.ends_at,
        &input.registration_opens_at,
        &input.registration_closes_at,
        &input.add_drop_closes_at,
        &input.withdrawal_closes_at,
        &input.marks_entry_closes_at,
        &input.results_published_at,
        &input.min_credits,
        &input.max_credits,
    ];
    FormState::with_values(FIELDS.iter().copied().zip(values.iter().map(|v| v.as_str())))
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    form: FormState,
    editing: Option<Term>,
) -> Result<TermsPage, HtmlError> {
    searched(state, signed, form, editing, String::new()).await
}

async fn searched(
    state: &AppState,
    signed: &SignedIn,
    form: FormState,
    editing: Option<Term>,
    q: String,
) -> Result<TermsPage, HtmlError> {
    let terms = terms::search(&state.app, &signed.actor, &q).await?;
    let can_manage = qobe_app::authz::manage_structure(&signed.actor);
    Ok(TermsPage { page: Page::new("Terms", &signed.ctx), terms, form, editing, q, can_manage })
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(search): Query<Search>,
) -> Result<Response, HtmlError> {
    let suggested = if qobe_app::authz::manage_structure(&signed.actor) {
        terms::suggested(&state.app, &signed.actor).await?
    } else {
        TermInput::default()
    };
    Ok(render(&searched(&state, &signed, form_of(&suggested), None, search.q).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<TermForm>,
) -> Result<Response, HtmlError> {
    let input = form.input();
    match terms::create(&state.app, &signed.actor, &input, &signed.ctx.client).await {
        Ok(term) => Ok(done(&state, "/academics/terms", &format!("Term {} created.", term.code))),
        Err(err) => Ok(render_invalid(&page(&state, &signed, form_of(&input).absorb(err)?, None).await?)),
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let term = terms::get(&state.app, &signed.actor, TermId(id)).await?;
    let form = form_of(&terms::input_of(&term, signed.actor.zone()));
    Ok(render(&page(&state, &signed, form, Some(term)).await?))
}

async fn update(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<TermForm>,
) -> Result<Response, HtmlError> {
    let term = terms::get(&state.app, &signed.actor, TermId(id)).await?;
    let input = form.input();
    match terms::update(&state.app, &signed.actor, TermId(id), &input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, "/academics/terms", "Term saved.")),
        Err(err) => Ok(render_invalid(&page(&state, &signed, form_of(&input).absorb(err)?, Some(term)).await?)),
    }
}
