//! Repeated evidence for the same outcome (a course retaken, several terms, several
//! alignments): Canvas's and D2L's calculation methods.

use crate::policy::Rollup;

/// Combines scores given oldest first; `None` when there are none (or, for n-mastery, not
/// enough scores reach mastery yet).
pub fn rollup(method: &Rollup, oldest_first: &[f64]) -> Option<f64> {
    let (&latest, earlier) = oldest_first.split_last()?;
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    match method {
        Rollup::Highest => oldest_first.iter().copied().reduce(f64::max),
        Rollup::Latest => Some(latest),
        Rollup::Average => Some(mean(oldest_first)),
        Rollup::NMastery { times, mastery } => {
            let mastered: Vec<f64> = oldest_first.iter().copied().filter(|s| *s >= *mastery).collect();
            (mastered.len() >= (*times).max(1) as usize).then(|| mean(&mastered))
        }
        Rollup::DecayingAverage { latest_weight } => {
            if earlier.is_empty() {
                Some(latest)
            } else {
                Some(latest_weight * latest + (1.0 - latest_weight) * mean(earlier))
            }
        }
        Rollup::StandardDecayingAverage { new_weight } => {
            let (&first, rest) = oldest_first.split_first()?;
            Some(rest.iter().fold(first, |running, score| new_weight * score + (1.0 - new_weight) * running))
        }
        Rollup::MostCommon { levels } => {
            let mut best: Option<(usize, u8)> = None;
            for level in oldest_first.iter().map(|s| levels.level_of(*s)) {
                let count = oldest_first.iter().filter(|s| levels.level_of(**s) == level).count();
                if best.is_none_or(|(c, l)| count > c || (count == c && level > l)) {
                    best = Some((count, level));
                }
            }
            let (_, level) = best?;
            let at_level: Vec<f64> = oldest_first.iter().copied().filter(|s| levels.level_of(*s) == level).collect();
            Some(mean(&at_level))
        }
    }
}
