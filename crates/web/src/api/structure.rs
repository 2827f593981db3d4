//! API v1 for the academic structure: faculties, departments, programs, cohorts, curricula, and
//! creating terms and courses. Reads are open to any member; writes need the same permissions
//! as the pages.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::academics::courses::CourseInput;
use qobe_app::academics::terms::TermInput;
use qobe_app::rows::{Cohort, CurriculumVersion, Department, Faculty, Program};
use qobe_domain::ids::{DepartmentId, FacultyId, ProgramId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiActor;
use super::academics::{CourseOut, TermOut};
use super::v1::ErrorOut;
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

type Created<T> = Result<(StatusCode, Json<T>), ApiError>;

fn created<T>(body: T) -> Created<T> {
    Ok((StatusCode::CREATED, Json(body)))
}

/// A code and a name: a new faculty.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeNameIn {
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
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

#[utoipa::path(post, path = "/api/v1/faculties", tag = "structure", request_body = CodeNameIn, responses((status = 201, body = FacultyOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_faculty(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<CodeNameIn>,
) -> Created<FacultyOut> {
    let row = qobe_app::structure::create_faculty(&state.app, &actor, &body.code, &body.name, &ctx.client).await?;
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentIn {
    #[serde(default, deserialize_with = "super::whole::optional")]
    pub faculty_id: Option<i64>,
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/departments", tag = "structure", responses((status = 200, body = Vec<DepartmentOut>)), security(("bearer" = [])))]
pub async fn list_departments(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<DepartmentOut>>, ApiError> {
    let (departments, _) = qobe_app::structure::list(&state.app, &actor).await?;
    Ok(Json(departments.iter().map(DepartmentOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/departments", tag = "structure", request_body = DepartmentIn, responses((status = 201, body = DepartmentOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_department(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<DepartmentIn>,
) -> Created<DepartmentOut> {
    let faculty = body.faculty_id.map(FacultyId);
    let row = qobe_app::structure::create_department(&state.app, &actor, faculty, &body.code, &body.name, &ctx.client)
        .await?;
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramIn {
    #[serde(deserialize_with = "super::whole::number")]
    pub department_id: i64,
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/programs", tag = "structure", responses((status = 200, body = Vec<ProgramOut>)), security(("bearer" = [])))]
pub async fn list_programs(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<ProgramOut>>, ApiError> {
    let (_, programs) = qobe_app::structure::list(&state.app, &actor).await?;
    Ok(Json(programs.iter().map(ProgramOut::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/programs", tag = "structure", request_body = ProgramIn, responses((status = 201, body = ProgramOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_program(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<ProgramIn>,
) -> Created<ProgramOut> {
    let department = DepartmentId(body.department_id);
    let row = qobe_app::structure::create_program(&state.app, &actor, department, &body.code, &body.name, &ctx.client)
        .await?;
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CohortIn {
    #[serde(deserialize_with = "super::whole::number")]
    pub program_id: i64,
    /// The intake term's code, e.g. `2026FA`.
    pub intake_term: String,
    #[schema(max_length = 100)]
    pub name: String,
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

#[utoipa::path(post, path = "/api/v1/cohorts", tag = "structure", request_body = CohortIn, responses((status = 201, body = CohortOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_cohort(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<CohortIn>,
) -> Created<CohortOut> {
    let program = body.program_id.to_string();
    let row =
        qobe_app::academics::cohorts::create(&state.app, &actor, &program, &body.intake_term, &body.name, &ctx.client)
            .await?;
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurriculumIn {
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(minimum = 1950, maximum = 2200)]
    #[serde(deserialize_with = "super::whole::number")]
    pub catalog_year: i64,
    /// The term code it takes effect from.
    pub effective_term: String,
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

#[utoipa::path(post, path = "/api/v1/programs/{id}/curricula", tag = "structure", params(("id" = i64, Path)), request_body = CurriculumIn, responses((status = 201, body = CurriculumOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_curriculum(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<CurriculumIn>,
) -> Created<CurriculumOut> {
    let row = qobe_app::academics::curricula::create(
        &state.app,
        &actor,
        ProgramId(id),
        &body.name,
        &body.catalog_year.to_string(),
        &body.effective_term,
        &ctx.client,
    )
    .await?;
    created(CurriculumOut::from(&row))
}

/// A new term. Moments are RFC 3339 date-times (`2026-09-01T00:00:00Z`). Registration opens
/// before it closes, then add/drop and withdrawal close in turn, and withdrawal closes by the end
/// of the term; teaching starts before it ends, before marks entry closes and before results are
/// published. A term that breaks one of these is refused (409, the field named).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermIn {
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 100)]
    pub name: String,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub add_drop_closes_at: DateTime<Utc>,
    pub withdrawal_closes_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub marks_entry_closes_at: DateTime<Utc>,
    pub results_published_at: DateTime<Utc>,
    /// Credit hours a student must register for (default 0); at most `max_credits`.
    #[schema(minimum = 0, maximum = 60)]
    pub min_credits: Option<f64>,
    /// Credit hours a student may register for (default 21).
    #[schema(minimum = 0, maximum = 60)]
    pub max_credits: Option<f64>,
}

#[utoipa::path(post, path = "/api/v1/terms", tag = "academics", request_body = TermIn, responses((status = 201, body = TermOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_term(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<TermIn>,
) -> Created<TermOut> {
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let moment = |at: DateTime<Utc>| at.to_rfc3339();
    let input = TermInput {
        code: body.code,
        name: body.name,
        starts_at: moment(body.starts_at),
        ends_at: moment(body.ends_at),
        registration_opens_at: moment(body.registration_opens_at),
        registration_closes_at: moment(body.registration_closes_at),
        add_drop_closes_at: moment(body.add_drop_closes_at),
        withdrawal_closes_at: moment(body.withdrawal_closes_at),
        marks_entry_closes_at: moment(body.marks_entry_closes_at),
        results_published_at: moment(body.results_published_at),
        min_credits: number(body.min_credits),
        max_credits: number(body.max_credits),
    };
    let term = qobe_app::academics::terms::create(&state.app, &actor, &input, &ctx.client).await?;
    created(TermOut::from(&term))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseIn {
    #[serde(deserialize_with = "super::whole::number")]
    pub department_id: i64,
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub title: String,
    /// Theory and lab credit hours together must be more than 0, or the course is refused (409).
    #[schema(minimum = 0, maximum = 12, multiple_of = 0.5)]
    pub credits_theory: f64,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 12, multiple_of = 0.5)]
    pub credits_lab: f64,
    #[schema(value_type = String, pattern = "enum:course_category")]
    pub category: qobe_domain::academics::CourseCategory,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
}

#[utoipa::path(post, path = "/api/v1/courses", tag = "academics", request_body = CourseIn, responses((status = 201, body = CourseOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_course(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<CourseIn>,
) -> Created<CourseOut> {
    let input = CourseInput {
        department: body.department_id.to_string(),
        code: body.code,
        title: body.title,
        credits_theory: body.credits_theory.to_string(),
        credits_lab: body.credits_lab.to_string(),
        category: body.category.as_str().to_owned(),
        description: body.description,
    };
    let course = qobe_app::academics::courses::create(&state.app, &actor, &input, &ctx.client).await?;
    created(CourseOut::from(&course))
}

/// A new offering (section) of a course in a term.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingIn {
    /// The course code, e.g. `EE-101`.
    pub course: String,
    /// The term code, e.g. `2026FA`.
    pub term: String,
    #[schema(max_length = 10)]
    pub section: String,
    #[schema(minimum = 1, maximum = 2000)]
    #[serde(deserialize_with = "super::whole::number")]
    pub capacity: i64,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub room: String,
    #[serde(default)]
    pub online: bool,
    /// Meetings like `Mon 09:00-10:30; Wed 09:00-10:30`; one that ends before it starts is
    /// refused (409).
    #[serde(default)]
    #[schema(pattern = "schedule")]
    pub schedule: String,
    #[serde(default)]
    pub requires_approval: bool,
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

#[utoipa::path(post, path = "/api/v1/offerings", tag = "academics", request_body = OfferingIn, responses((status = 201, body = OfferingCreatedOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_offering(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<OfferingIn>,
) -> Created<OfferingCreatedOut> {
    let input = qobe_app::academics::offerings::OfferingInput {
        course: body.course,
        term: body.term,
        section: body.section,
        capacity: body.capacity.to_string(),
        room: body.room,
        online: body.online,
        schedule: body.schedule,
        requires_approval: body.requires_approval,
    };
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
