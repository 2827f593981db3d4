//! Quiz rules: when an attempt must end (its time limit, stretched by a student's extra time,
//! never past the quiz's close), which questions an attempt draws and in what order it shows
//! them and their options, what a section's points make on its assessment item, and the item
//! statistics read after the close. Pure and seeded: an attempt's draw is the same every time
//! it is rebuilt.

pub mod authoring;
pub mod qti;
pub mod questions;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub use questions::{Body, Pair, Response};

/// How long after its deadline an answer is still taken: the time a request sent in the last
/// second may take to arrive. Nothing later is saved.
pub const GRACE: Duration = Duration::seconds(10);

/// When an attempt started at `started` must end: its time limit (stretched by a student's extra
/// time, in percent) or the quiz's close, whichever comes first; `None` when neither is set.
pub fn attempt_deadline(
    started: DateTime<Utc>,
    limit_minutes: Option<i64>,
    extra_percent: f64,
    closes: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let limited = limit_minutes.map(|minutes| {
        let seconds = (minutes as f64 * 60.0 * (1.0 + extra_percent.max(0.0) / 100.0)).ceil() as i64;
        started + Duration::seconds(seconds)
    });
    match (limited, closes) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether an answer arriving at `at` is taken by an attempt with `deadline`.
pub fn in_time(deadline: Option<DateTime<Utc>>, at: DateTime<Utc>) -> bool {
    deadline.is_none_or(|deadline| at <= deadline + GRACE)
}

/// Whether a quiz may be started at `at`: open, not closed, and attempts left.
pub fn may_start(
    opens: Option<DateTime<Utc>>,
    closes: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
    attempts_used: i64,
    attempts_allowed: i64,
) -> Result<(), String> {
    if opens.is_some_and(|opens| at < opens) {
        return Err("This quiz is not open yet.".into());
    }
    if closes.is_some_and(|closes| at >= closes) {
        return Err("This quiz has closed.".into());
    }
    if attempts_used >= attempts_allowed {
        return Err(format!(
            "You have used {attempts_used} of {attempts_allowed} attempt{}.",
            if attempts_allowed == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

/// A part of a quiz: one fixed question, or `count` drawn at random from a category; its points
/// land on an assessment item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub item: i64,
    pub question: Option<i64>,
    pub category: Option<String>,
    pub count: usize,
}

/// A question of the bank as the draw sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub category: String,
    /// How many options (or rights, or items) its view shuffles.
    pub shuffled: usize,
    /// Ordering and matching questions are always shown shuffled, else the answer would be on
    /// the page (for matching, each right beside its left).
    pub always_shuffled: bool,
    /// Ordering questions are never shown in their right order (three items at least, so that
    /// "not in order" tells little).
    pub never_in_order: bool,
}

/// One question of an attempt: which, for which item, and the order its options are shown in
/// (`order[shown place] = place in the key`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub question: i64,
    pub item: i64,
    #[serde(default)]
    pub order: Vec<usize>,
}

impl Slot {
    /// The place in the key of what is shown at `shown` (itself when nothing is shuffled; a
    /// place past the end stays past it, for the check to refuse).
    fn key_place(&self, shown: usize) -> usize {
        self.order.get(shown).copied().unwrap_or(shown)
    }

    /// Where what is at `key` in the key is shown.
    fn shown_place(&self, key: usize) -> usize {
        self.order.iter().position(|k| *k == key).unwrap_or(key)
    }

    /// A response as the student gave it — options, rights and items named by where they are
    /// shown — in the key's terms, as it is stored and scored. A student never names anything by
    /// its place in the key, which for matching and ordering would be the answer itself.
    pub fn to_key(&self, shown: &Response) -> Response {
        Response {
            choices: shown.choices.iter().map(|c| self.key_place(*c)).collect(),
            text: shown.text.clone(),
            matches: shown.matches.iter().map(|m| m.map(|p| self.key_place(p))).collect(),
            order: shown.order.iter().map(|p| self.key_place(*p)).collect(),
        }
    }

    /// A stored response as its page shows it: the inverse of [`Slot::to_key`].
    pub fn to_shown(&self, keyed: &Response) -> Response {
        Response {
            choices: keyed.choices.iter().map(|k| self.shown_place(*k)).collect(),
            text: keyed.text.clone(),
            matches: keyed.matches.iter().map(|m| m.map(|k| self.shown_place(k))).collect(),
            order: keyed.order.iter().map(|k| self.shown_place(*k)).collect(),
        }
    }
}

/// A seeded stream of numbers (SplitMix64): the same seed draws the same questions.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    fn shuffle<T>(&mut self, values: &mut [T]) {
        for i in (1..values.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            values.swap(i, j);
        }
    }
}

