//! Final grades and the result workflow: draft → submitted (instructor) → approved (head of
//! department; attainment is frozen in a snapshot) → published (students see grades, which
//! become the registration's grade) → locked (changes need a recorded, approved request).

mod changes;
mod completeness;
mod scheme;
mod student;

use std::collections::HashMap;

use qobe_domain::grading::{Component, GradingScheme, ResultAction, ResultStatus, final_percent};
use qobe_domain::ids::{OfferingId, UserId};
use qobe_outcomes::Mark;
use qobe_store::accounts::{self, Person};
use qobe_store::results::{self as rows, NewLine};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::{OfferingResult, ResultChangeRequest};

use crate::academics::offerings::{self, OfferingView};
use crate::assessment::evidence::{load, policy_for};
use crate::assessment::{Access, attainment, staff_access};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub use changes::{ChangeInput, decide_change, request_change};
pub use completeness::{AssessmentMarks, Blanks, Completeness};
pub use scheme::{SchemeInput, current_scheme, save_scheme, scheme_for};
pub use student::{MyResult, MyTerm, mine};

/// One student's grade as shown.
#[derive(Debug, Clone)]
pub struct Line {
    pub person: Person,
    pub percent: Option<f64>,
    pub letter: String,
    pub points: Option<f64>,
}

pub struct ResultsView {
    pub offering: OfferingView,
    pub status: ResultStatus,
    pub row: Option<OfferingResult>,
    pub scheme: GradingScheme,
    /// Live from the marks while a draft; the frozen lines afterwards.
    pub lines: Vec<Line>,
    pub can_edit: bool,
    pub can_approve: bool,
    pub change_requests: Vec<ResultChangeRequest>,
    /// Marks entered per assessment, and the students with blanks.
    pub completeness: Completeness,
}

fn status_of(row: &Option<OfferingResult>) -> ResultStatus {
    row.as_ref().and_then(|r| ResultStatus::parse(&r.status)).unwrap_or(ResultStatus::Draft)
}

/// Whether the actor is the head for this offering's department (or an admin).
fn approves(actor: &Actor, offering: &OfferingView) -> bool {
    crate::authz::approve_results(actor, offering.course.department_id)
}

/// The offering, for its staff or its approver.
async fn access(app: &App, actor: &Actor, id: OfferingId) -> AppResult<(OfferingView, bool, bool)> {
    match staff_access(app, actor, id).await {
        Ok((view, access)) => {
            let approve = approves(actor, &view);
            Ok((view, access == Access::Edit, approve))
        }
        Err(AppError::Forbidden) => {
            let view = offerings::get(app, actor, id).await?;
            if approves(actor, &view) { Ok((view, false, true)) } else { Err(AppError::Forbidden) }
        }
        Err(other) => Err(other),
    }
}

/// Every enrolled student's final percentage and letter from the marks now.
async fn compute_lines(
    app: &App,
    actor: &Actor,
    offering: &OfferingView,
    scheme: &GradingScheme,
) -> AppResult<Vec<Line>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let (plan, evidence) = load(conn, institution, offering).await?;
    let people: HashMap<i64, Person> =
        accounts::people(conn, institution, &evidence.students).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut lines = Vec::new();
    for (row, student) in evidence.students.iter().enumerate() {
        let components: Vec<Component> = plan
            .assessments
            .iter()
            .enumerate()
            .map(|(a, assessment)| {
                let (mut obtained, mut possible, mut entered) = (0.0, 0.0, false);
                for (i, item) in evidence.items.iter().enumerate().filter(|(_, item)| item.assessment == a) {
                    match evidence.mark(row, i) {
                        Mark::Score(s) => {
                            (obtained, possible, entered) =
                                (obtained + f64::from(s), possible + f64::from(item.max_marks), true)
                        }
                        Mark::Absent | Mark::NotAttempted => {
                            (possible, entered) = (possible + f64::from(item.max_marks), true)
                        }
                        Mark::Excused | Mark::Missing => {}
                    }
                }
                let _ = entered;
                Component { weight: assessment.weight, obtained, possible }
            })
            .collect();
        let percent = final_percent(&components).map(|p| (p * 100.0).round() / 100.0);
        let (letter, points) = match percent.and_then(|p| scheme.band_for(p)) {
            Some(band) => (band.letter.clone(), Some(band.points)),
            None => ("I".to_owned(), None),
        };
        let person = people.get(student).cloned().unwrap_or(Person { id: *student, ..Person::default() });
        lines.push(Line { person, percent, letter, points });
    }
    qobe_domain::collation::sort_by_name(&mut lines, |l| &l.person.name, |l| l.person.id);
    Ok(lines)
}

