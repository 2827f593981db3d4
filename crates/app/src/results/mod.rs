//! Final grades and the result workflow: draft → submitted (instructor) → approved (head of
//! department; attainment is frozen in a snapshot) → published (students see grades, which
//! become the registration's grade) → locked (changes need a recorded, approved request).

mod completeness;

use std::collections::HashMap;

use qobe_domain::grading::{Component, GradingScheme, ResultAction, ResultStatus, final_percent, gpa};
use qobe_domain::ids::{OfferingId, UserId};
use qobe_domain::roles::Permission;
use qobe_outcomes::Mark;
use qobe_store::accounts::{self, Person};
use qobe_store::results::{self as rows, NewChangeRequest, NewLine};
use qobe_store::rows::{OfferingResult, ResultChangeRequest};

use crate::academics::offerings::{self, OfferingView};
use crate::assessment::evidence::{load, policy_for};
use crate::assessment::{Access, attainment, staff_access};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub use completeness::{AssessmentMarks, Blanks, Completeness};

/// The institution's grading scheme (its newest, else the default).
pub async fn scheme_for(
    conn: &impl qobe_store::Conn,
    institution: qobe_domain::ids::InstitutionId,
) -> AppResult<GradingScheme> {
    match rows::latest_scheme(conn, institution).await? {
        Some(row) => serde_json::from_str(&row.bands).map_err(|e| AppError::Internal(format!("stored scheme: {e}"))),
        None => Ok(GradingScheme::default()),
    }
}

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

