//! A program's PLO attainment for the coordinator: each cohort's share of students attaining
//! each PLO (the heat map), the program pooled over cohorts, and for any cell the students with
//! the courses and CLOs behind their scores.

use std::collections::{HashMap, HashSet};

use qobe_domain::ids::{CurriculumVersionId, ProgramId};
use qobe_outcomes::{GroupPlo, Policy, StudentPlo, pooled};
use qobe_store::academics::outcomes::{self as outcome_rows, Outcome, OutcomeOwner};
use qobe_store::academics::{cohorts, curricula, terms};
use qobe_store::rows::{Cohort, Offering, Program, Term};
use qobe_store::structure;

use super::evidence::policy_for;
use super::recompute::{Selection, recompute_selected};
use crate::academics::outcomes::versions_for;
use crate::{Actor, App, AppError, AppResult};

/// What a program report shows: one cohort or all, and the courses' offerings in one term or
/// each course's latest.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ProgramFilter {
    pub cohort: Option<i64>,
    pub term: Option<i64>,
}

pub struct ProgramAttainment {
    pub program: Program,
    pub filter: ProgramFilter,
    /// Every cohort of the program, for the filter.
    pub cohort_choices: Vec<Cohort>,
    /// Terms with offerings of the program's courses, oldest first (for the filter and trends).
    pub terms: Vec<Term>,
    /// PLO attainment term by term: (term, PLO lineage) → value pooled over the term's
    /// offerings, as in the courses × PLOs table.
    pub term_plos: HashMap<(i64, i64), f64>,
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
    /// Courses × PLOs from each course's latest term with evidence (or the filter's term), its
    /// sections pooled: the share of students attaining the course's CLOs mapped to the PLO,
    /// weighted by mapping weight.
    pub course_rows: Vec<CourseRow>,
    /// Each PLO's direct, indirect (graduating surveys) and blended figures, then each PEO's
    /// attainment from alumni and employer surveys.
    pub outcome_evidence: Vec<super::program_indirect::OutcomeEvidence>,
    /// Anonymous surveys about the program not counted yet (fewer responses than the minimum).
    pub withheld_surveys: usize,
}

