use sea_orm::entity::prelude::*;

/// One attempt at a quiz.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub quiz_id: i64,
    pub user_id: i64,
    pub number: i64,
    pub started_at: ChronoDateTimeUtc,
    pub deadline_at: Option<ChronoDateTimeUtc>,
    pub finished_at: Option<ChronoDateTimeUtc>,
    /// `student` or `time`; empty while open.
    pub finished_how: String,
    /// JSON list of `qobe_domain::quizzes::Slot`.
    pub layout: String,
    pub score: Option<f64>,
    pub possible: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
