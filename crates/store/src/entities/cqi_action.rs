use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cqi_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub finding_id: i64,
    pub description: String,
    pub owner_id: i64,
    pub due_term_id: i64,
    /// `planned`, `in_progress`, `done` or `cancelled`.
    pub status: String,
    /// The next offering of the course where the action was carried out.
    pub follow_up_offering_id: Option<i64>,
    /// `effective`, `partly` or `not_effective`, judged after the follow-up.
    pub effectiveness: Option<String>,
    pub effectiveness_note: Option<String>,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
