//! API v1 for the academic structure and outcomes: terms, courses, offerings, a program's
//! outcomes and its CLO–PLO matrix.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::academics::courses::Course;
use qobe_app::academics::outcomes::{self as outcome_cases, Kind, Outcome};
use qobe_app::academics::terms::Term;
use qobe_domain::ids::{CourseId, ProgramId, TermId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiActor;
use super::ErrorOut;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/terms", get(list_terms).post(super::structure::create_term))
        .route("/courses", get(list_courses).post(super::structure::create_course))
        .route("/courses/{id}", get(get_course))
        .route("/offerings", get(list_offerings).post(super::structure::create_offering))
        .route("/programs/{id}/outcomes", get(program_outcomes))
        .route("/programs/{id}/matrix", get(program_matrix))
}

#[derive(Serialize, ToSchema)]
pub struct TermOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub add_drop_closes_at: DateTime<Utc>,
    pub withdrawal_closes_at: DateTime<Utc>,
    pub min_credits: f64,
    pub max_credits: f64,
}

impl From<&Term> for TermOut {
    fn from(t: &Term) -> Self {
        TermOut {
            id: t.id,
            code: t.code.clone(),
            name: t.name.clone(),
            starts_at: t.starts_at,
            ends_at: t.ends_at,
            registration_opens_at: t.registration_opens_at,
            registration_closes_at: t.registration_closes_at,
            add_drop_closes_at: t.add_drop_closes_at,
            withdrawal_closes_at: t.withdrawal_closes_at,
            min_credits: t.min_credits,
            max_credits: t.max_credits,
        }
    }
}

