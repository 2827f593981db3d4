//! Drives Debian's headless Chromium over the Chrome DevTools Protocol for
//! QOBE's end-to-end tests.
//!
//! Deliberately tiny: one browser process, one page, a handful of high-level
//! actions (navigate, fill, click, read text, screenshot). Every wait is bounded
//! by a timeout whose error names what was being waited for, so a broken page
//! fails a test quickly and legibly instead of hanging CI.
//!
//! ```no_run
//! # async fn demo() -> Result<(), qobe_browser::BrowserError> {
//! use qobe_browser::{Browser, Launch};
//! let browser = match Browser::launch().await? {
//!     Launch::Ready(browser) => browser,
//!     Launch::Skipped(notice) => {
//!         eprintln!("{notice}");
//!         return Ok(());
//!     }
//! };
//! browser.goto("http://127.0.0.1:8080/login").await?;
//! browser.fill("#email", "a@example.org").await?;
//! browser.click("button[type=submit]").await?;
//! assert!(browser.page_text().await?.contains("Welcome"));
//! # Ok(()) }
//! ```

mod base64;
mod cdp;
mod error;
mod launch;
mod nav;
mod pointer;

use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use serde_json::{Value, json};

pub use error::BrowserError;

use cdp::Connection;
use launch::{Binary, Process, TempDir};

/// Bound for every wait unless changed with [`Browser::set_timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// Sets a form control's value the way a user would, so frameworks that listen
/// for `input`/`change` see it. `el` and `v` are bound by the caller.
const FILL_JS: &str = r"
    el.scrollIntoView({block: 'center'});
    el.focus();
    if (el.type === 'checkbox' || el.type === 'radio') {
        el.checked = ['1', 'true', 'on', 'yes', 'checked'].includes(v.toLowerCase());
    } else if (el instanceof HTMLSelectElement) {
        const opt = [...el.options].find(o => o.value === v)
            ?? [...el.options].find(o => o.text.trim() === v);
        if (!opt) throw new Error('no <option> with value or label ' + JSON.stringify(v));
        el.value = opt.value;
    } else if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
        const proto = Object.getPrototypeOf(el);
        Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v);
    } else if (el.isContentEditable) {
        el.textContent = v;
    } else {
        throw new Error('element <' + el.tagName.toLowerCase() + '> cannot be filled');
    }
    el.dispatchEvent(new Event('input', {bubbles: true}));
    el.dispatchEvent(new Event('change', {bubbles: true}));
";

/// Outcome of [`Browser::launch`]: a browser, or why browser tests are skipped.
#[expect(clippy::large_enum_variant, reason = "built once per test; boxing would only make matching clumsier")]
pub enum Launch {
    /// Chromium is running and a page is attached.
    Ready(Browser),
    /// Chromium is not installed; the notice says so and how to fix it.
    Skipped(String),
}

/// A check run on every page that loads: `prepare` is evaluated first (a library to load into
/// the page, say), then `verdict`, whose result is `null` for a page that passes or text that
/// says what is wrong with it.
#[derive(Clone, Debug)]
pub struct PageCheck {
    pub prepare: String,
    pub verdict: String,
}

/// A headless Chromium with one attached page.
///
/// Dropping it closes the DevTools connection, kills Chromium and removes its
/// temporary profile directory.
pub struct Browser {
    // Field order is drop order: connection, then process, then profile dir.
    conn: Connection,
    session: String,
    frame_id: String,
    timeout: Duration,
    markers: AtomicU64,
    page_check: std::sync::Mutex<Option<PageCheck>>,
    _process: Process,
    _profile: TempDir,
}

