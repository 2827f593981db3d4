//! Institution settings and plan usage.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use qobe_app::rows::Institution;
use qobe_domain::roles::Permission;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/settings", get(show).post(save))
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    page: Page,
    institution: Institution,
    seats_used: u64,
    form: FormState,
}

async fn settings_page(
    state: &AppState,
    signed: &SignedIn,
    form: Option<FormState>,
) -> Result<SettingsPage, HtmlError> {
    signed.actor.require(Permission::ManageSettings)?;
    let (institution, seats_used) = qobe_app::tenancy::current(&state.app, &signed.actor).await?;
    let form = form.unwrap_or_else(|| {
        FormState::new()
            .set("name", &institution.name)
            .set("require_staff_2fa", if institution.require_staff_2fa { "on" } else { "" })
    });
    Ok(SettingsPage { page: Page::new("Institution settings", &signed.ctx), institution, seats_used, form })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&settings_page(&state, &signed, None).await?))
}

#[derive(Deserialize)]
struct SettingsForm {
    name: String,
    require_staff_2fa: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<SettingsForm>,
) -> Result<Response, HtmlError> {
    let require = form.require_staff_2fa.is_some();
    match qobe_app::tenancy::update_settings(&state.app, &signed.actor, &form.name, require, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, "/admin/settings", "Settings saved.")),
        Err(err) => {
            let kept = FormState::with_values([
                ("name", form.name.as_str()),
                ("require_staff_2fa", if require { "on" } else { "" }),
            ])
            .absorb(err)?;
            Ok(render_invalid(&settings_page(&state, &signed, Some(kept)).await?))
        }
    }
}
