//! One heat-map cell opened: a cohort's students on one PLO, each with their PLO score and the
//! course CLO scores it is made of, one column per CLO, so the reader compares down a column
//! instead of reading a sentence per student.

use std::collections::HashMap;

use qobe_domain::ids::{CohortId, ProgramId};
use qobe_outcomes::{GroupPlo, StudentPlo};
use qobe_store::academics::cohorts;
use qobe_store::academics::outcomes::{self as outcome_rows, Outcome};
use qobe_store::accounts::{self, Person};
use qobe_store::rows::Cohort;

use super::program::{ProgramAttainment, ProgramFilter, of_program};
use crate::{Actor, App, AppError, AppResult};

/// A course CLO that gives evidence for the PLO: one column of the cell's table.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceSource {
    pub course_id: i64,
    pub clo_id: i64,
    /// "CE-101 CLO2".
    pub label: String,
    /// The CLO's statement, for the column's tooltip.
    pub text: String,
    /// The weight its score carries in the PLO score.
    pub weight: f64,
}

/// One student of the cell.
pub struct CellStudent {
    pub person: Person,
    pub registration: String,
    pub result: Option<StudentPlo>,
}

impl CellStudent {
    /// The student's (rolled-up) score on this source's CLO, if they have evidence for it.
    pub fn score_of(&self, source: &EvidenceSource) -> Option<f64> {
        self.result.as_ref()?.parts.iter().find(|p| p.clo_id == source.clo_id).map(|p| p.score)
    }
}

/// One cohort's students on one PLO, with the parts of each score.
pub struct CellStudents {
    pub attainment: ProgramAttainment,
    pub cohort: Cohort,
    pub plo: Outcome,
    /// The cell as the heat map shows it.
    pub summary: Option<GroupPlo>,
    /// Course code, then CLO code order.
    pub sources: Vec<EvidenceSource>,
    /// By name.
    pub students: Vec<CellStudent>,
}

impl CellStudents {
    /// Students of the cohort with no evidence for the PLO yet.
    pub fn without_evidence(&self) -> usize {
        self.students.iter().filter(|s| s.result.is_none()).count()
    }
}

pub async fn cell(app: &App, actor: &Actor, id: ProgramId, cohort: CohortId, plo: i64) -> AppResult<CellStudents> {
    let cohort = cohort.0;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let filter = ProgramFilter { cohort: Some(cohort), term: None };
    let attainment = of_program(app, actor, id, filter).await?;
    let cohort_row = attainment.cohorts.iter().find(|c| c.id == cohort).cloned().ok_or(AppError::NotFound)?;
    let plo_row = attainment.plos.iter().find(|p| p.lineage_id == plo).cloned().ok_or(AppError::NotFound)?;
    let members = attainment.students_by_cohort.get(&cohort).cloned().unwrap_or_default();
    let mut people = accounts::people(conn, institution, &members).await?;
    qobe_domain::collation::sort_by_name(&mut people, |p| &p.name, |p| p.id);
    let mut registration: HashMap<i64, String> =
        cohorts::registration_numbers(conn, institution, &members).await?.into_iter().collect();
    let students: Vec<CellStudent> = people
        .into_iter()
        .map(|person| CellStudent {
            registration: registration.remove(&person.id).unwrap_or_default(),
            result: attainment.details.get(&(person.id, plo)).cloned(),
            person,
        })
        .collect();
    let sources = sources_of(app, actor, &attainment, &students).await?;
    let summary = attainment.cells.get(&(cohort, plo)).cloned();
    Ok(CellStudents { attainment, cohort: cohort_row, plo: plo_row, summary, sources, students })
}

/// Every CLO any student's score draws on, labelled with its course and code.
async fn sources_of(
    app: &App,
    actor: &Actor,
    attainment: &ProgramAttainment,
    students: &[CellStudent],
) -> AppResult<Vec<EvidenceSource>> {
    let mut parts: HashMap<i64, (i64, f64)> = HashMap::new();
    for part in students.iter().filter_map(|s| s.result.as_ref()).flat_map(|r| &r.parts) {
        parts.entry(part.clo_id).or_insert((part.course_id, part.weight));
    }
    let mut courses: Vec<i64> = parts.values().map(|(course, _)| *course).collect();
    courses.sort_unstable();
    courses.dedup();
    let clos = outcome_rows::clos_of_courses(app.store.conn(), actor.institution()?, &courses).await?;
    let mut sources: Vec<EvidenceSource> = clos
        .into_iter()
        .filter_map(|clo| {
            let (course_id, weight) = *parts.get(&clo.id)?;
            let course = attainment.course_codes.get(&course_id).cloned().unwrap_or_default();
            Some(EvidenceSource {
                course_id,
                clo_id: clo.id,
                label: format!("{course} {}", clo.code),
                text: clo.text,
                weight,
            })
        })
        .collect();
    sources.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(sources)
}
