use sea_orm::entity::prelude::*;

/// A person in a conversation, and up to when they have read it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub conversation_id: i64,
    pub user_id: i64,
    /// The newest message there was when they last read it.
    pub read_up_to: Option<i64>,
    /// A message came since they last read it.
    pub unread: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
