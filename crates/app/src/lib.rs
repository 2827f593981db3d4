//! QOBE use-cases: every action a person can take, with its authorization, tenant scoping,
//! transaction and side effects (email, audit). The web layer only translates HTTP to these.

pub mod academics;
pub mod accounts;
mod actor;
mod archive;
pub mod assessment;
pub mod assignments;
pub mod audit;
pub mod authz;
pub mod checked;
mod clock;
mod config;
pub mod cqi;
pub mod crypto;
pub mod demo;
mod error;
pub mod files;
pub mod home;
pub mod images;
pub mod interop;
pub mod jobs;
pub mod learning;
pub mod legal;
pub mod mail;
pub mod messages;
pub mod quizzes;
pub mod registration;
pub mod reports;
pub mod results;
pub mod roles;
pub mod search;
pub mod setup;
pub mod spreadsheet;
pub mod structure;
pub mod surveys;
pub mod tenancy;
pub mod throttle;
pub mod users;

pub use actor::{Actor, ClientInfo};
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::AppConfig;
pub use error::{AppError, AppResult, Obligation};
pub use qobe_store::{MAX_PAGE, Page, Store, page_number as clamp_page};

use std::sync::Arc;

/// Everything a use-case needs, shared by all requests: cheap to clone.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    /// Where stored files' bytes are kept.
    pub files: files::FileStore,
    pub mailer: mail::Mailer,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<AppConfig>,
    /// Survey summaries worked out once per survey and response count.
    pub tallies: Arc<surveys::tally::Tallies>,
}

impl App {
    pub fn new(
        store: Store,
        files: files::FileStore,
        mailer: mail::Mailer,
        clock: Arc<dyn Clock>,
        config: AppConfig,
    ) -> App {
        App { store, files, mailer, clock, config: Arc::new(config), tallies: Arc::default() }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// A link into the app for an email, e.g. `link("/reset?token=…")`.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{}", self.config.public_url.trim_end_matches('/'), path_and_query)
    }
}

/// The longest prefix of `text` of at most `max_bytes` that ends on a character boundary.
pub fn clip(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
