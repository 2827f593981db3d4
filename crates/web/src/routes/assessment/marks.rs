//! The marks grid (students × items; saves as you type with the script, or as one form
//! without it) and the history of every change.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use qobe_app::AppError;
use qobe_app::assessment::Access;
use qobe_app::assessment::attainment::OfferingAttainment;
use qobe_app::assessment::marks::{self, ChangeLine, Grid, MarkInput};
use qobe_domain::ids::OfferingId;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{done, grid_cells, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/offerings/{id}/marks", get(show).post(save))
        .route("/assessment/offerings/{id}/marks/history", get(history))
}

#[derive(Template)]
#[template(path = "assessment/marks.html")]
struct MarksPage {
    page: Page,
    grid: Grid,
    /// What was typed into cells that could not be saved, by (student, item).
    typed: HashMap<(i64, i64), String>,
    problems: Vec<String>,
}

impl MarksPage {
    fn editable(&self) -> bool {
        self.grid.access == Access::Edit && self.grid.closed.is_none()
    }

    fn cell(&self, student: &i64, row: &usize, column: &usize) -> String {
        let item = self.grid.plan.items[*column].id;
        match self.typed.get(&(*student, item)) {
            Some(value) => value.clone(),
            None => self.grid.cells[*row][*column].clone(),
        }
    }

    fn max(&self, column: &usize) -> String {
        marks::display_number(self.grid.plan.items[*column].max_marks)
    }

    fn assessment_of(&self, column: &usize) -> String {
        let item = &self.grid.plan.items[*column];
        self.grid
            .plan
            .assessments
            .iter()
            .find(|a| a.id == item.assessment_id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    }
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    typed: HashMap<(i64, i64), String>,
    problems: Vec<String>,
) -> Result<MarksPage, HtmlError> {
    let grid = marks::grid(&state.app, &signed.actor, OfferingId(id)).await?;
    let title = format!("Marks — {} {}", grid.offering.course.code, grid.offering.term.code);
    Ok(MarksPage { page: Page::new(&title, &signed.ctx).in_offering(&grid.offering, true), grid, typed, problems })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, id, HashMap::new(), Vec::new()).await?))
}

/// What the script gets back after saving a cell.
#[derive(Serialize)]
struct Saved {
    changed: usize,
    attainment: Vec<CloLine>,
}

#[derive(Serialize)]
struct CloLine {
    clo: String,
    /// The value compared with the target, as a fraction (or a level).
    value: Option<f64>,
    met: Option<bool>,
}

#[derive(Serialize)]
struct Problems {
    problems: Vec<String>,
}

fn lines(attainment: &OfferingAttainment) -> Vec<CloLine> {
    attainment
        .clos
        .iter()
        .map(|c| CloLine { clo: c.clo.code.clone(), value: c.result.value, met: c.blended.met })
        .collect()
}

/// Saves the cells posted as `m{student}_{item}`: one cell from the script, or the whole grid
/// from the form. The script asks for JSON with `X-Requested-With: fetch`.
async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let wants_json = headers.get("x-requested-with").is_some_and(|v| v == "fetch");
    let typed: Vec<MarkInput> = grid_cells(fields, 'm')
        .into_iter()
        .map(|(student_id, item_id, value)| MarkInput { student_id, item_id, value })
        .collect();
    match marks::save(&state.app, &signed.actor, OfferingId(id), &typed, "grid").await {
        Ok((changed, attainment)) if wants_json => {
            Ok(Json(Saved { changed, attainment: lines(&attainment) }).into_response())
        }
        Ok((changed, _)) => {
            Ok(done(&state, &format!("/assessment/offerings/{id}/marks"), &format!("{changed} marks saved.")))
        }
        Err(AppError::Refused(problems)) if wants_json => {
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Json(Problems { problems })).into_response())
        }
        Err(AppError::Refused(problems)) => {
            let kept = typed.into_iter().map(|t| ((t.student_id, t.item_id), t.value)).collect();
            Ok(render_invalid(&page(&state, &signed, id, kept, problems).await?))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "assessment/history.html")]
struct HistoryPage {
    page: Page,
    offering_id: i64,
    lines: Vec<ChangeLine>,
}

#[derive(Deserialize)]
struct StudentFilter {
    student: Option<i64>,
}

async fn history(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(filter): Query<StudentFilter>,
) -> Result<Response, HtmlError> {
    let lines = marks::history(&state.app, &signed.actor, OfferingId(id), filter.student).await?;
    let offering = qobe_app::academics::offerings::get(&state.app, &signed.actor, OfferingId(id)).await?;
    let page = Page::new("Changes to marks", &signed.ctx).in_offering(&offering, true);
    Ok(render(&HistoryPage { page, offering_id: id, lines }))
}
