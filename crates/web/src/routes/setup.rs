//! First-run setup of the platform operator account.

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
    Router::new().route("/setup", get(show).post(submit))
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    page: Page,
    form: FormState,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, HtmlError> {
    let token = q.token.unwrap_or_default();
    if let Err(err) = qobe_app::setup::check_link(&state.app, &token).await {
        let page = MessagePage {
            page: Page::new("Setup", &ctx),
            heading: "This setup link cannot be used".into(),
            text: err.to_string(),
            link: Some(("/login".into(), "Go to sign in".into())),
        };
        return Ok(render_invalid(&page));
    }
    Ok(render(&SetupPage { page: Page::new("Set up QOBE", &ctx), form: FormState::new().set("token", &token) }))
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Submitted { input, typed }: Submitted<qobe_app::setup::SetupInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::setup::complete(&state.app, input, &ctx.client).await {
        Ok(session) => Ok(signed_in(&state, &session, "/operator")),
        Err(err) => {
            let state_form = typed.absorb(err)?;
            Ok(render_invalid(&SetupPage { page: Page::new("Set up QOBE", &ctx), form: state_form }))
        }
    }
}
