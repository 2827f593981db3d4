use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "result_change_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub user_id: i64,
    pub from_letter: String,
    pub to_letter: String,
    pub reason: String,
    pub requested_by: i64,
    pub requested_at: ChronoDateTimeUtc,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
