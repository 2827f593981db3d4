//! Results: grading schemes, each offering's workflow row and frozen grade lines, attainment
//! snapshots, and change requests after lock.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{ChangeRequestId, InstitutionId, OfferingId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};

use crate::entities::{attainment_snapshot, grading_scheme, offering_result, result_change_request, result_line};
use crate::rows::{AttainmentSnapshot, GradingSchemeRow, OfferingResult, ResultChangeRequest, ResultLine};
use crate::{Conn, StoreError};

pub async fn latest_scheme(
    conn: &impl Conn,
    institution: InstitutionId,
) -> Result<Option<GradingSchemeRow>, StoreError> {
    Ok(grading_scheme::Entity::find()
        .filter(grading_scheme::Column::InstitutionId.eq(institution.0))
        .order_by_desc(grading_scheme::Column::Id)
        .one(conn)
        .await?)
}

pub async fn insert_scheme(
    conn: &impl Conn,
    institution: InstitutionId,
    name: &str,
    bands_json: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<GradingSchemeRow, StoreError> {
    let row = grading_scheme::ActiveModel {
        institution_id: Set(institution.0),
        name: Set(name.to_owned()),
        bands: Set(bands_json.to_owned()),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(grading_scheme::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn get(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Option<OfferingResult>, StoreError> {
    Ok(offering_result::Entity::find()
        .filter(offering_result::Column::InstitutionId.eq(institution.0))
        .filter(offering_result::Column::OfferingId.eq(offering.0))
        .one(conn)
        .await?)
}

/// Results of many offerings at once (for lists and the approval queue).
pub async fn with_status(
    conn: &impl Conn,
    institution: InstitutionId,
    status: &str,
) -> Result<Vec<OfferingResult>, StoreError> {
    Ok(offering_result::Entity::find()
        .filter(offering_result::Column::InstitutionId.eq(institution.0))
        .filter(offering_result::Column::Status.eq(status))
        .order_by_asc(offering_result::Column::UpdatedAt)
        .all(conn)
        .await?)
}

/// Creates the workflow row, or replaces its fields (the row is this institution's).
pub async fn save(conn: &impl Conn, row: OfferingResult) -> Result<OfferingResult, StoreError> {
    if row.id == 0 {
        let mut active = row.into_active_model();
        active.id = sea_orm::ActiveValue::NotSet;
        return Ok(offering_result::Entity::insert(active).exec_with_returning(conn).await?);
    }
    let mut active = row.clone().into_active_model();
    active.status = Set(row.status.clone());
    active.scheme = Set(row.scheme.clone());
    active.submitted_by = Set(row.submitted_by);
    active.submitted_at = Set(row.submitted_at);
    active.approved_by = Set(row.approved_by);
    active.approved_at = Set(row.approved_at);
    active.published_at = Set(row.published_at);
    active.locked_at = Set(row.locked_at);
    active.note = Set(row.note.clone());
    active.blanks_reason = Set(row.blanks_reason.clone());
    active.updated_at = Set(row.updated_at);
    offering_result::Entity::update_many()
        .set(active)
        .filter(offering_result::Column::InstitutionId.eq(row.institution_id))
        .filter(offering_result::Column::Id.eq(row.id))
        .exec(conn)
        .await?;
    Ok(row)
}

/// A student's grade in an offering.
pub struct NewLine<'a> {
    pub user: UserId,
    pub percent: Option<f64>,
    pub letter: &'a str,
    pub points: Option<f64>,
}

/// Replaces the offering's grade lines.
pub async fn replace_lines(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    lines: &[NewLine<'_>],
) -> Result<(), StoreError> {
    result_line::Entity::delete_many()
        .filter(result_line::Column::InstitutionId.eq(institution.0))
        .filter(result_line::Column::OfferingId.eq(offering.0))
        .exec(conn)
        .await?;
    for chunk in lines.chunks(500) {
        let rows = chunk.iter().map(|l| result_line::ActiveModel {
            institution_id: Set(institution.0),
            offering_id: Set(offering.0),
            user_id: Set(l.user.0),
            percent: Set(l.percent),
            letter: Set(l.letter.to_owned()),
            points: Set(l.points),
            ..Default::default()
        });
        result_line::Entity::insert_many(rows).exec_without_returning(conn).await?;
    }
    Ok(())
}

pub async fn lines(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<ResultLine>, StoreError> {
    Ok(result_line::Entity::find()
        .filter(result_line::Column::InstitutionId.eq(institution.0))
        .filter(result_line::Column::OfferingId.eq(offering.0))
        .all(conn)
        .await?)
}

/// Every grade line of one student (published or not: callers filter by workflow status).
pub async fn lines_of_student(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
) -> Result<Vec<ResultLine>, StoreError> {
    Ok(result_line::Entity::find()
        .filter(result_line::Column::InstitutionId.eq(institution.0))
        .filter(result_line::Column::UserId.eq(user.0))
        .all(conn)
        .await?)
}

pub async fn set_line_letter(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    user: UserId,
    letter: &str,
    points: Option<f64>,
) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    result_line::Entity::update_many()
        .col_expr(result_line::Column::Letter, Expr::value(letter))
        .col_expr(result_line::Column::Points, Expr::value(points))
        .filter(result_line::Column::InstitutionId.eq(institution.0))
        .filter(result_line::Column::OfferingId.eq(offering.0))
        .filter(result_line::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn insert_snapshot(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    policy_json: &str,
    data_json: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<AttainmentSnapshot, StoreError> {
    let row = attainment_snapshot::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        policy: Set(policy_json.to_owned()),
        data: Set(data_json.to_owned()),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(attainment_snapshot::Entity::insert(row).exec_with_returning(conn).await?)
}

/// The newest snapshot of the offering's attainment.
pub async fn latest_snapshot(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Option<AttainmentSnapshot>, StoreError> {
    Ok(attainment_snapshot::Entity::find()
        .filter(attainment_snapshot::Column::InstitutionId.eq(institution.0))
        .filter(attainment_snapshot::Column::OfferingId.eq(offering.0))
        .order_by_desc(attainment_snapshot::Column::Id)
        .one(conn)
        .await?)
}

pub struct NewChangeRequest<'a> {
    pub offering: OfferingId,
    pub user: UserId,
    pub from_letter: &'a str,
    pub to_letter: &'a str,
    pub reason: &'a str,
    pub by: UserId,
}

pub async fn insert_change_request(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewChangeRequest<'_>,
    now: DateTime<Utc>,
) -> Result<ResultChangeRequest, StoreError> {
    let row = result_change_request::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(new.offering.0),
        user_id: Set(new.user.0),
        from_letter: Set(new.from_letter.to_owned()),
        to_letter: Set(new.to_letter.to_owned()),
        reason: Set(new.reason.to_owned()),
        requested_by: Set(new.by.0),
        requested_at: Set(now),
        status: Set("pending".to_owned()),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    };
    Ok(result_change_request::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn change_requests(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<ResultChangeRequest>, StoreError> {
    Ok(result_change_request::Entity::find()
        .filter(result_change_request::Column::InstitutionId.eq(institution.0))
        .filter(result_change_request::Column::OfferingId.eq(offering.0))
        .order_by_desc(result_change_request::Column::Id)
        .all(conn)
        .await?)
}

pub async fn decide_change_request(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ChangeRequestId,
    status: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use sea_orm::sea_query::Expr;
    let result = result_change_request::Entity::update_many()
        .col_expr(result_change_request::Column::Status, Expr::value(status))
        .col_expr(result_change_request::Column::DecidedBy, Expr::value(by.0))
        .col_expr(result_change_request::Column::DecidedAt, Expr::value(now))
        .filter(result_change_request::Column::InstitutionId.eq(institution.0))
        .filter(result_change_request::Column::Id.eq(id.0))
        .filter(result_change_request::Column::Status.eq("pending"))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn course_file(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Option<crate::rows::CourseFile>, StoreError> {
    use crate::entities::course_file;
    Ok(course_file::Entity::find()
        .filter(course_file::Column::InstitutionId.eq(institution.0))
        .filter(course_file::Column::OfferingId.eq(offering.0))
        .one(conn)
        .await?)
}

/// Writes the course file's narrative (one row per offering).
pub async fn save_course_file(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    reflections: &str,
    improvements: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use crate::entities::course_file;
    use sea_orm::sea_query::OnConflict;
    let row = course_file::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        reflections: Set(reflections.to_owned()),
        improvements: Set(improvements.to_owned()),
        updated_by: Set(by.0),
        updated_at: Set(now),
        ..Default::default()
    };
    course_file::Entity::insert(row)
        .on_conflict(
            OnConflict::column(course_file::Column::OfferingId)
                .update_columns([
                    course_file::Column::Reflections,
                    course_file::Column::Improvements,
                    course_file::Column::UpdatedBy,
                    course_file::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