/// The seed of one student's attempt.
pub fn seed(quiz: i64, student: i64, attempt: i64) -> u64 {
    let mut s = Seeded((quiz as u64) ^ (student as u64).rotate_left(21) ^ (attempt as u64).rotate_left(42));
    s.next()
}

/// The questions an attempt shows, in order: each section's fixed question or its random draw
/// (never a question twice), the sections shuffled when `shuffle` is set, options shuffled too.
pub fn draw(seed: u64, sections: &[Section], bank: &[Candidate], shuffle: bool) -> Result<Vec<Slot>, String> {
    let mut rng = Seeded(seed);
    let fixed: Vec<i64> = sections.iter().filter_map(|s| s.question).collect();
    let mut taken: Vec<i64> = Vec::new();
    let mut slots = Vec::new();
    for (n, section) in sections.iter().enumerate() {
        let chosen: Vec<i64> = match (&section.question, &section.category) {
            (Some(question), _) => vec![*question],
            (None, Some(category)) => {
                let mut pool: Vec<i64> = bank
                    .iter()
                    .filter(|c| &c.category == category && !fixed.contains(&c.id) && !taken.contains(&c.id))
                    .map(|c| c.id)
                    .collect();
                if pool.len() < section.count {
                    return Err(format!(
                        "section {} draws {} from \"{category}\", which has {} question{} left",
                        n + 1,
                        section.count,
                        pool.len(),
                        if pool.len() == 1 { "" } else { "s" }
                    ));
                }
                rng.shuffle(&mut pool);
                pool.truncate(section.count);
                pool
            }
            (None, None) => return Err(format!("section {} names no question and no category", n + 1)),
        };
        for question in chosen {
            let candidate = bank
                .iter()
                .find(|c| c.id == question)
                .ok_or(format!("section {} names a question not in the bank", n + 1))?;
            let mut order: Vec<usize> = (0..candidate.shuffled).collect();
            if shuffle || candidate.always_shuffled {
                rng.shuffle(&mut order);
                if candidate.never_in_order && order.len() > 1 && order.iter().enumerate().all(|(i, o)| i == *o) {
                    order.rotate_left(1);
                }
            }
            taken.push(question);
            slots.push(Slot { question, item: section.item, order });
        }
    }
    if shuffle {
        rng.shuffle(&mut slots);
    }
    Ok(slots)
}

/// What one section of an attempt earned on its item.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Earned {
    pub points: f64,
    pub possible: f64,
    /// Questions still waiting for a person to score them.
    pub pending: usize,
}

/// The mark an item gets from the points earned on it: the share of its maximum, in
/// hundredths; `None` while a question on it waits to be scored by hand.
pub fn item_mark(earned: Earned, max_marks: f64) -> Option<f64> {
    if earned.pending > 0 {
        return None;
    }
    if earned.possible <= 0.0 {
        return Some(0.0);
    }
    Some(questions::points(earned.points / earned.possible, max_marks))
}

/// Facility: the mean share of the points a question earned (0 hard – 1 easy).
pub fn facility(shares: &[f64]) -> Option<f64> {
    (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64)
}

