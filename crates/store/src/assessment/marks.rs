//! Marks (one row per student per item) and the history of every change.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, ItemId, OfferingId, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};

use crate::entities::{mark, mark_change};
use crate::rows::{Mark, MarkChange};
use crate::{Conn, StoreError};

/// A mark as stored: a score, or a status with no score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewMark {
    pub offering: OfferingId,
    pub item: i64,
    pub user: UserId,
    pub score: Option<f64>,
    pub status: &'static str,
}

fn active(institution: InstitutionId, m: &NewMark, by: UserId, now: DateTime<Utc>) -> mark::ActiveModel {
    mark::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(m.offering.0),
        item_id: Set(m.item),
        user_id: Set(m.user.0),
        score: Set(m.score),
        status: Set(m.status.to_owned()),
        updated_by: Set(by.0),
        updated_at: Set(now),
        ..Default::default()
    }
}

fn on_conflict() -> OnConflict {
    OnConflict::columns([mark::Column::ItemId, mark::Column::UserId])
        .update_columns([mark::Column::Score, mark::Column::Status, mark::Column::UpdatedBy, mark::Column::UpdatedAt])
        .to_owned()
}

/// Inserts or replaces marks, in chunks.
pub async fn upsert(
    conn: &impl Conn,
    institution: InstitutionId,
    marks: &[NewMark],
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in marks.chunks(1000) {
        let rows = chunk.iter().map(|m| active(institution, m, by, now));
        mark::Entity::insert_many(rows).on_conflict(on_conflict()).exec(conn).await?;
    }
    Ok(())
}

pub async fn remove(
    conn: &impl Conn,
    institution: InstitutionId,
    item: ItemId,
    user: UserId,
) -> Result<(), StoreError> {
    mark::Entity::delete_many()
        .filter(mark::Column::InstitutionId.eq(institution.0))
        .filter(mark::Column::ItemId.eq(item.0))
        .filter(mark::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// A stored mark without its bookkeeping columns (cheap to read in bulk).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCell {
    pub item_id: i64,
    pub user_id: i64,
    pub score: Option<f64>,
    pub status: String,
}

fn cells(rows: Vec<(i64, i64, Option<f64>, String)>) -> Vec<StoredCell> {
    rows.into_iter().map(|(item_id, user_id, score, status)| StoredCell { item_id, user_id, score, status }).collect()
}

const CELL_COLUMNS: [mark::Column; 4] =
    [mark::Column::ItemId, mark::Column::UserId, mark::Column::Score, mark::Column::Status];

/// Every mark of the offering.
pub async fn for_offering(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<StoredCell>, StoreError> {
    let rows = mark::Entity::find()
        .select_only()
        .columns(CELL_COLUMNS)
        .filter(mark::Column::InstitutionId.eq(institution.0))
        .filter(mark::Column::OfferingId.eq(offering.0))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(cells(rows))
}

/// The marks of some students in the offering.
pub async fn for_students(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    users: &[i64],
) -> Result<Vec<StoredCell>, StoreError> {
    let mut out = Vec::new();
    for chunk in users.chunks(500) {
        let rows = mark::Entity::find()
            .select_only()
            .columns(CELL_COLUMNS)
            .filter(mark::Column::InstitutionId.eq(institution.0))
            .filter(mark::Column::OfferingId.eq(offering.0))
            .filter(mark::Column::UserId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(cells(rows));
    }
    Ok(out)
}

pub async fn find(
    conn: &impl Conn,
    institution: InstitutionId,
    item: ItemId,
    user: UserId,
) -> Result<Option<Mark>, StoreError> {
    Ok(mark::Entity::find()
        .filter(mark::Column::InstitutionId.eq(institution.0))
        .filter(mark::Column::ItemId.eq(item.0))
        .filter(mark::Column::UserId.eq(user.0))
        .one(conn)
        .await?)
}

pub struct Change<'a> {
    pub offering: OfferingId,
    pub item: i64,
    pub user: UserId,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub source: &'static str,
}

pub async fn record_changes(
    conn: &impl Conn,
    institution: InstitutionId,
    changes: &[Change<'_>],
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in changes.chunks(1000) {
        let rows = chunk.iter().map(|c| mark_change::ActiveModel {
            institution_id: Set(institution.0),
            offering_id: Set(c.offering.0),
            item_id: Set(c.item),
            user_id: Set(c.user.0),
            old_value: Set(c.old_value.map(str::to_owned)),
            new_value: Set(c.new_value.map(str::to_owned)),
            changed_by: Set(by.0),
            source: Set(c.source.to_owned()),
            changed_at: Set(now),
            ..Default::default()
        });
        mark_change::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Changes to an offering's marks, newest first, optionally of one student.
pub async fn changes(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    user: Option<UserId>,
) -> Result<Vec<MarkChange>, StoreError> {
    let mut query = mark_change::Entity::find()
        .filter(mark_change::Column::InstitutionId.eq(institution.0))
        .filter(mark_change::Column::OfferingId.eq(offering.0));
    if let Some(user) = user {
        query = query.filter(mark_change::Column::UserId.eq(user.0));
    }
    Ok(query.order_by_desc(mark_change::Column::Id).all(conn).await?)
}
