//! OneRoster records kept as they were imported (see the migration that made the table).

use chrono::{DateTime, Utc};
use qobe_domain::ids::InstitutionId;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::roster_record::{ActiveModel, Column, Entity};
use crate::rows::RosterRecord;
use crate::{Conn, StoreError};

pub struct NewRosterRecord<'a> {
    pub file: &'a str,
    pub sourced_id: &'a str,
    pub entity: Option<(&'a str, i64)>,
    /// The record as JSON.
    pub record: String,
}

/// Keeps (or replaces) the records of an import, by file and sourcedId.
pub async fn upsert(
    conn: &impl Conn,
    institution: InstitutionId,
    records: Vec<NewRosterRecord<'_>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in records.chunks(200) {
        let rows = chunk.iter().map(|r| ActiveModel {
            institution_id: Set(institution.0),
            file: Set(r.file.to_owned()),
            sourced_id: Set(r.sourced_id.to_owned()),
            entity: Set(r.entity.map(|(kind, _)| kind.to_owned())),
            entity_id: Set(r.entity.map(|(_, id)| id)),
            record: Set(r.record.clone()),
            imported_at: Set(now),
            ..Default::default()
        });
        Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([Column::InstitutionId, Column::File, Column::SourcedId])
                    .update_columns([Column::Entity, Column::EntityId, Column::Record, Column::ImportedAt])
                    .to_owned(),
            )
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Every kept record of an institution, in the order they were first imported.
pub async fn all(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<RosterRecord>, StoreError> {
    Ok(Entity::find().filter(Column::InstitutionId.eq(institution.0)).order_by_asc(Column::Id).all(conn).await?)
}
