//! Questions of a bank: each type's answer key, what a student's response to it may be, and how
//! a response is scored. Scoring is deterministic: the same key and response give the same score
//! on every machine, so a regrade after a key is corrected changes only what the correction
//! changes.

use serde::{Deserialize, Serialize};

/// One pair of a matching question: `left` is matched to `right`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MatchPair))]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub left: String,
    pub right: String,
}

/// A question's type with its answer key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionBody))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Body {
    /// One right option.
    SingleChoice {
        options: Vec<String>,
        #[serde(deserialize_with = "crate::whole::place")]
        correct: usize,
    },
    /// Any number of right options; each wrong pick cancels a right one.
    MultipleChoice {
        options: Vec<String>,
        #[serde(deserialize_with = "crate::whole::places")]
        correct: Vec<usize>,
    },
    TrueFalse {
        correct: bool,
    },
    /// Right when within `tolerance` of `answer`.
    Numeric {
        answer: f64,
        tolerance: f64,
    },
    /// Right when the text matches one pattern; `*` stands for any run of characters.
    ShortAnswer {
        patterns: Vec<String>,
        #[serde(default)]
        case_sensitive: bool,
    },
    /// Each left matched to its right; the rights are shown shuffled.
    Matching {
        pairs: Vec<Pair>,
    },
    /// The items in their right order; they are shown shuffled.
    Ordering {
        items: Vec<String>,
    },
    /// Graded by hand.
    Essay {
        #[serde(default)]
        guidance: String,
    },
}

/// The types, as named in forms and the API.
pub const KINDS: [(&str, &str); 8] = [
    ("single_choice", "Single choice"),
    ("multiple_choice", "Multiple choice"),
    ("true_false", "True or false"),
    ("numeric", "Numeric"),
    ("short_answer", "Short answer"),
    ("matching", "Matching"),
    ("ordering", "Ordering"),
    ("essay", "Essay"),
];

/// A student's response. Which fields count depends on the question's type: `choices` (single,
/// multiple, true/false: 0 is true), `text` (numeric, short answer, essay), `matches` (for each
/// left, the right picked), `order` (the items in the order the student put them). Options,
/// rights and items are named by their place: where the attempt shows them, as a student sends
/// it; where they stand in the key, as it is stored and scored (see `Slot::to_key`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuizResponse))]
#[serde(deny_unknown_fields)]
pub struct Response {
    #[serde(default, deserialize_with = "crate::whole::places")]
    pub choices: Vec<usize>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub text: String,
    #[serde(default, deserialize_with = "crate::whole::optional_places")]
    pub matches: Vec<Option<usize>>,
    #[serde(default, deserialize_with = "crate::whole::places")]
    pub order: Vec<usize>,
}

/// The most options, accepted answers, pairs or items a question has.
pub const MOST_PARTS: usize = 50;

fn text_limit(value: &str, what: &str, max: usize) -> Result<(), String> {
    crate::validation::required_text(value, max).map(|_| ()).map_err(|message| format!("{what} {message}"))
}

fn all_filled(values: &[String], what: &str, min: usize) -> Result<(), String> {
    if values.len() < min {
        return Err(format!("needs at least {min} {what}s"));
    }
    if values.len() > MOST_PARTS {
        return Err(format!("may have at most {MOST_PARTS} {what}s"));
    }
    if let Some(n) = (1..values.len()).find(|&n| values[..n].iter().any(|v| v.trim() == values[n].trim())) {
        return Err(format!("{what} {} is the same as an earlier one: each must differ", n + 1));
    }
    for (n, value) in values.iter().enumerate() {
        text_limit(value, &format!("{what} {}", n + 1), 2000)?;
    }
    Ok(())
}

