//! Changing a locked grade: a recorded request with its reason, decided by the head of department.

use qobe_domain::entered::named_id;
use qobe_domain::grading::ResultStatus;
use qobe_domain::ids::{ChangeRequestId, OfferingId, UserId};
use qobe_store::results::{self as rows, NewChangeRequest};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

use super::{access, frozen_scheme, record_grade, status_of};

/// Asks to change a locked grade; the head of department decides.
/// A change to a locked grade: whose (the student's account id), to which letter, and why.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ChangeInput {
    pub student: String,
    pub to_letter: String,
    pub reason: String,
}

pub async fn request_change(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &ChangeInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let student = named_id(&input.student);
    let (to_letter, reason) = (input.to_letter.as_str(), input.reason.as_str());
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
    request: ChangeRequestId,
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
        .find(|r| r.id == request.0)
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
