//! A respondent's answers: read from the fields of the survey's page, checked against each
//! question's kind, and judged against the branching — a question (or section) whose condition
//! is not met is not shown, its answer is dropped and it is never required.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Condition, LONG_TEXT_MAX, NO, Question, QuestionKind, SHORT_TEXT_MAX, SurveyForm, Test, YES};
use crate::FieldErrors;

/// One question's answer. Choices are kept as their text (what the respondent read), so a
/// summary or a cross-tab reads them without the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// A scale's point, from 1.
    Point(u8),
    /// One option, or (with `other`) what the respondent typed instead.
    Choice {
        chosen: String,
        other: bool,
    },
    /// The options chosen, in the form's order, and what was typed as "other".
    Choices {
        chosen: Vec<String>,
        other: Option<String>,
    },
    /// A grid's point per row (`None`: the row was left).
    Rows(Vec<Option<u8>>),
    /// The options, most preferred first.
    Order(Vec<String>),
    Number(f64),
    Date(NaiveDate),
    Text(String),
    YesNo(bool),
}

/// Answers by question key.
pub type Answers = BTreeMap<String, Answer>;

/// The field a question's answer comes in, and its parts: `{key}`, `{key}.other`, `{key}.{n}`
/// (a grid's row or a ranked option, from 1).
pub fn field(key: &str, part: Option<&str>) -> String {
    match part {
        Some(part) => format!("{key}.{part}"),
        None => key.to_owned(),
    }
}

/// Reads every question's answer from the page's fields (a field may repeat: several choices).
/// Blank fields are no answer; a malformed one is an error beside its question.
pub fn parse_answers(form: &SurveyForm, fields: &[(String, String)]) -> (Answers, FieldErrors) {
    let mut answers = Answers::new();
    let mut errors = FieldErrors::new();
    for (_, question) in form.questions() {
        match parse_one(question, fields) {
            Ok(Some(answer)) => {
                answers.insert(question.key.clone(), answer);
            }
            Ok(None) => {}
            Err(message) => errors.add(&question.key, message),
        }
    }
    (answers, errors)
}

fn values<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
}

fn one<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    values(fields, name).into_iter().next()
}

fn point(text: &str, points: u8) -> Result<u8, String> {
    text.parse::<u8>()
        .ok()
        .filter(|p| (1..=points).contains(p))
        .ok_or_else(|| format!("choose a point from 1 to {points}"))
}

fn text(value: &str, most: usize) -> Result<String, String> {
    if value.chars().count() > most { Err(format!("write at most {most} characters")) } else { Ok(value.to_owned()) }
}

