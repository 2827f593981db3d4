//! Personal API tokens: created by a person for scripts, shown once, stored hashed.

use chrono::Duration;
use qobe_domain::accounts::AccountStatus;
use qobe_domain::entered::Entered;
use qobe_domain::ids::{ApiTokenId, InstitutionId, UserId};
use qobe_domain::validation::required_text;
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::ApiToken;
use qobe_store::{accounts, api_tokens};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, crypto};

/// Prefix that makes leaked tokens easy to recognise in code and logs scanners.
pub const TOKEN_PREFIX: &str = "qobe_";

/// Creates a token; the returned plain value is shown once and never again.
/// A new API token: a name to know it by, and how many days it works (none: until revoked).
#[derive(Debug, Default, serde::Deserialize)]
pub struct TokenInput {
    pub name: String,
    pub valid_days: Option<Entered<i64>>,
}

pub async fn create(
    app: &App,
    actor: &Actor,
    input: &TokenInput,
    client: &ClientInfo,
) -> AppResult<(ApiToken, String)> {
    let institution = actor.institution()?;
    let name = required_text(&input.name, 100).map_err(|m| AppError::field("name", m))?;
    let valid_days = match input.valid_days.as_ref().map(Entered::text) {
        None => None,
        Some(days) => match days.trim().parse::<i64>() {
            Ok(days) if (1..=730).contains(&days) => Some(days),
            _ => return Err(AppError::field("valid_days", "must be between 1 and 730 days")),
        },
    };
    let secret = format!("{TOKEN_PREFIX}{}", crypto::random_token());
    let now = app.now();
    let tx = app.store.begin().await?;
    let row = api_tokens::insert(
        &tx,
        api_tokens::NewApiToken {
            institution_id: institution,
            user_id: actor.user_id,
            name: &name,
            prefix: &secret[..12],
            token_hash: &crypto::token_hash(&secret),
            now,
            expires_at: valid_days.map(|d| now + Duration::days(d)),
        },
    )
    .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "account.api_token_created")
            .details(serde_json::json!({ "token": row.id, "name": name })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok((row, secret))
}

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<ApiToken>> {
    Ok(api_tokens::for_user(app.store.conn(), actor.institution()?, actor.user_id).await?)
}

pub async fn revoke(app: &App, actor: &Actor, id: ApiTokenId, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    if !api_tokens::revoke(&tx, institution, actor.user_id, id, app.now()).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "account.api_token_revoked").details(serde_json::json!({ "token": id.0 })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// The actor behind a bearer token, if the token is live and its account active.
pub async fn authenticate(app: &App, bearer: &str) -> AppResult<Actor> {
    let conn = app.store.conn();
    let now = app.now();
    let token = api_tokens::live_by_hash(conn, &crypto::token_hash(bearer.trim()), now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let user = accounts::get(conn, Some(InstitutionId(token.institution_id)), UserId(token.user_id))
        .await?
        .filter(|u| u.status == AccountStatus::Active.as_str())
        .ok_or(AppError::Unauthenticated)?;

    if token.last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
        api_tokens::touch(conn, ApiTokenId(token.id), now).await?;
    }
    super::sessions::load_actor(app, &user, None).await?.ok_or(AppError::Unauthenticated)
}
