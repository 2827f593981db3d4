//! The CLO→PLO mapping matrix with articulation averages and coverage, and the PLO→PEO links.

use qobe_domain::FieldErrors;
use qobe_domain::frameworks::{MappingStrength, articulation_average};
use qobe_domain::ids::{CloId, ProgramId};
use qobe_store::academics::outcomes::{self, OutcomeOwner};
use qobe_store::academics::{courses, terms};
use qobe_store::rows::{Course, Program};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

use super::{Outcome, program_owner, versions_for};

/// One row of the mapping matrix: a CLO and its strength towards each PLO (by PLO column).
#[derive(Debug, Clone)]
pub struct MatrixRow {
    pub clo: Outcome,
    pub cells: Vec<Option<MappingStrength>>,
}

/// One course block of the matrix with its articulation averages.
#[derive(Debug, Clone)]
pub struct MatrixCourse {
    pub course: Course,
    pub rows: Vec<MatrixRow>,
    /// Per PLO column: the average of this course's non-blank cells.
    pub plo_averages: Vec<Option<f64>>,
    /// The average of all this course's non-blank cells.
    pub average: Option<f64>,
}

/// The CLO-PLO mapping matrix of a program.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub program: Program,
    pub plos: Vec<Outcome>,
    pub courses: Vec<MatrixCourse>,
    /// Per PLO column: the average over every course's non-blank cells.
    pub plo_averages: Vec<Option<f64>>,
}

/// How well the curriculum covers one PLO, from the CLO-PLO mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct PloCoverage {
    /// Courses with at least one CLO mapped to the PLO.
    pub courses: usize,
    /// CLOs mapped to the PLO.
    pub clos: usize,
    /// CLOs mapped at strength 3 (high).
    pub strong: usize,
    pub average: Option<f64>,
}

impl PloCoverage {
    /// `not covered`, `weak` (no high mapping) or `covered`.
    pub fn verdict(&self) -> &'static str {
        match (self.clos, self.strong) {
            (0, _) => "not covered",
            (_, 0) => "weak",
            _ => "covered",
        }
    }
}

impl Matrix {
    /// Each PLO's coverage, in PLO order.
    pub fn coverage(&self) -> Vec<PloCoverage> {
        (0..self.plos.len())
            .map(|i| {
                let cells = || self.courses.iter().flat_map(|c| c.rows.iter().filter_map(move |r| r.cells[i]));
                PloCoverage {
                    courses: self.courses.iter().filter(|c| c.rows.iter().any(|r| r.cells[i].is_some())).count(),
                    clos: cells().count(),
                    strong: cells().filter(|s| s.value() == 3).count(),
                    average: self.plo_averages[i],
                }
            })
            .collect()
    }
}

/// The matrix over the courses of the program's curricula (or, with none yet, the courses of
/// its department), using the latest outcome versions.
pub async fn matrix(app: &App, actor: &Actor, program: ProgramId) -> AppResult<Matrix> {
    let program = program_owner(app, actor, program, false).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let all_terms = terms::list(conn, institution).await?;
    let plos = versions_for(
        &outcomes::all_versions(conn, institution, OutcomeOwner::ProgramPlos(program.id)).await?,
        &all_terms,
        None,
    );
    let mut course_ids: Vec<i64> = Vec::new();
    for curriculum in qobe_store::academics::curricula::for_program(conn, institution, ProgramId(program.id)).await? {
        for c in qobe_store::academics::curricula::courses(
            conn,
            institution,
            qobe_domain::ids::CurriculumVersionId(curriculum.id),
        )
        .await?
        {
            if !course_ids.contains(&c.course_id) {
                course_ids.push(c.course_id);
            }
        }
    }
    let catalogue = courses::list(conn, institution, "").await?;
    if course_ids.is_empty() {
        course_ids = catalogue.iter().filter(|c| c.department_id == program.department_id).map(|c| c.id).collect();
    }
    let clos_all = outcomes::clos_of_courses(conn, institution, &course_ids).await?;
    let mut blocks = Vec::new();
    let mut columns: Vec<Vec<Option<MappingStrength>>> = vec![Vec::new(); plos.len()];
    for course in catalogue.into_iter().filter(|c| course_ids.contains(&c.id)) {
        let versions: Vec<Outcome> = clos_all.iter().filter(|o| o.parent_id == course.id).cloned().collect();
        let clos = versions_for(&versions, &all_terms, None);
        let ids: Vec<i64> = clos.iter().map(|c| c.id).collect();
        let maps = outcomes::clo_plo_maps(conn, institution, &ids).await?;
        let rows: Vec<MatrixRow> = clos
            .into_iter()
            .map(|clo| {
                let cells = plos
                    .iter()
                    .map(|plo| {
                        maps.iter()
                            .find(|m| m.clo_id == clo.id && m.plo_id == plo.lineage_id)
                            .and_then(|m| u8::try_from(m.strength).ok())
                            .and_then(|s| MappingStrength::try_from(s).ok())
                    })
                    .collect();
                MatrixRow { clo, cells }
            })
            .collect();
        let plo_averages: Vec<Option<f64>> = (0..plos.len())
            .map(|i| {
                let column: Vec<Option<MappingStrength>> = rows.iter().map(|r| r.cells[i]).collect();
                columns[i].extend(column.iter().copied());
                articulation_average(&column)
            })
            .collect();
        let all_cells: Vec<Option<MappingStrength>> = rows.iter().flat_map(|r| r.cells.iter().copied()).collect();
        blocks.push(MatrixCourse { course, average: articulation_average(&all_cells), rows, plo_averages });
    }
    let plo_averages = columns.iter().map(|c| articulation_average(c)).collect();
    Ok(Matrix { program, plos, courses: blocks, plo_averages })
}

