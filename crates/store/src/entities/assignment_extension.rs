use sea_orm::entity::prelude::*;

/// One student's own due time for an assignment.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assignment_extensions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub assignment_id: i64,
    pub user_id: i64,
    pub due_at: ChronoDateTimeUtc,
    pub reason: String,
    pub granted_by: i64,
    pub granted_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
