use sea_orm::entity::prelude::*;

/// A question of a course's bank.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub course_id: i64,
    pub category: String,
    /// Comma-separated.
    pub tags: String,
    pub clo_id: Option<i64>,
    pub kind: String,
    /// Markdown.
    pub prompt: String,
    /// The options and answer key: JSON of `qobe_domain::quizzes::Body`.
    pub body: String,
    pub points: f64,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
