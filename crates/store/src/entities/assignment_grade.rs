use sea_orm::entity::prelude::*;

/// How a student's assignment was graded.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_grades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub assignment_id: i64,
    pub user_id: i64,
    /// The marks as given, before any late penalty: JSON `{item id: value}`.
    pub given: String,
    /// Share of the marks taken off for lateness (0–1).
    pub penalty: f64,
    /// Markdown.
    pub feedback: String,
    pub graded_by: i64,
    pub graded_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
