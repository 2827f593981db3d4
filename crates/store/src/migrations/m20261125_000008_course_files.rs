//! The narrative parts of an offering's course file (reflections, proposed improvements); the
//! rest of the file is drawn from the plan, marks, results and CQI records.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("course_files")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(text("reflections"))
                    .col(text("improvements"))
                    .col(int("updated_by"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("course_files", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("course_files", &["offering_id"], true)).await?;
        Ok(())
    }
}
