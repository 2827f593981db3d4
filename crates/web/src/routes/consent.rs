//! Agreeing to the current terms and privacy policy, and reading them.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::{render, render_invalid};
use crate::AppState;
use crate::context::{Page, SignedIn, Visitor};
use crate::error::HtmlError;
use crate::forms::FormState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consent", get(show).post(submit))
        .route("/legal/terms", get(terms))
        .route("/legal/privacy", get(privacy))
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    page: Page,
    form: FormState,
    terms_version: &'static str,
    privacy_version: &'static str,
}

async fn show(signed: SignedIn) -> Response {
    render(&ConsentPage {
        page: Page::new("Terms and privacy", &signed.ctx),
        form: FormState::new(),
        terms_version: qobe_app::legal::TERMS_VERSION,
        privacy_version: qobe_app::legal::PRIVACY_VERSION,
    })
}

async fn submit(
    State(state): State<AppState>,
    signed: SignedIn,
    form: crate::forms::Submitted<qobe_app::accounts::consent::ConsentInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::accounts::consent::accept_current(&state.app, &signed.actor, &form.input, &signed.ctx.client).await
    {
        Ok(()) => Ok(super::done(&state, "/", "Thank you.")),
        Err(err) => Ok(render_invalid(&ConsentPage {
            page: Page::new("Terms and privacy", &signed.ctx),
            form: FormState::new().absorb(err)?,
            terms_version: qobe_app::legal::TERMS_VERSION,
            privacy_version: qobe_app::legal::PRIVACY_VERSION,
        })),
    }
}

#[derive(Template)]
#[template(path = "legal.html")]
struct LegalPage {
    page: Page,
    version: &'static str,
    text: &'static str,
}

impl LegalPage {
    fn html(&self) -> String {
        crate::markdown::to_html(self.text)
    }
}

async fn terms(Visitor(ctx): Visitor) -> Response {
    render(&LegalPage {
        page: Page::new("Terms of use", &ctx),
        version: qobe_app::legal::TERMS_VERSION,
        text: qobe_app::legal::TERMS_TEXT,
    })
}

async fn privacy(Visitor(ctx): Visitor) -> Response {
    render(&LegalPage {
        page: Page::new("Privacy policy", &ctx),
        version: qobe_app::legal::PRIVACY_VERSION,
        text: qobe_app::legal::PRIVACY_TEXT,
    })
}
