//! The runner: claims due jobs it has room for, keeps their lease alive while it works, and ends
//! each one done, back in the queue after a backoff, or given up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration as Wait;

use chrono::Duration;
use qobe_domain::ids::{InstitutionId, JobId};
use qobe_store::jobs as rows;

use super::{Kind, Running, given_up, perform};
use crate::{App, AppError, AppResult};

/// How long a claim lasts without being renewed: a runner whose process stopped loses its jobs
/// to another runner this long after its last renewal.
pub const LEASE: Duration = Duration::minutes(2);

/// How often a working runner renews its leases.
const RENEW_EVERY: Wait = Wait::from_secs(30);

/// How often an idle runner looks for due jobs.
const POLL_EVERY: Wait = Wait::from_secs(1);

/// How often each instance's scheduler adds the recurring chores (each once per period).
const SCHEDULE_EVERY: Wait = Wait::from_secs(60);

/// The wait before attempt `n + 1` after attempt `n` failed: 30 s, doubling, at most an hour.
pub fn backoff(attempt: i64) -> Duration {
    let doublings = u32::try_from(attempt.clamp(1, 8) - 1).unwrap_or(0);
    (Duration::seconds(30) * 2i32.pow(doublings)).min(Duration::hours(1))
}

/// An error as a job records it: with the detail an internal error hides from people.
fn described(error: &AppError) -> String {
    match error {
        AppError::Internal(detail) => detail.clone(),
        other => other.to_string(),
    }
}

/// How a job's turn ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Failed; tried again after the backoff.
    RetryLater(String),
    /// Failed its last attempt.
    GivenUp(String),
    /// Another runner had taken the job over; this one's work was not recorded.
    LostLease,
}

/// One runner. Each instance of `qobe serve` has one; tests make several to play several
/// instances.
#[derive(Clone)]
pub struct Runner {
    app: App,
    id: Arc<str>,
    busy: Arc<Mutex<HashMap<Kind, usize>>>,
}

/// Gives a kind's slot back when the job's turn ends, however it ends.
pub(super) struct Slot {
    busy: Arc<Mutex<HashMap<Kind, usize>>>,
    kind: Kind,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut busy) = self.busy.lock()
            && let Some(count) = busy.get_mut(&self.kind)
        {
            *count = count.saturating_sub(1);
        }
    }
}

impl Runner {
    pub fn new(app: &App) -> Runner {
        let id = format!("runner-{}-{}", std::process::id(), &crate::crypto::random_token()[..8]);
        Runner { app: app.clone(), id: id.into(), busy: Arc::default() }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn free_kinds(&self) -> Vec<&'static str> {
        let busy = self.busy.lock().map(|b| b.clone()).unwrap_or_default();
        Kind::ALL
            .into_iter()
            .filter(|k| busy.get(k).copied().unwrap_or(0) < k.concurrency())
            .map(Kind::as_str)
            .collect()
    }

    fn take_slot(&self, kind: Kind) -> Slot {
        if let Ok(mut busy) = self.busy.lock() {
            *busy.entry(kind).or_insert(0) += 1;
        }
        Slot { busy: self.busy.clone(), kind }
    }

    /// Claims the next due job of a kind this runner has room for.
    pub async fn claim(&self) -> AppResult<Option<Running>> {
        let now = self.app.now();
        let kinds = self.free_kinds();
        let Some(claimed) = rows::claim(self.app.store.conn(), &self.id, &kinds, now, now + LEASE).await? else {
            return Ok(None);
        };
        let kind = Kind::parse(&claimed.kind)
            .ok_or_else(|| AppError::Internal(format!("job {} has an unknown kind {}", claimed.id, claimed.kind)))?;
        Ok(Some(Running {
            id: JobId(claimed.id),
            institution: claimed.institution_id.map(InstitutionId),
            kind,
            attempt: claimed.attempts,
            max_attempts: claimed.max_attempts,
            payload: claimed.payload,
            runner: self.id.clone(),
            app: self.app.clone(),
            _slot: Arc::new(self.take_slot(kind)),
        }))
    }

