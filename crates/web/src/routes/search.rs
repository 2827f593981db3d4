//! Search: the top bar's box answers as the person types (the script fetches this page and
//! shows its answers under the box); Enter, or a browser without the script, opens this page.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::search::{self, Answers};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::render;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(show))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    query: String,
    answers: Answers,
    too_short: bool,
}

#[derive(Deserialize)]
struct Wanted {
    #[serde(default)]
    q: String,
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(wanted): Query<Wanted>,
) -> Result<Response, HtmlError> {
    let answers = search::find(&state.app, &signed.actor, &wanted.q).await?;
    let too_short = search::too_short(&wanted.q);
    Ok(render(&SearchPage { page: Page::new("Search", &signed.ctx), query: wanted.q, answers, too_short }))
}
