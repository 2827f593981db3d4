//! Background work, durable: an email, a document, a recurring chore is a row in `jobs`, added
//! in the same transaction as the change that causes it (so work for a change that rolled back
//! never runs), and done by a runner inside `qobe serve` — any number of instances, each taking
//! due jobs under a lease, with retries and backoff, progress and stage, and a limit per kind.
//! The scheduler adds each recurring chore once per period across all instances.

mod runner;
mod schedule;

use std::sync::Arc;

use qobe_domain::ids::{InstitutionId, JobId};
use qobe_store::Conn;
use qobe_store::jobs::{self as rows, Lease, NewJob};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use qobe_store::jobs::Job;
pub use runner::{LEASE, Outcome, Runner, backoff, run_due, serve};
pub use schedule::{Period, TASKS, Task, tick};

use crate::{App, AppError, AppResult};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One email, sent after the change that wrote it committed.
    Email,
    /// A program report typeset as a PDF for the person who asked.
    ProgramReport,
    /// Expired sessions and one-time links deleted.
    PruneExpired,
    /// Old documents and finished jobs deleted.
    PruneDocuments,
    /// Owners of improvement actions that are overdue or due soon reminded.
    CqiReminders,
    /// Bytes moved out of the database (`files.pending`) put in the file store.
    SettleFiles,
    /// A deleted file's bytes removed from the file store, once its record's deletion committed.
    DeleteFile,
    /// Bytes in the file store that no record names (an upload rolled back) deleted.
    SweepFiles,
    /// Each program's standing against its PLO targets recomputed, for home pages.
    ProgramStandings,
    /// An announcement emailed to those it reaches who take announcements by email.
    Announce,
    /// What is new in the forums each person follows, emailed once a day.
    ForumDigest,
    /// Quiz attempts left open past their time limit closed with what they saved.
    CloseQuizAttempts,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Email,
        Kind::ProgramReport,
        Kind::PruneExpired,
        Kind::PruneDocuments,
        Kind::CqiReminders,
        Kind::SettleFiles,
        Kind::DeleteFile,
        Kind::SweepFiles,
        Kind::ProgramStandings,
        Kind::Announce,
        Kind::ForumDigest,
        Kind::CloseQuizAttempts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "mail.send",
            Kind::ProgramReport => "reports.program_report",
            Kind::PruneExpired => "accounts.prune_expired",
            Kind::PruneDocuments => "reports.prune_documents",
            Kind::CqiReminders => "cqi.reminders",
            Kind::SettleFiles => "files.settle",
            Kind::DeleteFile => "files.delete",
            Kind::SweepFiles => "files.sweep",
            Kind::ProgramStandings => "assessment.program_standings",
            Kind::Announce => "learning.announce",
            Kind::ForumDigest => "learning.forum_digest",
            Kind::CloseQuizAttempts => "quizzes.close_attempts",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// How many jobs of this kind one runner does at once. A document takes a core while it is
    /// typeset, so one at a time; emails wait on the network.
    pub fn concurrency(self) -> usize {
        match self {
            Kind::Email | Kind::DeleteFile => 4,
            _ => 1,
        }
    }

    /// How many times a job of this kind is tried before it is given up.
    pub fn max_attempts(self) -> i64 {
        match self {
            Kind::Email | Kind::SettleFiles | Kind::DeleteFile => 10,
            Kind::ProgramReport => 3,
            _ => 5,
        }
    }
}

fn payload_of(payload: &impl Serialize) -> AppResult<String> {
    serde_json::to_string(payload).map_err(|e| AppError::Internal(format!("job payload: {e}")))
}

/// Adds a job through `conn` — the caller's transaction, so the job exists only if it commits.
pub async fn enqueue(
    conn: &impl Conn,
    app: &App,
    institution: Option<InstitutionId>,
    kind: Kind,
    payload: &impl Serialize,
) -> AppResult<JobId> {
    let new = NewJob {
        institution,
        kind: kind.as_str(),
        payload: payload_of(payload)?,
        unique_key: None,
        max_attempts: kind.max_attempts(),
        run_at: app.now(),
    };
    rows::enqueue(conn, new, app.now()).await?.ok_or_else(|| AppError::Internal("job not added".into()))
}

/// Adds a job unless one with `key` exists already (then `None`).
pub(crate) async fn enqueue_once(
    conn: &impl Conn,
    app: &App,
    institution: Option<InstitutionId>,
    kind: Kind,
    payload: &impl Serialize,
    key: String,
) -> AppResult<Option<JobId>> {
    let new = NewJob {
        institution,
        kind: kind.as_str(),
        payload: payload_of(payload)?,
        unique_key: Some(key),
        max_attempts: kind.max_attempts(),
        run_at: app.now(),
    };
    Ok(rows::enqueue(conn, new, app.now()).await?)
}

