//! The home page: what needs the person now, for each of their roles (`app::home`).

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
    home: qobe_app::home::Home,
    email_verified: bool,
    two_factor: bool,
}

async fn dashboard(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    if signed.actor.is_operator {
        return Ok(Redirect::to("/operator").into_response());
    }
    let app = &state.app;
    let (institution, _) = qobe_app::tenancy::current(app, &signed.actor).await?;
    let account = qobe_app::accounts::profile::own_account(app, &signed.actor).await?;
    let page = Dashboard {
        page: Page::new("Home", &signed.ctx),
        institution_name: institution.name,
        home: qobe_app::home::of(app, &signed.actor).await?,
        email_verified: account.email_verified_at.is_some(),
        two_factor: account.totp_enabled_at.is_some(),
    };
    Ok(super::render(&page))
}
