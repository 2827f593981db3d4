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
    /// Courses × PLOs from each course's latest offering with evidence: the share of students
    /// attaining the course's CLOs mapped to the PLO, weighted by mapping strength.
    pub course_rows: Vec<CourseRow>,
}

/// One course's row of the courses × PLOs heat map.
#[derive(Debug, Clone)]
pub struct CourseRow {
    pub course_id: i64,
    pub code: String,
    pub offering_id: i64,
    pub term: String,
    /// PLO lineage → value.
    pub plos: HashMap<i64, f64>,
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
    let course_codes: HashMap<i64, String> = qobe_store::academics::courses::by_ids(conn, institution, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let course_rows = course_rows(app, institution, &computed.course_clos, &course_codes).await?;
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
        course_rows,
    })
}

/// The courses × PLOs rows from the offerings' CLO results.
async fn course_rows(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    course_clos: &[(i64, i64, qobe_outcomes::CourseClo)],
    course_codes: &HashMap<i64, String>,
) -> AppResult<Vec<CourseRow>> {
    let conn = app.store.conn();
    let all_terms = terms::list(conn, institution).await?;
    let offerings: HashMap<i64, qobe_store::rows::Offering> =
        qobe_store::academics::offerings::list(conn, institution, None)
            .await?
            .into_iter()
            .filter(|o| course_codes.contains_key(&o.course_id))
            .map(|o| (o.id, o))
            .collect();
    let starts = |term: i64| all_terms.iter().find(|t| t.id == term).map(|t| t.starts_at);
    // The latest offering of each course with any student evidence.
    let mut latest: HashMap<i64, i64> = HashMap::new();
    for (offering, _, result) in course_clos {
        let Some(o) = offerings.get(offering) else { continue };
        if result.overall.students_with_evidence == 0 {
            continue;
        }
        let newer = latest
            .get(&o.course_id)
            .and_then(|l| offerings.get(l))
            .is_none_or(|l| starts(o.term_id) > starts(l.term_id));
        if newer {
            latest.insert(o.course_id, o.id);
        }
    }
    let mut clo_ids: Vec<i64> = course_clos.iter().map(|(_, clo, _)| *clo).collect();
    clo_ids.sort_unstable();
    clo_ids.dedup();
    let mut maps = Vec::new();
    for chunk in clo_ids.chunks(500) {
        maps.extend(outcome_rows::clo_plo_maps(conn, institution, chunk).await?);
    }
    let mut sums: HashMap<(i64, i64), (f64, f64)> = HashMap::new();
    for (offering, clo, result) in course_clos {
        let (Some(o), Some(value)) = (offerings.get(offering), result.overall.percent_attaining) else { continue };
        if latest.get(&o.course_id) != Some(offering) {
            continue;
        }
        for map in maps.iter().filter(|m| m.clo_id == *clo) {
            let slot = sums.entry((o.course_id, map.plo_id)).or_default();
            slot.0 += map.weight * value;
            slot.1 += map.weight;
        }
    }
    let mut rows: Vec<CourseRow> = latest
        .iter()
        .map(|(course, offering)| {
            let term = offerings
                .get(offering)
                .and_then(|o| all_terms.iter().find(|t| t.id == o.term_id))
                .map(|t| t.name.clone())
                .unwrap_or_default();
            let plos = sums
                .iter()
                .filter(|((c, _), (_, w))| c == course && *w > 0.0)
                .map(|((_, plo), (sum, weight))| (*plo, sum / weight))
                .collect();
            CourseRow {
                course_id: *course,
                code: course_codes.get(course).cloned().unwrap_or_default(),
                offering_id: *offering,
                term,
                plos,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(rows)
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

fn shown(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// The program report as a PDF: PLO attainment by cohort, the courses × PLOs evidence, and
/// the program's improvement findings with their actions.
pub async fn report_pdf(app: &App, actor: &Actor, id: ProgramId) -> AppResult<Vec<u8>> {
    use qobe_documents::charts::{Bar, bar_chart, standalone};
    let view = of_program(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let name = qobe_store::tenancy::get(conn, institution).await?.map(|i| i.name).unwrap_or_default();
    let actions = qobe_store::cqi::actions(conn, institution, None).await?;
    let findings: Vec<serde_json::Value> = qobe_store::cqi::findings(conn, institution)
        .await?
        .into_iter()
        .filter(|f| f.program_id == Some(view.program.id))
        .map(|f| {
            let of_it: Vec<String> = actions
                .iter()
                .filter(|a| a.finding_id == f.id)
                .map(|a| {
                    format!(
                        "{} — {}{}",
                        a.description,
                        a.status,
                        a.effectiveness.as_ref().map(|e| format!(", {e}")).unwrap_or_default()
                    )
                })
                .collect();
            serde_json::json!({ "title": f.title, "criticality": f.criticality, "status": f.status, "actions": of_it })
        })
        .collect();
    let data = serde_json::json!({
        "institution": name,
        "generated": app.now().format("%Y-%m-%d %H:%M UTC").to_string(),
        "policy": view.policy.name,
        "plo_threshold": shown(Some(view.policy.plo_threshold)),
        "cohort_target": shown(Some(view.policy.cohort_target)),
        "program": { "code": view.program.code, "name": view.program.name },
        "plos": view.plos.iter().map(|p| serde_json::json!({ "code": p.code, "text": p.text })).collect::<Vec<_>>(),
        "cohorts": view.cohorts.iter().map(|c| serde_json::json!({
            "name": c.name,
            "cells": view.plos.iter().map(|p| shown(view.cells.get(&(c.id, p.lineage_id)).and_then(|g| g.percent_attaining))).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "overall": view.overall.iter().map(|g| shown(g.percent_attaining)).collect::<Vec<_>>(),
        "courses": view.course_rows.iter().map(|r| serde_json::json!({
            "code": r.code, "term": r.term,
            "cells": view.plos.iter().map(|p| shown(r.plos.get(&p.lineage_id).copied())).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "findings": findings,
    });
    let bars: Vec<Bar> = view
        .plos
        .iter()
        .zip(&view.overall)
        .map(|(p, g)| Bar {
            label: p.code.clone(),
            value: g.percent_attaining,
            target: Some(view.policy.cohort_target),
            href: None,
        })
        .collect();
    let chart = standalone(&bar_chart("Share of the program's students attaining each PLO", &bars));
    let files =
        vec![("data.json".to_owned(), data.to_string().into_bytes()), ("chart.svg".to_owned(), chart.into_bytes())];
    tokio::task::spawn_blocking(move || qobe_documents::pdf(qobe_documents::PROGRAM_REPORT, files))
        .await
        .map_err(|e| AppError::Internal(format!("typesetting stopped: {e}")))?
        .map_err(|e| AppError::Internal(format!("typesetting the program report: {e}")))
}
