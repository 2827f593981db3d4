//! Attempts counted per key, for rate limits that hold across every app instance: failed
//! sign-ins per address and network, password re-checks per account, reset and sign-up requests.
//! Keys arrive hashed, so the table keeps no email address or IP.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::attempt::{ActiveModel, Column, Entity};
use crate::{Conn, StoreError};

pub async fn record(conn: &impl Conn, kind: &str, key_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let row = ActiveModel {
        kind: Set(kind.to_owned()),
        key_hash: Set(key_hash.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Entity::insert(row).exec(conn).await?;
    Ok(())
}

/// When the attempts of `kind` and key since `since` were made, oldest first, at most `limit`
/// of the newest.
pub async fn times_since(
    conn: &impl Conn,
    kind: &str,
    key_hash: &str,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let mut times: Vec<DateTime<Utc>> = Entity::find()
        .select_only()
        .column(Column::CreatedAt)
        .filter(Column::Kind.eq(kind))
        .filter(Column::KeyHash.eq(key_hash))
        .filter(Column::CreatedAt.gt(since))
        .order_by_desc(Column::CreatedAt)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    times.reverse();
    Ok(times)
}

/// Forgets the attempts of `kind` and key (after a success).
pub async fn clear(conn: &impl Conn, kind: &str, key_hash: &str) -> Result<(), StoreError> {
    Entity::delete_many().filter(Column::Kind.eq(kind)).filter(Column::KeyHash.eq(key_hash)).exec(conn).await?;
    Ok(())
}

/// Removes attempts older than any limit looks back.
pub async fn prune(conn: &impl Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::delete_many().filter(Column::CreatedAt.lt(before)).exec(conn).await?.rows_affected)
}
