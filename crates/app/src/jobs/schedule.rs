//! Recurring chores. Every instance's scheduler adds each chore's job for the current period
//! with the period in its unique key, so however many instances tick, the chore runs once per
//! period.

use chrono::{DateTime, Duration, Utc};

use super::{Kind, enqueue_once};
use crate::{App, AppResult};

/// How often a chore runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Hourly,
    Daily,
    Weekly,
}

impl Period {
    /// The name of the period `now` falls in (UTC), e.g. `2026-12-01T10`, `2026-12-01`, `2026-W49`.
    pub fn key(self, now: DateTime<Utc>) -> String {
        match self {
            Period::Hourly => now.format("%Y-%m-%dT%H").to_string(),
            Period::Daily => now.format("%Y-%m-%d").to_string(),
            Period::Weekly => now.format("%G-W%V").to_string(),
        }
    }
}

/// A recurring chore.
#[derive(Debug, Clone, Copy)]
pub struct Task {
    pub kind: Kind,
    pub period: Period,
}

/// Every recurring chore.
pub const TASKS: [Task; 6] = [
    Task { kind: Kind::PruneExpired, period: Period::Hourly },
    Task { kind: Kind::PruneDocuments, period: Period::Daily },
    Task { kind: Kind::SweepFiles, period: Period::Daily },
    Task { kind: Kind::CqiReminders, period: Period::Weekly },
    Task { kind: Kind::ProgramStandings, period: Period::Daily },
    Task { kind: Kind::ForumDigest, period: Period::Daily },
];

/// Adds the job of every chore whose current period has none yet; returns how many were added.
pub async fn tick(app: &App) -> AppResult<usize> {
    let now = app.now();
    let mut added = 0;
    for task in TASKS {
        let key = format!("schedule:{}:{}", task.kind.as_str(), task.period.key(now));
        if enqueue_once(app.store.conn(), app, None, task.kind, &serde_json::json!({}), key).await?.is_some() {
            added += 1;
        }
    }
    Ok(added)
}

/// One-time links are kept a week past their expiry, so a late click is told the link expired
/// rather than that it never existed.
const EXPIRED_LINKS_KEPT: Duration = Duration::days(7);

/// Documents are kept this long for their requester.
pub const DOCUMENTS_KEPT: Duration = Duration::days(14);

/// Finished jobs are kept this long, for the record.
const FINISHED_JOBS_KEPT: Duration = Duration::days(30);

pub(super) async fn prune_expired(app: &App) -> AppResult<()> {
    let conn = app.store.conn();
    let now = app.now();
    let sessions = qobe_store::sessions::delete_expired(conn, now).await?;
    let links = qobe_store::tokens::delete_expired(conn, now - EXPIRED_LINKS_KEPT).await?;
    tracing::info!(sessions, links, "expired sessions and links deleted");
    Ok(())
}

pub(super) async fn prune_documents(app: &App) -> AppResult<()> {
    let now = app.now();
    let tx = app.store.begin().await?;
    let pruned = qobe_store::documents::prune(&tx, now - DOCUMENTS_KEPT).await?;
    let documents = pruned.len();
    for (institution, file) in pruned {
        crate::files::discard(&tx, app, Some(institution), file).await?;
    }
    qobe_store::commit(tx).await?;
    let jobs = qobe_store::jobs::prune_finished(app.store.conn(), now - FINISHED_JOBS_KEPT).await?;
    tracing::info!(documents, jobs, "old documents and finished jobs deleted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_by_the_hour_day_and_iso_week() {
        let at = DateTime::parse_from_rfc3339("2027-01-01T23:30:00Z").map(|t| t.with_timezone(&Utc));
        let Ok(at) = at else { panic!("time") };
        assert_eq!(Period::Hourly.key(at), "2027-01-01T23");
        assert_eq!(Period::Daily.key(at), "2027-01-01");
        // 1 January 2027 is a Friday in the last ISO week of 2026.
        assert_eq!(Period::Weekly.key(at), "2026-W53");
    }
}
