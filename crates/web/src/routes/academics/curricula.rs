//! Curriculum versions: courses by semester, the curriculum map and its coverage report.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::academics::curricula::{self, CurriculumInput, CurriculumView, PlacementInput};
use qobe_domain::academics::CourseCategory;
use qobe_domain::frameworks::CoverageLevel;
use qobe_domain::ids::{CurriculumVersionId, ProgramId, TermId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::forms::{FormState, Submitted};
use crate::routes::{done, refused, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/programs/{id}/curricula", post(create))
        .route("/academics/curricula/{id}", get(show).post(update))
        .route("/academics/curricula/{id}/courses", post(set_course))
        .route("/academics/curricula/{id}/map", post(save_map))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<CurriculumInput>,
) -> Result<Response, HtmlError> {
    match curricula::create(&state.app, &signed.actor, ProgramId(id), &form.input, &signed.ctx.client).await {
        Ok(c) => Ok(done(
            &state,
            &format!("/academics/curricula/{}", c.id),
            "Curriculum created: add its courses by semester.",
        )),
        Err(qobe_app::AppError::Invalid(errors)) => {
            let message = errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field.replace('_', " "), e.message))
                .collect::<Vec<_>>()
                .join("; ");
            Ok(refused(&state, &format!("/academics/programs/{id}"), &format!("Curriculum not created. {message}")))
        }
        Err(err @ qobe_app::AppError::Conflict { .. }) => {
            Ok(refused(&state, &format!("/academics/programs/{id}"), &err.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "academics/curriculum.html")]
struct CurriculumPage {
    page: Page,
    view: CurriculumView,
    categories: [CourseCategory; 3],
    form: FormState,
    edit_form: FormState,
    error: Option<String>,
    /// May change the curriculum.
    can_edit: bool,
}

impl CurriculumPage {
    fn level(&self, value: &Option<CoverageLevel>) -> String {
        value.map(|l| l.letter().to_string()).unwrap_or_default()
    }
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    form: FormState,
    error: Option<String>,
) -> Result<CurriculumPage, HtmlError> {
    editing(state, signed, id, form, None, error).await
}

async fn editing(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    form: FormState,
    edit_form: Option<FormState>,
    error: Option<String>,
) -> Result<CurriculumPage, HtmlError> {
    let view = curricula::view(&state.app, &signed.actor, CurriculumVersionId(id)).await?;
    let edit_form = match edit_form {
        Some(kept) => kept,
        None => {
            let term = TermId(view.curriculum.effective_term_id);
            let term = qobe_app::academics::terms::get(&state.app, &signed.actor, term).await?;
            FormState::of(&CurriculumInput {
                name: view.curriculum.name.clone(),
                catalog_year: view.curriculum.catalog_year.into(),
                effective_term: term.code,
            })
        }
    };
    let title = format!("{} curriculum {}", view.program.code, view.curriculum.catalog_year);
    let categories = CourseCategory::ALL;
    let can_edit = qobe_app::authz::edit_program_outcomes(&signed.actor, view.program.id, view.program.department_id);
    Ok(CurriculumPage { page: Page::new(&title, &signed.ctx), view, categories, form, edit_form, error, can_edit })
}

async fn update(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<CurriculumInput>,
) -> Result<Response, HtmlError> {
    let result =
        curricula::update(&state.app, &signed.actor, CurriculumVersionId(id), &form.input, &signed.ctx.client).await;
    match result {
        Ok(()) => Ok(done(&state, &format!("/academics/curricula/{id}"), "Curriculum saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&editing(&state, &signed, id, FormState::new(), Some(kept), None).await?))
        }
    }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let shown = page(&state, &signed, id, FormState::new().set("semester", "1").set("category", "core"), None).await?;
    if let Some(file) = download(&state, &signed, &format, || qobe_app::reports::curriculum(&shown.view)).await? {
        return Ok(file);
    }
    Ok(render(&shown))
}

async fn set_course(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<PlacementInput>,
) -> Result<Response, HtmlError> {
    match curricula::set_course(&state.app, &signed.actor, CurriculumVersionId(id), &form.input, &signed.ctx.client)
        .await
    {
        Ok(()) => Ok(done(
            &state,
            &format!("/academics/curricula/{id}"),
            &format!("{} placed in semester {}.", form.input.course.to_uppercase(), form.input.semester),
        )),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, id, kept, None).await?))
        }
    }
}

/// The map form posts one field per cell, named `m{course}_{plo}`.
async fn save_map(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let cells = crate::routes::grid_cells(fields, 'm');
    match curricula::save_map(&state.app, &signed.actor, CurriculumVersionId(id), &cells, &signed.ctx.client).await {
        Ok(changed) => Ok(done(
            &state,
            &format!("/academics/curricula/{id}"),
            &format!("Curriculum map saved ({changed} cells changed)."),
        )),
        Err(qobe_app::AppError::Invalid(errors)) => {
            let message = crate::routes::joined_messages(&errors);
            Ok(render_invalid(&page(&state, &signed, id, FormState::new(), Some(message)).await?))
        }
        Err(err) => Err(err.into()),
    }
}
