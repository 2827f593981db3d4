//! QOBE's HTTP layer: routers, extractors, templates, errors and the OpenAPI document.
//! Handlers are thin: extract, call a use-case in `qobe_app`, render.

mod api;
mod assets;
mod context;
mod cookies;
mod download;
mod error;
mod export;
mod forms;
mod import;
mod limits;
mod markdown;
mod middleware;
mod nav;
mod routes;

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, Request};
use qobe_app::App;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use api::openapi_json;

/// HTTP-only settings.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Serving over TLS (directly or behind a TLS-terminating proxy): cookies get `Secure`
    /// and responses get HSTS.
    pub secure: bool,
    /// Peers whose `X-Forwarded-For` is believed (the load balancer's addresses).
    pub trusted_proxies: Vec<IpAddr>,
}

/// Stored files go out as they are: a range of a compressed body would not be the range asked
/// for, and media and documents are compressed already. `web::download` marks them with
/// `Accept-Ranges`.
fn not_a_stored_file(
    _: axum::http::StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    !headers.contains_key(axum::http::header::ACCEPT_RANGES)
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub web: Arc<WebConfig>,
}

/// The whole application: pages, API, assets and health checks, with the security,
/// session, logging and limit layers around them.
pub fn router(app: App, web: WebConfig) -> Router {
    let state = AppState { app, web: Arc::new(web) };
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(routes::router())
        .nest("/api", api::router())
        .merge(assets::router())
        .layer(axum::middleware::from_fn(middleware::conform_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::session_and_csrf))
        // Each route's own limit (crate::limits) replaces the framework's 2 MiB default.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(middleware::refuse_nul))
        .layer(axum::middleware::from_fn(middleware::body_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::present_refusals))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(not_a_stored_file)))
        .layer(axum::middleware::from_fn(middleware::time_limit))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, middleware::RandomRequestId))
        .with_state(state)
}
