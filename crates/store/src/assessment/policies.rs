//! Attainment policies, versioned per institution and optionally per program.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, ProgramId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::attainment_policy;
use crate::rows::AttainmentPolicy;
use crate::{Conn, StoreError};

/// The newest policy for the program, or the institution's default when `program` is `None`.
pub async fn latest(
    conn: &impl Conn,
    institution: InstitutionId,
    program: Option<ProgramId>,
) -> Result<Option<AttainmentPolicy>, StoreError> {
    let column = attainment_policy::Column::ProgramId;
    let scope = match program {
        Some(p) => column.eq(p.0),
        None => column.is_null(),
    };
    Ok(attainment_policy::Entity::find()
        .filter(attainment_policy::Column::InstitutionId.eq(institution.0))
        .filter(scope)
        .order_by_desc(attainment_policy::Column::Version)
        .one(conn)
        .await?)
}

/// Every version of the institution's policies (all programs), newest first.
pub async fn all(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<AttainmentPolicy>, StoreError> {
    Ok(attainment_policy::Entity::find()
        .filter(attainment_policy::Column::InstitutionId.eq(institution.0))
        .order_by_desc(attainment_policy::Column::Version)
        .all(conn)
        .await?)
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    program: Option<ProgramId>,
    version: i64,
    policy_json: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<AttainmentPolicy, StoreError> {
    let row = attainment_policy::ActiveModel {
        institution_id: Set(institution.0),
        program_id: Set(program.map(|p| p.0)),
        version: Set(version),
        policy: Set(policy_json.to_owned()),
        effective_term_id: Set(None),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(attainment_policy::Entity::insert(row).exec_with_returning(conn).await?)
}
