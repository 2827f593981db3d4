//! Results: grading schemes, each offering's result workflow with its frozen grade lines, the
//! attainment snapshot taken at approval, and change requests after lock.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("grading_schemes")
                    .col(int("institution_id"))
                    .col(text("name"))
                    .col(text("bands"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("grading_schemes", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("grading_schemes", &["institution_id"], false)).await?;
        manager
            .create_table(
                table("offering_results")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(text("status"))
                    .col(text("scheme"))
                    .col(int_null("submitted_by"))
                    .col(time_null("submitted_at"))
                    .col(int_null("approved_by"))
                    .col(time_null("approved_at"))
                    .col(time_null("published_at"))
                    .col(time_null("locked_at"))
                    .col(text_null("note"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("offering_results", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("offering_results", &["offering_id"], true)).await?;
        manager.create_index(index("offering_results", &["institution_id", "status"], false)).await?;
        manager
            .create_table(
                table("result_lines")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("user_id"))
                    .col(real_null("percent"))
                    .col(text("letter"))
                    .col(real_null("points"))
                    .foreign_key(&mut references("result_lines", "offering_id", "offerings"))
                    .foreign_key(&mut references("result_lines", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("result_lines", &["offering_id", "user_id"], true)).await?;
        manager.create_index(index("result_lines", &["institution_id", "user_id"], false)).await?;
        manager
            .create_table(
                table("attainment_snapshots")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(text("policy"))
                    .col(text("data"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("attainment_snapshots", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("attainment_snapshots", &["institution_id", "offering_id"], false)).await?;
        manager
            .create_table(
                table("result_change_requests")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("user_id"))
                    .col(text("from_letter"))
                    .col(text("to_letter"))
                    .col(text("reason"))
                    .col(int("requested_by"))
                    .col(time("requested_at"))
                    .col(text("status"))
                    .col(int_null("decided_by"))
                    .col(time_null("decided_at"))
                    .foreign_key(&mut references("result_change_requests", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("result_change_requests", &["institution_id", "status"], false)).await?;
        Ok(())
    }
}
