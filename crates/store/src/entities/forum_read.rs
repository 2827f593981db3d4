use sea_orm::entity::prelude::*;

/// Up to when a person has read a thread.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_reads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub thread_id: i64,
    pub user_id: i64,
    /// The newest post there was when they last read the thread.
    pub last_post_id: i64,
    pub read_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
