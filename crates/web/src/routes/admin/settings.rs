//! Institution settings and plan usage.

use askama::Template;
use axum::Router;
use axum::extract::Multipart;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::tenancy::Institution;
use qobe_domain::roles::Permission;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::download::Show;
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};
use qobe_app::tenancy::SettingsInput;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings", get(show).post(save))
        .route("/admin/settings/logo", get(logo).post(upload_logo))
        .route("/admin/settings/logo/remove", post(remove_logo))
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    page: Page,
    institution: Institution,
    seats_used: u64,
    storage: qobe_app::files::Storage,
    form: FormState,
    has_logo: bool,
    logo_error: Option<String>,
}

async fn settings_page(
    state: &AppState,
    signed: &SignedIn,
    form: Option<FormState>,
) -> Result<SettingsPage, HtmlError> {
    settings_page_with(state, signed, form, None).await
}

async fn settings_page_with(
    state: &AppState,
    signed: &SignedIn,
    form: Option<FormState>,
    logo_error: Option<String>,
) -> Result<SettingsPage, HtmlError> {
    signed.actor.require(Permission::ManageSettings)?;
    let (institution, seats_used) = qobe_app::tenancy::current(&state.app, &signed.actor).await?;
    let form = form.unwrap_or_else(|| {
        FormState::of(&SettingsInput {
            name: institution.name.clone(),
            require_staff_2fa: institution.require_staff_2fa,
            survey_min_responses: institution.survey_min_responses.to_string(),
        })
    });
    let has_logo = qobe_app::tenancy::logo(&state.app, institution_id(signed)?).await?.is_some();
    let storage = qobe_app::files::storage(&state.app, institution_id(signed)?).await?;
    Ok(SettingsPage {
        page: Page::new("Institution settings", &signed.ctx),
        institution,
        seats_used,
        storage,
        form,
        has_logo,
        logo_error,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&settings_page(&state, &signed, None).await?))
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<SettingsInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::tenancy::update_settings(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, "/admin/settings", "Settings saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&settings_page(&state, &signed, Some(kept)).await?))
        }
    }
}

fn institution_id(signed: &SignedIn) -> Result<qobe_domain::ids::InstitutionId, HtmlError> {
    Ok(signed.actor.institution()?)
}

/// The logo printed on the institution's documents.
async fn logo(State(state): State<AppState>, signed: SignedIn, headers: HeaderMap) -> Result<Response, HtmlError> {
    let logo =
        qobe_app::tenancy::logo(&state.app, institution_id(&signed)?).await?.ok_or(qobe_app::AppError::NotFound)?;
    crate::download::send(&state, &logo, &headers, Show::Inline, 60).await
}

async fn upload_logo(
    State(state): State<AppState>,
    signed: SignedIn,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let upload = crate::routes::upload::Upload::read(multipart).await?;
    match qobe_app::tenancy::set_logo(&state.app, &signed.actor, upload.file("logo"), &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, "/admin/settings", "The logo has been updated; documents print it from now on.")),
        Err(err @ (qobe_app::AppError::Invalid(_) | qobe_app::AppError::TooLarge(_))) => {
            let message = match &err {
                qobe_app::AppError::Invalid(errors) => {
                    errors.get("logo").unwrap_or("is not a usable picture").to_owned()
                }
                other => other.to_string(),
            };
            let status = crate::error::status_of(&err);
            Ok((status, render(&settings_page_with(&state, &signed, None, Some(message)).await?)).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

async fn remove_logo(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    qobe_app::tenancy::remove_logo(&state.app, &signed.actor, &signed.ctx.client).await?;
    Ok(done(&state, "/admin/settings", "The logo has been removed."))
}
