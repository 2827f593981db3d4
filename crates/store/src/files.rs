//! The `files` records: what each stored file is, whose, how big, its checksum and where its
//! bytes are in the file store. The bytes themselves are not here (except `pending` bytes moved
//! from the old tables, until the settle job has put them in the file store).

use chrono::{DateTime, Utc};
use qobe_domain::ids::{FileId, InstitutionId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};

use crate::entities::file::{ActiveModel, Column, Entity};
use crate::{Conn, StoreError};

pub use crate::entities::file::Model as StoredFile;

pub struct NewFile<'a> {
    pub institution: Option<InstitutionId>,
    pub owner: Option<UserId>,
    pub kind: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
}

pub async fn insert(conn: &impl Conn, new: NewFile<'_>, now: DateTime<Utc>) -> Result<FileId, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution.map(|i| i.0)),
        owner_id: Set(new.owner.map(|o| o.0)),
        kind: Set(new.kind.to_owned()),
        name: Set(new.name.to_owned()),
        content_type: Set(new.content_type.to_owned()),
        size: Set(new.size),
        sha256: Set(new.sha256.to_owned()),
        storage_key: Set(new.storage_key.to_owned()),
        pending: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(FileId(Entity::insert(row).exec_with_returning(conn).await?.id))
}

fn in_institution(institution: Option<InstitutionId>) -> sea_orm::Condition {
    match institution {
        Some(id) => sea_orm::Condition::all().add(Column::InstitutionId.eq(id.0)),
        None => sea_orm::Condition::all().add(Column::InstitutionId.is_null()),
    }
}

/// A file of the institution (or, for `None`, of no institution).
pub async fn get(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: FileId,
) -> Result<Option<StoredFile>, StoreError> {
    Ok(Entity::find_by_id(id.0).filter(in_institution(institution)).one(conn).await?)
}

/// Deletes the record; returns the storage key of the bytes to delete once this commits.
pub async fn delete(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: FileId,
) -> Result<Option<String>, StoreError> {
    let Some(file) = get(conn, institution, id).await? else { return Ok(None) };
    Entity::delete_by_id(file.id).exec(conn).await?;
    Ok(Some(file.storage_key))
}

/// Files whose bytes still wait in `pending` (every institution), oldest first.
pub async fn pending(conn: &impl Conn, limit: u64) -> Result<Vec<StoredFile>, StoreError> {
    Ok(Entity::find().filter(Column::Pending.is_not_null()).order_by_asc(Column::Id).limit(limit).all(conn).await?)
}

/// How many files still wait in `pending`.
pub async fn pending_count(conn: &impl Conn) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find().filter(Column::Pending.is_not_null()).count(conn).await?)
}

/// The pending bytes are in the file store now: what they were found to be is recorded and
/// `pending` emptied.
pub async fn settled(conn: &impl Conn, id: FileId, content_type: &str, sha256: &str) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::ContentType, Expr::value(content_type))
        .col_expr(Column::Sha256, Expr::value(sha256))
        .col_expr(Column::Pending, Expr::value(Option::<Vec<u8>>::None))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Which of `keys` a record names (the others are bytes no file record owns).
pub async fn known_keys(conn: &impl Conn, keys: &[String]) -> Result<Vec<String>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .select_only()
        .column(Column::StorageKey)
        .filter(Column::StorageKey.is_in(keys.iter().cloned()))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Bytes the institution's stored files take, in all.
pub async fn usage(conn: &impl Conn, institution: InstitutionId) -> Result<i64, StoreError> {
    // PostgreSQL sums BIGINT as NUMERIC: cast back so both databases answer an integer.
    let total: Option<Option<i64>> = Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "total")
        .filter(Column::InstitutionId.eq(institution.0))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(total.flatten().unwrap_or(0))
}
