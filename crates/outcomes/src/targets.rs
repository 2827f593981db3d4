//! Blending direct and indirect evidence, and setting next term's target from history.

use serde::{Deserialize, Serialize};

use crate::policy::DirectIndirect;

/// `direct·d + indirect·i` over the weights present: with only one kind of evidence, that
/// kind alone; with neither, `None`.
pub fn blend_direct_indirect(weights: DirectIndirect, direct: Option<f64>, indirect: Option<f64>) -> Option<f64> {
    let parts = [(direct, weights.direct), (indirect, weights.indirect)];
    let (sum, total) = parts
        .iter()
        .filter_map(|(value, weight)| value.filter(|_| *weight > 0.0).map(|v| (v * weight, *weight)))
        .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w));
    (total > 0.0).then(|| sum / total)
}

/// How the next target is set from past attainment (oldest first).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TargetRule {
    Fixed {
        value: f64,
    },
    /// The last attainment × `factor` (e.g. 1.05), at most `cap`.
    PreviousTimes {
        factor: f64,
        cap: f64,
    },
    /// The mean of the last `n` attainments × `factor`, at most `cap`.
    MeanOfLast {
        n: usize,
        factor: f64,
        cap: f64,
    },
}

/// The next target, or `None` when the rule needs history there isn't.
pub fn next_target(rule: TargetRule, history: &[f64]) -> Option<f64> {
    match rule {
        TargetRule::Fixed { value } => Some(value),
        TargetRule::PreviousTimes { factor, cap } => history.last().map(|last| (last * factor).min(cap)),
        TargetRule::MeanOfLast { n, factor, cap } => {
            let recent = &history[history.len().saturating_sub(n.max(1))..];
            (!recent.is_empty()).then(|| (recent.iter().sum::<f64>() / recent.len() as f64 * factor).min(cap))
        }
    }
}
