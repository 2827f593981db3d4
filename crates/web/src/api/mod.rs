//! The JSON API under `/api/v1`, authenticated by a personal API token (`Authorization:
//! Bearer qobe_…`) or by the browser session, and described by `/api/openapi.json`.

mod academics;
mod accounts;
mod assessment;
mod assignments;
mod docs;
mod forums;
mod learning;
mod messages;
mod quizzes;
mod registration;
mod results;
mod structure;
mod surveys;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qobe_app::{Actor, AppError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::context::RequestContext;
use crate::error::ApiError;

pub use docs::openapi_json;

pub fn router() -> Router<AppState> {
    Router::new()
        .nest(
            "/v1",
            accounts::router()
                .merge(structure::router())
                .merge(academics::router())
                .merge(registration::router())
                .merge(assessment::router())
                .merge(results::router())
                .merge(learning::router())
                .merge(forums::router())
                .merge(messages::router())
                .merge(assignments::router())
                .merge(quizzes::router())
                .merge(surveys::router()),
        )
        .route("/openapi.json", get(|| async { Json(docs::openapi()) }))
        .fallback(|| async { ApiError(AppError::NotFound) })
}

/// The caller of an API endpoint.
pub struct ApiActor(pub Actor, pub RequestContext);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ctx = parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| ApiError(AppError::Unauthenticated).into_response())?;
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let actor = match bearer {
            Some(token) => qobe_app::accounts::api_tokens::authenticate(&state.app, token)
                .await
                .map_err(|e| ApiError(e).into_response())?,
            None => match ctx.session.clone().filter(|s| !s.two_factor_pending) {
                Some(session) => session.actor,
                None => return Err(ApiError(AppError::Unauthenticated).into_response()),
            },
        };
        // The gates of the pages hold for the API too, for cookie and token callers alike.
        if let Some(owed) = qobe_app::Obligation::of(&actor) {
            return Err(ApiError(AppError::Owed(owed)).into_response());
        }
        Ok(ApiActor(actor, ctx))
    }
}

/// Every error: a stable code, a message for people, and field errors for bad input.
#[derive(Serialize, ToSchema)]
pub struct ErrorOut {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldErrorOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldErrorOut {
    pub field: String,
    pub message: String,
}

/// A 201 with the made resource.
pub(crate) type Created<T> = Result<(axum::http::StatusCode, Json<T>), ApiError>;

pub(crate) fn created<T>(body: T) -> Created<T> {
    Ok((axum::http::StatusCode::CREATED, Json(body)))
}
