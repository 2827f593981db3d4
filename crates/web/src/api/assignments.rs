//! API v1 for assignments: an offering's list, making one from an assessment of the plan, a
//! student's own standing and hand-in (text; files go through the page), the staff's view of
//! every student, extensions, grading (marks on the assessment's items, less the late penalty,
//! into the marks grid) and releasing the marks.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::assignments::grading::{self, GradeInput, Whom};
use qobe_app::assignments::submit::{self as handing, SubmissionInput, Version};
use qobe_app::assignments::{self, Assignment, AssignmentInput, ExtensionInput};
use qobe_domain::ids::{AssignmentId, OfferingId};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Created, ErrorOut, created};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/assignments", get(list_assignments).post(create_assignment))
        .route("/assignments/{id}/mine", get(my_assignment))
        .route("/assignments/{id}/submissions", post(hand_in))
        .route("/assignments/{id}/students", get(assignment_students))
        .route("/assignments/{id}/extensions", put(extend_assignment))
        .route("/assignments/{id}/grades/{student}", put(grade_assignment))
        .route("/assignments/{id}/release", post(release_assignment))
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentOut {
    pub id: i64,
    pub offering_id: i64,
    pub assessment_id: i64,
    pub title: String,
    /// Markdown.
    pub instructions: String,
    pub accepts_text: bool,
    pub accepts_files: bool,
    /// Allowed file extensions; empty: any.
    pub file_types: Vec<String>,
    pub max_file_mb: i64,
    pub due_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoff_at: Option<DateTime<Utc>>,
    pub late_percent: f64,
    /// `day` or `hour`.
    pub late_unit: String,
    pub anonymous: bool,
    pub published: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub released_at: Option<DateTime<Utc>>,
}

