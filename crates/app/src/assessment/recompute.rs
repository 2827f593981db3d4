//! Recomputing all attainment of an institution at once: every offering's student-CLO scores
//! and course CLO attainment, every student's PLO scores across the courses taken, and every
//! cohort's PLO attainment. A handful of wide queries, then the engine in memory.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use qobe_domain::ids::InstitutionId;
use qobe_outcomes::{
    CloEvidence, CourseClo, GroupPlo, Policy, StudentPlo, course_clos, group_plo, student_clo_scores, student_plo,
};
use qobe_store::Conn;
use qobe_store::academics::outcomes::Outcome;
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::assessment::institution as wide;

use super::evidence::{StoredPlan, build};
use crate::AppResult;
use crate::academics::outcomes::versions_for;

/// Everything computed, with how long loading and computing took.
#[derive(Debug, Clone)]
pub struct InstitutionAttainment {
    pub offerings: usize,
    pub marks: usize,
    pub student_clo_scores: usize,
    /// (offering, CLO version, result)
    pub course_clos: Vec<(i64, i64, CourseClo)>,
    /// (student, PLO lineage, score)
    pub student_plos: Vec<(i64, i64, f64)>,
    /// (cohort, PLO lineage, result)
    pub cohort_plos: Vec<(i64, i64, GroupPlo)>,
    /// (student, PLO lineage, result with its parts), when the selection asks to keep them.
    pub student_plo_details: Vec<(i64, i64, StudentPlo)>,
    pub load_time: Duration,
    pub compute_time: Duration,
}

/// Offerings whose marks are read and computed together: bounds memory on large institutions.
const OFFERINGS_PER_BATCH: usize = 500;

fn group<K: std::hash::Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

/// What to recompute: everything, or the offerings of some courses and the PLOs of some
/// students (a program's).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub courses: Option<HashSet<i64>>,
    pub students: Option<HashSet<i64>>,
    pub plos: Option<HashSet<i64>>,
    /// Keep each student's PLO result with its parts (for drill-down; costs memory).
    pub keep_parts: bool,
}

fn admits(set: &Option<HashSet<i64>>, id: i64) -> bool {
    set.as_ref().is_none_or(|s| s.contains(&id))
}

/// Recomputes everything in the institution.
pub async fn recompute(
    conn: &impl Conn,
    institution: InstitutionId,
    policy: &Policy,
) -> AppResult<InstitutionAttainment> {
    recompute_selected(conn, institution, policy, &Selection::default()).await
}

