use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "institutions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub plan: String,
    pub seat_limit: i64,
    pub require_staff_2fa: bool,
    pub active: bool,
    /// Results of an anonymous survey stay hidden until it has this many responses.
    pub survey_min_responses: i64,
    /// Storage and largest file the operator set apart from the plan's (MB); `None`: the plan's.
    pub storage_quota_mb: Option<i64>,
    pub max_file_mb: Option<i64>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
