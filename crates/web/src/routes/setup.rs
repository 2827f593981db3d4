//! First-run setup of the platform operator account.

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

#[derive(Deserialize)]
struct SetupForm {
    token: String,
    name: String,
    email: String,
    password: String,
    password_confirm: String,
    accept_terms: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Form(form): Form<SetupForm>,
) -> Result<Response, HtmlError> {
    let accepted = form.accept_terms.is_some();
    let input = qobe_app::setup::SetupInput {
        token: form.token.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        password: form.password,
        password_confirm: form.password_confirm,
        accept_terms: accepted,
    };
    match qobe_app::setup::complete(&state.app, input, &ctx.client).await {
        Ok(session) => Ok(signed_in(&state, &session, "/operator")),
        Err(err) => {
            let state_form = FormState::with_values([
                ("token", form.token.as_str()),
                ("name", &form.name),
                ("email", &form.email),
                ("accept_terms", if accepted { "on" } else { "" }),
            ])
            .absorb(err)?;
            Ok(render_invalid(&SetupPage { page: Page::new("Set up QOBE", &ctx), form: state_form }))
        }
    }
}
