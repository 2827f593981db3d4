use sea_orm::entity::prelude::*;

/// An announcement to an offering's class, or (without an offering) to the whole institution.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "announcements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: Option<i64>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub posted_by: i64,
    pub posted_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
