//! Assignments (issue 16): an assessment of an offering's plan that its students hand in — text,
//! files or both — by a due time, late with a penalty per day or hour until an optional cut-off,
//! each student's extension moving both; every version kept. Graders give marks on the
//! assessment's items (or its rubric's levels) one student at a time, anonymously until the
//! marks are released; the marks, less any late penalty, land in the marks grid with the
//! history typed marks keep, and so in CLO attainment.

pub mod bundle;
pub mod grading;
pub mod submit;

use std::collections::HashMap;

use qobe_domain::assignments::{self as rules, Deadline, LatePolicy, LateUnit};
use qobe_domain::entered::Entered;
use qobe_domain::ids::{AssignmentId, OfferingId, UserId};
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::assignments::{self as rows, Fields};
/// An assignment, an extension, a submission and a grade as stored (nothing secret in them).
pub use qobe_store::assignments::{Assignment, Extension, Grade, Submission};
use serde::{Deserialize, Serialize};

use crate::academics::offerings::OfferingView;
use crate::academics::terms::Moment;
use crate::learning::{Viewer, viewer};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// An assignment's settings. A form sends times in the person's zone; JSON sends RFC 3339.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    /// The assessment of the plan it is (set when it is made; ignored afterwards).
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub assessment: Option<i64>,
    #[schema(max_length = 200)]
    pub title: String,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 50000)]
    pub instructions: String,
    #[serde(default)]
    pub accepts_text: bool,
    #[serde(default)]
    pub accepts_files: bool,
    /// Allowed file extensions ("pdf, docx"); empty: any.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub file_types: String,
    /// The largest file, in MB (at most the institution's plan allows; blank: that).
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub max_file_mb: Option<Entered<i64>>,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub due_at: Moment,
    /// Nothing is taken after it (blank: late work is taken at any time).
    #[serde(default)]
    #[schema(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    pub cutoff_at: Option<Moment>,
    /// Percent of the marks taken off per day or hour late (blank: none).
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 100)]
    pub late_percent: Option<Entered<f64>>,
    /// `day` (the default) or `hour`.
    #[serde(default)]
    #[schema(pattern = "enum:late_unit")]
    pub late_unit: Option<String>,
    /// Graders see no names until the marks are released.
    #[serde(default)]
    pub anonymous: bool,
    /// Shown to students.
    #[serde(default)]
    pub published: bool,
}

/// The assignment's deadline for everyone without an extension.
pub fn deadline(assignment: &Assignment) -> Deadline {
    Deadline { due: assignment.due_at, cutoff: assignment.cutoff_at }
}

/// One student's deadline: the assignment's, moved by their extension.
pub fn deadline_for(assignment: &Assignment, extension: Option<&Extension>) -> Deadline {
    match extension {
        Some(extension) => deadline(assignment).extended(extension.due_at),
        None => deadline(assignment),
    }
}

pub fn late_policy(assignment: &Assignment) -> LatePolicy {
    LatePolicy {
        percent: assignment.late_percent,
        unit: LateUnit::parse(&assignment.late_unit).unwrap_or(LateUnit::Day),
    }
}

pub fn file_types(assignment: &Assignment) -> Vec<String> {
    rules::parse_types(&assignment.file_types).unwrap_or_default()
}

/// Whether graders see names: not while an anonymous assignment's marks are unreleased.
pub fn names_hidden(assignment: &Assignment) -> bool {
    assignment.anonymous && assignment.released_at.is_none()
}

