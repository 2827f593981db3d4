use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cqi_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub program_id: Option<i64>,
    pub course_id: Option<i64>,
    pub offering_id: Option<i64>,
    pub clo_id: Option<i64>,
    pub title: String,
    pub description: String,
    /// `low`, `medium` or `high`.
    pub criticality: String,
    /// `shortfall` (raised from an attainment below target) or `manual`.
    pub source: String,
    pub attainment: Option<f64>,
    pub target: Option<f64>,
    /// `open` or `closed`.
    pub status: String,
    pub raised_by: i64,
    pub raised_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
