//! Liveness and readiness for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database answers and its schema is current.
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let store = &state.app.store;
    match (store.ping().await, store.pending_migrations().await) {
        (Ok(()), Ok(0)) => (StatusCode::OK, Json(serde_json::json!({ "status": "ready", "database": "ok" }))),
        (Ok(()), Ok(n)) => {
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "migrations_pending", "pending": n })))
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database_unreachable" }))),
    }
}