/// The assignment and how the actor sees its offering; students see only published ones.
pub(crate) async fn reach(app: &App, actor: &Actor, id: AssignmentId) -> AppResult<(Assignment, OfferingView, Viewer)> {
    let found = rows::get(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let (view, viewer) = viewer(app, actor, OfferingId(found.offering_id)).await?;
    viewer.finds(found.published)?;
    Ok((found, view, viewer))
}

/// The assignment, when the actor edits its offering.
pub(crate) async fn to_edit(app: &App, actor: &Actor, id: AssignmentId) -> AppResult<(Assignment, OfferingView)> {
    let (found, view, viewer) = reach(app, actor, id).await?;
    viewer.must_edit()?;
    Ok((found, view))
}

/// An offering's assignments as the actor sees them, and for its editors the assessments of the
/// plan that could still become one.
pub struct Listing {
    pub offering: OfferingView,
    pub viewer: Viewer,
    pub assignments: Vec<Assignment>,
    /// (id, name) of assessments without an assignment.
    pub free: Vec<(i64, String)>,
    /// A student's own deadline per assignment (with extensions).
    pub due: HashMap<i64, Deadline>,
    /// A student's latest version per assignment.
    pub handed_in: HashMap<i64, Submission>,
}

pub async fn list(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Listing> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut assignments = rows::of_offering(conn, institution, offering).await?;
    if viewer.is_student() {
        assignments.retain(|a| a.published);
    }
    let free = if viewer.edits() { crate::quizzes::free_assessments(app, actor, offering).await? } else { Vec::new() };
    let mut due = HashMap::new();
    let mut handed_in = HashMap::new();
    if viewer.is_student() {
        let ids: Vec<i64> = assignments.iter().map(|a| a.id).collect();
        let (extensions, _) = rows::standing_of(conn, institution, actor.user_id, &ids).await?;
        for assignment in &assignments {
            let extension = extensions.iter().find(|e| e.assignment_id == assignment.id);
            due.insert(assignment.id, deadline_for(assignment, extension));
        }
        for version in rows::latest_of(conn, institution, actor.user_id, &ids).await? {
            handed_in.insert(version.assignment_id, version);
        }
    }
    Ok(Listing { offering: view, viewer, assignments, free, due, handed_in })
}

/// The settings checked, in the actor's zone.
async fn check(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    input: &AssignmentInput,
    existing: Option<&Assignment>,
) -> AppResult<Fields> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut errors = qobe_domain::FieldErrors::new();
    let zone = actor.zone();
    let assessment = match existing {
        Some(found) => Some(found.assessment_id),
        None => match input.assessment {
            None => {
                errors.refuse("assessment", "choose the assessment of the plan this assignment is");
                None
            }
            Some(id) => {
                let plan = qobe_store::assessment::plans::assessments(conn, institution, offering).await?;
                let taken = rows::of_offering(conn, institution, offering).await?;
                if !plan.iter().any(|a| a.id == id) {
                    errors.refuse("assessment", "choose an assessment of this offering's plan");
                    None
                } else if taken.iter().any(|a| a.assessment_id == id) {
                    errors.refuse("assessment", "this assessment is already an assignment");
                    None
                } else if qobe_store::quizzes::of_offering(conn, institution, offering)
                    .await?
                    .iter()
                    .any(|q| q.assessment_id == id)
                {
                    errors.refuse("assessment", "this assessment is already a quiz");
                    None
                } else {
                    Some(id)
                }
            }
        },
    };
    let title = errors.check("title", required_text(&input.title, 200));
    let instructions = errors.check("instructions", optional_text(&input.instructions, 50_000));
    if !input.accepts_text && !input.accepts_files {
        errors.refuse("accepts_files", "take text, files or both");
    }
    let file_types = match rules::parse_types(&input.file_types) {
        Ok(types) => Some(types),
        Err(message) => {
            errors.refuse("file_types", message);
            None
        }
    };
    let plan_most = crate::files::storage(app, institution).await?.per_file / (1024 * 1024);
    let max_file_mb = match input.max_file_mb.as_ref().map(|m| m.text()).unwrap_or_default().trim() {
        "" => Some(plan_most as i64),
        raw => match raw.parse::<i64>() {
            Ok(mb) if (1..=plan_most as i64).contains(&mb) => Some(mb),
            Ok(mb) if mb > plan_most as i64 => {
                errors.refuse("max_file_mb", format!("must be at most {plan_most} MB, the most your plan allows"));
                None
            }
            _ => {
                errors.add("max_file_mb", format!("must be a whole number of MB from 1 to {plan_most}"));
                None
            }
        },
    };
    let due_text = input.due_at.text();
    let due_at = if due_text.trim().is_empty() {
        errors.add("due_at", "is required");
        None
    } else {
        crate::academics::parse_moment(&mut errors, "due_at", &due_text, zone)
    };
    let cutoff_text = input.cutoff_at.as_ref().map(Moment::text).unwrap_or_default();
    let cutoff_at = match cutoff_text.trim() {
        "" => Some(None),
        raw => crate::academics::parse_moment(&mut errors, "cutoff_at", raw, zone).map(Some),
    };
    if let (Some(due), Some(Some(cutoff))) = (due_at, cutoff_at)
        && cutoff < due
    {
        errors.refuse("cutoff_at", "must not be before the due time");
    }
    let late_percent = match input.late_percent.as_ref().map(|p| p.text()).unwrap_or_default().trim() {
        "" => Some(0.0),
        raw => errors.check(
            "late_percent",
            raw.parse::<f64>()
                .ok()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| "must be a percentage from 0 to 100".to_owned()),
        ),
    };
    let late_unit = match input.late_unit.as_deref() {
        None => Some(LateUnit::Day),
        Some(raw) => errors.check("late_unit", LateUnit::parse(raw)),
    };
    match (assessment, title, instructions, file_types, max_file_mb, due_at, cutoff_at, late_percent, late_unit) {
        (
            Some(assessment),
            Some(title),
            Some(instructions),
            Some(file_types),
            Some(max_file_mb),
            Some(due_at),
            Some(cutoff_at),
            Some(late_percent),
            Some(late_unit),
        ) if errors.is_empty() => Ok(Fields {
            assessment,
            title,
            instructions: instructions.unwrap_or_default(),
            accepts_text: input.accepts_text,
            accepts_files: input.accepts_files,
            file_types: file_types.join(", "),
            max_file_mb,
            due_at,
            cutoff_at,
            late_percent,
            late_unit: late_unit.as_str().to_owned(),
            anonymous: input.anonymous,
            published: input.published,
        }),
        _ => Err(errors.into()),
    }
}