pub async fn recompute_selected(
    conn: &impl Conn,
    institution: InstitutionId,
    policy: &Policy,
    selection: &Selection,
) -> AppResult<InstitutionAttainment> {
    let started = Instant::now();
    let all_terms = terms::list(conn, institution).await?;
    let mut all_offerings = offerings::list(conn, institution, None).await?;
    all_offerings.retain(|o| admits(&selection.courses, o.course_id));
    let all_courses = courses::list(conn, institution, "").await?;
    let clos = wide::clos(conn, institution).await?;
    let clo_plo = wide::clo_plo_maps(conn, institution).await?;
    let assessments = wide::assessments(conn, institution).await?;
    let items = wide::items(conn, institution).await?;
    let item_clos = wide::item_clos(conn, institution).await?;
    let enrollments = wide::counting_enrollments(conn, institution).await?;
    let students = wide::students(conn, institution).await?;
    let mut load_time = started.elapsed();

    let indexing = Instant::now();
    let mut mark_count = 0;
    let lineages: HashMap<i64, i64> = clos.iter().map(|c| (c.id, c.lineage_id)).collect();
    let clos_by_course: HashMap<i64, Vec<Outcome>> = group(clos, |c| c.parent_id);
    let plos_of_clo: HashMap<i64, Vec<qobe_store::rows::CloPloMap>> = group(clo_plo, |m| m.clo_id);
    let mut assessments_by_offering = group(assessments, |a| a.offering_id);
    let mut items_by_offering = group(items, |i| i.offering_id);
    let item_offering: HashMap<i64, i64> =
        items_by_offering.iter().flat_map(|(o, items)| items.iter().map(move |i| (i.id, *o))).collect();
    let mut shares_by_offering = group(item_clos, |s| item_offering.get(&s.item_id).copied().unwrap_or(0));
    let mut students_by_offering: HashMap<i64, Vec<i64>> = HashMap::new();
    for (offering, user) in enrollments {
        students_by_offering.entry(offering).or_default().push(user);
    }
    let course_of: HashMap<i64, &qobe_store::rows::Course> = all_courses.iter().map(|c| (c.id, c)).collect();
    let term_of: HashMap<i64, &qobe_store::rows::Term> = all_terms.iter().map(|t| (t.id, t)).collect();

    let mut course_results = Vec::new();
    let mut evidence_by_student_plo: HashMap<(i64, i64), Vec<CloEvidence>> = HashMap::new();
    let mut score_count = 0;
    let mut sorted: Vec<&qobe_store::rows::Offering> = all_offerings.iter().collect();
    sorted.sort_by_key(|o| o.id);
    let mut compute_time = indexing.elapsed();
    for batch in sorted.chunks(OFFERINGS_PER_BATCH) {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else { continue };
        let loading = Instant::now();
        let marks = wide::marks_of_offerings(conn, institution, first.id, last.id).await?;
        load_time += loading.elapsed();
        let computing = Instant::now();
        mark_count += marks.len();
        let marks_by_offering = group(marks, |m| m.0);
        for offering in batch.iter().copied() {
            let (Some(course), Some(term)) = (course_of.get(&offering.course_id), term_of.get(&offering.term_id))
            else {
                continue;
            };
            let mut offering_assessments = assessments_by_offering.remove(&offering.id).unwrap_or_default();
            offering_assessments.sort_by_key(|a| a.position);
            let position: HashMap<i64, i64> = offering_assessments.iter().map(|a| (a.id, a.position)).collect();
            let mut offering_items = items_by_offering.remove(&offering.id).unwrap_or_default();
            offering_items.sort_by_key(|i| (position.get(&i.assessment_id).copied().unwrap_or(i64::MAX), i.position));
            let course_clos_all = clos_by_course.get(&course.id).map(Vec::as_slice).unwrap_or(&[]);
            let plan = StoredPlan {
                assessments: offering_assessments,
                items: offering_items,
                shares: shares_by_offering.remove(&offering.id).unwrap_or_default(),
                clos: versions_for(course_clos_all, &all_terms, Some(term)),
            };
            let mut enrolled = students_by_offering.remove(&offering.id).unwrap_or_default();
            enrolled.sort_unstable();
            let cells = marks_by_offering
                .get(&offering.id)
                .into_iter()
                .flatten()
                .map(|(_, item, user, score, status)| (*item, *user, *score, status.as_str()));
            let evidence = build(&plan, &lineages, enrolled, cells)?;
            let scores = student_clo_scores(policy, &evidence);
            for (clo, result) in course_clos(policy, &evidence, &scores).into_iter().enumerate() {
                course_results.push((offering.id, plan.clos[clo].id, result));
            }
            let credits = course.credits_theory + course.credits_lab;
            let when = term.starts_at.timestamp();
            for (column, clo) in plan.clos.iter().enumerate() {
                let Some(maps) = plos_of_clo.get(&clo.id) else { continue };
                for (row, student) in evidence.students.iter().enumerate() {
                    let Some(score) = scores.get(row, column) else { continue };
                    score_count += 1;
                    for map in maps {
                        evidence_by_student_plo.entry((*student, map.plo_id)).or_default().push(CloEvidence {
                            course_id: course.id,
                            clo_id: clo.lineage_id,
                            term: when,
                            score,
                            strength: map.weight,
                            credits,
                        });
                    }
                }
            }
        }
        compute_time += computing.elapsed();
    }
    let started = Instant::now();

    let cohort_of: HashMap<i64, i64> =
        students.iter().filter_map(|(user, _, cohort)| cohort.map(|c| (*user, c))).collect();
    let mut student_plos = Vec::with_capacity(evidence_by_student_plo.len());
    let mut student_plo_details = Vec::new();
    let mut by_cohort: HashMap<(i64, i64), Vec<Option<f64>>> = HashMap::new();
    for ((student, plo), evidence) in &evidence_by_student_plo {
        let result = student_plo(policy, evidence);
        if let Some(r) = &result {
            student_plos.push((*student, *plo, r.score));
            if selection.keep_parts {
                student_plo_details.push((*student, *plo, r.clone()));
            }
        }
        if let Some(cohort) = cohort_of.get(student) {
            by_cohort.entry((*cohort, *plo)).or_default().push(result.map(|r| r.score));
        }
    }
    let mut cohort_plos: Vec<(i64, i64, GroupPlo)> =
        by_cohort.into_iter().map(|((cohort, plo), scores)| (cohort, plo, group_plo(policy, scores))).collect();
    cohort_plos.sort_by_key(|(cohort, plo, _)| (*cohort, *plo));
    student_plos.sort_by_key(|(s, p, _)| (*s, *p));
    Ok(InstitutionAttainment {
        offerings: all_offerings.len(),
        marks: mark_count,
        student_clo_scores: score_count,
        course_clos: course_results,
        student_plos,
        cohort_plos,
        student_plo_details,
        load_time,
        compute_time: compute_time + started.elapsed(),
    })
}
