use sea_orm::entity::prelude::*;

/// A student's extra time on a quiz.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_accommodations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub quiz_id: i64,
    pub user_id: i64,
    pub extra_percent: f64,
    pub granted_by: i64,
    pub granted_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
