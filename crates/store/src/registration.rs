//! Enrollments (registrations with their waitlist order and final grades) and holds.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{HoldId, InstitutionId, OfferingId, TermId, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::entities::{enrollment, hold, offering};
use crate::rows::{Enrollment, Hold};
use crate::{Conn, StoreError};

/// Takes the write lock on one offering for the rest of the transaction, so that seat counts
/// and the writes that follow cannot interleave with another request's (on any app instance).
pub async fn lock_offering(conn: &impl Conn, institution: InstitutionId, id: OfferingId) -> Result<bool, StoreError> {
    let result = offering::Entity::update_many()
        .col_expr(offering::Column::Capacity, Expr::col(offering::Column::Capacity))
        .filter(offering::Column::InstitutionId.eq(institution.0))
        .filter(offering::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn count_with_status(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    status: &str,
) -> Result<u64, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::OfferingId.eq(offering.0))
        .filter(enrollment::Column::Status.eq(status))
        .count(conn)
        .await?)
}

pub async fn find(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    user: UserId,
) -> Result<Option<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::OfferingId.eq(offering.0))
        .filter(enrollment::Column::UserId.eq(user.0))
        .one(conn)
        .await?)
}

pub async fn get(conn: &impl Conn, institution: InstitutionId, id: i64) -> Result<Option<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find_by_id(id).filter(enrollment::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub struct NewEnrollment {
    pub offering: OfferingId,
    pub user: UserId,
    pub term: TermId,
    pub course: i64,
    pub status: &'static str,
    pub waitlist_position: Option<i64>,
    pub credits: f64,
    pub grade: Option<String>,
    pub decided_by: Option<UserId>,
}

/// Creates the registration, or reopens an earlier dropped or rejected one of the same offering.
pub async fn upsert(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewEnrollment,
    now: DateTime<Utc>,
) -> Result<Enrollment, StoreError> {
    if let Some(existing) = find(conn, institution, new.offering, new.user).await? {
        set_status(
            conn,
            institution,
            existing.id,
            new.status,
            new.waitlist_position,
            new.grade.as_deref(),
            new.decided_by,
            now,
        )
        .await?;
        return get(conn, institution, existing.id)
            .await?
            .ok_or_else(|| StoreError::Database(sea_orm::DbErr::RecordNotFound("enrollment".into())));
    }
    let row = enrollment::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(new.offering.0),
        user_id: Set(new.user.0),
        term_id: Set(new.term.0),
        course_id: Set(new.course),
        status: Set(new.status.to_owned()),
        waitlist_position: Set(new.waitlist_position),
        credits: Set(new.credits),
        grade: Set(new.grade),
        note: Set(None),
        decided_by: Set(new.decided_by.map(|u| u.0)),
        requested_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(enrollment::Entity::insert(row).exec_with_returning(conn).await?)
}

#[expect(clippy::too_many_arguments, reason = "one column each; a struct would only rename them")]
pub async fn set_status(
    conn: &impl Conn,
    institution: InstitutionId,
    id: i64,
    status: &str,
    waitlist_position: Option<i64>,
    grade: Option<&str>,
    decided_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    enrollment::Entity::update_many()
        .col_expr(enrollment::Column::Status, Expr::value(status))
        .col_expr(enrollment::Column::WaitlistPosition, Expr::value(waitlist_position))
        .col_expr(enrollment::Column::Grade, Expr::value(grade.map(str::to_owned)))
        .col_expr(enrollment::Column::DecidedBy, Expr::value(decided_by.map(|u| u.0)))
        .col_expr(enrollment::Column::UpdatedAt, Expr::value(now))
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The next place at the back of an offering's waitlist.
pub async fn next_waitlist_position(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<i64, StoreError> {
    let max: Option<Option<i64>> = enrollment::Entity::find()
        .select_only()
        .column_as(enrollment::Column::WaitlistPosition.max(), "max")
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::OfferingId.eq(offering.0))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// The student at the front of the waitlist.
pub async fn first_waitlisted(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Option<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::OfferingId.eq(offering.0))
        .filter(enrollment::Column::Status.eq("waitlisted"))
        .order_by_asc(enrollment::Column::WaitlistPosition)
        .order_by_asc(enrollment::Column::Id)
        .one(conn)
        .await?)
}

/// A student's registrations in one term.
pub async fn for_user_in_term(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    term: TermId,
) -> Result<Vec<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::UserId.eq(user.0))
        .filter(enrollment::Column::TermId.eq(term.0))
        .order_by_asc(enrollment::Column::Id)
        .all(conn)
        .await?)
}

/// Every registration of a student, for transcripts and prerequisite checks.
pub async fn for_user(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
) -> Result<Vec<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::UserId.eq(user.0))
        .order_by_asc(enrollment::Column::Id)
        .all(conn)
        .await?)
}

/// An offering's class list (every status), by request order.
pub async fn for_offering(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::OfferingId.eq(offering.0))
        .order_by_asc(enrollment::Column::Id)
        .all(conn)
        .await?)
}

/// Registrations waiting for approval, oldest first.
pub async fn pending(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Enrollment>, StoreError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::Status.eq("pending_approval"))
        .order_by_asc(enrollment::Column::RequestedAt)
        .all(conn)
        .await?)
}

pub async fn add_hold(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    reason: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Hold, StoreError> {
    let row = hold::ActiveModel {
        institution_id: Set(institution.0),
        user_id: Set(user.0),
        reason: Set(reason.to_owned()),
        active: Set(true),
        created_by: Set(by.map(|u| u.0)),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(hold::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn active_holds(conn: &impl Conn, institution: InstitutionId, user: UserId) -> Result<Vec<Hold>, StoreError> {
    Ok(hold::Entity::find()
        .filter(hold::Column::InstitutionId.eq(institution.0))
        .filter(hold::Column::UserId.eq(user.0))
        .filter(hold::Column::Active.eq(true))
        .all(conn)
        .await?)
}

pub async fn release_hold(conn: &impl Conn, institution: InstitutionId, id: HoldId) -> Result<bool, StoreError> {
    let result = hold::Entity::update_many()
        .col_expr(hold::Column::Active, Expr::value(false))
        .filter(hold::Column::InstitutionId.eq(institution.0))
        .filter(hold::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
