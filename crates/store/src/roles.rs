//! Role grants: who holds which role at which scope.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, RoleGrantId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::role_grant::{ActiveModel, Column, Entity};
use crate::rows::RoleGrant;
use crate::{Conn, StoreError};

pub struct NewGrant<'a> {
    pub institution_id: InstitutionId,
    pub user_id: UserId,
    pub role: &'a str,
    pub scope_kind: &'a str,
    /// 0 for institution-wide grants.
    pub scope_id: i64,
    pub granted_by: Option<UserId>,
    pub now: DateTime<Utc>,
}

pub async fn insert(conn: &impl Conn, new: NewGrant<'_>) -> Result<RoleGrant, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution_id.0),
        user_id: Set(new.user_id.0),
        role: Set(new.role.to_owned()),
        scope_kind: Set(new.scope_kind.to_owned()),
        scope_id: Set(new.scope_id),
        granted_by: Set(new.granted_by.map(|id| id.0)),
        created_at: Set(new.now),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn for_user(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
) -> Result<Vec<RoleGrant>, StoreError> {
    Ok(Entity::find()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::UserId.eq(user.0))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

/// Grants of many users at once, for list pages.
pub async fn for_users(
    conn: &impl Conn,
    institution: InstitutionId,
    users: &[i64],
) -> Result<Vec<RoleGrant>, StoreError> {
    Ok(Entity::find()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::UserId.is_in(users.iter().copied()))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?)
}

/// Ids of the users holding `role` anywhere in the institution.
pub async fn users_with_role(conn: &impl Conn, institution: InstitutionId, role: &str) -> Result<Vec<i64>, StoreError> {
    Ok(Entity::find()
        .select_only()
        .column(Column::UserId)
        .distinct()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::Role.eq(role))
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn get(
    conn: &impl Conn,
    institution: InstitutionId,
    id: RoleGrantId,
) -> Result<Option<RoleGrant>, StoreError> {
    Ok(Entity::find_by_id(id.0).filter(Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn delete(conn: &impl Conn, institution: InstitutionId, id: RoleGrantId) -> Result<bool, StoreError> {
    let result = Entity::delete_many()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many institution-wide admins remain; the last one cannot be removed.
pub async fn count_admins(conn: &impl Conn, institution: InstitutionId) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::Role.eq("institution_admin"))
        .count(conn)
        .await?)
}
