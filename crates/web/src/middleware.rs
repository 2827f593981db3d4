//! Request middleware: session resolution and CSRF checks, security headers, request ids.

use std::net::{IpAddr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use qobe_app::{ClientInfo, accounts::sessions, crypto};
use tower_http::request_id::{MakeRequestId, RequestId};

use crate::context::RequestContext;
use crate::{AppState, cookies};

/// Request ids are random, so they reveal nothing about traffic volume.
#[derive(Clone, Copy)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&crypto::random_token()[..16]).ok().map(RequestId::new)
    }
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the nearest
/// untrusted address in `X-Forwarded-For`.
fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).unwrap_or("");
    forwarded
        .split(',')
        .rev()
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .or(Some(peer))
}

fn client_info(req: &Request, trusted: &[IpAddr]) -> ClientInfo {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| req.extensions().get::<MockConnectInfo<SocketAddr>>().map(|c| c.0.ip()));
    ClientInfo {
        ip: client_ip(req.headers(), peer, trusted).map(|ip| ip.to_string()),
        user_agent: req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned),
    }
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn forbidden(message: &str) -> Response {
    (StatusCode::FORBIDDEN, message.to_owned()).into_response()
}

/// Resolves the session once per request, checks the CSRF token of every unsafe request,
/// and manages the pre-sign-in CSRF and flash cookies.
pub async fn session_and_csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = client_info(&req, &state.web.trusted_proxies);
    let headers = req.headers().clone();
    let bearer_api = req.uri().path().starts_with("/api/") && headers.contains_key(header::AUTHORIZATION);

    let session = match cookies::get(&headers, cookies::SESSION) {
        Some(token) if !bearer_api => match sessions::resolve(&state.app, token).await {
            Ok(session) => session,
            Err(err) => return crate::error::HtmlError(err).into_response(),
        },
        _ => None,
    };
    let pre_session = cookies::get(&headers, cookies::CSRF).filter(|v| v.len() == 64).map(str::to_owned);
    let new_pre_session = if pre_session.is_none() { Some(crypto::random_token()) } else { None };
    let csrf = match &session {
        Some(s) => s.csrf_token.clone(),
        None => pre_session.clone().or(new_pre_session.clone()).unwrap_or_default(),
    };
    let flash = cookies::get(&headers, cookies::FLASH).map(cookies::decode);

    let mut req = req;
    if is_unsafe(req.method()) && !bearer_api {
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin != "null" && origin_host != host {
                return forbidden("This form was sent from another site and has been refused.");
            }
        }
        let (parts, body) = req.into_parts();
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        let from_header = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (sent, body) = if is_form {
            let bytes: Bytes = match body.collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response(),
            };
            let token =
                url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned());
            (token.or(from_header), Body::from(bytes))
        } else {
            let from_query = parts.uri.query().and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned())
            });
            (from_header.or(from_query), body)
        };
        let valid = sent.as_deref().is_some_and(|sent| !csrf.is_empty() && crypto::constant_time_eq(sent, &csrf));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
            return forbidden("This form has expired or was not sent by QOBE. Go back, reload the page and try again.");
        }
        req = Request::from_parts(parts, body);
    }

    req.extensions_mut().insert(RequestContext { session, csrf, client, flash: flash.clone() });
    let mut response = next.run(req).await;
    let secure = state.web.secure;
    if let Some(token) = new_pre_session {
        response.headers_mut().append(header::SET_COOKIE, cookies::build(cookies::CSRF, &token, None, secure));
    }
    let sets_flash = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.starts_with(cookies::FLASH)));
    if flash.is_some() && !sets_flash {
        response.headers_mut().append(header::SET_COOKIE, cookies::build(cookies::FLASH, "", Some(0), secure));
    }
    response
}

/// Headers every response carries: a strict CSP with no inline script, no framing, no
/// sniffing, a referrer policy, and HSTS under TLS.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if state.web.secure {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9, 10.0.0.5"));
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let lb: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_ip(&headers, Some(stranger), &[lb]), Some(stranger));
        assert_eq!(client_ip(&headers, Some(lb), &[lb, proxy]), "203.0.113.9".parse().ok());
    }
}
