//! Direct and indirect evidence of one outcome side by side, and their blend under the
//! policy's weights compared with its target. The indirect figure is read in the unit the
//! direct one is in: a level when the policy bands attainment into levels (the survey's level
//! under the indirect policy's slabs), else the measure.

use serde::Serialize;

use crate::indirect::IndirectResult;
use crate::policy::Policy;
use crate::targets::blend_direct_indirect;

/// One outcome's direct figure, indirect figure and blend, and whether the blend meets `target`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Blended {
    pub direct: Option<f64>,
    pub indirect: Option<f64>,
    /// `direct·d + indirect·i` over the weights of the evidence present.
    pub value: Option<f64>,
    pub target: f64,
    /// `None` with no evidence of either kind.
    pub met: Option<bool>,
}

/// Whether `value` reaches `target` as the policy compares: levels exactly, measures under
/// its rounding rule.
pub fn reaches_target(policy: &Policy, value: f64, target: f64) -> bool {
    if policy.levels.is_some() { value >= target - 1e-12 } else { policy.rounding.reaches(value, target) }
}

/// The indirect figure in the direct figure's unit; `None` when the policy judges levels and the
/// indirect policy has no slabs to give one.
pub fn indirect_figure(policy: &Policy, indirect: &IndirectResult) -> Option<f64> {
    if policy.levels.is_some() { indirect.level.map(f64::from) } else { Some(indirect.value) }
}

/// Blends a direct figure (a course CLO's value, a group's PLO share) with the indirect result
/// of the surveys mapped to the same outcome.
pub fn blend(policy: &Policy, direct: Option<f64>, indirect: Option<&IndirectResult>, target: f64) -> Blended {
    let indirect = indirect.and_then(|r| indirect_figure(policy, r));
    let value = blend_direct_indirect(policy.blend, direct, indirect);
    Blended { direct, indirect, value, target, met: value.map(|v| reaches_target(policy, v, target)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indirect::{ScaleCounts, indirect};
    use crate::policy::DirectIndirect;

    #[test]
    fn a_course_exit_survey_blended_with_a_known_direct_figure_by_hand() {
        // A five-point item answered 0 SD, 2 D, 3 N, 10 A, 5 SA by 20 students:
        // weighted mean (1·0 + 2·2 + 3·3 + 4·10 + 5·5) / (5·20) = 78 / 100 = 78 %.
        let mut policy = Policy::pec();
        policy.blend = DirectIndirect { direct: 0.8, indirect: 0.2 };
        let survey = indirect(&policy.indirect, &policy.rounding, &ScaleCounts(vec![0, 2, 3, 10, 5])).unwrap();
        assert!((survey.value - 0.78).abs() < 1e-12, "{survey:?}");
        // 55 % of students attained the CLO directly: 0.8 · 55 + 0.2 · 78 = 44 + 15.6 = 59.6 %,
        // short of a 60 % target; direct alone (0.55) and the survey alone would say other things.
        let blended = blend(&policy, Some(0.55), Some(&survey), 0.6);
        assert!((blended.value.unwrap() - 0.596).abs() < 1e-12, "{blended:?}");
        assert_eq!(blended.met, Some(false));
        let raised = blend(&policy, Some(0.58), Some(&survey), 0.6);
        assert!((raised.value.unwrap() - 0.62).abs() < 1e-12);
        assert_eq!(raised.met, Some(true));
        // With no survey, the direct figure alone; with no marks, the survey alone.
        let close = |value: Option<f64>, to: f64| value.is_some_and(|v| (v - to).abs() < 1e-12);
        assert!(close(blend(&policy, Some(0.55), None, 0.6).value, 0.55));
        assert!(close(blend(&policy, None, Some(&survey), 0.6).value, 0.78));
        assert_eq!(blend(&policy, None, None, 0.6).met, None);
    }

    #[test]
    fn with_levels_the_survey_counts_by_its_level() {
        use crate::policy::{Slab, Slabs};
        let slabs = Slabs(vec![Slab { min: 0.5, level: 1 }, Slab { min: 0.6, level: 2 }, Slab { min: 0.7, level: 3 }]);
        let mut policy = Policy::pec();
        policy.levels = Some(slabs.clone());
        policy.blend = DirectIndirect { direct: 0.8, indirect: 0.2 };
        let survey = indirect(&policy.indirect, &policy.rounding, &ScaleCounts(vec![0, 2, 3, 10, 5])).unwrap();
        // The indirect policy has no slabs: the survey gives no level, so only the direct level counts.
        assert_eq!(blend(&policy, Some(2.0), Some(&survey), 2.0).value, Some(2.0));
        policy.indirect.levels = Some(slabs);
        let survey = indirect(&policy.indirect, &policy.rounding, &ScaleCounts(vec![0, 2, 3, 10, 5])).unwrap();
        assert_eq!(survey.level, Some(3), "78 % is level 3");
        // 0.8 · 2 + 0.2 · 3 = 2.2 against a target of level 2.
        let blended = blend(&policy, Some(2.0), Some(&survey), 2.0);
        assert!((blended.value.unwrap() - 2.2).abs() < 1e-12);
        assert_eq!(blended.met, Some(true));
    }
}
