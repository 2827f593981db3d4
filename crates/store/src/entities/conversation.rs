use sea_orm::entity::prelude::*;

/// A conversation: messages between its members.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub subject: String,
    /// Written to this offering's whole class.
    pub offering_id: Option<i64>,
    pub started_by: i64,
    pub started_at: ChronoDateTimeUtc,
    pub last_message_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
