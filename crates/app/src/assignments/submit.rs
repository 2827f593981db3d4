//! Handing in: a student of the offering submits text and files (of the allowed types and size,
//! streamed into the file store) while the assignment takes them — on time, or late until the
//! cut-off — and replaces them with a new version only before the due time; every version is
//! kept. A student's own page shows their deadline, versions, and once released their marks,
//! the late penalty and the feedback.

use bytes::Bytes;
use futures_util::Stream;
use qobe_domain::assignments::{self as rules, Deadline, Taken};
use qobe_domain::ids::{AssignmentId, FileId, OfferingId, SubmissionId};
use qobe_domain::validation::optional_text;
use qobe_store::assignments::{self as rows, NewSubmission};
use serde::Deserialize;

use super::{Assignment, Extension, Grade, Submission, deadline_for, file_types, late_policy, reach};
use crate::academics::offerings::OfferingView;
use crate::files::{self, FileKind, Received, StoredFile};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// What a student writes when handing in (the files come with the form or are left out).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionInput {
    /// The answer as text (Markdown), when the assignment takes text.
    #[serde(default)]
    #[schema(max_length = 100000)]
    pub body: String,
}

/// Where a student's files go: the assignment, and the room for them.
pub struct SubmitTarget {
    assignment: Assignment,
    room: files::Storage,
}

/// Checks that the actor may hand in now, before any file arrives.
pub async fn target(app: &App, actor: &Actor, id: AssignmentId) -> AppResult<SubmitTarget> {
    let (assignment, _, viewer) = reach(app, actor, id).await?;
    if !viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    let (deadline, versions) = standing(app, actor, &assignment).await?;
    rules::may_submit(deadline, app.now(), !versions.is_empty()).map_err(|reason| AppError::Refused(vec![reason]))?;
    let mut room = files::storage(app, actor.institution()?).await?;
    room.per_file = room.per_file.min(u64::try_from(assignment.max_file_mb).unwrap_or(0) * 1024 * 1024);
    Ok(SubmitTarget { assignment, room })
}

/// Streams one of the student's files into the store (refused by its type before any byte).
pub async fn receive<S, E>(app: &App, target: &SubmitTarget, name: &str, chunks: S) -> AppResult<Received>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    if !target.assignment.accepts_files {
        return Err(AppError::refused_field("files", "this assignment takes text only"));
    }
    let name = qobe_domain::learning::safe_file_name(name);
    let types = file_types(&target.assignment);
    if !rules::allowed_type(&name, &types) {
        return Err(AppError::refused_field("files", format!("{name}: only {} files are taken", types.join(", "))));
    }
    files::receive(app, target.room, FileKind::Submission, "files", &name, chunks).await
}

/// The student's deadline and their versions so far.
async fn standing(app: &App, actor: &Actor, assignment: &Assignment) -> AppResult<(Deadline, Vec<Submission>)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let id = AssignmentId(assignment.id);
    let extension = rows::extensions(conn, institution, id).await?.into_iter().find(|e| e.user_id == actor.user_id.0);
    let versions = rows::submissions(conn, institution, id, Some(actor.user_id)).await?;
    Ok((deadline_for(assignment, extension.as_ref()), versions))
}

