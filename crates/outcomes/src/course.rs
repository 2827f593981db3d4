//! A course offering's attainment of each CLO: the share of students attaining or the mean
//! score, attainment levels, EAMU buckets and component blends, compared with the target.

use serde::Serialize;

use crate::evidence::Offering;
use crate::policy::{ComponentLevels, CourseMeasure, Eamu, Policy};
use crate::student::{Plan, StudentScores};

/// How many students fall in each ABET bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EamuCounts {
    pub exceeds: usize,
    pub adequate: usize,
    pub minimal: usize,
    pub unsatisfactory: usize,
}

impl EamuCounts {
    pub fn total(&self) -> usize {
        self.exceeds + self.adequate + self.minimal + self.unsatisfactory
    }
}

/// The measure of one CLO over some students' scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub students_with_evidence: usize,
    pub attaining: usize,
    /// attaining ÷ students with evidence.
    pub percent_attaining: Option<f64>,
    pub mean_score: Option<f64>,
    /// The policy's course measure (one of the two above).
    pub measure: Option<f64>,
    /// The level of the measure when the policy has slabs.
    pub level: Option<u8>,
}

/// One category's part of a component blend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentPart {
    pub category: String,
    pub weight: f64,
    pub measure: Measure,
    /// Each assessment's own measure and level, when the policy averages levels within a
    /// component ([`ComponentLevels::MeanOfAssessments`]); empty otherwise.
    pub assessments: Vec<AssessmentLevel>,
    /// What is blended: the level when the policy has slabs (the mean of the assessments'
    /// levels when it averages them), else the measure.
    pub value: Option<f64>,
}

/// One assessment's measure of a CLO, within a component whose levels are averaged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentLevel {
    pub assessment_id: i64,
    pub measure: Measure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseClo {
    pub clo_id: i64,
    pub overall: Measure,
    pub eamu: Option<EamuCounts>,
    pub components: Vec<ComponentPart>,
    /// What is compared with the target: the blended value, else the level, else the measure.
    pub value: Option<f64>,
    pub target: f64,
    /// `None` when no student has evidence.
    pub met: Option<bool>,
}

/// The measure of one CLO column of scores under the policy.
pub fn measure(policy: &Policy, scores: impl Iterator<Item = Option<f64>>) -> Measure {
    let (mut n, mut attaining, mut sum) = (0usize, 0usize, 0.0);
    for score in scores.flatten() {
        n += 1;
        sum += score;
        if policy.rounding.reaches(score, policy.student_threshold) {
            attaining += 1;
        }
    }
    let percent_attaining = (n > 0).then(|| attaining as f64 / n as f64);
    let mean_score = (n > 0).then(|| sum / n as f64);
    let measure = match policy.course_measure {
        CourseMeasure::PercentAttaining => percent_attaining,
        CourseMeasure::MeanScore => mean_score,
    };
    let level = policy.levels.as_ref().zip(measure).map(|(slabs, m)| slabs.level_of(policy.rounding.for_banding(m)));
    Measure { students_with_evidence: n, attaining, percent_attaining, mean_score, measure, level }
}

fn value_of(measure: &Measure) -> Option<f64> {
    match measure.level {
        Some(level) => Some(f64::from(level)),
        None => measure.measure,
    }
}

pub fn eamu_counts(bands: Eamu, policy: &Policy, scores: impl Iterator<Item = Option<f64>>) -> EamuCounts {
    let mut counts = EamuCounts::default();
    for score in scores.flatten() {
        let r = &policy.rounding;
        if r.reaches(score, bands.exceeds) {
            counts.exceeds += 1;
        } else if r.reaches(score, bands.adequate) {
            counts.adequate += 1;
        } else if r.reaches(score, bands.minimal) {
            counts.minimal += 1;
        } else {
            counts.unsatisfactory += 1;
        }
    }
    counts
}

/// Every CLO's course attainment, given the students' scores already computed.
pub fn course_clos(policy: &Policy, offering: &Offering, scores: &StudentScores) -> Vec<CourseClo> {
    let averaged = policy.levels.is_some() && policy.component_levels == ComponentLevels::MeanOfAssessments;
    let blend_scores: Vec<Component> = policy
        .component_blend
        .iter()
        .flatten()
        .map(|part| {
            let in_part = |a: &crate::evidence::Assessment| a.category.eq_ignore_ascii_case(&part.category);
            let plan = Plan::new(policy, offering).only(offering, in_part);
            let each = if averaged {
                offering
                    .assessments
                    .iter()
                    .filter(|a| in_part(a))
                    .map(|a| {
                        let one = Plan::new(policy, offering).only(offering, |b| b.id == a.id);
                        (a.id, one.student_scores(offering))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Component {
                category: part.category.clone(),
                weight: part.weight,
                scores: plan.student_scores(offering),
                each,
            }
        })
        .collect();
    (0..offering.clos.len())
        .map(|clo| {
            let overall = measure(policy, scores.clo_column(clo));
            let eamu = policy.eamu.map(|bands| eamu_counts(bands, policy, scores.clo_column(clo)));
            let components: Vec<ComponentPart> = blend_scores.iter().map(|c| c.part(policy, clo, averaged)).collect();
            let value = if components.is_empty() { value_of(&overall) } else { blended(&components) };
            let met = value.map(|v| crate::blend::reaches_target(policy, v, policy.course_target));
            CourseClo {
                clo_id: offering.clos[clo],
                overall,
                eamu,
                components,
                value,
                target: policy.course_target,
                met,
            }
        })
        .collect()
}

/// One component of a blend: its students' scores pooled, and each assessment's when levels
/// are averaged within it.
struct Component {
    category: String,
    weight: f64,
    scores: StudentScores,
    each: Vec<(i64, StudentScores)>,
}

impl Component {
    fn part(&self, policy: &Policy, clo: usize, averaged: bool) -> ComponentPart {
        let pooled = measure(policy, self.scores.clo_column(clo));
        let assessments: Vec<AssessmentLevel> = self
            .each
            .iter()
            .map(|(id, scores)| AssessmentLevel {
                assessment_id: *id,
                measure: measure(policy, scores.clo_column(clo)),
            })
            .filter(|a| a.measure.students_with_evidence > 0)
            .collect();
        let value = if averaged {
            let levels: Vec<f64> = assessments.iter().filter_map(|a| a.measure.level.map(f64::from)).collect();
            (!levels.is_empty()).then(|| levels.iter().sum::<f64>() / levels.len() as f64)
        } else {
            value_of(&pooled)
        };
        ComponentPart { category: self.category.clone(), weight: self.weight, measure: pooled, assessments, value }
    }
}

/// Σ weight·value over the components with evidence, re-weighted.
fn blended(components: &[ComponentPart]) -> Option<f64> {
    let (sum, weights) = components
        .iter()
        .filter_map(|c| c.value.filter(|_| c.weight > 0.0).map(|v| (v * c.weight, c.weight)))
        .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w));
    (weights > 0.0).then(|| sum / weights)
}
