//! A client that keeps cookies and submits forms the way a browser does: it opens the page,
//! takes the CSRF token from the form, and posts.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct Client {
    /// The app instance requests go to; tests may switch it to another instance.
    pub router: axum::Router,
    pub cookies: HashMap<String, String>,
    pub user_agent: String,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub text: String,
    /// The raw body, for binary downloads.
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.text.find(marker)? + marker.len();
        Some(self.text[start..].split('"').next()?.to_owned())
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.text.contains(needle)
    }
}

impl Client {
    pub fn new(router: axum::Router) -> Client {
        Client {
            router,
            cookies: HashMap::new(),
            user_agent:
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
                    .into(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub async fn send(&mut self, request: Request<Body>) -> Response {
        let response = self.router.clone().oneshot(request).await.expect("router");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let raw = value.to_str().unwrap_or_default();
            let pair = raw.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if raw.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Response { status, headers, text: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    fn builder(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "qobe.test")
            .header(header::USER_AGENT, &self.user_agent)
            .header(header::COOKIE, self.cookie_header())
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.get_with(path, &[]).await
    }

    /// A GET with extra headers (`range`, `if-none-match`, …).
    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut builder = self.builder("GET", path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.send(builder.body(Body::empty()).expect("request")).await
    }

    /// Posts a form exactly as given (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let request = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Opens `page`, then posts `fields` with the page's CSRF token to `action`.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let shown = self.get(page).await;
        let token = shown
            .csrf()
            .unwrap_or_else(|| panic!("no form with a CSRF token on {page} ({}): {}", shown.status, shown.text));
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(action, &all).await
    }

    /// What the page's script does: opens `page` for its CSRF token, then posts `fields` to
    /// `action` with the token in a header and asks for JSON.
    pub async fn fetch_post(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.get(page).await.csrf().unwrap_or_else(|| panic!("no CSRF token on {page}"));
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let request = self
            .builder("POST", action)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-requested-with", "fetch")
            .header("x-csrf-token", token)
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Posts a multipart form with one file field; the token goes first in the body, as the page
    /// sends it.
    pub async fn upload(&mut self, page: &str, action: &str, field: &str, filename: &str, bytes: &[u8]) -> Response {
        self.upload_with(page, action, &[], field, filename, bytes).await
    }

    /// Like [`Client::upload`], with extra text fields before the file.
    pub async fn upload_with(
        &mut self,
        page: &str,
        action: &str,
        texts: &[(&str, &str)],
        field: &str,
        filename: &str,
        bytes: &[u8],
    ) -> Response {
        self.upload_files(page, action, texts, field, &[(filename.to_owned(), bytes.to_vec())]).await
    }

    /// Posts a multipart form with text fields and several files under one field name.
    pub async fn upload_files(
        &mut self,
        page: &str,
        action: &str,
        texts: &[(&str, &str)],
        field: &str,
        files: &[(String, Vec<u8>)],
    ) -> Response {
        let parts: Vec<(&str, &str, &[u8])> =
            files.iter().map(|(name, bytes)| (field, name.as_str(), bytes.as_slice())).collect();
        self.upload_parts(page, action, texts, &parts).await
    }

    /// Posts a multipart form: the page's token, then `texts`, then each (field, file name,
    /// bytes) in order, as a browser sends a form whose file inputs come last.
    pub async fn upload_parts(
        &mut self,
        page: &str,
        action: &str,
        texts: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Response {
        let token = self.get(page).await.csrf().expect("csrf token");
        let boundary = "qobe-test-boundary";
        let mut body = Vec::new();
        let token_field = [("csrf_token", token.as_str())];
        for (name, value) in token_field.iter().chain(texts) {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (field, filename, bytes) in files {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .builder("POST", action)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Creates a personal API token for this signed-in client and returns its secret.
    pub async fn api_token(&mut self) -> String {
        let created = self.submit("/security", "/security/tokens", &[("name", "api"), ("valid_days", "")]).await;
        created.text.split("id=\"new-token\">").nth(1).expect("token shown").split('<').next().unwrap_or("").to_owned()
    }

    /// A JSON API call with a bearer token.
    pub async fn api(&mut self, method: &str, path: &str, bearer: &str, body: Option<serde_json::Value>) -> Response {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "qobe.test")
            .header(header::AUTHORIZATION, format!("Bearer {bearer}"));
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }
}
