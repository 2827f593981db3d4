//! A course's CLO attainment across terms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::trends::{self, CourseTrend};
use qobe_domain::ids::CourseId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::routes::{percent, render};
use qobe_app::reports::Report;
use qobe_app::spreadsheet::{Cell, Sheet};
use qobe_documents::charts::{Series, line_chart};

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
    fn sections(&self, term: &i64) -> Vec<i64> {
        self.view.offerings.get(term).cloned().unwrap_or_default()
    }

    fn cell(&self, term: &i64, clo: &i64) -> String {
        match self.view.cells.get(&(*term, *clo)) {
            Some((attaining, n)) if *n > 0 => {
                format!("{} ({attaining} of {n})", percent(&self.view.share(*term, *clo)))
            }
            _ => "—".into(),
        }
    }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
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
    let report = || {
        let mut header = vec!["Term".to_owned()];
        header.extend(view.clos.iter().map(|(_, code)| format!("{code} % attaining")));
        let rows = view
            .terms
            .iter()
            .map(|t| {
                let mut row = vec![Cell::Text(t.name.clone())];
                row.extend(view.clos.iter().map(|(lineage, _)| Cell::percent(view.share(t.id, *lineage))));
                row
            })
            .collect();
        Report {
            file: format!("{}-clo-trend", view.course.code),
            title: title.clone(),
            subtitle: format!("{}. All sections of each term pooled.", view.course.title),
            charts: vec![chart.clone()],
            tables: vec![Sheet { name: "CLO trend".into(), title: title.clone(), header, rows }],
        }
    };
    if let Some(file) = download(&state, &signed, &format, report).await? {
        return Ok(file);
    }
    Ok(render(&TrendPage { page: Page::new(&title, &signed.ctx), view, chart }))
}
