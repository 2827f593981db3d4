//! Durable background jobs: rows written in the caller's transaction (so a rolled-back change
//! leaves no job behind), claimed by runners under a lease. On PostgreSQL a claim skips rows
//! another runner holds locked (`FOR UPDATE SKIP LOCKED`); on SQLite the single writer makes the
//! claiming statement atomic. Every later write by a runner names its lease (runner and
//! attempt), so a runner whose lease was taken over can no longer finish the job.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, JobId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    Statement, sea_query::Expr, sea_query::OnConflict,
};

use crate::entities::job::{ActiveModel, Column, Entity};
use crate::{Conn, StoreError};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// A job as the layers above see it.
pub use crate::entities::job::Model as Job;

/// Work to be done.
pub struct NewJob<'a> {
    pub institution: Option<InstitutionId>,
    pub kind: &'a str,
    /// JSON the job's handler reads.
    pub payload: String,
    /// Work that must exist once (a scheduled period, say): a second job with the key is not added.
    pub unique_key: Option<String>,
    pub max_attempts: i64,
    pub run_at: DateTime<Utc>,
}

/// Adds a job; `None` when one with the same unique key exists already.
pub async fn enqueue(conn: &impl Conn, new: NewJob<'_>, now: DateTime<Utc>) -> Result<Option<JobId>, StoreError> {
    let key = new.unique_key.clone();
    let row = ActiveModel {
        institution_id: Set(new.institution.map(|i| i.0)),
        kind: Set(new.kind.to_owned()),
        payload: Set(new.payload),
        unique_key: Set(new.unique_key),
        status: Set(QUEUED.to_owned()),
        attempts: Set(0),
        max_attempts: Set(new.max_attempts.max(1)),
        run_at: Set(new.run_at),
        progress: Set(0),
        stage: Set("Waiting to start".to_owned()),
        created_at: Set(now),
        ..Default::default()
    };
    let Some(key) = key else {
        return Ok(Some(JobId(Entity::insert(row).exec_with_returning(conn).await?.id)));
    };
    let inserted = Entity::insert(row)
        .on_conflict(OnConflict::column(Column::UniqueKey).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let id: Option<i64> = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::UniqueKey.eq(key))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(id.map(JobId))
}

/// A job a runner has claimed: what it needs to do the work and to answer for it.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Claimed {
    pub id: i64,
    pub institution_id: Option<i64>,
    pub kind: String,
    pub payload: String,
    /// This attempt's number, from 1; part of the lease.
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Takes the next due job of one of `kinds` for `runner` until `lease_until`: a queued job whose
/// time has come, or a running one whose runner's lease ran out (its process stopped).
pub async fn claim(
    conn: &impl Conn,
    runner: &str,
    kinds: &[&str],
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<Claimed>, StoreError> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let backend = conn.get_database_backend();
    let p = |n: usize| if backend == DbBackend::Postgres { format!("${n}") } else { format!("?{n}") };
    let kind_list: Vec<String> = (0..kinds.len()).map(|i| p(4 + i)).collect();
    let lock = if backend == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE jobs SET status = '{RUNNING}', attempts = attempts + 1, lease_holder = {runner}, lease_until = {until}, \
         stage = CASE WHEN status = '{RUNNING}' THEN 'Taken over after a stopped runner' ELSE stage END \
         WHERE id = (SELECT id FROM jobs WHERE kind IN ({kinds}) AND \
           ((status = '{QUEUED}' AND run_at <= {now}) OR (status = '{RUNNING}' AND lease_until < {now})) \
           ORDER BY run_at, id LIMIT 1{lock}) \
         RETURNING id, institution_id, kind, payload, attempts, max_attempts",
        runner = p(1),
        until = p(2),
        now = p(3),
        kinds = kind_list.join(", "),
    );
    let mut values: Vec<sea_orm::Value> = vec![runner.into(), lease_until.into(), now.into()];
    values.extend(kinds.iter().map(|k| (*k).into()));
    Ok(Claimed::find_by_statement(Statement::from_sql_and_values(backend, sql, values)).one(conn).await?)
}

