//! Assignments: an assessment of an offering's plan that students hand in, with its deadline
//! and late policy; each student's extensions, every version of their submissions with its
//! files, and the grading that put marks on the assessment's items.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("assignments")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("assessment_id"))
                    .col(text("title"))
                    // Markdown.
                    .col(text("instructions"))
                    .col(boolean("accepts_text", true))
                    .col(boolean("accepts_files", true))
                    // Allowed file extensions, comma-separated; empty: any.
                    .col(text("file_types"))
                    .col(int("max_file_mb"))
                    .col(time("due_at"))
                    .col(time_null("cutoff_at"))
                    .col(real("late_percent"))
                    // `day` or `hour`.
                    .col(text("late_unit"))
                    .col(boolean("anonymous", false))
                    .col(boolean("published", false))
                    // Marks and feedback shown to students (and names to graders) from then.
                    .col(time_null("released_at"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("assignments", "institution_id", "institutions"))
                    .foreign_key(&mut references("assignments", "offering_id", "offerings"))
                    .foreign_key(&mut references("assignments", "assessment_id", "assessments"))
                    .foreign_key(&mut references("assignments", "created_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("assignments", &["assessment_id"], true)).await?;
        manager.create_index(index("assignments", &["institution_id", "offering_id"], false)).await?;
        manager
            .create_table(
                table("assignment_extensions")
                    .col(int("institution_id"))
                    .col(int("assignment_id"))
                    .col(int("user_id"))
                    .col(time("due_at"))
                    .col(text("reason"))
                    .col(int("granted_by"))
                    .col(time("granted_at"))
                    .foreign_key(&mut references("assignment_extensions", "assignment_id", "assignments"))
                    .foreign_key(&mut references("assignment_extensions", "user_id", "users"))
                    .foreign_key(&mut references("assignment_extensions", "granted_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("assignment_extensions", &["assignment_id", "user_id"], true)).await?;
        manager
            .create_table(
                table("submissions")
                    .col(int("institution_id"))
                    .col(int("assignment_id"))
                    .col(int("user_id"))
                    // 1, 2, … : every version is kept.
                    .col(int("version"))
                    .col(text("body"))
                    .col(time("submitted_at"))
                    // Units late against the student's deadline when it came (0: on time).
                    .col(int("units_late"))
                    .foreign_key(&mut references("submissions", "assignment_id", "assignments"))
                    .foreign_key(&mut references("submissions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("submissions", &["assignment_id", "user_id", "version"], true)).await?;
        manager.create_index(index("submissions", &["institution_id", "user_id"], false)).await?;
        manager
            .create_table(
                table("submission_files")
                    .col(int("institution_id"))
                    .col(int("submission_id"))
                    .col(int("file_id"))
                    .foreign_key(&mut references("submission_files", "submission_id", "submissions"))
                    .foreign_key(&mut references("submission_files", "file_id", "files"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("submission_files", &["submission_id"], false)).await?;
        manager
            .create_table(
                table("assignment_grades")
                    .col(int("institution_id"))
                    .col(int("assignment_id"))
                    .col(int("user_id"))
                    // The marks as the grader gave them, before any late penalty: JSON {item: value}.
                    .col(text("given"))
                    // Share of the marks taken off for lateness (0–1) when graded.
                    .col(real("penalty"))
                    // Markdown.
                    .col(text("feedback"))
                    .col(int("graded_by"))
                    .col(time("graded_at"))
                    .foreign_key(&mut references("assignment_grades", "assignment_id", "assignments"))
                    .foreign_key(&mut references("assignment_grades", "user_id", "users"))
                    .foreign_key(&mut references("assignment_grades", "graded_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("assignment_grades", &["assignment_id", "user_id"], true)).await
    }
}
