//! Personal API tokens for the JSON API; only their hashes are stored.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{ApiTokenId, InstitutionId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::api_token::{ActiveModel, Column, Entity};
use crate::rows::ApiToken;
use crate::{Conn, StoreError};

pub struct NewApiToken<'a> {
    pub institution_id: InstitutionId,
    pub user_id: UserId,
    pub name: &'a str,
    pub prefix: &'a str,
    pub token_hash: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn insert(conn: &impl Conn, new: NewApiToken<'_>) -> Result<ApiToken, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution_id.0),
        user_id: Set(new.user_id.0),
        name: Set(new.name.to_owned()),
        prefix: Set(new.prefix.to_owned()),
        token_hash: Set(new.token_hash.to_owned()),
        created_at: Set(new.now),
        last_used_at: Set(None),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

/// The usable token with this hash: not revoked, not expired.
pub async fn live_by_hash(
    conn: &impl Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<ApiToken>, StoreError> {
    let token =
        Entity::find().filter(Column::TokenHash.eq(token_hash)).filter(Column::RevokedAt.is_null()).one(conn).await?;
    Ok(token.filter(|t| t.expires_at.is_none_or(|at| at > now)))
}

pub async fn touch(conn: &impl Conn, id: ApiTokenId, now: DateTime<Utc>) -> Result<(), StoreError> {
    Entity::update_many().col_expr(Column::LastUsedAt, Expr::value(now)).filter(Column::Id.eq(id.0)).exec(conn).await?;
    Ok(())
}

pub async fn for_user(conn: &impl Conn, institution: InstitutionId, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
    Ok(Entity::find()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::UserId.eq(user.0))
        .order_by_desc(Column::Id)
        .all(conn)
        .await?)
}

pub async fn revoke(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    id: ApiTokenId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::UserId.eq(user.0))
        .filter(Column::Id.eq(id.0))
        .filter(Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every live token of a person (deactivated), or of every person of an institution
/// (suspended). A revoked token stays revoked: reactivation gives nothing back.
pub async fn revoke_all(
    conn: &impl Conn,
    institution: InstitutionId,
    user: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut update = Entity::update_many()
        .col_expr(Column::RevokedAt, Expr::value(now))
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::RevokedAt.is_null());
    if let Some(user) = user {
        update = update.filter(Column::UserId.eq(user.0));
    }
    Ok(update.exec(conn).await?.rows_affected)
}