fn parse_one(question: &Question, fields: &[(String, String)]) -> Result<Option<Answer>, String> {
    let key = question.key.as_str();
    Ok(Some(match &question.kind {
        QuestionKind::Scale { points, .. } => match one(fields, key) {
            Some(value) => Answer::Point(point(value, *points)?),
            None => return Ok(None),
        },
        QuestionKind::SingleChoice { options, other } => {
            let typed = one(fields, &field(key, Some("other"))).filter(|_| *other);
            match (one(fields, key), typed) {
                (Some("other"), Some(typed)) if *other => {
                    Answer::Choice { chosen: text(typed, SHORT_TEXT_MAX)?, other: true }
                }
                (Some("other"), None) if *other => return Err("say what your other answer is".into()),
                (Some(chosen), _) => Answer::Choice { chosen: offered(options, chosen)?, other: false },
                (None, Some(typed)) => Answer::Choice { chosen: text(typed, SHORT_TEXT_MAX)?, other: true },
                (None, None) => return Ok(None),
            }
        }
        QuestionKind::MultipleChoice { options, other } => {
            let picked = values(fields, key);
            let typed = one(fields, &field(key, Some("other"))).filter(|_| *other);
            let mut chosen = Vec::new();
            for value in picked.iter().filter(|v| **v != "other") {
                chosen.push(offered(options, value)?);
            }
            if picked.contains(&"other") && typed.is_none() {
                return Err("say what your other answer is".into());
            }
            if chosen.is_empty() && typed.is_none() {
                return Ok(None);
            }
            // In the form's order, each once.
            chosen = options.iter().filter(|o| chosen.contains(o)).cloned().collect();
            Answer::Choices { chosen, other: typed.map(|t| text(t, SHORT_TEXT_MAX)).transpose()? }
        }
        QuestionKind::Matrix { rows, points, .. } => {
            let mut rated = Vec::with_capacity(rows.len());
            for (n, row) in rows.iter().enumerate() {
                match one(fields, &field(key, Some(&(n + 1).to_string()))) {
                    Some(value) => rated.push(Some(point(value, *points).map_err(|e| format!("{row}: {e}"))?)),
                    None => rated.push(None),
                }
            }
            if rated.iter().all(Option::is_none) {
                return Ok(None);
            }
            Answer::Rows(rated)
        }
        QuestionKind::Ranking { options } => {
            let mut ranks: Vec<(usize, &String)> = Vec::new();
            for (n, option) in options.iter().enumerate() {
                if let Some(value) = one(fields, &field(key, Some(&(n + 1).to_string()))) {
                    let rank = value
                        .parse::<usize>()
                        .ok()
                        .filter(|r| (1..=options.len()).contains(r))
                        .ok_or_else(|| format!("{option}: give a place from 1 to {}", options.len()))?;
                    ranks.push((rank, option));
                }
            }
            if ranks.is_empty() {
                return Ok(None);
            }
            if ranks.len() != options.len() {
                return Err("put every option in a place".into());
            }
            ranks.sort_by_key(|(rank, _)| *rank);
            if ranks.iter().enumerate().any(|(n, (rank, _))| *rank != n + 1) {
                return Err("give each option a different place".into());
            }
            Answer::Order(ranks.into_iter().map(|(_, o)| o.clone()).collect())
        }
        QuestionKind::Numeric { min, max, whole } => match one(fields, key) {
            Some(value) => {
                let number: f64 =
                    value.parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(|| "write a number".to_owned())?;
                if *whole && number.fract() != 0.0 {
                    return Err("write a whole number".into());
                }
                match (min, max) {
                    (Some(low), Some(high)) if number < *low || number > *high => {
                        return Err(format!("write a number from {low} to {high}"));
                    }
                    (Some(low), None) if number < *low => return Err(format!("write a number of at least {low}")),
                    (None, Some(high)) if number > *high => return Err(format!("write a number of at most {high}")),
                    _ => Answer::Number(number),
                }
            }
            None => return Ok(None),
        },
        QuestionKind::Date => match one(fields, key) {
            Some(value) => Answer::Date(
                NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| "write a date as YYYY-MM-DD".to_owned())?,
            ),
            None => return Ok(None),
        },
        QuestionKind::ShortText => match one(fields, key) {
            Some(value) => Answer::Text(text(value, SHORT_TEXT_MAX)?),
            None => return Ok(None),
        },
        QuestionKind::LongText => match one(fields, key) {
            Some(value) => Answer::Text(text(value, LONG_TEXT_MAX)?),
            None => return Ok(None),
        },
        QuestionKind::YesNo => match one(fields, key) {
            Some(YES) => Answer::YesNo(true),
            Some(NO) => Answer::YesNo(false),
            Some(_) => return Err("answer yes or no".into()),
            None => return Ok(None),
        },
    }))
}

fn offered(options: &[String], chosen: &str) -> Result<String, String> {
    options
        .iter()
        .find(|o| o.as_str() == chosen)
        .cloned()
        .ok_or_else(|| format!("\"{chosen}\" is not one of the choices"))
}

/// Whether an answer passes a condition's test.
fn passes(test: &Test, answer: &Answer) -> bool {
    match (test, answer) {
        (Test::Answered, _) => true,
        (Test::AnyOf { options }, Answer::Choice { chosen, .. }) => options.contains(chosen),
        (Test::AnyOf { options }, Answer::Choices { chosen, .. }) => chosen.iter().any(|c| options.contains(c)),
        (Test::AnyOf { options }, Answer::YesNo(yes)) => options.iter().any(|o| o == if *yes { YES } else { NO }),
        (Test::AtLeast { value }, Answer::Point(p)) => f64::from(*p) >= *value,
        (Test::AtMost { value }, Answer::Point(p)) => f64::from(*p) <= *value,
        (Test::AtLeast { value }, Answer::Number(n)) => n >= value,
        (Test::AtMost { value }, Answer::Number(n)) => n <= value,
        _ => false,
    }
}

