//! Results submitted with blank marks say why: the instructor's reason, shown to the approver.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(name("offering_results")).add_column(text_null("blanks_reason")).to_owned(),
            )
            .await
    }
}
