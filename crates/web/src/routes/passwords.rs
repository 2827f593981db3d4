//! Forgotten password: ask for a link, then choose a new password.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{MessagePage, done, render, render_invalid};
use crate::AppState;
use crate::context::{Page, Visitor};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/password/forgot", get(show_forgot).post(submit_forgot))
        .route("/password/reset", get(show_reset).post(submit_reset))
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    page: Page,
    form: FormState,
}

async fn show_forgot(Visitor(ctx): Visitor) -> Response {
    render(&ForgotPage { page: Page::new("Forgot password", &ctx), form: FormState::new() })
}

async fn submit_forgot(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    form: Submitted<qobe_app::accounts::EmailInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::accounts::passwords::request_reset(&state.app, &form.input, &ctx.client).await {
        Ok(()) => Ok(render(&MessagePage {
            page: Page::new("Check your email", &ctx),
            heading: "Check your email".into(),
            text: "If an account uses that address, we have sent it a link to choose a new password. The link works for one hour.".into(),
            link: Some(("/login".into(), "Back to sign in".into())),
        })),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(super::render_with(status, &ForgotPage { page: Page::new("Forgot password", &ctx), form: kept }))
        }
    }
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    page: Page,
    form: FormState,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn bad_link(ctx: &crate::context::RequestContext, message: String) -> Response {
    render_invalid(&MessagePage {
        page: Page::new("Reset password", ctx),
        heading: "This reset link cannot be used".into(),
        text: message,
        link: Some(("/password/forgot".into(), "Ask for a new link".into())),
    })
}

async fn show_reset(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HtmlError> {
    let token = q.token.unwrap_or_default();
    match qobe_app::accounts::passwords::check_reset_token(&state.app, &token).await {
        Ok(()) => Ok(render(&ResetPage {
            page: Page::new("Choose a new password", &ctx),
            form: FormState::new().set("token", &token),
        })),
        Err(err @ qobe_app::AppError::Conflict { .. }) => Ok(bad_link(&ctx, err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn submit_reset(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    form: Submitted<qobe_app::accounts::passwords::ResetInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::accounts::passwords::reset(&state.app, &form.input, &ctx.client).await {
        Ok(()) => Ok(done(&state, "/login", "Your password has been changed. Sign in with the new one.")),
        Err(err @ qobe_app::AppError::Conflict { field: Some("token"), .. }) => Ok(bad_link(&ctx, err.to_string())),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&ResetPage { page: Page::new("Choose a new password", &ctx), form: kept }))
        }
    }
}
