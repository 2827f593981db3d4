//! The course catalogue and prerequisites.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CourseId, DepartmentId, InstitutionId, PrerequisiteId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::{course, prerequisite};
use crate::rows::{Course, Prerequisite};
use crate::search::contains_any;
use crate::{Conn, StoreError};

pub struct CourseFields<'a> {
    pub department_id: DepartmentId,
    pub code: &'a str,
    pub title: &'a str,
    pub credits_theory: f64,
    pub credits_lab: f64,
    pub category: &'a str,
    pub description: Option<&'a str>,
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    fields: CourseFields<'_>,
    now: DateTime<Utc>,
) -> Result<Course, StoreError> {
    let row = course::ActiveModel {
        institution_id: Set(institution.0),
        department_id: Set(fields.department_id.0),
        code: Set(fields.code.to_owned()),
        title: Set(fields.title.to_owned()),
        credits_theory: Set(fields.credits_theory),
        credits_lab: Set(fields.credits_lab),
        category: Set(fields.category.to_owned()),
        description: Set(fields.description.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(course::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn update(
    conn: &impl Conn,
    institution: InstitutionId,
    id: CourseId,
    fields: CourseFields<'_>,
) -> Result<bool, StoreError> {
    let result = course::Entity::update_many()
        .col_expr(course::Column::DepartmentId, Expr::value(fields.department_id.0))
        .col_expr(course::Column::Code, Expr::value(fields.code))
        .col_expr(course::Column::Title, Expr::value(fields.title))
        .col_expr(course::Column::CreditsTheory, Expr::value(fields.credits_theory))
        .col_expr(course::Column::CreditsLab, Expr::value(fields.credits_lab))
        .col_expr(course::Column::Category, Expr::value(fields.category))
        .col_expr(course::Column::Description, Expr::value(fields.description.map(str::to_owned)))
        .filter(course::Column::InstitutionId.eq(institution.0))
        .filter(course::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Courses whose code or title contains `search` (all when empty), by code.
pub async fn list(conn: &impl Conn, institution: InstitutionId, search: &str) -> Result<Vec<Course>, StoreError> {
    let mut query = course::Entity::find().filter(course::Column::InstitutionId.eq(institution.0));
    if let Some(matches) = contains_any(&[course::Column::Code, course::Column::Title], search) {
        query = query.filter(matches);
    }
    Ok(query.order_by_asc(course::Column::Code).all(conn).await?)
}

pub async fn get(conn: &impl Conn, institution: InstitutionId, id: CourseId) -> Result<Option<Course>, StoreError> {
    Ok(course::Entity::find_by_id(id.0).filter(course::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn by_code(conn: &impl Conn, institution: InstitutionId, code: &str) -> Result<Option<Course>, StoreError> {
    Ok(course::Entity::find()
        .filter(course::Column::InstitutionId.eq(institution.0))
        .filter(course::Column::Code.eq(code))
        .one(conn)
        .await?)
}

pub async fn add_prerequisite(
    conn: &impl Conn,
    institution: InstitutionId,
    course: CourseId,
    required: CourseId,
    min_grade: &str,
) -> Result<Prerequisite, StoreError> {
    let row = prerequisite::ActiveModel {
        institution_id: Set(institution.0),
        course_id: Set(course.0),
        required_course_id: Set(required.0),
        min_grade: Set(min_grade.to_owned()),
        ..Default::default()
    };
    Ok(prerequisite::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn remove_prerequisite(
    conn: &impl Conn,
    institution: InstitutionId,
    id: PrerequisiteId,
) -> Result<bool, StoreError> {
    let result = prerequisite::Entity::delete_many()
        .filter(prerequisite::Column::InstitutionId.eq(institution.0))
        .filter(prerequisite::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The prerequisites of one course.
pub async fn prerequisites(
    conn: &impl Conn,
    institution: InstitutionId,
    course: CourseId,
) -> Result<Vec<Prerequisite>, StoreError> {
    Ok(prerequisite::Entity::find()
        .filter(prerequisite::Column::InstitutionId.eq(institution.0))
        .filter(prerequisite::Column::CourseId.eq(course.0))
        .order_by_asc(prerequisite::Column::Id)
        .all(conn)
        .await?)
}

/// Every prerequisite edge of the institution, for cycle checks.
pub async fn all_prerequisites(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Prerequisite>, StoreError> {
    Ok(prerequisite::Entity::find().filter(prerequisite::Column::InstitutionId.eq(institution.0)).all(conn).await?)
}

/// These courses of the institution, in no particular order.
pub async fn by_ids(conn: &impl Conn, institution: InstitutionId, ids: &[i64]) -> Result<Vec<Course>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            course::Entity::find()
                .filter(course::Column::InstitutionId.eq(institution.0))
                .filter(course::Column::Id.is_in(chunk.iter().copied()))
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}
