//! Signing in with email and password, with lockout and per-address rate limiting.

use chrono::Duration;
use qobe_domain::accounts::{AccountStatus, Email};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::{accounts, logs, rows::User, tenancy};

use super::{institution_of, start_session};
use crate::{App, AppError, AppResult, ClientInfo, crypto};

pub struct LoginInput {
    pub email: String,
    pub password: String,
    /// Chosen when one email has accounts in several institutions.
    pub institution: Option<String>,
}

pub enum LoginOutcome {
    /// Signed in; the value is the new session cookie. `two_factor_pending` asks for a code next.
    SignedIn { session_token: String, two_factor_pending: bool },
    /// The same email and password open accounts in several institutions: pick one.
    ChooseInstitution(Vec<(String, String)>),
}

const WRONG: &str = "Email or password is incorrect.";

pub async fn login(app: &App, input: LoginInput, client: &ClientInfo) -> AppResult<LoginOutcome> {
    let now = app.now();
    let conn = app.store.conn();
    if let Some(ip) = client.ip() {
        let since = now - Duration::minutes(app.config.ip_window_minutes);
        if logs::failures_from_ip(conn, ip, since).await? >= app.config.ip_failure_limit {
            return Err(AppError::RateLimited(
                "Too many failed sign-ins from your network. Wait a few minutes and try again.".into(),
            ));
        }
    }
    let email = Email::parse(&input.email).map_err(|message| AppError::field("email", message))?;
    let mut candidates = accounts::all_by_email(conn, email.as_str()).await?;
    if let Some(slug) = input.institution.as_deref().filter(|s| !s.is_empty()) {
        let chosen = tenancy::by_slug(conn, slug).await?.map(|i| i.id);
        candidates.retain(|u| u.institution_id == chosen);
    }
    candidates.retain(|u| AccountStatus::parse(&u.status) == Some(AccountStatus::Active) && u.password_hash.is_some());

    if candidates.is_empty() {
        // Same work as a real check, so timing does not reveal whether the email exists.
        crypto::verify_password(&input.password, &crypto::dummy_hash(app.config.argon2_memory_kib));
        record(app, None, email.as_str(), false, "unknown_account", client).await?;
        return Err(AppError::field("password", WRONG));
    }

    let mut matched: Vec<User> = Vec::new();
    let mut locked_until = None;
    for user in &candidates {
        if let Some(until) = user.locked_until.filter(|until| *until > now) {
            locked_until = Some(until);
            record(app, Some(user), email.as_str(), false, "locked", client).await?;
            continue;
        }
        let hash = user.password_hash.as_deref().unwrap_or_default();
        if crypto::verify_password(&input.password, hash) {
            matched.push(user.clone());
        } else {
            let failures = user.failed_logins + 1;
            let lock =
                (failures >= app.config.lockout_threshold).then(|| now + Duration::minutes(app.config.lockout_minutes));
            accounts::record_failed_login(conn, UserId(user.id), if lock.is_some() { 0 } else { failures }, lock)
                .await?;
            record(
                app,
                Some(user),
                email.as_str(),
                false,
                if lock.is_some() { "locked_now" } else { "wrong_password" },
                client,
            )
            .await?;
            if lock.is_some() {
                locked_until = lock;
            }
        }
    }

    match matched.len() {
        0 => match locked_until {
            Some(until) => Err(AppError::RateLimited(format!(
                "This account is locked after too many failed sign-ins. Try again in {} minutes, or reset your password.",
                (until - now).num_minutes().max(1)
            ))),
            None => Err(AppError::field("password", WRONG)),
        },
        1 => {
            let user = &matched[0];
            if let Some(id) = user.institution_id {
                let institution = tenancy::get(conn, InstitutionId(id)).await?;
                if !institution.is_some_and(|i| i.active) {
                    return Err(AppError::field("email", "This institution's account is suspended."));
                }
            }
            accounts::clear_failed_logins(conn, UserId(user.id)).await?;
            let two_factor_pending = user.totp_enabled_at.is_some();
            let session_token = start_session(conn, app, user, two_factor_pending, client).await?;
            let outcome = if two_factor_pending { "password_ok_awaiting_code" } else { "success" };
            record(app, Some(user), email.as_str(), !two_factor_pending, outcome, client).await?;
            Ok(LoginOutcome::SignedIn { session_token, two_factor_pending })
        }
        _ => {
            let mut choices = Vec::new();
            for user in &matched {
                if let Some(institution) = institution_of(user) {
                    if let Some(inst) = tenancy::get(conn, institution).await? {
                        choices.push((inst.slug, inst.name));
                    }
                } else {
                    choices.push((String::new(), "Platform administration".to_owned()));
                }
            }
            Ok(LoginOutcome::ChooseInstitution(choices))
        }
    }
}

/// Adds a line to the login history.
pub(crate) async fn record(
    app: &App,
    user: Option<&User>,
    email: &str,
    success: bool,
    outcome: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    let device = client.device();
    logs::insert_login(
        app.store.conn(),
        logs::NewLoginEvent {
            institution_id: user.and_then(institution_of),
            user_id: user.map(|u| UserId(u.id)),
            email,
            success,
            outcome,
            ip: client.ip(),
            user_agent: client.user_agent().map(|ua| crate::clip(ua, 500)),
            browser: &device.browser,
            os: &device.os,
            device: &device.device,
            now: app.now(),
        },
    )
    .await?;
    Ok(())
}