    /// Does one claimed job and records how its turn ended.
    pub async fn run(&self, job: Running) -> AppResult<Outcome> {
        let conn = self.app.store.conn();
        if job.attempt > job.max_attempts {
            // Its runners stopped in the middle each time: the job itself may be what stops them.
            let error = format!("stopped before finishing {} times", job.max_attempts);
            return self.give_up(&job, error).await;
        }
        let renewing = self.renew_while_running(&job);
        // The work runs in a task of its own, so a panic in it still ends the job's turn.
        let work = {
            let (app, job) = (self.app.clone(), job.clone());
            tokio::spawn(async move { perform(&app, &job).await })
        };
        let result = match work.await {
            Ok(result) => result.map_err(|e| described(&e)),
            Err(e) => Err(format!("the task stopped: {e}")),
        };
        renewing.abort();
        let now = self.app.now();
        match result {
            Ok(()) if rows::complete(conn, job.lease(), now).await? => Ok(Outcome::Done),
            Ok(()) => Ok(self.lost(&job)),
            Err(error) if job.attempt < job.max_attempts => {
                tracing::warn!(job = %job.id, kind = job.kind.as_str(), attempt = job.attempt, %error, "job failed; will try again");
                if rows::retry_later(conn, job.lease(), &error, now + backoff(job.attempt)).await? {
                    Ok(Outcome::RetryLater(error))
                } else {
                    Ok(self.lost(&job))
                }
            }
            Err(error) => self.give_up(&job, error).await,
        }
    }

    fn lost(&self, job: &Running) -> Outcome {
        tracing::warn!(job = %job.id, kind = job.kind.as_str(), "job was taken over by another runner; its result is dropped");
        Outcome::LostLease
    }

    async fn give_up(&self, job: &Running, error: String) -> AppResult<Outcome> {
        tracing::error!(job = %job.id, kind = job.kind.as_str(), attempt = job.attempt, %error, "job given up");
        if !rows::give_up(self.app.store.conn(), job.lease(), &error, self.app.now()).await? {
            return Ok(self.lost(job));
        }
        if let Err(e) = given_up(&self.app, job).await {
            tracing::warn!(job = %job.id, error = %e, "could not record a given-up job's end");
        }
        Ok(Outcome::GivenUp(error))
    }

    /// Renews the job's lease every [`RENEW_EVERY`] until aborted.
    fn renew_while_running(&self, job: &Running) -> tokio::task::JoinHandle<()> {
        let (app, job) = (self.app.clone(), job.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(RENEW_EVERY).await;
                match rows::extend(app.store.conn(), job.lease(), app.now() + LEASE).await {
                    Ok(true) => {}
                    Ok(false) => return,
                    Err(e) => tracing::warn!(job = %job.id, error = %e, "could not renew a job's lease"),
                }
            }
        })
    }

    /// Claims and runs every due job, one after another, until none is due; returns each
    /// job's outcome. Jobs that fail and are due again later are left for later.
    pub async fn run_due(&self) -> AppResult<Vec<(JobId, Kind, Outcome)>> {
        let mut outcomes = Vec::new();
        while let Some(job) = self.claim().await? {
            let (id, kind) = (job.id, job.kind);
            outcomes.push((id, kind, self.run(job).await?));
        }
        Ok(outcomes)
    }
}

/// Runs every due job with a runner of its own (for tests and one-off commands).
pub async fn run_due(app: &App) -> AppResult<Vec<(JobId, Kind, Outcome)>> {
    Runner::new(app).run_due().await
}

/// The runner and scheduler of one `qobe serve` instance; runs until the process ends. Jobs it
/// holds when the process stops are taken over by another runner once their lease runs out.
pub async fn serve(app: App) {
    let runner = Runner::new(&app);
    tracing::info!(runner = runner.id(), "job runner started");
    let mut next_schedule = tokio::time::Instant::now();
    loop {
        if tokio::time::Instant::now() >= next_schedule {
            if let Err(e) = super::tick(&app).await {
                tracing::warn!(error = %e, "could not schedule the recurring tasks");
            }
            next_schedule += SCHEDULE_EVERY;
        }
        loop {
            match runner.claim().await {
                Ok(Some(job)) => {
                    let runner = runner.clone();
                    tokio::spawn(async move {
                        let id = job.id;
                        if let Err(e) = runner.run(job).await {
                            tracing::warn!(job = %id, error = %e, "could not record a job's end");
                        }
                    });
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "could not claim a job");
                    break;
                }
            }
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
