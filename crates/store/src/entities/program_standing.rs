use sea_orm::entity::prelude::*;

/// A program against its PLO targets, as last computed (one row per program).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "program_standings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub program_id: i64,
    /// PLOs in force.
    pub plos: i64,
    /// PLOs with evidence, and of these the ones met and the ones below target.
    pub plos_assessed: i64,
    pub plos_met: i64,
    pub plos_short: i64,
    /// Codes of the PLOs below target, comma-separated, in PLO order.
    pub short_codes: String,
    /// Students of the program's cohorts.
    pub students: i64,
    pub computed_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
