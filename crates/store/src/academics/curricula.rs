//! Curriculum versions (a program's catalogue year), their courses by semester, and the
//! curriculum map (which course introduces, reinforces or masters each PLO).

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CourseId, CurriculumVersionId, InstitutionId, ProgramId, TermId};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, OnConflict},
};

use crate::entities::{curriculum_course, curriculum_map_cell, curriculum_version};
use crate::rows::{CurriculumCourse, CurriculumMapCell, CurriculumVersion};
use crate::{Conn, StoreError};

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    program: ProgramId,
    name: &str,
    catalog_year: i64,
    effective_term: TermId,
    now: DateTime<Utc>,
) -> Result<CurriculumVersion, StoreError> {
    let row = curriculum_version::ActiveModel {
        institution_id: Set(institution.0),
        program_id: Set(program.0),
        name: Set(name.to_owned()),
        catalog_year: Set(catalog_year),
        effective_term_id: Set(effective_term.0),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(curriculum_version::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn for_program(
    conn: &impl Conn,
    institution: InstitutionId,
    program: ProgramId,
) -> Result<Vec<CurriculumVersion>, StoreError> {
    Ok(curriculum_version::Entity::find()
        .filter(curriculum_version::Column::InstitutionId.eq(institution.0))
        .filter(curriculum_version::Column::ProgramId.eq(program.0))
        .order_by_desc(curriculum_version::Column::CatalogYear)
        .all(conn)
        .await?)
}

pub async fn get(
    conn: &impl Conn,
    institution: InstitutionId,
    id: CurriculumVersionId,
) -> Result<Option<CurriculumVersion>, StoreError> {
    Ok(curriculum_version::Entity::find_by_id(id.0)
        .filter(curriculum_version::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?)
}

/// Renames a curriculum or changes its catalogue year or effective term.
pub async fn update(
    conn: &impl Conn,
    institution: InstitutionId,
    id: CurriculumVersionId,
    name: &str,
    catalog_year: i64,
    effective_term: TermId,
) -> Result<bool, StoreError> {
    let result = curriculum_version::Entity::update_many()
        .col_expr(curriculum_version::Column::Name, Expr::value(name))
        .col_expr(curriculum_version::Column::CatalogYear, Expr::value(catalog_year))
        .col_expr(curriculum_version::Column::EffectiveTermId, Expr::value(effective_term.0))
        .filter(curriculum_version::Column::InstitutionId.eq(institution.0))
        .filter(curriculum_version::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Puts a course in a semester of the curriculum (or moves it there).
pub async fn set_course(
    conn: &impl Conn,
    institution: InstitutionId,
    curriculum: CurriculumVersionId,
    course: CourseId,
    semester: i64,
    category: &str,
) -> Result<(), StoreError> {
    let row = curriculum_course::ActiveModel {
        institution_id: Set(institution.0),
        curriculum_version_id: Set(curriculum.0),
        course_id: Set(course.0),
        semester: Set(semester),
        category: Set(category.to_owned()),
        ..Default::default()
    };
    curriculum_course::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                curriculum_course::Column::InstitutionId,
                curriculum_course::Column::CurriculumVersionId,
                curriculum_course::Column::CourseId,
            ])
            .update_columns([curriculum_course::Column::Semester, curriculum_course::Column::Category])
            .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn remove_course(
    conn: &impl Conn,
    institution: InstitutionId,
    curriculum: CurriculumVersionId,
    course: CourseId,
) -> Result<bool, StoreError> {
    let result = curriculum_course::Entity::delete_many()
        .filter(curriculum_course::Column::InstitutionId.eq(institution.0))
        .filter(curriculum_course::Column::CurriculumVersionId.eq(curriculum.0))
        .filter(curriculum_course::Column::CourseId.eq(course.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn courses(
    conn: &impl Conn,
    institution: InstitutionId,
    curriculum: CurriculumVersionId,
) -> Result<Vec<CurriculumCourse>, StoreError> {
    Ok(curriculum_course::Entity::find()
        .filter(curriculum_course::Column::InstitutionId.eq(institution.0))
        .filter(curriculum_course::Column::CurriculumVersionId.eq(curriculum.0))
        .order_by_asc(curriculum_course::Column::Semester)
        .order_by_asc(curriculum_course::Column::Id)
        .all(conn)
        .await?)
}

/// Sets (or with `None` clears) one cell of the curriculum map.
pub async fn set_map_cell(
    conn: &impl Conn,
    institution: InstitutionId,
    curriculum: CurriculumVersionId,
    course: CourseId,
    plo_lineage: i64,
    level: Option<&str>,
) -> Result<(), StoreError> {
    curriculum_map_cell::Entity::delete_many()
        .filter(curriculum_map_cell::Column::InstitutionId.eq(institution.0))
        .filter(curriculum_map_cell::Column::CurriculumVersionId.eq(curriculum.0))
        .filter(curriculum_map_cell::Column::CourseId.eq(course.0))
        .filter(curriculum_map_cell::Column::PloLineageId.eq(plo_lineage))
        .exec(conn)
        .await?;
    if let Some(level) = level {
        let row = curriculum_map_cell::ActiveModel {
            institution_id: Set(institution.0),
            curriculum_version_id: Set(curriculum.0),
            course_id: Set(course.0),
            plo_lineage_id: Set(plo_lineage),
            level: Set(level.to_owned()),
            ..Default::default()
        };
        curriculum_map_cell::Entity::insert(row).exec_without_returning(conn).await?;
    }
    Ok(())
}

pub async fn map_cells(
    conn: &impl Conn,
    institution: InstitutionId,
    curriculum: CurriculumVersionId,
) -> Result<Vec<CurriculumMapCell>, StoreError> {
    Ok(curriculum_map_cell::Entity::find()
        .filter(curriculum_map_cell::Column::InstitutionId.eq(institution.0))
        .filter(curriculum_map_cell::Column::CurriculumVersionId.eq(curriculum.0))
        .all(conn)
        .await?)
}
