//! One heat-map cell opened: how many of the cohort attained the PLO, how their scores spread,
//! and each student's PLO score beside the course CLO scores it is made of.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::program_cell::{self, CellStudent, CellStudents, EvidenceSource};
use qobe_documents::charts::{bands, distribution_chart};
use qobe_domain::ids::{CohortId, ProgramId};

use super::program::heat;
use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{percent, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/assessment/programs/{id}/attainment/{cohort}/{plo}", get(cell))
}

#[derive(Template)]
#[template(path = "assessment/program_cell.html")]
struct CellPage {
    page: Page,
    view: CellStudents,
    /// How the students with evidence spread over the score scale (SVG).
    spread: String,
}

impl CellPage {
    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    /// The student's score on a source CLO, and its heat class.
    fn part(&self, student: &CellStudent, source: &EvidenceSource) -> (String, String) {
        let score = student.score_of(source);
        (heat(score), score.map(|s| percent(&Some(s))).unwrap_or_default())
    }

    /// A weight as typed: "3", "0.5".
    fn weight(&self, source: &EvidenceSource) -> String {
        format!("{}", source.weight)
    }
}

async fn cell(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, cohort, plo)): Path<(i64, i64, i64)>,
) -> Result<Response, HtmlError> {
    let view = program_cell::cell(&state.app, &signed.actor, ProgramId(id), CohortId(cohort), plo).await?;
    let title = format!("{} — {}", view.cohort.name, view.plo.code);
    let spread = view
        .summary
        .as_ref()
        .map(|s| {
            distribution_chart(
                &format!("How {}'s students spread over {}'s score scale", view.cohort.name, view.plo.code),
                &[(view.plo.code.clone(), bands(&s.distribution))],
            )
        })
        .unwrap_or_default();
    Ok(render(&CellPage { page: Page::new(&title, &signed.ctx), view, spread }))
}
