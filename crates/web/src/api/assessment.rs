//! API v1 for assessment: an offering's plan, marks (read and write, all or nothing), live CLO
//! attainment with explanations, a program's PLO attainment and a student's own outcome
//! profile. Same permissions as the pages.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use qobe_app::assessment::attainment::OfferingAttainment;
use qobe_app::assessment::marks::{self, MarkInput, MarksInput};
use qobe_domain::ids::{CloId, OfferingId, UserId};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiActor;
use super::ErrorOut;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/plan", get(plan))
        .route("/offerings/{id}/marks", get(get_marks).put(put_marks))
        .route("/offerings/{id}/attainment", get(attainment))
        .route("/offerings/{id}/attainment/{clo}", get(clo_explanation))
        .route("/offerings/{id}/attainment/{clo}/students/{student}", get(student_explanation))
        .route("/me/outcomes", get(my_outcomes))
        .route("/programs/{id}/attainment", get(program_attainment))
}

#[derive(Serialize, ToSchema)]
pub struct ItemOut {
    pub id: i64,
    pub assessment_id: i64,
    pub label: String,
    pub max_marks: f64,
    /// (CLO code, share)
    pub clos: Vec<(String, f64)>,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentOut {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub weight: f64,
}

#[derive(Serialize, ToSchema)]
pub struct PlanOut {
    pub assessments: Vec<AssessmentOut>,
    pub items: Vec<ItemOut>,
    /// What makes the plan unsound: CLOs without evidence, weightage not adding up to 100, ….
    pub warnings: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/plan", tag = "assessment", params(("id" = i64, Path)), responses((status = 200, body = PlanOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn plan(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<PlanOut>, ApiError> {
    let view = qobe_app::assessment::plan::view(&state.app, &actor, OfferingId(id)).await?;
    Ok(Json(PlanOut {
        assessments: view
            .plan
            .assessments
            .iter()
            .map(|a| AssessmentOut { id: a.id, name: a.name.clone(), category: a.category.clone(), weight: a.weight })
            .collect(),
        items: view
            .plan
            .items
            .iter()
            .zip(&view.item_clos)
            .map(|(i, clos)| ItemOut {
                id: i.id,
                assessment_id: i.assessment_id,
                label: i.label.clone(),
                max_marks: i.max_marks,
                clos: clos.clone(),
            })
            .collect(),
        warnings: view.warnings,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MarksOut {
    pub students: Vec<StudentOut>,
    pub marks: Vec<MarkInput>,
}

#[derive(Serialize, ToSchema)]
pub struct StudentOut {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/marks", tag = "assessment", params(("id" = i64, Path)), responses((status = 200, body = MarksOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn get_marks(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<MarksOut>, ApiError> {
    let grid = marks::grid(&state.app, &actor, OfferingId(id)).await?;
    let mut out = Vec::new();
    for (row, student) in grid.students.iter().enumerate() {
        for (column, item) in grid.plan.items.iter().enumerate() {
            let value = &grid.cells[row][column];
            if !value.is_empty() {
                out.push(MarkInput { student_id: student.id, item_id: item.id, value: value.clone() });
            }
        }
    }
    let students =
        grid.students.iter().map(|s| StudentOut { id: s.id, name: s.name.clone(), email: s.email.clone() }).collect();
    Ok(Json(MarksOut { students, marks: out }))
}

#[derive(Serialize, ToSchema)]
pub struct CloOut {
    pub clo_id: i64,
    pub code: String,
    pub students_with_evidence: usize,
    pub attaining: usize,
    pub percent_attaining: Option<f64>,
    pub mean_score: Option<f64>,
    /// The direct figure, from marks (a fraction, or a level under level policies).
    pub value: Option<f64>,
    /// The surveys' figure for the CLO, in the same unit; none without a survey mapped to it.
    pub indirect: Option<f64>,
    /// Direct and indirect blended by the policy's weights: what is compared with the target.
    pub blended: Option<f64>,
    pub target: f64,
    /// Whether the blended figure reaches the target.
    pub met: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct AttainmentOut {
    pub policy: String,
    pub students: usize,
    pub marks_entered: usize,
    pub clos: Vec<CloOut>,
}

fn attainment_out(a: &OfferingAttainment) -> AttainmentOut {
    AttainmentOut {
        policy: a.policy.name.clone(),
        students: a.students,
        marks_entered: a.marks_entered,
        clos: a
            .clos
            .iter()
            .map(|c| CloOut {
                clo_id: c.clo.id,
                code: c.clo.code.clone(),
                students_with_evidence: c.result.overall.students_with_evidence,
                attaining: c.result.overall.attaining,
                percent_attaining: c.result.overall.percent_attaining,
                mean_score: c.result.overall.mean_score,
                value: c.result.value,
                indirect: c.blended.indirect,
                blended: c.blended.value,
                target: c.result.target,
                met: c.blended.met,
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct SavedOut {
    pub changed: usize,
    pub attainment: AttainmentOut,
}

/// Saves marks all or nothing; a refusal (409, code `refused`) lists every problem by row.
#[utoipa::path(put, path = "/api/v1/offerings/{id}/marks", tag = "assessment", params(("id" = i64, Path)), request_body = MarksInput, responses((status = 200, body = SavedOut), (status = 409, body = ErrorOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn put_marks(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<MarksInput>,
) -> Result<Json<SavedOut>, ApiError> {
    let (changed, attainment) = marks::save(&state.app, &actor, OfferingId(id), &body.marks, "api").await?;
    Ok(Json(SavedOut { changed, attainment: attainment_out(&attainment) }))
}

#[utoipa::path(get, path = "/api/v1/offerings/{id}/attainment", tag = "assessment", params(("id" = i64, Path)), responses((status = 200, body = AttainmentOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn attainment(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<AttainmentOut>, ApiError> {
    let view = qobe_app::assessment::attainment::of_offering(&state.app, &actor, OfferingId(id)).await?;
    Ok(Json(attainment_out(&view.attainment)))
}

/// The CLO's result and every student's score (the engine's explanation, as JSON).
#[utoipa::path(get, path = "/api/v1/offerings/{id}/attainment/{clo}", tag = "assessment", params(("id" = i64, Path), ("clo" = i64, Path)), responses((status = 200, body = Object), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn clo_explanation(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path((id, clo)): Path<(i64, i64)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let view = qobe_app::assessment::attainment::explain_clo(&state.app, &actor, OfferingId(id), CloId(clo)).await?;
    Ok(Json(serde_json::json!({ "clo": view.clo.code, "explanation": view.explanation })))
}

/// Every item share, mark and weight behind a student's CLO score. Students may read their own.
#[utoipa::path(get, path = "/api/v1/offerings/{id}/attainment/{clo}/students/{student}", tag = "assessment", params(("id" = i64, Path), ("clo" = i64, Path), ("student" = i64, Path)), responses((status = 200, body = Object), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn student_explanation(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path((id, clo, student)): Path<(i64, i64, i64)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let view = qobe_app::assessment::attainment::explain_student(
        &state.app,
        &actor,
        OfferingId(id),
        CloId(clo),
        UserId(student),
    )
    .await?;
    Ok(Json(serde_json::json!({ "clo": view.clo.code, "explanation": view.explanation })))
}

#[derive(Serialize, ToSchema)]
pub struct CohortPloOut {
    pub cohort_id: i64,
    pub cohort: String,
    pub plo_lineage_id: i64,
    pub plo: String,
    pub students_with_evidence: usize,
    pub attaining: usize,
    pub percent_attaining: Option<f64>,
    pub mean_score: Option<f64>,
    pub met: Option<bool>,
}

/// Each cohort's attainment of each PLO of the program, live from the marks.
#[utoipa::path(get, path = "/api/v1/programs/{id}/attainment", tag = "assessment", params(("id" = i64, Path)), responses((status = 200, body = Vec<CohortPloOut>), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn program_attainment(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Vec<CohortPloOut>>, ApiError> {
    let view = qobe_app::assessment::program::of_program(
        &state.app,
        &actor,
        qobe_domain::ids::ProgramId(id),
        Default::default(),
    )
    .await?;
    let mut out = Vec::new();
    for cohort in &view.cohorts {
        for plo in &view.plos {
            if let Some(cell) = view.cells.get(&(cohort.id, plo.lineage_id)) {
                out.push(CohortPloOut {
                    cohort_id: cohort.id,
                    cohort: cohort.name.clone(),
                    plo_lineage_id: plo.lineage_id,
                    plo: plo.code.clone(),
                    students_with_evidence: cell.students_with_evidence,
                    attaining: cell.attaining,
                    percent_attaining: cell.percent_attaining,
                    mean_score: cell.mean_score,
                    met: cell.met,
                });
            }
        }
    }
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct MyCloOut {
    pub offering_id: i64,
    pub course: String,
    pub clo: String,
    pub score: Option<f64>,
    pub attained: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct MyPloOut {
    pub plo: String,
    pub score: Option<f64>,
    pub attained: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct MyOutcomesOut {
    pub clos: Vec<MyCloOut>,
    pub plos: Vec<MyPloOut>,
}

/// The caller's CLO and PLO profile from approved results.
#[utoipa::path(get, path = "/api/v1/me/outcomes", tag = "assessment", responses((status = 200, body = MyOutcomesOut)), security(("bearer" = [])))]
pub async fn my_outcomes(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<MyOutcomesOut>, ApiError> {
    let profile = qobe_app::assessment::profile::mine(&state.app, &actor).await?;
    Ok(Json(MyOutcomesOut {
        clos: profile
            .clos
            .into_iter()
            .map(|c| MyCloOut {
                offering_id: c.offering_id,
                course: c.course,
                clo: c.code,
                score: c.score,
                attained: c.attained,
            })
            .collect(),
        plos: profile
            .plos
            .into_iter()
            .map(|p| MyPloOut {
                plo: p.code,
                score: p.result.as_ref().map(|r| r.score),
                attained: p.result.as_ref().map(|r| r.attained),
            })
            .collect(),
    }))
}
