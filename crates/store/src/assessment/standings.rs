//! Each program's standing against its PLO targets, as last computed in the background.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, ProgramId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::program_standing;
use crate::rows::ProgramStanding;
use crate::{Conn, StoreError};

/// What a computation found for one program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub plos: i64,
    pub plos_assessed: i64,
    pub plos_met: i64,
    pub plos_short: i64,
    pub short_codes: Vec<String>,
    pub students: i64,
}

/// Records the program's standing, replacing the one before.
pub async fn save(
    conn: &impl Conn,
    institution: InstitutionId,
    program: ProgramId,
    standing: &Standing,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = program_standing::ActiveModel {
        institution_id: Set(institution.0),
        program_id: Set(program.0),
        plos: Set(standing.plos),
        plos_assessed: Set(standing.plos_assessed),
        plos_met: Set(standing.plos_met),
        plos_short: Set(standing.plos_short),
        short_codes: Set(standing.short_codes.join(",")),
        students: Set(standing.students),
        computed_at: Set(now),
        ..Default::default()
    };
    use program_standing::Column as C;
    program_standing::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::InstitutionId, C::ProgramId])
                .update_columns([
                    C::Plos,
                    C::PlosAssessed,
                    C::PlosMet,
                    C::PlosShort,
                    C::ShortCodes,
                    C::Students,
                    C::ComputedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The institution's program standings (every program that has one).
pub async fn all(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<ProgramStanding>, StoreError> {
    Ok(program_standing::Entity::find()
        .filter(program_standing::Column::InstitutionId.eq(institution.0))
        .all(conn)
        .await?)
}
