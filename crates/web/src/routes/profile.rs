//! One's own profile: details, picture, email address and password.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::AppError;
use qobe_app::accounts::Account;
use qobe_app::accounts::profile::{self, Profile};
use qobe_domain::accounts::LANGUAGES;
use qobe_domain::ids::UserId;

use super::{done, render, render_invalid};
use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::download::Show;
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::upload::Upload;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profile", get(show).post(save))
        .route("/profile/picture", post(upload_picture))
        .route("/profile/picture/remove", post(remove_picture))
        .route("/profile/email", post(change_email))
        .route("/profile/password", post(change_password))
        .route("/users/{id}/picture", get(picture))
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    page: Page,
    form: FormState,
    email_form: FormState,
    password_form: FormState,
    picture_error: Option<String>,
    account: Account,
    languages: &'static [(&'static str, &'static str)],
}

struct Forms {
    form: Option<FormState>,
    email_form: FormState,
    password_form: FormState,
    picture_error: Option<String>,
}

async fn page(state: &AppState, signed: &SignedIn, forms: Forms) -> Result<ProfilePage, HtmlError> {
    let account = profile::own_account(&state.app, &signed.actor).await?;
    let form = forms.form.unwrap_or_else(|| FormState::of(&profile::current(&account)));
    Ok(ProfilePage {
        page: Page::new("Your profile", &signed.ctx),
        form,
        email_form: forms.email_form,
        password_form: forms.password_form,
        picture_error: forms.picture_error,
        account,
        languages: LANGUAGES,
    })
}

fn blank() -> Forms {
    Forms { form: None, email_form: FormState::new(), password_form: FormState::new(), picture_error: None }
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, blank()).await?))
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<Profile>,
) -> Result<Response, HtmlError> {
    match profile::update(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, "/profile", "Your profile has been saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, Forms { form: Some(kept), ..blank() }).await?))
        }
    }
}

async fn upload_picture(
    State(state): State<AppState>,
    signed: SignedIn,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    match qobe_app::accounts::avatar::upload(&state.app, &signed.actor, upload.file("image"), &signed.ctx.client).await
    {
        Ok(()) => Ok(done(&state, "/profile", "Your picture has been updated.")),
        Err(err @ (AppError::Invalid(_) | AppError::TooLarge(_))) => {
            let message = match &err {
                AppError::Invalid(errors) => errors.get("image").unwrap_or("is not a usable picture").to_owned(),
                other => other.to_string(),
            };
            let status = crate::error::status_of(&err);
            let forms = Forms { picture_error: Some(message), ..blank() };
            Ok(super::render_with(status, &page(&state, &signed, forms).await?))
        }
        Err(err) => Err(err.into()),
    }
}

async fn remove_picture(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    qobe_app::accounts::avatar::remove(&state.app, &signed.actor, &signed.ctx.client).await?;
    Ok(done(&state, "/profile", "Your picture has been removed."))
}

/// A person's picture, for anyone signed in to the same institution.
async fn picture(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HtmlError> {
    let file = qobe_app::accounts::avatar::get(&state.app, &signed.actor, UserId(id)).await?;
    crate::download::send(&state, &file, &headers, Show::Inline, 300).await
}

async fn change_email(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<qobe_app::accounts::email::EmailChangeInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::accounts::email::request_change(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(
            &state,
            "/profile",
            "We have sent a confirmation link to your new address. Your email changes when you open it.",
        )),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(super::render_with(status, &page(&state, &signed, Forms { email_form: kept, ..blank() }).await?))
        }
    }
}

async fn change_password(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<qobe_app::accounts::passwords::PasswordChangeInput>,
) -> Result<Response, HtmlError> {
    let result =
        qobe_app::accounts::passwords::change(&state.app, &signed.actor, &form.input, &signed.ctx.client).await;
    match result {
        Ok(()) => Ok(done(&state, "/profile", "Your password has been changed and your other sessions signed out.")),
        Err(err) => {
            let kept = FormState::new().absorb(err)?;
            let status = kept.status();
            Ok(super::render_with(status, &page(&state, &signed, Forms { password_form: kept, ..blank() }).await?))
        }
    }
}