/// Saves the whole matrix in one transaction: each cell is (CLO version id, PLO lineage id,
/// strength `1`–`3`/`L`/`M`/`H` or blank). A bad cell names its CLO and PLO; nothing is saved then.
pub async fn save_matrix(
    app: &App,
    actor: &Actor,
    program: ProgramId,
    cells: &[(i64, i64, String)],
    client: &ClientInfo,
) -> AppResult<usize> {
    let program = program_owner(app, actor, program, true).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plos = outcomes::all_versions(&tx, institution, OutcomeOwner::ProgramPlos(program.id)).await?;
    let clo_ids: Vec<i64> = cells.iter().map(|c| c.0).collect();
    let existing = outcomes::clo_plo_maps(&tx, institution, &clo_ids).await?;
    let mut errors = FieldErrors::new();
    let mut changes = Vec::new();
    for (clo, plo, raw) in cells {
        let Some(plo_row) = plos.iter().find(|p| p.lineage_id == *plo) else { return Err(AppError::NotFound) };
        let clo_row = outcomes::clos_by_id(&tx, institution, CloId(*clo)).await?.ok_or(AppError::NotFound)?;
        match MappingStrength::parse_cell(raw) {
            Ok(strength) => {
                let before = existing.iter().find(|m| m.clo_id == *clo && m.plo_id == *plo).map(|m| m.strength);
                let after = strength.map(|s| i64::from(s.value()));
                if before != after {
                    changes.push((clo_row.id, *plo, strength));
                }
            }
            Err(e) => errors.add(&format!("c{clo}_{plo}"), format!("{} → {}: {e}", clo_row.code, plo_row.code)),
        }
    }
    errors.into_result()?;
    for (clo, plo, strength) in &changes {
        outcomes::set_clo_plo(
            &tx,
            institution,
            *clo,
            *plo,
            strength.map(|s| (i64::from(s.value()), f64::from(s.value()))),
        )
        .await?;
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "outcomes.matrix_saved")
            .target(&program.code)
            .details(serde_json::json!({ "changed_cells": changes.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(changes.len())
}

/// Which PEO each PLO supports: the PLO and PEO lineages that are linked.
pub async fn plo_peo_links(app: &App, actor: &Actor, program: ProgramId) -> AppResult<Vec<(i64, i64)>> {
    let program = program_owner(app, actor, program, false).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let plos = outcomes::all_versions(conn, institution, OutcomeOwner::ProgramPlos(program.id)).await?;
    let lineages: Vec<i64> = plos.iter().map(|p| p.lineage_id).collect();
    Ok(outcomes::plo_peo_maps(conn, institution, &lineages).await?.into_iter().map(|m| (m.plo_id, m.peo_id)).collect())
}

/// Replaces the PLO→PEO links of a program with `links` (PLO lineage, PEO lineage), in one
/// transaction. Ids that are not this program's outcomes are "not found".
pub async fn save_plo_peo(
    app: &App,
    actor: &Actor,
    program: ProgramId,
    links: &[(i64, i64)],
    client: &ClientInfo,
) -> AppResult<()> {
    let program = program_owner(app, actor, program, true).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plos = outcomes::all_versions(&tx, institution, OutcomeOwner::ProgramPlos(program.id)).await?;
    let peos = outcomes::all_versions(&tx, institution, OutcomeOwner::ProgramPeos(program.id)).await?;
    for (plo, peo) in links {
        if !plos.iter().any(|p| p.lineage_id == *plo) || !peos.iter().any(|p| p.lineage_id == *peo) {
            return Err(AppError::NotFound);
        }
    }
    let mut plo_lineages: Vec<i64> = plos.iter().map(|p| p.lineage_id).collect();
    plo_lineages.dedup();
    let mut peo_lineages: Vec<i64> = peos.iter().map(|p| p.lineage_id).collect();
    peo_lineages.dedup();
    for plo in &plo_lineages {
        for peo in &peo_lineages {
            outcomes::set_plo_peo(&tx, institution, *plo, *peo, links.contains(&(*plo, *peo))).await?;
        }
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "outcomes.plo_peo_saved")
            .target(&program.code)
            .details(serde_json::json!({ "links": links.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}
