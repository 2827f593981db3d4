//! A survey's results as a report: the indirect attainment of each mapped outcome and each
//! question's answers as charts, the summaries and the raw responses as tables (CSV, XLSX, PDF).
//! The page draws the same charts, so what is downloaded is what was seen.

use qobe_documents::charts::{Bar, bar_chart};
use qobe_domain::surveys::summary::{Detail, QuestionSummary};

use super::Report;
use crate::spreadsheet::{Cell, Sheet};
use crate::surveys::results::{IndirectLine, Results};

/// The indirect measure of each mapped outcome, as bars (none when nothing is mapped).
pub fn indirect_chart(lines: &[IndirectLine]) -> Option<String> {
    let bars: Vec<Bar> = lines
        .iter()
        .map(|line| Bar {
            label: line.code.clone(),
            value: line.result.as_ref().map(|r| r.value),
            target: None,
            href: None,
        })
        .collect();
    (!bars.is_empty()).then(|| bar_chart("Indirect attainment of each mapped outcome", &bars))
}

/// The share of a question's respondents who chose each point or option (rating scales and
/// choices; other kinds are shown as tables only).
pub fn question_chart(summary: &QuestionSummary) -> Option<String> {
    let counts = match &summary.detail {
        Detail::Points { counts, .. } | Detail::Options { counts, .. } => counts,
        _ => return None,
    };
    let answered = summary.answered.max(1) as f64;
    let bars: Vec<Bar> = counts
        .iter()
        .map(|(label, count)| Bar {
            label: label.clone(),
            value: (summary.answered > 0).then(|| *count as f64 / answered),
            target: None,
            href: None,
        })
        .collect();
    Some(bar_chart(&format!("{}: share of respondents per answer", summary.text), &bars))
}

fn number(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Number((v * 100.0).round() / 100.0))
}

/// One row per question and answer: the counts behind every chart, and the figures of the
/// other kinds.
fn summary_rows(summaries: &[QuestionSummary]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for s in summaries {
        let line = |answer: String, count: Cell, share: Cell| {
            vec![Cell::Text(s.key.clone()), Cell::Text(s.text.clone()), Cell::Text(answer), count, share]
        };
        let share = |count: usize| Cell::percent((s.answered > 0).then(|| count as f64 / s.answered as f64));
        match &s.detail {
            Detail::Points { counts, mean } => {
                for (label, count) in counts {
                    rows.push(line(label.clone(), Cell::Number(*count as f64), share(*count)));
                }
                rows.push(line("Mean point".into(), number(*mean), Cell::Empty));
            }
            Detail::Options { counts, other } => {
                for (label, count) in counts {
                    rows.push(line(label.clone(), Cell::Number(*count as f64), share(*count)));
                }
                for typed in other {
                    rows.push(line(format!("Other: {typed}"), Cell::Empty, Cell::Empty));
                }
            }
            Detail::Grid { points, rows: grid } => {
                for row in grid {
                    for (point, count) in points.iter().zip(&row.counts) {
                        rows.push(line(format!("{}: {point}", row.row), Cell::Number(*count as f64), Cell::Empty));
                    }
                    rows.push(line(format!("{}: mean point", row.row), number(row.mean), Cell::Empty));
                }
            }
            Detail::Ranks { mean_positions } => {
                for (option, position) in mean_positions {
                    rows.push(line(format!("{option}: mean position"), number(Some(*position)), Cell::Empty));
                }
            }
            Detail::Numbers { mean, median, min, max } => {
                for (name, value) in [("Mean", mean), ("Median", median), ("Lowest", min), ("Highest", max)] {
                    rows.push(line(name.into(), number(*value), Cell::Empty));
                }
            }
            Detail::Dates { earliest, latest } => {
                for (name, value) in [("Earliest", earliest), ("Latest", latest)] {
                    rows.push(line(
                        name.into(),
                        Cell::Text(value.map(|d| d.to_string()).unwrap_or_default()),
                        Cell::Empty,
                    ));
                }
            }
            Detail::Texts { .. } => {
                rows.push(line("Answered".into(), Cell::Number(s.answered as f64), Cell::Empty));
            }
        }
    }
    rows
}

/// The results page as a report; `raw` is the response table (header, rows).
pub fn survey_results(results: &Results, raw: (Vec<String>, Vec<Vec<String>>)) -> Report {
    let survey = &results.view.survey;
    let rate = results.rate().map(|r| format!(" ({:.1}%)", r * 100.0)).unwrap_or_default();
    let mut charts: Vec<String> = indirect_chart(&results.indirect).into_iter().collect();
    charts.extend(results.summaries.iter().filter_map(question_chart));
    let indirect = Sheet {
        name: "Indirect attainment".into(),
        title: format!("Indirect attainment. {}", results.method),
        header: ["Outcome", "Kind", "Read from", "Respondents", "Measure", "Level"].map(String::from).to_vec(),
        rows: results
            .indirect
            .iter()
            .map(|line| {
                vec![
                    Cell::Text(line.code.clone()),
                    Cell::Text(line.kind.to_uppercase()),
                    Cell::Text(line.questions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
                    Cell::Number(line.counts.iter().sum::<u64>() as f64),
                    Cell::percent(line.result.as_ref().map(|r| r.value)),
                    line.result.as_ref().and_then(|r| r.level).map_or(Cell::Empty, |l| Cell::Number(f64::from(l))),
                ]
            })
            .collect(),
    };
    let summary = Sheet {
        name: "Summary".into(),
        title: "Answers per question".into(),
        header: ["Question", "Text", "Answer", "Respondents", "Share"].map(String::from).to_vec(),
        rows: summary_rows(&results.summaries),
    };
    let (header, rows) = raw;
    let responses = Sheet {
        name: "Responses".into(),
        title: "Every response, one column per question".into(),
        header,
        rows: rows.into_iter().map(|r| r.into_iter().map(Cell::Text).collect()).collect(),
    };
    Report {
        file: format!("survey-{}-results", survey.id),
        title: survey.title.clone(),
        subtitle: format!("{} responses of {} asked{rate}.", results.responses, results.asked),
        charts,
        tables: vec![indirect, summary, responses],
    }
}
