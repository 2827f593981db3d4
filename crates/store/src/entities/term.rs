use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "terms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub code: String,
    pub name: String,
    pub starts_at: ChronoDateTimeUtc,
    pub ends_at: ChronoDateTimeUtc,
    pub registration_opens_at: ChronoDateTimeUtc,
    pub registration_closes_at: ChronoDateTimeUtc,
    pub add_drop_closes_at: ChronoDateTimeUtc,
    pub withdrawal_closes_at: ChronoDateTimeUtc,
    pub marks_entry_closes_at: ChronoDateTimeUtc,
    pub results_published_at: ChronoDateTimeUtc,
    pub min_credits: f64,
    pub max_credits: f64,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
