//! API v1 for results: an offering's grades and their workflow, and a student's own results.
//! Same permissions as the pages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use qobe_domain::grading::ResultAction;
use qobe_domain::ids::OfferingId;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiActor;
use super::ErrorOut;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/grades", get(grades))
        .route("/offerings/{id}/grades/{action}", post(grades_step))
        .route("/me/results", get(my_results))
}

#[derive(Serialize, ToSchema)]
pub struct GradeLineOut {
    pub student_id: i64,
    pub name: String,
    pub percent: Option<f64>,
    pub letter: String,
    pub points: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct GradesOut {
    /// `draft`, `submitted`, `approved`, `published` or `locked`.
    pub status: String,
    pub lines: Vec<GradeLineOut>,
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/grades", tag = "assessment", params(("id" = i64, Path)), responses((status = 200, body = GradesOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn grades(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<GradesOut>, ApiError> {
    let view = qobe_app::results::view(&state.app, &actor, OfferingId(id)).await?;
    Ok(Json(GradesOut {
        status: view.status.as_str().into(),
        lines: view
            .lines
            .into_iter()
            .map(|l| GradeLineOut {
                student_id: l.person.id,
                name: l.person.name,
                percent: l.percent,
                letter: l.letter,
                points: l.points,
            })
            .collect(),
    }))
}

/// Moves results one step: `submit`, `approve`, `return`, `publish` or `lock`.
#[utoipa::path(post, path = "/api/v1/offerings/{id}/grades/{action}", tag = "assessment", params(("id" = i64, Path), ("action" = String, Path)), request_body = qobe_app::results::StepInput, responses((status = 200, body = GradesOut), (status = 409, body = ErrorOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn grades_step(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path((id, action)): Path<(i64, String)>,
    Json(input): Json<qobe_app::results::StepInput>,
) -> Result<(StatusCode, Json<GradesOut>), ApiError> {
    let action = ResultAction::parse(&action).ok_or(qobe_app::AppError::NotFound)?;
    qobe_app::results::act(&state.app, &actor, OfferingId(id), action, &input, &ctx.client).await?;
    let Json(out) = grades(State(state), ApiActor(actor, ctx), Path(id)).await?;
    Ok((StatusCode::OK, Json(out)))
}

#[derive(Serialize, ToSchema)]
pub struct MyResultOut {
    pub term: String,
    pub course_code: String,
    pub letter: String,
    pub points: Option<f64>,
    pub credits: f64,
}

#[derive(Serialize, ToSchema)]
pub struct MyResultsOut {
    pub cgpa: Option<f64>,
    pub results: Vec<MyResultOut>,
}

/// The caller's published results and CGPA.
#[utoipa::path(get, path = "/api/v1/me/results", tag = "assessment", responses((status = 200, body = MyResultsOut)), security(("bearer" = [])))]
pub async fn my_results(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<MyResultsOut>, ApiError> {
    let (terms, cgpa) = qobe_app::results::mine(&state.app, &actor).await?;
    let results = terms
        .iter()
        .flat_map(|t| {
            t.results.iter().map(|r| MyResultOut {
                term: t.term_name.clone(),
                course_code: r.offering.course.code.clone(),
                letter: r.letter.clone(),
                points: r.points,
                credits: r.credits,
            })
        })
        .collect();
    Ok(Json(MyResultsOut { cgpa, results }))
}