impl Body {
    pub fn kind(&self) -> &'static str {
        match self {
            Body::SingleChoice { .. } => "single_choice",
            Body::MultipleChoice { .. } => "multiple_choice",
            Body::TrueFalse { .. } => "true_false",
            Body::Numeric { .. } => "numeric",
            Body::ShortAnswer { .. } => "short_answer",
            Body::Matching { .. } => "matching",
            Body::Ordering { .. } => "ordering",
            Body::Essay { .. } => "essay",
        }
    }

    /// Whether a person scores it.
    pub fn by_hand(&self) -> bool {
        matches!(self, Body::Essay { .. })
    }

    /// Checks the key is whole: options present, the right ones among them, a tolerance not
    /// negative, patterns not empty.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Body::SingleChoice { options, correct } => {
                all_filled(options, "option", 2)?;
                if *correct >= options.len() {
                    return Err("the right option must be one of the options".into());
                }
                Ok(())
            }
            Body::MultipleChoice { options, correct } => {
                all_filled(options, "option", 2)?;
                if correct.is_empty() {
                    return Err("at least one option must be right".into());
                }
                if correct.iter().any(|c| *c >= options.len()) {
                    return Err("the right options must be among the options".into());
                }
                if (1..correct.len()).any(|n| correct[..n].contains(&correct[n])) {
                    return Err("each right option is named once".into());
                }
                Ok(())
            }
            Body::TrueFalse { .. } => Ok(()),
            Body::Numeric { answer, tolerance } => {
                if !answer.is_finite() || !tolerance.is_finite() {
                    return Err("the answer and tolerance must be numbers".into());
                }
                if *tolerance < 0.0 {
                    return Err("the tolerance must not be negative".into());
                }
                Ok(())
            }
            Body::ShortAnswer { patterns, .. } => all_filled(patterns, "accepted answer", 1),
            Body::Matching { pairs } => {
                if pairs.len() < 2 {
                    return Err("needs at least 2 pairs".into());
                }
                if pairs.len() > MOST_PARTS {
                    return Err(format!("may have at most {MOST_PARTS} pairs"));
                }
                for (n, pair) in pairs.iter().enumerate() {
                    text_limit(&pair.left, &format!("pair {} left", n + 1), 2000)?;
                    text_limit(&pair.right, &format!("pair {} right", n + 1), 2000)?;
                }
                let lefts: Vec<String> = pairs.iter().map(|p| p.left.clone()).collect();
                let rights: Vec<String> = pairs.iter().map(|p| p.right.clone()).collect();
                all_filled(&lefts, "left", 2)?;
                all_filled(&rights, "right", 2)
            }
            // Three at least: a two-item list shown out of order gives its answer away.
            Body::Ordering { items } => all_filled(items, "item", 3),
            Body::Essay { guidance } => crate::validation::optional_text(guidance, 20_000)
                .map(|_| ())
                .map_err(|message| format!("the guidance {message}")),
        }
    }

    /// How many options, rights or items a student's view shuffles (0: nothing to shuffle).
    pub fn shuffled_len(&self) -> usize {
        match self {
            Body::SingleChoice { options, .. } | Body::MultipleChoice { options, .. } => options.len(),
            Body::Matching { pairs } => pairs.len(),
            Body::Ordering { items } => items.len(),
            _ => 0,
        }
    }

    /// Checks a response fits the question (picks among its options, one pick for a single
    /// choice, an order that is a whole arrangement of the items); an empty response fits all.
    pub fn check_response(&self, response: &Response) -> Result<(), String> {
        let choices = &response.choices;
        let mut seen = choices.clone();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != choices.len() {
            return Err("an option is picked twice".into());
        }
        match self {
            Body::SingleChoice { options, .. } | Body::MultipleChoice { options, .. } => {
                if choices.iter().any(|c| *c >= options.len()) {
                    return Err("the pick is not one of the options".into());
                }
                if matches!(self, Body::SingleChoice { .. }) && choices.len() > 1 {
                    return Err("pick one option".into());
                }
            }
            Body::TrueFalse { .. } if choices.len() > 1 || choices.iter().any(|c| *c > 1) => {
                return Err("pick true (0) or false (1)".into());
            }
            Body::Matching { pairs }
                if response.matches.len() > pairs.len()
                    || response.matches.iter().flatten().any(|r| *r >= pairs.len()) =>
            {
                return Err("a match is not one of the pairs".into());
            }
            Body::Ordering { items } if !response.order.is_empty() => {
                let mut order = response.order.clone();
                order.sort_unstable();
                if order != (0..items.len()).collect::<Vec<_>>() {
                    return Err("the order must place every item once".into());
                }
            }
            _ => {}
        }
        crate::validation::optional_text(&response.text, 20_000)
            .map(|_| ())
            .map_err(|message| format!("the answer {message}"))
    }

    /// The share of the question's points a response earns (0–1); `None` for a question scored
    /// by hand.
    pub fn score(&self, response: &Response) -> Option<f64> {
        let share = match self {
            Body::SingleChoice { correct, .. } => f64::from(response.choices == [*correct]),
            Body::MultipleChoice { correct, .. } => {
                let right = response.choices.iter().filter(|c| correct.contains(c)).count();
                let wrong = response.choices.len() - right;
                (right as f64 - wrong as f64).max(0.0) / correct.len().max(1) as f64
            }
            Body::TrueFalse { correct } => f64::from(response.choices == [usize::from(!*correct)]),
            Body::Numeric { answer, tolerance } => match parse_number(&response.text) {
                Some(given) => f64::from((given - answer).abs() <= tolerance + 1e-9 * answer.abs().max(1.0)),
                None => 0.0,
            },
            Body::ShortAnswer { patterns, case_sensitive } => {
                f64::from(patterns.iter().any(|p| pattern_matches(p, &response.text, *case_sensitive)))
            }
            Body::Matching { pairs } => {
                let right = response.matches.iter().enumerate().filter(|(left, pick)| **pick == Some(*left)).count();
                right as f64 / pairs.len().max(1) as f64
            }
            Body::Ordering { items } => {
                let right = response.order.iter().enumerate().filter(|(at, item)| *at == **item).count();
                right as f64 / items.len().max(1) as f64
            }
            Body::Essay { .. } => return None,
        };
        Some(share)
    }
}

