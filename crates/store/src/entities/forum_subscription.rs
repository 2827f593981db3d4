use sea_orm::entity::prelude::*;

/// Someone following a thread, or a whole forum (`thread_id` none), by email digest.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub thread_id: Option<i64>,
    pub user_id: i64,
    /// Posts with a greater id go in the next digest.
    pub after_post_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
