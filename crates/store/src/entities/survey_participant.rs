use sea_orm::entity::prelude::*;

/// Someone asked to answer a survey: a person with an account, or an external respondent by
/// email and a single-use token. Whether they have answered, never what.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub survey_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    /// SHA-256 of the external respondent's link token.
    pub token_hash: Option<String>,
    pub invited_at: Option<ChronoDateTimeUtc>,
    pub reminded_at: Option<ChronoDateTimeUtc>,
    pub answered: bool,
    /// Answers saved to resume later (JSON), until they are submitted.
    pub draft: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