/// Makes an assessment of the plan an assignment (its offering's editors).
pub async fn create(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    input: &AssignmentInput,
    client: &ClientInfo,
) -> AppResult<Assignment> {
    let (_, viewer) = viewer(app, actor, offering).await?;
    if !viewer.edits() {
        return Err(AppError::Forbidden);
    }
    let fields = check(app, actor, offering, input, None).await?;
    let tx = app.store.begin().await?;
    let made = rows::insert(&tx, actor.institution()?, offering, &fields, actor.user_id, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "assignment.created").target(&made.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(made)
}

/// Changes an assignment's settings.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: AssignmentId,
    input: &AssignmentInput,
    client: &ClientInfo,
) -> AppResult<Assignment> {
    let (found, _) = to_edit(app, actor, id).await?;
    let fields = check(app, actor, OfferingId(found.offering_id), input, Some(&found)).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    rows::update(&tx, institution, id, &fields).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "assignment.updated").target(&fields.title)).await?;
    qobe_store::commit(tx).await?;
    rows::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)
}

/// The settings as the edit form shows them.
pub fn input_of(assignment: &Assignment, zone: chrono_tz::Tz) -> AssignmentInput {
    let local =
        |at: chrono::DateTime<chrono::Utc>| Entered::Text(at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string());
    AssignmentInput {
        assessment: Some(assignment.assessment_id),
        title: assignment.title.clone(),
        instructions: assignment.instructions.clone(),
        accepts_text: assignment.accepts_text,
        accepts_files: assignment.accepts_files,
        file_types: assignment.file_types.clone(),
        max_file_mb: Some(Entered::Value(assignment.max_file_mb)),
        due_at: local(assignment.due_at),
        cutoff_at: assignment.cutoff_at.map(local),
        late_percent: Some(Entered::Value(assignment.late_percent)),
        late_unit: Some(assignment.late_unit.clone()),
        anonymous: assignment.anonymous,
        published: assignment.published,
    }
}

