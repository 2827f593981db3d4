//! Public sign-up of a new institution on the trial plan.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::{render, signed_in};
use crate::AppState;
use crate::context::{Page, Visitor};
use crate::error::HtmlError;
use crate::forms::FormState;

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

#[derive(Deserialize)]
struct SignupForm {
    institution_name: String,
    slug: String,
    name: String,
    email: String,
    password: String,
    accept_terms: Option<String>,
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Form(form): Form<SignupForm>,
) -> Result<Response, HtmlError> {
    let accepted = form.accept_terms.is_some();
    let input = qobe_app::tenancy::SignupInput {
        institution_name: form.institution_name.clone(),
        slug: form.slug.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        password: form.password,
        accept_terms: accepted,
    };
    match qobe_app::tenancy::sign_up(&state.app, input, &ctx.client).await {
        Ok(session) => Ok(signed_in(&state, &session, "/")),
        Err(err) => {
            let kept = FormState::with_values([
                ("institution_name", form.institution_name.as_str()),
                ("slug", &form.slug),
                ("name", &form.name),
                ("email", &form.email),
                ("accept_terms", if accepted { "on" } else { "" }),
            ]);
            let form = kept.absorb(err)?;
            let status = form.status();
            Ok(super::render_with(status, &SignupPage { page: Page::new("Start a free trial", &ctx), form }))
        }
    }
}