/// Adds a job to run at `run_at` (not before), through the caller's transaction.
pub(crate) async fn enqueue_at(
    conn: &impl Conn,
    app: &App,
    institution: Option<InstitutionId>,
    kind: Kind,
    payload: &impl Serialize,
    run_at: chrono::DateTime<chrono::Utc>,
) -> AppResult<JobId> {
    let new = NewJob {
        institution,
        kind: kind.as_str(),
        payload: payload_of(payload)?,
        unique_key: None,
        max_attempts: kind.max_attempts(),
        run_at,
    };
    rows::enqueue(conn, new, app.now()).await?.ok_or_else(|| AppError::Internal("job not added".into()))
}

/// Jobs given up after their last attempt, oldest first: for operators and for tests, which
/// end by checking that none is left.
pub async fn failed(app: &App) -> AppResult<Vec<Job>> {
    Ok(rows::with_status(app.store.conn(), rows::FAILED, 100).await?)
}

/// Jobs given up, for the operator's console (newest problems are at the end).
pub async fn given_up_work(app: &App, actor: &crate::Actor) -> AppResult<Vec<Job>> {
    actor.require_operator()?;
    failed(app).await
}

/// The operator puts a given-up job back in the queue (once what stopped it is fixed): it runs
/// again with its attempts afresh.
pub async fn retry(app: &App, actor: &crate::Actor, id: JobId, client: &crate::ClientInfo) -> AppResult<()> {
    actor.require_operator()?;
    let tx = app.store.begin().await?;
    let job = rows::get(&tx, id).await?.ok_or(AppError::NotFound)?;
    if !rows::requeue(&tx, id, app.now()).await? {
        return Err(AppError::Refused(vec!["Only work that was given up can be tried again.".into()]));
    }
    let target = format!("{} #{}", job.kind, job.id);
    crate::audit::record(&tx, app, client, crate::audit::Entry::by(actor, "job.retried").target(&target)).await?;
    Ok(qobe_store::commit(tx).await?)
}

/// A job of `kind` by id, as stored.
pub async fn get(app: &App, id: JobId) -> AppResult<Option<Job>> {
    Ok(rows::get(app.store.conn(), id).await?)
}

/// A job being done: what it was given, and the lease it reports under.
#[derive(Clone)]
pub struct Running {
    pub id: JobId,
    pub institution: Option<InstitutionId>,
    pub kind: Kind,
    /// This attempt's number, from 1.
    pub attempt: i64,
    pub max_attempts: i64,
    payload: String,
    runner: Arc<str>,
    app: App,
    /// The runner's room for one more of this kind, given back when the last copy is dropped.
    _slot: Arc<runner::Slot>,
}

impl Running {
    fn lease(&self) -> Lease<'_> {
        Lease { job: self.id, runner: &self.runner, attempt: self.attempt }
    }

    /// What the job was given.
    pub fn payload<T: DeserializeOwned>(&self) -> AppResult<T> {
        serde_json::from_str(&self.payload).map_err(|e| AppError::Internal(format!("job {} payload: {e}", self.id)))
    }

    /// Records how far the job has come. Fails when another runner has taken the job over, so
    /// work that lost its lease stops at its next step.
    pub async fn progress(&self, percent: i64, stage: &str) -> AppResult<()> {
        if rows::progress(self.app.store.conn(), self.lease(), percent, stage).await? {
            Ok(())
        } else {
            Err(AppError::Internal(format!("job {} was taken over by another runner", self.id)))
        }
    }
}

/// Does the work of one job.
async fn perform(app: &App, job: &Running) -> AppResult<()> {
    match job.kind {
        Kind::Email => crate::mail::deliver(app, job).await,
        Kind::ProgramReport => crate::reports::jobs::make_program_report(app, job).await,
        Kind::PruneExpired => schedule::prune_expired(app).await,
        Kind::PruneDocuments => schedule::prune_documents(app).await,
        Kind::CqiReminders => crate::cqi::actions::remind_owners(app).await,
        Kind::SettleFiles => crate::files::settle(app, job).await,
        Kind::DeleteFile => crate::files::delete_bytes(app, job).await,
        Kind::SweepFiles => crate::files::sweep(app).await.map(|_| ()),
        Kind::ProgramStandings => crate::assessment::standing::run(app, job).await,
        Kind::Announce => crate::learning::announcements::deliver(app, job).await,
        Kind::ForumDigest => crate::learning::forums::digest(app, job).await,
        Kind::CloseQuizAttempts => crate::quizzes::scoring::close_overdue(app).await.map(|_| ()),
    }
}

/// What is left to do when a job is given up for good.
async fn given_up(app: &App, job: &Running) -> AppResult<()> {
    match job.kind {
        Kind::ProgramReport => crate::reports::jobs::report_given_up(app, job).await,
        _ => Ok(()),
    }
}
