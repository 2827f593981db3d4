use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attainment_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    /// `None` for the institution's default.
    pub program_id: Option<i64>,
    pub version: i64,
    /// The `qobe_outcomes::Policy` as JSON.
    pub policy: String,
    pub effective_term_id: Option<i64>,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
