use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub user_id: i64,
    pub term_id: i64,
    pub course_id: i64,
    pub status: String,
    pub waitlist_position: Option<i64>,
    pub credits: f64,
    pub grade: Option<String>,
    pub note: Option<String>,
    pub decided_by: Option<i64>,
    pub requested_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
