//! A course's CLO attainment across terms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::trends::{self, CourseTrend};
use qobe_domain::ids::CourseId;

use crate::AppState;
use crate::charts::{Series, line_chart};
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{percent, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/academics/courses/{id}/trends", get(show))
}

#[derive(Template)]
#[template(path = "assessment/trends.html")]
struct TrendPage {
    page: Page,
    view: CourseTrend,
    chart: String,
}

impl TrendPage {
    fn cell(&self, term: &i64, clo: &i64) -> String {
        match self.view.cells.get(&(*term, *clo)) {
            Some((attaining, n)) if *n > 0 => {
                format!("{} ({attaining} of {n})", percent(&self.view.share(*term, *clo)))
            }
            _ => "—".into(),
        }
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let view = trends::of_course(&state.app, &signed.actor, CourseId(id)).await?;
    let labels: Vec<String> = view.terms.iter().map(|t| t.code.clone()).collect();
    let series: Vec<Series> = view
        .clos
        .iter()
        .map(|(lineage, code)| Series {
            label: code.clone(),
            values: view.terms.iter().map(|t| view.share(t.id, *lineage)).collect(),
        })
        .collect();
    let chart = line_chart("Share of students attaining each CLO, term by term", &labels, &series, Some(view.target));
    let title = format!("{} — CLO attainment across terms", view.course.code);
    Ok(render(&TrendPage { page: Page::new(&title, &signed.ctx), view, chart }))
}
