//! Actions on a finding: owner and due term, status, evidence files, the follow-up offering
//! and its effectiveness check, carry-forward to the next term, and email reminders.

use chrono::Duration;
use qobe_domain::FieldErrors;
use qobe_domain::accounts::Email as EmailAddress;
use qobe_domain::cqi::{ActionStatus, Effectiveness};
use qobe_domain::ids::{ActionId, EvidenceId, FileId, FindingId, InstitutionId};
use qobe_domain::validation::required_text;
use qobe_store::accounts;
use qobe_store::cqi::{self as rows, NewAction, NewEvidence};
use qobe_store::rows::{CqiAction, CqiFinding, Offering, Term};

use super::findings::{ActionLine, action_lines, may_see};
use super::manages;
use crate::files::{self, FileKind, NewUpload, StoredFile};
use crate::mail::Email;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub struct FindingView {
    pub finding: CqiFinding,
    pub actions: Vec<ActionLine>,
    pub terms: Vec<Term>,
    /// Later offerings of the finding's course, where an action can be followed up.
    pub follow_ups: Vec<(Offering, String)>,
    pub manages: bool,
}

async fn finding_for(app: &App, actor: &Actor, id: i64) -> AppResult<(CqiFinding, Vec<CqiAction>)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let finding = rows::finding(conn, institution, FindingId(id)).await?.ok_or(AppError::NotFound)?;
    let actions = rows::actions(conn, institution, Some(id)).await?;
    if !may_see(actor, &finding, &actions) {
        return Err(AppError::Forbidden);
    }
    Ok((finding, actions))
}

pub async fn view(app: &App, actor: &Actor, id: FindingId) -> AppResult<FindingView> {
    let id = id.0;
    let (finding, actions) = finding_for(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let terms = qobe_store::academics::terms::list(conn, institution).await?;
    let mut follow_ups = Vec::new();
    if let Some(course) = finding.course_id {
        for o in
            qobe_store::academics::offerings::of_course(conn, institution, qobe_domain::ids::CourseId(course)).await?
        {
            if Some(o.id) != finding.offering_id {
                let term = terms.iter().find(|t| t.id == o.term_id).map(|t| t.name.clone()).unwrap_or_default();
                follow_ups.push((o, term));
            }
        }
    }
    Ok(FindingView {
        actions: action_lines(app, actor.institution()?, actions).await?,
        finding,
        terms,
        follow_ups,
        manages: manages(actor),
    })
}

/// Adds an action: its owner (by email) and the term (by code) it is due in.
/// An action that answers a finding: what will be done, who owns it (email) and by which term.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActionInput {
    pub description: String,
    pub owner: String,
    pub due_term: String,
}

