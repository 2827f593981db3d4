//! Signing in (password, then the two-factor code when enabled) and signing out.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qobe_app::accounts::login::{LoginInput, LoginOutcome};
use serde::Deserialize;

use super::{render, safe_next, signed_in};
use crate::context::{Page, Visitor};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::{AppState, cookies};
use qobe_app::accounts::two_factor::CodeInput;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(show).post(submit))
        .route("/login/two-factor", get(show_code).post(submit_code))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    form: FormState,
    /// Institutions to choose from when one email opens several accounts.
    choices: Vec<(String, String)>,
    signup_open: bool,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn show(State(state): State<AppState>, Visitor(ctx): Visitor, Query(q): Query<NextQuery>) -> Response {
    if ctx.session.as_ref().is_some_and(|s| !s.two_factor_pending) {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let form = FormState::new().set("next", q.next.as_deref().unwrap_or(""));
    render(&LoginPage {
        page: Page::new("Sign in", &ctx),
        form,
        choices: Vec::new(),
        signup_open: state.app.config.public_signup,
    })
}

async fn submit(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Submitted { input, typed: kept }: Submitted<LoginInput>,
) -> Result<Response, HtmlError> {
    // Where to go after signing in: the page's concern, not the sign-in's.
    let next = kept.value("next").to_owned();
    let signup_open = state.app.config.public_signup;
    match qobe_app::accounts::login::login(&state.app, input, &ctx.client).await {
        Ok(LoginOutcome::SignedIn { session_token, two_factor_pending }) => {
            let to = match safe_next(Some(&next)) {
                home if two_factor_pending && home == "/" => "/login/two-factor".to_owned(),
                next if two_factor_pending => format!(
                    "/login/two-factor?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                ),
                next => next,
            };
            Ok(signed_in(&state, &session_token, &to))
        }
        Ok(LoginOutcome::ChooseInstitution(choices)) => {
            let mut kept = kept;
            kept.message =
                Some("Your email is registered with more than one institution. Choose which one to sign in to.".into());
            Ok(render(&LoginPage { page: Page::new("Sign in", &ctx), form: kept, choices, signup_open }))
        }
        Err(err) => {
            let status = crate::error::status_of(&err);
            let form_state = kept.absorb(err)?;
            let page =
                LoginPage { page: Page::new("Sign in", &ctx), form: form_state, choices: Vec::new(), signup_open };
            Ok((status, render(&page)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "login_two_factor.html")]
struct CodePage {
    page: Page,
    form: FormState,
}

async fn show_code(Visitor(ctx): Visitor, Query(q): Query<NextQuery>) -> Response {
    if !ctx.session.as_ref().is_some_and(|s| s.two_factor_pending) {
        return Redirect::to("/login").into_response();
    }
    let form = FormState::new().set("next", &safe_next(q.next.as_deref()));
    render(&CodePage { page: Page::new("Two-factor code", &ctx), form })
}

async fn submit_code(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    form: Submitted<CodeInput>,
) -> Result<Response, HtmlError> {
    let next = form.typed.typed("next");
    let Some(session) = ctx.session.clone().filter(|s| s.two_factor_pending) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some(session_id) = session.actor.session_id else { return Ok(Redirect::to("/login").into_response()) };
    match qobe_app::accounts::two_factor::verify_sign_in(
        &state.app,
        session_id,
        &session.actor,
        &form.input,
        &ctx.client,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&safe_next(next)).into_response()),
        Err(err) => {
            let status = crate::error::status_of(&err);
            let form_state = FormState::new().set("next", &safe_next(next)).absorb(err)?;
            Ok((status, render(&CodePage { page: Page::new("Two-factor code", &ctx), form: form_state }))
                .into_response())
        }
    }
}

async fn logout(State(state): State<AppState>, Visitor(ctx): Visitor) -> Result<Response, HtmlError> {
    if let Some(session) = &ctx.session {
        qobe_app::accounts::sessions::logout(&state.app, &session.actor, &ctx.client).await?;
    }
    let clear = cookies::build(cookies::SESSION, "", Some(0), state.web.secure);
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}
