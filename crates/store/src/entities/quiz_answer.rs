use sea_orm::entity::prelude::*;

/// An answer of an attempt, as last saved.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub attempt_id: i64,
    pub slot: i64,
    pub question_id: i64,
    /// JSON of `qobe_domain::quizzes::Response`.
    pub response: String,
    pub saved_at: ChronoDateTimeUtc,
    pub points: Option<f64>,
    pub scored_by: Option<i64>,
    pub comment: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
