//! The stylesheet, the small script, the site icon and the navigation's icons, compiled into the binary and cached by the
//! browser.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");
const ICON: &str = include_str!("../assets/favicon.svg");
const ICONS: &str = include_str!("../assets/icons.svg");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", JS) }))
        .route("/assets/favicon.svg", get(|| async { asset("image/svg+xml", ICON) }))
        .route("/assets/icons.svg", get(|| async { asset("image/svg+xml", ICONS) }))
        // Browsers and feed readers that ask the old address find the icon too.
        .route("/favicon.ico", get(|| async { Redirect::permanent("/assets/favicon.svg") }))
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}
