//! Rate limits over attempts counted in the database, so they hold across every app instance.
//!
//! A rule counts attempts of one kind per key (an address and network, an account, a network)
//! and refuses while any of its limits is reached. Two limits per rule give a short and a long
//! back-off: a few tries per quarter hour, and not many more per day.

use chrono::{DateTime, Duration, Utc};
use qobe_store::{Conn, attempts};

use crate::{App, AppError, AppResult, crypto};

/// At most `count` attempts within `minutes`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub count: usize,
    pub minutes: i64,
}

/// One kind of attempt and its limits.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub kind: &'static str,
    pub limits: &'static [Limit],
}

/// Failed sign-ins (wrong password or wrong two-factor code) per email address and network.
/// Counting per address *and* network slows an attacker without locking the owner out from
/// elsewhere, and an unknown address is counted like a known one, so the answer is the same.
pub const SIGN_IN: Rule =
    Rule { kind: "sign_in", limits: &[Limit { count: 5, minutes: 15 }, Limit { count: 20, minutes: 24 * 60 }] };

/// Wrong passwords typed to confirm a sensitive change (password, email, two-factor), per account.
pub const PASSWORD_RECHECK: Rule = Rule {
    kind: "password_recheck",
    limits: &[Limit { count: 5, minutes: 15 }, Limit { count: 20, minutes: 24 * 60 }],
};

/// Password-reset requests per address and per network.
pub const RESET_PER_ADDRESS: Rule = Rule { kind: "reset_address", limits: &[Limit { count: 3, minutes: 60 }] };
pub const RESET_PER_NETWORK: Rule = Rule { kind: "reset_network", limits: &[Limit { count: 10, minutes: 60 }] };

/// Public sign-ups per address and per network.
pub const SIGNUP_PER_ADDRESS: Rule = Rule { kind: "signup_address", limits: &[Limit { count: 3, minutes: 60 }] };
pub const SIGNUP_PER_NETWORK: Rule = Rule { kind: "signup_network", limits: &[Limit { count: 5, minutes: 60 }] };

/// The longest window any rule looks back over; older attempts can be pruned.
pub const LONGEST_WINDOW_MINUTES: i64 = 24 * 60;

impl Rule {
    /// `Ok` while under every limit; otherwise how many minutes until the next attempt counts.
    pub async fn wait(&self, app: &App, key: &str) -> AppResult<Option<i64>> {
        let now = app.now();
        let hash = crypto::token_hash(key);
        let mut wait: Option<DateTime<Utc>> = None;
        for limit in self.limits {
            let window = Duration::minutes(limit.minutes);
            let times =
                attempts::times_since(app.store.conn(), self.kind, &hash, now - window, limit.count as u64).await?;
            if times.len() >= limit.count
                && let Some(oldest) = times.first()
            {
                let free_at = *oldest + window;
                wait = Some(wait.map_or(free_at, |w| w.max(free_at)));
            }
        }
        Ok(wait.map(|free_at| ((free_at - now).num_seconds() + 59).div_euclid(60).max(1)))
    }

    /// Refuses with `message(minutes)` while a limit is reached.
    pub async fn check(&self, app: &App, key: &str, message: impl Fn(i64) -> String) -> AppResult<()> {
        match self.wait(app, key).await? {
            Some(minutes) => Err(AppError::RateLimited(message(minutes))),
            None => Ok(()),
        }
    }

    /// Counts one attempt.
    pub async fn record(&self, conn: &impl Conn, app: &App, key: &str) -> AppResult<()> {
        attempts::record(conn, self.kind, &crypto::token_hash(key), app.now()).await?;
        Ok(())
    }

    /// Forgets the attempts of a key after it succeeded.
    pub async fn clear(&self, conn: &impl Conn, key: &str) -> AppResult<()> {
        attempts::clear(conn, self.kind, &crypto::token_hash(key)).await?;
        Ok(())
    }

    /// Checks, then counts this attempt: for requests limited however they turn out.
    pub async fn take(&self, app: &App, key: &str, message: impl Fn(i64) -> String) -> AppResult<()> {
        self.check(app, key, message).await?;
        self.record(app.store.conn(), app, key).await
    }
}

/// The key of sign-in attempts: the address typed and the network it came from.
pub fn sign_in_key(email: &str, ip: Option<&str>) -> String {
    format!("{}|{}", email.trim().to_lowercase(), ip.unwrap_or("-"))
}

/// "in 1 minute" / "in 12 minutes".
pub fn in_minutes(minutes: i64) -> String {
    if minutes == 1 { "in 1 minute".to_owned() } else { format!("in {minutes} minutes") }
}