pub async fn add(
    app: &App,
    actor: &Actor,
    finding: FindingId,
    input: &ActionInput,
    client: &ClientInfo,
) -> AppResult<CqiAction> {
    let ActionInput { description, owner, due_term } = input;
    let finding = finding.0;
    let (finding, _) = finding_for(app, actor, finding).await?;
    if !manages(actor) && finding.raised_by != actor.user_id.0 {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut errors = FieldErrors::new();
    let description = errors.check("description", required_text(description, 2000));
    let owner_row = match EmailAddress::parse(owner) {
        Ok(email) => accounts::by_email(conn, Some(institution), email.as_str()).await?,
        Err(_) => None,
    };
    if owner_row.is_none() {
        errors.add("owner", "is not the email of someone in this institution");
    }
    let term = qobe_store::academics::terms::by_code(conn, institution, &due_term.trim().to_uppercase()).await?;
    if term.is_none() {
        errors.add("due_term", "is not a term code of this institution");
    }
    let (Some(description), Some(owner_row), Some(term)) = (description, owner_row, term) else {
        return Err(AppError::Invalid(errors));
    };
    let new = NewAction {
        finding: finding.id,
        description: &description,
        owner: qobe_domain::ids::UserId(owner_row.id),
        due_term: term.id,
        by: actor.user_id,
    };
    let tx = app.store.begin().await?;
    let row = rows::insert_action(&tx, institution, new, app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "cqi.action_added")
            .target(&finding.title)
            .details(serde_json::json!({ "owner": owner_row.email, "due_term": term.code })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// The action, if the actor owns it or manages the loop.
async fn action_for(app: &App, actor: &Actor, id: i64) -> AppResult<CqiAction> {
    let row = rows::action(app.store.conn(), actor.institution()?, ActionId(id)).await?.ok_or(AppError::NotFound)?;
    if row.owner_id == actor.user_id.0 || manages(actor) { Ok(row) } else { Err(AppError::Forbidden) }
}

/// An action's new state (`open`, `in_progress`, `done`…).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StatusInput {
    pub status: String,
}

pub async fn set_status(
    app: &App,
    actor: &Actor,
    id: ActionId,
    input: &StatusInput,
    client: &ClientInfo,
) -> AppResult<CqiAction> {
    let id = id.0;
    let mut row = action_for(app, actor, id).await?;
    let status = ActionStatus::parse(&input.status).map_err(|m| AppError::field("status", m))?;
    row.status = status.as_str().into();
    row.updated_at = app.now();
    let tx = app.store.begin().await?;
    rows::save_action(&tx, &row).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "cqi.action_status")
            .target(&row.id.to_string())
            .details(serde_json::json!({ "status": status.as_str() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Records whether a done action worked, judged in a later offering of the course.
/// Whether a done action worked: the later offering that shows it (by id, or none), the verdict
/// and a note.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EffectivenessInput {
    pub follow_up: Option<String>,
    pub effectiveness: String,
    pub note: String,
}

pub async fn check_effectiveness(
    app: &App,
    actor: &Actor,
    id: ActionId,
    input: &EffectivenessInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let follow_up_offering: Option<i64> = input.follow_up.as_deref().and_then(|o| o.trim().parse().ok());
    let (effectiveness, note) = (input.effectiveness.as_str(), input.note.as_str());
    let id = id.0;
    let mut row = action_for(app, actor, id).await?;
    if ActionStatus::parse(&row.status) != Ok(ActionStatus::Done) {
        return Err(AppError::Refused(vec!["Mark the action done before judging whether it worked.".into()]));
    }
    let institution = actor.institution()?;
    let effectiveness = Effectiveness::parse(effectiveness).map_err(|m| AppError::field("effectiveness", m))?;
    if let Some(o) = follow_up_offering {
        let finding =
            rows::finding(app.store.conn(), institution, FindingId(row.finding_id)).await?.ok_or(AppError::NotFound)?;
        let offering =
            qobe_store::academics::offerings::get(app.store.conn(), institution, qobe_domain::ids::OfferingId(o))
                .await?
                .filter(|x| Some(x.course_id) == finding.course_id && Some(x.id) != finding.offering_id);
        if offering.is_none() {
            return Err(AppError::field("follow_up", "choose a later offering of the same course"));
        }
    }
    row.follow_up_offering_id = follow_up_offering;
    row.effectiveness = Some(effectiveness.as_str().into());
    row.effectiveness_note = Some(note.trim().chars().take(2000).collect());
    row.updated_at = app.now();
    let tx = app.store.begin().await?;
    rows::save_action(&tx, &row).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "cqi.effectiveness_checked").target(&row.id.to_string()).details(
            serde_json::json!({ "effectiveness": effectiveness.as_str(), "follow_up_offering": follow_up_offering }),
        ),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Moves an open action whose term has ended to the next term; says which.
pub async fn carry_forward(app: &App, actor: &Actor, id: ActionId, client: &ClientInfo) -> AppResult<String> {
    let id = id.0;
    if !manages(actor) {
        return Err(AppError::Forbidden);
    }
    let mut row = action_for(app, actor, id).await?;
    let institution = actor.institution()?;
    let terms = qobe_store::academics::terms::list(app.store.conn(), institution).await?;
    let due = terms.iter().find(|t| t.id == row.due_term_id).ok_or(AppError::NotFound)?;
    if !ActionStatus::parse(&row.status).is_ok_and(ActionStatus::is_open) || due.ends_at > app.now() {
        return Err(AppError::Refused(vec!["Only an open action whose term has ended is carried forward.".into()]));
    }
    let next = terms.iter().filter(|t| t.starts_at > due.starts_at).min_by_key(|t| t.starts_at).ok_or_else(|| {
        AppError::Refused(vec!["There is no later term to carry it to: create the next term first.".into()])
    })?;
    row.due_term_id = next.id;
    row.updated_at = app.now();
    let tx = app.store.begin().await?;
    rows::save_action(&tx, &row).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "cqi.action_carried_forward")
            .target(&row.id.to_string())
            .details(serde_json::json!({ "from": due.code, "to": next.code })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(next.name.clone())
}

/// Largest evidence file attached to an action.
pub const MAX_EVIDENCE: usize = 10 * 1024 * 1024;

/// Attaches a file as evidence of the action.
pub async fn attach(
    app: &App,
    actor: &Actor,
    id: ActionId,
    file_name: &str,
    bytes: Vec<u8>,
    client: &ClientInfo,
) -> AppResult<()> {
    let id = id.0;
    let row = action_for(app, actor, id).await?;
    if bytes.is_empty() {
        return Err(AppError::field("file", "choose a file"));
    }
    if bytes.len() > MAX_EVIDENCE {
        return Err(AppError::TooLarge("Evidence files are limited to 10 MB.".into()));
    }
    let name: String = file_name.rsplit(['/', '\\']).next().unwrap_or("evidence").chars().take(200).collect();
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let upload = NewUpload {
        institution: Some(institution),
        owner: Some(actor.user_id),
        kind: FileKind::Evidence,
        name: &name,
        bytes,
    };
    let file = files::keep(&tx, app, upload).await?;
    let new = NewEvidence { action: row.id, file_name: &name, file, by: actor.user_id };
    rows::insert_evidence(&tx, institution, new, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "cqi.evidence_attached").target(&name)).await?;
    Ok(qobe_store::commit(tx).await?)
}

/// An evidence file, for whoever may see its finding.
pub async fn evidence(app: &App, actor: &Actor, id: EvidenceId) -> AppResult<StoredFile> {
    let institution = actor.institution()?;
    let evidence = rows::evidence(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let action =
        rows::action(app.store.conn(), institution, ActionId(evidence.action_id)).await?.ok_or(AppError::NotFound)?;
    finding_for(app, actor, action.finding_id).await?;
    files::find(app, Some(institution), FileId(evidence.file_id.ok_or(AppError::NotFound)?)).await
}

/// Closes a finding once none of its actions is open.
pub async fn close_finding(app: &App, actor: &Actor, id: FindingId, client: &ClientInfo) -> AppResult<()> {
    let id = id.0;
    if !manages(actor) {
        return Err(AppError::Forbidden);
    }
    let (finding, actions) = finding_for(app, actor, id).await?;
    if actions.iter().any(|a| ActionStatus::parse(&a.status).is_ok_and(ActionStatus::is_open)) {
        return Err(AppError::Refused(vec!["Some actions are still open.".into()]));
    }
    let tx = app.store.begin().await?;
    rows::set_finding_status(&tx, actor.institution()?, FindingId(id), "closed").await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "cqi.finding_closed").target(&finding.title)).await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Emails every owner of an open action that is overdue or due within two weeks (the email
/// goes out by the job runner, once this commits); returns how many reminders were queued.
pub async fn send_reminders(app: &App, actor: &Actor, client: &ClientInfo) -> AppResult<usize> {
    if !manages(actor) {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let sent = queue_reminders(&tx, app, institution).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "cqi.reminders_sent").details(serde_json::json!({ "sent": sent })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(sent)
}

/// The weekly reminder (a scheduled job): every active institution's owners of actions that are
/// overdue or due soon get their email.
pub(crate) async fn remind_owners(app: &App) -> AppResult<()> {
    for institution in qobe_store::tenancy::active_ids(app.store.conn()).await? {
        let tx = app.store.begin().await?;
        let sent = queue_reminders(&tx, app, institution).await?;
        qobe_store::commit(tx).await?;
        if sent > 0 {
            tracing::info!(institution = %institution, sent, "improvement action reminders queued");
        }
    }
    Ok(())
}

/// Queues a reminder to the owner of each open action of `institution` that is overdue or due
/// within two weeks; returns how many.
async fn queue_reminders(tx: &qobe_store::Tx, app: &App, institution: InstitutionId) -> AppResult<usize> {
    let lines = action_lines(app, institution, rows::actions(tx, institution, None).await?).await?;
    let soon = app.now() + Duration::days(14);
    let mut sent = 0;
    for line in lines {
        let open = ActionStatus::parse(&line.action.status).is_ok_and(ActionStatus::is_open);
        let due_soon = line.due.as_ref().is_some_and(|t| t.ends_at <= soon);
        if !open || !due_soon {
            continue;
        }
        let Some(owner) = accounts::get(tx, Some(institution), qobe_domain::ids::UserId(line.action.owner_id)).await?
        else {
            continue;
        };
        let when = line.due.as_ref().map(|t| t.name.clone()).unwrap_or_default();
        let state = if line.overdue { "is overdue" } else { "is due soon" };
        let email = Email {
            to: owner.email.clone(),
            subject: format!("Improvement action {state}: due in {when}"),
            body: format!(
                "Hello {},\n\nThis improvement action {state} (due by the end of {when}):\n\n  {}\n\nUpdate it, or attach evidence, here:\n{}\n",
                owner.name,
                line.action.description,
                app.link(&format!("/cqi/findings/{}", line.action.finding_id)),
            ),
        };
        crate::mail::queue(tx, app, Some(institution), email).await?;
        sent += 1;
    }
    Ok(sent)
}
