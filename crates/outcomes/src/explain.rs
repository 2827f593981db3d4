//! Explanations: the items, marks and weights behind a number, computed by a plain second
//! implementation so that tests can check that the fast path and the explanation agree.

use serde::Serialize;

use crate::course::{CourseClo, course_clos};
use crate::evidence::{Mark, Offering};
use crate::policy::{Policy, ScoreMethod, Treatment};
use crate::student::{groups, student_clo_scores};

/// One item share that is evidence for the CLO.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub item_id: i64,
    pub item_label: String,
    pub assessment_id: i64,
    pub mark: Mark,
    pub max_marks: f64,
    pub share: f64,
    /// Marks obtained × share (0 for a non-score).
    pub obtained: f64,
    /// Maximum × share when the mark counts, else 0.
    pub possible: f64,
    /// Whether the mark counts under the policy's treatment of its status.
    pub counted: bool,
    /// Index into [`StudentCloExplanation::groups`].
    pub group: usize,
}

/// The items of one group (all items for marks-based scores; an assessment or a category for
/// percentage-based ones), with its weight and percentage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupPart {
    pub label: String,
    pub weight: f64,
    pub obtained: f64,
    pub possible: f64,
    /// obtained ÷ possible, when anything counted.
    pub fraction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentCloExplanation {
    pub student_id: i64,
    pub clo_id: i64,
    /// `marks_based` or `percentage_based`.
    pub method: &'static str,
    pub contributions: Vec<Contribution>,
    pub groups: Vec<GroupPart>,
    /// Σ weight·fraction ÷ Σ weight over groups with a fraction (for marks-based: the one group).
    pub score: Option<f64>,
    pub threshold: f64,
    pub attained: Option<bool>,
}

fn counts(policy: &Policy, mark: Mark) -> bool {
    let t = |t: Treatment| t == Treatment::Zero;
    match mark {
        Mark::Score(_) => true,
        Mark::Absent => t(policy.marks.absent),
        Mark::Excused => t(policy.marks.excused),
        Mark::NotAttempted => t(policy.marks.not_attempted),
        Mark::Missing => t(policy.marks.missing),
    }
}

/// Why `student` has the score they have on `clo` (indexes into the offering).
pub fn explain_student_clo(policy: &Policy, offering: &Offering, student: usize, clo: usize) -> StudentCloExplanation {
    let (group_of, weights) = groups(policy, offering);
    let label = |g: usize| -> String {
        match &policy.score {
            ScoreMethod::MarksBased => "All items".into(),
            ScoreMethod::PercentageBased { group_by: crate::policy::GroupBy::Assessment } => {
                offering.assessments[g].name.clone()
            }
            ScoreMethod::PercentageBased { group_by: crate::policy::GroupBy::Category { weights } } => {
                weights.get(g).map(|w| w.category.clone()).unwrap_or_else(|| "Other categories (weight 0)".into())
            }
        }
    };
    let mut parts: Vec<GroupPart> = weights
        .iter()
        .enumerate()
        .map(|(g, w)| GroupPart { label: label(g), weight: *w, obtained: 0.0, possible: 0.0, fraction: None })
        .collect();
    let mut contributions = Vec::new();
    for mapping in offering.mappings.iter().filter(|m| m.clo == clo) {
        let item = &offering.items[mapping.item];
        let mark = offering.mark(student, mapping.item);
        let counted = counts(policy, mark);
        let share = f64::from(mapping.share);
        let obtained = match mark {
            Mark::Score(s) => f64::from(s * mapping.share),
            _ => 0.0,
        };
        let possible = if counted { f64::from(item.max_marks * mapping.share) } else { 0.0 };
        let group = group_of[item.assessment];
        parts[group].obtained += obtained;
        parts[group].possible += possible;
        contributions.push(Contribution {
            item_id: item.id,
            item_label: item.label.clone(),
            assessment_id: offering.assessments[item.assessment].id,
            mark,
            max_marks: f64::from(item.max_marks),
            share,
            obtained,
            possible,
            counted,
            group,
        });
    }
    for part in &mut parts {
        part.fraction = (part.possible > 0.0).then(|| part.obtained / part.possible);
    }
    let (sum, total) = parts
        .iter()
        .filter_map(|p| p.fraction.filter(|_| p.weight > 0.0).map(|f| (f * p.weight, p.weight)))
        .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w));
    let score = (total > 0.0).then(|| sum / total);
    StudentCloExplanation {
        student_id: offering.students[student],
        clo_id: offering.clos[clo],
        method: if matches!(policy.score, ScoreMethod::MarksBased) { "marks_based" } else { "percentage_based" },
        contributions,
        groups: parts,
        score,
        threshold: policy.student_threshold,
        attained: score.map(|s| policy.rounding.reaches(s, policy.student_threshold)),
    }
}

/// One student's line in a course CLO explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentLine {
    pub student_id: i64,
    pub score: Option<f64>,
    pub attained: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseCloExplanation {
    pub result: CourseClo,
    /// Every student's score; those attaining are counted in `result.overall.attaining`.
    pub students: Vec<StudentLine>,
}

/// Why the offering's attainment of `clo` is what it is: each student's score and whether it
/// reached the threshold.
pub fn explain_course_clo(policy: &Policy, offering: &Offering, clo: usize) -> Option<CourseCloExplanation> {
    let scores = student_clo_scores(policy, offering);
    let result = course_clos(policy, offering, &scores).into_iter().nth(clo)?;
    let students = (0..offering.students.len())
        .map(|s| {
            let score = scores.get(s, clo);
            StudentLine {
                student_id: offering.students[s],
                score,
                attained: score.map(|v| policy.rounding.reaches(v, policy.student_threshold)),
            }
        })
        .collect();
    Some(CourseCloExplanation { result, students })
}
