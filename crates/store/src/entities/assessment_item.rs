use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub offering_id: i64,
    pub assessment_id: i64,
    pub label: String,
    pub max_marks: f64,
    pub position: i64,
    /// The rubric this item is a criterion of, if it is scored by one.
    pub rubric_id: Option<i64>,
    /// Index of the criterion in the rubric.
    pub rubric_criterion: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
