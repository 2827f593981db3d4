//! Course content: an offering's modules, the items in them (pages, files, links), and each
//! student's completion of each item. A storage quota and a largest file per institution, for
//! when the operator sets them apart from the plan's.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["storage_quota_mb", "max_file_mb"] {
            manager
                .alter_table(Table::alter().table(name("institutions")).add_column(int_null(column)).to_owned())
                .await?;
        }
        manager
            .create_table(
                table("content_modules")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(text("title"))
                    .col(int("position"))
                    .col(boolean("published", false))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("content_modules", "institution_id", "institutions"))
                    .foreign_key(&mut references("content_modules", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("content_modules", &["institution_id", "offering_id"], false)).await?;

        manager
            .create_table(
                table("content_items")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("module_id"))
                    .col(int("position"))
                    // page, file or link.
                    .col(text("kind"))
                    .col(text("title"))
                    // A page's Markdown, a link's address, a file's description.
                    .col(text("body"))
                    .col(int_null("file_id"))
                    // WebVTT captions of a video or audio file.
                    .col(int_null("captions_file_id"))
                    .col(boolean("published", false))
                    // Release conditions: shown to students from this moment, and only once they
                    // have completed that item.
                    .col(time_null("available_from"))
                    .col(int_null("after_item_id"))
                    // view (opening it completes it) or done (the student marks it done).
                    .col(text("completion"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("content_items", "module_id", "content_modules"))
                    .foreign_key(&mut references("content_items", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("content_items", &["institution_id", "offering_id"], false)).await?;

        manager
            .create_table(
                table("content_completions")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("item_id"))
                    .col(int("user_id"))
                    .col(time_null("viewed_at"))
                    .col(time_null("done_at"))
                    .foreign_key(&mut references("content_completions", "item_id", "content_items"))
                    .foreign_key(&mut references("content_completions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("content_completions", &["item_id", "user_id"], true)).await?;
        manager.create_index(index("content_completions", &["institution_id", "offering_id"], false)).await
    }
}