/// A student's own due time for an assignment.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionInput {
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub student: i64,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub due_at: Moment,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Grants (or changes) a student's extension; audited.
pub async fn extend(
    app: &App,
    actor: &Actor,
    id: AssignmentId,
    input: &ExtensionInput,
    client: &ClientInfo,
) -> AppResult<Extension> {
    let (found, _) = to_edit(app, actor, id).await?;
    let institution = actor.institution()?;
    let class =
        crate::assessment::evidence::student_ids(app.store.conn(), institution, OfferingId(found.offering_id)).await?;
    let mut errors = qobe_domain::FieldErrors::new();
    if !class.contains(&input.student) {
        errors.refuse("student", "is not a student of this offering");
    }
    let due = crate::academics::parse_moment(&mut errors, "due_at", &input.due_at.text(), actor.zone());
    let reason = errors.check("reason", optional_text(&input.reason, 500)).flatten().unwrap_or_default();
    let Some(due) = due.filter(|_| errors.is_empty()) else { return Err(errors.into()) };
    let tx = app.store.begin().await?;
    let new =
        rows::NewExtension { assignment: id, user: UserId(input.student), due, reason: &reason, by: actor.user_id };
    rows::extend(&tx, institution, new, app.now()).await?;
    let details = serde_json::json!({"assignment": id.0, "student": input.student, "due_at": due, "reason": reason});
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assignment.extended").target(&found.title).details(details),
    )
    .await?;
    qobe_store::commit(tx).await?;
    rows::extensions(app.store.conn(), institution, id)
        .await?
        .into_iter()
        .find(|e| e.user_id == input.student)
        .ok_or(AppError::NotFound)
}

/// Releases the marks and feedback to students (and the names to graders); audited.
pub async fn release(app: &App, actor: &Actor, id: AssignmentId, client: &ClientInfo) -> AppResult<Assignment> {
    let (found, _) = to_edit(app, actor, id).await?;
    let now = app.now();
    let tx = app.store.begin().await?;
    rows::set_released(&tx, actor.institution()?, id, Some(now)).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "assignment.released").target(&found.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(Assignment { released_at: Some(now), ..found })
}

/// An assignment still to hand in, for a student's home.
#[derive(Debug, Clone)]
pub struct Due {
    pub assignment: Assignment,
    pub deadline: Deadline,
}

/// The published assignments of the student's current classes they have not handed in and may
/// still hand in, the soonest due first.
pub async fn due_for(app: &App, actor: &Actor) -> AppResult<Vec<Due>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let offerings: Vec<i64> = qobe_store::registration::for_user(conn, institution, actor.user_id)
        .await?
        .into_iter()
        .filter(|e| {
            qobe_domain::registration::EnrollmentStatus::parse(&e.status)
                == Some(qobe_domain::registration::EnrollmentStatus::Enrolled)
        })
        .map(|e| e.offering_id)
        .collect();
    let open = rows::published_in(conn, institution, &offerings).await?;
    let ids: Vec<i64> = open.iter().map(|a| a.id).collect();
    let (extensions, handed) = rows::standing_of(conn, institution, actor.user_id, &ids).await?;
    let now = app.now();
    let mut out: Vec<Due> = open
        .into_iter()
        .filter(|a| !handed.contains(&a.id))
        .map(|a| {
            let deadline = deadline_for(&a, extensions.iter().find(|e| e.assignment_id == a.id));
            Due { assignment: a, deadline }
        })
        .filter(|d| rules::may_submit(d.deadline, now, false).is_ok())
        .collect();
    out.sort_by_key(|d| d.deadline.due);
    Ok(out)
}
