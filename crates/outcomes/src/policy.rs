//! Attainment policies: every choice an institution makes about how marks become attainment,
//! as plain data that serialises to JSON and carries a schema version.

use serde::{Deserialize, Serialize};

/// The policy schema version this build writes and reads.
pub const POLICY_SCHEMA: u32 = 1;

/// How marks become student, course, PLO and program attainment.
///
/// Fractions (thresholds, targets, weights, scores) are in 0..=1: 0.5 means 50%.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// [`POLICY_SCHEMA`] when written by this build.
    pub schema: u32,
    /// A label for people, e.g. "PEC / Washington Accord".
    pub name: String,
    /// How a student's CLO score is formed from item marks.
    pub score: ScoreMethod,
    /// What absent, excused, not-attempted and not-yet-entered marks mean.
    pub marks: MarkTreatment,
    /// A student attains a CLO when the score is at least this.
    pub student_threshold: f64,
    /// The number that stands for a course's attainment of a CLO.
    pub course_measure: CourseMeasure,
    /// The course attains a CLO when its measure (or blended level) reaches this. For
    /// [`CourseMeasure::PercentAttaining`] it is a share of students; for
    /// [`CourseMeasure::MeanScore`] a score; with [`Policy::levels`] it is a level (e.g. 2.0).
    pub course_target: f64,
    /// Attainment levels by slabs of the course measure (NBA style: 1/2/3 at 50/60/70%).
    pub levels: Option<Slabs>,
    /// ABET-style Exceeds / Adequate / Minimal / Unsatisfactory buckets of student scores.
    pub eamu: Option<Eamu>,
    /// Course attainment computed per assessment category and blended (e.g. 0.3·CIE + 0.7·SEE).
    pub component_blend: Option<Vec<CategoryWeight>>,
    /// Weights of a CLO's score in the PLO it maps to.
    pub plo_weighting: PloWeighting,
    /// A student attains a PLO when the weighted score is at least this.
    pub plo_threshold: f64,
    /// A cohort attains a PLO when this share of its students attain it.
    pub cohort_target: f64,
    /// How repeated evidence for the same outcome (repeats, several terms) is combined.
    pub repeated: Rollup,
    /// Direct (marks) and indirect (surveys) evidence.
    pub blend: DirectIndirect,
    pub rounding: Rounding,
    /// How survey answers become indirect attainment (policies saved before surveys read as
    /// the weighted mean, without levels).
    #[serde(default)]
    pub indirect: crate::indirect::IndirectPolicy,
    /// With levels and a component blend: how a component's level is formed.
    #[serde(default)]
    pub component_levels: ComponentLevels,
}

