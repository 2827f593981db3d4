//! Faculties, departments (optionally under a faculty) and programs: the academic structure
//! that role scopes, courses and cohorts point at.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{DepartmentId, FacultyId, InstitutionId, ProgramId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{department, faculty, program};
use crate::rows::{Department, Faculty, Program};
use crate::{Conn, StoreError};

pub async fn insert_faculty(
    conn: &impl Conn,
    institution: InstitutionId,
    code: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Faculty, StoreError> {
    let row = faculty::ActiveModel {
        institution_id: Set(institution.0),
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(faculty::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn faculties(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Faculty>, StoreError> {
    Ok(faculty::Entity::find()
        .filter(faculty::Column::InstitutionId.eq(institution.0))
        .order_by_asc(faculty::Column::Name)
        .all(conn)
        .await?)
}

pub async fn faculty(
    conn: &impl Conn,
    institution: InstitutionId,
    id: FacultyId,
) -> Result<Option<Faculty>, StoreError> {
    Ok(faculty::Entity::find_by_id(id.0).filter(faculty::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn update_faculty(
    conn: &impl Conn,
    institution: InstitutionId,
    id: FacultyId,
    code: &str,
    name: &str,
) -> Result<bool, StoreError> {
    use sea_orm::sea_query::Expr;
    let result = faculty::Entity::update_many()
        .col_expr(faculty::Column::Code, Expr::value(code))
        .col_expr(faculty::Column::Name, Expr::value(name))
        .filter(faculty::Column::InstitutionId.eq(institution.0))
        .filter(faculty::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn insert_department(
    conn: &impl Conn,
    institution: InstitutionId,
    faculty: Option<FacultyId>,
    code: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Department, StoreError> {
    let row = department::ActiveModel {
        institution_id: Set(institution.0),
        faculty_id: Set(faculty.map(|f| f.0)),
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(department::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn departments(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Department>, StoreError> {
    Ok(department::Entity::find()
        .filter(department::Column::InstitutionId.eq(institution.0))
        .order_by_asc(department::Column::Name)
        .all(conn)
        .await?)
}

pub async fn department(
    conn: &impl Conn,
    institution: InstitutionId,
    id: DepartmentId,
) -> Result<Option<Department>, StoreError> {
    Ok(department::Entity::find_by_id(id.0)
        .filter(department::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?)
}

pub async fn insert_program(
    conn: &impl Conn,
    institution: InstitutionId,
    department: DepartmentId,
    code: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Program, StoreError> {
    let row = program::ActiveModel {
        institution_id: Set(institution.0),
        department_id: Set(department.0),
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(program::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn programs(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Program>, StoreError> {
    Ok(program::Entity::find()
        .filter(program::Column::InstitutionId.eq(institution.0))
        .order_by_asc(program::Column::Name)
        .all(conn)
        .await?)
}

pub async fn program(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ProgramId,
) -> Result<Option<Program>, StoreError> {
    Ok(program::Entity::find_by_id(id.0).filter(program::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn update_department(
    conn: &impl Conn,
    institution: InstitutionId,
    id: DepartmentId,
    faculty: Option<FacultyId>,
    code: &str,
    name: &str,
) -> Result<bool, StoreError> {
    use sea_orm::sea_query::Expr;
    let result = department::Entity::update_many()
        .col_expr(department::Column::FacultyId, Expr::value(faculty.map(|f| f.0)))
        .col_expr(department::Column::Code, Expr::value(code))
        .col_expr(department::Column::Name, Expr::value(name))
        .filter(department::Column::InstitutionId.eq(institution.0))
        .filter(department::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn update_program(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ProgramId,
    department: DepartmentId,
    code: &str,
    name: &str,
) -> Result<bool, StoreError> {
    use sea_orm::sea_query::Expr;
    let result = program::Entity::update_many()
        .col_expr(program::Column::DepartmentId, Expr::value(department.0))
        .col_expr(program::Column::Code, Expr::value(code))
        .col_expr(program::Column::Name, Expr::value(name))
        .filter(program::Column::InstitutionId.eq(institution.0))
        .filter(program::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