impl From<&Assignment> for AssignmentOut {
    fn from(a: &Assignment) -> Self {
        AssignmentOut {
            id: a.id,
            offering_id: a.offering_id,
            assessment_id: a.assessment_id,
            title: a.title.clone(),
            instructions: a.instructions.clone(),
            accepts_text: a.accepts_text,
            accepts_files: a.accepts_files,
            file_types: assignments::file_types(a),
            max_file_mb: a.max_file_mb,
            due_at: a.due_at,
            cutoff_at: a.cutoff_at,
            late_percent: a.late_percent,
            late_unit: a.late_unit.clone(),
            anonymous: a.anonymous,
            published: a.published,
            released_at: a.released_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentsOut {
    pub assignments: Vec<AssignmentOut>,
}

/// The offering's assignments (a student sees the published ones), the soonest due first.
#[utoipa::path(get, path = "/api/v1/offerings/{id}/assignments", tag = "assignments", params(("id" = i64, Path)), responses((status = 200, body = AssignmentsOut)), security(("bearer" = [])))]
pub async fn list_assignments(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<AssignmentsOut>, ApiError> {
    let listing = assignments::list(&state.app, &actor, OfferingId(id)).await?;
    Ok(Json(AssignmentsOut { assignments: listing.assignments.iter().map(AssignmentOut::from).collect() }))
}

/// Makes an assessment of the offering's plan an assignment (its editors).
#[utoipa::path(post, path = "/api/v1/offerings/{id}/assignments", tag = "assignments", params(("id" = i64, Path)), request_body = AssignmentInput, responses((status = 201, body = AssignmentOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_assignment(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<AssignmentInput>,
) -> Created<AssignmentOut> {
    let made = assignments::create(&state.app, &actor, OfferingId(id), &input, &ctx.client).await?;
    created(AssignmentOut::from(&made))
}

#[derive(Serialize, ToSchema)]
pub struct SubmissionOut {
    pub id: i64,
    pub version: i64,
    /// Markdown.
    pub body: String,
    pub submitted_at: DateTime<Utc>,
    /// Days or hours late (0: on time).
    pub units_late: i64,
    /// (name, address) of each file.
    pub files: Vec<FileOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FileOut {
    pub name: String,
    pub size: i64,
    pub url: String,
}

impl From<&Version> for SubmissionOut {
    fn from(v: &Version) -> Self {
        SubmissionOut {
            id: v.submission.id,
            version: v.submission.version,
            body: v.submission.body.clone(),
            submitted_at: v.submission.submitted_at,
            units_late: v.submission.units_late,
            files: v
                .files
                .iter()
                .map(|f| FileOut {
                    name: f.name.clone(),
                    size: f.size,
                    url: format!("/assignments/submissions/{}/files/{}", v.submission.id, f.id),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReleasedMarkOut {
    pub item: String,
    pub out_of: f64,
    /// As it stands in the marks grid: a number, `AB`, `EX`, `NA`, or empty.
    pub mark: String,
}

#[derive(Serialize, ToSchema)]
pub struct MyWorkOut {
    pub assignment: AssignmentOut,
    /// The caller's own due time (with an extension).
    pub due_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cutoff_at: Option<DateTime<Utc>>,
    /// Whether a hand-in is taken now, or why not.
    pub may_hand_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    /// Every version, oldest first.
    pub versions: Vec<SubmissionOut>,
    /// Once released: the marks, the late penalty (0–1) and the feedback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Vec<ReleasedMarkOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// The caller's own standing (a student of the offering).
#[utoipa::path(get, path = "/api/v1/assignments/{id}/mine", tag = "assignments", params(("id" = i64, Path)), responses((status = 200, body = MyWorkOut)), security(("bearer" = [])))]
pub async fn my_assignment(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<MyWorkOut>, ApiError> {
    let work = handing::mine(&state.app, &actor, AssignmentId(id)).await?;
    let released = work.released.as_ref();
    Ok(Json(MyWorkOut {
        assignment: AssignmentOut::from(&work.assignment),
        due_at: work.deadline.due,
        cutoff_at: work.deadline.cutoff,
        may_hand_in: work.may.is_ok(),
        refusal: work.may.clone().err(),
        versions: work.versions.iter().map(SubmissionOut::from).collect(),
        marks: released.map(|r| {
            r.marks
                .iter()
                .map(|(item, out_of, mark)| ReleasedMarkOut { item: item.clone(), out_of: *out_of, mark: mark.clone() })
                .collect()
        }),
        penalty: released.map(|r| r.penalty),
        feedback: released.map(|r| r.feedback.clone()),
    }))
}

/// Hands in a new version as text (files are handed in through the page).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/submissions", tag = "assignments", params(("id" = i64, Path)), request_body = SubmissionInput, responses((status = 201, body = SubmissionOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn hand_in(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<SubmissionInput>,
) -> Created<SubmissionOut> {
    let made = handing::submit(&state.app, &actor, AssignmentId(id), &input, &[], &ctx.client).await?;
    created(SubmissionOut::from(&Version { submission: made, files: Vec::new() }))
}

#[derive(Serialize, ToSchema)]
pub struct StudentLineOut {
    /// The student's id; left out while an anonymous assignment's marks are unreleased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student_id: Option<i64>,
    /// Their name, or "Student 3" while names are hidden.
    pub label: String,
    /// Names the student in the grading view's addresses.
    pub key: String,
    pub versions: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_submitted_at: Option<DateTime<Utc>>,
    pub units_late: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_to: Option<DateTime<Utc>>,
    pub graded: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StudentsOut {
    pub assignment: AssignmentOut,
    pub students: Vec<StudentLineOut>,
}

/// Every student's standing (the offering's staff).
#[utoipa::path(get, path = "/api/v1/assignments/{id}/students", tag = "assignments", params(("id" = i64, Path)), responses((status = 200, body = StudentsOut)), security(("bearer" = [])))]
pub async fn assignment_students(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<StudentsOut>, ApiError> {
    let overview = grading::overview(&state.app, &actor, AssignmentId(id)).await?;
    let hidden = assignments::names_hidden(&overview.assignment);
    Ok(Json(StudentsOut {
        assignment: AssignmentOut::from(&overview.assignment),
        students: overview
            .lines
            .iter()
            .map(|l| StudentLineOut {
                student_id: (!hidden).then_some(l.student.user),
                label: l.student.label.clone(),
                key: l.student.key.clone(),
                versions: l.versions,
                last_submitted_at: l.latest.as_ref().map(|s| s.submitted_at),
                units_late: l.latest.as_ref().map_or(0, |s| s.units_late),
                extended_to: l.extension.as_ref().map(|e| e.due_at),
                graded: l.graded,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ExtensionOut {
    pub student_id: i64,
    pub due_at: DateTime<Utc>,
    pub reason: String,
}

/// Grants (or changes) a student's own due time; the cut-off moves with it.
#[utoipa::path(put, path = "/api/v1/assignments/{id}/extensions", tag = "assignments", params(("id" = i64, Path)), request_body = ExtensionInput, responses((status = 200, body = ExtensionOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn extend_assignment(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<ExtensionInput>,
) -> Result<Json<ExtensionOut>, ApiError> {
    let granted = assignments::extend(&state.app, &actor, AssignmentId(id), &input, &ctx.client).await?;
    Ok(Json(ExtensionOut { student_id: granted.user_id, due_at: granted.due_at, reason: granted.reason }))
}

#[derive(Serialize, ToSchema)]
pub struct GradedOut {
    /// How many marks changed in the marks grid.
    pub marks_changed: usize,
}

/// Grades a student's work: each mark (a number, a rubric level, `AB`, `EX`, `NA`, or empty),
/// less the late penalty, goes to the marks grid with its history. `student` is the student's
/// id, or their key from the students list (which is all there is while names are hidden).
#[utoipa::path(put, path = "/api/v1/assignments/{id}/grades/{student}", tag = "assignments", params(("id" = i64, Path), ("student" = String, Path)), request_body = GradeInput, responses((status = 200, body = GradedOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn grade_assignment(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path((id, student)): Path<(i64, String)>,
    Json(input): Json<GradeInput>,
) -> Result<Json<GradedOut>, ApiError> {
    let whom = match student.parse::<i64>() {
        Ok(user) if student.len() < 16 => Whom::Student(user),
        _ => Whom::Key(student),
    };
    let changed = grading::grade(&state.app, &actor, AssignmentId(id), &whom, &input, &ctx.client).await?;
    Ok(Json(GradedOut { marks_changed: changed }))
}

/// Releases the marks and feedback to the students.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/release", tag = "assignments", params(("id" = i64, Path)), responses((status = 200, body = AssignmentOut)), security(("bearer" = [])))]
pub async fn release_assignment(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<AssignmentOut>, ApiError> {
    let released = assignments::release(&state.app, &actor, AssignmentId(id), &ctx.client).await?;
    Ok(Json(AssignmentOut::from(&released)))
}
