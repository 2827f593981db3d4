//! A program's PLO attainment: the cohorts × PLOs heat map, the program pooled, and each
//! cell's students with the courses and CLOs behind their scores.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::program::{self, CellStudents, ProgramAttainment};
use qobe_domain::ids::ProgramId;
use qobe_outcomes::GroupPlo;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, Table, download, percent_cell};
use crate::routes::{percent, render};
use qobe_documents::charts::{Bar, bar_chart};
use qobe_domain::xlsx::Cell;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/programs/{id}/attainment", get(show))
        .route("/academics/programs/{id}/attainment/{cohort}/{plo}", get(cell))
        .route("/academics/programs/{id}/report.pdf", get(report))
}

/// A heat class from a fraction: `heat-0` … `heat-10`, or `heat-none`.
fn heat(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("heat-{}", (v.clamp(0.0, 1.0) * 10.0).round() as i64),
        None => "heat-none".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "assessment/program.html")]
struct ProgramPage {
    page: Page,
    view: ProgramAttainment,
    chart: String,
}

impl ProgramPage {
    fn cell(&self, cohort: &i64, plo: &i64) -> Option<&GroupPlo> {
        self.view.cells.get(&(*cohort, *plo))
    }

    fn heat(&self, cohort: &i64, plo: &i64) -> String {
        heat(self.cell(cohort, plo).and_then(|c| c.percent_attaining))
    }

    fn shown(&self, cohort: &i64, plo: &i64) -> String {
        percent(&self.cell(cohort, plo).and_then(|c| c.percent_attaining))
    }

    fn students(&self, cohort: &i64, plo: &i64) -> String {
        self.cell(cohort, plo).map(|c| format!("{} of {}", c.attaining, c.students_with_evidence)).unwrap_or_default()
    }

    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn course_cell(&self, row: &qobe_app::assessment::program::CourseRow, plo: &i64) -> (String, String) {
        let value = row.plos.get(plo).copied();
        (heat(value), if value.is_some() { percent(&value) } else { String::new() })
    }
}

/// `?format=csv|xlsx`, and `table=courses` for the courses × PLOs table.
#[derive(serde::Deserialize, Default)]
struct Download {
    #[serde(flatten)]
    format: Format,
    table: Option<String>,
}

fn cohort_table(view: &ProgramAttainment) -> Table {
    let mut header = vec!["Cohort".to_owned()];
    header.extend(view.plos.iter().map(|p| format!("{} % attaining", p.code)));
    let rows = view
        .cohorts
        .iter()
        .map(|c| {
            let mut row = vec![Cell::Text(c.name.clone())];
            row.extend(
                view.plos
                    .iter()
                    .map(|p| percent_cell(view.cells.get(&(c.id, p.lineage_id)).and_then(|g| g.percent_attaining))),
            );
            row
        })
        .collect();
    Table { name: format!("{}-plo-by-cohort", view.program.code), header, rows }
}

fn course_table(view: &ProgramAttainment) -> Table {
    let mut header = vec!["Course".to_owned(), "Term".to_owned()];
    header.extend(view.plos.iter().map(|p| format!("{} %", p.code)));
    let rows = view
        .course_rows
        .iter()
        .map(|r| {
            let mut row = vec![Cell::Text(r.code.clone()), Cell::Text(r.term.clone())];
            row.extend(view.plos.iter().map(|p| percent_cell(r.plos.get(&p.lineage_id).copied())));
            row
        })
        .collect();
    Table { name: format!("{}-courses-by-plo", view.program.code), header, rows }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(wanted): Query<Download>,
) -> Result<Response, HtmlError> {
    let view = program::of_program(&state.app, &signed.actor, ProgramId(id)).await?;
    let courses = wanted.table.as_deref() == Some("courses");
    if let Some(file) = download(&wanted.format, || if courses { course_table(&view) } else { cohort_table(&view) }) {
        return Ok(file);
    }
    let bars: Vec<Bar> = view
        .plos
        .iter()
        .zip(&view.overall)
        .map(|(plo, overall)| Bar {
            label: plo.code.clone(),
            value: overall.percent_attaining,
            target: Some(view.policy.cohort_target),
            href: None,
        })
        .collect();
    let chart = bar_chart("Share of the program's students attaining each PLO", &bars);
    let title = format!("PLO attainment — {}", view.program.code);
    Ok(render(&ProgramPage { page: Page::new(&title, &signed.ctx), view, chart }))
}

#[derive(Template)]
#[template(path = "assessment/program_cell.html")]
struct CellPage {
    page: Page,
    view: CellStudents,
}

impl CellPage {
    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn course(&self, id: &i64) -> String {
        self.view.attainment.course_codes.get(id).cloned().unwrap_or_default()
    }
}

async fn cell(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, cohort, plo)): Path<(i64, i64, i64)>,
) -> Result<Response, HtmlError> {
    let view = program::cell(&state.app, &signed.actor, ProgramId(id), cohort, plo).await?;
    let title = format!("{} — {}", view.cohort.name, view.plo.code);
    Ok(render(&CellPage { page: Page::new(&title, &signed.ctx), view }))
}

async fn report(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    use axum::response::IntoResponse;
    let bytes = program::report_pdf(&state.app, &signed.actor, ProgramId(id)).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"program-report-{id}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}
