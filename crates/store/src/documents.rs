//! Institution logos and document jobs.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{DocumentId, FileId, InstitutionId, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Select,
    sea_query::OnConflict,
};

use crate::entities::{document_job, institution_logo};
use crate::{Conn, StoreError};

/// The file of the institution's logo.
pub async fn logo(conn: &impl Conn, institution: InstitutionId) -> Result<Option<FileId>, StoreError> {
    Ok(institution_logo::Entity::find()
        .filter(institution_logo::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?
        .and_then(|row| row.file_id.map(FileId)))
}

/// Sets (or replaces) the institution's logo; returns the file it replaced.
pub async fn put_logo(
    conn: &impl Conn,
    institution: InstitutionId,
    file: FileId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Option<FileId>, StoreError> {
    let replaced = logo(conn, institution).await?;
    let row = institution_logo::ActiveModel {
        institution_id: Set(institution.0),
        file_id: Set(Some(file.0)),
        updated_by: Set(by.0),
        updated_at: Set(now),
        ..Default::default()
    };
    institution_logo::Entity::insert(row)
        .on_conflict(
            OnConflict::column(institution_logo::Column::InstitutionId)
                .update_columns([
                    institution_logo::Column::FileId,
                    institution_logo::Column::UpdatedBy,
                    institution_logo::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(replaced)
}

/// Removes the logo; returns its file.
pub async fn remove_logo(conn: &impl Conn, institution: InstitutionId) -> Result<Option<FileId>, StoreError> {
    let removed = logo(conn, institution).await?;
    institution_logo::Entity::delete_many()
        .filter(institution_logo::Column::InstitutionId.eq(institution.0))
        .exec(conn)
        .await?;
    Ok(removed)
}

pub struct NewJob<'a> {
    pub by: UserId,
    pub kind: &'a str,
    pub subject: i64,
    pub title: &'a str,
}

pub async fn insert_job(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewJob<'_>,
    now: DateTime<Utc>,
) -> Result<DocumentId, StoreError> {
    let row = document_job::ActiveModel {
        institution_id: Set(institution.0),
        requested_by: Set(new.by.0),
        kind: Set(new.kind.to_owned()),
        subject_id: Set(new.subject),
        title: Set(new.title.to_owned()),
        status: Set("queued".to_owned()),
        progress: Set(0),
        stage: Set("Waiting to start".to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(DocumentId(document_job::Entity::insert(row).exec_with_returning(conn).await?.id))
}

/// Moves a running job on: its percentage and the stage it is in.
pub async fn progress(
    conn: &impl Conn,
    institution: InstitutionId,
    id: DocumentId,
    progress: i64,
    stage: &str,
) -> Result<(), StoreError> {
    document_job::Entity::update_many()
        .col_expr(document_job::Column::Status, "running".into())
        .col_expr(document_job::Column::Progress, progress.into())
        .col_expr(document_job::Column::Stage, stage.into())
        .filter(document_job::Column::InstitutionId.eq(institution.0))
        .filter(document_job::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends a job with its file, or with the error that stopped it.
pub async fn finish(
    conn: &impl Conn,
    institution: InstitutionId,
    id: DocumentId,
    outcome: Result<(String, FileId), String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = document_job::Entity::update_many()
        .col_expr(document_job::Column::FinishedAt, now.into())
        .filter(document_job::Column::InstitutionId.eq(institution.0))
        .filter(document_job::Column::Id.eq(id.0));
    update = match outcome {
        Ok((file_name, file)) => update
            .col_expr(document_job::Column::Status, "done".into())
            .col_expr(document_job::Column::Progress, 100i64.into())
            .col_expr(document_job::Column::Stage, "Ready to download".into())
            .col_expr(document_job::Column::FileName, file_name.into())
            .col_expr(document_job::Column::FileId, file.0.into()),
        Err(error) => update
            .col_expr(document_job::Column::Status, "failed".into())
            .col_expr(document_job::Column::Stage, "Failed".into())
            .col_expr(document_job::Column::Error, error.into()),
    };
    update.exec(conn).await?;
    Ok(())
}

/// A job as listed and followed: everything but its file.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct JobInfo {
    pub id: i64,
    pub requested_by: i64,
    pub kind: String,
    pub subject_id: i64,
    pub title: String,
    pub status: String,
    pub progress: i64,
    pub stage: String,
    pub error: Option<String>,
    pub file_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

fn without_file(institution: InstitutionId) -> Select<document_job::Entity> {
    use document_job::Column as C;
    document_job::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::RequestedBy,
            C::Kind,
            C::SubjectId,
            C::Title,
            C::Status,
            C::Progress,
            C::Stage,
            C::Error,
            C::FileName,
            C::CreatedAt,
            C::FinishedAt,
        ])
        .filter(C::InstitutionId.eq(institution.0))
}

/// A job without its file.
pub async fn job(conn: &impl Conn, institution: InstitutionId, id: DocumentId) -> Result<Option<JobInfo>, StoreError> {
    Ok(without_file(institution).filter(document_job::Column::Id.eq(id.0)).into_model::<JobInfo>().one(conn).await?)
}

/// (requested by, file name, file) of a finished job.
pub async fn job_file(
    conn: &impl Conn,
    institution: InstitutionId,
    id: DocumentId,
) -> Result<Option<(i64, Option<String>, Option<i64>)>, StoreError> {
    Ok(document_job::Entity::find()
        .select_only()
        .columns([document_job::Column::RequestedBy, document_job::Column::FileName, document_job::Column::FileId])
        .filter(document_job::Column::InstitutionId.eq(institution.0))
        .filter(document_job::Column::Id.eq(id.0))
        .into_tuple()
        .one(conn)
        .await?)
}

/// The person's latest jobs, newest first, without their files.
pub async fn jobs_of(
    conn: &impl Conn,
    institution: InstitutionId,
    person: UserId,
    limit: u64,
) -> Result<Vec<JobInfo>, StoreError> {
    Ok(without_file(institution)
        .filter(document_job::Column::RequestedBy.eq(person.0))
        .order_by_desc(document_job::Column::Id)
        .limit(limit)
        .into_model::<JobInfo>()
        .all(conn)
        .await?)
}

/// Deletes every document asked for before `before`; returns their files, to be deleted too.
pub async fn prune(conn: &impl Conn, before: DateTime<Utc>) -> Result<Vec<(InstitutionId, FileId)>, StoreError> {
    let files: Vec<(i64, Option<i64>)> = document_job::Entity::find()
        .select_only()
        .columns([document_job::Column::InstitutionId, document_job::Column::FileId])
        .filter(document_job::Column::CreatedAt.lt(before))
        .into_tuple()
        .all(conn)
        .await?;
    document_job::Entity::delete_many().filter(document_job::Column::CreatedAt.lt(before)).exec(conn).await?;
    Ok(files.into_iter().filter_map(|(institution, file)| Some((InstitutionId(institution), FileId(file?)))).collect())
}