impl Browser {
    /// Launches `/usr/bin/chromium` (or `$QOBE_CHROMIUM`) headless with a fresh
    /// profile and attaches to a page with the Page and Runtime domains enabled.
    ///
    /// A missing binary yields [`Launch::Skipped`] so developers without Chromium
    /// can still run the test suite, unless `QOBE_REQUIRE_ALL_TESTS=1` (CI), in
    /// which case it is an error.
    pub async fn launch() -> Result<Launch, BrowserError> {
        let binary = match launch::find_binary() {
            Binary::Found(path) => path,
            Binary::Missing { notice, required: true } => {
                return Err(BrowserError::Launch(format!("{notice}, but QOBE_REQUIRE_ALL_TESTS=1 forbids skipping")));
            }
            Binary::Missing { notice, .. } => return Ok(Launch::Skipped(notice)),
        };
        let profile = TempDir::new("qobe-chromium")?;
        let (process, ws_url) = launch::spawn(&binary, profile.path(), DEFAULT_TIMEOUT).await?;
        let conn = Connection::connect(&ws_url, DEFAULT_TIMEOUT).await?;

        let targets = conn.call("Target.getTargets", json!({}), None, DEFAULT_TIMEOUT).await?;
        let existing = targets["targetInfos"]
            .as_array()
            .and_then(|infos| infos.iter().find(|info| info["type"] == "page"))
            .and_then(|info| info["targetId"].as_str().map(str::to_owned));
        let target_id = match existing {
            Some(id) => id,
            None => {
                let created =
                    conn.call("Target.createTarget", json!({"url": "about:blank"}), None, DEFAULT_TIMEOUT).await?;
                string_field(&created, "targetId", "Target.createTarget")?
            }
        };
        let attach = json!({"targetId": target_id, "flatten": true});
        let attached = conn.call("Target.attachToTarget", attach, None, DEFAULT_TIMEOUT).await?;
        let session = string_field(&attached, "sessionId", "Target.attachToTarget")?;

        let mut browser = Self {
            conn,
            session,
            frame_id: String::new(),
            timeout: DEFAULT_TIMEOUT,
            markers: AtomicU64::new(0),
            page_check: std::sync::Mutex::new(None),
            _process: process,
            _profile: profile,
        };
        browser.cmd("Page.enable", json!({})).await?;
        browser.cmd("Runtime.enable", json!({})).await?;
        let tree = browser.cmd("Page.getFrameTree", json!({})).await?;
        browser.frame_id = string_field(&tree["frameTree"]["frame"], "id", "Page.getFrameTree")?;
        Ok(Launch::Ready(browser))
    }

    /// Runs `check` on every page that loads from now on (after [`Browser::goto`] and after a
    /// click that navigates): a page it finds fault with fails that call with
    /// [`BrowserError::PageCheck`], naming the page.
    pub fn check_every_page(&self, check: PageCheck) {
        *self.page_check.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(check);
    }

    /// The page check on the document that just loaded.
    async fn after_load(&self) -> Result<(), BrowserError> {
        let check = self.page_check.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let Some(check) = check else { return Ok(()) };
        self.eval(&check.prepare).await?;
        match self.eval(&check.verdict).await? {
            Value::Null => Ok(()),
            verdict => {
                let problems = verdict.as_str().map(str::to_owned).unwrap_or_else(|| verdict.to_string());
                Err(BrowserError::PageCheck { url: self.url().await?, problems })
            }
        }
    }

