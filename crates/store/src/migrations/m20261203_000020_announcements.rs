//! Announcements: an offering's (to its class) or the institution's (to everyone in it), and
//! who has read which, for the "new" marks and counts.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("announcements")
                    .col(int("institution_id"))
                    // None: to the whole institution.
                    .col(int_null("offering_id"))
                    .col(text("title"))
                    // Markdown.
                    .col(text("body"))
                    .col(int("posted_by"))
                    .col(time("posted_at"))
                    .foreign_key(&mut references("announcements", "institution_id", "institutions"))
                    .foreign_key(&mut references("announcements", "offering_id", "offerings"))
                    .foreign_key(&mut references("announcements", "posted_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("announcements", &["institution_id", "offering_id", "posted_at"], false)).await?;
        manager
            .create_table(
                table("announcement_reads")
                    .col(int("institution_id"))
                    .col(int("announcement_id"))
                    .col(int("user_id"))
                    .col(time("read_at"))
                    .foreign_key(&mut references("announcement_reads", "announcement_id", "announcements"))
                    .foreign_key(&mut references("announcement_reads", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("announcement_reads", &["announcement_id", "user_id"], true)).await?;
        manager.create_index(index("announcement_reads", &["institution_id", "user_id"], false)).await
    }
}
