//! Marks from CSV (check, then save all or nothing) and the grid as CSV.

use askama::Template;
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
use crate::routes::upload::Upload;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/offerings/{id}/marks.csv", get(export))
        .route("/academics/offerings/{id}/marks.xlsx", get(export_xlsx))
        .route("/academics/offerings/{id}/marks/import", get(show).post(preview))
        .route("/academics/offerings/{id}/marks/import/commit", post(commit))
}

#[derive(Template)]
#[template(path = "assessment/import.html")]
struct ImportPage {
    page: Page,
    offering_id: i64,
    preview: Option<MarksPreview>,
    csv_text: String,
    /// Why the chosen file could not be read.
    upload_error: Option<String>,
}

fn import_page(signed: &SignedIn, id: i64, preview: Option<MarksPreview>, csv_text: String) -> ImportPage {
    ImportPage { page: Page::new("Import marks", &signed.ctx), offering_id: id, preview, csv_text, upload_error: None }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    qobe_app::assessment::edit_access(&state.app, &signed.actor, OfferingId(id)).await?;
    Ok(render(&import_page(&signed, id, None, String::new())))
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
        Err(err) => {
            let page = ImportPage {
                upload_error: Some(Upload::problem(err)?),
                ..import_page(&signed, id, None, String::new())
            };
            return Ok(render_invalid(&page));
        }
    };
    let checked = import::preview(&state.app, &signed.actor, OfferingId(id), csv_text.as_bytes()).await?;
    let valid = checked.is_valid();
    let page = import_page(&signed, id, Some(checked), csv_text);
    Ok(if valid { render(&page) } else { render_invalid(&page) })
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
            &format!("/academics/offerings/{id}/marks"),
            &format!("Imported: {changed} marks changed."),
        )),
        Err(preview) => Ok(render_invalid(&import_page(&signed, id, Some(preview), form.csv_text))),
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
