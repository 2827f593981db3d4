//! Academic structure and the outcome model: faculties, terms, courses with prerequisites,
//! curriculum versions, cohorts, students, course offerings with instructors, PEOs, PLOs, CLOs
//! (versioned by effective term) and their mappings, and the curriculum map.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn real(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).double().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("faculties")
                    .col(int("institution_id"))
                    .col(text("code"))
                    .col(text("name"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("faculties", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("faculties", &["institution_id", "code"], true)).await?;
        manager
            .alter_table(Table::alter().table(name("departments")).add_column(int_null("faculty_id")).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(name("programs")).add_column(text_null("award")).to_owned()).await?;

        // Terms: dates and the windows that govern registration, marks and results.
        manager
            .create_table(
                table("terms")
                    .col(int("institution_id"))
                    .col(text("code"))
                    .col(text("name"))
                    .col(time("starts_at"))
                    .col(time("ends_at"))
                    .col(time("registration_opens_at"))
                    .col(time("registration_closes_at"))
                    .col(time("add_drop_closes_at"))
                    .col(time("withdrawal_closes_at"))
                    .col(time("marks_entry_closes_at"))
                    .col(time("results_published_at"))
                    .col(real("min_credits"))
                    .col(real("max_credits"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("terms", "institution_id", "institutions"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("terms", &["institution_id", "code"], true)).await?;
        manager.create_index(index("terms", &["institution_id", "starts_at"], false)).await?;

        manager
            .create_table(
                table("courses")
                    .col(int("institution_id"))
                    .col(int("department_id"))
                    .col(text("code"))
                    .col(text("title"))
                    .col(real("credits_theory"))
                    .col(real("credits_lab"))
                    .col(text("category"))
                    .col(text_null("description"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("courses", "institution_id", "institutions"))
                    .foreign_key(&mut references("courses", "department_id", "departments"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("courses", &["institution_id", "code"], true)).await?;

        manager
            .create_table(
                table("prerequisites")
                    .col(int("institution_id"))
                    .col(int("course_id"))
                    .col(int("required_course_id"))
                    .col(text("min_grade"))
                    .foreign_key(&mut references("prerequisites", "course_id", "courses"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("prerequisites", &["institution_id", "course_id", "required_course_id"], true))
            .await?;

        manager
            .create_table(
                table("curriculum_versions")
                    .col(int("institution_id"))
                    .col(int("program_id"))
                    .col(text("name"))
                    .col(int("catalog_year"))
                    .col(int("effective_term_id"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("curriculum_versions", "program_id", "programs"))
                    .foreign_key(&mut references("curriculum_versions", "effective_term_id", "terms"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("curriculum_versions", &["institution_id", "program_id", "catalog_year"], true))
            .await?;

        manager
            .create_table(
                table("curriculum_courses")
                    .col(int("institution_id"))
                    .col(int("curriculum_version_id"))
                    .col(int("course_id"))
                    .col(int("semester"))
                    .col(text("category"))
                    .foreign_key(&mut references("curriculum_courses", "curriculum_version_id", "curriculum_versions"))
                    .foreign_key(&mut references("curriculum_courses", "course_id", "courses"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("curriculum_courses", &["institution_id", "curriculum_version_id", "course_id"], true))
            .await?;

        manager
            .create_table(
                table("cohorts")
                    .col(int("institution_id"))
                    .col(int("program_id"))
                    .col(int("intake_term_id"))
                    .col(int_null("curriculum_version_id"))
                    .col(text("name"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("cohorts", "program_id", "programs"))
                    .foreign_key(&mut references("cohorts", "intake_term_id", "terms"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("cohorts", &["institution_id", "program_id", "intake_term_id"], true)).await?;

        // A student's academic record: program, cohort and registration number.
        manager
            .create_table(
                table("students")
                    .col(int("institution_id"))
                    .col(int("user_id"))
                    .col(int("program_id"))
                    .col(int_null("cohort_id"))
                    .col(text("registration_no"))
                    .col(text("status"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("students", "user_id", "users"))
                    .foreign_key(&mut references("students", "program_id", "programs"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("students", &["institution_id", "user_id"], true)).await?;
        manager.create_index(index("students", &["institution_id", "registration_no"], true)).await?;

        manager
            .create_table(
                table("offerings")
                    .col(int("institution_id"))
                    .col(int("course_id"))
                    .col(int("term_id"))
                    .col(text("section"))
                    .col(int("capacity"))
                    .col(text_null("room"))
                    .col(boolean("online", false))
                    .col(text("schedule"))
                    .col(boolean("requires_approval", false))
                    .col(time("created_at"))
                    .foreign_key(&mut references("offerings", "course_id", "courses"))
                    .foreign_key(&mut references("offerings", "term_id", "terms"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("offerings", &["institution_id", "term_id", "course_id", "section"], true)).await?;

        manager
            .create_table(
                table("offering_instructors")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("user_id"))
                    .foreign_key(&mut references("offering_instructors", "offering_id", "offerings"))
                    .foreign_key(&mut references("offering_instructors", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("offering_instructors", &["institution_id", "offering_id", "user_id"], true))
            .await?;

        // Outcomes. `lineage_id` ties the versions of one outcome together; a version applies
        // from `effective_term_id` until the next version's term.
        for (outcome_table, parent) in [("peos", "program_id"), ("plos", "program_id"), ("clos", "course_id")] {
            let mut statement = table(outcome_table)
                .col(int("institution_id"))
                .col(int(parent))
                .col(int("lineage_id"))
                .col(int("version"))
                .col(int_null("effective_term_id"))
                .col(text("code"))
                .col(text("title"))
                .col(text("text"))
                .col(boolean("retired", false))
                .col(time("created_at"))
                .to_owned();
            if outcome_table == "plos" {
                statement.col(text_null("framework_key")).col(text_null("framework_code"));
            }
            if outcome_table == "clos" {
                statement.col(text("taxonomy_level"));
            }
            manager.create_table(statement).await?;
            manager.create_index(index(outcome_table, &["institution_id", parent, "code", "version"], true)).await?;
            manager.create_index(index(outcome_table, &["institution_id", "lineage_id"], false)).await?;
        }

        manager
            .create_table(
                table("clo_plo_maps")
                    .col(int("institution_id"))
                    .col(int("clo_id"))
                    .col(int("plo_id"))
                    .col(int("strength"))
                    .col(real("weight"))
                    .foreign_key(&mut references("clo_plo_maps", "clo_id", "clos"))
                    .foreign_key(&mut references("clo_plo_maps", "plo_id", "plos"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("clo_plo_maps", &["institution_id", "clo_id", "plo_id"], true)).await?;

        manager
            .create_table(
                table("plo_peo_maps")
                    .col(int("institution_id"))
                    .col(int("plo_id"))
                    .col(int("peo_id"))
                    .foreign_key(&mut references("plo_peo_maps", "plo_id", "plos"))
                    .foreign_key(&mut references("plo_peo_maps", "peo_id", "peos"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("plo_peo_maps", &["institution_id", "plo_id", "peo_id"], true)).await?;

        manager
            .create_table(
                table("curriculum_map")
                    .col(int("institution_id"))
                    .col(int("curriculum_version_id"))
                    .col(int("course_id"))
                    .col(int("plo_lineage_id"))
                    .col(text("level"))
                    .foreign_key(&mut references("curriculum_map", "curriculum_version_id", "curriculum_versions"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "curriculum_map",
                &["institution_id", "curriculum_version_id", "course_id", "plo_lineage_id"],
                true,
            ))
            .await?;
        Ok(())
    }
}
