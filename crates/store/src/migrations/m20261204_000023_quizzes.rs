//! Online quizzes: a course's question bank (each question's type and answer key as JSON, its
//! category, tags and CLO), an offering's quizzes (an assessment of its plan) made of sections
//! that each give a fixed or randomly drawn question to an assessment item, students' extra
//! time, and every attempt with its drawn layout and its answers as saved.

use sea_orm_migration::prelude::*;

use super::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table("questions")
                    .col(int("institution_id"))
                    .col(int("course_id"))
                    .col(text("category"))
                    // Comma-separated.
                    .col(text("tags"))
                    .col(int_null("clo_id"))
                    .col(text("kind"))
                    // Markdown.
                    .col(text("prompt"))
                    // The type's options and answer key: JSON of `qobe_domain::quizzes::Body`.
                    .col(text("body"))
                    .col(real("points"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .col(time("updated_at"))
                    .foreign_key(&mut references("questions", "institution_id", "institutions"))
                    .foreign_key(&mut references("questions", "course_id", "courses"))
                    .foreign_key(&mut references("questions", "clo_id", "clos"))
                    .foreign_key(&mut references("questions", "created_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("questions", &["institution_id", "course_id", "category"], false)).await?;
        manager
            .create_table(
                table("quizzes")
                    .col(int("institution_id"))
                    .col(int("offering_id"))
                    .col(int("assessment_id"))
                    .col(text("title"))
                    .col(text("instructions"))
                    .col(time_null("opens_at"))
                    .col(time_null("closes_at"))
                    .col(int_null("time_limit_minutes"))
                    .col(int("attempts_allowed"))
                    .col(boolean("shuffle", true))
                    .col(boolean("published", false))
                    // The sections: JSON list of `qobe_domain::quizzes::Section`.
                    .col(text("sections"))
                    .col(int("created_by"))
                    .col(time("created_at"))
                    .foreign_key(&mut references("quizzes", "institution_id", "institutions"))
                    .foreign_key(&mut references("quizzes", "offering_id", "offerings"))
                    .foreign_key(&mut references("quizzes", "assessment_id", "assessments"))
                    .foreign_key(&mut references("quizzes", "created_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("quizzes", &["assessment_id"], true)).await?;
        manager.create_index(index("quizzes", &["institution_id", "offering_id"], false)).await?;
        manager
            .create_table(
                table("quiz_accommodations")
                    .col(int("institution_id"))
                    .col(int("quiz_id"))
                    .col(int("user_id"))
                    .col(real("extra_percent"))
                    .col(int("granted_by"))
                    .col(time("granted_at"))
                    .foreign_key(&mut references("quiz_accommodations", "quiz_id", "quizzes"))
                    .foreign_key(&mut references("quiz_accommodations", "user_id", "users"))
                    .foreign_key(&mut references("quiz_accommodations", "granted_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("quiz_accommodations", &["quiz_id", "user_id"], true)).await?;
        manager
            .create_table(
                table("quiz_attempts")
                    .col(int("institution_id"))
                    .col(int("quiz_id"))
                    .col(int("user_id"))
                    .col(int("number"))
                    .col(time("started_at"))
                    // The time limit or the close, whichever is first; none: no limit.
                    .col(time_null("deadline_at"))
                    .col(time_null("finished_at"))
                    // `student` (handed in) or `time` (closed at its deadline).
                    .col(text("finished_how"))
                    // The drawn questions: JSON list of `qobe_domain::quizzes::Slot`.
                    .col(text("layout"))
                    .col(real_null("score"))
                    .col(real("possible"))
                    .foreign_key(&mut references("quiz_attempts", "quiz_id", "quizzes"))
                    .foreign_key(&mut references("quiz_attempts", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("quiz_attempts", &["quiz_id", "user_id", "number"], true)).await?;
        manager.create_index(index("quiz_attempts", &["institution_id", "finished_at", "deadline_at"], false)).await?;
        manager
            .create_table(
                table("quiz_answers")
                    .col(int("institution_id"))
                    .col(int("attempt_id"))
                    // The question's place in the attempt's layout, from 0.
                    .col(int("slot"))
                    .col(int("question_id"))
                    // JSON of `qobe_domain::quizzes::Response`.
                    .col(text("response"))
                    .col(time("saved_at"))
                    .col(real_null("points"))
                    // Set when a person scored it (an essay).
                    .col(int_null("scored_by"))
                    .col(text("comment"))
                    .foreign_key(&mut references("quiz_answers", "attempt_id", "quiz_attempts"))
                    .foreign_key(&mut references("quiz_answers", "question_id", "questions"))
                    .foreign_key(&mut references("quiz_answers", "scored_by", "users"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("quiz_answers", &["attempt_id", "slot"], true)).await?;
        manager.create_index(index("quiz_answers", &["institution_id", "question_id"], false)).await
    }
}
