use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: Option<i64>,
    pub email: String,
    pub name: String,
    /// `qobe_domain::collation::sort_key(name)`: lists order by it.
    pub sort_name: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub is_operator: bool,
    pub email_verified_at: Option<ChronoDateTimeUtc>,
    pub pending_email: Option<String>,
    pub organisation: Option<String>,
    pub address: Option<String>,
    pub language: String,
    pub time_zone: String,
    pub communication: String,
    pub picture_file_id: Option<i64>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<ChronoDateTimeUtc>,
    /// A secret being set up, not yet confirmed; the one in use stays until it is.
    pub totp_pending_secret: Option<String>,
    /// The last 30-second step whose code was accepted: a code is refused a second time.
    pub totp_last_step: Option<i64>,
    pub failed_logins: i64,
    pub locked_until: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
