use sea_orm::entity::prelude::*;

/// A discussion thread of an offering's forum.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_threads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub title: String,
    pub started_by: i64,
    pub started_at: ChronoDateTimeUtc,
    /// The newest post's time, for the list's order.
    pub last_post_at: ChronoDateTimeUtc,
    pub last_post_id: i64,
    pub pinned: bool,
    /// No replies but from moderators.
    pub locked: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