/// Discrimination: the correlation between a question's share and the rest of each attempt's
/// score (−1 – 1); `None` below three attempts or when either side never varies.
pub fn discrimination(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mean_x, mean_y) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x).powi(2);
        syy += (y - mean_y).powi(2);
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_deadline_is_the_stretched_limit_or_the_close_whichever_is_first() {
        let start = at("2026-12-03T10:00:00Z");
        assert_eq!(attempt_deadline(start, Some(30), 0.0, None), Some(at("2026-12-03T10:30:00Z")));
        assert_eq!(attempt_deadline(start, Some(30), 50.0, None), Some(at("2026-12-03T10:45:00Z")));
        assert_eq!(
            attempt_deadline(start, Some(30), 50.0, Some(at("2026-12-03T10:40:00Z"))),
            Some(at("2026-12-03T10:40:00Z"))
        );
        assert_eq!(attempt_deadline(start, None, 0.0, None), None);
        let deadline = attempt_deadline(start, Some(30), 0.0, None);
        assert!(in_time(deadline, at("2026-12-03T10:30:10Z")));
        assert!(!in_time(deadline, at("2026-12-03T10:30:11Z")));
    }

    #[test]
    fn starting_needs_the_quiz_open_and_an_attempt_left() {
        let (opens, closes) = (Some(at("2026-12-03T09:00:00Z")), Some(at("2026-12-03T11:00:00Z")));
        assert!(may_start(opens, closes, at("2026-12-03T08:59:00Z"), 0, 1).is_err());
        assert!(may_start(opens, closes, at("2026-12-03T10:00:00Z"), 0, 1).is_ok());
        assert!(may_start(opens, closes, at("2026-12-03T10:00:00Z"), 1, 1).is_err());
        assert!(may_start(opens, closes, at("2026-12-03T11:00:00Z"), 0, 2).is_err());
    }

    fn bank() -> Vec<Candidate> {
        (1..=10)
            .map(|id| Candidate {
                id,
                category: if id <= 6 { "loops".into() } else { "recursion".into() },
                shuffled: 4,
                always_shuffled: false,
                never_in_order: false,
            })
            .collect()
    }

    #[test]
    fn a_draw_is_the_same_for_the_same_seed_and_never_repeats_a_question() {
        let sections = vec![
            Section { item: 1, question: Some(2), category: None, count: 1 },
            Section { item: 1, question: None, category: Some("loops".into()), count: 5 },
            Section { item: 2, question: None, category: Some("recursion".into()), count: 2 },
        ];
        let one = draw(7, &sections, &bank(), true).unwrap();
        assert_eq!(one, draw(7, &sections, &bank(), true).unwrap());
        assert_eq!(one.len(), 8);
        let mut ids: Vec<i64> = one.iter().map(|s| s.question).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 8, "no question twice");
        assert!(one.iter().filter(|s| s.item == 2).all(|s| s.question > 6));
        let others: Vec<_> = (0..20).map(|s| draw(s, &sections, &bank(), true).unwrap()).collect();
        assert!(others.iter().any(|o| o != &one), "seeds change the draw");
        let too_many = vec![Section { item: 1, question: None, category: Some("recursion".into()), count: 5 }];
        let err = draw(1, &too_many, &bank(), false).unwrap_err();
        assert!(err.contains("section 1") && err.contains("has 4 questions"), "{err}");
    }

    #[test]
    fn ordering_questions_are_never_shown_in_their_right_order() {
        let bank =
            vec![Candidate { id: 1, category: "c".into(), shuffled: 3, always_shuffled: true, never_in_order: true }];
        let mut seen = std::collections::HashSet::new();
        for seed in 0..50 {
            let slots = draw(seed, &[Section { item: 1, question: Some(1), category: None, count: 1 }], &bank, false);
            let order = slots.unwrap()[0].order.clone();
            assert_ne!(order, vec![0, 1, 2]);
            seen.insert(order);
        }
        assert!(seen.len() >= 4, "the other orders all come up: {seen:?}");
    }

    #[test]
    fn a_student_names_options_by_where_they_are_shown_never_by_their_place_in_the_key() {
        // Shown: key item 2 first, then 0, then 1. Putting them in the right order on the page
        // sends shown places [1, 2, 0], which is the key's [0, 1, 2].
        let slot = Slot { question: 1, item: 1, order: vec![2, 0, 1] };
        let given =
            Response { order: vec![1, 2, 0], matches: vec![Some(1), None], choices: vec![0], ..Response::default() };
        let keyed = slot.to_key(&given);
        assert_eq!(keyed.order, vec![0, 1, 2]);
        assert_eq!(keyed.matches, vec![Some(0), None]);
        assert_eq!(keyed.choices, vec![2]);
        assert_eq!(slot.to_shown(&keyed), given);
        let plain = Slot { question: 1, item: 1, order: Vec::new() };
        assert_eq!(plain.to_key(&given), given, "nothing shuffled: places are the key's");
        let past = Response { choices: vec![7], ..Response::default() };
        assert_eq!(slot.to_key(&past).choices, vec![7], "a place past the end stays past it");
    }

    #[test]
    fn item_marks_scale_the_points_and_wait_for_hand_scoring() {
        assert_eq!(item_mark(Earned { points: 7.0, possible: 8.0, pending: 0 }, 10.0), Some(8.75));
        assert_eq!(item_mark(Earned { points: 7.0, possible: 8.0, pending: 1 }, 10.0), None);
    }

    #[test]
    fn statistics_read_facility_and_discrimination() {
        assert_eq!(facility(&[1.0, 0.0, 1.0, 1.0]), Some(0.75));
        let good = [(1.0, 9.0), (1.0, 8.0), (0.0, 3.0), (0.0, 2.0)];
        assert!(discrimination(&good).unwrap() > 0.9);
        let flat = [(1.0, 9.0), (1.0, 8.0), (1.0, 3.0)];
        assert_eq!(discrimination(&flat), None);
    }
}
