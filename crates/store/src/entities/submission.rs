use sea_orm::entity::prelude::*;

/// One version of a student's hand-in.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub assignment_id: i64,
    pub user_id: i64,
    pub version: i64,
    pub body: String,
    pub submitted_at: ChronoDateTimeUtc,
    /// Units late against the student's deadline when it came (0: on time).
    pub units_late: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
