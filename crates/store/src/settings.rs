//! Platform-wide key/value settings (the instance secret, whether public sign-up is open).

use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};

use crate::entities::platform_setting::{ActiveModel, Column, Entity};
use crate::{Conn, StoreError};

pub async fn get(conn: &impl Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(Entity::find_by_id(key.to_owned()).one(conn).await?.map(|row| row.value))
}

/// Inserts or replaces `key`.
pub async fn put(conn: &impl Conn, key: &str, value: &str) -> Result<(), StoreError> {
    let row = ActiveModel { key: Set(key.to_owned()), value: Set(value.to_owned()) };
    Entity::insert(row)
        .on_conflict(OnConflict::column(Column::Key).update_column(Column::Value).to_owned())
        .exec(conn)
        .await?;
    Ok(())
}

/// Inserts `key` only if absent and returns the value that is stored afterwards, so that
/// several app instances starting at once agree on one value.
pub async fn get_or_insert(conn: &impl Conn, key: &str, value: &str) -> Result<String, StoreError> {
    let row = ActiveModel { key: Set(key.to_owned()), value: Set(value.to_owned()) };
    Entity::insert(row)
        .on_conflict(OnConflict::column(Column::Key).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    Ok(get(conn, key).await?.unwrap_or_else(|| value.to_owned()))
}
