//! Sending a stored file: streamed from the file store chunk by chunk (never whole in memory),
//! with single range requests (`bytes=a-b`, `bytes=a-`, `bytes=-n`) for resumed downloads and
//! media seeking, an ETag from the file's SHA-256, and a disposition that keeps its name. Also
//! several files as one ZIP, written as it is sent.

use std::ops::Range;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use qobe_app::files::{Packed, StoredFile};
use qobe_domain::zip::{Crc32, Streamed};

use crate::AppState;
use crate::error::HtmlError;

/// How the browser should treat the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Shown in the page (a picture, a logo).
    Inline,
    /// Saved under its name (evidence, a document).
    Attachment,
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    Part(Range<u64>),
    /// Nothing of the file is in the range: 416.
    Unsatisfiable,
}

/// Reads one byte range; several ranges, other units and malformed headers get the whole file
/// (a server may always ignore `Range`).
pub fn wanted(range: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else { return Wanted::Whole };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else { return Wanted::Whole };
    let number = |text: &str| text.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        // The last n bytes.
        (true, _, Some(n)) if n == 0 || size == 0 => Wanted::Unsatisfiable,
        (true, _, Some(n)) => Wanted::Part(size.saturating_sub(n)..size),
        (false, Some(start), _) if start >= size => Wanted::Unsatisfiable,
        (false, Some(start), None) if last.trim().is_empty() => Wanted::Part(start..size),
        (false, Some(start), Some(end)) if end >= start => Wanted::Part(start..end.saturating_add(1).min(size)),
        _ => Wanted::Whole,
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the exact name.
fn disposition(show: Show, name: &str) -> String {
    let kind = match show {
        Show::Inline => "inline",
        Show::Attachment => "attachment",
    };
    let fallback: String = name
        .chars()
        .map(|c| if c.is_ascii_graphic() && !matches!(c, '"' | '\\') || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

/// The file as a response to a request with `headers`, cached privately for `max_age` seconds.
pub async fn send(
    state: &AppState,
    file: &StoredFile,
    headers: &HeaderMap,
    show: Show,
    max_age: u32,
) -> Result<Response, HtmlError> {
    let size = u64::try_from(file.size).unwrap_or(0);
    let etag = (!file.sha256.is_empty()).then(|| format!("\"{}\"", file.sha256));
    let asked = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let mut response_headers = HeaderMap::new();
    response_headers.insert(header::CONTENT_TYPE, header_value(&file.content_type));
    response_headers.insert(header::CONTENT_DISPOSITION, header_value(&disposition(show, &file.name)));
    response_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    response_headers.insert(header::CACHE_CONTROL, header_value(&format!("private, max-age={max_age}")));
    if let Some(etag) = &etag {
        response_headers.insert(header::ETAG, header_value(etag));
        if asked(header::IF_NONE_MATCH).is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag)) {
            return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
        }
    }
    // A range of an older version of the file would splice two versions: send it whole.
    let same_version = asked(header::IF_RANGE).is_none_or(|tag| etag.as_deref() == Some(tag.trim()));
    let range = if same_version { asked(header::RANGE) } else { None };
    let (status, part) = match wanted(range, size) {
        Wanted::Whole => (StatusCode::OK, None),
        Wanted::Part(part) => {
            let content_range = format!("bytes {}-{}/{size}", part.start, part.end - 1);
            response_headers.insert(header::CONTENT_RANGE, header_value(&content_range));
            (StatusCode::PARTIAL_CONTENT, Some(part))
        }
        Wanted::Unsatisfiable => {
            response_headers.insert(header::CONTENT_RANGE, header_value(&format!("bytes */{size}")));
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, response_headers).into_response());
        }
    };
    let length = part.as_ref().map_or(size, |p| p.end - p.start);
    response_headers.insert(header::CONTENT_LENGTH, header_value(&length.to_string()));
    let stream = qobe_app::files::stream(&state.app, file, part).await?;
    Ok((status, response_headers, Body::from_stream(stream)).into_response())
}

/// Entries packed into a ZIP and sent as it is written: each kept file streamed from the store
/// in turn (a class's hand-ins never sit in memory), its CRC kept as its bytes go by. A store
/// error ends the body early, so the download fails rather than arrives incomplete.
pub fn zip(state: &AppState, name: &str, entries: Vec<(String, Packed)>) -> Response {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let app = state.app.clone();
    tokio::spawn(async move {
        let send = |piece: Vec<u8>| sender.send(Ok(Bytes::from(piece)));
        let mut archive = Streamed::new();
        for (path, content) in entries {
            if send(archive.begin(&path)).await.is_err() {
                return;
            }
            let mut crc = Crc32::default();
            let mut size = 0;
            match content {
                Packed::Text(text) => {
                    crc.update(text.as_bytes());
                    size = text.len();
                    if send(text.into_bytes()).await.is_err() {
                        return;
                    }
                }
                Packed::Stored(file) => {
                    let mut chunks = match qobe_app::files::stream(&app, &file, None).await {
                        Ok(chunks) => chunks,
                        Err(err) => {
                            let _ = sender.send(Err(std::io::Error::other(err.to_string()))).await;
                            return;
                        }
                    };
                    while let Some(chunk) = chunks.next().await {
                        let chunk = match chunk {
                            Ok(chunk) => chunk,
                            Err(err) => {
                                let _ = sender.send(Err(std::io::Error::other(err.to_string()))).await;
                                return;
                            }
                        };
                        crc.update(&chunk);
                        size += chunk.len();
                        if sender.send(Ok(chunk)).await.is_err() {
                            return;
                        }
                    }
                }
            }
            if send(archive.end(&path, crc.value(), size)).await.is_err() {
                return;
            }
        }
        let _ = send(archive.finish()).await;
    });
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|piece| (piece, receiver))
    });
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    headers.insert(header::CONTENT_DISPOSITION, header_value(&disposition(Show::Attachment, name)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    (StatusCode::OK, headers, Body::from_stream(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_read_in_each_of_its_three_forms() {
        assert_eq!(wanted(Some("bytes=0-99"), 1000), Wanted::Part(0..100));
        assert_eq!(wanted(Some("bytes=990-2000"), 1000), Wanted::Part(990..1000));
        assert_eq!(wanted(Some("bytes=500-"), 1000), Wanted::Part(500..1000));
        assert_eq!(wanted(Some("bytes=-10"), 1000), Wanted::Part(990..1000));
        assert_eq!(wanted(Some("bytes=-5000"), 1000), Wanted::Part(0..1000));
    }

    #[test]
    fn ranges_outside_the_file_are_refused_and_odd_ones_get_the_whole_file() {
        assert_eq!(wanted(Some("bytes=1000-"), 1000), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 1000), Wanted::Unsatisfiable);
        assert_eq!(wanted(None, 1000), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 1000), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 1000), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=9-3"), 1000), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=x-3"), 1000), Wanted::Whole);
    }

    #[test]
    fn a_name_is_kept_exactly_with_an_ascii_fallback() {
        assert_eq!(
            disposition(Show::Attachment, "Minutes \"final\" été.pdf"),
            "attachment; filename=\"Minutes _final_ _t_.pdf\"; filename*=UTF-8''Minutes%20%22final%22%20%C3%A9t%C3%A9.pdf"
        );
        assert_eq!(disposition(Show::Inline, "logo.png"), "inline; filename=\"logo.png\"; filename*=UTF-8''logo.png");
    }
}
