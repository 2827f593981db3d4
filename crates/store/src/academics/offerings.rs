//! Course offerings (sections in a term) and their instructors.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CourseId, InstitutionId, OfferingId, TermId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::{offering, offering_instructor};
use crate::rows::{Offering, OfferingInstructor};
use crate::{Conn, StoreError};

pub struct OfferingFields<'a> {
    pub course: CourseId,
    pub term: TermId,
    pub section: &'a str,
    pub capacity: i64,
    pub room: Option<&'a str>,
    pub online: bool,
    /// The schedule in its text form, e.g. `Mon 09:00-10:30; Wed 09:00-10:30`.
    pub schedule: &'a str,
    pub requires_approval: bool,
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    fields: OfferingFields<'_>,
    now: DateTime<Utc>,
) -> Result<Offering, StoreError> {
    let row = offering::ActiveModel {
        institution_id: Set(institution.0),
        course_id: Set(fields.course.0),
        term_id: Set(fields.term.0),
        section: Set(fields.section.to_owned()),
        capacity: Set(fields.capacity),
        room: Set(fields.room.map(str::to_owned)),
        online: Set(fields.online),
        schedule: Set(fields.schedule.to_owned()),
        requires_approval: Set(fields.requires_approval),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(offering::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn update(
    conn: &impl Conn,
    institution: InstitutionId,
    id: OfferingId,
    fields: OfferingFields<'_>,
) -> Result<bool, StoreError> {
    let result = offering::Entity::update_many()
        .col_expr(offering::Column::Section, Expr::value(fields.section))
        .col_expr(offering::Column::Capacity, Expr::value(fields.capacity))
        .col_expr(offering::Column::Room, Expr::value(fields.room.map(str::to_owned)))
        .col_expr(offering::Column::Online, Expr::value(fields.online))
        .col_expr(offering::Column::Schedule, Expr::value(fields.schedule))
        .col_expr(offering::Column::RequiresApproval, Expr::value(fields.requires_approval))
        .filter(offering::Column::InstitutionId.eq(institution.0))
        .filter(offering::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn get(conn: &impl Conn, institution: InstitutionId, id: OfferingId) -> Result<Option<Offering>, StoreError> {
    Ok(offering::Entity::find_by_id(id.0).filter(offering::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// These offerings of the institution, in no particular order.
pub async fn by_ids(conn: &impl Conn, institution: InstitutionId, ids: &[i64]) -> Result<Vec<Offering>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            offering::Entity::find()
                .filter(offering::Column::InstitutionId.eq(institution.0))
                .filter(offering::Column::Id.is_in(chunk.iter().copied()))
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}

/// Offerings of a term (all terms when `None`), by course then section.
pub async fn list(
    conn: &impl Conn,
    institution: InstitutionId,
    term: Option<TermId>,
) -> Result<Vec<Offering>, StoreError> {
    let mut query = offering::Entity::find().filter(offering::Column::InstitutionId.eq(institution.0));
    if let Some(term) = term {
        query = query.filter(offering::Column::TermId.eq(term.0));
    }
    Ok(query.order_by_asc(offering::Column::CourseId).order_by_asc(offering::Column::Section).all(conn).await?)
}

/// Offerings of one course, newest term first.
pub async fn of_course(
    conn: &impl Conn,
    institution: InstitutionId,
    course: CourseId,
) -> Result<Vec<Offering>, StoreError> {
    Ok(offering::Entity::find()
        .filter(offering::Column::InstitutionId.eq(institution.0))
        .filter(offering::Column::CourseId.eq(course.0))
        .order_by_desc(offering::Column::TermId)
        .all(conn)
        .await?)
}

pub async fn add_instructor(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    user: UserId,
) -> Result<(), StoreError> {
    let row = offering_instructor::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        user_id: Set(user.0),
        ..Default::default()
    };
    offering_instructor::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

pub async fn remove_instructor(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    user: UserId,
) -> Result<bool, StoreError> {
    let result = offering_instructor::Entity::delete_many()
        .filter(offering_instructor::Column::InstitutionId.eq(institution.0))
        .filter(offering_instructor::Column::OfferingId.eq(offering.0))
        .filter(offering_instructor::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn instructors(
    conn: &impl Conn,
    institution: InstitutionId,
    offerings: &[i64],
) -> Result<Vec<OfferingInstructor>, StoreError> {
    Ok(offering_instructor::Entity::find()
        .filter(offering_instructor::Column::InstitutionId.eq(institution.0))
        .filter(offering_instructor::Column::OfferingId.is_in(offerings.iter().copied()))
        .all(conn)
        .await?)
}
