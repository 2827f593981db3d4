//! Roster interchange: OneRoster 1.2 CSV import (check, then all-or-nothing) and export as one
//! ZIP download.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qobe_app::oneroster_import::{self, Checked};
use qobe_domain::roles::Permission;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::upload::Upload;
use crate::routes::{render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/oneroster", get(show).post(upload)).route("/admin/oneroster/export", get(export))
}

#[derive(Template)]
#[template(path = "admin/oneroster.html")]
struct RosterPage {
    page: Page,
    result: Option<Checked>,
    imported: bool,
    /// Why the chosen file could not be read (a broken or oversized ZIP).
    upload_error: Option<String>,
}

async fn show(signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(Permission::ManageAcademicStructure)?;
    Ok(render(&RosterPage {
        page: Page::new("OneRoster", &signed.ctx),
        result: None,
        imported: false,
        upload_error: None,
    }))
}

/// Checks (`mode=check`) or imports (`mode=import`) the uploaded CSV files.
async fn upload(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let files = match oneroster_import::unpack(upload.named_files("files")) {
        Ok(files) => files,
        Err(err) => {
            let upload_error = Some(Upload::problem(err)?);
            let page =
                RosterPage { page: Page::new("OneRoster", &signed.ctx), result: None, imported: false, upload_error };
            return Ok(render_invalid(&page));
        }
    };
    let importing = upload.text("mode") == Some("import");
    let result = if importing {
        oneroster_import::import(&state.app, &signed.actor, &files, &signed.ctx.client).await?
    } else {
        oneroster_import::check(&signed.actor, &files)?
    };
    let clean = matches!(result, Checked::Clean(_));
    let page = RosterPage {
        page: Page::new("OneRoster", &signed.ctx),
        result: Some(result),
        imported: importing && clean,
        upload_error: None,
    };
    Ok(if clean { render(&page) } else { render_invalid(&page) })
}

async fn export(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let files = qobe_app::oneroster::export(&state.app, &signed.actor).await?;
    let zip = qobe_domain::zip::write(&files);
    let name = format!("attachment; filename=\"oneroster-{}.zip\"", state.app.now().format("%Y%m%d"));
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, name)], zip)
        .into_response())
}
