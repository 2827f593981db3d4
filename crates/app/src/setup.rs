//! First run: while no platform operator exists, the server prints a one-time setup link;
//! opening it creates the operator account.

use chrono::Duration;
use qobe_domain::FieldErrors;
use qobe_domain::accounts::{AccountStatus, CommunicationPreferences, Email, check_new_password};
use qobe_domain::ids::UserId;
use qobe_domain::validation::required_text;
use qobe_store::{accounts, tokens};

use crate::accounts::{consent, consume_token, live_token, purpose, start_session};
use crate::{App, AppError, AppResult, ClientInfo, audit, crypto};

/// How long a printed setup link works.
pub const SETUP_VALID_HOURS: i64 = 24;

/// When no operator exists yet, issues a fresh setup link (earlier ones stop working) and
/// returns it for printing; otherwise `None`.
pub async fn setup_link(app: &App) -> AppResult<Option<String>> {
    let conn = app.store.conn();
    if accounts::operator_exists(conn).await? {
        return Ok(None);
    }
    let token = crypto::random_token();
    let now = app.now();
    let tx = app.store.begin().await?;
    // Earlier links are unusable: only the last printed one works.
    if tokens::any_live(&tx, purpose::SETUP, now).await? {
        qobe_store::tokens::revoke_unused_purpose(&tx, purpose::SETUP, now).await?;
    }
    tokens::insert(
        &tx,
        tokens::NewToken {
            institution_id: None,
            user_id: None,
            purpose: purpose::SETUP,
            token_hash: &crypto::token_hash(&token),
            payload: None,
            now,
            expires_at: now + Duration::hours(SETUP_VALID_HOURS),
        },
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(Some(app.link(&format!("/setup?token={token}"))))
}

pub async fn check_link(app: &App, token: &str) -> AppResult<()> {
    if accounts::operator_exists(app.store.conn()).await? {
        return Err(AppError::conflict("token", "Setup is already complete. Sign in instead."));
    }
    live_token(app.store.conn(), app, purpose::SETUP, token).await.map(|_| ())
}

#[derive(serde::Deserialize)]
pub struct SetupInput {
    pub token: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    pub accept_terms: bool,
}

/// Creates the platform operator and signs them in; returns the session cookie value.
pub async fn complete(app: &App, input: SetupInput, client: &ClientInfo) -> AppResult<String> {
    let tx = app.store.begin().await?;
    if accounts::operator_exists(&tx).await? {
        return Err(AppError::conflict("token", "Setup is already complete. Sign in instead."));
    }
    let row = live_token(&tx, app, purpose::SETUP, &input.token).await?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&input.name, 200));
    let email = errors.check("email", Email::parse(&input.email));
    errors.check("password", check_new_password(&input.password, email.as_ref()));
    if input.password != input.password_confirm {
        errors.add("password_confirm", "does not match the password");
    }
    if !input.accept_terms {
        errors.add("accept_terms", "You need to accept the terms of use and the privacy policy to continue.");
    }
    errors.into_result()?;
    let (Some(name), Some(email)) = (name, email) else {
        return Err(AppError::Internal("validated input missing".into()));
    };
    consume_token(&tx, app, &row).await?;
    let prefs =
        serde_json::to_string(&CommunicationPreferences::default()).map_err(|e| AppError::Internal(e.to_string()))?;
    let user = accounts::insert(
        &tx,
        accounts::NewUser {
            institution_id: None,
            email: email.as_str(),
            name: &name,
            password_hash: Some(crypto::hash_password(&input.password, app.config.argon2_memory_kib)?),
            status: AccountStatus::Active.as_str(),
            is_operator: true,
            email_verified_at: Some(app.now()),
            time_zone: "UTC",
            communication: &prefs,
            now: app.now(),
        },
    )
    .await?;
    consent::record_current(&tx, app, None, UserId(user.id), client).await?;
    let session = start_session(&tx, app, &user, false, client).await?;
    audit::record(&tx, app, client, audit::Entry::anonymous(None, "platform.operator_created", &user.email)).await?;
    qobe_store::commit(tx).await?;
    Ok(session)
}