pub async fn view(app: &App, actor: &Actor, id: OfferingId) -> AppResult<ResultsView> {
    let (offering, can_edit, can_approve) = access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let row = rows::get(conn, institution, id).await?;
    let status = status_of(&row);
    let (scheme, lines) = match (&row, status) {
        (Some(r), s) if s != ResultStatus::Draft => {
            let scheme = frozen_scheme(&Some(r.clone()));
            let stored = rows::lines(conn, institution, id).await?;
            let ids: Vec<i64> = stored.iter().map(|l| l.user_id).collect();
            let people: HashMap<i64, Person> =
                accounts::people(conn, institution, &ids).await?.into_iter().map(|p| (p.id, p)).collect();
            let mut lines: Vec<Line> = stored
                .into_iter()
                .map(|l| Line {
                    person: people.get(&l.user_id).cloned().unwrap_or(Person { id: l.user_id, ..Person::default() }),
                    percent: l.percent,
                    letter: l.letter,
                    points: l.points,
                })
                .collect();
            qobe_domain::collation::sort_by_name(&mut lines, |l| &l.person.name, |l| l.person.id);
            (scheme, lines)
        }
        _ => {
            let scheme = scheme_for(conn, institution).await?;
            let lines = compute_lines(app, actor, &offering, &scheme).await?;
            (scheme, lines)
        }
    };
    let change_requests = rows::change_requests(conn, institution, id).await?;
    let completeness = completeness_of(app, actor, &offering).await?;
    Ok(ResultsView { offering, status, row, scheme, lines, can_edit, can_approve, change_requests, completeness })
}

/// Which marks of the offering are in and which are blank.
async fn completeness_of(app: &App, actor: &Actor, offering: &OfferingView) -> AppResult<Completeness> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let (plan, evidence) = load(conn, institution, offering).await?;
    let people: HashMap<i64, Person> =
        accounts::people(conn, institution, &evidence.students).await?.into_iter().map(|p| (p.id, p)).collect();
    Ok(completeness::of(&plan, &evidence, &people))
}

/// The note and confirmation of a step, as the grades page's forms and
/// `POST /api/v1/offerings/{id}/grades/{action}` send them.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = StepIn)]
pub struct StepInput {
    /// Why results are returned (for `return`), or why they are submitted with blank marks.
    #[schema(pattern = "optional_text")]
    pub note: String,
    /// `submit` with marks still blank is refused (409, each student and item named) unless this
    /// is true and `note` says why.
    pub confirm_blanks: bool,
}

