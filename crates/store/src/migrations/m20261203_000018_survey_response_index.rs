//! A survey's responses are found by institution and survey together, so counting them reads
//! the index alone. The responses table keeps its rows in random order and each row is large
//! (every answer as JSON): looking every row up to check its institution made counting 10,000
//! responses take about 100 ms on SQLite.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("survey_responses", &["institution_id", "survey_id"], false)).await?;
        manager
            .drop_index(Index::drop().name("ix_survey_responses_survey_id").table(name("survey_responses")).to_owned())
            .await
    }
}
