//! PLO attainment: per student from CLO scores across the courses taken, per cohort as the
//! share of students attaining, and per program over cohorts.

use serde::Serialize;

use crate::policy::{PloWeighting, Policy};
use crate::rollup::rollup;

/// A student's score on a CLO in one offering, as evidence for a PLO the CLO maps to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CloEvidence {
    pub course_id: i64,
    /// The CLO's stable identity across versions (repeats of a course share it).
    pub clo_id: i64,
    /// Orders repeated evidence: a term's start, or any increasing number.
    pub term: i64,
    pub score: f64,
    /// Mapping strength (1–3) or weight of the CLO→PLO link.
    pub strength: f64,
    pub credits: f64,
}

/// One CLO's part in a student's PLO score, after repeated evidence is rolled up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PloPart {
    pub course_id: i64,
    pub clo_id: i64,
    /// The scores, oldest first, that the rollup combined.
    pub attempts: Vec<f64>,
    pub score: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentPlo {
    /// Σ weight·score ÷ Σ weight over `parts`.
    pub score: f64,
    pub attained: bool,
    pub parts: Vec<PloPart>,
}

fn weight(policy: &Policy, evidence: &CloEvidence) -> f64 {
    match policy.plo_weighting {
        PloWeighting::Equal => 1.0,
        PloWeighting::Strength => evidence.strength,
        PloWeighting::CreditHours => evidence.credits,
        PloWeighting::StrengthTimesCredits => evidence.strength * evidence.credits,
    }
}

/// A student's attainment of one PLO from all CLO evidence mapped to it; `None` without
/// evidence of positive weight.
pub fn student_plo(policy: &Policy, evidence: &[CloEvidence]) -> Option<StudentPlo> {
    let mut sorted: Vec<&CloEvidence> = evidence.iter().collect();
    sorted.sort_by_key(|e| (e.course_id, e.clo_id, e.term));
    let mut parts: Vec<PloPart> = Vec::new();
    for group in sorted.chunk_by(|a, b| a.course_id == b.course_id && a.clo_id == b.clo_id) {
        let attempts: Vec<f64> = group.iter().map(|e| e.score).collect();
        let Some(score) = rollup(&policy.repeated, &attempts) else { continue };
        let latest = group[group.len() - 1];
        let weight = weight(policy, latest);
        if weight > 0.0 {
            parts.push(PloPart { course_id: latest.course_id, clo_id: latest.clo_id, attempts, score, weight });
        }
    }
    let total: f64 = parts.iter().map(|p| p.weight).sum();
    if total <= 0.0 {
        return None;
    }
    let score = parts.iter().map(|p| p.weight * p.score).sum::<f64>() / total;
    Some(StudentPlo { score, attained: policy.rounding.reaches(score, policy.plo_threshold), parts })
}

/// A group of students' attainment of one PLO (a cohort; or a whole program, pooled).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupPlo {
    pub students_with_evidence: usize,
    pub attaining: usize,
    pub percent_attaining: Option<f64>,
    pub mean_score: Option<f64>,
    /// Students by score decile: `[0, 10%)`, …, `[90%, 100%]`.
    pub distribution: [usize; 10],
    pub target: f64,
    pub met: Option<bool>,
}

/// The cohort's attainment of a PLO from its students' PLO scores.
pub fn group_plo(policy: &Policy, scores: impl IntoIterator<Item = Option<f64>>) -> GroupPlo {
    let (mut n, mut attaining, mut sum, mut distribution) = (0usize, 0usize, 0.0, [0usize; 10]);
    for score in scores.into_iter().flatten() {
        n += 1;
        sum += score;
        if policy.rounding.reaches(score, policy.plo_threshold) {
            attaining += 1;
        }
        distribution[((score * 10.0).floor().max(0.0) as usize).min(9)] += 1;
    }
    summarise(policy, n, attaining, sum, distribution)
}

/// A group's result from its counts, score sum and distribution.
fn summarise(policy: &Policy, n: usize, attaining: usize, sum: f64, distribution: [usize; 10]) -> GroupPlo {
    let percent_attaining = (n > 0).then(|| attaining as f64 / n as f64);
    GroupPlo {
        students_with_evidence: n,
        attaining,
        percent_attaining,
        mean_score: (n > 0).then(|| sum / n as f64),
        distribution,
        target: policy.cohort_target,
        met: percent_attaining.map(|p| policy.rounding.reaches(p, policy.cohort_target)),
    }
}

/// Pools several cohorts' results for one PLO into the program's.
pub fn pooled(policy: &Policy, groups: &[GroupPlo]) -> GroupPlo {
    let n: usize = groups.iter().map(|g| g.students_with_evidence).sum();
    let attaining: usize = groups.iter().map(|g| g.attaining).sum();
    let sum: f64 = groups.iter().filter_map(|g| g.mean_score.map(|m| m * g.students_with_evidence as f64)).sum();
    let mut distribution = [0usize; 10];
    for g in groups {
        for (slot, count) in distribution.iter_mut().zip(g.distribution) {
            *slot += count;
        }
    }
    summarise(policy, n, attaining, sum, distribution)
}
