//! Optional TOTP two-factor sign-in (RFC 6238: SHA-1, 6 digits, 30-second steps, ±1 step).

use qobe_domain::ids::{SessionId, UserId};
use qobe_store::{accounts, sessions};
use totp_rs::{Algorithm, Secret, TOTP};

use super::login::record;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto};

/// What the person needs to add the account to an authenticator app.
pub struct Enrolment {
    /// Base32 secret for typing in by hand.
    pub secret: String,
    /// `otpauth://` URL, for authenticator apps and a QR code.
    pub otpauth_url: String,
}

/// The `otpauth://` URL as a QR code in SVG, for scanning with a phone.
pub fn qr_svg(otpauth_url: &str) -> AppResult<String> {
    let code = qrcode::QrCode::new(otpauth_url.as_bytes()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
}

fn totp(secret_base32: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|e| AppError::Internal(format!("totp secret: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).map_err(|e| AppError::Internal(e.to_string()))
}

/// True when `code` is valid at `app`'s current time.
fn code_matches(app: &App, secret_base32: &str, code: &str) -> AppResult<bool> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let now = u64::try_from(app.now().timestamp()).unwrap_or(0);
    Ok(code.len() == 6 && totp(secret_base32)?.check(&code, now))
}

/// The current code for a secret; the tests act as the person's phone with it.
pub fn current_code(app: &App, secret_base32: &str) -> AppResult<String> {
    Ok(totp(secret_base32)?.generate(u64::try_from(app.now().timestamp()).unwrap_or(0)))
}

/// Starts enrolment: stores a fresh secret, not yet enabled, and returns it for the app.
pub async fn begin(app: &App, actor: &Actor) -> AppResult<Enrolment> {
    let secret = Secret::Raw(crypto::random_bytes::<20>().to_vec()).to_encoded().to_string();
    accounts::set_totp(app.store.conn(), actor.institution_id, actor.user_id, Some(&secret), None).await?;
    let label = format!("QOBE:{}", actor.email);
    let otpauth_url = format!(
        "otpauth://totp/{}?secret={}&issuer=QOBE&algorithm=SHA1&digits=6&period=30",
        url::form_urlencoded::byte_serialize(label.as_bytes()).collect::<String>(),
        secret
    );
    Ok(Enrolment { secret, otpauth_url })
}

/// Finishes enrolment once the person proves their app produces the right code.
pub async fn confirm(app: &App, actor: &Actor, code: &str, client: &ClientInfo) -> AppResult<()> {
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    let Some(secret) = user.totp_secret.as_deref() else {
        return Err(AppError::conflict("code", "Start two-factor setup first."));
    };
    if !code_matches(app, secret, code)? {
        return Err(AppError::field(
            "code",
            "That code is not right. Check your phone's clock and try the newest code.",
        ));
    }
    accounts::set_totp(conn, actor.institution_id, actor.user_id, Some(secret), Some(app.now())).await?;
    audit::record(conn, app, client, audit::Entry::by(actor, "account.two_factor_enabled")).await
}

/// Turns two-factor sign-in off after checking the password.
pub async fn disable(app: &App, actor: &Actor, password: &str, client: &ClientInfo) -> AppResult<()> {
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    if !crypto::verify_password(password, user.password_hash.as_deref().unwrap_or_default()) {
        return Err(AppError::field("password", "Password is incorrect."));
    }
    accounts::set_totp(conn, actor.institution_id, actor.user_id, None, None).await?;
    audit::record(conn, app, client, audit::Entry::by(actor, "account.two_factor_disabled")).await
}

/// Second step of sign-in: checks the code for a session that passed the password step.
/// Wrong codes count towards the same lockout as wrong passwords.
pub async fn verify_sign_in(
    app: &App,
    session_id: SessionId,
    actor: &Actor,
    code: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    let now = app.now();
    if user.locked_until.is_some_and(|until| until > now) {
        return Err(AppError::RateLimited(
            "This account is locked after too many failed attempts. Try again later.".into(),
        ));
    }
    let secret = user.totp_secret.as_deref().filter(|_| user.totp_enabled_at.is_some()).ok_or(AppError::Forbidden)?;
    if code_matches(app, secret, code)? {
        accounts::clear_failed_logins(conn, UserId(user.id)).await?;
        sessions::complete_mfa(conn, session_id).await?;
        record(app, Some(&user), &user.email, true, "success_two_factor", client).await?;
        return Ok(());
    }
    let failures = user.failed_logins + 1;
    let lock =
        (failures >= app.config.lockout_threshold).then(|| now + chrono::Duration::minutes(app.config.lockout_minutes));
    accounts::record_failed_login(conn, UserId(user.id), if lock.is_some() { 0 } else { failures }, lock).await?;
    record(app, Some(&user), &user.email, false, "wrong_two_factor_code", client).await?;
    if lock.is_some() {
        sessions::delete(conn, session_id).await?;
        return Err(AppError::RateLimited("Too many wrong codes: the account is locked for a while.".into()));
    }
    Err(AppError::field("code", "That code is not right."))
}
