//! The institution admin's pages: users, roles, settings, structure, audit log and logins.

mod audit;
mod bulk;
mod settings;
mod structure;
mod users;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(users::router())
        .merge(bulk::router())
        .merge(settings::router())
        .merge(structure::router())
        .merge(audit::router())
}
