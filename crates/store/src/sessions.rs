//! Signed-in sessions, stored in the database so any app instance can serve any request.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, SessionId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::session::{ActiveModel, Column, Entity};
use crate::rows::Session;
use crate::{Conn, StoreError};

pub struct NewSession<'a> {
    pub institution_id: Option<InstitutionId>,
    pub user_id: UserId,
    pub token_hash: &'a str,
    pub csrf_token: &'a str,
    pub mfa_pending: bool,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &impl Conn, new: NewSession<'_>) -> Result<Session, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution_id.map(|id| id.0)),
        user_id: Set(new.user_id.0),
        token_hash: Set(new.token_hash.to_owned()),
        csrf_token: Set(new.csrf_token.to_owned()),
        mfa_pending: Set(new.mfa_pending),
        ip: Set(new.ip.map(str::to_owned)),
        user_agent: Set(new.user_agent.map(str::to_owned)),
        created_at: Set(new.now),
        last_seen_at: Set(new.now),
        expires_at: Set(new.expires_at),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

/// The live session whose token hashes to `token_hash`.
pub async fn by_token_hash(
    conn: &impl Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    Ok(Entity::find().filter(Column::TokenHash.eq(token_hash)).filter(Column::ExpiresAt.gt(now)).one(conn).await?)
}

/// Slides the idle expiry forward; called at most once a minute per session.
pub async fn touch(
    conn: &impl Conn,
    id: SessionId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::LastSeenAt, Expr::value(now))
        .col_expr(Column::ExpiresAt, Expr::value(expires_at))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn complete_mfa(conn: &impl Conn, id: SessionId) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::MfaPending, Expr::value(false))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

fn of_user(institution: Option<InstitutionId>, user: UserId) -> Condition {
    let tenant = match institution {
        Some(id) => Column::InstitutionId.eq(id.0),
        None => Column::InstitutionId.is_null(),
    };
    Condition::all().add(tenant).add(Column::UserId.eq(user.0))
}

/// A person's live sessions, newest first.
pub async fn list_for_user(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<Session>, StoreError> {
    Ok(Entity::find()
        .filter(of_user(institution, user))
        .filter(Column::ExpiresAt.gt(now))
        .order_by_desc(Column::LastSeenAt)
        .all(conn)
        .await?)
}

/// Ends one of a person's own sessions. Returns whether it existed.
pub async fn delete_for_user(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    user: UserId,
    id: SessionId,
) -> Result<bool, StoreError> {
    let result =
        Entity::delete_many().filter(of_user(institution, user)).filter(Column::Id.eq(id.0)).exec(conn).await?;
    Ok(result.rows_affected == 1)
}

/// Ends every session of a person, optionally keeping one (the one making the request).
pub async fn delete_all_for_user(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    user: UserId,
    except: Option<SessionId>,
) -> Result<u64, StoreError> {
    let mut delete = Entity::delete_many().filter(of_user(institution, user));
    if let Some(keep) = except {
        delete = delete.filter(Column::Id.ne(keep.0));
    }
    Ok(delete.exec(conn).await?.rows_affected)
}

/// Ends every session of an institution's people (the institution was suspended).
pub async fn delete_for_institution(conn: &impl Conn, institution: InstitutionId) -> Result<u64, StoreError> {
    Ok(Entity::delete_many().filter(Column::InstitutionId.eq(institution.0)).exec(conn).await?.rows_affected)
}

pub async fn delete(conn: &impl Conn, id: SessionId) -> Result<(), StoreError> {
    Entity::delete_by_id(id.0).exec(conn).await?;
    Ok(())
}

pub async fn delete_expired(conn: &impl Conn, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::delete_many().filter(Column::ExpiresAt.lte(now)).exec(conn).await?.rows_affected)
}