/// Terms, most recent first.
#[utoipa::path(get, path = "/api/v1/terms", tag = "academics", responses((status = 200, body = Vec<TermOut>)), security(("bearer" = [])))]
pub async fn list_terms(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<TermOut>>, ApiError> {
    Ok(Json(qobe_app::academics::terms::list(&state.app, &actor).await?.iter().map(TermOut::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct CourseOut {
    pub id: i64,
    pub department_id: i64,
    pub code: String,
    pub title: String,
    pub credits_theory: f64,
    pub credits_lab: f64,
    /// `core`, `elective` or `general_education`.
    pub category: String,
}

impl From<&Course> for CourseOut {
    fn from(c: &Course) -> Self {
        CourseOut {
            id: c.id,
            department_id: c.department_id,
            code: c.code.clone(),
            title: c.title.clone(),
            credits_theory: c.credits_theory,
            credits_lab: c.credits_lab,
            category: c.category.clone(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseSearch {
    /// Part of a code or title.
    #[serde(default)]
    #[param(pattern = "^[^\\u0000]*$")]
    pub q: String,
}

#[utoipa::path(get, path = "/api/v1/courses", tag = "academics", params(CourseSearch), responses((status = 200, body = Vec<CourseOut>)), security(("bearer" = [])))]
pub async fn list_courses(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Query(search): Query<CourseSearch>,
) -> Result<Json<Vec<CourseOut>>, ApiError> {
    Ok(Json(
        qobe_app::academics::courses::list(&state.app, &actor, &search.q).await?.iter().map(CourseOut::from).collect(),
    ))
}

/// An outcome version.
#[derive(Serialize, ToSchema)]
pub struct OutcomeOut {
    pub id: i64,
    /// Stable across versions.
    pub lineage_id: i64,
    pub version: i64,
    pub effective_term_id: Option<i64>,
    pub code: String,
    pub title: String,
    pub text: String,
    /// CLOs: `C1`–`C6`, `P1`–`P7`, `A1`–`A5`.
    pub taxonomy_level: Option<String>,
    /// PLOs: the framework item it is aligned to, e.g. `abet-eac-2019:SO1`.
    pub framework: Option<String>,
}

impl From<&Outcome> for OutcomeOut {
    fn from(o: &Outcome) -> Self {
        OutcomeOut {
            id: o.id,
            lineage_id: o.lineage_id,
            version: o.version,
            effective_term_id: o.effective_term_id,
            code: o.code.clone(),
            title: o.title.clone(),
            text: o.text.clone(),
            taxonomy_level: o.taxonomy_level.clone(),
            framework: o.framework_key.as_ref().zip(o.framework_code.as_ref()).map(|(k, c)| format!("{k}:{c}")),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CourseDetailOut {
    pub course: CourseOut,
    /// (course code, minimum grade) pairs.
    pub prerequisites: Vec<PrerequisiteOut>,
    pub clos: Vec<OutcomeOut>,
}

#[derive(Serialize, ToSchema)]
pub struct PrerequisiteOut {
    pub course_id: i64,
    pub min_grade: String,
}

#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "academics", params(("id" = i64, Path)), responses((status = 200, body = CourseDetailOut), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn get_course(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<CourseDetailOut>, ApiError> {
    let app = &state.app;
    let course = qobe_app::academics::courses::get(app, &actor, CourseId(id)).await?;
    let prerequisites = qobe_app::academics::courses::prerequisites(app, &actor, CourseId(id))
        .await?
        .into_iter()
        .map(|p| PrerequisiteOut { course_id: p.required_course_id, min_grade: p.min_grade })
        .collect();
    let clos = outcome_cases::list(app, &actor, Kind::Clo, id, None).await?.iter().map(OutcomeOut::from).collect();
    Ok(Json(CourseDetailOut { course: CourseOut::from(&course), prerequisites, clos }))
}

#[derive(Serialize, ToSchema)]
pub struct OfferingOut {
    pub id: i64,
    pub course_id: i64,
    pub course_code: String,
    pub term_id: i64,
    pub section: String,
    pub capacity: i64,
    pub schedule: String,
    pub online: bool,
    pub requires_approval: bool,
    pub instructor_emails: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermParam {
    /// Term id; all terms when absent.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub term: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/offerings", tag = "academics", params(TermParam), responses((status = 200, body = Vec<OfferingOut>)), security(("bearer" = [])))]
pub async fn list_offerings(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Query(p): Query<TermParam>,
) -> Result<Json<Vec<OfferingOut>>, ApiError> {
    let views = qobe_app::academics::offerings::list(&state.app, &actor, p.term.map(TermId)).await?;
    Ok(Json(
        views
            .iter()
            .map(|v| OfferingOut {
                id: v.offering.id,
                course_id: v.course.id,
                course_code: v.course.code.clone(),
                term_id: v.term.id,
                section: v.offering.section.clone(),
                capacity: v.offering.capacity,
                schedule: v.offering.schedule.clone(),
                online: v.offering.online,
                requires_approval: v.offering.requires_approval,
                instructor_emails: v.instructors.iter().map(|u| u.email.clone()).collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ProgramOutcomesOut {
    pub plos: Vec<OutcomeOut>,
    pub peos: Vec<OutcomeOut>,
}

/// The program's PLOs and PEOs as they apply in a term (the latest versions without `term`).
#[utoipa::path(get, path = "/api/v1/programs/{id}/outcomes", tag = "outcomes", params(("id" = i64, Path), TermParam), responses((status = 200, body = ProgramOutcomesOut), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn program_outcomes(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    Query(p): Query<TermParam>,
) -> Result<Json<ProgramOutcomesOut>, ApiError> {
    let term = p.term.map(TermId);
    let plos =
        outcome_cases::list(&state.app, &actor, Kind::Plo, id, term).await?.iter().map(OutcomeOut::from).collect();
    let peos =
        outcome_cases::list(&state.app, &actor, Kind::Peo, id, term).await?.iter().map(OutcomeOut::from).collect();
    Ok(Json(ProgramOutcomesOut { plos, peos }))
}

#[derive(Serialize, ToSchema)]
pub struct MatrixOut {
    /// PLO codes, the matrix's columns.
    pub plos: Vec<String>,
    pub courses: Vec<MatrixCourseOut>,
    /// Per PLO: the average of every non-blank cell.
    pub plo_averages: Vec<Option<f64>>,
}

#[derive(Serialize, ToSchema)]
pub struct MatrixCourseOut {
    pub course_code: String,
    /// One row per CLO: its code and a strength (1–3) or null per PLO column.
    pub rows: Vec<MatrixRowOut>,
    pub plo_averages: Vec<Option<f64>>,
    pub average: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct MatrixRowOut {
    pub clo: String,
    pub strengths: Vec<Option<u8>>,
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/matrix", tag = "outcomes", params(("id" = i64, Path)), responses((status = 200, body = MatrixOut), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn program_matrix(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<MatrixOut>, ApiError> {
    let m = outcome_cases::matrix(&state.app, &actor, ProgramId(id)).await?;
    Ok(Json(MatrixOut {
        plos: m.plos.iter().map(|p| p.code.clone()).collect(),
        courses: m
            .courses
            .iter()
            .map(|c| MatrixCourseOut {
                course_code: c.course.code.clone(),
                rows: c
                    .rows
                    .iter()
                    .map(|r| MatrixRowOut {
                        clo: r.clo.code.clone(),
                        strengths: r.cells.iter().map(|s| s.map(|s| s.value())).collect(),
                    })
                    .collect(),
                plo_averages: c.plo_averages.clone(),
                average: c.average,
            })
            .collect(),
        plo_averages: m.plo_averages,
    }))
}