/// How a component's (CIE's, SEE's) level is formed when a policy blends components on levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentLevels {
    /// One measure over the component's assessments pooled, and that measure's level.
    #[default]
    Pooled,
    /// Each assessment's own level, averaged within the component: tests at levels 1 and 2
    /// make the component 1.5.
    MeanOfAssessments,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ScoreMethod {
    /// Σ obtained ÷ Σ maximum over every item share mapped to the CLO.
    MarksBased,
    /// The weighted mean of per-group percentages for the CLO: by assessment (weights are the
    /// assessments' weightage) or by category (weights given here, e.g. CIE 0.3, SEE 0.7).
    /// Groups with no counted evidence for the CLO drop out and the rest are re-weighted.
    PercentageBased { group_by: GroupBy },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum GroupBy {
    Assessment,
    Category { weights: Vec<CategoryWeight> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryWeight {
    pub category: String,
    pub weight: f64,
}

/// What a mark that is not a score does to the fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// Counts as 0 out of the item's maximum.
    Zero,
    /// Left out of numerator and denominator.
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkTreatment {
    pub absent: Treatment,
    pub excused: Treatment,
    pub not_attempted: Treatment,
    /// A cell nobody has entered yet (live attainment while a term is open).
    pub missing: Treatment,
}

impl Default for MarkTreatment {
    /// Absent and not attempted count as zero; excused and not-yet-entered are left out.
    fn default() -> Self {
        MarkTreatment {
            absent: Treatment::Zero,
            excused: Treatment::Exclude,
            not_attempted: Treatment::Zero,
            missing: Treatment::Exclude,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseMeasure {
    /// The share of students with evidence whose score reaches the student threshold.
    PercentAttaining,
    /// The mean score of students with evidence.
    MeanScore,
}

/// Ascending slabs: a value gets the level of the highest slab whose minimum it reaches, or 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slabs(pub Vec<Slab>);

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Slab {
    pub min: f64,
    pub level: u8,
}

impl Slabs {
    pub fn level_of(&self, value: f64) -> u8 {
        self.0.iter().filter(|s| value >= s.min).map(|s| s.level).max().unwrap_or(0)
    }

    pub fn highest_level(&self) -> u8 {
        self.0.iter().map(|s| s.level).max().unwrap_or(0)
    }
}

/// Score boundaries of the four ABET buckets (unsatisfactory is below `minimal`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Eamu {
    pub exceeds: f64,
    pub adequate: f64,
    pub minimal: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PloWeighting {
    Equal,
    /// Mapping strength (1 low, 2 medium, 3 high, or a weight).
    Strength,
    CreditHours,
    StrengthTimesCredits,
}

/// Canvas and D2L methods for several scores of the same outcome, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Rollup {
    Highest,
    Latest,
    Average,
    /// Mastered once `times` scores reach `mastery`; the score is then the mean of those
    /// scores. With fewer, there is not yet enough evidence (no score).
    NMastery {
        times: u32,
        mastery: f64,
    },
    /// Canvas "weighted average" (its older "decaying average"): the latest score weighs
    /// `latest_weight`, the mean of all earlier ones the rest.
    DecayingAverage {
        latest_weight: f64,
    },
    /// Canvas "standard decaying average": each new score weighs `new_weight` against the
    /// running result, which starts at the first score.
    StandardDecayingAverage {
        new_weight: f64,
    },
    /// D2L "most common": the level (by these slabs) that occurs most, the higher on a tie;
    /// the score is the mean of the scores at that level.
    MostCommon {
        levels: Slabs,
    },
}

/// Direct (marks) and indirect (surveys) evidence: `direct·d + indirect·i` over their sum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DirectIndirect {
    pub direct: f64,
    pub indirect: f64,
}

/// Rounding of scores expressed as percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rounding {
    /// Decimal places of the percentage; `None` keeps full precision.
    pub percent_decimals: Option<u8>,
    /// Round before comparing with thresholds and slabs (a 49.96% rounds to 50.0% and
    /// attains a 50% threshold at one decimal), or compare the exact value.
    pub before_banding: bool,
}

impl Rounding {
    pub const EXACT: Rounding = Rounding { percent_decimals: None, before_banding: false };

    /// The value as reported.
    pub fn report(&self, fraction: f64) -> f64 {
        match self.percent_decimals {
            Some(places) => {
                let scale = 10f64.powi(i32::from(places) + 2);
                (fraction * scale).round() / scale
            }
            None => fraction,
        }
    }

    /// The value compared with thresholds and slabs.
    pub fn for_banding(&self, fraction: f64) -> f64 {
        if self.before_banding { self.report(fraction) } else { fraction }
    }

    /// Whether `value` reaches `threshold` under this rounding.
    pub fn reaches(&self, value: f64, threshold: f64) -> bool {
        self.for_banding(value) >= threshold - 1e-12
    }
}

fn category_weights(pairs: &[(&str, f64)]) -> Vec<CategoryWeight> {
    pairs
        .iter()
        .map(|(category, weight)| CategoryWeight { category: (*category).to_owned(), weight: *weight })
        .collect()
}

impl Policy {
    /// Pakistan Engineering Council / Washington Accord practice: marks-based CLO scores, a
    /// student attains at 50%, a course attains a CLO when 60% of its students do; PLOs are
    /// weighted by mapping strength × credit hours and attained by a student at 50%.
    pub fn pec() -> Policy {
        Policy {
            schema: POLICY_SCHEMA,
            name: "PEC / Washington Accord".into(),
            score: ScoreMethod::MarksBased,
            marks: MarkTreatment::default(),
            student_threshold: 0.5,
            course_measure: CourseMeasure::PercentAttaining,
            course_target: 0.6,
            levels: None,
            eamu: None,
            component_blend: None,
            plo_weighting: PloWeighting::StrengthTimesCredits,
            plo_threshold: 0.5,
            cohort_target: 0.6,
            repeated: Rollup::Latest,
            blend: DirectIndirect { direct: 1.0, indirect: 0.0 },
            rounding: Rounding { percent_decimals: Some(2), before_banding: false },
            indirect: crate::indirect::IndirectPolicy::default(),
            component_levels: ComponentLevels::Pooled,
        }
    }

    /// NBA (India): a student attains at 60%; levels 1/2/3 when 50/60/70% of students attain;
    /// course attainment 0.3·CIE + 0.7·SEE on levels, target level 2; overall 0.8 direct +
    /// 0.2 indirect (course exit survey).
    pub fn nba() -> Policy {
        let slabs = Slabs(vec![Slab { min: 0.5, level: 1 }, Slab { min: 0.6, level: 2 }, Slab { min: 0.7, level: 3 }]);
        Policy {
            name: "NBA".into(),
            student_threshold: 0.6,
            course_target: 2.0,
            levels: Some(slabs.clone()),
            // A course exit survey's weighted mean is banded into the same levels.
            indirect: crate::indirect::IndirectPolicy { levels: Some(slabs), ..Default::default() },
            component_blend: Some(category_weights(&[("CIE", 0.3), ("SEE", 0.7)])),
            plo_weighting: PloWeighting::Strength,
            plo_threshold: 0.6,
            blend: DirectIndirect { direct: 0.8, indirect: 0.2 },
            ..Policy::pec()
        }
    }

    /// ABET with EAMU buckets (Exceeds ≥ 90%, Adequate ≥ 75%, Minimal ≥ 60%): a student
    /// attains at Adequate, and a course attains when 70% of students are Exceeds or Adequate.
    pub fn abet_eamu() -> Policy {
        Policy {
            name: "ABET EAMU".into(),
            student_threshold: 0.75,
            course_target: 0.7,
            eamu: Some(Eamu { exceeds: 0.9, adequate: 0.75, minimal: 0.6 }),
            plo_weighting: PloWeighting::Strength,
            plo_threshold: 0.75,
            cohort_target: 0.7,
            ..Policy::pec()
        }
    }

    /// Canvas learning mastery: mastery at 3 of 4 points (75%), repeated evidence by the
    /// decaying average with 65% on the latest score; a course attains when 70% of students
    /// reach mastery.
    pub fn canvas_mastery() -> Policy {
        Policy {
            name: "Canvas mastery".into(),
            student_threshold: 0.75,
            course_target: 0.7,
            plo_weighting: PloWeighting::Equal,
            plo_threshold: 0.75,
            cohort_target: 0.7,
            repeated: Rollup::DecayingAverage { latest_weight: 0.65 },
            rounding: Rounding::EXACT,
            ..Policy::pec()
        }
    }

    /// The built-in presets by key, for pickers.
    pub fn presets() -> [(&'static str, Policy); 4] {
        [
            ("pec", Policy::pec()),
            ("nba", Policy::nba()),
            ("abet-eamu", Policy::abet_eamu()),
            ("canvas-mastery", Policy::canvas_mastery()),
        ]
    }

    /// Problems that would make numbers meaningless, each naming the field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut fraction = |name: &str, v: f64| {
            if !(0.0..=1.0).contains(&v) {
                problems.push(format!("{name} must be between 0 and 1 (it is {v})"));
            }
        };
        fraction("student_threshold", self.student_threshold);
        fraction("plo_threshold", self.plo_threshold);
        fraction("cohort_target", self.cohort_target);
        if self.levels.is_none() {
            fraction("course_target", self.course_target);
        }
        match &self.repeated {
            Rollup::DecayingAverage { latest_weight: w } => fraction("repeated.latest_weight", *w),
            Rollup::StandardDecayingAverage { new_weight: w } => fraction("repeated.new_weight", *w),
            Rollup::NMastery { mastery, .. } => fraction("repeated.mastery", *mastery),
            _ => {}
        }
        if self.blend.direct < 0.0 || self.blend.indirect < 0.0 || self.blend.direct + self.blend.indirect <= 0.0 {
            problems.push("blend weights must be zero or more and not both zero".into());
        }
        if let Some(e) = self.eamu
            && !(e.minimal <= e.adequate && e.adequate <= e.exceeds)
        {
            problems.push("eamu boundaries must rise: minimal ≤ adequate ≤ exceeds".into());
        }
        problems.extend(crate::indirect::problems(&self.indirect));
        if self.schema != POLICY_SCHEMA {
            problems.push(format!("schema {} is not the supported {POLICY_SCHEMA}", self.schema));
        }
        problems
    }
}
