//! Bulk enrolment from CSV by admins: upload, preview, enrol all or nothing.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::registration_bulk::{self, EnrolPreview};
use qobe_domain::roles::Permission;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::upload::Upload;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new().route("/registration/bulk", get(show).post(preview)).route("/registration/bulk/commit", post(commit))
}

#[derive(Template)]
#[template(path = "registration/bulk.html")]
struct BulkPage {
    page: Page,
    preview: Option<EnrolPreview>,
    csv_text: String,
    /// Why the chosen file could not be read.
    upload_error: Option<String>,
}

async fn show(signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(Permission::ManageRegistrations)?;
    Ok(render(&BulkPage {
        page: Page::new("Enrol from a CSV file", &signed.ctx),
        preview: None,
        csv_text: String::new(),
        upload_error: None,
    }))
}

async fn preview(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let page = |preview, csv_text, upload_error| BulkPage {
        page: Page::new("Enrol from a CSV file", &signed.ctx),
        preview,
        csv_text,
        upload_error,
    };
    let csv_text = match Upload::read(multipart).await?.csv("file") {
        Ok(text) => text,
        Err(err) => return Ok(render_invalid(&page(None, String::new(), Some(Upload::problem(err)?)))),
    };
    let checked = registration_bulk::preview(&state.app, &signed.actor, csv_text.as_bytes()).await?;
    let valid = checked.is_valid();
    let page = page(Some(checked), csv_text, None);
    Ok(if valid { render(&page) } else { render_invalid(&page) })
}

#[derive(Deserialize)]
struct CommitForm {
    csv_text: String,
}

async fn commit(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<CommitForm>,
) -> Result<Response, HtmlError> {
    match registration_bulk::enrol(&state.app, &signed.actor, form.csv_text.as_bytes(), &signed.ctx.client).await? {
        Ok(count) => Ok(done(&state, "/registration/bulk", &format!("{count} student registrations made."))),
        Err(preview) => Ok(render_invalid(&BulkPage {
            page: Page::new("Enrol from a CSV file", &signed.ctx),
            preview: Some(preview),
            csv_text: form.csv_text,
            upload_error: None,
        })),
    }
}