impl ProgramAttainment {
    /// Which cohorts and offerings the figures cover, in words.
    pub fn scope(&self) -> String {
        let cohorts = match self.filter.cohort {
            Some(_) => {
                format!("Cohort {}", self.cohorts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "))
            }
            None => "All cohorts".to_owned(),
        };
        format!(
            "{cohorts} in the cohort tables; {}, every student of each offering, in the courses × PLOs table; every term in the term-by-term table. Policy: {}.",
            self.courses_scope(),
            self.policy.name
        )
    }

    /// Which offerings the courses × PLOs table shows, in words.
    pub fn courses_scope(&self) -> String {
        match self.filter.term.and_then(|t| self.terms.iter().find(|x| x.id == t)) {
            Some(term) => format!("the courses as offered in {}", term.name),
            None => "each course's latest term with marks".to_owned(),
        }
    }

    /// The engine's distribution of students by PLO score decile, over the cohorts shown.
    pub fn distribution(&self, plo: i64) -> [usize; 10] {
        let mut total = [0; 10];
        for cohort in &self.cohorts {
            if let Some(cell) = self.cells.get(&(cohort.id, plo)) {
                for (sum, n) in total.iter_mut().zip(cell.distribution) {
                    *sum += n;
                }
            }
        }
        total
    }
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

pub(crate) async fn program_of(app: &App, actor: &Actor, id: ProgramId) -> AppResult<Program> {
    let program = structure::program(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    if crate::authz::view_program_attainment(actor, program.id, program.department_id) {
        Ok(program)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn of_program(
    app: &App,
    actor: &Actor,
    id: ProgramId,
    filter: ProgramFilter,
) -> AppResult<ProgramAttainment> {
    let program = program_of(app, actor, id).await?;
    attainment_of(app, actor.institution()?, program, filter).await
}

/// A program's attainment, whoever asks: the caller has checked they may see it (or is the
/// background job that records each program's standing).
pub(crate) async fn attainment_of(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    program: Program,
    filter: ProgramFilter,
) -> AppResult<ProgramAttainment> {
    let id = ProgramId(program.id);
    let conn = app.store.conn();
    let policy = policy_for(conn, institution, Some(id)).await?;
    let mut course_ids = HashSet::new();
    for curriculum in curricula::for_program(conn, institution, id).await? {
        for entry in curricula::courses(conn, institution, CurriculumVersionId(curriculum.id)).await? {
            course_ids.insert(entry.course_id);
        }
    }
    let cohort_choices: Vec<Cohort> =
        cohorts::list(conn, institution).await?.into_iter().filter(|c| c.program_id == program.id).collect();
    let program_cohorts: Vec<Cohort> =
        cohort_choices.iter().filter(|c| filter.cohort.is_none_or(|wanted| wanted == c.id)).cloned().collect();
    if filter.cohort.is_some() && program_cohorts.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut students_by_cohort: HashMap<i64, Vec<i64>> = HashMap::new();
    for cohort in &program_cohorts {
        let members = cohorts::students_in_cohort(conn, institution, qobe_domain::ids::CohortId(cohort.id)).await?;
        students_by_cohort.insert(cohort.id, members.iter().map(|s| s.user_id).collect());
    }
    let all_plos = outcome_rows::all_versions(conn, institution, OutcomeOwner::ProgramPlos(program.id)).await?;
    let all_terms = terms::list(conn, institution).await?;
    let plos = versions_for(&all_plos, &all_terms, None);
    let selection = Selection {
        courses: Some(course_ids.clone()),
        students: Some(students_by_cohort.values().flatten().copied().collect()),
        plos: Some(plos.iter().map(|p| p.lineage_id).collect()),
        keep_parts: true,
    };
    let computed = recompute_selected(conn, institution, &policy, &selection).await?;
    let cells: HashMap<(i64, i64), GroupPlo> =
        computed.cohort_plos.into_iter().map(|(cohort, plo, r)| ((cohort, plo), r)).collect();
    let overall: Vec<GroupPlo> = plos
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
    let offerings: HashMap<i64, Offering> = qobe_store::academics::offerings::list(conn, institution, None)
        .await?
        .into_iter()
        .filter(|o| course_codes.contains_key(&o.course_id))
        .map(|o| (o.id, o))
        .collect();
    let sums = offering_plo_sums(app, institution, &computed.course_clos).await?;
    let course_rows = course_rows(&all_terms, &offerings, &computed.course_clos, &sums, &course_codes, filter.term);
    let mut term_sums: HashMap<(i64, i64), (f64, f64)> = HashMap::new();
    for ((offering, plo), (sum, weight)) in &sums {
        let Some(o) = offerings.get(offering) else { continue };
        let slot = term_sums.entry((o.term_id, *plo)).or_default();
        slot.0 += sum;
        slot.1 += weight;
    }
    let term_plos: HashMap<(i64, i64), f64> =
        term_sums.into_iter().filter(|(_, (_, w))| *w > 0.0).map(|(key, (sum, w))| (key, sum / w)).collect();
    let offered: HashSet<i64> = offerings.values().map(|o| o.term_id).collect();
    let mut program_terms: Vec<Term> = all_terms.into_iter().filter(|t| offered.contains(&t.id)).collect();
    program_terms.sort_by_key(|t| t.starts_at);
    if filter.term.is_some_and(|wanted| !program_terms.iter().any(|t| t.id == wanted)) {
        return Err(AppError::NotFound);
    }
    let (outcome_evidence, withheld_surveys) =
        super::program_indirect::of(app, institution, id, &policy, &plos, &overall).await?;
    Ok(ProgramAttainment {
        outcome_evidence,
        withheld_surveys,
        program,
        filter,
        cohort_choices,
        terms: program_terms,
        term_plos,
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

/// (offering, PLO lineage) → (Σ weight · share attaining, Σ weight) over the offering's CLOs
/// mapped to the PLO.
async fn offering_plo_sums(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    course_clos: &[(i64, i64, qobe_outcomes::CourseClo)],
) -> AppResult<HashMap<(i64, i64), (f64, f64)>> {
    let conn = app.store.conn();
    let mut clo_ids: Vec<i64> = course_clos.iter().map(|(_, clo, _)| *clo).collect();
    clo_ids.sort_unstable();
    clo_ids.dedup();
    let mut maps = Vec::new();
    for chunk in clo_ids.chunks(500) {
        maps.extend(outcome_rows::clo_plo_maps(conn, institution, chunk).await?);
    }
    let mut by_clo: HashMap<i64, Vec<&qobe_store::rows::CloPloMap>> = HashMap::new();
    for map in &maps {
        by_clo.entry(map.clo_id).or_default().push(map);
    }
    let mut sums: HashMap<(i64, i64), (f64, f64)> = HashMap::new();
    for (offering, clo, result) in course_clos {
        let Some(value) = result.overall.percent_attaining else { continue };
        for map in by_clo.get(clo).into_iter().flatten() {
            let slot = sums.entry((*offering, map.plo_id)).or_default();
            slot.0 += map.weight * value;
            slot.1 += map.weight;
        }
    }
    Ok(sums)
}

/// The courses × PLOs rows: each course in `term`, or in its latest term with evidence, all
/// its sections of that term pooled.
fn course_rows(
    all_terms: &[Term],
    offerings: &HashMap<i64, Offering>,
    course_clos: &[(i64, i64, qobe_outcomes::CourseClo)],
    sums: &HashMap<(i64, i64), (f64, f64)>,
    course_codes: &HashMap<i64, String>,
    term: Option<i64>,
) -> Vec<CourseRow> {
    let starts = |term: i64| all_terms.iter().find(|t| t.id == term).map(|t| t.starts_at);
    // The chosen term of each course, and its sections there with evidence.
    let mut chosen: HashMap<i64, (i64, Vec<i64>)> = HashMap::new();
    for (offering, _, result) in course_clos {
        let Some(o) = offerings.get(offering) else { continue };
        if result.overall.students_with_evidence == 0 || term.is_some_and(|t| t != o.term_id) {
            continue;
        }
        let slot = chosen.entry(o.course_id).or_insert((o.term_id, Vec::new()));
        if starts(o.term_id) > starts(slot.0) {
            *slot = (o.term_id, Vec::new());
        }
        if slot.0 == o.term_id && !slot.1.contains(offering) {
            slot.1.push(*offering);
        }
    }
    let mut rows: Vec<CourseRow> = chosen
        .into_iter()
        .map(|(course, (term_id, mut sections))| {
            sections.sort_unstable();
            let mut pooled: HashMap<i64, (f64, f64)> = HashMap::new();
            for ((o, plo), (sum, weight)) in sums {
                if sections.contains(o) {
                    let slot = pooled.entry(*plo).or_default();
                    slot.0 += sum;
                    slot.1 += weight;
                }
            }
            CourseRow {
                course_id: course,
                code: course_codes.get(&course).cloned().unwrap_or_default(),
                offering_id: sections.first().copied().unwrap_or_default(),
                term: all_terms.iter().find(|t| t.id == term_id).map(|t| t.name.clone()).unwrap_or_default(),
                plos: pooled.into_iter().filter(|(_, (_, w))| *w > 0.0).map(|(plo, (sum, w))| (plo, sum / w)).collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    rows
}
