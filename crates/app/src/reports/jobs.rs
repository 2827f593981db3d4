//! Documents typeset in the background: the request adds the document and its job in one
//! transaction and returns at once; the job runner records the stage and percentage as it goes,
//! and keeps the file for its requester to download. Only the person who asked sees a document.
//! A second request for a report still being made shows the first; documents are deleted two
//! weeks after they were asked for (a scheduled chore).

use qobe_domain::ids::{DocumentId, FileId, ProgramId, UserId};
use qobe_store::documents::{self as job_rows, JobInfo, NewJob};

use super::program::accreditation;
use crate::assessment::program::{ProgramFilter, of_program, program_of};
use crate::files::{self, FileKind, NewUpload, StoredFile};
use crate::jobs::{Kind, Running};
use crate::{Actor, App, AppError, AppResult};

/// A document as its requester sees it (without the file).
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

fn in_progress(row: &JobInfo) -> bool {
    row.status == "queued" || row.status == "running"
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

/// What the program report's job is given.
#[derive(serde::Serialize, serde::Deserialize)]
struct ProgramReportJob {
    document: DocumentId,
    program: ProgramId,
    filter: ProgramFilter,
    requested_by: UserId,
}

/// Starts the program report as a background job and returns the document's id (the one
/// already under way, when the person asked for this program's report moments ago).
pub async fn start_program_report(
    app: &App,
    actor: &Actor,
    id: ProgramId,
    filter: ProgramFilter,
) -> AppResult<DocumentId> {
    let program = program_of(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let under_way = job_rows::jobs_of(&tx, institution, actor.user_id, 20)
        .await?
        .into_iter()
        .find(|j| j.kind == PROGRAM_REPORT && j.subject_id == program.id && in_progress(j));
    if let Some(job) = under_way {
        return Ok(DocumentId(job.id));
    }
    let title = format!("Program report {}", program.code);
    let new = NewJob { by: actor.user_id, kind: PROGRAM_REPORT, subject: program.id, title: &title };
    let document = job_rows::insert_job(&tx, institution, new, app.now()).await?;
    let payload = ProgramReportJob { document, program: id, filter, requested_by: actor.user_id };
    crate::jobs::enqueue(&tx, app, Some(institution), Kind::ProgramReport, &payload).await?;
    qobe_store::commit(tx).await?;
    Ok(document)
}

/// The program report job's work: computed and typeset as the person who asked (who must still
/// be allowed to see the program), with each stage shown on their page.
pub(crate) async fn make_program_report(app: &App, job: &Running) -> AppResult<()> {
    let task: ProgramReportJob = job.payload()?;
    let institution = job.institution.ok_or(AppError::NotFound)?;
    let conn = app.store.conn();
    let step = |percent: i64, stage: &'static str| async move {
        job.progress(percent, stage).await?;
        job_rows::progress(conn, institution, task.document, percent, stage).await?;
        AppResult::Ok(())
    };
    let actor = crate::accounts::sessions::actor_of(app, institution, task.requested_by).await?;
    step(5, "Computing PLO attainment from every course's marks").await?;
    let view = of_program(app, &actor, task.program, task.filter.clone()).await?;
    step(60, "Collecting the evidence and improvement actions").await?;
    let report = accreditation(app, &actor, &view).await?;
    step(75, "Typesetting the PDF").await?;
    let pdf = crate::reports::pdf(app, &actor, &report).await?;
    let file_name = report.file_name("pdf");
    let tx = app.store.begin().await?;
    let upload = NewUpload {
        institution: Some(institution),
        owner: Some(task.requested_by),
        kind: FileKind::Document,
        name: &file_name,
        bytes: pdf,
    };
    let file = files::keep(&tx, app, upload).await?;
    job_rows::finish(&tx, institution, task.document, Ok((file_name, file)), app.now()).await?;
    Ok(qobe_store::commit(tx).await?)
}

/// The report could not be made after every attempt: its requester is told.
pub(crate) async fn report_given_up(app: &App, job: &Running) -> AppResult<()> {
    let task: ProgramReportJob = job.payload()?;
    let institution = job.institution.ok_or(AppError::NotFound)?;
    let error = "The report could not be made; try again, and tell support if it keeps failing.".to_owned();
    job_rows::finish(app.store.conn(), institution, task.document, Err(error), app.now()).await?;
    Ok(())
}

/// The actor's own job.
pub async fn status(app: &App, actor: &Actor, id: DocumentId) -> AppResult<JobStatus> {
    Ok(JobStatus::from(own(app, actor, id).await?))
}

async fn own(app: &App, actor: &Actor, id: DocumentId) -> AppResult<JobInfo> {
    let job = job_rows::job(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    if job.requested_by != actor.user_id.0 {
        return Err(AppError::NotFound);
    }
    Ok(job)
}

/// The file of the actor's finished job.
pub async fn file(app: &App, actor: &Actor, id: DocumentId) -> AppResult<StoredFile> {
    let institution = actor.institution()?;
    let row = job_rows::job_file(app.store.conn(), institution, id).await?;
    match row {
        Some((by, _, _)) if by != actor.user_id.0 => Err(AppError::NotFound),
        Some((_, Some(_), Some(file))) => files::find(app, Some(institution), FileId(file)).await,
        Some(_) => Err(AppError::Refused(vec!["The document is not ready yet.".into()])),
        None => Err(AppError::NotFound),
    }
}

/// The actor's latest jobs, newest first.
pub async fn mine(app: &App, actor: &Actor) -> AppResult<Vec<JobStatus>> {
    Ok(job_rows::jobs_of(app.store.conn(), actor.institution()?, actor.user_id, 20)
        .await?
        .into_iter()
        .map(JobStatus::from)
        .collect())
}
