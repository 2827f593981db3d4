//! What a survey's responses say, question by question: counts per point or option (the charts),
//! the mean of a scale or number, ranks, the free-text answers, and a cross-tab of any question
//! against a choice question. Pure, so the results page, the PDF, the downloads, the API and the
//! benchmark summarise the same way.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Answer, Answers, NO, Question, QuestionKind, SurveyForm, YES};

/// One question's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionSummary {
    pub key: String,
    pub text: String,
    /// Responses that answered it.
    pub answered: usize,
    pub detail: Detail,
}

/// The figures of a question, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    /// A scale: how many chose each point (lowest first, with its label) and the mean point.
    Points { counts: Vec<(String, usize)>, mean: Option<f64> },
    /// A choice or yes/no question: how many chose each option, and the "other" answers typed.
    Options { counts: Vec<(String, usize)>, other: Vec<String> },
    /// A grid: each row's counts per point and mean.
    Grid { points: Vec<String>, rows: Vec<GridRow> },
    /// A ranking: each option's mean position (1 = first), best first.
    Ranks { mean_positions: Vec<(String, f64)> },
    /// Numbers: how many, their mean, median, lowest and highest.
    Numbers { mean: Option<f64>, median: Option<f64>, min: Option<f64>, max: Option<f64> },
    /// Dates: the earliest and latest.
    Dates { earliest: Option<NaiveDate>, latest: Option<NaiveDate> },
    /// Free text, as typed.
    Texts { answers: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    pub row: String,
    pub counts: Vec<usize>,
    pub mean: Option<f64>,
}

/// The names of a scale's points: its labels, or the numbers.
pub fn point_names(points: u8, labels: &[String]) -> Vec<String> {
    (1..=points).map(|p| labels.get(usize::from(p) - 1).cloned().unwrap_or_else(|| p.to_string())).collect()
}

fn mean_of(counts: &[usize]) -> Option<f64> {
    let n: usize = counts.iter().sum();
    (n > 0).then(|| counts.iter().enumerate().map(|(at, c)| (at + 1) as f64 * *c as f64).sum::<f64>() / n as f64)
}

/// Every question's summary, in the form's order.
pub fn summarise(form: &SurveyForm, responses: &[Answers]) -> Vec<QuestionSummary> {
    let questions: Vec<&Question> = form.questions().map(|(_, q)| q).collect();
    let columns = columns(&questions, responses);
    questions.iter().zip(columns).map(|(question, answers)| summarise_one(question, answers)).collect()
}

/// Each question's answers, in one pass over the responses: every response's answers are read
/// in their stored order, each put in its question's column (a search of every response per
/// question would chase pointers through the whole set thirty times).
fn columns<'a>(questions: &[&Question], responses: &'a [Answers]) -> Vec<Vec<&'a Answer>> {
    let at: std::collections::HashMap<&str, usize> =
        questions.iter().enumerate().map(|(n, q)| (q.key.as_str(), n)).collect();
    let mut columns: Vec<Vec<&Answer>> = questions.iter().map(|_| Vec::with_capacity(responses.len())).collect();
    for response in responses {
        for (key, answer) in response {
            if let Some(&n) = at.get(key.as_str()) {
                columns[n].push(answer);
            }
        }
    }
    columns
}

