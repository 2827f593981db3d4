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
        other => other.to_string(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: crate::context::Page,
    status: u16,
    message: String,
}

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

/// The error page, in the site's layout.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let page = ErrorPage {
        page: crate::context::Page {
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            csrf: String::new(),
            flash: None,
            flash_is_alert: false,
            user: None,
            time_zone: chrono_tz::UTC,
        },
        status: status.as_u16(),
        message: message.to_owned(),
    };
    (status, crate::routes::render(&page)).into_response()
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
