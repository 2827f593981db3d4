//! Request middleware: session resolution and CSRF checks, security headers, request ids.

use std::net::{IpAddr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
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

const CSRF_REFUSED: &str = "This form has expired or was not sent by QOBE. Go back, reload the page and try again.";

/// Bounds every request body by the route's limit ([`crate::limits`]): a declared length over
/// it is refused at once, and a body that grows past it stops being read.
pub async fn body_limit(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let limit = crate::limits::for_path(&path);
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large(&path, limit);
    }
    let (parts, body) = req.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

/// Refuses a NUL character anywhere in the query or in a form or JSON body, naming the field:
/// no one types one on purpose, and PostgreSQL cannot store one (the text validators refuse
/// every other control character where text is kept).
/// Answers 408 when a request takes longer than its route allows ([`crate::limits::time_for`]).
pub async fn time_limit(req: Request, next: Next) -> Response {
    let limit = crate::limits::time_for(req.uri().path());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => axum::http::StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(query) = req.uri().query()
        && let Some(field) = nul_field(query.as_bytes())
    {
        return nul_refused(&path, &field);
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_json = content_type.starts_with("application/json");
    if !is_form && !is_json {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return too_large(&path, crate::limits::for_path(&path)),
    };
    let found = if is_form { nul_field(&bytes) } else { json_nul_field(&bytes) };
    if let Some(field) = found {
        return nul_refused(&path, &field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The first URL-encoded field whose name or value holds a NUL.
fn nul_field(encoded: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(encoded)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
}

/// The first JSON member whose string value (or name) holds a NUL, as a path like `items[2].name`.
fn json_nul_field(bytes: &[u8]) -> Option<String> {
    fn walk(value: &serde_json::Value, at: &str) -> Option<String> {
        match value {
            serde_json::Value::String(text) if text.contains('\0') => Some(at.to_owned()),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().find_map(|(i, item)| walk(item, &format!("{at}[{i}]")))
            }
            serde_json::Value::Object(members) => members.iter().find_map(|(name, member)| {
                let here =
                    if at.is_empty() { name.replace('\0', "") } else { format!("{at}.{}", name.replace('\0', "")) };
                if name.contains('\0') { Some(here) } else { walk(member, &here) }
            }),
            _ => None,
        }
    }
    // A body that is not JSON is left for the handler to refuse with its own message.
    serde_json::from_slice::<serde_json::Value>(bytes).ok().and_then(|value| walk(&value, ""))
}

fn nul_refused(path: &str, field: &str) -> Response {
    let field = if field.is_empty() { "body" } else { field };
    let message = format!("The field {field:?} contains a NUL character, which QOBE does not accept.");
    if path.starts_with("/api/") {
        let body = serde_json::json!({
            "code": "invalid_input",
            "message": message,
            "fields": [{ "field": field, "message": "must not contain a NUL character" }],
        });
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    } else {
        crate::error::error_page(StatusCode::BAD_REQUEST, &message)
    }
}

/// Refusals made before the session is known — a body over the limit, a NUL character, a
/// missing CSRF token — are shown in the person's own layout too, with the way back to the
/// form: the session is looked up again for that page alone.
pub async fn present_refusals(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let headers = req.headers().clone();
    let client = client_info(&req, &state.web.trusted_proxies);
    let response = next.run(req).await;
    let Some(crate::error::ShownError(message)) = response.extensions().get::<crate::error::ShownError>().cloned()
    else {
        return response;
    };
    if path.starts_with("/api/") {
        return response;
    }
    let session = match cookies::get(&headers, cookies::SESSION) {
        Some(token) => sessions::resolve(&state.app, token).await.ok().flatten(),
        None => None,
    };
    let csrf = match &session {
        Some(s) => s.csrf_token.clone(),
        None => cookies::get(&headers, cookies::CSRF).unwrap_or_default().to_owned(),
    };
    let ctx = RequestContext { session, csrf, client, flash: None, path: path.clone() };
    crate::error::error_page_for(&ctx, &method, &path, response.status(), &message)
}

/// Gives every refusal the shape of the rest of the site. The framework's own refusals (a path,
/// query or form that does not parse, a wrong content type, a method the address does not take)
/// become the API's JSON error under `/api/`, and elsewhere the error page; every error page is
/// shown inside the person's own layout, with what to do about it. A `GET` of an address that
/// only takes forms (after Enter in the address bar, or a reload) goes to the page the form is on.
/// QOBE's handlers never answer in plain text, so a plain-text or empty error here is the
/// framework's.
pub async fn conform_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let ctx = req.extensions().get::<RequestContext>().cloned();
    let response = next.run(req).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let api = path.starts_with("/api/");
    if let Some(crate::error::ShownError(message)) = response.extensions().get::<crate::error::ShownError>().cloned() {
        // One of our error pages: show it again in the person's layout.
        return match &ctx {
            Some(ctx) if !api => crate::error::error_page_for(ctx, &method, &path, status, &message),
            _ => response,
        };
    }
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    if status == StatusCode::METHOD_NOT_ALLOWED && !api && matches!(method, Method::GET | Method::HEAD) {
        return axum::response::Redirect::to(&crate::error::parent_path(&path)).into_response();
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let text = match http_body_util::Limited::new(response.into_body(), 16 * 1024).collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).trim().to_owned(),
        Err(_) => String::new(),
    };
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "This address does not take that kind of request.".to_owned())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", format!("The request body has the wrong content type. {text}"))
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "The request body is too large.".to_owned()),
        StatusCode::NOT_FOUND => ("not_found", "We could not find that page, or it is not yours to see.".to_owned()),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid_input", format!("The request could not be understood: {text}")),
        _ => ("bad_request", format!("The request could not be understood: {text}")),
    };
    let mut shaped = if api {
        let fields = match named_field(&text) {
            Some(field) => serde_json::json!([{ "field": field, "message": text }]),
            None => serde_json::json!([]),
        };
        (status, axum::Json(serde_json::json!({ "code": code, "message": message, "fields": fields }))).into_response()
    } else {
        match &ctx {
            Some(ctx) => crate::error::error_page_for(ctx, &method, &path, status, &message),
            None => crate::error::error_page(status, &message),
        }
    };
    if let Some(allow) = allow {
        shaped.headers_mut().insert(header::ALLOW, allow);
    }
    shaped
}

