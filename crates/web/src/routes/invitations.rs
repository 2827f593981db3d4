//! Accepting an invitation: set a password, agree to the terms, and you are in.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::{MessagePage, render, render_invalid, signed_in};
use crate::AppState;
use crate::context::{Page, Visitor};
use crate::error::HtmlError;
use crate::forms::FormState;

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

#[derive(Deserialize)]
struct AcceptForm {
    token: String,
    name: String,
    password: String,
    password_confirm: String,
    accept_terms: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Form(form): Form<AcceptForm>,
) -> Result<Response, HtmlError> {
    let accepted = form.accept_terms.is_some();
    let input = qobe_app::accounts::invitations::AcceptInput {
        token: form.token.clone(),
        name: form.name.clone(),
        password: form.password,
        password_confirm: form.password_confirm,
        accept_terms: accepted,
    };
    match qobe_app::accounts::invitations::accept(&state.app, input, &ctx.client).await {
        Ok(session) => Ok(signed_in(&state, &session, "/")),
        Err(err @ qobe_app::AppError::Conflict { field: Some("token"), .. }) => Ok(bad_link(&ctx, err.to_string())),
        Err(err) => {
            let info = qobe_app::accounts::invitations::info(&state.app, &form.token).await?;
            let kept = FormState::with_values([
                ("token", form.token.as_str()),
                ("name", &form.name),
                ("accept_terms", if accepted { "on" } else { "" }),
            ])
            .absorb(err)?;
            Ok(render_invalid(&AcceptPage {
                page: Page::new("Accept invitation", &ctx),
                form: kept,
                email: info.email,
                institution_name: info.institution_name,
            }))
        }
    }
}
