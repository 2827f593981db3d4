//! Terms: list, create, edit.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::academics::terms::Term;
use qobe_app::academics::terms::{self, TermInput};
use qobe_domain::ids::TermId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
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
    Ok(render(&searched(&state, &signed, FormState::of(&suggested), None, search.q).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<TermInput>,
) -> Result<Response, HtmlError> {
    match terms::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(term) => Ok(done(&state, "/academics/terms", &format!("Term {} created.", term.code))),
        Err(err) => Ok(render_invalid(&page(&state, &signed, form.typed.absorb(err)?, None).await?)),
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let term = terms::get(&state.app, &signed.actor, TermId(id)).await?;
    let form = FormState::of(&terms::input_of(&term, signed.actor.zone()));
    Ok(render(&page(&state, &signed, form, Some(term)).await?))
}

async fn update(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<TermInput>,
) -> Result<Response, HtmlError> {
    let term = terms::get(&state.app, &signed.actor, TermId(id)).await?;
    match terms::update(&state.app, &signed.actor, TermId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, "/academics/terms", "Term saved.")),
        Err(err) => Ok(render_invalid(&page(&state, &signed, form.typed.absorb(err)?, Some(term)).await?)),
    }
}
