//! The one migration history, run unchanged on SQLite and PostgreSQL.
//!
//! A migration that has shipped is never edited: changes come as a new migration.

use sea_orm_migration::prelude::*;

mod m20261124_000001_platform;
mod m20261125_000002_academics;
mod m20261125_000003_registration;
mod m20261125_000004_assessment;
mod m20261125_000005_results;
mod m20261125_000006_rubrics;
mod m20261125_000007_cqi;
mod m20261125_000008_course_files;
mod m20261125_000009_documents;
mod m20261201_000010_hardening;
mod m20261201_000011_roster_records;
mod m20261201_000012_results_completeness;
mod m20261201_000013_name_order;
mod m20261201_000014_jobs;
mod m20261202_000015_files;
mod m20261202_000016_program_standings;
mod m20261202_000017_surveys;
mod m20261203_000018_survey_response_index;
mod m20261203_000019_course_content;
mod m20261203_000020_announcements;
mod m20261203_000021_forums_and_messages;
mod m20261203_000022_assignments;
mod m20261204_000023_quizzes;
mod schema;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_platform::Migration),
            Box::new(m20261125_000002_academics::Migration),
            Box::new(m20261125_000003_registration::Migration),
            Box::new(m20261125_000004_assessment::Migration),
            Box::new(m20261125_000005_results::Migration),
            Box::new(m20261125_000006_rubrics::Migration),
            Box::new(m20261125_000007_cqi::Migration),
            Box::new(m20261125_000008_course_files::Migration),
            Box::new(m20261125_000009_documents::Migration),
            Box::new(m20261201_000010_hardening::Migration),
            Box::new(m20261201_000011_roster_records::Migration),
            Box::new(m20261201_000012_results_completeness::Migration),
            Box::new(m20261201_000013_name_order::Migration),
            Box::new(m20261201_000014_jobs::Migration),
            Box::new(m20261202_000015_files::Migration),
            Box::new(m20261202_000016_program_standings::Migration),
            Box::new(m20261202_000017_surveys::Migration),
            Box::new(m20261203_000018_survey_response_index::Migration),
            Box::new(m20261203_000019_course_content::Migration),
            Box::new(m20261203_000020_announcements::Migration),
            Box::new(m20261203_000021_forums_and_messages::Migration),
            Box::new(m20261203_000022_assignments::Migration),
            Box::new(m20261204_000023_quizzes::Migration),
        ]
    }
}