/// The field a deserialisation message names (serde says "missing field `email`", "unknown
/// field `x`", "invalid type … for key `page`").
fn named_field(text: &str) -> Option<String> {
    let quoted = ["field `", "key `"].iter().find_map(|marker| text.find(marker).map(|i| i + marker.len()));
    if let Some(start) = quoted {
        return text[start..].split('`').next().map(str::to_owned).filter(|f| !f.is_empty());
    }
    // "…into the target type: marks[2].value: invalid type…": the path of the value.
    let after = text.split("target type: ").nth(1)?;
    let path = after.split(": ").next()?;
    let is_path = !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c));
    is_path.then(|| path.to_owned())
}

/// The answer to a body over its route's limit.
pub fn too_large(path: &str, limit: usize) -> Response {
    crate::error::refusal(
        path,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        &format!("This upload is larger than {}, the most this page takes.", crate::limits::megabytes(limit)),
    )
}

/// What the first part of a multipart body says, as far as it has arrived.
#[derive(Debug, PartialEq)]
enum FirstPart {
    NeedMore,
    Token(String),
    NotAToken,
}

/// Reads the first part of a multipart body: forms send `csrf_token` first.
fn first_part(head: &[u8], boundary: &str) -> FirstPart {
    let opening = format!("--{boundary}\r\n");
    let Some(start) = find(head, opening.as_bytes()) else {
        return if head.len() > 4096 { FirstPart::NotAToken } else { FirstPart::NeedMore };
    };
    let rest = &head[start + opening.len()..];
    let Some(headers_end) = find(rest, b"\r\n\r\n") else { return FirstPart::NeedMore };
    let headers = String::from_utf8_lossy(&rest[..headers_end]).to_ascii_lowercase();
    if !headers.contains("name=\"csrf_token\"") {
        return FirstPart::NotAToken;
    }
    let value = &rest[headers_end + 4..];
    let closing = format!("\r\n--{boundary}");
    match find(value, closing.as_bytes()) {
        Some(end) => FirstPart::Token(String::from_utf8_lossy(&value[..end]).trim().to_owned()),
        None => FirstPart::NeedMore,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// The `csrf_token` field at the start of a multipart body, and the body whole again (what was
/// read is put back in front of the rest, which is never buffered here).
async fn multipart_token(body: Body, boundary: &str) -> Result<(Option<String>, Body), ()> {
    const HEAD: usize = 64 * 1024;
    let mut body = body;
    let mut head: Vec<u8> = Vec::new();
    let mut ended = false;
    let token = loop {
        match first_part(&head, boundary) {
            FirstPart::Token(found) => break Some(found),
            FirstPart::NotAToken => break None,
            FirstPart::NeedMore if ended || head.len() >= HEAD => break None,
            FirstPart::NeedMore => {}
        }
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    head.extend_from_slice(&data);
                }
            }
            Some(Err(_)) => return Err(()),
            None => ended = true,
        }
    };
    let rest = body.into_data_stream();
    let whole = futures_util::stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) }).chain(rest);
    Ok((token, Body::from_stream(whole)))
}

