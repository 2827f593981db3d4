//! The single error type of this crate.

use std::fmt;

/// Everything that can go wrong while driving the browser.
///
/// Every variant carries enough context (selector, CDP method, what was being
/// waited for) that a failing end-to-end test explains itself without a debugger.
#[derive(Debug)]
pub enum BrowserError {
    /// Chromium could not be started, or it exited / misbehaved during start-up.
    Launch(String),
    /// A local I/O operation failed (temp dir, screenshot file, ...).
    Io {
        /// What we were doing when the error happened.
        context: String,
        /// The underlying OS error.
        source: std::io::Error,
    },
    /// The DevTools websocket failed (connect, send or receive).
    WebSocket(String),
    /// The DevTools connection is gone (Chromium exited or the socket closed).
    Closed,
    /// Chromium answered a CDP command with an error reply (code 0: the reply
    /// was malformed, e.g. lacked an expected field).
    Protocol {
        /// The CDP method that was called, e.g. `Page.navigate`.
        method: String,
        /// The CDP error code.
        code: i64,
        /// The CDP error message.
        message: String,
    },
    /// A bounded wait expired; the payload names what was waited for.
    Timeout(String),
    /// No element matched the CSS selector.
    NoSuchElement(String),
    /// A navigation failed (e.g. `net::ERR_CONNECTION_REFUSED`).
    Navigation {
        /// The URL (or action) that was being navigated.
        target: String,
        /// Chromium's error text.
        reason: String,
    },
    /// Evaluating JavaScript threw, or the page returned something unexpected.
    Script(String),
    /// The check run on every page (see `Browser::check_every_page`) found fault with one.
    PageCheck {
        /// The page's address.
        url: String,
        /// What the check says is wrong.
        problems: String,
    },
}

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Launch(msg) => write!(f, "failed to launch chromium: {msg}"),
            Self::Io { context, source } => write!(f, "{context}: {source}"),
            Self::WebSocket(msg) => write!(f, "devtools websocket error: {msg}"),
            Self::Closed => f.write_str("devtools connection closed (did chromium exit?)"),
            Self::Protocol { method, code, message } => write!(f, "CDP {method} failed ({code}): {message}"),
            Self::Timeout(what) => write!(f, "timed out waiting for {what}"),
            Self::NoSuchElement(css) => write!(f, "no element matches selector `{css}`"),
            Self::Navigation { target, reason } => {
                write!(f, "navigation to {target} failed: {reason}")
            }
            Self::Script(msg) => write!(f, "javascript error: {msg}"),
            Self::PageCheck { url, problems } => write!(f, "{url} fails the page check:\n{problems}"),
        }
    }
}

impl std::error::Error for BrowserError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl BrowserError {
    /// Wraps an I/O error with a description of what was being attempted.
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io { context: context.into(), source }
    }
}
