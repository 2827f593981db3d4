//! Documents typeset in the background: the request starts a job and returns at once; the job
//! records its stage and percentage as it goes, and keeps the file for its requester to
//! download. Only the person who asked sees a job. Jobs run one at a time per server, a second
//! request for a report still being made shows the first, and an institution's documents older
//! than two weeks are deleted when anyone there asks for a new one.

use qobe_domain::ids::{InstitutionId, ProgramId};
use qobe_store::documents::{self as job_rows, JobInfo, NewJob};
use tokio::sync::Semaphore;

use crate::assessment::program::{ProgramFilter, of_program, program_of};
use crate::assessment::program_report::{report_files, typeset};
use crate::{Actor, App, AppError, AppResult};

/// A job as its requester sees it (without the file).
#[derive(Debug, Clone, serde::Serialize)]
pub struct JobStatus {
    pub id: i64,
    pub title: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub progress: i64,
    pub stage: String,
    pub error: Option<String>,
    pub file_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A job unfinished this long after it was asked for was cut short (its server stopped).
const GIVEN_UP_AFTER: chrono::Duration = chrono::Duration::minutes(30);

/// Documents are kept this long for their requester, then deleted when they ask for another.
const KEPT_FOR: chrono::Duration = chrono::Duration::days(14);

/// One job at a time per server: the others wait their turn, queued.
static RUNNING: Semaphore = Semaphore::const_new(1);

fn in_progress(row: &JobInfo, now: chrono::DateTime<chrono::Utc>) -> bool {
    (row.status == "queued" || row.status == "running") && now - row.created_at <= GIVEN_UP_AFTER
}

impl JobStatus {
    fn of(row: JobInfo, now: chrono::DateTime<chrono::Utc>) -> JobStatus {
        let unfinished = row.status == "queued" || row.status == "running";
        if unfinished && !in_progress(&row, now) {
            return JobStatus {
                status: "failed".into(),
                stage: "Interrupted".into(),
                error: Some("The document was not finished (the server restarted); ask for it again.".into()),
                ..JobStatus::from(row)
            };
        }
        JobStatus::from(row)
    }
}

impl From<JobInfo> for JobStatus {
    fn from(row: JobInfo) -> JobStatus {
        JobStatus {
            id: row.id,
            title: row.title,
            status: row.status,
            progress: row.progress,
            stage: row.stage,
            error: row.error,
            file_name: row.file_name,
            created_at: row.created_at,
        }
    }
}

const PROGRAM_REPORT: &str = "program_report";

/// Starts the program report as a background job and returns the job's id (the one already
/// under way, when the person asked for this program's report moments ago).
pub async fn start_program_report(app: &App, actor: &Actor, id: ProgramId, filter: ProgramFilter) -> AppResult<i64> {
    let program = program_of(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let under_way = job_rows::jobs_of(conn, institution, actor.user_id, 20)
        .await?
        .into_iter()
        .find(|j| j.kind == PROGRAM_REPORT && j.subject_id == program.id && in_progress(j, app.now()));
    if let Some(job) = under_way {
        return Ok(job.id);
    }
    job_rows::prune(conn, institution, app.now() - KEPT_FOR).await?;
    let title = format!("Program report {}", program.code);
    let new = NewJob { by: actor.user_id, kind: PROGRAM_REPORT, subject: program.id, title: &title };
    let job = job_rows::insert_job(conn, institution, new, app.now()).await?;
    let (app, actor) = (app.clone(), actor.clone());
    let file_name = crate::reports::Report { file: format!("program-report-{}", program.code), ..Default::default() }
        .file_name("pdf");
    tokio::spawn(async move {
        // The work runs in a task of its own, so a panic in it still ends the job.
        let work = {
            let (app, actor) = (app.clone(), actor.clone());
            tokio::spawn(async move {
                let _turn = RUNNING.acquire().await;
                run_program_report(&app, &actor, institution, job, id, filter).await
            })
        };
        let outcome = match work.await {
            Ok(Ok(pdf)) => Ok((file_name, pdf)),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(format!("the task stopped: {e}")),
        };
        let outcome = outcome.map_err(|e| {
            tracing::warn!(job, error = %e, "program report job failed");
            "The report could not be made; try again, and tell support if it keeps failing.".to_owned()
        });
        if let Err(e) = job_rows::finish(app.store.conn(), institution, job, outcome, app.now()).await {
            tracing::warn!(job, error = %e, "could not record the end of a document job");
        }
    });
    Ok(job)
}

async fn run_program_report(
    app: &App,
    actor: &Actor,
    institution: InstitutionId,
    job: i64,
    id: ProgramId,
    filter: ProgramFilter,
) -> AppResult<Vec<u8>> {
    let conn = app.store.conn();
    job_rows::progress(conn, institution, job, 5, "Computing PLO attainment from every course's marks").await?;
    let view = of_program(app, actor, id, filter).await?;
    job_rows::progress(conn, institution, job, 60, "Collecting the evidence and improvement actions").await?;
    let files = report_files(app, actor, &view).await?;
    job_rows::progress(conn, institution, job, 75, "Typesetting the PDF").await?;
    typeset(files).await
}

/// The actor's own job.
pub async fn status(app: &App, actor: &Actor, id: i64) -> AppResult<JobStatus> {
    Ok(JobStatus::of(own(app, actor, id).await?, app.now()))
}

async fn own(app: &App, actor: &Actor, id: i64) -> AppResult<JobInfo> {
    let job = job_rows::job(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    if job.requested_by != actor.user_id.0 {
        return Err(AppError::NotFound);
    }
    Ok(job)
}

/// The file of the actor's finished job: (file name, bytes).
pub async fn file(app: &App, actor: &Actor, id: i64) -> AppResult<(String, Vec<u8>)> {
    let row = job_rows::job_file(app.store.conn(), actor.institution()?, id).await?;
    match row {
        Some((by, _, _)) if by != actor.user_id.0 => Err(AppError::NotFound),
        Some((_, Some(name), Some(bytes))) => Ok((name, bytes)),
        Some(_) => Err(AppError::Refused(vec!["The document is not ready yet.".into()])),
        None => Err(AppError::NotFound),
    }
}

/// The actor's latest jobs, newest first.
pub async fn mine(app: &App, actor: &Actor) -> AppResult<Vec<JobStatus>> {
    Ok(job_rows::jobs_of(app.store.conn(), actor.institution()?, actor.user_id, 20)
        .await?
        .into_iter()
        .map(|row| JobStatus::of(row, app.now()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str, minutes_ago: i64) -> (JobInfo, chrono::DateTime<chrono::Utc>) {
        let now = chrono::Utc::now();
        let job = JobInfo {
            id: 1,
            requested_by: 1,
            kind: "program_report".into(),
            subject_id: 1,
            title: "Program report".into(),
            status: status.into(),
            progress: 40,
            stage: "Typesetting the PDF".into(),
            error: None,
            file_name: None,
            created_at: now - chrono::Duration::minutes(minutes_ago),
            finished_at: None,
        };
        (job, now)
    }

    #[test]
    fn a_job_left_unfinished_by_a_stopped_server_shows_as_failed() {
        let (fresh, now) = row("running", 5);
        assert_eq!(JobStatus::of(fresh, now).status, "running");
        let (stale, now) = row("running", 31);
        let shown = JobStatus::of(stale, now);
        assert_eq!((shown.status.as_str(), shown.stage.as_str()), ("failed", "Interrupted"));
        assert!(shown.error.is_some_and(|e| e.contains("ask for it again")));
        let (done, now) = row("done", 600);
        assert_eq!(JobStatus::of(done, now).status, "done");
    }
}
