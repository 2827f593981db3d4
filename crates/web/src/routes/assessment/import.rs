//! Marks from CSV (check, then save all or nothing) and the grid as CSV.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::assessment::import::{self, MarksPreview};
use qobe_domain::ids::OfferingId;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::import::{FileField, ImportPage, Importing, Preview, PreviewRow};
use crate::routes::upload::Upload;
use crate::routes::{done, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/offerings/{id}/marks.csv", get(export))
        .route("/assessment/offerings/{id}/marks.xlsx", get(export_xlsx))
        .route("/assessment/offerings/{id}/marks/import", get(show).post(preview))
        .route("/assessment/offerings/{id}/marks/import/commit", post(commit))
}

/// The import page of an offering whose marks the person may change.
async fn page(state: &AppState, signed: &SignedIn, id: i64) -> Result<ImportPage, HtmlError> {
    let offering = qobe_app::assessment::edit_access(&state.app, &signed.actor, OfferingId(id)).await?;
    let importing = Importing {
        title: "Import marks",
        back: Some(("Marks", format!("/assessment/offerings/{id}/marks"))),
        intro: format!(
            "<p>Start from the grid as <a href=\"/assessment/offerings/{id}/marks.csv\">CSV</a> or \
             <a href=\"/assessment/offerings/{id}/marks.xlsx\">XLSX</a>: one row per student (by <code>email</code> or \
             <code>registration_no</code>), one column per item headed like <code>Midterm M1</code>. Or one mark per \
             row with <code>email,item,mark</code>. Marks are numbers, <code>AB</code>, <code>EX</code> or \
             <code>NA</code>; blank cells change nothing. Nothing is saved until every row is right.</p>"
        ),
        check_action: format!("/assessment/offerings/{id}/marks/import"),
        commit_action: format!("/assessment/offerings/{id}/marks/import/commit"),
        file: FileField::one(
            "CSV or XLSX file",
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        choice: None,
        one_step: false,
        aside: None,
    };
    Ok(ImportPage::new(Page::new("Import marks", &signed.ctx).in_offering(&offering, true), importing))
}

/// Marks files are wide (a column per item): problems are listed by line and column, and the
/// first marks as understood are shown.
fn preview_of(checked: &MarksPreview) -> Preview {
    Preview {
        file_errors: checked.file_errors.clone(),
        problems: checked.problems.clone(),
        heading: "Preview".to_owned(),
        summary: Some(format!("{} marks for {} students.", checked.marks, checked.students)),
        columns: ["Student", "Item", "Mark"].map(str::to_owned).to_vec(),
        rows: checked
            .sample
            .iter()
            .map(|(line, who, item, mark)| PreviewRow {
                line: Some(*line),
                cells: vec![who.clone(), item.clone(), mark.clone()],
                errors: Vec::new(),
            })
            .collect(),
        checks: false,
        more: checked.marks.saturating_sub(checked.sample.len()),
        notes: Vec::new(),
        valid: checked.is_valid(),
        commit_label: format!("Import {} marks", checked.marks),
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, id).await?))
}

async fn preview(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let csv_text = match upload.csv("file") {
        Ok(text) => text,
        Err(err) => return Ok(page(&state, &signed, id).await?.unreadable(Upload::problem(err)?)),
    };
    let checked = import::preview(&state.app, &signed.actor, OfferingId(id), csv_text.as_bytes()).await?;
    Ok(page(&state, &signed, id).await?.checked(preview_of(&checked), csv_text))
}

#[derive(Deserialize)]
struct CommitForm {
    csv_text: String,
}

async fn commit(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CommitForm>,
) -> Result<Response, HtmlError> {
    match import::import(&state.app, &signed.actor, OfferingId(id), form.csv_text.as_bytes()).await? {
        Ok(changed) => Ok(done(
            &state,
            &format!("/assessment/offerings/{id}/marks"),
            &format!("Imported: {changed} marks changed."),
        )),
        Err(checked) => Ok(page(&state, &signed, id).await?.checked(preview_of(&checked), form.csv_text)),
    }
}

async fn export(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let csv = import::export(&state.app, &signed.actor, OfferingId(id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"marks-{id}.csv\"")),
        ],
        csv,
    )
        .into_response())
}

async fn export_xlsx(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    let bytes = import::export_xlsx(&state.app, &signed.actor, OfferingId(id)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"marks-{id}.xlsx\"")),
        ],
        bytes,
    )
        .into_response())
}
