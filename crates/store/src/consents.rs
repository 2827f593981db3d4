//! Consent records: which version of the terms, the privacy policy or marketing email a person
//! agreed to (or withdrew from), and when.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::consent::{ActiveModel, Column, Entity};
use crate::rows::Consent;
use crate::{Conn, StoreError};

pub struct NewConsent<'a> {
    pub institution_id: Option<InstitutionId>,
    pub user_id: UserId,
    pub kind: &'a str,
    pub version: &'a str,
    pub granted: bool,
    pub ip: Option<&'a str>,
    pub now: DateTime<Utc>,
}

pub async fn insert(conn: &impl Conn, new: NewConsent<'_>) -> Result<Consent, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution_id.map(|id| id.0)),
        user_id: Set(new.user_id.0),
        kind: Set(new.kind.to_owned()),
        version: Set(new.version.to_owned()),
        granted: Set(new.granted),
        ip: Set(new.ip.map(str::to_owned)),
        created_at: Set(new.now),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

/// A person's consent history, newest first.
pub async fn for_user(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    user: UserId,
) -> Result<Vec<Consent>, StoreError> {
    let tenant = match institution {
        Some(id) => Column::InstitutionId.eq(id.0),
        None => Column::InstitutionId.is_null(),
    };
    Ok(Entity::find()
        .filter(Condition::all().add(tenant).add(Column::UserId.eq(user.0)))
        .order_by_desc(Column::Id)
        .all(conn)
        .await?)
}
