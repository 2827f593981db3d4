use sea_orm::entity::prelude::*;

/// A survey: its form, what it is for, who designed it, and when it takes answers.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub title: String,
    pub description: String,
    /// `course_exit`, `graduating`, `alumni`, `employer` or `general`.
    pub purpose: String,
    pub offering_id: Option<i64>,
    pub program_id: Option<i64>,
    pub anonymous: bool,
    /// The form as JSON (`qobe_domain::surveys::SurveyForm`).
    pub form: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    pub opens_at: Option<ChronoDateTimeUtc>,
    pub closes_at: Option<ChronoDateTimeUtc>,
    pub created_by: i64,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
