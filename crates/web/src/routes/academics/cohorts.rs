//! Cohorts: list, create, and the students of one cohort.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::academics::cohorts::Cohort;
use qobe_app::academics::cohorts::{self, CohortChange, CohortInput, CohortStudentInput, CohortView};
use qobe_app::academics::terms::Term;
use qobe_app::structure::Program;
use qobe_domain::ids::{CohortId, TermId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{Search, done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/cohorts", get(list).post(create))
        .route("/academics/cohorts/{id}", get(show).post(update))
        .route("/academics/cohorts/{id}/students", post(add_student))
}

#[derive(Template)]
#[template(path = "academics/cohorts.html")]
struct CohortsPage {
    page: Page,
    cohorts: Vec<Cohort>,
    programs: Vec<Program>,
    terms: Vec<Term>,
    form: FormState,
    q: String,
    /// May open a cohort's students (and so sees links to them).
    can_view: bool,
    /// May create cohorts.
    can_manage: bool,
}

impl CohortsPage {
    fn program(&self, id: &i64) -> String {
        self.programs.iter().find(|p| p.id == *id).map(|p| p.code.clone()).unwrap_or_default()
    }

    fn term(&self, id: &i64) -> String {
        self.terms.iter().find(|t| t.id == *id).map(|t| t.name.clone()).unwrap_or_default()
    }
}

async fn list_page(state: &AppState, signed: &SignedIn, form: FormState, q: String) -> Result<CohortsPage, HtmlError> {
    let app = &state.app;
    let (_, programs) = qobe_app::structure::list(app, &signed.actor).await?;
    Ok(CohortsPage {
        page: Page::new("Cohorts", &signed.ctx),
        cohorts: cohorts::search(app, &signed.actor, &q).await?,
        programs,
        terms: qobe_app::academics::terms::list(app, &signed.actor).await?,
        form,
        q,
        can_view: qobe_app::authz::view_users(&signed.actor),
        can_manage: qobe_app::authz::manage_structure(&signed.actor),
    })
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(search): Query<Search>,
) -> Result<Response, HtmlError> {
    Ok(render(&list_page(&state, &signed, FormState::new(), search.q).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<CohortInput>,
) -> Result<Response, HtmlError> {
    match cohorts::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(cohort) => {
            Ok(done(&state, &format!("/academics/cohorts/{}", cohort.id), &format!("Cohort {} created.", cohort.name)))
        }
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&list_page(&state, &signed, kept, String::new()).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "academics/cohort.html")]
struct CohortPage {
    page: Page,
    view: CohortView,
    form: FormState,
    edit_form: FormState,
    /// May change the cohort and add students.
    can_manage: bool,
}

async fn cohort_page(
    state: &AppState,
    signed: &SignedIn,
    id: CohortId,
    form: FormState,
    edit_form: Option<FormState>,
) -> Result<CohortPage, HtmlError> {
    let view = cohorts::view(&state.app, &signed.actor, id).await?;
    let edit_form = match edit_form {
        Some(kept) => kept,
        None => {
            let term =
                qobe_app::academics::terms::get(&state.app, &signed.actor, TermId(view.cohort.intake_term_id)).await?;
            FormState::of(&CohortChange { intake_term: term.code, name: view.cohort.name.clone() })
        }
    };
    let can_manage = qobe_app::authz::manage_structure(&signed.actor);
    Ok(CohortPage { page: Page::new(&view.cohort.name.clone(), &signed.ctx), view, form, edit_form, can_manage })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&cohort_page(&state, &signed, CohortId(id), FormState::new(), None).await?))
}

async fn update(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<CohortChange>,
) -> Result<Response, HtmlError> {
    match cohorts::update(&state.app, &signed.actor, CohortId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/academics/cohorts/{id}"), "Cohort saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&cohort_page(&state, &signed, CohortId(id), FormState::new(), Some(kept)).await?))
        }
    }
}

async fn add_student(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<CohortStudentInput>,
) -> Result<Response, HtmlError> {
    match cohorts::add_student(&state.app, &signed.actor, CohortId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/academics/cohorts/{id}"), "Student added.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&cohort_page(&state, &signed, CohortId(id), kept, None).await?))
        }
    }
}
