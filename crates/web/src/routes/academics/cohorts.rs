//! Cohorts: list, create, and the students of one cohort.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::academics::cohorts::{self, CohortView};
use qobe_app::rows::{Cohort, Program, Term};
use qobe_domain::ids::CohortId;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/cohorts", get(list).post(create))
        .route("/academics/cohorts/{id}", get(show))
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
}

impl CohortsPage {
    fn program(&self, id: &i64) -> String {
        self.programs.iter().find(|p| p.id == *id).map(|p| p.code.clone()).unwrap_or_default()
    }

    fn term(&self, id: &i64) -> String {
        self.terms.iter().find(|t| t.id == *id).map(|t| t.name.clone()).unwrap_or_default()
    }
}

async fn list_page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<CohortsPage, HtmlError> {
    let app = &state.app;
    let (_, programs) = qobe_app::structure::list(app, &signed.actor).await?;
    Ok(CohortsPage {
        page: Page::new("Cohorts", &signed.ctx),
        cohorts: cohorts::list(app, &signed.actor).await?,
        programs,
        terms: qobe_app::academics::terms::list(app, &signed.actor).await?,
        form,
    })
}

async fn list(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&list_page(&state, &signed, FormState::new()).await?))
}

#[derive(Deserialize)]
struct CohortForm {
    #[serde(default)]
    program: String,
    #[serde(default)]
    intake_term: String,
    #[serde(default)]
    name: String,
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<CohortForm>,
) -> Result<Response, HtmlError> {
    match cohorts::create(&state.app, &signed.actor, &form.program, &form.intake_term, &form.name, &signed.ctx.client)
        .await
    {
        Ok(cohort) => {
            Ok(done(&state, &format!("/academics/cohorts/{}", cohort.id), &format!("Cohort {} created.", cohort.name)))
        }
        Err(err) => {
            let kept = FormState::with_values([
                ("program", form.program.as_str()),
                ("intake_term", &form.intake_term),
                ("name", &form.name),
            ])
            .absorb(err)?;
            Ok(render_invalid(&list_page(&state, &signed, kept).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "academics/cohort.html")]
struct CohortPage {
    page: Page,
    view: CohortView,
    form: FormState,
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let view = cohorts::view(&state.app, &signed.actor, CohortId(id)).await?;
    Ok(render(&CohortPage { page: Page::new(&view.cohort.name.clone(), &signed.ctx), view, form: FormState::new() }))
}

#[derive(Deserialize)]
struct StudentForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    registration_no: String,
}

async fn add_student(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StudentForm>,
) -> Result<Response, HtmlError> {
    match cohorts::add_student(
        &state.app,
        &signed.actor,
        CohortId(id),
        &form.email,
        &form.registration_no,
        &signed.ctx.client,
    )
    .await
    {
        Ok(()) => Ok(done(&state, &format!("/academics/cohorts/{id}"), "Student added.")),
        Err(err) => {
            let view = cohorts::view(&state.app, &signed.actor, CohortId(id)).await?;
            let kept =
                FormState::with_values([("email", form.email.as_str()), ("registration_no", &form.registration_no)])
                    .absorb(err)?;
            Ok(render_invalid(&CohortPage {
                page: Page::new(&view.cohort.name.clone(), &signed.ctx),
                view,
                form: kept,
            }))
        }
    }
}
