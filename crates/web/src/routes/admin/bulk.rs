//! Bulk invitation from a CSV file: upload, preview every row, then import all or nothing.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use qobe_app::users::BulkPreview;
use qobe_domain::roles::Permission;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::upload::Upload;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users/bulk", get(show).post(preview))
        .route("/admin/users/bulk/import", axum::routing::post(import))
}

#[derive(Template)]
#[template(path = "admin/bulk.html")]
struct BulkPage {
    page: Page,
    preview: Option<BulkPreview>,
    /// The checked file, carried to the import step in a hidden field.
    csv_text: String,
    /// Why the chosen file could not be read.
    upload_error: Option<String>,
}

async fn show(signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(Permission::ManageUsers)?;
    Ok(render(&BulkPage {
        page: Page::new("Invite from a CSV file", &signed.ctx),
        preview: None,
        csv_text: String::new(),
        upload_error: None,
    }))
}

async fn preview(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let page = |preview, csv_text, upload_error| BulkPage {
        page: Page::new("Invite from a CSV file", &signed.ctx),
        preview,
        csv_text,
        upload_error,
    };
    let csv_text = match Upload::read(multipart).await?.csv("file") {
        Ok(text) => text,
        Err(err) => return Ok(render_invalid(&page(None, String::new(), Some(Upload::problem(err)?)))),
    };
    let preview = qobe_app::users::bulk_preview(&state.app, &signed.actor, csv_text.as_bytes()).await?;
    let page = page(Some(preview), csv_text, None);
    Ok(if page.preview.as_ref().is_some_and(BulkPreview::is_valid) { render(&page) } else { render_invalid(&page) })
}

#[derive(Deserialize)]
struct ImportForm {
    csv_text: String,
}

async fn import(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<ImportForm>,
) -> Result<Response, HtmlError> {
    match qobe_app::users::bulk_invite(&state.app, &signed.actor, form.csv_text.as_bytes(), &signed.ctx.client).await? {
        Ok(count) => Ok(done(&state, "/admin/users?sort=newest", &format!("{count} invitation(s) sent."))),
        Err(preview) => Ok(render_invalid(&BulkPage {
            page: Page::new("Invite from a CSV file", &signed.ctx),
            preview: Some(preview),
            csv_text: form.csv_text,
            upload_error: None,
        })),
    }
}
