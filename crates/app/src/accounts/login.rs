//! Signing in with email and password, throttled per address and network and per network.

use chrono::Duration;
use qobe_domain::accounts::{AccountStatus, Email};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::{accounts, logs, rows::User, tenancy};

use super::{institution_of, start_session};
use crate::{App, AppError, AppResult, ClientInfo, crypto, throttle};

/// What the sign-in form sends (never logged: it holds the password).
#[derive(serde::Deserialize)]
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

/// What a throttled address and network is told: the same whether or not the account exists.
fn throttled(minutes: i64) -> String {
    format!(
        "Too many failed sign-ins for this address from your network. Try again {}, or reset your password.",
        throttle::in_minutes(minutes)
    )
}

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
    // Checked before the address is looked up, so a known and an unknown address answer alike.
    let key = throttle::sign_in_key(email.as_str(), client.ip());
    if let Err(err) = throttle::SIGN_IN.check(app, &key, throttled).await {
        record(app, None, email.as_str(), false, "throttled", client).await?;
        return Err(err);
    }
    let mut candidates = accounts::all_by_email(conn, email.as_str()).await?;
    if let Some(slug) = input.institution.as_deref().filter(|s| !s.is_empty()) {
        let chosen = tenancy::by_slug(conn, slug).await?.map(|i| i.id);
        candidates.retain(|u| u.institution_id == chosen);
    }
    candidates.retain(|u| AccountStatus::parse(&u.status) == Some(AccountStatus::Active) && u.password_hash.is_some());

    if candidates.is_empty() {
        // Same work as a real check, so timing does not reveal whether the email exists.
        crypto::verify_password(&input.password, crypto::dummy_hash(app.config.argon2_memory_kib));
        throttle::SIGN_IN.record(conn, app, &key).await?;
        record(app, None, email.as_str(), false, "unknown_account", client).await?;
        return Err(AppError::field("password", WRONG));
    }

    let mut matched: Vec<User> = Vec::new();
    for user in &candidates {
        let hash = user.password_hash.as_deref().unwrap_or_default();
        if crypto::verify_password(&input.password, hash) {
            matched.push(user.clone());
        } else {
            record(app, Some(user), email.as_str(), false, "wrong_password", client).await?;
        }
    }

    match matched.len() {
        0 => {
            throttle::SIGN_IN.record(conn, app, &key).await?;
            Err(AppError::field("password", WRONG))
        }
        1 => {
            let user = &matched[0];
            if let Some(id) = user.institution_id {
                let institution = tenancy::get(conn, InstitutionId(id)).await?;
                if !institution.is_some_and(|i| i.active) {
                    return Err(AppError::field("email", "This institution's account is suspended."));
                }
            }
            let two_factor_pending = user.totp_enabled_at.is_some();
            if !two_factor_pending {
                throttle::SIGN_IN.clear(conn, &key).await?;
            }
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
