//! HTTP faces of [`AppError`]: a friendly page for people, JSON for the API. Internal causes
//! are logged with the request id and never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use qobe_app::AppError;

pub fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::Owed(_) => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(errors) if errors.only_refusals() => StatusCode::CONFLICT,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. } | AppError::Refused(_) => StatusCode::CONFLICT,
        AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::PlanLimit(_) => StatusCode::CONFLICT,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn public_message(err: &AppError) -> String {
    match err {
        AppError::Internal(cause) => {
            tracing::error!(%cause, "internal error");
            "Something went wrong on our side. It has been logged; please try again.".to_owned()
        }
        AppError::NotFound => "We could not find that page, or it is not yours to see.".to_owned(),
        AppError::Forbidden => "You do not have permission to do that.".to_owned(),
        other => other.to_string(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: crate::context::Page,
    status: u16,
    message: String,
    /// What the person can do about it.
    advice: &'static str,
    /// Where "back" goes: the page a form was on, for a refused upload or form.
    back: Option<String>,
}

/// What an error page says to do, by status.
fn advice(status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => {
            "If your work needs it, ask your institution's administrator for the role that allows it."
        }
        StatusCode::NOT_FOUND => "Check the address, or start again from your start page.",
        StatusCode::PAYLOAD_TOO_LARGE => "Go back and choose a smaller file, or split it into several.",
        StatusCode::TOO_MANY_REQUESTS => "Wait the time it says, then try again.",
        s if s.is_server_error() => "Try again in a moment; if it keeps happening, tell your administrator.",
        _ => "Go back, correct what it says, and send the form again.",
    }
}

/// An error page's message, kept on the response so the error layer can show it again inside
/// the signed-in person's own layout (navigation and all).
#[derive(Clone, Debug)]
pub struct ShownError(pub String);

/// An error shown as a page.
pub struct HtmlError(pub AppError);

impl From<AppError> for HtmlError {
    fn from(err: AppError) -> Self {
        HtmlError(err)
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        error_page(status_of(&self.0), &public_message(&self.0))
    }
}

/// The error page, in the site's layout (without the person's navigation until the error layer
/// adds it, see [`error_page_for`]).
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let page = crate::context::Page::bare(status.canonical_reason().unwrap_or("Error"));
    let mut response = render_error(page, status, message, None);
    response.extensions_mut().insert(ShownError(message.to_owned()));
    response
}

/// The error page for a request: in the person's own layout, with a way back to the page a
/// refused form was on.
pub fn error_page_for(
    ctx: &crate::context::RequestContext,
    method: &axum::http::Method,
    path: &str,
    status: StatusCode,
    message: &str,
) -> Response {
    let mut page = crate::context::Page::new(status.canonical_reason().unwrap_or("Error"), ctx);
    page.flash = None;
    let back = (*method != axum::http::Method::GET).then(|| parent_path(path));
    render_error(page, status, message, back)
}

fn render_error(page: crate::context::Page, status: StatusCode, message: &str, back: Option<String>) -> Response {
    let shown = ErrorPage { page, status: status.as_u16(), message: message.to_owned(), advice: advice(status), back };
    (status, crate::routes::render(&shown)).into_response()
}

/// The page an action belongs to: its address without the last part (`/profile/password` →
/// `/profile`), which is where its form is.
pub fn parent_path(path: &str) -> String {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some((parent, _)) if !parent.is_empty() => parent.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A refusal made before any handler ran (body too large, CSRF, a bad address): the API's
/// JSON error under `/api/`, the error page elsewhere.
pub fn refusal(path: &str, status: StatusCode, code: &str, message: &str) -> Response {
    if path.starts_with("/api/") {
        let body = serde_json::json!({ "code": code, "message": message, "fields": [] });
        (status, Json(body)).into_response()
    } else {
        error_page(status, message)
    }
}

/// An error as the API returns it: `{"code": "...", "message": "...", "fields": [...]}`.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let fields = match &self.0 {
            AppError::Invalid(errors) => serde_json::to_value(&errors.0).unwrap_or_default(),
            AppError::Conflict { field: Some(field), message } => {
                serde_json::json!([{ "field": field, "message": message }])
            }
            _ => serde_json::json!([]),
        };
        let body = serde_json::json!({ "code": self.0.code(), "message": public_message(&self.0), "fields": fields });
        (status, Json(body)).into_response()
    }
}
