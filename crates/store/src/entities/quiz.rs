use sea_orm::entity::prelude::*;

/// A quiz: an assessment of an offering's plan taken online.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quizzes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub assessment_id: i64,
    pub title: String,
    pub instructions: String,
    pub opens_at: Option<ChronoDateTimeUtc>,
    pub closes_at: Option<ChronoDateTimeUtc>,
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: i64,
    pub shuffle: bool,
    pub published: bool,
    /// JSON list of `qobe_domain::quizzes::Section`.
    pub sections: String,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
