//! A quiz's results for its offering's staff: each student's attempts and the one that counts
//! (with extra time), answers waiting for hand scoring with the form that scores them, and item
//! statistics — facility as a chart, with discrimination and option counts in a table.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::quizzes::results::{self, HandScore, Results};
use qobe_documents::charts::{Bar, bar_chart};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new().route("/quizzes/{id}/results", get(show)).route("/quizzes/{id}/answers/{answer}/score", post(score))
}

#[derive(Template)]
#[template(path = "quizzes/results.html")]
struct ResultsPage {
    page: Page,
    results: Results,
    chart: String,
    form: FormState,
}

impl ResultsPage {
    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn share(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| "—".into(), |v| format!("{:.0}%", v * 100.0))
    }

    fn index(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| "—".into(), |v| format!("{v:.2}"))
    }

    fn short(&self, text: &str) -> String {
        let line = text.lines().next().unwrap_or_default();
        if line.chars().count() > 60 {
            format!("{}…", line.chars().take(60).collect::<String>())
        } else {
            line.to_owned()
        }
    }
}

async fn results_page(state: &AppState, signed: &SignedIn, id: i64, form: FormState) -> Result<ResultsPage, HtmlError> {
    let results = results::results(&state.app, &signed.actor, id).await?;
    let bars: Vec<Bar> = results
        .statistics
        .iter()
        .enumerate()
        .map(|(n, s)| Bar { label: format!("Q{}", n + 1), value: s.facility, target: None, href: None })
        .collect();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        bar_chart("Facility: the share of the points each question earned", &bars)
    };
    let page = Page::new(&format!("Results · {}", results.quiz.title), &signed.ctx).in_offering_as(
        &results.offering,
        true,
        true,
    );
    Ok(ResultsPage { page, results, chart, form })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&results_page(&state, &signed, id, FormState::new()).await?))
}

async fn score(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, answer)): Path<(i64, i64)>,
    form: Submitted<HandScore>,
) -> Result<Response, HtmlError> {
    match results::score_by_hand(&state.app, &signed.actor, id, answer, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/quizzes/{id}/results#waiting"), "Scored.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &results_page(&state, &signed, id, kept).await?))
        }
    }
}
