use sea_orm::entity::prelude::*;

/// An item of a module: a page (Markdown), a stored file, or a link; with its release
/// conditions and how a student completes it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "content_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub module_id: i64,
    pub position: i64,
    /// `page`, `file` or `link`.
    pub kind: String,
    pub title: String,
    /// A page's Markdown, a link's address, a file's description.
    pub body: String,
    pub file_id: Option<i64>,
    /// WebVTT captions of a video or audio file.
    pub captions_file_id: Option<i64>,
    pub published: bool,
    pub available_from: Option<ChronoDateTimeUtc>,
    pub after_item_id: Option<i64>,
    /// `view` or `done`.
    pub completion: String,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
