//! API v1 for the academic structure: faculties, departments, programs, cohorts, curricula, and
//! creating terms and courses. Reads are open to any member; writes need the same permissions
//! as the pages.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use qobe_app::academics::cohorts::Cohort;
use qobe_app::academics::courses::CourseInput;
use qobe_app::academics::curricula::CurriculumInput;
use qobe_app::academics::curricula::CurriculumVersion;
use qobe_app::academics::offerings::OfferingInput;
use qobe_app::academics::terms::TermInput;
use qobe_app::structure::{Department, Faculty, Program};
use qobe_app::structure::{DepartmentInput, FacultyInput, ProgramInput};
use qobe_domain::ids::ProgramId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ErrorOut;
use super::academics::{CourseOut, TermOut};
use super::{ApiActor, Created, created};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/faculties", get(list_faculties).post(create_faculty))
        .route("/departments", get(list_departments).post(create_department))
        .route("/programs", get(list_programs).post(create_program))
        .route("/cohorts", get(list_cohorts).post(create_cohort))
        .route("/programs/{id}/curricula", get(list_curricula).post(create_curriculum))
}

#[derive(Serialize, ToSchema)]
pub struct FacultyOut {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl From<&Faculty> for FacultyOut {
    fn from(f: &Faculty) -> Self {
        FacultyOut { id: f.id, code: f.code.clone(), name: f.name.clone() }
    }
}

#[utoipa::path(get, path = "/api/v1/faculties", tag = "structure", responses((status = 200, body = Vec<FacultyOut>)), security(("bearer" = [])))]
pub async fn list_faculties(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<FacultyOut>>, ApiError> {
    Ok(Json(qobe_app::structure::faculties(&state.app, &actor).await?.iter().map(FacultyOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/faculties", tag = "structure", request_body = FacultyInput, responses((status = 201, body = FacultyOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_faculty(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<FacultyInput>,
) -> Created<FacultyOut> {
    let row = qobe_app::structure::create_faculty(&state.app, &actor, &input, &ctx.client).await?;
    created(FacultyOut::from(&row))
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentOut {
    pub id: i64,
    pub faculty_id: Option<i64>,
    pub code: String,
    pub name: String,
}

impl From<&Department> for DepartmentOut {
    fn from(d: &Department) -> Self {
        DepartmentOut { id: d.id, faculty_id: d.faculty_id, code: d.code.clone(), name: d.name.clone() }
    }
}

#[utoipa::path(get, path = "/api/v1/departments", tag = "structure", responses((status = 200, body = Vec<DepartmentOut>)), security(("bearer" = [])))]
pub async fn list_departments(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<DepartmentOut>>, ApiError> {
    let (departments, _) = qobe_app::structure::list(&state.app, &actor).await?;
    Ok(Json(departments.iter().map(DepartmentOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/departments", tag = "structure", request_body = DepartmentInput, responses((status = 201, body = DepartmentOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_department(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<DepartmentInput>,
) -> Created<DepartmentOut> {
    let row = qobe_app::structure::create_department(&state.app, &actor, &input, &ctx.client).await?;
    created(DepartmentOut::from(&row))
}

#[derive(Serialize, ToSchema)]
pub struct ProgramOut {
    pub id: i64,
    pub department_id: i64,
    pub code: String,
    pub name: String,
}

impl From<&Program> for ProgramOut {
    fn from(p: &Program) -> Self {
        ProgramOut { id: p.id, department_id: p.department_id, code: p.code.clone(), name: p.name.clone() }
    }
}

#[utoipa::path(get, path = "/api/v1/programs", tag = "structure", responses((status = 200, body = Vec<ProgramOut>)), security(("bearer" = [])))]
pub async fn list_programs(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<ProgramOut>>, ApiError> {
    let (_, programs) = qobe_app::structure::list(&state.app, &actor).await?;
    Ok(Json(programs.iter().map(ProgramOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/programs", tag = "structure", request_body = ProgramInput, responses((status = 201, body = ProgramOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_program(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<ProgramInput>,
) -> Created<ProgramOut> {
    let row = qobe_app::structure::create_program(&state.app, &actor, &input, &ctx.client).await?;
    created(ProgramOut::from(&row))
}

#[derive(Serialize, ToSchema)]
pub struct CohortOut {
    pub id: i64,
    pub program_id: i64,
    pub intake_term_id: i64,
    pub name: String,
}

impl From<&Cohort> for CohortOut {
    fn from(c: &Cohort) -> Self {
        CohortOut { id: c.id, program_id: c.program_id, intake_term_id: c.intake_term_id, name: c.name.clone() }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NameSearch {
    /// Part of the name.
    #[serde(default)]
    #[param(pattern = "^[^\\u0000]*$")]
    pub q: String,
}

#[utoipa::path(get, path = "/api/v1/cohorts", tag = "structure", params(NameSearch), responses((status = 200, body = Vec<CohortOut>)), security(("bearer" = [])))]
pub async fn list_cohorts(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Query(search): Query<NameSearch>,
) -> Result<Json<Vec<CohortOut>>, ApiError> {
    let cohorts = qobe_app::academics::cohorts::search(&state.app, &actor, &search.q).await?;
    Ok(Json(cohorts.iter().map(CohortOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/cohorts", tag = "structure", request_body = qobe_app::academics::cohorts::CohortInput, responses((status = 201, body = CohortOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_cohort(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<qobe_app::academics::cohorts::CohortInput>,
) -> Created<CohortOut> {
    let row = qobe_app::academics::cohorts::create(&state.app, &actor, &input, &ctx.client).await?;
    created(CohortOut::from(&row))
}

#[derive(Serialize, ToSchema)]
pub struct CurriculumOut {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub catalog_year: i64,
    pub effective_term_id: i64,
}

impl From<&CurriculumVersion> for CurriculumOut {
    fn from(c: &CurriculumVersion) -> Self {
        CurriculumOut {
            id: c.id,
            program_id: c.program_id,
            name: c.name.clone(),
            catalog_year: c.catalog_year,
            effective_term_id: c.effective_term_id,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/curricula", tag = "structure", params(("id" = i64, Path)), responses((status = 200, body = Vec<CurriculumOut>), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn list_curricula(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Vec<CurriculumOut>>, ApiError> {
    let rows = qobe_app::academics::curricula::list(&state.app, &actor, ProgramId(id)).await?;
    Ok(Json(rows.iter().map(CurriculumOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/curricula", tag = "structure", params(("id" = i64, Path)), request_body = CurriculumInput, responses((status = 201, body = CurriculumOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_curriculum(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<CurriculumInput>,
) -> Created<CurriculumOut> {
    let row = qobe_app::academics::curricula::create(&state.app, &actor, ProgramId(id), &input, &ctx.client).await?;
    created(CurriculumOut::from(&row))
}

#[utoipa::path(post, path = "/api/v1/terms", tag = "academics", request_body = TermInput, responses((status = 201, body = TermOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_term(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<TermInput>,
) -> Created<TermOut> {
    let term = qobe_app::academics::terms::create(&state.app, &actor, &input, &ctx.client).await?;
    created(TermOut::from(&term))
}

#[utoipa::path(post, path = "/api/v1/courses", tag = "academics", request_body = CourseInput, responses((status = 201, body = CourseOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_course(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<CourseInput>,
) -> Created<CourseOut> {
    let course = qobe_app::academics::courses::create(&state.app, &actor, &input, &ctx.client).await?;
    created(CourseOut::from(&course))
}

#[derive(Serialize, ToSchema)]
pub struct OfferingCreatedOut {
    pub id: i64,
    pub course_id: i64,
    pub term_id: i64,
    pub section: String,
    pub capacity: i64,
    pub schedule: String,
}

#[utoipa::path(post, path = "/api/v1/offerings", tag = "academics", request_body = OfferingInput, responses((status = 201, body = OfferingCreatedOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_offering(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<OfferingInput>,
) -> Created<OfferingCreatedOut> {
    let o = qobe_app::academics::offerings::create(&state.app, &actor, &input, &ctx.client).await?;
    created(OfferingCreatedOut {
        id: o.id,
        course_id: o.course_id,
        term_id: o.term_id,
        section: o.section,
        capacity: o.capacity,
        schedule: o.schedule,
    })
}