fn summarise_one(question: &Question, answers: Vec<&Answer>) -> QuestionSummary {
    let detail = match &question.kind {
        QuestionKind::Scale { points, labels } => {
            let mut counts = vec![0usize; usize::from(*points)];
            for answer in &answers {
                if let Answer::Point(p) = answer
                    && let Some(slot) = counts.get_mut(usize::from(*p).wrapping_sub(1))
                {
                    *slot += 1;
                }
            }
            let mean = mean_of(&counts);
            Detail::Points { counts: point_names(*points, labels).into_iter().zip(counts).collect(), mean }
        }
        QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => {
            let mut counts: Vec<(String, usize)> = options.iter().map(|o| (o.clone(), 0)).collect();
            let mut other = Vec::new();
            let mut count = |chosen: &str| {
                if let Some(slot) = counts.iter_mut().find(|(o, _)| o == chosen) {
                    slot.1 += 1;
                }
            };
            for answer in &answers {
                match answer {
                    Answer::Choice { chosen, other: true } => other.push(chosen.clone()),
                    Answer::Choice { chosen, other: false } => count(chosen),
                    Answer::Choices { chosen, other: typed } => {
                        chosen.iter().for_each(|c| count(c));
                        other.extend(typed.iter().cloned());
                    }
                    _ => {}
                }
            }
            Detail::Options { counts, other }
        }
        QuestionKind::YesNo => {
            let yes = answers.iter().filter(|a| matches!(a, Answer::YesNo(true))).count();
            let no = answers.iter().filter(|a| matches!(a, Answer::YesNo(false))).count();
            Detail::Options { counts: vec![(YES.to_owned(), yes), (NO.to_owned(), no)], other: Vec::new() }
        }
        QuestionKind::Matrix { rows, points, labels } => {
            let mut counts = vec![vec![0usize; usize::from(*points)]; rows.len()];
            for answer in &answers {
                if let Answer::Rows(chosen) = answer {
                    for (row, point) in counts.iter_mut().zip(chosen) {
                        if let Some(slot) = point.and_then(|p| row.get_mut(usize::from(p).wrapping_sub(1))) {
                            *slot += 1;
                        }
                    }
                }
            }
            Detail::Grid {
                points: point_names(*points, labels),
                rows: rows
                    .iter()
                    .zip(counts)
                    .map(|(row, counts)| GridRow { row: row.clone(), mean: mean_of(&counts), counts })
                    .collect(),
            }
        }
        QuestionKind::Ranking { options } => {
            let mut sums = vec![(0usize, 0usize); options.len()];
            for answer in &answers {
                if let Answer::Order(order) = answer {
                    for (position, option) in order.iter().enumerate() {
                        if let Some(at) = options.iter().position(|o| o == option) {
                            sums[at].0 += position + 1;
                            sums[at].1 += 1;
                        }
                    }
                }
            }
            let mut mean_positions: Vec<(String, f64)> = options
                .iter()
                .zip(sums)
                .filter(|(_, (_, n))| *n > 0)
                .map(|(o, (sum, n))| (o.clone(), sum as f64 / n as f64))
                .collect();
            mean_positions.sort_by(|a, b| a.1.total_cmp(&b.1));
            Detail::Ranks { mean_positions }
        }
        QuestionKind::Numeric { .. } => {
            let mut numbers: Vec<f64> =
                answers.iter().filter_map(|a| if let Answer::Number(n) = a { Some(*n) } else { None }).collect();
            numbers.sort_by(f64::total_cmp);
            let n = numbers.len();
            let median = match n {
                0 => None,
                _ if n % 2 == 1 => Some(numbers[n / 2]),
                _ => Some((numbers[n / 2 - 1] + numbers[n / 2]) / 2.0),
            };
            Detail::Numbers {
                mean: (n > 0).then(|| numbers.iter().sum::<f64>() / n as f64),
                median,
                min: numbers.first().copied(),
                max: numbers.last().copied(),
            }
        }
        QuestionKind::Date => {
            let dates = answers.iter().filter_map(|a| if let Answer::Date(d) = a { Some(*d) } else { None });
            let (earliest, latest) = dates.fold((None, None), |(lo, hi): (Option<NaiveDate>, Option<NaiveDate>), d| {
                (Some(lo.map_or(d, |lo| lo.min(d))), Some(hi.map_or(d, |hi| hi.max(d))))
            });
            Detail::Dates { earliest, latest }
        }
        QuestionKind::ShortText | QuestionKind::LongText => Detail::Texts {
            answers: answers
                .iter()
                .filter_map(|a| if let Answer::Text(t) = a { Some(t.clone()) } else { None })
                .collect(),
        },
    };
    QuestionSummary { key: question.key.clone(), text: question.text.clone(), answered: answers.len(), detail }
}

/// The categories of a question a cross-tab can count by: a choice's options, yes/no, a
/// scale's points. `None` for other kinds.
pub fn categories(question: &Question) -> Option<Vec<String>> {
    match &question.kind {
        QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => {
            Some(options.clone())
        }
        QuestionKind::YesNo => Some(vec![YES.to_owned(), NO.to_owned()]),
        QuestionKind::Scale { points, labels } => Some(point_names(*points, labels)),
        _ => None,
    }
}

