use sea_orm::entity::prelude::*;

/// A student's progress on one item: when they first opened it and when they marked it done.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "content_completions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub item_id: i64,
    pub user_id: i64,
    pub viewed_at: Option<ChronoDateTimeUtc>,
    pub done_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
