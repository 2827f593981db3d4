//! Quizzes: a course's question bank, an offering's quizzes with their sections, students'
//! extra time, attempts and their answers.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CourseId, InstitutionId, OfferingId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{question, quiz, quiz_accommodation, quiz_answer, quiz_attempt};
use crate::{Conn, StoreError};

pub use question::Model as Question;
pub use quiz::Model as Quiz;
pub use quiz_accommodation::Model as Accommodation;
pub use quiz_answer::Model as Answer;
pub use quiz_attempt::Model as Attempt;

/// A question as written.
#[derive(Debug, Clone)]
pub struct QuestionFields {
    pub category: String,
    pub tags: String,
    pub clo: Option<i64>,
    pub kind: String,
    pub prompt: String,
    pub body: String,
    pub points: f64,
}

pub async fn insert_question(
    conn: &impl Conn,
    institution: InstitutionId,
    course: CourseId,
    fields: &QuestionFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Question, StoreError> {
    let f = fields.clone();
    let row = question::ActiveModel {
        institution_id: Set(institution.0),
        course_id: Set(course.0),
        category: Set(f.category),
        tags: Set(f.tags),
        clo_id: Set(f.clo),
        kind: Set(f.kind),
        prompt: Set(f.prompt),
        body: Set(f.body),
        points: Set(f.points),
        created_by: Set(by.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(question::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn update_question(
    conn: &impl Conn,
    institution: InstitutionId,
    id: i64,
    fields: &QuestionFields,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use question::Column as C;
    let f = fields.clone();
    question::Entity::update_many()
        .col_expr(C::Category, Expr::value(f.category))
        .col_expr(C::Tags, Expr::value(f.tags))
        .col_expr(C::CloId, Expr::value(f.clo))
        .col_expr(C::Kind, Expr::value(f.kind))
        .col_expr(C::Prompt, Expr::value(f.prompt))
        .col_expr(C::Body, Expr::value(f.body))
        .col_expr(C::Points, Expr::value(f.points))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn question(conn: &impl Conn, institution: InstitutionId, id: i64) -> Result<Option<Question>, StoreError> {
    use question::Column as C;
    Ok(question::Entity::find_by_id(id).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// A course's bank, by category then as written.
pub async fn bank(conn: &impl Conn, institution: InstitutionId, course: CourseId) -> Result<Vec<Question>, StoreError> {
    use question::Column as C;
    Ok(question::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::CourseId.eq(course.0))
        .order_by_asc(C::Category)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

/// A quiz's settings as written.
#[derive(Debug, Clone)]
pub struct QuizFields {
    pub title: String,
    pub instructions: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: i64,
    pub shuffle: bool,
    pub published: bool,
    pub sections: String,
}

pub async fn insert_quiz(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    assessment: i64,
    fields: &QuizFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Quiz, StoreError> {
    let f = fields.clone();
    let row = quiz::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        assessment_id: Set(assessment),
        title: Set(f.title),
        instructions: Set(f.instructions),
        opens_at: Set(f.opens_at),
        closes_at: Set(f.closes_at),
        time_limit_minutes: Set(f.time_limit_minutes),
        attempts_allowed: Set(f.attempts_allowed),
        shuffle: Set(f.shuffle),
        published: Set(f.published),
        sections: Set(f.sections),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(quiz::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn update_quiz(
    conn: &impl Conn,
    institution: InstitutionId,
    id: i64,
    fields: &QuizFields,
) -> Result<(), StoreError> {
    use quiz::Column as C;
    let f = fields.clone();
    quiz::Entity::update_many()
        .col_expr(C::Title, Expr::value(f.title))
        .col_expr(C::Instructions, Expr::value(f.instructions))
        .col_expr(C::OpensAt, Expr::value(f.opens_at))
        .col_expr(C::ClosesAt, Expr::value(f.closes_at))
        .col_expr(C::TimeLimitMinutes, Expr::value(f.time_limit_minutes))
        .col_expr(C::AttemptsAllowed, Expr::value(f.attempts_allowed))
        .col_expr(C::Shuffle, Expr::value(f.shuffle))
        .col_expr(C::Published, Expr::value(f.published))
        .col_expr(C::Sections, Expr::value(f.sections))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn quiz(conn: &impl Conn, institution: InstitutionId, id: i64) -> Result<Option<Quiz>, StoreError> {
    use quiz::Column as C;
    Ok(quiz::Entity::find_by_id(id).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// An offering's quizzes, the soonest to close first.
pub async fn of_offering(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<Quiz>, StoreError> {
    use quiz::Column as C;
    Ok(quiz::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .order_by_asc(C::ClosesAt)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

/// Sets (or, at 0 %, keeps at none) a student's extra time.
pub async fn accommodate(
    conn: &impl Conn,
    institution: InstitutionId,
    quiz: i64,
    user: UserId,
    extra_percent: f64,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use quiz_accommodation::Column as C;
    let row = quiz_accommodation::ActiveModel {
        institution_id: Set(institution.0),
        quiz_id: Set(quiz),
        user_id: Set(user.0),
        extra_percent: Set(extra_percent),
        granted_by: Set(by.0),
        granted_at: Set(now),
        ..Default::default()
    };
    quiz_accommodation::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::QuizId, C::UserId])
                .update_columns([C::ExtraPercent, C::GrantedBy, C::GrantedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn accommodations(
    conn: &impl Conn,
    institution: InstitutionId,
    quiz: i64,
) -> Result<Vec<Accommodation>, StoreError> {
    use quiz_accommodation::Column as C;
    Ok(quiz_accommodation::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::QuizId.eq(quiz))
        .all(conn)
        .await?)
}

/// An attempt as started.
pub struct NewAttempt {
    pub quiz: i64,
    pub user: UserId,
    pub number: i64,
    pub deadline: Option<DateTime<Utc>>,
    pub layout: String,
    pub possible: f64,
}

pub async fn insert_attempt(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewAttempt,
    now: DateTime<Utc>,
) -> Result<Attempt, StoreError> {
    let row = quiz_attempt::ActiveModel {
        institution_id: Set(institution.0),
        quiz_id: Set(new.quiz),
        user_id: Set(new.user.0),
        number: Set(new.number),
        started_at: Set(now),
        deadline_at: Set(new.deadline),
        finished_at: Set(None),
        finished_how: Set(String::new()),
        layout: Set(new.layout),
        score: Set(None),
        possible: Set(new.possible),
        ..Default::default()
    };
    Ok(quiz_attempt::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn attempt(conn: &impl Conn, institution: InstitutionId, id: i64) -> Result<Option<Attempt>, StoreError> {
    use quiz_attempt::Column as C;
    Ok(quiz_attempt::Entity::find_by_id(id).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// These attempts, by id (in chunks, as long lists are).
pub async fn attempts_by_id(
    conn: &impl Conn,
    institution: InstitutionId,
    ids: &[i64],
) -> Result<Vec<Attempt>, StoreError> {
    use quiz_attempt::Column as C;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            quiz_attempt::Entity::find()
                .filter(C::InstitutionId.eq(institution.0))
                .filter(C::Id.is_in(chunk.iter().copied()))
                .order_by_asc(C::Id)
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}

/// A quiz's attempts (one student's when given), by student then number.
pub async fn attempts(
    conn: &impl Conn,
    institution: InstitutionId,
    quiz: i64,
    user: Option<UserId>,
) -> Result<Vec<Attempt>, StoreError> {
    use quiz_attempt::Column as C;
    let mut query = quiz_attempt::Entity::find().filter(C::InstitutionId.eq(institution.0)).filter(C::QuizId.eq(quiz));
    if let Some(user) = user {
        query = query.filter(C::UserId.eq(user.0));
    }
    Ok(query.order_by_asc(C::UserId).order_by_asc(C::Number).all(conn).await?)
}

/// Locks an open attempt's row for the caller's transaction; false when it has finished. A save
/// and the close take the same lock, so no answer is written after the close read them.
pub async fn hold_open(conn: &impl Conn, institution: InstitutionId, id: i64) -> Result<bool, StoreError> {
    use quiz_attempt::Column as C;
    let result = quiz_attempt::Entity::update_many()
        .col_expr(C::Possible, Expr::col(C::Possible))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id))
        .filter(C::FinishedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks an open attempt finished; false when it had finished already.
pub async fn finish(
    conn: &impl Conn,
    institution: InstitutionId,
    id: i64,
    by: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use quiz_attempt::Column as C;
    let result = quiz_attempt::Entity::update_many()
        .col_expr(C::FinishedAt, Expr::value(Some(at)))
        .col_expr(C::FinishedHow, Expr::value(by))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id))
        .filter(C::FinishedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn set_score(
    conn: &impl Conn,
    institution: InstitutionId,
    id: i64,
    score: Option<f64>,
    possible: f64,
) -> Result<(), StoreError> {
    use quiz_attempt::Column as C;
    quiz_attempt::Entity::update_many()
        .col_expr(C::Score, Expr::value(score))
        .col_expr(C::Possible, Expr::value(possible))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Open attempts past their deadline (by `before`), across institutions, oldest first.
pub async fn overdue(conn: &impl Conn, before: DateTime<Utc>, limit: u64) -> Result<Vec<Attempt>, StoreError> {
    use quiz_attempt::Column as C;
    use sea_orm::QuerySelect;
    Ok(quiz_attempt::Entity::find()
        .filter(C::FinishedAt.is_null())
        .filter(C::DeadlineAt.lte(before))
        .order_by_asc(C::DeadlineAt)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Writes an answer as saved (replacing the slot's earlier one).
pub async fn save_answer(
    conn: &impl Conn,
    institution: InstitutionId,
    attempt: i64,
    slot: i64,
    question: i64,
    response: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use quiz_answer::Column as C;
    let row = quiz_answer::ActiveModel {
        institution_id: Set(institution.0),
        attempt_id: Set(attempt),
        slot: Set(slot),
        question_id: Set(question),
        response: Set(response.to_owned()),
        saved_at: Set(now),
        points: Set(None),
        scored_by: Set(None),
        comment: Set(String::new()),
        ..Default::default()
    };
    quiz_answer::Entity::insert(row)
        .on_conflict(OnConflict::columns([C::AttemptId, C::Slot]).update_columns([C::Response, C::SavedAt]).to_owned())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The answers of some attempts, by attempt then slot.
pub async fn answers(
    conn: &impl Conn,
    institution: InstitutionId,
    attempts: &[i64],
) -> Result<Vec<Answer>, StoreError> {
    use quiz_answer::Column as C;
    let mut out = Vec::new();
    for chunk in attempts.chunks(500) {
        out.extend(
            quiz_answer::Entity::find()
                .filter(C::InstitutionId.eq(institution.0))
                .filter(C::AttemptId.is_in(chunk.iter().copied()))
                .order_by_asc(C::AttemptId)
                .order_by_asc(C::Slot)
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}

/// Scores an answer: automatically (`by` none) or by a person with a comment.
pub async fn score_answer(
    conn: &impl Conn,
    institution: InstitutionId,
    id: i64,
    points: Option<f64>,
    by: Option<UserId>,
    comment: &str,
) -> Result<(), StoreError> {
    use quiz_answer::Column as C;
    quiz_answer::Entity::update_many()
        .col_expr(C::Points, Expr::value(points))
        .col_expr(C::ScoredBy, Expr::value(by.map(|b| b.0)))
        .col_expr(C::Comment, Expr::value(comment))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The attempts that drew a question (for a regrade).
pub async fn attempts_with_question(
    conn: &impl Conn,
    institution: InstitutionId,
    question: i64,
) -> Result<Vec<i64>, StoreError> {
    use quiz_answer::Column as C;
    use sea_orm::QuerySelect;
    let ids: Vec<i64> = quiz_answer::Entity::find()
        .select_only()
        .column(C::AttemptId)
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::QuestionId.eq(question))
        .distinct()
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids)
}