/// Which categories (by index into [`categories`]) an answer falls in.
fn category_of(question: &Question, answer: &Answer) -> Vec<usize> {
    let options = match &question.kind {
        QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => options,
        _ => {
            return match answer {
                Answer::YesNo(yes) => vec![if *yes { 0 } else { 1 }],
                Answer::Point(p) => vec![usize::from(*p).saturating_sub(1)],
                _ => Vec::new(),
            };
        }
    };
    let at = |chosen: &String| options.iter().position(|o| o == chosen);
    match answer {
        Answer::Choice { chosen, other: false } => at(chosen).into_iter().collect(),
        Answer::Choices { chosen, .. } => chosen.iter().filter_map(at).collect(),
        _ => Vec::new(),
    }
}

/// Responses counted by two questions' categories: `counts[r][c]` answered row category `r` of
/// `rows` and column category `c` of `columns`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTab {
    pub rows_question: String,
    pub columns_question: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

/// The cross-tab of `columns` by `rows`, from each response's pair of answers to the two (a
/// response that answered only one is not counted); `None` when either cannot be counted by
/// category.
pub fn cross_tab<'a>(
    form: &SurveyForm,
    rows: &str,
    columns: &str,
    pairs: impl IntoIterator<Item = (&'a Answer, &'a Answer)>,
) -> Option<CrossTab> {
    let (by, of) = (form.question(rows)?, form.question(columns)?);
    let (row_names, column_names) = (categories(by)?, categories(of)?);
    let mut counts = vec![vec![0usize; column_names.len()]; row_names.len()];
    for (a, b) in pairs {
        for r in category_of(by, a) {
            for c in category_of(of, b) {
                if let Some(slot) = counts.get_mut(r).and_then(|row| row.get_mut(c)) {
                    *slot += 1;
                }
            }
        }
    }
    Some(CrossTab {
        rows_question: by.key.clone(),
        columns_question: of.key.clone(),
        rows: row_names,
        columns: column_names,
        counts,
    })
}

