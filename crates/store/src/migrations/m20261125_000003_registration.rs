//! Course registration: enrollments (with waitlist order and final grades) and holds.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("enrollments")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("user_id"))
                    .col(int("term_id"))
                    .col(int("course_id"))
                    .col(text("status"))
                    .col(int_null("waitlist_position"))
                    .col(ColumnDef::new(name("credits")).double().not_null())
                    .col(text_null("grade"))
                    .col(text_null("note"))
                    .col(int_null("decided_by"))
                    .col(time("requested_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("enrollments", "offering_id", "offerings"))
                    .foreign_key(&mut references("enrollments", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("enrollments", &["institution_id", "offering_id", "user_id"], true)).await?;
        manager.create_index(index("enrollments", &["institution_id", "user_id", "term_id"], false)).await?;
        manager.create_index(index("enrollments", &["institution_id", "offering_id", "status"], false)).await?;

        manager
            .create_table(
                table("holds")
                    .col(int("institution_id"))
                    .col(int("user_id"))
                    .col(text("reason"))
                    .col(boolean("active", true))
                    .col(int_null("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("holds", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("holds", &["institution_id", "user_id"], false)).await?;
        Ok(())
    }
}