/// The lease a runner holds on a job: only its holder may move the job on.
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    pub job: JobId,
    pub runner: &'a str,
    pub attempt: i64,
}

fn held(lease: Lease<'_>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(Column::Id.eq(lease.job.0))
        .add(Column::Status.eq(RUNNING))
        .add(Column::LeaseHolder.eq(lease.runner))
        .add(Column::Attempts.eq(lease.attempt))
}

/// Extends the lease; `false` when the job is no longer this runner's.
pub async fn extend(conn: &impl Conn, lease: Lease<'_>, until: DateTime<Utc>) -> Result<bool, StoreError> {
    let result =
        Entity::update_many().col_expr(Column::LeaseUntil, Expr::value(until)).filter(held(lease)).exec(conn).await?;
    Ok(result.rows_affected == 1)
}

/// Records how far the job has come; `false` when it is no longer this runner's.
pub async fn progress(conn: &impl Conn, lease: Lease<'_>, percent: i64, stage: &str) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Progress, Expr::value(percent.clamp(0, 100)))
        .col_expr(Column::Stage, Expr::value(stage))
        .filter(held(lease))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks the job done and drops its payload (an email's body holds links that open accounts);
/// `false` when it was no longer this runner's.
pub async fn complete(conn: &impl Conn, lease: Lease<'_>, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(DONE))
        .col_expr(Column::Progress, Expr::value(100))
        .col_expr(Column::Stage, Expr::value("Done"))
        .col_expr(Column::Payload, Expr::value("{}"))
        .col_expr(Column::LeaseHolder, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::FinishedAt, Expr::value(now))
        .filter(held(lease))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Puts the job back in the queue to be tried again at `run_at`, with the error that stopped it.
pub async fn retry_later(
    conn: &impl Conn,
    lease: Lease<'_>,
    error: &str,
    run_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(QUEUED))
        .col_expr(Column::Stage, Expr::value("Waiting to try again"))
        .col_expr(Column::LastError, Expr::value(error))
        .col_expr(Column::RunAt, Expr::value(run_at))
        .col_expr(Column::LeaseHolder, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(held(lease))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives the job up: it failed as often as it may.
pub async fn give_up(conn: &impl Conn, lease: Lease<'_>, error: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(FAILED))
        .col_expr(Column::Stage, Expr::value("Failed"))
        .col_expr(Column::LastError, Expr::value(error))
        .col_expr(Column::LeaseHolder, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::FinishedAt, Expr::value(now))
        .filter(held(lease))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Puts a given-up job back in the queue with its attempts afresh; `false` when the job is not
/// one given up.
pub async fn requeue(conn: &impl Conn, id: JobId, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(QUEUED))
        .col_expr(Column::Stage, Expr::value("Waiting to start"))
        .col_expr(Column::Attempts, Expr::value(0i64))
        .col_expr(Column::RunAt, Expr::value(now))
        .col_expr(Column::FinishedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(Column::Id.eq(id.0))
        .filter(Column::Status.eq(FAILED))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn get(conn: &impl Conn, id: JobId) -> Result<Option<Job>, StoreError> {
    Ok(Entity::find_by_id(id.0).one(conn).await?)
}

/// Jobs in `status`, oldest first (at most `limit`).
pub async fn with_status(conn: &impl Conn, status: &str, limit: u64) -> Result<Vec<Job>, StoreError> {
    Ok(Entity::find().filter(Column::Status.eq(status)).order_by_asc(Column::Id).limit(limit).all(conn).await?)
}

/// Jobs of one kind, oldest first.
pub async fn of_kind(conn: &impl Conn, kind: &str) -> Result<Vec<Job>, StoreError> {
    Ok(Entity::find().filter(Column::Kind.eq(kind)).order_by_asc(Column::Id).all(conn).await?)
}

/// Deletes finished jobs (done or failed) that finished before `before`.
pub async fn prune_finished(conn: &impl Conn, before: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::Status.is_in([DONE, FAILED]))
        .filter(Column::FinishedAt.lt(before))
        .exec(conn)
        .await?
        .rows_affected)
}
