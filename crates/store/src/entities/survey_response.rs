use sea_orm::entity::prelude::*;

/// One submitted response. On an anonymous survey it holds the survey and the answers only.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_responses")]
pub struct Model {
    /// Random (32 hex digits), never a sequence.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub institution_id: i64,
    pub survey_id: i64,
    /// The answers as JSON (`qobe_domain::surveys::Answers`).
    pub answers: String,
    /// Named surveys only.
    pub respondent_id: Option<i64>,
    pub submitted_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
