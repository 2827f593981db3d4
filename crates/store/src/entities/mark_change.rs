use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mark_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub item_id: i64,
    pub user_id: i64,
    /// The mark as shown before (`7.5`, `AB`, `EX`, `NA`), or `None` when there was none.
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub changed_by: i64,
    /// `grid`, `import` or `api`.
    pub source: String,
    pub changed_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