/// Resolves the session once per request, checks the CSRF token of every unsafe request,
/// and manages the pre-sign-in CSRF and flash cookies.
///
/// The token comes from the `X-CSRF-Token` header (the page script's requests), the
/// `csrf_token` field of a URL-encoded form, or the first field of a multipart form; never from
/// the address, which would leak it into logs and history.
pub async fn session_and_csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = client_info(&req, &state.web.trusted_proxies);
    let headers = req.headers().clone();
    let path = req.uri().path().to_owned();
    let bearer_api = path.starts_with("/api/") && headers.contains_key(header::AUTHORIZATION);

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

    // An API call without a session cookie forges nothing: it gets 401 from the handler.
    let api_without_cookie = path.starts_with("/api/") && session.is_none();
    let mut req = req;
    if is_unsafe(req.method()) && !bearer_api && !api_without_cookie {
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin != "null" && origin_host != host {
                return crate::error::refusal(
                    &path,
                    StatusCode::FORBIDDEN,
                    "cross_site",
                    "This form was sent from another site and has been refused.",
                );
            }
        }
        let (parts, body) = req.into_parts();
        let content_type =
            parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let from_header = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (sent, body) = if from_header.is_some() {
            (from_header, body)
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let bytes: Bytes = match body.collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return too_large(&path, crate::limits::for_path(&path)),
            };
            let token =
                url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned());
            (token, Body::from(bytes))
        } else if let Some(boundary) = content_type
            .strip_prefix("multipart/form-data")
            .and_then(|rest| rest.split("boundary=").nth(1))
            .map(|b| b.split(';').next().unwrap_or_default().trim_matches('"').to_owned())
        {
            match multipart_token(body, &boundary).await {
                Ok(found) => found,
                Err(()) => return too_large(&path, crate::limits::for_path(&path)),
            }
        } else {
            (None, body)
        };
        let valid = sent.as_deref().is_some_and(|sent| !csrf.is_empty() && crypto::constant_time_eq(sent, &csrf));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
            return crate::error::refusal(&path, StatusCode::FORBIDDEN, "csrf", CSRF_REFUSED);
        }
        req = Request::from_parts(parts, body);
    }

    let path = req.uri().path().to_owned();
    req.extensions_mut().insert(RequestContext { session, csrf, client, flash: flash.clone(), path });
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
/// sniffing, a referrer policy, and HSTS under TLS. The only frames a page may hold are the
/// video players of `qobe_domain::learning::EMBED_ORIGINS`.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
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
    fn the_token_is_read_from_the_first_part_of_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nemail\r\n--XyZ--\r\n";
        assert_eq!(first_part(body, "XyZ"), FirstPart::Token("abc123".into()));
        assert_eq!(first_part(&body[..40], "XyZ"), FirstPart::NeedMore);
        let other = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--XyZ--\r\n";
        assert_eq!(first_part(other, "XyZ"), FirstPart::NotAToken);
    }

    #[tokio::test]
    async fn the_multipart_body_arrives_whole_after_its_token_is_read() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n";
        let (token, rebuilt) = multipart_token(Body::from(body), "b").await.unwrap();
        assert_eq!(token.as_deref(), Some("tok"));
        assert_eq!(rebuilt.collect().await.unwrap().to_bytes(), body.as_bytes());
    }

    #[test]
    fn a_nul_is_found_and_its_field_named() {
        assert_eq!(nul_field(b"q=ab%00c&page=1"), Some("q".into()));
        assert_eq!(nul_field(b"q=abc&page=1"), None);
        assert_eq!(json_nul_field(br#"{"name":"ok","items":[{"label":"x\u0000"}]}"#), Some("items[0].label".into()));
        assert_eq!(json_nul_field(br#"{"name":"a\\u0000"}"#), None, "an escaped backslash is text");
        assert_eq!(json_nul_field(b"not json"), None);
    }

    #[test]
    fn fields_named_by_serde_are_found() {
        assert_eq!(
            named_field(
                "Failed to deserialize the JSON body into the target type: missing field `email` at line 1 column 2"
            ),
            Some("email".into())
        );
        assert_eq!(
            named_field("Failed to deserialize query string: invalid digit found in string for key `page`"),
            Some("page".into())
        );
        assert_eq!(named_field("Expected request with `Content-Type: application/json`"), None);
        assert_eq!(
            named_field(
                "Failed to deserialize the JSON body into the target type: marks[2].value: invalid type: integer `3`, expected a string at line 1 column 9"
            ),
            Some("marks[2].value".into())
        );
        assert_eq!(
            named_field(
                "Failed to deserialize the JSON body into the target type: results_published_at: input contains invalid characters at line 1 column 5"
            ),
            Some("results_published_at".into())
        );
    }

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
