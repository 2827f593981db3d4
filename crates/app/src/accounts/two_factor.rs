//! Optional TOTP two-factor sign-in (RFC 6238: SHA-1, 6 digits, 30-second steps, ±1 step),
//! each code accepted once.

use qobe_domain::FieldErrors;
use qobe_domain::ids::{InstitutionId, SessionId, UserId};
use qobe_store::rows::User;
use qobe_store::{accounts, sessions};
use totp_rs::{Algorithm, Secret, TOTP};

use super::login::record;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto, throttle};

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

/// The 30-second step of a valid code for `secret` now (one step of clock drift either way),
/// newest first when two match.
fn matching_step(app: &App, secret_base32: &str, code: &str) -> AppResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret_base32)?;
    let now = app.now().timestamp();
    let current = now.div_euclid(STEP_SECONDS);
    for step in [current + 1, current, current - 1] {
        let at = u64::try_from(step * STEP_SECONDS).unwrap_or(0);
        if crypto::constant_time_eq(&totp.generate(at), &code) {
            return Ok(Some(step));
        }
    }
    Ok(None)
}

const STEP_SECONDS: i64 = 30;

const WRONG_CODE: &str = "That code is not right. Check your phone's clock and try the newest code.";
const USED_CODE: &str = "That code has been used already. Wait for the next one.";

/// Accepts a code for the secret in use once: a code of a step already used (or older) is
/// refused, also when two requests race with it.
async fn use_code(app: &App, user: &User, code: &str) -> AppResult<Result<(), &'static str>> {
    let Some(secret) = user.totp_secret.as_deref().filter(|_| user.totp_enabled_at.is_some()) else {
        return Ok(Err(WRONG_CODE));
    };
    let Some(step) = matching_step(app, secret, code)? else { return Ok(Err(WRONG_CODE)) };
    let institution = user.institution_id.map(InstitutionId);
    if accounts::use_totp_step(app.store.conn(), institution, UserId(user.id), step).await? {
        Ok(Ok(()))
    } else {
        Ok(Err(USED_CODE))
    }
}

/// The current code for a secret; the tests act as the person's phone with it.
pub fn current_code(app: &App, secret_base32: &str) -> AppResult<String> {
    Ok(totp(secret_base32)?.generate(u64::try_from(app.now().timestamp()).unwrap_or(0)))
}

fn enrolment(actor: &Actor, secret: String) -> Enrolment {
    let label = format!("QOBE:{}", actor.email);
    let otpauth_url = format!(
        "otpauth://totp/{}?secret={}&issuer=QOBE&algorithm=SHA1&digits=6&period=30",
        url::form_urlencoded::byte_serialize(label.as_bytes()).collect::<String>(),
        secret
    );
    Enrolment { secret, otpauth_url }
}

/// Checks who is asking before two-factor is set up again or switched off: the password always,
/// and the current code when two-factor is on, so a session left open (or stolen) is not enough.
async fn confirm_identity(app: &App, user: &User, password: &str, code: &str) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    if !super::recheck_password(app, user, password).await? {
        errors.add("password", "is incorrect");
    } else if user.totp_enabled_at.is_some()
        && let Err(message) = use_code(app, user, code).await?
    {
        errors.add("current_code", message);
    }
    errors.into_result().map_err(AppError::from)
}

/// Starts enrolment after checking the password (and the current code, when two-factor is
/// already on): a fresh secret is kept aside until confirmed, and the one in use stays.
/// A code from the authenticator app.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CodeInput {
    pub code: String,
}

/// The password, and the current code when two-factor sign-in is on: who may change it.
#[derive(Default, serde::Deserialize)]
pub struct IdentityInput {
    pub password: String,
    pub current_code: String,
}

pub async fn begin(app: &App, actor: &Actor, input: &IdentityInput, client: &ClientInfo) -> AppResult<Enrolment> {
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    confirm_identity(app, &user, &input.password, &input.current_code).await?;
    let secret = Secret::Raw(crypto::random_bytes::<20>().to_vec()).to_encoded().to_string();
    let tx = app.store.begin().await?;
    accounts::set_totp_pending(&tx, actor.institution_id, actor.user_id, Some(&secret)).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.two_factor_setup_started")).await?;
    qobe_store::commit(tx).await?;
    Ok(enrolment(actor, secret))
}

/// The enrolment under way (started, not yet confirmed), to show again after a wrong code.
pub async fn pending(app: &App, actor: &Actor) -> AppResult<Option<Enrolment>> {
    let user = crate::accounts::own_account(app.store.conn(), actor).await?;
    Ok(user.totp_pending_secret.map(|secret| enrolment(actor, secret)))
}

/// Finishes enrolment once the person proves their app produces the right code; the new secret
/// replaces any earlier one.
pub async fn confirm(app: &App, actor: &Actor, input: &CodeInput, client: &ClientInfo) -> AppResult<()> {
    let code = input.code.as_str();
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    let Some(secret) = user.totp_pending_secret.as_deref() else {
        return Err(AppError::conflict("code", "Start two-factor setup first."));
    };
    let Some(step) = matching_step(app, secret, code)? else { return Err(AppError::field("code", WRONG_CODE)) };
    let action =
        if user.totp_enabled_at.is_some() { "account.two_factor_reenrolled" } else { "account.two_factor_enabled" };
    let tx = app.store.begin().await?;
    accounts::enable_totp(&tx, actor.institution_id, actor.user_id, secret, app.now(), step).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, action)).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Turns two-factor sign-in off after checking the password and the current code.
pub async fn disable(app: &App, actor: &Actor, input: &IdentityInput, client: &ClientInfo) -> AppResult<()> {
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    if user.totp_enabled_at.is_none() {
        return Err(AppError::conflict("password", "Two-factor sign-in is not on."));
    }
    confirm_identity(app, &user, &input.password, &input.current_code).await?;
    let tx = app.store.begin().await?;
    accounts::disable_totp(&tx, actor.institution_id, actor.user_id).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.two_factor_disabled")).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Second step of sign-in: checks the code for a session that passed the password step. Wrong
/// codes count towards the same limit as wrong passwords (per address and network); when it is
/// reached the half-signed-in session ends.
pub async fn verify_sign_in(
    app: &App,
    session_id: SessionId,
    actor: &Actor,
    input: &CodeInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let code = input.code.as_str();
    let conn = app.store.conn();
    let user = crate::accounts::own_account(conn, actor).await?;
    let key = throttle::sign_in_key(&user.email, client.ip());
    let wait = |minutes| format!("Too many wrong codes. Sign in again {}.", throttle::in_minutes(minutes));
    if let Err(err) = throttle::SIGN_IN.check(app, &key, wait).await {
        sessions::delete(conn, session_id).await?;
        return Err(err);
    }
    match use_code(app, &user, code).await? {
        Ok(()) => {
            throttle::SIGN_IN.clear(conn, &key).await?;
            sessions::complete_mfa(conn, session_id).await?;
            record(app, Some(&user), &user.email, true, "success_two_factor", client).await?;
            Ok(())
        }
        Err(message) => {
            throttle::SIGN_IN.record(conn, app, &key).await?;
            record(app, Some(&user), &user.email, false, "wrong_two_factor_code", client).await?;
            if let Err(err) = throttle::SIGN_IN.check(app, &key, wait).await {
                sessions::delete(conn, session_id).await?;
                return Err(err);
            }
            Err(AppError::field("code", message))
        }
    }
}
