//! CSV import of programs, courses and CLOs: upload, preview every row, import all or nothing.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::academics::import::{self, ImportKind, Preview};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::upload::Upload;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new().route("/academics/import", get(show).post(preview)).route("/academics/import/commit", post(commit))
}

#[derive(Template)]
#[template(path = "academics/import.html")]
struct ImportPage {
    page: Page,
    kind: &'static str,
    preview: Option<Preview>,
    csv_text: String,
    /// Why the chosen file could not be read.
    upload_error: Option<String>,
}

#[derive(Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

async fn show(signed: SignedIn, Query(q): Query<KindQuery>) -> Result<Response, HtmlError> {
    let actor = &signed.actor;
    if !qobe_app::authz::manage_structure(actor) && !qobe_app::authz::import_clos(actor) {
        return Err(qobe_app::AppError::Forbidden.into());
    }
    let kind = ImportKind::parse(q.kind.as_deref().unwrap_or("courses")).unwrap_or(ImportKind::Courses);
    Ok(render(&ImportPage {
        page: Page::new("Import from CSV", &signed.ctx),
        kind: kind.as_str(),
        preview: None,
        csv_text: String::new(),
        upload_error: None,
    }))
}

async fn preview(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let kind = ImportKind::parse(upload.text("kind").unwrap_or("courses"))?;
    let csv_text = match upload.csv("file") {
        Ok(text) => text,
        Err(err) => {
            let message = Upload::problem(err)?;
            return Ok(render_invalid(&ImportPage {
                page: Page::new("Import from CSV", &signed.ctx),
                kind: kind.as_str(),
                preview: None,
                csv_text: String::new(),
                upload_error: Some(message),
            }));
        }
    };
    let checked = import::preview(&state.app, &signed.actor, kind, csv_text.as_bytes()).await?;
    let valid = checked.is_valid();
    let page = ImportPage {
        page: Page::new("Import from CSV", &signed.ctx),
        kind: kind.as_str(),
        preview: Some(checked),
        csv_text,
        upload_error: None,
    };
    Ok(if valid { render(&page) } else { render_invalid(&page) })
}

#[derive(Deserialize)]
struct CommitForm {
    kind: String,
    csv_text: String,
}

async fn commit(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<CommitForm>,
) -> Result<Response, HtmlError> {
    let kind = ImportKind::parse(&form.kind)?;
    match import::import(&state.app, &signed.actor, kind, form.csv_text.as_bytes(), &signed.ctx.client).await? {
        Ok(count) => {
            let to = if kind == ImportKind::Programs { "/admin/structure" } else { "/academics/courses" };
            Ok(done(&state, to, &format!("Imported {count} {}.", kind.as_str())))
        }
        Err(preview) => Ok(render_invalid(&ImportPage {
            page: Page::new("Import from CSV", &signed.ctx),
            kind: kind.as_str(),
            preview: Some(preview),
            csv_text: form.csv_text,
            upload_error: None,
        })),
    }
}
