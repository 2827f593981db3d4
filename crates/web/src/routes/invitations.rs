//! Accepting an invitation: set a password, agree to the terms, and you are in.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{MessagePage, render, render_invalid, signed_in};
use crate::AppState;
use crate::context::{Page, Visitor};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};

pub fn router() -> Router<AppState> {
    Router::new().route("/invitations/accept", get(show).post(submit))
}

#[derive(Template)]
#[template(path = "invitation_accept.html")]
struct AcceptPage {
    page: Page,
    form: FormState,
    email: String,
    institution_name: String,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn bad_link(ctx: &crate::context::RequestContext, message: String) -> Response {
    render_invalid(&MessagePage {
        page: Page::new("Invitation", ctx),
        heading: "This invitation link cannot be used".into(),
        text: format!("{message} Your institution's administrator can send a new invitation."),
        link: Some(("/login".into(), "Go to sign in".into())),
    })
}

async fn show(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HtmlError> {
    let token = q.token.unwrap_or_default();
    match qobe_app::accounts::invitations::info(&state.app, &token).await {
        Ok(info) => Ok(render(&AcceptPage {
            page: Page::new("Accept invitation", &ctx),
            form: FormState::new().set("token", &token).set("name", &info.name),
            email: info.email,
            institution_name: info.institution_name,
        })),
        Err(err @ qobe_app::AppError::Conflict { .. }) => Ok(bad_link(&ctx, err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Submitted { input, typed }: Submitted<qobe_app::accounts::invitations::AcceptInput>,
) -> Result<Response, HtmlError> {
    let token = input.token.clone();
    match qobe_app::accounts::invitations::accept(&state.app, input, &ctx.client).await {
        Ok(session) => Ok(signed_in(&state, &session, "/")),
        Err(err @ qobe_app::AppError::Conflict { field: Some("token"), .. }) => Ok(bad_link(&ctx, err.to_string())),
        Err(err) => {
            let info = qobe_app::accounts::invitations::info(&state.app, &token).await?;
            let kept = typed.absorb(err)?;
            Ok(render_invalid(&AcceptPage {
                page: Page::new("Accept invitation", &ctx),
                form: kept,
                email: info.email,
                institution_name: info.institution_name,
            }))
        }
    }
}
