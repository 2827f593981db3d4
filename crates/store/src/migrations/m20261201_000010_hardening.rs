//! Hardening: attempts counted per key (sign-in per address and network, password re-checks,
//! reset and sign-up requests) for rate limits that work across instances; a two-factor secret
//! being set up kept apart from the one in use; the last TOTP step accepted, so a code works once.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("attempts")
                    .col(text("kind"))
                    // SHA-256 of the key (an address, an account, a network): no email or IP kept here.
                    .col(text("key_hash"))
                    .col(time("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("attempts", &["kind", "key_hash", "created_at"], false)).await?;
        manager.create_index(index("attempts", &["created_at"], false)).await?;
        for column in [text_null("totp_pending_secret"), int_null("totp_last_step")] {
            manager.alter_table(Table::alter().table(name("users")).add_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
