//! Email verification links and confirmation of a new address.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::{MessagePage, done, render, render_invalid};
use crate::AppState;
use crate::context::{Page, SignedIn, Visitor};
use crate::error::HtmlError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/email/verify", get(verify))
        .route("/email/confirm-change", get(confirm_change))
        .route("/email/resend-verification", post(resend))
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn outcome(
    ctx: &crate::context::RequestContext,
    result: Result<String, qobe_app::AppError>,
) -> Result<Response, HtmlError> {
    let link = Some(("/".to_owned(), "Continue".to_owned()));
    match result {
        Ok(text) => Ok(render(&MessagePage {
            page: Page::new("Email address", ctx),
            heading: "Email address confirmed".into(),
            text,
            link,
        })),
        Err(err @ qobe_app::AppError::Conflict { .. }) => Ok(render_invalid(&MessagePage {
            page: Page::new("Email address", ctx),
            heading: "This link cannot be used".into(),
            text: err.to_string(),
            link,
        })),
        Err(err) => Err(err.into()),
    }
}

async fn verify(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HtmlError> {
    let result = qobe_app::accounts::email::verify(&state.app, q.token.as_deref().unwrap_or(""), &ctx.client)
        .await
        .map(|()| "Thank you: your email address is verified.".to_owned());
    outcome(&ctx, result)
}

async fn confirm_change(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HtmlError> {
    let result = qobe_app::accounts::email::confirm_change(&state.app, q.token.as_deref().unwrap_or(""), &ctx.client)
        .await
        .map(|email| format!("From now on QOBE uses {email} for your account."));
    outcome(&ctx, result)
}

async fn resend(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    qobe_app::accounts::email::send_verification(&state.app, &signed.actor).await?;
    Ok(done(&state, "/", "We have sent you a new verification link."))
}
