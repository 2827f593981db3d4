use sea_orm::entity::prelude::*;

/// A post of a thread (its first is the thread's opening).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub thread_id: i64,
    pub posted_by: i64,
    /// Markdown.
    pub body: String,
    pub posted_at: ChronoDateTimeUtc,
    pub edited_at: Option<ChronoDateTimeUtc>,
    /// A moderator hid it, for this reason.
    pub hidden_reason: Option<String>,
    pub hidden_by: Option<i64>,
    pub hidden_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