/// Moves the results one step. Submitting freezes the grades (refused while marks are blank,
/// unless `confirm_blanks` and `note` says why); approving freezes attainment; publishing gives
/// students their grades. `note` is also why results are returned.
pub async fn act(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    action: ResultAction,
    input: &StepInput,
    client: &ClientInfo,
) -> AppResult<ResultStatus> {
    let (note, confirm_blanks) = (input.note.as_str(), input.confirm_blanks);
    let (offering, can_edit, can_approve) = access(app, actor, id).await?;
    let allowed = match action {
        ResultAction::Submit => can_edit,
        ResultAction::Approve | ResultAction::Return | ResultAction::Publish | ResultAction::Lock => can_approve,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let now = app.now();
    let tx = app.store.begin().await?;
    let existing = rows::get(&tx, institution, id).await?;
    let from = status_of(&existing);
    let to = from.next(action).map_err(|m| AppError::Refused(vec![format!("Not done: {m}.")]))?;
    let mut row = existing.unwrap_or(OfferingResult {
        id: 0,
        institution_id: institution.0,
        offering_id: id.0,
        status: from.as_str().into(),
        scheme: String::new(),
        submitted_by: None,
        submitted_at: None,
        approved_by: None,
        approved_at: None,
        published_at: None,
        locked_at: None,
        note: None,
        blanks_reason: None,
        updated_at: now,
    });
    match action {
        ResultAction::Submit => {
            let completeness = completeness_of(app, actor, &offering).await?;
            row.blanks_reason = None;
            if !completeness.is_complete() {
                if !confirm_blanks {
                    return Err(AppError::Refused(vec![completeness.refusal()]));
                }
                let reason = note.trim();
                if reason.is_empty() {
                    return Err(AppError::refused_field("note", "say why the results go in with blank marks"));
                }
                row.blanks_reason = Some(format!(
                    "{} blank mark(s) for {} student(s): {reason}",
                    completeness.blank_cells(),
                    completeness.students.len()
                ));
            }
            let scheme = scheme_for(&tx, institution).await?;
            let lines = compute_lines(app, actor, &offering, &scheme).await?;
            let new: Vec<NewLine<'_>> = lines
                .iter()
                .map(|l| NewLine { user: UserId(l.person.id), percent: l.percent, letter: &l.letter, points: l.points })
                .collect();
            rows::replace_lines(&tx, institution, id, &new).await?;
            row.scheme = serde_json::to_string(&scheme).map_err(|e| AppError::Internal(e.to_string()))?;
            row.submitted_by = Some(actor.user_id.0);
            row.submitted_at = Some(now);
            row.note = None;
        }
        ResultAction::Approve => {
            let (plan, evidence) = load(&tx, institution, &offering).await?;
            let policy = policy_for(&tx, institution, None).await?;
            let computed = attainment::compute(&policy, &plan, &evidence);
            let scores = qobe_outcomes::student_clo_scores(&policy, &evidence);
            let data = serde_json::json!({
                "clos": computed.clos.iter().map(|c| serde_json::json!({
                    "id": c.clo.id, "lineage_id": c.clo.lineage_id, "code": c.clo.code, "text": c.clo.text, "result": c.result,
                })).collect::<Vec<_>>(),
                "students": evidence.students.iter().enumerate().map(|(s, student)| serde_json::json!({
                    "id": student,
                    "scores": (0..evidence.clos.len()).map(|c| scores.get(s, c)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            let policy_json = serde_json::to_string(&policy).map_err(|e| AppError::Internal(e.to_string()))?;
            rows::insert_snapshot(&tx, institution, id, &policy_json, &data.to_string(), actor.user_id, now).await?;
            crate::assessment::standing::queue_refresh(&tx, app, institution).await?;
            row.approved_by = Some(actor.user_id.0);
            row.approved_at = Some(now);
        }
        ResultAction::Return => {
            let reason = note.trim();
            if reason.is_empty() {
                return Err(AppError::field("note", "say what the instructor should correct"));
            }
            row.note = Some(reason.to_owned());
            row.approved_by = None;
            row.approved_at = None;
        }
        ResultAction::Publish => {
            for line in rows::lines(&tx, institution, id).await? {
                record_grade(&tx, actor, id, UserId(line.user_id), &line.letter, now).await?;
            }
            row.published_at = Some(now);
        }
        ResultAction::Lock => row.locked_at = Some(now),
    }
    row.status = to.as_str().into();
    row.updated_at = now;
    rows::save(&tx, row).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "results.status_changed")
            .target(&format!("{} {}", offering.course.code, offering.offering.section))
            .details(
                serde_json::json!({ "offering": id.0, "from": from.as_str(), "to": to.as_str(), "note": note.trim() }),
            ),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(to)
}

/// The scheme results were submitted with (the default if unreadable).
fn frozen_scheme(row: &Option<OfferingResult>) -> GradingScheme {
    row.as_ref().and_then(|r| serde_json::from_str(&r.scheme).ok()).unwrap_or_default()
}

/// Writes a grade into the student's registration, which transcripts and prerequisites read.
async fn record_grade(
    conn: &impl qobe_store::Conn,
    actor: &Actor,
    id: OfferingId,
    student: UserId,
    letter: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let institution = actor.institution()?;
    if let Some(e) = qobe_store::registration::find(conn, institution, id, student).await? {
        qobe_store::registration::set_status(
            conn,
            institution,
            e.id,
            "completed",
            None,
            Some(letter),
            Some(actor.user_id),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Marks can change only while results are a draft.
pub async fn ensure_marks_editable(
    conn: &impl qobe_store::Conn,
    institution: qobe_domain::ids::InstitutionId,
    id: OfferingId,
) -> AppResult<()> {
    let row = rows::get(conn, institution, id).await?;
    let status = status_of(&row);
    if status.marks_editable() {
        Ok(())
    } else {
        Err(AppError::Refused(vec![format!(
            "Results are {}: marks can't change unless the head of department returns them.",
            status.as_str()
        )]))
    }
}

/// Offerings whose results wait for the actor's approval, oldest first.
pub async fn awaiting_approval(app: &App, actor: &Actor) -> AppResult<Vec<(OfferingView, OfferingResult)>> {
    let institution = actor.institution()?;
    let mut out = Vec::new();
    for row in rows::with_status(app.store.conn(), institution, ResultStatus::Submitted.as_str()).await? {
        let view = offerings::get(app, actor, OfferingId(row.offering_id)).await?;
        if approves(actor, &view) {
            out.push((view, row));
        }
    }
    Ok(out)
}
