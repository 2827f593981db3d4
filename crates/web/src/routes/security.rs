//! Account security: two-factor sign-in, active sessions, login history and API tokens.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::accounts::api_tokens::ApiToken;
use qobe_app::accounts::sessions::Session;
use qobe_app::users::LoginEvent;
use qobe_domain::ids::{ApiTokenId, SessionId};

use super::{done, render, render_invalid};
use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use qobe_app::accounts::api_tokens::TokenInput;
use qobe_app::accounts::two_factor::{CodeInput, IdentityInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/security", get(show))
        .route("/security/two-factor", get(two_factor))
        .route("/security/two-factor/start", post(start_two_factor))
        .route("/security/two-factor/confirm", post(confirm_two_factor))
        .route("/security/two-factor/disable", post(disable_two_factor))
        .route("/security/sessions/{id}/revoke", post(revoke_session))
        .route("/security/sessions/revoke-others", post(revoke_others))
        .route("/security/tokens", post(create_token))
        .route("/security/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    page: Page,
    two_factor_on: bool,
    sessions: Vec<Session>,
    current_session: i64,
    logins: Vec<LoginEvent>,
    tokens: Vec<ApiToken>,
    token_form: FormState,
    new_token: Option<String>,
    disable_form: FormState,
    /// Platform operators have no institution and so no API tokens.
    tokens_hidden: bool,
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    token_form: FormState,
    new_token: Option<String>,
    disable_form: FormState,
) -> Result<SecurityPage, HtmlError> {
    let app = &state.app;
    let account = qobe_app::accounts::profile::own_account(app, &signed.actor).await?;
    let tokens = if signed.actor.institution_id.is_some() {
        qobe_app::accounts::api_tokens::list(app, &signed.actor).await?
    } else {
        Vec::new()
    };
    Ok(SecurityPage {
        page: Page::new("Security", &signed.ctx),
        two_factor_on: account.totp_enabled_at.is_some(),
        sessions: qobe_app::accounts::sessions::list(app, &signed.actor).await?,
        current_session: signed.actor.session_id.map(|s| s.0).unwrap_or_default(),
        logins: qobe_app::users::own_login_history(app, &signed.actor).await?.items,
        tokens,
        token_form,
        new_token,
        disable_form,
        tokens_hidden: signed.actor.institution_id.is_none(),
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, FormState::new(), None, FormState::new()).await?))
}

#[derive(Template)]
#[template(path = "two_factor.html")]
struct TwoFactorPage {
    page: Page,
    required: bool,
    /// Two-factor is on already: setting it up again asks for the current code too.
    already_on: bool,
    enrolment: Option<(String, String)>,
    /// The otpauth URL as an inline SVG QR code (generated here, safe to embed).
    qr_svg: String,
    /// The password (and code) form that starts setup.
    start_form: FormState,
    /// The form that confirms the new secret with a code.
    form: FormState,
}

impl TwoFactorPage {
    async fn new(
        state: &AppState,
        signed: &SignedIn,
        start_form: FormState,
        form: FormState,
    ) -> Result<Self, HtmlError> {
        let app = &state.app;
        let account = qobe_app::accounts::profile::own_account(app, &signed.actor).await?;
        let enrolment = if start_form.has_errors() {
            None
        } else {
            qobe_app::accounts::two_factor::pending(app, &signed.actor).await?.map(|e| (e.secret, e.otpauth_url))
        };
        let qr_svg = enrolment
            .as_ref()
            .and_then(|(_, url)| qobe_app::accounts::two_factor::qr_svg(url).ok())
            .unwrap_or_default();
        Ok(TwoFactorPage {
            page: Page::new("Two-factor sign-in", &signed.ctx),
            required: signed.actor.needs_two_factor_setup,
            already_on: account.totp_enabled_at.is_some(),
            enrolment,
            qr_svg,
            start_form,
            form,
        })
    }
}

/// The setup page; a setup started earlier and not confirmed is not shown again until the
/// password is given anew.
async fn two_factor(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let mut page = TwoFactorPage::new(&state, &signed, FormState::new(), FormState::new()).await?;
    page.enrolment = None;
    page.qr_svg = String::new();
    Ok(render(&page))
}

async fn start_two_factor(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<IdentityInput>,
) -> Result<Response, HtmlError> {
    let started =
        qobe_app::accounts::two_factor::begin(&state.app, &signed.actor, &form.input, &signed.ctx.client).await;
    match started {
        Ok(_) => Ok(render(&TwoFactorPage::new(&state, &signed, FormState::new(), FormState::new()).await?)),
        Err(err) => {
            let start_form = FormState::new().absorb(err)?;
            let status = start_form.status();
            Ok(super::render_with(status, &TwoFactorPage::new(&state, &signed, start_form, FormState::new()).await?))
        }
    }
}

async fn confirm_two_factor(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<CodeInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::accounts::two_factor::confirm(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(
            &state,
            "/security",
            "Two-factor sign-in is on. You will be asked for a code each time you sign in.",
        )),
        Err(err) => {
            let form = FormState::new().absorb(err)?;
            Ok(render_invalid(&TwoFactorPage::new(&state, &signed, FormState::new(), form).await?))
        }
    }
}

async fn disable_two_factor(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<IdentityInput>,
) -> Result<Response, HtmlError> {
    let disabled =
        qobe_app::accounts::two_factor::disable(&state.app, &signed.actor, &form.input, &signed.ctx.client).await;
    match disabled {
        Ok(()) => Ok(done(&state, "/security", "Two-factor sign-in is off.")),
        Err(err) => {
            let form = FormState::new().absorb(err)?;
            let status = form.status();
            Ok(super::render_with(status, &page(&state, &signed, FormState::new(), None, form).await?))
        }
    }
}

async fn revoke_session(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    qobe_app::accounts::sessions::revoke(&state.app, &signed.actor, SessionId(id), &signed.ctx.client).await?;
    Ok(done(&state, "/security", "That session has been signed out."))
}

async fn revoke_others(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let n = qobe_app::accounts::sessions::revoke_others(&state.app, &signed.actor, &signed.ctx.client).await?;
    Ok(done(&state, "/security", &format!("Signed out {n} other session(s).")))
}

async fn create_token(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<TokenInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::accounts::api_tokens::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok((_, secret)) => Ok(render(&page(&state, &signed, FormState::new(), Some(secret), FormState::new()).await?)),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, kept, None, FormState::new()).await?))
        }
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    qobe_app::accounts::api_tokens::revoke(&state.app, &signed.actor, ApiTokenId(id), &signed.ctx.client).await?;
    Ok(done(&state, "/security", "The token has been revoked."))
}