    /// Changes the bound used by every subsequent wait and CDP call.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Navigates to `url` and waits until the new document has fully loaded.
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        let marker = self.mark_document().await?;
        let nav = self.cmd("Page.navigate", json!({"url": url})).await?;
        if let Some(reason) = nav["errorText"].as_str().filter(|s| !s.is_empty()) {
            return Err(BrowserError::Navigation { target: url.to_owned(), reason: reason.to_owned() });
        }
        if nav.get("loaderId").is_none() {
            return Ok(()); // same-document (fragment) navigation: nothing to load
        }
        self.wait_new_document(&marker, &format!("page load of {url}")).await?;
        self.after_load().await
    }

    /// Sets the value of the first input/textarea/select (or checks a
    /// checkbox/radio for "true"/"on"/...) matching `css`, then dispatches
    /// `input` and `change` like a user edit would.
    pub async fn fill(&self, css: &str, value: &str) -> Result<(), BrowserError> {
        let body = format!("const v = {}; {FILL_JS}", js_str(value));
        self.on_element(css, &body).await.map(drop)
    }

    /// Clicks the first element matching `css`. If the click starts a
    /// navigation (form submit, link), waits until the new document has loaded.
    ///
    /// Navigations started later than a short grace period (e.g. after a
    /// `fetch`) are not waited for; use [`Browser::click_and_wait_navigation`].
    pub async fn click(&self, css: &str) -> Result<(), BrowserError> {
        let mut events = self.conn.subscribe();
        let marker = self.mark_document().await?;
        self.click_element(css).await?;
        let what = format!("page load after clicking `{css}`");
        self.settle_after_click(&mut events, &marker, &what).await?;
        let same = format!("window.__qobeDocument === {}", js_str(&marker));
        if self.eval(&same).await? == Value::Bool(false) { self.after_load().await } else { Ok(()) }
    }

    /// Clicks the first element matching `css` and insists that a new document
    /// loads afterwards (error on timeout).
    pub async fn click_and_wait_navigation(&self, css: &str) -> Result<(), BrowserError> {
        let marker = self.mark_document().await?;
        self.click_element(css).await?;
        let what = format!("navigation after clicking `{css}`");
        self.wait_new_document(&marker, &what).await?;
        self.after_load().await
    }

    /// Submits the first form matching `css` from script (as a hidden menu's form is sent) and
    /// insists that a new document loads afterwards (error on timeout).
    pub async fn submit_and_wait_navigation(&self, css: &str) -> Result<(), BrowserError> {
        let marker = self.mark_document().await?;
        self.on_element(css, "el.submit(); return true;").await?;
        self.wait_new_document(&marker, &format!("navigation after submitting `{css}`")).await?;
        self.after_load().await
    }

    /// The rendered text (`innerText`) of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String, BrowserError> {
        let value = self.on_element(css, "return el.innerText ?? el.textContent;").await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// The rendered text of the whole page (`document.body.innerText`).
    pub async fn page_text(&self) -> Result<String, BrowserError> {
        let value = self.eval("document.body ? document.body.innerText : ''").await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// The current page URL (`location.href`).
    pub async fn url(&self) -> Result<String, BrowserError> {
        let value = self.eval("location.href").await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Evaluates `js` in the page, awaiting a returned promise, and returns the
    /// JSON value (`Null` for `undefined`). A thrown exception is an error.
    pub async fn eval(&self, js: &str) -> Result<Value, BrowserError> {
        self.eval_within(js, self.timeout).await
    }

    /// Waits until an element matching `css` exists in the document.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Result<(), BrowserError> {
        let probe = format!("document.querySelector({}) !== null", js_str(css));
        self.poll(&probe, timeout, &format!("element `{css}`")).await
    }

    /// Saves a full-page PNG screenshot to `path`, creating parent directories.
    pub async fn screenshot(&self, path: &Path) -> Result<(), BrowserError> {
        let metrics = self.cmd("Page.getLayoutMetrics", json!({})).await?;
        let size = &metrics["cssContentSize"];
        let (width, height) = (size["width"].as_f64(), size["height"].as_f64());
        let mut params = json!({"format": "png", "captureBeyondViewport": true});
        if let (Some(width), Some(height)) = (width, height)
            && width >= 1.0
            && height >= 1.0
        {
            params["clip"] = json!({
                "x": 0, "y": 0, "width": width.ceil(), "height": height.ceil(), "scale": 1
            });
        }
        let shot = self.cmd("Page.captureScreenshot", params).await?;
        let data = string_field(&shot, "data", "Page.captureScreenshot")?;
        let png =
            base64::decode(&data).ok_or_else(|| BrowserError::Script("screenshot data is not valid base64".into()))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| BrowserError::io(format!("creating {}", parent.display()), e))?;
        }
        tokio::fs::write(path, png).await.map_err(|e| BrowserError::io(format!("writing {}", path.display()), e))
    }

    /// Chooses `files` for the file input matching `css`, as a person picking them in the
    /// file dialog does (the input's `change` event fires).
    pub async fn set_files(&self, css: &str, files: &[&Path]) -> Result<(), BrowserError> {
        let document = self.cmd("DOM.getDocument", json!({"depth": 0})).await?;
        let root = document["root"]["nodeId"].as_i64().unwrap_or_default();
        let found = self.cmd("DOM.querySelector", json!({"nodeId": root, "selector": css})).await?;
        let node = found["nodeId"]
            .as_i64()
            .filter(|id| *id != 0)
            .ok_or_else(|| BrowserError::NoSuchElement(css.to_owned()))?;
        let files: Vec<String> = files.iter().map(|path| path.display().to_string()).collect();
        self.cmd("DOM.setFileInputFiles", json!({"files": files, "nodeId": node})).await.map(drop)
    }

    /// Emulates a viewport of `width`×`height` CSS pixels; `mobile` also turns
    /// on mobile layout rules and touch emulation.
    pub async fn set_viewport(&self, width: u32, height: u32, mobile: bool) -> Result<(), BrowserError> {
        let metrics = json!({
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile
        });
        self.cmd("Emulation.setDeviceMetricsOverride", metrics).await?;
        self.cmd("Emulation.setTouchEmulationEnabled", json!({"enabled": mobile})).await.map(drop)
    }

    /// Sends a command to the attached page session.
    async fn cmd(&self, method: &str, params: Value) -> Result<Value, BrowserError> {
        self.call_within(method, params, self.timeout).await
    }

    async fn call_within(&self, method: &str, params: Value, timeout: Duration) -> Result<Value, BrowserError> {
        self.conn.call(method, params, Some(&self.session), timeout).await
    }

    async fn eval_within(&self, js: &str, timeout: Duration) -> Result<Value, BrowserError> {
        let params = json!({
            "expression": js, "returnByValue": true, "awaitPromise": true, "userGesture": true
        });
        let reply = self.call_within("Runtime.evaluate", params, timeout).await?;
        if let Some(details) = reply.get("exceptionDetails") {
            let message = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("unknown exception");
            return Err(BrowserError::Script(message.to_owned()));
        }
        Ok(reply["result"].get("value").cloned().unwrap_or(Value::Null))
    }

    /// Runs `body` (JS using `el`, may `return` a value) on the first match of
    /// `css`; a missing element is [`BrowserError::NoSuchElement`].
    async fn on_element(&self, css: &str, body: &str) -> Result<Value, BrowserError> {
        let js = format!(
            "(() => {{ const el = document.querySelector({}); \
             if (!el) return {{found: false}}; \
             return {{found: true, value: (() => {{ {body} }})()}}; }})()",
            js_str(css)
        );
        let reply = self.eval(&js).await.map_err(|e| match e {
            BrowserError::Script(msg) => BrowserError::Script(format!("on `{css}`: {msg}")),
            other => other,
        })?;
        match reply["found"].as_bool() {
            Some(true) => Ok(reply["value"].clone()),
            _ => Err(BrowserError::NoSuchElement(css.to_owned())),
        }
    }

    async fn click_element(&self, css: &str) -> Result<(), BrowserError> {
        self.on_element(css, "el.scrollIntoView({block: 'center'}); el.click();").await.map(drop)
    }
}

/// Encodes `s` as a JavaScript string literal (JSON strings are valid JS).
fn js_str(s: &str) -> String {
    Value::from(s).to_string()
}

/// Extracts a required string field from a CDP reply (a malformed reply is
/// reported as a [`BrowserError::Protocol`] with code 0).
fn string_field(value: &Value, field: &str, method: &str) -> Result<String, BrowserError> {
    value[field].as_str().map(str::to_owned).ok_or_else(|| BrowserError::Protocol {
        method: method.to_owned(),
        code: 0,
        message: format!("reply lacks string field `{field}`"),
    })
}
