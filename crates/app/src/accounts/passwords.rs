//! Password reset by emailed link, and changing one's password when signed in.

use chrono::Duration;
use qobe_domain::FieldErrors;
use qobe_domain::accounts::{AccountStatus, Email, check_new_password};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::{accounts, sessions};

use super::{consume_token, issue_token, live_token, purpose, token_user};
use crate::mail::Email as Mail;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto, throttle};

pub const RESET_VALID_MINUTES: i64 = 60;

/// Emails a reset link to every active account with this address. Always succeeds from the
/// caller's point of view, so the form cannot be used to find out who has an account.
pub async fn request_reset(app: &App, input: &super::EmailInput, client: &ClientInfo) -> AppResult<()> {
    let Ok(email) = Email::parse(&input.email) else {
        return Err(AppError::field("email", "must be an email address like name@university.edu"));
    };
    let wait = |minutes| format!("Too many reset requests. Try again {}.", throttle::in_minutes(minutes));
    throttle::RESET_PER_NETWORK.take(app, client.ip().unwrap_or("-"), wait).await?;
    // Counted for every address, known or not, so the limit reveals nothing about accounts.
    throttle::RESET_PER_ADDRESS.take(app, email.as_str(), wait).await?;
    let tx = app.store.begin().await?;
    for user in accounts::all_by_email(&tx, email.as_str()).await? {
        if user.status != AccountStatus::Active.as_str() {
            continue;
        }
        let token = issue_token(&tx, app, &user, purpose::RESET, None, Duration::minutes(RESET_VALID_MINUTES)).await?;
        audit::record(
            &tx,
            app,
            client,
            audit::Entry::anonymous(
                user.institution_id.map(InstitutionId),
                "account.password_reset_requested",
                &user.email,
            ),
        )
        .await?;
        let institution = user.institution_id.map(InstitutionId);
        crate::mail::queue(
            &tx,
            app,
            institution,
            Mail {
                to: user.email.clone(),
                subject: "Reset your QOBE password".into(),
                body: format!(
                    "Hello {},\n\nSomeone (hopefully you) asked to reset your QOBE password.\n\nChoose a new password here:\n{}\n\nThe link works once and expires in {RESET_VALID_MINUTES} minutes. If you did not ask for this, ignore this email: your password stays as it is.\n",
                    user.name,
                    app.link(&format!("/password/reset?token={token}"))
                ),
            },
        )
        .await?;
    }
    Ok(qobe_store::commit(tx).await?)
}

/// Checks a reset link before showing the form.
pub async fn check_reset_token(app: &App, token: &str) -> AppResult<()> {
    live_token(app.store.conn(), app, purpose::RESET, token).await.map(|_| ())
}

/// A new password chosen through an emailed reset link.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ResetInput {
    pub token: String,
    pub password: String,
    pub password_confirm: String,
}

/// Sets a new password from a reset link and signs the account out everywhere.
pub async fn reset(app: &App, input: &ResetInput, client: &ClientInfo) -> AppResult<()> {
    let ResetInput { token, password, password_confirm: confirm } = input;
    let tx = app.store.begin().await?;
    let row = live_token(&tx, app, purpose::RESET, token).await?;
    let user = token_user(&tx, &row).await?;
    let mut errors = FieldErrors::new();
    errors.check("password", check_new_password(password, Email::parse(&user.email).ok().as_ref()));
    if password != confirm {
        errors.add("password_confirm", "does not match the password");
    }
    errors.into_result()?;
    let institution = user.institution_id.map(InstitutionId);
    consume_token(&tx, app, &row).await?;
    let hash = crypto::hash_password(password, app.config.argon2_memory_kib)?;
    accounts::set_password(&tx, institution, UserId(user.id), &hash, app.now()).await?;
    sessions::delete_all_for_user(&tx, institution, UserId(user.id), None).await?;
    audit::record(&tx, app, client, audit::Entry::anonymous(institution, "account.password_reset", &user.email))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// The current password and the new one twice.
#[derive(Default, serde::Deserialize)]
pub struct PasswordChangeInput {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirm: String,
}

/// Changes the password of the signed-in person; other sessions are ended.
pub async fn change(app: &App, actor: &Actor, input: &PasswordChangeInput, client: &ClientInfo) -> AppResult<()> {
    let PasswordChangeInput { current_password: current, new_password: new, new_password_confirm: confirm } = input;
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    let mut errors = FieldErrors::new();
    if !super::recheck_password(app, &user, current).await? {
        errors.add("current_password", "is incorrect");
    }
    errors.check("new_password", check_new_password(new, Email::parse(&user.email).ok().as_ref()));
    if new != confirm {
        errors.add("new_password_confirm", "does not match the new password");
    }
    errors.into_result()?;
    let hash = crypto::hash_password(new, app.config.argon2_memory_kib)?;
    accounts::set_password(conn, actor.institution_id, actor.user_id, &hash, app.now()).await?;
    let tx = app.store.begin().await?;
    sessions::delete_all_for_user(&tx, actor.institution_id, actor.user_id, actor.session_id).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.password_changed")).await?;
    Ok(qobe_store::commit(tx).await?)
}
