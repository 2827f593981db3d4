//! Each program's standing against its PLO targets, as last computed in the background: what
//! home pages show without recomputing a program's attainment on every visit.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("program_standings")
                    .col(int("institution_id"))
                    .col(int("program_id"))
                    // PLOs in force, those with evidence, and of these the ones met and short.
                    .col(int("plos"))
                    .col(int("plos_assessed"))
                    .col(int("plos_met"))
                    .col(int("plos_short"))
                    // The codes of the PLOs below target, comma-separated, in PLO order.
                    .col(text("short_codes"))
                    .col(int("students"))
                    .col(time("computed_at"))
                    .foreign_key(&mut references("program_standings", "institution_id", "institutions"))
                    .foreign_key(&mut references("program_standings", "program_id", "programs"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("program_standings", &["institution_id", "program_id"], true)).await
    }
}
