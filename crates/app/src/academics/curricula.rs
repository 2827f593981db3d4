//! Curriculum versions (catalogue years) of a program: courses by semester, the curriculum map
//! (which course introduces, reinforces or masters each PLO) and its coverage report.

use qobe_domain::FieldErrors;
use qobe_domain::academics::CourseCategory;
use qobe_domain::entered::Entered;
use qobe_domain::frameworks::{CoverageLevel, CoverageReport, coverage_report};
use qobe_domain::ids::{CourseId, CurriculumVersionId, ProgramId, TermId};
use qobe_domain::validation::required_text;
use qobe_store::academics::outcomes::{self as outcome_rows, OutcomeOwner};
use qobe_store::academics::{courses, curricula, terms};
use qobe_store::rows::{Course, Program};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::{CurriculumCourse, CurriculumVersion};
use qobe_store::structure;

use super::duplicate;
use super::outcomes::{Outcome, versions_for};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

async fn program_of(app: &App, actor: &Actor, program: ProgramId, write: bool) -> AppResult<Program> {
    let row = structure::program(app.store.conn(), actor.institution()?, program).await?.ok_or(AppError::NotFound)?;
    if write && !crate::authz::edit_program_outcomes(actor, row.id, row.department_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

pub async fn list(app: &App, actor: &Actor, program: ProgramId) -> AppResult<Vec<CurriculumVersion>> {
    program_of(app, actor, program, false).await?;
    Ok(curricula::for_program(app.store.conn(), actor.institution()?, program).await?)
}

/// A new catalogue of a program, as its form and `POST /api/v1/programs/{id}/curricula` send it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CurriculumIn)]
pub struct CurriculumInput {
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(value_type = i64, minimum = 1950, maximum = 2200)]
    pub catalog_year: Entered<i64>,
    /// The term code it takes effect from.
    pub effective_term: String,
}

/// A course placed in a curriculum: its code, semester and category there.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlacementInput {
    pub course: String,
    pub semester: String,
    pub category: String,
}

