//! OneRoster records as they arrived: each imported row (credentials left out), by file and
//! sourcedId, with the QOBE record made from it. An export writes a record's own sourcedId and
//! the fields QOBE has no column for from here, so a roster goes out as it came in.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("roster_records")
                    .col(int("institution_id"))
                    .col(text("file"))
                    .col(text("sourced_id"))
                    // What it became in QOBE (`department`, `term`, `course`, `offering`, `user`,
                    // `registration`, `teaching`, `institution`), if anything.
                    .col(text_null("entity"))
                    .col(int_null("entity_id"))
                    .col(text("record"))
                    .col(time("imported_at"))
                    .foreign_key(&mut references("roster_records", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("roster_records", &["institution_id", "file", "sourced_id"], true)).await?;
        manager.create_index(index("roster_records", &["institution_id", "entity", "entity_id"], false)).await?;
        Ok(())
    }
}