/// The keys of the questions a respondent with these answers is shown: a section or question
/// whose condition fails is hidden, and an answer to a hidden question counts for no condition.
pub fn visible_questions(form: &SurveyForm, answers: &Answers) -> HashSet<String> {
    let mut shown: HashSet<String> = HashSet::new();
    let holds = |condition: &Option<Condition>, shown: &HashSet<String>| match condition {
        None => true,
        Some(c) => shown.contains(&c.question) && answers.get(&c.question).is_some_and(|a| passes(&c.test, a)),
    };
    for section in &form.sections {
        if !holds(&section.show_if, &shown) {
            continue;
        }
        for question in &section.questions {
            if holds(&question.show_if, &shown) {
                shown.insert(question.key.clone());
            }
        }
    }
    shown
}

/// Whether a question counts as answered for `required`: every row of a grid.
fn complete(answer: &Answer) -> bool {
    match answer {
        Answer::Rows(rows) => rows.iter().all(Option::is_some),
        _ => true,
    }
}

/// The answers to keep: those to questions shown. With `finished` (the respondent submits, not
/// saves to resume later), every required question shown must be answered; `sections` limits
/// that check to some sections (moving on from one page).
pub fn check_response(
    form: &SurveyForm,
    mut answers: Answers,
    finished: bool,
    sections: Option<&[usize]>,
) -> Result<Answers, FieldErrors> {
    let shown = visible_questions(form, &answers);
    answers.retain(|key, _| shown.contains(key));
    let mut errors = FieldErrors::new();
    if finished {
        for (section, question) in form.questions() {
            let checked = sections.is_none_or(|s| s.contains(&section));
            if checked && question.required && shown.contains(&question.key) {
                match answers.get(&question.key) {
                    None => errors.add(&question.key, "answer this question"),
                    Some(answer) if !complete(answer) => errors.add(&question.key, "rate every row"),
                    Some(_) => {}
                }
            }
        }
    }
    errors.into_result().map(|()| answers)
}