/// Hands in a new version: the text and the files received for it.
pub async fn submit(
    app: &App,
    actor: &Actor,
    id: AssignmentId,
    input: &SubmissionInput,
    received: &[Received],
    client: &ClientInfo,
) -> AppResult<Submission> {
    let (assignment, _, viewer) = reach(app, actor, id).await?;
    if !viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    let now = app.now();
    let (deadline, versions) = standing(app, actor, &assignment).await?;
    rules::may_submit(deadline, now, !versions.is_empty()).map_err(|reason| AppError::Refused(vec![reason]))?;
    let mut errors = qobe_domain::FieldErrors::new();
    let body = errors.check("body", optional_text(&input.body, 100_000)).flatten().unwrap_or_default();
    if !assignment.accepts_text && !body.is_empty() {
        errors.refuse("body", "this assignment takes files only");
    }
    if !assignment.accepts_files && !received.is_empty() {
        errors.refuse("files", "this assignment takes text only");
    }
    if errors.is_empty() && body.is_empty() && received.is_empty() {
        let field = if assignment.accepts_files { "files" } else { "body" };
        errors.refuse(
            field,
            if assignment.accepts_text && assignment.accepts_files {
                "write your answer or choose a file"
            } else if assignment.accepts_files {
                "choose a file to hand in"
            } else {
                "write your answer"
            },
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let institution = actor.institution()?;
    let units_late = rules::units_late(deadline.due, now, late_policy(&assignment).unit);
    let tx = app.store.begin().await?;
    let mut stored = Vec::new();
    for file in received {
        stored.push(files::record(&tx, app, institution, actor.user_id, FileKind::Submission, file).await?.0);
    }
    let version = versions.last().map_or(1, |v| v.version + 1);
    let new = NewSubmission {
        assignment: id,
        user: actor.user_id,
        version,
        body: &body,
        units_late: i64::from(units_late),
        files: &stored,
    };
    let made = rows::insert_submission(&tx, institution, new, now).await?;
    let details =
        serde_json::json!({"assignment": id.0, "version": version, "units_late": units_late, "files": stored.len()});
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assignment.submitted").target(&assignment.title).details(details),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(made)
}

/// A version with its files.
#[derive(Debug, Clone)]
pub struct Version {
    pub submission: Submission,
    pub files: Vec<StoredFile>,
}

/// The files of these versions, each version with its own.
pub(crate) async fn with_files(app: &App, actor: &Actor, versions: Vec<Submission>) -> AppResult<Vec<Version>> {
    let institution = actor.institution()?;
    let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
    let pairs = rows::files_of(app.store.conn(), institution, &ids).await?;
    let mut out = Vec::new();
    for submission in versions {
        let mut files = Vec::new();
        for (_, file) in pairs.iter().filter(|(s, _)| *s == submission.id) {
            files.push(files::find(app, Some(institution), FileId(*file)).await?);
        }
        out.push(Version { submission, files });
    }
    Ok(out)
}

/// A released grade as its student reads it.
#[derive(Debug, Clone)]
pub struct Released {
    /// (item, out of, mark as it stands in the grid).
    pub marks: Vec<(String, f64, String)>,
    pub penalty: f64,
    pub feedback: String,
}

/// A student's own view of an assignment.
pub struct MyWork {
    pub assignment: Assignment,
    pub offering: OfferingView,
    pub deadline: Deadline,
    pub extension: Option<Extension>,
    pub versions: Vec<Version>,
    /// Whether they may hand in now, or why not.
    pub may: Result<Taken, String>,
    pub released: Option<Released>,
}

pub async fn mine(app: &App, actor: &Actor, id: AssignmentId) -> AppResult<MyWork> {
    let (assignment, offering, viewer) = reach(app, actor, id).await?;
    if !viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let extension = rows::extensions(conn, institution, id).await?.into_iter().find(|e| e.user_id == actor.user_id.0);
    let deadline = deadline_for(&assignment, extension.as_ref());
    let versions = rows::submissions(conn, institution, id, Some(actor.user_id)).await?;
    let may = rules::may_submit(deadline, app.now(), !versions.is_empty());
    let released = match assignment.released_at {
        Some(_) => {
            let grade: Option<Grade> =
                rows::grades(conn, institution, id).await?.into_iter().find(|g| g.user_id == actor.user_id.0);
            let items: Vec<_> =
                qobe_store::assessment::plans::items(conn, institution, OfferingId(assignment.offering_id))
                    .await?
                    .into_iter()
                    .filter(|i| i.assessment_id == assignment.assessment_id)
                    .collect();
            let marks = qobe_store::assessment::marks::for_students(
                conn,
                institution,
                OfferingId(assignment.offering_id),
                &[actor.user_id.0],
            )
            .await?;
            grade.map(|grade| Released {
                marks: items
                    .iter()
                    .map(|item| {
                        let mark = marks.iter().find(|m| m.item_id == item.id);
                        let shown =
                            mark.map(|m| crate::assessment::marks::display(m.score, &m.status)).unwrap_or_default();
                        (item.label.clone(), item.max_marks, shown)
                    })
                    .collect(),
                penalty: grade.penalty,
                feedback: grade.feedback,
            })
        }
        None => None,
    };
    Ok(MyWork {
        versions: with_files(app, actor, versions).await?,
        assignment,
        offering,
        deadline,
        extension,
        may,
        released,
    })
}

/// A file of a submission: for its student, and for the offering's staff.
pub async fn file(app: &App, actor: &Actor, submission: SubmissionId, file: FileId) -> AppResult<StoredFile> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let found = rows::submission(conn, institution, submission).await?.ok_or(AppError::NotFound)?;
    let (_, _, viewer) = reach(app, actor, AssignmentId(found.assignment_id)).await?;
    if viewer.is_student() && found.user_id != actor.user_id.0 {
        return Err(AppError::NotFound);
    }
    let pairs = rows::files_of(conn, institution, &[found.id]).await?;
    if !pairs.iter().any(|(_, f)| *f == file.0) {
        return Err(AppError::NotFound);
    }
    files::find(app, Some(institution), file).await
}
