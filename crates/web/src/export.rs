//! Report downloads: `?format=csv` (the page's first table, or `&table=N`), `?format=xlsx`
//! (every table, formatted) and `?format=pdf` (the whole page, charts and tables, typeset).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use qobe_app::reports::Report;
use serde::Deserialize;

use crate::AppState;
use crate::context::SignedIn;
use crate::error::HtmlError;

/// `?format=csv|xlsx|pdf` and, for CSV, `&table=N` (from 0) on a report page.
#[derive(Deserialize, Default, Clone)]
pub struct Format {
    pub format: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    pub table: Option<usize>,
}

/// A file to download.
pub fn file(content_type: &str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

pub const PDF: &str = "application/pdf";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The download asked for, or `None` to show the page.
pub async fn download(
    state: &AppState,
    signed: &SignedIn,
    wanted: &Format,
    report: impl FnOnce() -> Report,
) -> Result<Option<Response>, HtmlError> {
    let Some(format) = wanted.format.as_deref() else { return Ok(None) };
    let report = report();
    Ok(Some(match format {
        "csv" => file("text/csv; charset=utf-8", &report.file_name("csv"), report.csv(wanted.table.unwrap_or(0))?),
        "xlsx" => file(XLSX, &report.file_name("xlsx"), report.xlsx()?),
        "pdf" => file(PDF, &report.file_name("pdf"), qobe_app::reports::pdf(&state.app, &signed.actor, &report).await?),
        _ => return Ok(None),
    }))
}
