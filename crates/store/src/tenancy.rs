//! Institutions, the tenants.

use chrono::{DateTime, Utc};
use qobe_domain::ids::InstitutionId;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Func},
};

use crate::entities::institution::{ActiveModel, Column, Entity};
use crate::entities::user;
use crate::rows::Institution;
use crate::{Conn, StoreError};

pub struct NewInstitution<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub plan: &'a str,
    pub seat_limit: i64,
    pub now: DateTime<Utc>,
}

pub async fn insert(conn: &impl Conn, new: NewInstitution<'_>) -> Result<Institution, StoreError> {
    let row = ActiveModel {
        name: Set(new.name.to_owned()),
        slug: Set(new.slug.to_owned()),
        plan: Set(new.plan.to_owned()),
        seat_limit: Set(new.seat_limit),
        require_staff_2fa: Set(false),
        active: Set(true),
        created_at: Set(new.now),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn get(conn: &impl Conn, id: InstitutionId) -> Result<Option<Institution>, StoreError> {
    Ok(Entity::find_by_id(id.0).one(conn).await?)
}

pub async fn by_slug(conn: &impl Conn, slug: &str) -> Result<Option<Institution>, StoreError> {
    Ok(Entity::find().filter(Column::Slug.eq(slug)).one(conn).await?)
}

/// Every institution with its count of seat-using accounts, for the operator's list. Carries
/// no tenant content beyond the name and the usage figure.
pub async fn list_with_usage(conn: &impl Conn) -> Result<Vec<(Institution, u64)>, StoreError> {
    let institutions = Entity::find().order_by_asc(Column::Name).all(conn).await?;
    let counts: Vec<(Option<i64>, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::InstitutionId)
        .column_as(Expr::expr(Func::count(Expr::col(user::Column::Id))), "seats")
        .filter(user::Column::InstitutionId.is_not_null())
        .filter(user::Column::Status.ne("deactivated"))
        .group_by(user::Column::InstitutionId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(institutions
        .into_iter()
        .map(|inst| {
            let used = counts.iter().find(|(id, _)| *id == Some(inst.id)).map(|(_, n)| *n).unwrap_or(0);
            (inst, u64::try_from(used).unwrap_or(0))
        })
        .collect())
}

pub async fn count(conn: &impl Conn) -> Result<u64, StoreError> {
    Ok(Entity::find().count(conn).await?)
}

pub struct InstitutionSettings<'a> {
    pub name: &'a str,
    pub require_staff_2fa: bool,
    /// `None` keeps the current minimum.
    pub survey_min_responses: Option<i64>,
}

pub async fn update_settings(
    conn: &impl Conn,
    id: InstitutionId,
    settings: InstitutionSettings<'_>,
) -> Result<(), StoreError> {
    let mut update = Entity::update_many()
        .col_expr(Column::Name, Expr::value(settings.name))
        .col_expr(Column::RequireStaff2fa, Expr::value(settings.require_staff_2fa));
    if let Some(minimum) = settings.survey_min_responses {
        update = update.col_expr(Column::SurveyMinResponses, Expr::value(minimum));
    }
    update.filter(Column::Id.eq(id.0)).exec(conn).await?;
    Ok(())
}

/// Operator-side changes: plan and seat limit.
pub async fn update_plan(conn: &impl Conn, id: InstitutionId, plan: &str, seat_limit: i64) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Plan, Expr::value(plan))
        .col_expr(Column::SeatLimit, Expr::value(seat_limit))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Suspends (`false`) or reactivates (`true`) an institution.
pub async fn set_active(conn: &impl Conn, id: InstitutionId, active: bool) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Active, Expr::value(active))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Takes the write lock on one institution's row for the rest of the transaction, so that
/// seat counting and the insert that follows cannot interleave with another instance's.
pub async fn lock(conn: &impl Conn, id: InstitutionId) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::SeatLimit, Expr::col(Column::SeatLimit))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Every active institution, by id.
pub async fn active_ids(conn: &impl Conn) -> Result<Vec<InstitutionId>, StoreError> {
    let ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Active.eq(true))
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids.into_iter().map(InstitutionId).collect())
}
