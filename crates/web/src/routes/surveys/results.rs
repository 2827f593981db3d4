//! A survey's results: the response rate, indirect attainment of each mapped outcome, every
//! question's answers as a chart with its numbers beside it, a cross-tab of two questions, and
//! the downloads (CSV per table, XLSX, PDF). An anonymous survey below the institution's minimum
//! shows only how many have answered.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::AppError;
use qobe_app::surveys::results::{self, IndirectLine, Results};
use qobe_domain::ids::SurveyId;
use qobe_domain::surveys::summary::{CrossTab, Detail, QuestionSummary, categories};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::routes::render;

pub fn router() -> Router<AppState> {
    Router::new().route("/surveys/{id}/results", get(show))
}

/// The free-text answers shown on the page per question; the rest are in the downloads.
const TEXTS_SHOWN: usize = 50;

#[derive(Deserialize, Default)]
struct ResultsQuery {
    #[serde(flatten)]
    format: Format,
    #[serde(default)]
    rows: String,
    #[serde(default)]
    columns: String,
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsPage {
    page: Page,
    results: Results,
    indirect_chart: Option<String>,
    charts: Vec<Option<String>>,
    /// Questions a cross-tab can count (key, text).
    categorical: Vec<(String, String)>,
    rows: String,
    columns: String,
    cross: Option<CrossTab>,
    cross_error: Option<String>,
}

impl ResultsPage {
    fn percent(&self, value: &Option<f64>) -> String {
        crate::routes::percent(value)
    }

    fn share(&self, count: &usize, of: &usize) -> String {
        if *of == 0 { "—".into() } else { format!("{:.1}%", *count as f64 * 100.0 / *of as f64) }
    }

    fn number(&self, value: &Option<f64>) -> String {
        value.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
    }

    fn chart(&self, at: &usize) -> &str {
        self.charts.get(*at).and_then(|c| c.as_deref()).unwrap_or("")
    }

    fn texts<'a>(&self, s: &'a QuestionSummary) -> &'a [String] {
        match &s.detail {
            Detail::Texts { answers } => &answers[..answers.len().min(TEXTS_SHOWN)],
            _ => &[],
        }
    }

    fn more_texts(&self, s: &QuestionSummary) -> usize {
        match &s.detail {
            Detail::Texts { answers } => answers.len().saturating_sub(TEXTS_SHOWN),
            _ => 0,
        }
    }

    fn rate_text(&self) -> String {
        self.results.rate().map(|r| format!(" ({:.1}%)", r * 100.0)).unwrap_or_default()
    }

    fn respondents(&self, line: &IndirectLine) -> u64 {
        line.counts.iter().sum()
    }

    fn measure(&self, line: &IndirectLine) -> String {
        self.percent(&line.result.as_ref().map(|r| r.value))
    }

    fn level(&self, line: &IndirectLine) -> String {
        line.result.as_ref().and_then(|r| r.level).map_or_else(|| "—".into(), |l| l.to_string())
    }

    fn place(&self, position: &f64) -> String {
        format!("{position:.2}")
    }

    fn cross_rows(&self, t: &CrossTab) -> Vec<(String, Vec<usize>)> {
        t.rows.iter().cloned().zip(t.counts.iter().cloned()).collect()
    }
}

/// A question's text short enough for a select on a phone.
fn shortened(text: &str) -> String {
    const MOST: usize = 48;
    if text.chars().count() <= MOST {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MOST).collect::<String>())
    }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
    Query(query): Query<ResultsQuery>,
) -> Result<Response, HtmlError> {
    let app = &state.app;
    let results = results::of(app, &signed.actor, id).await?;
    if query.format.format.is_some() {
        // Refused with the minimum-responses rule while the results are withheld.
        let raw = results::table(app, &signed.actor, id).await?;
        if let Some(file) =
            download(&state, &signed, &query.format, || qobe_app::reports::survey_results(&results, raw)).await?
        {
            return Ok(file);
        }
    }
    let (mut cross, mut cross_error) = (None, None);
    if !query.rows.is_empty() && !query.columns.is_empty() && results.withheld_below.is_none() {
        match results::cross(app, &signed.actor, id, &query.rows, &query.columns).await {
            Ok(table) => cross = Some(table),
            Err(AppError::Invalid(errors)) => cross_error = errors.0.first().map(|e| e.message.clone()),
            Err(err) => return Err(err.into()),
        }
    }
    let categorical = results
        .view
        .form
        .questions()
        .filter(|(_, q)| categories(q).is_some())
        .map(|(_, q)| (q.key.clone(), shortened(&q.text)))
        .collect();
    let page = Page::new(&format!("Results: {}", results.view.survey.title), &signed.ctx);
    Ok(render(&ResultsPage {
        page,
        indirect_chart: qobe_app::reports::indirect_chart(&results.indirect),
        charts: results.summaries.iter().map(qobe_app::reports::question_chart).collect(),
        categorical,
        rows: query.rows,
        columns: query.columns,
        cross,
        cross_error,
        results,
    }))
}
