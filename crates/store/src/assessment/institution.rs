//! Whole-institution reads for recomputing all attainment at once: a few wide queries that
//! return compact rows, instead of one query per offering.

use qobe_domain::ids::InstitutionId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::academics::outcomes::Outcome;
use crate::entities::{assessment, assessment_item, clo, clo_plo_map, enrollment, item_clo_map, mark, student};
use crate::rows::{Assessment, AssessmentItem, CloPloMap, ItemCloMap};
use crate::{Conn, StoreError};

pub async fn clos(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Outcome>, StoreError> {
    Ok(clo::Entity::find()
        .filter(clo::Column::InstitutionId.eq(institution.0))
        .all(conn)
        .await?
        .into_iter()
        .map(Outcome::from)
        .collect())
}

pub async fn clo_plo_maps(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<CloPloMap>, StoreError> {
    Ok(clo_plo_map::Entity::find().filter(clo_plo_map::Column::InstitutionId.eq(institution.0)).all(conn).await?)
}

pub async fn assessments(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Assessment>, StoreError> {
    Ok(assessment::Entity::find().filter(assessment::Column::InstitutionId.eq(institution.0)).all(conn).await?)
}

pub async fn items(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<AssessmentItem>, StoreError> {
    Ok(assessment_item::Entity::find()
        .filter(assessment_item::Column::InstitutionId.eq(institution.0))
        .all(conn)
        .await?)
}

pub async fn item_clos(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<ItemCloMap>, StoreError> {
    Ok(item_clo_map::Entity::find().filter(item_clo_map::Column::InstitutionId.eq(institution.0)).all(conn).await?)
}

/// (offering, student) of every enrolment that counts for attainment (enrolled or completed).
pub async fn counting_enrollments(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(enrollment::Entity::find()
        .select_only()
        .columns([enrollment::Column::OfferingId, enrollment::Column::UserId])
        .filter(enrollment::Column::InstitutionId.eq(institution.0))
        .filter(enrollment::Column::Status.is_in(["enrolled", "completed"]))
        .into_tuple()
        .all(conn)
        .await?)
}

/// One mark, compactly: (offering, item, student, score, status).
pub type CompactMark = (i64, i64, i64, Option<f64>, String);

/// The marks of offerings `first..=last` (by id), so a whole institution can be read in
/// batches of bounded size.
pub async fn marks_of_offerings(
    conn: &impl Conn,
    institution: InstitutionId,
    first: i64,
    last: i64,
) -> Result<Vec<CompactMark>, StoreError> {
    Ok(mark::Entity::find()
        .select_only()
        .columns([
            mark::Column::OfferingId,
            mark::Column::ItemId,
            mark::Column::UserId,
            mark::Column::Score,
            mark::Column::Status,
        ])
        .filter(mark::Column::InstitutionId.eq(institution.0))
        .filter(mark::Column::OfferingId.between(first, last))
        .into_tuple()
        .all(conn)
        .await?)
}

/// (student, program, cohort) of every student record.
pub async fn students(
    conn: &impl Conn,
    institution: InstitutionId,
) -> Result<Vec<(i64, i64, Option<i64>)>, StoreError> {
    Ok(student::Entity::find()
        .select_only()
        .columns([student::Column::UserId, student::Column::ProgramId, student::Column::CohortId])
        .filter(student::Column::InstitutionId.eq(institution.0))
        .into_tuple()
        .all(conn)
        .await?)
}
