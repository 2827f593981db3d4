//! Resolving a session cookie to an [`Actor`], signing out, and the list of one's own sessions.

use chrono::Duration;
use qobe_domain::accounts::AccountStatus;
use qobe_domain::ids::{InstitutionId, SessionId, UserId};
use qobe_domain::roles::{Role, Scope};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::Session;
use qobe_store::{accounts, consents, roles, rows::User, sessions, tenancy};

use crate::legal::{PRIVACY_VERSION, TERMS_VERSION};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto};

/// A resolved browser session.
#[derive(Debug, Clone)]
pub struct SessionState {
    pub actor: Actor,
    pub csrf_token: String,
    /// Password accepted, two-factor code still to come: only the code page is open.
    pub two_factor_pending: bool,
}

/// Looks up the session for a cookie value; `None` when absent, expired or the account is
/// no longer active. Slides the idle expiry at most once a minute.
pub async fn resolve(app: &App, cookie: &str) -> AppResult<Option<SessionState>> {
    let now = app.now();
    let conn = app.store.conn();
    let Some(session) = sessions::by_token_hash(conn, &crypto::token_hash(cookie), now).await? else {
        return Ok(None);
    };
    let institution = session.institution_id.map(InstitutionId);
    let Some(user) = accounts::get(conn, institution, UserId(session.user_id)).await? else {
        return Ok(None);
    };
    let actor = match AccountStatus::parse(&user.status) {
        Some(AccountStatus::Active) => load_actor(app, &user, Some(SessionId(session.id))).await?,
        _ => None,
    };
    let Some(actor) = actor else {
        // Deactivated, or the institution suspended: the session ends for good.
        sessions::delete(conn, SessionId(session.id)).await?;
        return Ok(None);
    };
    if now - session.last_seen_at > Duration::seconds(60) {
        sessions::touch(conn, SessionId(session.id), now, now + Duration::hours(app.config.session_idle_hours)).await?;
    }
    Ok(Some(SessionState { actor, csrf_token: session.csrf_token, two_factor_pending: session.mfa_pending }))
}

/// The actor a background job acts as: the active account `user` of `institution`, with the
/// grants it has now (not when the job was asked for).
pub(crate) async fn actor_of(app: &App, institution: InstitutionId, user: UserId) -> AppResult<Actor> {
    let row = qobe_store::accounts::get(app.store.conn(), Some(institution), user).await?.ok_or(AppError::NotFound)?;
    if row.status != qobe_domain::accounts::AccountStatus::Active.as_str() {
        return Err(AppError::Forbidden);
    }
    load_actor(app, &row, None).await?.ok_or(AppError::Forbidden)
}

/// Builds the actor for an active account: grants, 2FA obligation and consent state; `None`
/// when the account's institution is suspended.
pub(crate) async fn load_actor(app: &App, user: &User, session_id: Option<SessionId>) -> AppResult<Option<Actor>> {
    let conn = app.store.conn();
    let institution = user.institution_id.map(InstitutionId);
    let mut grants = Vec::new();
    let mut require_staff_2fa = false;
    if let Some(institution) = institution {
        for grant in roles::for_user(conn, institution, UserId(user.id)).await? {
            let scope_id = (grant.scope_kind != "institution").then_some(grant.scope_id);
            if let (Ok(role), Ok(scope)) = (Role::parse(&grant.role), Scope::from_parts(&grant.scope_kind, scope_id)) {
                grants.push((role, scope));
            }
        }
        match tenancy::get(conn, institution).await? {
            Some(row) if row.active => require_staff_2fa = row.require_staff_2fa,
            _ => return Ok(None),
        }
    }
    let history = consents::for_user(conn, institution, UserId(user.id)).await?;
    let agreed = |kind: &str, version: &str| {
        history.iter().find(|c| c.kind == kind).is_some_and(|c| c.granted && c.version == version)
    };
    let needs_consent = !(agreed("terms", TERMS_VERSION) && agreed("privacy", PRIVACY_VERSION));
    let is_staff = grants.iter().any(|(role, _)| role.is_staff());
    Ok(Some(Actor {
        user_id: UserId(user.id),
        institution_id: institution,
        email: user.email.clone(),
        name: user.name.clone(),
        is_operator: user.is_operator,
        needs_two_factor_setup: require_staff_2fa && is_staff && user.totp_enabled_at.is_none(),
        needs_consent,
        grants,
        session_id,
        time_zone: user.time_zone.clone(),
        language: user.language.clone(),
    }))
}

/// Ends the session behind `cookie`.
pub async fn logout(app: &App, actor: &Actor, client: &ClientInfo) -> AppResult<()> {
    let tx = app.store.begin().await?;
    if let Some(id) = actor.session_id {
        sessions::delete(&tx, id).await?;
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.logout")).await?;
    Ok(qobe_store::commit(tx).await?)
}

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<Session>> {
    Ok(sessions::list_for_user(app.store.conn(), actor.institution_id, actor.user_id, app.now()).await?)
}

/// Ends one of the actor's own sessions (another device). Someone else's id is "not found".
pub async fn revoke(app: &App, actor: &Actor, id: SessionId, client: &ClientInfo) -> AppResult<()> {
    let tx = app.store.begin().await?;
    if !sessions::delete_for_user(&tx, actor.institution_id, actor.user_id, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "account.session_revoked").details(serde_json::json!({ "session": id.0 })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Ends all of the actor's other sessions.
pub async fn revoke_others(app: &App, actor: &Actor, client: &ClientInfo) -> AppResult<u64> {
    let tx = app.store.begin().await?;
    let ended = sessions::delete_all_for_user(&tx, actor.institution_id, actor.user_id, actor.session_id).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "account.sessions_revoked").details(serde_json::json!({ "count": ended })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(ended)
}
