//! Verifying an email address and changing it (the new address must be verified before it
//! replaces the old one).

use chrono::Duration;
use qobe_domain::accounts::Email;
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::accounts;

use super::{consume_token, issue_token, live_token, purpose, token_user};
use crate::mail::Email as Mail;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub const VERIFY_VALID_HOURS: i64 = 48;

/// Sends (again) the link that verifies the account's current address.
pub async fn send_verification(app: &App, actor: &Actor) -> AppResult<()> {
    let tx = app.store.begin().await?;
    let user = crate::accounts::own_account(&tx, actor).await?;
    if user.email_verified_at.is_some() {
        return Err(AppError::conflict("email", "Your email address is already verified."));
    }
    let token = issue_token(&tx, app, &user, purpose::VERIFY_EMAIL, None, Duration::hours(VERIFY_VALID_HOURS)).await?;
    crate::mail::queue(
        &tx,
        app,
        actor.institution_id,
        Mail {
            to: user.email.clone(),
            subject: "Verify your email address for QOBE".into(),
            body: format!(
                "Hello {},\n\nPlease confirm this is your email address:\n{}\n\nThe link expires in {VERIFY_VALID_HOURS} hours.\n",
                user.name,
                app.link(&format!("/email/verify?token={token}"))
            ),
        },
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Marks the address verified from the emailed link.
pub async fn verify(app: &App, token: &str, client: &ClientInfo) -> AppResult<()> {
    let tx = app.store.begin().await?;
    let row = live_token(&tx, app, purpose::VERIFY_EMAIL, token).await?;
    let user = token_user(&tx, &row).await?;
    consume_token(&tx, app, &row).await?;
    accounts::mark_email_verified(&tx, user.institution_id.map(InstitutionId), UserId(user.id), app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::anonymous(user.institution_id.map(InstitutionId), "account.email_verified", &user.email),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Starts a change of address: checks the password, then emails a link to the new address.
/// A new address, with the password that proves the change is wanted.
#[derive(Default, serde::Deserialize)]
pub struct EmailChangeInput {
    pub new_email: String,
    pub password: String,
}

pub async fn request_change(app: &App, actor: &Actor, input: &EmailChangeInput, client: &ClientInfo) -> AppResult<()> {
    let EmailChangeInput { new_email, password } = input;
    // The password is checked (and a wrong one counted) before the change's transaction.
    let user = crate::accounts::own_account(app.store.conn(), actor).await?;
    let email = Email::parse(new_email).map_err(|m| AppError::field("new_email", m))?;
    if !super::recheck_password(app, &user, password).await? {
        return Err(AppError::field("password", "is incorrect"));
    }
    if email.as_str() == user.email {
        return Err(AppError::field("new_email", "is already your email address"));
    }
    let tx = app.store.begin().await?;
    if accounts::by_email(&tx, actor.institution_id, email.as_str()).await?.is_some() {
        return Err(AppError::conflict("new_email", "Another account here already uses that address."));
    }
    accounts::set_pending_email(&tx, actor.institution_id, actor.user_id, Some(email.as_str())).await?;
    let token =
        issue_token(&tx, app, &user, purpose::CHANGE_EMAIL, Some(email.as_str()), Duration::hours(VERIFY_VALID_HOURS))
            .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "account.email_change_requested")
            .details(serde_json::json!({ "new_email": email.as_str() })),
    )
    .await?;
    crate::mail::queue(
        &tx,
        app,
        actor.institution_id,
        Mail {
            to: email.as_str().to_owned(),
            subject: "Confirm your new email address for QOBE".into(),
            body: format!(
                "Hello {},\n\nConfirm that QOBE should use this address from now on:\n{}\n\nUntil you do, your old address stays in use. The link expires in {VERIFY_VALID_HOURS} hours.\n",
                user.name,
                app.link(&format!("/email/confirm-change?token={token}"))
            ),
        },
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Completes a change of address from the link sent to the new address.
pub async fn confirm_change(app: &App, token: &str, client: &ClientInfo) -> AppResult<String> {
    let tx = app.store.begin().await?;
    let row = live_token(&tx, app, purpose::CHANGE_EMAIL, token).await?;
    let user = token_user(&tx, &row).await?;
    let new_email = row.payload.clone().ok_or(AppError::NotFound)?;
    let institution = user.institution_id.map(InstitutionId);
    if accounts::by_email(&tx, institution, &new_email).await?.is_some() {
        return Err(AppError::conflict("email", "Another account here already uses that address."));
    }
    consume_token(&tx, app, &row).await?;
    accounts::replace_email(&tx, institution, UserId(user.id), &new_email, app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::anonymous(institution, "account.email_changed", &new_email)
            .details(serde_json::json!({ "old_email": user.email })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(new_email)
}
