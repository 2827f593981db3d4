//! Surveys: the form and its audience, the outcomes its rated questions give evidence for, who
//! is asked (participation), and what was answered (responses). See ADR 0009: participation and
//! responses are apart, and an anonymous response row holds the survey and the answers only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Results of an anonymous survey stay hidden until it has this many responses.
        manager
            .alter_table(
                Table::alter()
                    .table(name("institutions"))
                    .add_column(ColumnDef::new(name("survey_min_responses")).big_integer().not_null().default(5))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                table("surveys")
                    .col(int("institution_id"))
                    .col(text("title"))
                    .col(text("description"))
                    // course_exit, graduating, alumni, employer or general.
                    .col(text("purpose"))
                    .col(int_null("offering_id"))
                    .col(int_null("program_id"))
                    .col(boolean("anonymous", true))
                    // The form (qobe_domain::surveys::SurveyForm) as JSON.
                    .col(text("form"))
                    // draft, open or closed.
                    .col(text("status"))
                    .col(time_null("opens_at"))
                    .col(time_null("closes_at"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("surveys", "institution_id", "institutions"))
                    .foreign_key(&mut references("surveys", "offering_id", "offerings"))
                    .foreign_key(&mut references("surveys", "program_id", "programs"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("surveys", &["institution_id", "status"], false)).await?;

        manager
            .create_table(
                table("survey_outcome_maps")
                    .col(int("institution_id"))
                    .col(int("survey_id"))
                    .col(text("question_key"))
                    // A grid's row (from 0); -1 for a rating scale.
                    .col(int("row_index"))
                    // clo, plo or peo, and which one.
                    .col(text("outcome_kind"))
                    .col(int("outcome_id"))
                    .foreign_key(&mut references("survey_outcome_maps", "survey_id", "surveys"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "survey_outcome_maps",
                &["survey_id", "question_key", "row_index", "outcome_kind", "outcome_id"],
                true,
            ))
            .await?;

        manager
            .create_table(
                table("survey_participants")
                    .col(int("institution_id"))
                    .col(int("survey_id"))
                    // A person with an account, or an external respondent by email and token.
                    .col(int_null("user_id"))
                    .col(text_null("email"))
                    .col(text_null("token_hash"))
                    .col(time_null("invited_at"))
                    .col(time_null("reminded_at"))
                    .col(boolean("answered", false))
                    // Answers saved to resume later (JSON), dropped on submitting.
                    .col(text_null("draft"))
                    .foreign_key(&mut references("survey_participants", "survey_id", "surveys"))
                    .foreign_key(&mut references("survey_participants", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("survey_participants", &["survey_id", "user_id"], true)).await?;
        manager.create_index(index("survey_participants", &["token_hash"], true)).await?;

        // A random text id (not a sequence) and, on SQLite, no rowid either: the rows' order
        // says nothing about the order they were written in.
        let mut responses = Table::create()
            .table(name("survey_responses"))
            .if_not_exists()
            .col(ColumnDef::new(name("id")).string_len(32).not_null().primary_key())
            .col(int("institution_id"))
            .col(int("survey_id"))
            // The answers (qobe_domain::surveys::Answers) as JSON.
            .col(text("answers"))
            // Named surveys only: who answered and when. Null on an anonymous survey.
            .col(int_null("respondent_id"))
            .col(time_null("submitted_at"))
            .foreign_key(&mut references("survey_responses", "survey_id", "surveys"))
            .foreign_key(&mut references("survey_responses", "respondent_id", "users"))
            .to_owned();
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            responses.extra("WITHOUT ROWID");
        }
        manager.create_table(responses).await?;
        manager.create_index(index("survey_responses", &["survey_id"], false)).await
    }
}
