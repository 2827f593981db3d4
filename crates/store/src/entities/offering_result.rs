use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "offering_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    /// `draft`, `submitted`, `approved`, `published` or `locked`.
    pub status: String,
    /// The grading scheme used, as JSON, frozen at submission.
    pub scheme: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<ChronoDateTimeUtc>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<ChronoDateTimeUtc>,
    pub published_at: Option<ChronoDateTimeUtc>,
    pub locked_at: Option<ChronoDateTimeUtc>,
    /// Why results were returned, for the instructor.
    pub note: Option<String>,
    /// Why results were submitted with blank marks (the instructor's words), for the approver.
    pub blanks_reason: Option<String>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
