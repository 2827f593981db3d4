//! Public sign-up of a new institution on the trial plan.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::{render, signed_in};
use crate::AppState;
use crate::context::{Page, Visitor};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};

pub fn router() -> Router<AppState> {
    Router::new().route("/signup", get(show).post(submit))
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    page: Page,
    form: FormState,
}

async fn show(State(state): State<AppState>, Visitor(ctx): Visitor) -> Result<Response, HtmlError> {
    if !state.app.config.public_signup {
        return Err(qobe_app::AppError::NotFound.into());
    }
    Ok(render(&SignupPage { page: Page::new("Start a free trial", &ctx), form: FormState::new() }))
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Submitted { input, typed }: Submitted<qobe_app::tenancy::SignupInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::tenancy::sign_up(&state.app, input, &ctx.client).await {
        Ok(session) => Ok(signed_in(&state, &session, "/")),
        Err(err) => {
            let form = typed.absorb(err)?;
            let status = form.status();
            Ok(super::render_with(status, &SignupPage { page: Page::new("Start a free trial", &ctx), form }))
        }
    }
}
