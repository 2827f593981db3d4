//! The reports page (every report the person may open, with its filters) and their documents
//! made in the background: progress while they are made, the file once done.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use qobe_app::reports::Hub;
use qobe_app::reports::jobs::{self, JobStatus};
use qobe_domain::ids::DocumentId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::download::Show;
use crate::error::HtmlError;
use crate::routes::render;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(hub))
        .route("/reports/course", get(course))
        .route("/documents/{id}", get(job))
        .route("/documents/{id}/status", get(status))
        .route("/documents/{id}/file", get(file))
}

#[derive(Template)]
#[template(path = "reports/hub.html")]
struct HubPage {
    page: Page,
    hub: Hub,
}

async fn hub(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let hub = qobe_app::reports::hub(&state.app, &signed.actor).await?;
    Ok(render(&HubPage { page: Page::new("Reports", &signed.ctx), hub }))
}

#[derive(serde::Deserialize)]
struct CourseChoice {
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    course: Option<i64>,
}

/// The course picker's target: that course's trend across terms.
async fn course(Query(choice): Query<CourseChoice>) -> Response {
    match choice.course {
        Some(id) => Redirect::to(&format!("/assessment/courses/{id}/trends")).into_response(),
        None => Redirect::to("/reports").into_response(),
    }
}

#[derive(Template)]
#[template(path = "reports/job.html")]
struct JobPage {
    page: Page,
    job: JobStatus,
}

async fn job(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<DocumentId>,
) -> Result<Response, HtmlError> {
    let job = jobs::status(&state.app, &signed.actor, id).await?;
    Ok(render(&JobPage { page: Page::new(&job.title, &signed.ctx), job }))
}

/// The job's progress as JSON, for the page to follow without reloading.
async fn status(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<DocumentId>,
) -> Result<Response, HtmlError> {
    Ok(Json(jobs::status(&state.app, &signed.actor, id).await?).into_response())
}

async fn file(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<DocumentId>,
    headers: HeaderMap,
) -> Result<Response, HtmlError> {
    let file = jobs::file(&state.app, &signed.actor, id).await?;
    crate::download::send(&state, &file, &headers, Show::Attachment, 0).await
}
