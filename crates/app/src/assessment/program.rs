//! A program's PLO attainment for the coordinator: each cohort's share of students attaining
//! each PLO (the heat map), the program pooled over cohorts, and for any cell the students with
//! the courses and CLOs behind their scores.

use std::collections::{HashMap, HashSet};

use qobe_domain::ids::{CurriculumVersionId, ProgramId};
use qobe_domain::roles::Permission;
use qobe_outcomes::{GroupPlo, Policy, StudentPlo, pooled};
use qobe_store::academics::outcomes::{self as outcome_rows, Outcome, OutcomeOwner};
use qobe_store::academics::{cohorts, curricula, terms};
use qobe_store::accounts::{self, Person};
use qobe_store::rows::{Cohort, Program};
use qobe_store::structure;

use super::evidence::policy_for;
use super::recompute::{Selection, recompute_selected};
use crate::academics::outcomes::versions_for;
use crate::{Actor, App, AppError, AppResult};

pub struct ProgramAttainment {
    pub program: Program,
    pub policy: Policy,
    pub plos: Vec<Outcome>,
    pub cohorts: Vec<Cohort>,
    /// (cohort, PLO lineage) → result.
    pub cells: HashMap<(i64, i64), GroupPlo>,
    /// Per PLO (same order as `plos`), all cohorts pooled.
    pub overall: Vec<GroupPlo>,
    /// Student PLO results with their parts, for drill-down: (student, PLO lineage) → result.
    pub details: HashMap<(i64, i64), StudentPlo>,
    pub students_by_cohort: HashMap<i64, Vec<i64>>,
    pub course_codes: HashMap<i64, String>,
}

async fn program_of(app: &App, actor: &Actor, id: ProgramId) -> AppResult<Program> {
    let program = structure::program(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let allowed = actor.can_for_program(Permission::ManageOutcomes, program.id, program.department_id)
        || actor.can_for_department(Permission::ApproveResults, program.department_id);
    if allowed { Ok(program) } else { Err(AppError::Forbidden) }
}

pub async fn of_program(app: &App, actor: &Actor, id: ProgramId) -> AppResult<ProgramAttainment> {
    let program = program_of(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let policy = policy_for(conn, institution, Some(id)).await?;
    let mut course_ids = HashSet::new();
    for curriculum in curricula::for_program(conn, institution, id).await? {
        for entry in curricula::courses(conn, institution, CurriculumVersionId(curriculum.id)).await? {
            course_ids.insert(entry.course_id);
        }
    }
    let program_cohorts: Vec<Cohort> =
        cohorts::list(conn, institution).await?.into_iter().filter(|c| c.program_id == program.id).collect();
    let mut students_by_cohort: HashMap<i64, Vec<i64>> = HashMap::new();
    for cohort in &program_cohorts {
        let members = cohorts::students_in_cohort(conn, institution, qobe_domain::ids::CohortId(cohort.id)).await?;
        students_by_cohort.insert(cohort.id, members.iter().map(|s| s.user_id).collect());
    }
    let all_plos = outcome_rows::all_versions(conn, institution, OutcomeOwner::ProgramPlos(program.id)).await?;
    let plos = versions_for(&all_plos, &terms::list(conn, institution).await?, None);
    let selection = Selection {
        courses: Some(course_ids.clone()),
        students: Some(students_by_cohort.values().flatten().copied().collect()),
        plos: Some(plos.iter().map(|p| p.lineage_id).collect()),
        keep_parts: true,
    };
    let computed = recompute_selected(conn, institution, &policy, &selection).await?;
    let cells: HashMap<(i64, i64), GroupPlo> =
        computed.cohort_plos.into_iter().map(|(cohort, plo, r)| ((cohort, plo), r)).collect();
    let overall = plos
        .iter()
        .map(|p| {
            let parts: Vec<GroupPlo> =
                program_cohorts.iter().filter_map(|c| cells.get(&(c.id, p.lineage_id)).cloned()).collect();
            pooled(&policy, &parts)
        })
        .collect();
    let details = computed.student_plo_details.into_iter().map(|(s, p, r)| ((s, p), r)).collect();
    let ids: Vec<i64> = course_ids.into_iter().collect();
    let course_codes = qobe_store::academics::courses::by_ids(conn, institution, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(ProgramAttainment {
        program,
        policy,
        plos,
        cohorts: program_cohorts,
        cells,
        overall,
        details,
        students_by_cohort,
        course_codes,
    })
}

/// One cohort's students on one PLO, with the parts of each score.
pub struct CellStudents {
    pub attainment: ProgramAttainment,
    pub cohort: Cohort,
    pub plo: Outcome,
    pub students: Vec<(Person, Option<StudentPlo>)>,
}

pub async fn cell(app: &App, actor: &Actor, id: ProgramId, cohort: i64, plo: i64) -> AppResult<CellStudents> {
    let attainment = of_program(app, actor, id).await?;
    let cohort_row = attainment.cohorts.iter().find(|c| c.id == cohort).cloned().ok_or(AppError::NotFound)?;
    let plo_row = attainment.plos.iter().find(|p| p.lineage_id == plo).cloned().ok_or(AppError::NotFound)?;
    let members = attainment.students_by_cohort.get(&cohort).cloned().unwrap_or_default();
    let mut people = accounts::people(app.store.conn(), actor.institution()?, &members).await?;
    people.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let students = people
        .into_iter()
        .map(|p| {
            let result = attainment.details.get(&(p.id, plo)).cloned();
            (p, result)
        })
        .collect();
    Ok(CellStudents { attainment, cohort: cohort_row, plo: plo_row, students })
}
