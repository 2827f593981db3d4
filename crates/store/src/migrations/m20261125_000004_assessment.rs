//! Assessment and marks: each offering's assessments (components with category and weightage)
//! and their items mapped to CLOs with a share; marks per student per item with their status,
//! every change kept; attainment policies as versioned JSON.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("assessments")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(text("name"))
                    .col(text("category"))
                    .col(real("weight"))
                    .col(int("position"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("assessments", "offering_id", "offerings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("assessments", &["institution_id", "offering_id"], false)).await?;
        manager
            .create_table(
                table("assessment_items")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("assessment_id"))
                    .col(text("label"))
                    .col(real("max_marks"))
                    .col(int("position"))
                    .foreign_key(&mut references("assessment_items", "assessment_id", "assessments"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("assessment_items", &["institution_id", "offering_id"], false)).await?;
        manager
            .create_table(
                table("item_clo_maps")
                    .col(int("institution_id"))
                    .col(int("item_id"))
                    .col(int("clo_id"))
                    .col(real("share"))
                    .foreign_key(&mut references("item_clo_maps", "item_id", "assessment_items"))
                    .foreign_key(&mut references("item_clo_maps", "clo_id", "clos"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("item_clo_maps", &["item_id", "clo_id"], true)).await?;
        manager.create_index(index("item_clo_maps", &["institution_id", "clo_id"], false)).await?;
        manager
            .create_table(
                table("marks")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("item_id"))
                    .col(int("user_id"))
                    .col(real_null("score"))
                    .col(text("status"))
                    .col(int("updated_by"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("marks", "item_id", "assessment_items"))
                    .foreign_key(&mut references("marks", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("marks", &["item_id", "user_id"], true)).await?;
        manager.create_index(index("marks", &["institution_id", "offering_id"], false)).await?;
        manager
            .create_table(
                table("mark_changes")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("item_id"))
                    .col(int("user_id"))
                    .col(text_null("old_value"))
                    .col(text_null("new_value"))
                    .col(int("changed_by"))
                    .col(text("source"))
                    .col(time("changed_at"))
                    .foreign_key(&mut references("mark_changes", "item_id", "assessment_items"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("mark_changes", &["institution_id", "offering_id", "item_id", "user_id"], false))
            .await?;
        manager
            .create_table(
                table("attainment_policies")
                    .col(int("institution_id"))
                    .col(int_null("program_id"))
                    .col(int("version"))
                    .col(text("policy"))
                    .col(int_null("effective_term_id"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("attainment_policies", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("attainment_policies", &["institution_id", "program_id", "version"], true)).await?;
        Ok(())
    }
}
