//! Rubrics (criteria × levels, reusable across offerings) and items scored by a rubric criterion.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("rubrics")
                    .col(int("institution_id"))
                    .col(text("name"))
                    .col(text("criteria"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("rubrics", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("rubrics", &["institution_id", "name"], true)).await?;
        for column in ["rubric_id", "rubric_criterion"] {
            manager
                .alter_table(Table::alter().table(name("assessment_items")).add_column(int_null(column)).to_owned())
                .await?;
        }
        Ok(())
    }
}
