use sea_orm::entity::prelude::*;

/// An assignment: an assessment of the plan that students hand in.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub assessment_id: i64,
    pub title: String,
    /// Markdown.
    pub instructions: String,
    pub accepts_text: bool,
    pub accepts_files: bool,
    /// Allowed file extensions, comma-separated; empty: any.
    pub file_types: String,
    pub max_file_mb: i64,
    pub due_at: ChronoDateTimeUtc,
    pub cutoff_at: Option<ChronoDateTimeUtc>,
    pub late_percent: f64,
    /// `day` or `hour`.
    pub late_unit: String,
    pub anonymous: bool,
    pub published: bool,
    pub released_at: Option<ChronoDateTimeUtc>,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
