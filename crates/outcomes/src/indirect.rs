//! Indirect attainment: survey answers on a rating scale (how many respondents chose each
//! point) turned into one number, the way accreditation bodies do, and then into a level.

use serde::{Deserialize, Serialize};

use crate::policy::{Rounding, Slabs};

/// How many respondents chose each point of a scale, lowest point first: `counts[0]` chose
/// point 1, `counts[k - 1]` chose point `k` on a `k`-point scale.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScaleCounts(pub Vec<u64>);

impl ScaleCounts {
    /// A `points`-point scale with nobody counted yet.
    pub fn empty(points: usize) -> ScaleCounts {
        ScaleCounts(vec![0; points])
    }

    /// Counts one respondent at `point` (1-based); a point off the scale is not counted.
    pub fn add(&mut self, point: usize) -> bool {
        match point.checked_sub(1).and_then(|at| self.0.get_mut(at)) {
            Some(slot) => {
                *slot += 1;
                true
            }
            None => false,
        }
    }

    pub fn points(&self) -> usize {
        self.0.len()
    }

    pub fn respondents(&self) -> u64 {
        self.0.iter().sum()
    }

    /// Adds another group's counts on the same scale (several questions mapped to one outcome).
    pub fn merge(&mut self, other: &ScaleCounts) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (slot, count) in self.0.iter_mut().zip(&other.0) {
            *slot += count;
        }
    }
}

/// The number that stands for a question's (or an outcome's) indirect attainment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum IndirectMeasure {
    /// The weighted-mean percent of the scale: Σ point · count ÷ (highest point · respondents).
    /// On a 5-point scale, (5·SA + 4·A + 3·N + 2·D + 1·SD) ÷ (5·N).
    WeightedMean,
    /// The share of respondents who chose one of the scale's top `top_points` points (on a
    /// 5-point agreement scale, `2` counts "agree" and "strongly agree").
    TopPoints { top_points: u8 },
}

/// The policy's choices for indirect evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndirectPolicy {
    pub measure: IndirectMeasure,
    /// Attainment levels by slabs of the measure (e.g. 1/2/3 at 50/60/70%), when levels are used.
    pub levels: Option<Slabs>,
}

impl Default for IndirectPolicy {
    fn default() -> Self {
        IndirectPolicy { measure: IndirectMeasure::WeightedMean, levels: None }
    }
}

/// One indirect result: the measure as a fraction of 1 (rounded as the policy reports), and
/// its level when the policy uses levels; `None` without respondents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IndirectResult {
    pub respondents: u64,
    pub value: f64,
    pub level: Option<u8>,
}

/// The indirect measure of `counts` under `policy`, with `rounding` applied as for direct
/// evidence (a level is read from the rounded value when the policy rounds before banding).
pub fn indirect(policy: &IndirectPolicy, rounding: &Rounding, counts: &ScaleCounts) -> Option<IndirectResult> {
    let respondents = counts.respondents();
    let points = counts.points();
    if respondents == 0 || points == 0 {
        return None;
    }
    let exact = match policy.measure {
        IndirectMeasure::WeightedMean => {
            let sum: u64 = counts.0.iter().enumerate().map(|(at, count)| (at as u64 + 1) * count).sum();
            sum as f64 / (points as u64 * respondents) as f64
        }
        IndirectMeasure::TopPoints { top_points } => {
            let from = points.saturating_sub(usize::from(top_points));
            counts.0[from..].iter().sum::<u64>() as f64 / respondents as f64
        }
    };
    let level = policy.levels.as_ref().map(|slabs| slabs.level_of(rounding.for_banding(exact)));
    Some(IndirectResult { respondents, value: rounding.report(exact), level })
}

