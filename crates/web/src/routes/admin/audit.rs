//! The audit log and the institution's login history.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::Page as Paged;
use qobe_app::audit::AuditEvent;
use qobe_app::users::LoginEvent;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{page_number, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(audit)).route("/admin/logins", get(logins))
}

#[derive(Deserialize)]
struct AuditParams {
    #[serde(default)]
    action: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    events: Paged<AuditEvent>,
    action: String,
}

impl AuditPage {
    fn pager_base(&self) -> String {
        let action: String = url::form_urlencoded::byte_serialize(self.action.as_bytes()).collect();
        format!("/admin/audit?action={action}&")
    }
}

async fn audit(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(params): Query<AuditParams>,
) -> Result<Response, HtmlError> {
    let events =
        qobe_app::audit::list(&state.app, &signed.actor, Some(&params.action), page_number(params.page)).await?;
    Ok(render(&AuditPage { page: Page::new("Audit log", &signed.ctx), events, action: params.action }))
}

#[derive(Deserialize)]
struct PageParams {
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "admin/logins.html")]
struct LoginsPage {
    page: Page,
    events: Paged<LoginEvent>,
}

async fn logins(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(params): Query<PageParams>,
) -> Result<Response, HtmlError> {
    let events = qobe_app::users::login_history(&state.app, &signed.actor, page_number(params.page)).await?;
    Ok(render(&LoginsPage { page: Page::new("Login history", &signed.ctx), events }))
}
