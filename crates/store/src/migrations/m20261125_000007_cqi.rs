//! The CQI loop: findings, actions with owners and due terms, and evidence files.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("cqi_findings")
                    .col(int("institution_id"))
                    .col(int_null("program_id"))
                    .col(int_null("course_id"))
                    .col(int_null("offering_id"))
                    .col(int_null("clo_id"))
                    .col(text("title"))
                    .col(text("description"))
                    .col(text("criticality"))
                    .col(text("source"))
                    .col(real_null("attainment"))
                    .col(real_null("target"))
                    .col(text("status"))
                    .col(int("raised_by"))
                    .col(time("raised_at"))
                    .foreign_key(&mut references("cqi_findings", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("cqi_findings", &["institution_id", "status"], false)).await?;
        manager
            .create_table(
                table("cqi_actions")
                    .col(int("institution_id"))
                    .col(int("finding_id"))
                    .col(text("description"))
                    .col(int("owner_id"))
                    .col(int("due_term_id"))
                    .col(text("status"))
                    .col(int_null("follow_up_offering_id"))
                    .col(text_null("effectiveness"))
                    .col(text_null("effectiveness_note"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("cqi_actions", "finding_id", "cqi_findings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("cqi_actions", &["institution_id", "finding_id"], false)).await?;
        manager.create_index(index("cqi_actions", &["institution_id", "owner_id", "status"], false)).await?;
        manager
            .create_table(
                table("cqi_evidence")
                    .col(int("institution_id"))
                    .col(int("action_id"))
                    .col(text("file_name"))
                    .col(text("content_type"))
                    .col(ColumnDef::new(name("bytes")).blob().not_null())
                    .col(int("uploaded_by"))
                    .col(time("uploaded_at"))
                    .foreign_key(&mut references("cqi_evidence", "action_id", "cqi_actions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("cqi_evidence", &["institution_id", "action_id"], false)).await?;
        Ok(())
    }
}