/// How many respondents chose each point of a rated question (a scale, or one grid row),
/// lowest point first, read from the survey's summaries: what indirect attainment is computed
/// from. `None` when the question is not rated or has no such row.
pub fn point_counts(summaries: &[QuestionSummary], key: &str, row: Option<usize>) -> Option<Vec<u64>> {
    let widen = |counts: &[usize]| counts.iter().map(|c| *c as u64).collect();
    match (&summaries.iter().find(|s| s.key == key)?.detail, row) {
        (Detail::Points { counts, .. }, None) => Some(counts.iter().map(|(_, c)| *c as u64).collect()),
        (Detail::Grid { rows, .. }, Some(r)) => rows.get(r).map(|g| widen(&g.counts)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::Section;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    fn form() -> SurveyForm {
        let q = |key: &str, kind| Question {
            key: key.into(),
            text: key.into(),
            help: String::new(),
            required: false,
            kind,
            show_if: None,
        };
        SurveyForm {
            sections: vec![Section {
                title: "All".into(),
                description: String::new(),
                show_if: None,
                questions: vec![
                    q("scale", QuestionKind::Scale { points: 5, labels: vec![] }),
                    q("role", QuestionKind::SingleChoice { options: words(&["Student", "Staff"]), other: true }),
                    q("grid", QuestionKind::Matrix { rows: words(&["A", "B"]), points: 3, labels: vec![] }),
                    q("rank", QuestionKind::Ranking { options: words(&["x", "y", "z"]) }),
                    q("age", QuestionKind::Numeric { min: None, max: None, whole: true }),
                    q("note", QuestionKind::LongText),
                    q("ok", QuestionKind::YesNo),
                ],
            }],
        }
    }

    fn response(pairs: Vec<(&str, Answer)>) -> Answers {
        pairs.into_iter().map(|(k, a)| (k.to_owned(), a)).collect()
    }

    fn responses() -> Vec<Answers> {
        let choice = |c: &str, other| Answer::Choice { chosen: c.into(), other };
        vec![
            response(vec![
                ("scale", Answer::Point(5)),
                ("role", choice("Student", false)),
                ("grid", Answer::Rows(vec![Some(3), Some(1)])),
                ("rank", Answer::Order(words(&["y", "x", "z"]))),
                ("age", Answer::Number(20.0)),
                ("note", Answer::Text("More labs".into())),
                ("ok", Answer::YesNo(true)),
            ]),
            response(vec![
                ("scale", Answer::Point(4)),
                ("role", choice("Student", false)),
                ("grid", Answer::Rows(vec![Some(2), None])),
                ("rank", Answer::Order(words(&["y", "z", "x"]))),
                ("age", Answer::Number(30.0)),
                ("ok", Answer::YesNo(false)),
            ]),
            response(vec![
                ("scale", Answer::Point(2)),
                ("role", choice("Parent", true)),
                ("age", Answer::Number(22.0)),
            ]),
        ]
    }

    #[test]
    fn every_kind_is_counted_by_hand() {
        let s = summarise(&form(), &responses());
        let by = |k: &str| s.iter().find(|q| q.key == k).unwrap();
        assert_eq!(by("scale").answered, 3);
        let Detail::Points { counts, mean } = &by("scale").detail else { panic!() };
        assert_eq!(counts.iter().map(|c| c.1).collect::<Vec<_>>(), vec![0, 1, 0, 1, 1]);
        assert_eq!(counts[0].0, "1", "unlabelled points are named by number");
        assert_eq!(*mean, Some(11.0 / 3.0));
        let Detail::Options { counts, other } = &by("role").detail else { panic!() };
        assert_eq!(counts, &vec![("Student".to_owned(), 2), ("Staff".to_owned(), 0)]);
        assert_eq!(other, &words(&["Parent"]));
        let Detail::Grid { rows, .. } = &by("grid").detail else { panic!() };
        assert_eq!(rows[0].counts, vec![0, 1, 1]);
        assert_eq!(rows[0].mean, Some(2.5));
        assert_eq!(rows[1].counts, vec![1, 0, 0], "a row left blank is not counted");
        let Detail::Ranks { mean_positions } = &by("rank").detail else { panic!() };
        assert_eq!(mean_positions[0], ("y".to_owned(), 1.0));
        assert_eq!(mean_positions[1..], [("x".to_owned(), 2.5), ("z".to_owned(), 2.5)], "a tie keeps the form's order");
        let Detail::Numbers { mean, median, min, max } = &by("age").detail else { panic!() };
        assert_eq!((*mean, *median, *min, *max), (Some(24.0), Some(22.0), Some(20.0), Some(30.0)));
        assert_eq!(by("note").detail, Detail::Texts { answers: words(&["More labs"]) });
        let Detail::Options { counts, .. } = &by("ok").detail else { panic!() };
        assert_eq!(counts, &vec![("yes".to_owned(), 1), ("no".to_owned(), 1)]);
    }

    #[test]
    fn a_cross_tab_counts_pairs_of_categories() {
        let responses = responses();
        let pairs = |a: &str, b: &str| -> Vec<(&Answer, &Answer)> {
            responses.iter().filter_map(|r| Some((r.get(a)?, r.get(b)?))).collect()
        };
        let tab = cross_tab(&form(), "role", "scale", pairs("role", "scale")).unwrap();
        assert_eq!(tab.rows, words(&["Student", "Staff"]));
        assert_eq!(tab.counts[0], vec![0, 0, 0, 1, 1]);
        assert_eq!(tab.counts[1], vec![0, 0, 0, 0, 0], "an 'other' answer is in no option's row");
        assert!(cross_tab(&form(), "note", "scale", pairs("note", "scale")).is_none(), "free text has no categories");
    }

    #[test]
    fn point_counts_read_a_scale_or_one_grid_row() {
        let s = summarise(&form(), &responses());
        assert_eq!(point_counts(&s, "scale", None), Some(vec![0, 1, 0, 1, 1]));
        assert_eq!(point_counts(&s, "grid", Some(1)), Some(vec![1, 0, 0]));
        assert_eq!(point_counts(&s, "grid", Some(2)), None, "no such row");
        assert_eq!(point_counts(&s, "grid", None), None, "a grid is read row by row");
        assert_eq!(point_counts(&s, "role", None), None, "not rated");
    }
}
