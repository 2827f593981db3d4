//! Roster interchange: the OneRoster 1.2 CSV export as one ZIP download.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::context::SignedIn;
use crate::error::HtmlError;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/oneroster/export", get(export))
}

async fn export(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let files = qobe_app::oneroster::export(&state.app, &signed.actor).await?;
    let zip = qobe_domain::zip::write(&files);
    let name = format!("attachment; filename=\"oneroster-{}.zip\"", state.app.now().format("%Y%m%d"));
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, name)], zip)
        .into_response())
}