pub async fn create(
    app: &App,
    actor: &Actor,
    program: ProgramId,
    input: &CurriculumInput,
    client: &ClientInfo,
) -> AppResult<CurriculumVersion> {
    let program = program_of(app, actor, program, true).await?;
    let institution = actor.institution()?;
    let year = input.catalog_year.text();
    let (name, year, term) = curriculum_fields(app, actor, &input.name, &year, &input.effective_term).await?;
    let tx = app.store.begin().await?;
    let row = curricula::insert(&tx, institution, ProgramId(program.id), &name, year, TermId(term.id), app.now())
        .await
        .map_err(duplicate("catalog_year", DUPLICATE_YEAR))?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.curriculum_created")
            .target(&program.code)
            .details(serde_json::json!({ "catalog_year": year })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

const DUPLICATE_YEAR: &str = "This program already has a curriculum for that catalogue year.";

/// A curriculum form's name, catalogue year and effective term (by code), checked together.
async fn curriculum_fields(
    app: &App,
    actor: &Actor,
    name: &str,
    catalog_year: &str,
    effective_term: &str,
) -> AppResult<(String, i64, qobe_store::rows::Term)> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(name, 100));
    let year = errors.check(
        "catalog_year",
        catalog_year
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|y| (1950..=2200).contains(y))
            .ok_or_else(|| "must be a year like 2026".to_owned()),
    );
    let term = terms::by_code(app.store.conn(), actor.institution()?, &effective_term.trim().to_uppercase()).await?;
    if term.is_none() {
        errors.refuse("effective_term", "is not a term code of this institution");
    }
    match (name, year, term) {
        (Some(name), Some(year), Some(term)) => Ok((name, year, term)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Renames a curriculum or corrects its catalogue year or effective term.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: CurriculumVersionId,
    input: &CurriculumInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.institution()?;
    let current = curricula::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let program = program_of(app, actor, ProgramId(current.program_id), true).await?;
    let year = input.catalog_year.text();
    let (name, year, term) = curriculum_fields(app, actor, &input.name, &year, &input.effective_term).await?;
    let tx = app.store.begin().await?;
    curricula::update(&tx, institution, id, &name, year, TermId(term.id))
        .await
        .map_err(duplicate("catalog_year", DUPLICATE_YEAR))?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.curriculum_updated")
            .target(&program.code)
            .details(serde_json::json!({ "curriculum": id.0, "catalog_year": year })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// A curriculum with everything its page shows.
pub struct CurriculumView {
    pub curriculum: CurriculumVersion,
    pub program: Program,
    pub courses: Vec<(CurriculumCourse, Course)>,
    pub plos: Vec<Outcome>,
    /// Per course row (same order as `courses`), the level per PLO column.
    pub levels: Vec<Vec<Option<CoverageLevel>>>,
    pub coverage: CoverageReport,
    /// PLO codes that no CLO of the curriculum's courses is mapped to: nobody assesses them.
    pub unassessed: Vec<String>,
}

pub async fn view(app: &App, actor: &Actor, id: CurriculumVersionId) -> AppResult<CurriculumView> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let curriculum = curricula::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let program = program_of(app, actor, ProgramId(curriculum.program_id), false).await?;
    let catalogue = courses::list(conn, institution, "").await?;
    let mut rows = Vec::new();
    for entry in curricula::courses(conn, institution, id).await? {
        if let Some(course) = catalogue.iter().find(|c| c.id == entry.course_id).cloned() {
            rows.push((entry, course));
        }
    }
    let all_terms = terms::list(conn, institution).await?;
    let plos = versions_for(
        &outcome_rows::all_versions(conn, institution, OutcomeOwner::ProgramPlos(program.id)).await?,
        &all_terms,
        None,
    );
    let cells = curricula::map_cells(conn, institution, id).await?;
    let levels: Vec<Vec<Option<CoverageLevel>>> = rows
        .iter()
        .map(|(_, course)| {
            plos.iter()
                .map(|plo| {
                    cells
                        .iter()
                        .find(|c| c.course_id == course.id && c.plo_lineage_id == plo.lineage_id)
                        .and_then(|c| CoverageLevel::parse(&c.level).ok())
                })
                .collect()
        })
        .collect();
    let flat: Vec<(String, String, Option<CoverageLevel>)> = rows
        .iter()
        .zip(&levels)
        .flat_map(|((_, course), row)| {
            plos.iter().zip(row).map(move |(plo, level)| (course.code.clone(), plo.code.clone(), *level))
        })
        .collect();
    let codes: Vec<String> = plos.iter().map(|p| p.code.clone()).collect();
    let coverage = coverage_report(&flat, &codes);
    let course_ids: Vec<i64> = rows.iter().map(|(_, c)| c.id).collect();
    let clos = versions_for(&outcome_rows::clos_of_courses(conn, institution, &course_ids).await?, &all_terms, None);
    let clo_ids: Vec<i64> = clos.iter().map(|c| c.id).collect();
    let maps = outcome_rows::clo_plo_maps(conn, institution, &clo_ids).await?;
    let unassessed =
        plos.iter().filter(|p| !maps.iter().any(|m| m.plo_id == p.lineage_id)).map(|p| p.code.clone()).collect();
    Ok(CurriculumView { curriculum, program, courses: rows, plos, levels, coverage, unassessed })
}

/// Puts a course (by code) into a semester of the curriculum.
pub async fn set_course(
    app: &App,
    actor: &Actor,
    id: CurriculumVersionId,
    input: &PlacementInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let PlacementInput { course: code, semester, category } = input;
    let institution = actor.institution()?;
    let curriculum = curricula::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    program_of(app, actor, ProgramId(curriculum.program_id), true).await?;
    let mut errors = FieldErrors::new();
    let course = courses::by_code(app.store.conn(), institution, &code.trim().to_uppercase()).await?;
    if course.is_none() {
        errors.refuse("course", "is not a course code of this institution");
    }
    let semester = errors.check(
        "semester",
        semester
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (1..=12).contains(s))
            .ok_or_else(|| "must be a semester from 1 to 12".to_owned()),
    );
    let category = errors.check("category", CourseCategory::parse(category));
    let (Some(course), Some(semester), Some(category)) = (course, semester, category) else {
        return Err(AppError::Invalid(errors));
    };
    let tx = app.store.begin().await?;
    curricula::set_course(&tx, institution, id, CourseId(course.id), semester, category.as_str()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.curriculum_course_set")
            .target(&course.code)
            .details(serde_json::json!({ "curriculum": id.0, "semester": semester })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// Saves the whole curriculum map in one transaction; cells are (course id, PLO lineage id,
/// `I`/`R`/`M`/blank). A bad cell names its course and PLO and nothing is saved.
pub async fn save_map(
    app: &App,
    actor: &Actor,
    id: CurriculumVersionId,
    cells: &[(i64, i64, String)],
    client: &ClientInfo,
) -> AppResult<usize> {
    let view = view(app, actor, id).await?;
    program_of(app, actor, ProgramId(view.program.id), true).await?;
    let institution = actor.institution()?;
    let mut errors = FieldErrors::new();
    let mut changes = Vec::new();
    for (course, plo, raw) in cells {
        let Some(row) = view.courses.iter().position(|(_, c)| c.id == *course) else { return Err(AppError::NotFound) };
        let Some(column) = view.plos.iter().position(|p| p.lineage_id == *plo) else { return Err(AppError::NotFound) };
        match CoverageLevel::parse_cell(raw) {
            Ok(level) if level != view.levels[row][column] => changes.push((*course, *plo, level)),
            Ok(_) => {}
            Err(e) => errors.add(
                &format!("m{course}_{plo}"),
                format!("{} → {}: {e}", view.courses[row].1.code, view.plos[column].code),
            ),
        }
    }
    errors.into_result()?;
    let tx = app.store.begin().await?;
    for (course, plo, level) in &changes {
        curricula::set_map_cell(
            &tx,
            institution,
            id,
            CourseId(*course),
            *plo,
            level.map(|l| l.letter().to_string()).as_deref(),
        )
        .await?;
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.curriculum_map_saved")
            .target(&view.program.code)
            .details(serde_json::json!({ "curriculum": id.0, "changed_cells": changes.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(changes.len())
}
