//! The dashboard: what each role sees first.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    page: Page,
    institution_name: String,
    plan: String,
    seats_used: u64,
    seat_limit: i64,
    email_verified: bool,
    two_factor: bool,
}

async fn dashboard(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    if signed.actor.is_operator {
        return Ok(Redirect::to("/operator").into_response());
    }
    let app = &state.app;
    let (institution, seats_used) = qobe_app::tenancy::current(app, &signed.actor).await?;
    let account = qobe_app::accounts::profile::own_account(app, &signed.actor).await?;
    let page = Dashboard {
        page: Page::new("Dashboard", &signed.ctx),
        institution_name: institution.name,
        plan: institution.plan,
        seats_used,
        seat_limit: institution.seat_limit,
        email_verified: account.email_verified_at.is_some(),
        two_factor: account.totp_enabled_at.is_some(),
    };
    Ok(super::render(&page))
}
