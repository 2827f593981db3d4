//! Accounts: signing in and out, sessions, invitations, passwords, email addresses, profile,
//! two-factor sign-in, consents and personal API tokens.

pub mod account;
pub mod api_tokens;
pub mod avatar;
pub mod consent;
pub mod email;
pub mod invitations;
pub mod login;
pub mod passwords;
pub mod profile;
pub mod sessions;
pub mod two_factor;

use chrono::Duration;
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::{Conn, rows::User, sessions as session_rows, tokens};

use crate::{App, AppError, AppResult, ClientInfo, crypto, throttle};

pub use account::Account;

/// One email address typed into a form: whose password to reset, whom to assign to an offering.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EmailInput {
    pub email: String,
}
pub use sessions::SessionState;

/// What kind of emailed link a one-time token is.
pub mod purpose {
    pub const SETUP: &str = "setup";
    pub const INVITE: &str = "invite";
    pub const RESET: &str = "reset";
    pub const VERIFY_EMAIL: &str = "verify_email";
    pub const CHANGE_EMAIL: &str = "change_email";
}

/// The actor's own account row.
pub async fn own_account(conn: &impl Conn, actor: &crate::Actor) -> AppResult<User> {
    qobe_store::accounts::get(conn, actor.institution_id, actor.user_id).await?.ok_or(AppError::NotFound)
}

/// Checks the signed-in person's password before a sensitive change (password, email,
/// two-factor): wrong tries count towards a limit per account, as sign-in attempts do, so a
/// stolen session cannot be used to guess the password. `Ok(false)` is a wrong password.
pub(crate) async fn recheck_password(app: &App, user: &User, password: &str) -> AppResult<bool> {
    let key = format!("user:{}", user.id);
    throttle::PASSWORD_RECHECK
        .check(app, &key, |minutes| format!("Too many wrong passwords. Try again {}.", throttle::in_minutes(minutes)))
        .await?;
    let conn = app.store.conn();
    if crypto::verify_password(password, user.password_hash.as_deref().unwrap_or_default()) {
        throttle::PASSWORD_RECHECK.clear(conn, &key).await?;
        Ok(true)
    } else {
        throttle::PASSWORD_RECHECK.record(conn, app, &key).await?;
        Ok(false)
    }
}

pub fn institution_of(user: &User) -> Option<InstitutionId> {
    user.institution_id.map(InstitutionId)
}

/// Creates a session for `user` and returns the cookie value (only its hash is stored).
pub(crate) async fn start_session(
    conn: &impl Conn,
    app: &App,
    user: &User,
    mfa_pending: bool,
    client: &ClientInfo,
) -> AppResult<String> {
    let token = crypto::random_token();
    let now = app.now();
    session_rows::insert(
        conn,
        session_rows::NewSession {
            institution_id: institution_of(user),
            user_id: UserId(user.id),
            token_hash: &crypto::token_hash(&token),
            csrf_token: &crypto::random_token(),
            mfa_pending,
            ip: client.ip(),
            user_agent: client.user_agent().map(|ua| crate::clip(ua, 500)),
            now,
            expires_at: now + Duration::hours(app.config.session_idle_hours),
        },
    )
    .await?;
    Ok(token)
}

/// Issues a one-time token for an emailed link and returns the plain token for the link.
pub(crate) async fn issue_token(
    conn: &impl Conn,
    app: &App,
    user: &User,
    purpose: &str,
    payload: Option<&str>,
    valid_for: Duration,
) -> AppResult<String> {
    let now = app.now();
    tokens::revoke_unused(conn, UserId(user.id), purpose, now).await?;
    let token = crypto::random_token();
    tokens::insert(
        conn,
        tokens::NewToken {
            institution_id: institution_of(user),
            user_id: Some(UserId(user.id)),
            purpose,
            token_hash: &crypto::token_hash(&token),
            payload,
            now,
            expires_at: now + valid_for,
        },
    )
    .await?;
    Ok(token)
}

/// Finds a usable token, telling apart unknown, used and expired links.
pub(crate) async fn live_token(
    conn: &impl Conn,
    app: &App,
    purpose: &str,
    token: &str,
) -> AppResult<qobe_store::rows::OneTimeToken> {
    let Some(row) = tokens::find(conn, purpose, &crypto::token_hash(token.trim())).await? else {
        return Err(AppError::conflict("token", "This link is not valid. Ask for a new one."));
    };
    if row.used_at.is_some() {
        return Err(AppError::conflict("token", "This link has already been used. Ask for a new one."));
    }
    if row.expires_at <= app.now() {
        return Err(AppError::conflict("token", "This link has expired. Ask for a new one."));
    }
    Ok(row)
}

/// Marks a token used; losing a race to another request is reported as already used.
pub(crate) async fn consume_token(conn: &impl Conn, app: &App, row: &qobe_store::rows::OneTimeToken) -> AppResult<()> {
    if tokens::consume(conn, row, app.now()).await? {
        Ok(())
    } else {
        Err(AppError::conflict("token", "This link has already been used. Ask for a new one."))
    }
}

/// The user a token belongs to.
pub(crate) async fn token_user(conn: &impl Conn, row: &qobe_store::rows::OneTimeToken) -> AppResult<User> {
    let user_id = row.user_id.ok_or(AppError::NotFound)?;
    qobe_store::accounts::get(conn, row.institution_id.map(InstitutionId), UserId(user_id))
        .await?
        .ok_or(AppError::NotFound)
}
