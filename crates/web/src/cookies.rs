//! Reading and writing the few cookies QOBE uses, with the attributes security needs.

use axum::http::{HeaderMap, HeaderValue, header};

/// The session cookie: an opaque random value; the database keeps only its hash.
pub const SESSION: &str = "qobe_session";
/// The pre-sign-in CSRF cookie (double-submit), for the forms shown before a session exists.
pub const CSRF: &str = "qobe_csrf";
/// A one-shot notice shown on the next page ("Profile saved").
pub const FLASH: &str = "qobe_flash";

/// The value of cookie `name` in the request, if any.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, and Secure under TLS.
/// `max_age` of `Some(0)` deletes the cookie; `None` makes it last for the browser session.
pub fn build(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static("qobe_invalid=1"))
}

/// Percent-encodes a flash message for a cookie value.
pub fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn decode(value: &str) -> String {
    url::form_urlencoded::parse(format!("m={value}").as_bytes()).map(|(_, v)| v.into_owned()).next().unwrap_or_default()
}
