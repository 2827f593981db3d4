//! Cohorts (intakes) and students' academic records.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CohortId, CurriculumVersionId, InstitutionId, ProgramId, TermId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::{cohort, student};
use crate::rows::{Cohort, Student};
use crate::{Conn, StoreError};

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    program: ProgramId,
    intake_term: TermId,
    curriculum: Option<CurriculumVersionId>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Cohort, StoreError> {
    let row = cohort::ActiveModel {
        institution_id: Set(institution.0),
        program_id: Set(program.0),
        intake_term_id: Set(intake_term.0),
        curriculum_version_id: Set(curriculum.map(|c| c.0)),
        name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(cohort::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn list(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Cohort>, StoreError> {
    matching(conn, institution, "").await
}

/// Cohorts whose name contains `search` (all when blank), by name.
pub async fn matching(conn: &impl Conn, institution: InstitutionId, search: &str) -> Result<Vec<Cohort>, StoreError> {
    let mut query = cohort::Entity::find().filter(cohort::Column::InstitutionId.eq(institution.0));
    if let Some(matches) = crate::search::contains_any(&[cohort::Column::Name], search) {
        query = query.filter(matches);
    }
    Ok(query.order_by_asc(cohort::Column::Name).all(conn).await?)
}

/// Renames a cohort or moves it to another intake term; false when it is not this institution's.
pub async fn update(
    conn: &impl Conn,
    institution: InstitutionId,
    id: CohortId,
    intake_term: TermId,
    name: &str,
) -> Result<bool, StoreError> {
    let result = cohort::Entity::update_many()
        .col_expr(cohort::Column::IntakeTermId, Expr::value(intake_term.0))
        .col_expr(cohort::Column::Name, Expr::value(name))
        .filter(cohort::Column::InstitutionId.eq(institution.0))
        .filter(cohort::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn get(conn: &impl Conn, institution: InstitutionId, id: CohortId) -> Result<Option<Cohort>, StoreError> {
    Ok(cohort::Entity::find_by_id(id.0).filter(cohort::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub struct NewStudent<'a> {
    pub user: UserId,
    pub program: ProgramId,
    pub cohort: Option<CohortId>,
    pub registration_no: &'a str,
}

pub async fn insert_student(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewStudent<'_>,
    now: DateTime<Utc>,
) -> Result<Student, StoreError> {
    let row = student::ActiveModel {
        institution_id: Set(institution.0),
        user_id: Set(new.user.0),
        program_id: Set(new.program.0),
        cohort_id: Set(new.cohort.map(|c| c.0)),
        registration_no: Set(new.registration_no.to_owned()),
        status: Set("active".to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(student::Entity::insert(row).exec_with_returning(conn).await?)
}

/// The academic record of a user, if they are a student.
pub async fn student_of(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
) -> Result<Option<Student>, StoreError> {
    Ok(student::Entity::find()
        .filter(student::Column::InstitutionId.eq(institution.0))
        .filter(student::Column::UserId.eq(user.0))
        .one(conn)
        .await?)
}

pub async fn students_in_cohort(
    conn: &impl Conn,
    institution: InstitutionId,
    cohort: CohortId,
) -> Result<Vec<Student>, StoreError> {
    Ok(student::Entity::find()
        .filter(student::Column::InstitutionId.eq(institution.0))
        .filter(student::Column::CohortId.eq(cohort.0))
        .order_by_asc(student::Column::RegistrationNo)
        .all(conn)
        .await?)
}

/// (user, registration number) of these users' student records.
pub async fn registration_numbers(
    conn: &impl Conn,
    institution: InstitutionId,
    users: &[i64],
) -> Result<Vec<(i64, String)>, StoreError> {
    use sea_orm::QuerySelect;
    let mut out = Vec::new();
    for chunk in users.chunks(500) {
        let rows: Vec<(i64, String)> = student::Entity::find()
            .select_only()
            .columns([student::Column::UserId, student::Column::RegistrationNo])
            .filter(student::Column::InstitutionId.eq(institution.0))
            .filter(student::Column::UserId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
