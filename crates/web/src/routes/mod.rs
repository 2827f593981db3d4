//! The HTML pages, one area per module; handlers extract, call `qobe_app`, render.

mod academics;
mod admin;
mod assessment;
mod assignments;
mod auth;
mod consent;
mod cqi;
mod design;
mod email;
mod health;
mod home;
mod interop;
mod invitations;
mod learning;
mod messages;
mod operator;
mod passwords;
mod profile;
mod quizzes;
mod registration;
mod reports;
mod results;
mod search;
mod security;
mod setup;
mod signup;
mod surveys;
mod upload;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::{AppState, cookies};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(health::router())
        .merge(setup::router())
        .merge(auth::router())
        .merge(signup::router())
        .merge(invitations::router())
        .merge(passwords::router())
        .merge(email::router())
        .merge(consent::router())
        .merge(design::router())
        .merge(profile::router())
        .merge(search::router())
        .merge(security::router())
        .merge(admin::router())
        .merge(academics::router())
        .merge(assessment::router())
        .merge(assignments::router())
        .merge(quizzes::router())
        .merge(results::router())
        .merge(results::scheme_router())
        .merge(cqi::router())
        .merge(learning::router())
        .merge(messages::router())
        .merge(surveys::router())
        .merge(reports::router())
        .merge(registration::router())
        .merge(interop::router())
        .merge(operator::router())
        .fallback(|| async { crate::error::HtmlError(qobe_app::AppError::NotFound) })
}

/// Renders a template as an HTML response (a failure to render is a 500, logged).
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be shown.").into_response()
        }
    }
}

/// Renders a form page again with its errors, with the status that says why.
pub fn render_invalid<T: Template>(template: &T) -> Response {
    render_with(StatusCode::UNPROCESSABLE_ENTITY, template)
}

/// Renders a page with a status other than 200 (a refusal's: 409, 429…).
pub fn render_with<T: Template>(status: StatusCode, template: &T) -> Response {
    (status, render(template)).into_response()
}

/// Redirects after a successful POST, with a notice for the next page.
pub fn done(state: &AppState, to: &str, notice: &str) -> Response {
    let cookie = cookies::build(cookies::FLASH, &cookies::encode(notice), Some(60), state.web.secure);
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// Redirects with a notice that something was refused (shown as an alert).
pub fn refused(state: &AppState, to: &str, notice: &str) -> Response {
    done(state, to, &format!("!{notice}"))
}

/// Sets the new session cookie (replacing any earlier one: the id rotates at sign-in) and
/// redirects.
pub fn signed_in(state: &AppState, session_token: &str, to: &str) -> Response {
    let cookie = cookies::build(cookies::SESSION, session_token, None, state.web.secure);
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// Only paths of this site are followed after sign-in, so a crafted link cannot send people
/// away. The value is parsed as a URL against a placeholder origin and kept only when it stays on
/// that origin; what comes back is the parsed path and query, percent-encoded, so a tab, a
/// backslash or a control character can neither leave the site nor break the `Location` header.
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(raw) = next.filter(|raw| raw.starts_with('/')) else { return HOME.to_owned() };
    // A browser drops tabs and newlines and reads `\` as `/`, so `/\t/host` would be `//host`.
    if raw.chars().any(|c| c.is_control() || c == '\\') {
        return HOME.to_owned();
    }
    let Ok(base) = url::Url::parse("https://qobe.invalid/") else { return HOME.to_owned() };
    match base.join(raw) {
        Ok(parsed) if parsed.origin() == base.origin() && !raw.starts_with("//") => {
            let mut path = parsed.path().to_owned();
            if let Some(query) = parsed.query() {
                path.push('?');
                path.push_str(query);
            }
            path
        }
        _ => HOME.to_owned(),
    }
}

/// Reads the cells of a grid form whose inputs are named `{prefix}{row}_{column}`.
pub fn grid_cells(fields: Vec<(String, String)>, prefix: char) -> Vec<(i64, i64, String)> {
    fields
        .into_iter()
        .filter_map(|(name, value)| {
            let (row, column) = name.strip_prefix(prefix)?.split_once('_')?;
            Some((row.parse().ok()?, column.parse().ok()?, value))
        })
        .collect()
}

/// The messages of a validation error, joined for one alert line.
pub fn joined_messages(errors: &qobe_domain::FieldErrors) -> String {
    errors.0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")
}

/// The `?q=` of a list page's search box.
#[derive(serde::Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    pub q: String,
}

/// A fraction as a percentage with one decimal, or a dash.
pub fn percent(value: &Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".to_owned())
}

/// A fraction as a form shows a percentage: `62.5`, `50`.
pub fn percent_field(value: f64) -> String {
    format!("{}", (value * 1000.0).round() / 10.0)
}

/// A `?page=` as a list page reads it: missing is 1, and out of range is clamped.
pub fn page_number(raw: Option<u64>) -> u64 {
    qobe_app::clamp_page(raw.unwrap_or(1))
}

/// A simple page with a heading and a paragraph.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: crate::context::Page,
    pub heading: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/profile")), "/profile");
        assert_eq!(safe_next(Some("/academics/courses?q=EE+201&page=2")), "/academics/courses?q=EE+201&page=2");
        assert_eq!(safe_next(Some("/a b")), "/a%20b", "what comes back is encoded");
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\t/evil.example",
            "/\t\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "/\u{0}x",
            "/\u{7f}x",
            "/\u{1b}[31m",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
