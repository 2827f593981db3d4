//! Institution logos (printed on every document) and document jobs: reports typeset in the
//! background, with their progress and, once done, the file.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("institution_logos")
                    .col(int("institution_id"))
                    .col(text("content_type"))
                    .col(ColumnDef::new(name("bytes")).blob().not_null())
                    .col(int("updated_by"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("institution_logos", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("institution_logos", &["institution_id"], true)).await?;
        manager
            .create_table(
                table("document_jobs")
                    .col(int("institution_id"))
                    .col(int("requested_by"))
                    .col(text("kind"))
                    .col(int("subject_id"))
                    .col(text("title"))
                    .col(text("status"))
                    .col(int("progress"))
                    .col(text("stage"))
                    .col(text_null("error"))
                    .col(text_null("file_name"))
                    .col(bytes_null("bytes"))
                    .col(time("created_at"))
                    .col(time_null("finished_at"))
                    .foreign_key(&mut references("document_jobs", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("document_jobs", &["institution_id", "requested_by"], false)).await?;
        Ok(())
    }
}
