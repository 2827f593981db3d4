//! Navigation and polling: how the driver knows a page has (re)loaded.
//!
//! Before an action that may navigate, the current document is tagged with a
//! unique marker on `window`. A *new* document is one where the marker is gone
//! and `document.readyState` is `"complete"`. CDP frame events tell whether a
//! click started a navigation at all, and when a navigation ended without
//! replacing the document (fragment links, `204 No Content`).

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::Instant;

use crate::cdp::Event;
use crate::{Browser, BrowserError, js_str};

/// Delay between two polls of a page condition.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// How long [`Browser::click`] watches for a navigation to start.
const CLICK_GRACE: Duration = Duration::from_millis(300);
/// Main-frame events meaning "a navigation has begun".
const STARTED: [&str; 5] = [
    "Page.frameRequestedNavigation",
    "Page.frameScheduledNavigation",
    "Page.frameStartedNavigating",
    "Page.frameStartedLoading",
    "Page.frameNavigated",
];
/// Main-frame events meaning "loading is over", whether or not a new document came.
const STOPPED: [&str; 2] = ["Page.frameStoppedLoading", "Page.navigatedWithinDocument"];

/// What the frame events seen since a click say about navigation.
#[derive(Default)]
struct NavState {
    started: bool,
    /// Only meaningful after `started`: a stale stop from an earlier load is ignored.
    stopped: bool,
}

impl Browser {
    /// Tags the current document so a later poll can tell a new one apart.
    pub(crate) async fn mark_document(&self) -> Result<String, BrowserError> {
        let marker = format!("qobe-{}", self.markers.fetch_add(1, Ordering::Relaxed));
        self.eval(&format!("window.__qobeDocument = {}; true", js_str(&marker))).await?;
        Ok(marker)
    }

    /// Waits until the document tagged `marker` has been replaced by a new,
    /// fully loaded one.
    pub(crate) async fn wait_new_document(&self, marker: &str, what: &str) -> Result<(), BrowserError> {
        let probe = format!("window.__qobeDocument !== {} && document.readyState === 'complete'", js_str(marker));
        self.poll(&probe, self.timeout, what).await
    }

    /// After a click: returns at once if no navigation starts within
    /// [`CLICK_GRACE`]; otherwise waits until a new document has loaded, or the
    /// navigation ended without one (same-document, no content).
    pub(crate) async fn settle_after_click(
        &self,
        events: &mut broadcast::Receiver<Event>,
        marker: &str,
        what: &str,
    ) -> Result<(), BrowserError> {
        let mut state = NavState::default();
        let grace = Instant::now() + CLICK_GRACE;
        while !state.started {
            if !self.next_event(events, grace, &mut state).await? {
                return Ok(());
            }
        }
        let probe = format!(
            "({{same: window.__qobeDocument === {}, complete: document.readyState === 'complete'}})",
            js_str(marker)
        );
        let deadline = Instant::now() + self.timeout;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(timeout_error(what, self.timeout));
            }
            match self.eval_within(&probe, remaining).await {
                Ok(v) if v["complete"] == true && (v["same"] == false || state.stopped) => {
                    return Ok(());
                }
                Err(e) if is_fatal(&e) => return Err(e),
                _ => {}
            }
            let next_probe = Instant::now() + POLL_INTERVAL.min(remaining);
            while self.next_event(events, next_probe, &mut state).await? {}
        }
    }

    /// Receives one event before `until` and folds it into `state`;
    /// `Ok(false)` once `until` has passed.
    async fn next_event(
        &self,
        events: &mut broadcast::Receiver<Event>,
        until: Instant,
        state: &mut NavState,
    ) -> Result<bool, BrowserError> {
        let event = match tokio::time::timeout_at(until, events.recv()).await {
            Err(_) => return Ok(false),
            Ok(Err(RecvError::Closed)) => return Err(BrowserError::Closed),
            // Events were lost; assume the worst (a navigation) and rely on polling.
            Ok(Err(RecvError::Lagged(_))) => {
                state.started = true;
                return Ok(true);
            }
            Ok(Ok(event)) => event,
        };
        let params = &event.params;
        let frame = params["frameId"].as_str().or(params["frame"]["id"].as_str());
        if event.session_id.as_deref() != Some(self.session.as_str()) || frame != Some(self.frame_id.as_str()) {
            return Ok(true);
        }
        let method = event.method.as_str();
        if STARTED.contains(&method) {
            state.started = true;
        } else if STOPPED.contains(&method) && state.started {
            state.stopped = true;
        }
        Ok(true)
    }

    /// Polls the boolean JS expression `probe` until it is true or `timeout`
    /// passes. Transient CDP errors (documents being swapped mid-navigation)
    /// are retried; script exceptions and a dead connection fail immediately.
    pub(crate) async fn poll(&self, probe: &str, timeout: Duration, what: &str) -> Result<(), BrowserError> {
        let deadline = Instant::now() + timeout;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(timeout_error(what, timeout));
            }
            match self.eval_within(probe, remaining).await {
                Ok(Value::Bool(true)) => return Ok(()),
                Err(e) if is_fatal(&e) => return Err(e),
                _ => {}
            }
            tokio::time::sleep(POLL_INTERVAL.min(remaining)).await;
        }
    }
}

/// Errors that retrying cannot fix (as opposed to "execution context destroyed"
/// or a slow reply while a document is being replaced).
fn is_fatal(error: &BrowserError) -> bool {
    matches!(error, BrowserError::Closed | BrowserError::WebSocket(_) | BrowserError::Script(_))
}

fn timeout_error(what: &str, timeout: Duration) -> BrowserError {
    BrowserError::Timeout(format!("{what} (after {timeout:?})"))
}
