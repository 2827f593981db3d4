use sea_orm::entity::prelude::*;

/// A rated question (or one row of a grid) giving indirect evidence for a CLO, PLO or PEO.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_outcome_maps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub survey_id: i64,
    pub question_key: String,
    /// The grid's row (from 0), or -1 for a rating scale.
    pub row_index: i64,
    /// `clo`, `plo` or `peo`.
    pub outcome_kind: String,
    pub outcome_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