/// What is wrong with an indirect policy, in words (empty when nothing is).
pub fn problems(policy: &IndirectPolicy) -> Vec<String> {
    let mut problems = Vec::new();
    if let IndirectMeasure::TopPoints { top_points } = policy.measure
        && top_points == 0
    {
        problems.push("indirect.top_points must be at least 1".into());
    }
    if let Some(slabs) = &policy.levels
        && slabs.0.iter().any(|s| !(0.0..=1.0).contains(&s.min))
    {
        problems.push("indirect.levels must start between 0 and 1".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Slab;
    use crate::targets::blend_direct_indirect;
    use crate::{DirectIndirect, Rounding};

    /// A course exit survey item answered by 40 students on a 5-point agreement scale:
    /// 2 strongly disagree, 3 disagree, 5 neutral, 20 agree, 10 strongly agree.
    fn exit_item() -> ScaleCounts {
        ScaleCounts(vec![2, 3, 5, 20, 10])
    }

    #[test]
    fn the_weighted_mean_percent_is_the_hand_arithmetic() {
        // (5·10 + 4·20 + 3·5 + 2·3 + 1·2) ÷ (5·40) = 153 ÷ 200 = 76.5%.
        let result = indirect(&IndirectPolicy::default(), &Rounding::EXACT, &exit_item()).unwrap();
        assert_eq!(result.respondents, 40);
        assert!((result.value - 0.765).abs() < 1e-12, "{result:?}");
        assert_eq!(result.level, None);
    }

    #[test]
    fn the_top_points_share_counts_agree_and_strongly_agree() {
        let policy = IndirectPolicy { measure: IndirectMeasure::TopPoints { top_points: 2 }, levels: None };
        // (20 + 10) ÷ 40 = 75%.
        assert_eq!(indirect(&policy, &Rounding::EXACT, &exit_item()).unwrap().value, 0.75);
    }

    #[test]
    fn levels_come_from_slabs_and_the_rounding_rule_decides_the_edge() {
        let slabs = Slabs(vec![Slab { min: 0.5, level: 1 }, Slab { min: 0.6, level: 2 }, Slab { min: 0.7, level: 3 }]);
        let policy = IndirectPolicy { measure: IndirectMeasure::WeightedMean, levels: Some(slabs) };
        assert_eq!(indirect(&policy, &Rounding::EXACT, &exit_item()).unwrap().level, Some(3));
        // Any scale: on 10 points, 7 respondents at point 6 give 42 ÷ 70 = 60%, exactly level 2.
        let ten = ScaleCounts(vec![0, 0, 0, 0, 0, 7, 0, 0, 0, 0]);
        assert_eq!(indirect(&policy, &Rounding::EXACT, &ten).unwrap().level, Some(2));
        // 9,993 at point 6 and 7 at point 5 give 59,993 ÷ 100,000 = 59.993%: level 1 compared
        // exactly, level 2 when rounded to one decimal (60.0%) first.
        let near = ScaleCounts({
            let mut c = vec![0; 10];
            c[5] = 9_993; // point 6
            c[4] = 7; // point 5
            c
        });
        let exact = indirect(&policy, &Rounding::EXACT, &near).unwrap();
        assert!(exact.value < 0.6 && exact.value > 0.5999, "{exact:?}");
        assert_eq!(exact.level, Some(1));
        let rounded = Rounding { percent_decimals: Some(1), before_banding: true };
        let banded = indirect(&policy, &rounded, &near).unwrap();
        assert_eq!((banded.value, banded.level), (0.6, Some(2)));
    }

    #[test]
    fn blended_with_a_known_direct_figure() {
        // Direct 60% of students attaining, indirect 76.5%, blended 0.8 / 0.2:
        // 0.8 · 0.60 + 0.2 · 0.765 = 0.48 + 0.153 = 63.3%.
        let indirect = indirect(&IndirectPolicy::default(), &Rounding::EXACT, &exit_item()).unwrap().value;
        let blended =
            blend_direct_indirect(DirectIndirect { direct: 0.8, indirect: 0.2 }, Some(0.6), Some(indirect)).unwrap();
        assert!((blended - 0.633).abs() < 1e-12, "{blended}");
    }

    #[test]
    fn no_respondents_no_result_and_points_off_the_scale_are_not_counted() {
        assert_eq!(indirect(&IndirectPolicy::default(), &Rounding::EXACT, &ScaleCounts::empty(5)), None);
        let mut counts = ScaleCounts::empty(4);
        assert!(counts.add(4) && counts.add(1));
        assert!(!counts.add(0) && !counts.add(5));
        assert_eq!(counts, ScaleCounts(vec![1, 0, 0, 1]));
        let mut pooled = ScaleCounts::empty(4);
        pooled.merge(&counts);
        pooled.merge(&counts);
        assert_eq!(pooled.respondents(), 4);
    }

    #[test]
    fn a_policy_that_counts_no_points_is_refused() {
        let policy = IndirectPolicy { measure: IndirectMeasure::TopPoints { top_points: 0 }, levels: None };
        assert_eq!(problems(&policy), ["indirect.top_points must be at least 1"]);
        assert!(problems(&IndirectPolicy::default()).is_empty());
    }
}