/// The page's fields that hold `answers` (what was saved, shown again to resume): the inverse of
/// [`parse_answers`].
pub fn answer_fields(form: &SurveyForm, answers: &Answers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (_, question) in form.questions() {
        let key = question.key.as_str();
        let Some(answer) = answers.get(key) else { continue };
        let mut put = |part: Option<&str>, value: String| out.push((field(key, part), value));
        match answer {
            Answer::Point(p) => put(None, p.to_string()),
            Answer::Choice { chosen, other: false } => put(None, chosen.clone()),
            Answer::Choice { chosen, other: true } => {
                put(None, "other".into());
                put(Some("other"), chosen.clone());
            }
            Answer::Choices { chosen, other } => {
                for c in chosen {
                    put(None, c.clone());
                }
                if let Some(typed) = other {
                    put(None, "other".into());
                    put(Some("other"), typed.clone());
                }
            }
            Answer::Rows(rows) => {
                for (n, point) in rows.iter().enumerate() {
                    if let Some(point) = point {
                        put(Some(&(n + 1).to_string()), point.to_string());
                    }
                }
            }
            Answer::Order(order) => {
                if let QuestionKind::Ranking { options } = &question.kind {
                    for (n, option) in options.iter().enumerate() {
                        if let Some(place) = order.iter().position(|o| o == option) {
                            put(Some(&(n + 1).to_string()), (place + 1).to_string());
                        }
                    }
                }
            }
            Answer::Number(n) => put(None, n.to_string()),
            Answer::Date(d) => put(None, d.format("%Y-%m-%d").to_string()),
            Answer::Text(t) => put(None, t.clone()),
            Answer::YesNo(yes) => put(None, (if *yes { YES } else { NO }).to_owned()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::Section;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    fn q(key: &str, kind: QuestionKind) -> Question {
        Question { key: key.into(), text: key.into(), help: String::new(), required: true, kind, show_if: None }
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn every_kind() -> SurveyForm {
        SurveyForm {
            sections: vec![Section {
                title: "All".into(),
                questions: vec![
                    q("scale", QuestionKind::Scale { points: 5, labels: vec![] }),
                    q("one", QuestionKind::SingleChoice { options: words(&["Lab", "Lecture"]), other: true }),
                    q("many", QuestionKind::MultipleChoice { options: words(&["A", "B", "C"]), other: true }),
                    q("grid", QuestionKind::Matrix { rows: words(&["Pace", "Clarity"]), points: 4, labels: vec![] }),
                    q("rank", QuestionKind::Ranking { options: words(&["X", "Y", "Z"]) }),
                    q("hours", QuestionKind::Numeric { min: Some(0.0), max: Some(60.0), whole: true }),
                    q("when", QuestionKind::Date),
                    q("short", QuestionKind::ShortText),
                    q("long", QuestionKind::LongText),
                    q("yes", QuestionKind::YesNo),
                ],
                ..Section::default()
            }],
        }
    }

    #[test]
    fn every_kind_reads_its_answer() {
        let (answers, errors) = parse_answers(
            &every_kind(),
            &fields(&[
                ("scale", "4"),
                ("one", "other"),
                ("one.other", "Tutorial"),
                ("many", "C"),
                ("many", "A"),
                ("grid.1", "3"),
                ("grid.2", "1"),
                ("rank.1", "2"),
                ("rank.2", "3"),
                ("rank.3", "1"),
                ("hours", "12"),
                ("when", "2026-12-02"),
                ("short", " fine "),
                ("long", "More labs."),
                ("yes", "no"),
            ]),
        );
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(answers["scale"], Answer::Point(4));
        assert_eq!(answers["one"], Answer::Choice { chosen: "Tutorial".into(), other: true });
        assert_eq!(answers["many"], Answer::Choices { chosen: words(&["A", "C"]), other: None });
        assert_eq!(answers["grid"], Answer::Rows(vec![Some(3), Some(1)]));
        assert_eq!(answers["rank"], Answer::Order(words(&["Z", "X", "Y"])));
        assert_eq!(answers["hours"], Answer::Number(12.0));
        assert_eq!(answers["when"], Answer::Date(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
        assert_eq!(answers["short"], Answer::Text("fine".into()));
        assert_eq!(answers["yes"], Answer::YesNo(false));
        // Stored as JSON and read back the same.
        let json = serde_json::to_string(&answers).unwrap();
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers);
    }

    #[test]
    fn every_kind_refuses_a_malformed_answer_beside_its_question() {
        let long = "x".repeat(SHORT_TEXT_MAX + 1);
        let (answers, errors) = parse_answers(
            &every_kind(),
            &fields(&[
                ("scale", "6"),
                ("one", "Seminar"),
                ("many", "other"),
                ("grid.1", "5"),
                ("rank.1", "1"),
                ("rank.2", "1"),
                ("rank.3", "2"),
                ("hours", "1.5"),
                ("when", "02/12/2026"),
                ("short", &long),
                ("yes", "maybe"),
            ]),
        );
        assert!(answers.is_empty(), "{answers:?}");
        let said: Vec<String> = errors.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        assert_eq!(
            said,
            [
                "scale: choose a point from 1 to 5",
                "one: \"Seminar\" is not one of the choices",
                "many: say what your other answer is",
                "grid: Pace: choose a point from 1 to 4",
                "rank: give each option a different place",
                "hours: write a whole number",
                "when: write a date as YYYY-MM-DD",
                "short: write at most 200 characters",
                "yes: answer yes or no",
            ]
        );
        let (_, range) = parse_answers(&every_kind(), &fields(&[("hours", "61"), ("rank.1", "1")]));
        assert_eq!(range.get("hours"), Some("write a number from 0 to 60"));
        assert_eq!(range.get("rank"), Some("put every option in a place"));
    }

    /// Employed? → (yes) the employer section; the rating → (2 or less) why.
    fn branching() -> SurveyForm {
        let when = |question: &str, test: Test| Some(Condition { question: question.into(), test });
        SurveyForm {
            sections: vec![
                Section {
                    title: "You".into(),
                    questions: vec![
                        q("employed", QuestionKind::YesNo),
                        q("rating", QuestionKind::Scale { points: 5, labels: vec![] }),
                        Question {
                            show_if: when("rating", Test::AtMost { value: 2.0 }),
                            ..q("why", QuestionKind::LongText)
                        },
                    ],
                    ..Section::default()
                },
                Section {
                    title: "Your employer".into(),
                    show_if: when("employed", Test::AnyOf { options: words(&[YES]) }),
                    questions: vec![
                        q("employer", QuestionKind::ShortText),
                        Question {
                            required: false,
                            ..q("size", QuestionKind::Numeric { min: None, max: None, whole: true })
                        },
                    ],
                    ..Section::default()
                },
            ],
        }
    }

    fn answered(pairs: &[(&str, &str)]) -> Answers {
        let (answers, errors) = parse_answers(&branching(), &fields(pairs));
        assert!(errors.is_empty(), "{errors}");
        answers
    }

    #[test]
    fn branching_shows_what_the_answers_so_far_call_for() {
        let shown = |pairs: &[(&str, &str)]| {
            let mut keys: Vec<String> = visible_questions(&branching(), &answered(pairs)).into_iter().collect();
            keys.sort();
            keys
        };
        assert_eq!(shown(&[]), ["employed", "rating"]);
        assert_eq!(shown(&[("employed", "yes"), ("rating", "4")]), ["employed", "employer", "rating", "size"]);
        assert_eq!(shown(&[("employed", "no"), ("rating", "2")]), ["employed", "rating", "why"]);
    }

    #[test]
    fn required_answers_are_asked_only_of_questions_shown_and_hidden_answers_are_dropped() {
        let form = branching();
        // Not employed, rated 4: the employer section and "why" are hidden, so not required, and
        // an employer typed before changing the answer is dropped.
        let kept =
            check_response(&form, answered(&[("employed", "no"), ("rating", "4"), ("employer", "ACME")]), true, None)
                .unwrap();
        assert_eq!(kept.keys().collect::<Vec<_>>(), ["employed", "rating"]);
        // Employed and rated 1: the employer and why are required; size is optional.
        let missing = check_response(&form, answered(&[("employed", "yes"), ("rating", "1")]), true, None).unwrap_err();
        assert_eq!(missing.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["why", "employer"]);
        // Moving on from the first page asks only for its own questions.
        let first_page =
            check_response(&form, answered(&[("employed", "yes"), ("rating", "1")]), true, Some(&[0][..])).unwrap_err();
        assert_eq!(first_page.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["why"]);
        // Saving to resume later asks for nothing.
        assert!(check_response(&form, answered(&[("employed", "yes")]), false, None).is_ok());
    }

    #[test]
    fn a_grid_is_answered_when_every_row_is_rated() {
        let form = every_kind();
        let (partial, _) = parse_answers(&form, &fields(&[("grid.2", "3")]));
        assert_eq!(partial["grid"], Answer::Rows(vec![None, Some(3)]));
        let refused = check_response(&form, partial, true, None).unwrap_err();
        assert_eq!(refused.get("grid"), Some("rate every row"));
    }

    #[test]
    fn saved_answers_come_back_as_the_fields_that_read_as_them() {
        let form = every_kind();
        let typed = fields(&[
            ("scale", "4"),
            ("one", "other"),
            ("one.other", "Tutorial"),
            ("many", "C"),
            ("many", "A"),
            ("many", "other"),
            ("many.other", "D"),
            ("grid.1", "3"),
            ("rank.1", "2"),
            ("rank.2", "3"),
            ("rank.3", "1"),
            ("hours", "12"),
            ("when", "2026-12-03"),
            ("short", "ok"),
            ("long", "fine"),
            ("yes", "no"),
        ]);
        let (answers, errors) = parse_answers(&form, &typed);
        assert!(errors.is_empty(), "{errors:?}");
        let (again, errors) = parse_answers(&form, &answer_fields(&form, &answers));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(again, answers);
        assert_eq!(answers.len(), 10);
    }
}
