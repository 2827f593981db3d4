//! Durable background jobs: every piece of work done outside a request (an email, a document, a
//! scheduled chore) is a row, written in the same transaction as the change that causes it, and
//! taken by a runner under a lease.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("jobs")
                    .col(int_null("institution_id"))
                    .col(text("kind"))
                    .col(text("payload"))
                    // Set for work that must exist once: a scheduled task's period, a document asked
                    // for twice. A second insert with the same key is a no-op.
                    .col(text_null("unique_key"))
                    .col(text("status"))
                    .col(int("attempts"))
                    .col(int("max_attempts"))
                    .col(time("run_at"))
                    .col(text_null("lease_holder"))
                    .col(time_null("lease_until"))
                    .col(int("progress"))
                    .col(text("stage"))
                    .col(text_null("last_error"))
                    .col(time("created_at"))
                    .col(time_null("finished_at"))
                    .foreign_key(&mut references("jobs", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("jobs", &["unique_key"], true)).await?;
        manager.create_index(index("jobs", &["status", "run_at"], false)).await?;
        manager.create_index(index("jobs", &["institution_id", "kind"], false)).await?;
        // Documents being made by the old in-process tasks are lost with them.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE document_jobs SET status = 'failed', stage = 'Interrupted', \
                 error = 'The document was not finished (the server was upgraded); ask for it again.' \
                 WHERE status IN ('queued', 'running')",
            )
            .await?;
        Ok(())
    }
}