/// Moves the results one step. Submitting freezes the grades (refused while marks are blank,
/// unless `confirm_blanks` and `note` says why); approving freezes attainment; publishing gives
/// students their grades. `note` is also why results are returned.
pub async fn act(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    action: ResultAction,
    note: &str,
    confirm_blanks: bool,
    client: &ClientInfo,
) -> AppResult<ResultStatus> {
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

/// Asks to change a locked grade; the head of department decides.
pub async fn request_change(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    student: i64,
    to_letter: &str,
    reason: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    let (_, can_edit, can_approve) = access(app, actor, id).await?;
    if !can_edit && !can_approve {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let row = rows::get(conn, institution, id).await?;
    if status_of(&row) != ResultStatus::Locked {
        return Err(AppError::Refused(vec![
            "Change requests are for locked results; until then, correct the marks.".into(),
        ]));
    }
    let scheme = frozen_scheme(&row);
    let to = to_letter.trim().to_uppercase();
    if !scheme.bands.iter().any(|b| b.letter == to) && to != "I" {
        return Err(AppError::field("to_letter", "is not a letter of the grading scheme"));
    }
    let reason = qobe_domain::validation::required_text(reason, 500).map_err(|m| AppError::field("reason", m))?;
    let line = rows::lines(conn, institution, id)
        .await?
        .into_iter()
        .find(|l| l.user_id == student)
        .ok_or(AppError::NotFound)?;
    let tx = app.store.begin().await?;
    rows::insert_change_request(
        &tx,
        institution,
        NewChangeRequest {
            offering: id,
            user: UserId(student),
            from_letter: &line.letter,
            to_letter: &to,
            reason: &reason,
            by: actor.user_id,
        },
        app.now(),
    )
    .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "results.change_requested")
            .target(&student.to_string())
            .details(serde_json::json!({ "offering": id.0, "from": line.letter, "to": to, "reason": reason })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Approves (applying the new grade) or rejects a change request.
pub async fn decide_change(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    request: i64,
    approve: bool,
    client: &ClientInfo,
) -> AppResult<()> {
    let (_, _, can_approve) = access(app, actor, id).await?;
    if !can_approve {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let found = rows::change_requests(&tx, institution, id)
        .await?
        .into_iter()
        .find(|r| r.id == request)
        .ok_or(AppError::NotFound)?;
    let now = app.now();
    if !rows::decide_change_request(
        &tx,
        institution,
        request,
        if approve { "approved" } else { "rejected" },
        actor.user_id,
        now,
    )
    .await?
    {
        return Err(AppError::Refused(vec!["That request was already decided.".into()]));
    }
    if approve {
        let scheme = frozen_scheme(&rows::get(&tx, institution, id).await?);
        let points = scheme.bands.iter().find(|b| b.letter == found.to_letter).map(|b| b.points);
        rows::set_line_letter(&tx, institution, id, UserId(found.user_id), &found.to_letter, points).await?;
        record_grade(&tx, actor, id, UserId(found.user_id), &found.to_letter, now).await?;
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, if approve { "results.change_approved" } else { "results.change_rejected" })
            .target(&found.user_id.to_string())
            .details(serde_json::json!({ "offering": id.0, "from": found.from_letter, "to": found.to_letter })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// A student's published result in one course.
#[derive(Debug, Clone)]
pub struct MyResult {
    pub offering: OfferingView,
    pub percent: Option<f64>,
    pub letter: String,
    pub points: Option<f64>,
    pub credits: f64,
}

/// A term's published results with its GPA.
#[derive(Debug, Clone)]
pub struct MyTerm {
    pub term_name: String,
    pub results: Vec<MyResult>,
    pub gpa: Option<f64>,
}

/// The actor's own published results by term (newest first) and CGPA.
pub async fn mine(app: &App, actor: &Actor) -> AppResult<(Vec<MyTerm>, Option<f64>)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut by_term: Vec<(chrono::DateTime<chrono::Utc>, MyTerm)> = Vec::new();
    let mut all = Vec::new();
    for line in rows::lines_of_student(conn, institution, actor.user_id).await? {
        let id = OfferingId(line.offering_id);
        let status = status_of(&rows::get(conn, institution, id).await?);
        if !matches!(status, ResultStatus::Published | ResultStatus::Locked) {
            continue;
        }
        let offering = offerings::get(app, actor, id).await?;
        let credits = offering.course.credits_theory + offering.course.credits_lab;
        if let Some(p) = line.points {
            all.push((credits, p));
        }
        let starts = offering.term.starts_at;
        let result = MyResult { percent: line.percent, letter: line.letter, points: line.points, credits, offering };
        match by_term.iter_mut().find(|(s, _)| *s == starts) {
            Some((_, term)) => term.results.push(result),
            None => by_term.push((
                starts,
                MyTerm { term_name: result.offering.term.name.clone(), results: vec![result], gpa: None },
            )),
        }
    }
    by_term.sort_by_key(|(starts, _)| std::cmp::Reverse(*starts));
    let terms: Vec<MyTerm> = by_term
        .into_iter()
        .map(|(_, mut t)| {
            let graded: Vec<(f64, f64)> = t.results.iter().filter_map(|r| r.points.map(|p| (r.credits, p))).collect();
            t.gpa = gpa(&graded);
            t
        })
        .collect();
    Ok((terms, gpa(&all)))
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

/// Saves the institution's grading scheme (a new row; results already submitted keep theirs).
pub async fn save_scheme(
    app: &App,
    actor: &Actor,
    name: &str,
    text: &str,
    client: &ClientInfo,
) -> AppResult<GradingScheme> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let name = qobe_domain::validation::required_text(name, 100).map_err(|m| AppError::field("name", m))?;
    let scheme = GradingScheme::parse(&name, text).map_err(|p| AppError::field("bands", p.join("; ")))?;
    let json = serde_json::to_string(&scheme).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    rows::insert_scheme(&tx, institution, &name, &json, actor.user_id, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "results.scheme_saved").target(&name)).await?;
    qobe_store::commit(tx).await?;
    Ok(scheme)
}

/// The institution's grading scheme now, for the page that edits it.
pub async fn current_scheme(app: &App, actor: &Actor) -> AppResult<GradingScheme> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    scheme_for(app.store.conn(), institution).await
}