impl Body {
    /// The right answer in words, for the review after the quiz closes and for staff.
    pub fn key_words(&self) -> String {
        match self {
            Body::SingleChoice { options, correct } => options.get(*correct).cloned().unwrap_or_default(),
            Body::MultipleChoice { options, correct } => {
                correct.iter().filter_map(|c| options.get(*c).cloned()).collect::<Vec<_>>().join("; ")
            }
            Body::TrueFalse { correct } => if *correct { "True" } else { "False" }.into(),
            Body::Numeric { answer, tolerance } if *tolerance > 0.0 => format!("{answer} ± {tolerance}"),
            Body::Numeric { answer, .. } => answer.to_string(),
            Body::ShortAnswer { patterns, .. } => patterns.join(" or "),
            Body::Matching { pairs } => {
                pairs.iter().map(|p| format!("{} → {}", p.left, p.right)).collect::<Vec<_>>().join("; ")
            }
            Body::Ordering { items } => items.join(" → "),
            Body::Essay { guidance } => guidance.clone(),
        }
    }
}

/// A typed number: surrounding spaces, a leading `+`, and a decimal comma when there is no
/// point are taken.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().trim_start_matches('+');
    let text = if text.contains('.') { text.to_owned() } else { text.replace(',', ".") };
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn normalise(text: &str, case_sensitive: bool) -> Vec<char> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if case_sensitive { words.chars().collect() } else { words.to_lowercase().chars().collect() }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters; spaces are
/// collapsed and trimmed on both.
pub fn pattern_matches(pattern: &str, text: &str, case_sensitive: bool) -> bool {
    let pattern = normalise(pattern, case_sensitive);
    let text = normalise(text, case_sensitive);
    // Greedy wildcard matching with backtracking to the last star: linear in practice.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// Points earned: the share of the points, in hundredths.
pub fn points(share: f64, points: f64) -> f64 {
    (share * points * 100.0 + 1e-9).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(picks: &[usize]) -> Response {
        Response { choices: picks.to_vec(), ..Response::default() }
    }

    fn text(typed: &str) -> Response {
        Response { text: typed.into(), ..Response::default() }
    }

    fn options(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("option {i}")).collect()
    }

    #[test]
    fn single_choice_is_right_only_with_the_one_right_pick() {
        let q = Body::SingleChoice { options: options(4), correct: 2 };
        assert_eq!(q.score(&choices(&[2])), Some(1.0));
        assert_eq!(q.score(&choices(&[1])), Some(0.0));
        assert_eq!(q.score(&choices(&[])), Some(0.0));
        assert!(q.check_response(&choices(&[1, 2])).is_err());
        assert!(q.check_response(&choices(&[4])).is_err());
    }

    #[test]
    fn multiple_choice_wrong_picks_cancel_right_ones() {
        let q = Body::MultipleChoice { options: options(5), correct: vec![0, 2, 4] };
        assert_eq!(q.score(&choices(&[0, 2, 4])), Some(1.0));
        assert_eq!(q.score(&choices(&[0, 2])).map(|s| points(s, 3.0)), Some(2.0));
        assert_eq!(q.score(&choices(&[0, 1])), Some(0.0));
        assert_eq!(q.score(&choices(&[0, 1, 2, 3])), Some(0.0));
        assert!(q.check_response(&choices(&[0, 0])).is_err());
    }

    #[test]
    fn true_false_reads_zero_as_true() {
        let q = Body::TrueFalse { correct: false };
        assert_eq!(q.score(&choices(&[1])), Some(1.0));
        assert_eq!(q.score(&choices(&[0])), Some(0.0));
        assert!(q.check_response(&choices(&[2])).is_err());
    }

    #[test]
    fn numeric_takes_anything_within_the_tolerance() {
        let q = Body::Numeric { answer: 9.81, tolerance: 0.05 };
        assert_eq!(q.score(&text("9.81")), Some(1.0));
        assert_eq!(q.score(&text(" 9.86 ")), Some(1.0));
        assert_eq!(q.score(&text("9,76")), Some(1.0));
        assert_eq!(q.score(&text("9.87")), Some(0.0));
        assert_eq!(q.score(&text("ten")), Some(0.0));
        let exact = Body::Numeric { answer: 0.3, tolerance: 0.0 };
        assert_eq!(exact.score(&text("0.3")), Some(1.0));
        assert!(Body::Numeric { answer: 1.0, tolerance: -1.0 }.check().is_err());
    }

    #[test]
    fn short_answer_patterns_take_wildcards_and_ignore_case_and_spacing() {
        let q = Body::ShortAnswer { patterns: vec!["photo*synthesis".into(), "CO2".into()], case_sensitive: false };
        assert_eq!(q.score(&text("Photosynthesis")), Some(1.0));
        assert_eq!(q.score(&text("photo-synthesis")), Some(1.0));
        assert_eq!(q.score(&text("  co2 ")), Some(1.0));
        assert_eq!(q.score(&text("synthesis")), Some(0.0));
        let strict = Body::ShortAnswer { patterns: vec!["NaCl".into()], case_sensitive: true };
        assert_eq!(strict.score(&text("nacl")), Some(0.0));
        assert!(pattern_matches("a*b*c", "a  xx b yy c", false));
        assert!(!pattern_matches("a*b", "a b c", false));
        assert!(pattern_matches("*", "", false));
    }

    #[test]
    fn matching_and_ordering_earn_their_share_of_places() {
        let pairs = (0..4).map(|i| Pair { left: format!("l{i}"), right: format!("r{i}") }).collect();
        let q = Body::Matching { pairs };
        let all = Response { matches: vec![Some(0), Some(1), Some(2), Some(3)], ..Response::default() };
        let half = Response { matches: vec![Some(0), Some(2), None, Some(3)], ..Response::default() };
        assert_eq!(q.score(&all), Some(1.0));
        assert_eq!(q.score(&half), Some(0.5));
        let q = Body::Ordering { items: options(4) };
        let order = |o: &[usize]| Response { order: o.to_vec(), ..Response::default() };
        assert_eq!(q.score(&order(&[0, 1, 2, 3])), Some(1.0));
        assert_eq!(q.score(&order(&[0, 1, 3, 2])), Some(0.5));
        assert!(q.check_response(&order(&[0, 1, 1, 2])).is_err());
    }

    #[test]
    fn essays_wait_for_a_person() {
        assert_eq!(Body::Essay { guidance: String::new() }.score(&text("A long answer")), None);
    }

    #[test]
    fn keys_that_are_not_whole_are_refused() {
        assert!(Body::SingleChoice { options: options(3), correct: 3 }.check().is_err());
        assert!(Body::SingleChoice { options: vec!["only".into()], correct: 0 }.check().is_err());
        assert!(Body::MultipleChoice { options: options(3), correct: vec![] }.check().is_err());
        assert!(Body::ShortAnswer { patterns: vec![" ".into()], case_sensitive: false }.check().is_err());
    }

    #[test]
    fn bodies_read_back_as_written() {
        let q = Body::ShortAnswer { patterns: vec!["a*".into()], case_sensitive: true };
        let json = serde_json::to_string(&q).unwrap();
        assert!(json.contains("\"kind\":\"short_answer\""), "{json}");
        assert_eq!(serde_json::from_str::<Body>(&json).unwrap(), q);
    }
}
