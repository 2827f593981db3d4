//! Single-use, expiring tokens sent by email (invitation, password reset, email verification,
//! change of email) and the operator setup link. Only their SHA-256 hashes are stored.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entities::one_time_token::{ActiveModel, Column, Entity};
use crate::rows::OneTimeToken;
use crate::{Conn, StoreError};

pub struct NewToken<'a> {
    pub institution_id: Option<InstitutionId>,
    pub user_id: Option<UserId>,
    pub purpose: &'a str,
    pub token_hash: &'a str,
    pub payload: Option<&'a str>,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &impl Conn, new: NewToken<'_>) -> Result<OneTimeToken, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution_id.map(|id| id.0)),
        user_id: Set(new.user_id.map(|id| id.0)),
        purpose: Set(new.purpose.to_owned()),
        token_hash: Set(new.token_hash.to_owned()),
        payload: Set(new.payload.map(str::to_owned)),
        created_at: Set(new.now),
        expires_at: Set(new.expires_at),
        used_at: Set(None),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

/// The token with this hash and purpose, used or not, expired or not: the caller tells the
/// person which of those it is.
pub async fn find(conn: &impl Conn, purpose: &str, token_hash: &str) -> Result<Option<OneTimeToken>, StoreError> {
    Ok(Entity::find().filter(Column::Purpose.eq(purpose)).filter(Column::TokenHash.eq(token_hash)).one(conn).await?)
}

/// Marks a token used. Only one caller can win: the update requires it to be still unused.
pub async fn consume(conn: &impl Conn, token: &OneTimeToken, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::Id.eq(token.id))
        .filter(Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Makes earlier unused tokens of the same purpose for the same person unusable, so only the
/// newest email's link works.
pub async fn revoke_unused(
    conn: &impl Conn,
    user: UserId,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::UserId.eq(user.0))
        .filter(Column::Purpose.eq(purpose))
        .filter(Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether any unused, unexpired token of `purpose` exists (the operator setup link).
pub async fn any_live(conn: &impl Conn, purpose: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(Entity::find()
        .filter(Column::Purpose.eq(purpose))
        .filter(Column::UsedAt.is_null())
        .filter(Column::ExpiresAt.gt(now))
        .one(conn)
        .await?
        .is_some())
}

/// Makes every unused token of `purpose` unusable (a newer setup link replaces older ones).
pub async fn revoke_unused_purpose(conn: &impl Conn, purpose: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(now))
        .filter(Column::Purpose.eq(purpose))
        .filter(Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes tokens that expired before `before` (used or not): a link that can no longer work
/// need not be kept.
pub async fn delete_expired(conn: &impl Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::delete_many().filter(Column::ExpiresAt.lt(before)).exec(conn).await?.rows_affected)
}
