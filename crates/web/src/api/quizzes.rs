//! API v1 for quizzes: an offering's course question bank (staff only: it holds the keys), its
//! quizzes, starting an attempt, saving answers one by one (refused after the attempt's
//! deadline), handing in, and for staff the results, extra time and hand scoring. An attempt
//! read by its student carries no key until the quiz closes.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::quizzes::attempts::{self, Shown, Sitting};
use qobe_app::quizzes::bank::{self, QuestionInput};
use qobe_app::quizzes::results::{self, HandScore};
use qobe_app::quizzes::scoring::body_of;
use qobe_app::quizzes::{self, AccommodationInput, Attempt, Question, Quiz, QuizInput};
use qobe_domain::ids::OfferingId;
use qobe_domain::quizzes::{Body, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Created, ErrorOut, created};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/questions", get(list_questions).post(create_question))
        .route("/offerings/{id}/questions/{question}", put(update_question))
        .route("/offerings/{id}/quizzes", get(list_quizzes).post(create_quiz))
        .route("/quizzes/{id}", put(update_quiz))
        .route("/quizzes/{id}/attempts", post(start_attempt))
        .route("/quizzes/{id}/results", get(quiz_results))
        .route("/quizzes/{id}/accommodations", put(accommodate_quiz))
        .route("/quizzes/{id}/answers/{answer}/score", put(score_answer))
        .route("/quiz-attempts/{id}", get(get_attempt))
        .route("/quiz-attempts/{id}/answers/{slot}", put(save_answer))
        .route("/quiz-attempts/{id}/hand-in", post(hand_in_attempt))
}

#[derive(Serialize, ToSchema)]
pub struct QuestionOut {
    pub id: i64,
    pub category: String,
    pub tags: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clo: Option<i64>,
    /// Markdown.
    pub prompt: String,
    pub points: f64,
    /// The type and its answer key.
    pub body: Body,
}

impl QuestionOut {
    fn of(q: &Question) -> Result<QuestionOut, ApiError> {
        Ok(QuestionOut {
            id: q.id,
            category: q.category.clone(),
            tags: q.tags.clone(),
            clo: q.clo_id,
            prompt: q.prompt.clone(),
            points: q.points,
            body: body_of(q)?,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuestionsOut {
    pub questions: Vec<QuestionOut>,
}

/// The offering's course bank, with keys (the offering's staff).
#[utoipa::path(get, path = "/api/v1/offerings/{id}/questions", tag = "quizzes", params(("id" = i64, Path)), responses((status = 200, body = QuestionsOut)), security(("bearer" = [])))]
pub async fn list_questions(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<QuestionsOut>, ApiError> {
    let found = bank::bank(&state.app, &actor, OfferingId(id)).await?;
    let questions = found.questions.iter().map(QuestionOut::of).collect::<Result<_, _>>()?;
    Ok(Json(QuestionsOut { questions }))
}

/// Adds a question to the offering's course bank (its editors).
#[utoipa::path(post, path = "/api/v1/offerings/{id}/questions", tag = "quizzes", params(("id" = i64, Path)), request_body = QuestionInput, responses((status = 201, body = QuestionOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_question(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<QuestionInput>,
) -> Created<QuestionOut> {
    let made = bank::create(&state.app, &actor, OfferingId(id), &input, &ctx.client).await?;
    created(QuestionOut::of(&made)?)
}

#[derive(Serialize, ToSchema)]
pub struct RegradedOut {
    /// Finished attempts scored again (and their marks rewritten, with history).
    pub regraded: usize,
}

/// Corrects a question; every finished attempt that drew it is regraded.
#[utoipa::path(put, path = "/api/v1/offerings/{id}/questions/{question}", tag = "quizzes", params(("id" = i64, Path), ("question" = i64, Path)), request_body = QuestionInput, responses((status = 200, body = RegradedOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn update_question(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path((id, question)): Path<(i64, i64)>,
    Json(input): Json<QuestionInput>,
) -> Result<Json<RegradedOut>, ApiError> {
    let regraded = bank::update(&state.app, &actor, OfferingId(id), question, &input, &ctx.client).await?;
    Ok(Json(RegradedOut { regraded }))
}

#[derive(Serialize, ToSchema)]
pub struct QuizOut {
    pub id: i64,
    pub offering_id: i64,
    pub assessment_id: i64,
    pub title: String,
    pub instructions: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_limit_minutes: Option<i64>,
    pub attempts_allowed: i64,
    pub shuffle: bool,
    pub published: bool,
    /// How many questions an attempt has.
    pub questions: usize,
}

impl From<&Quiz> for QuizOut {
    fn from(q: &Quiz) -> Self {
        QuizOut {
            id: q.id,
            offering_id: q.offering_id,
            assessment_id: q.assessment_id,
            title: q.title.clone(),
            instructions: q.instructions.clone(),
            opens_at: q.opens_at,
            closes_at: q.closes_at,
            time_limit_minutes: q.time_limit_minutes,
            attempts_allowed: q.attempts_allowed,
            shuffle: q.shuffle,
            published: q.published,
            questions: quizzes::sections(q).iter().map(|s| s.count).sum(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuizzesOut {
    pub quizzes: Vec<QuizOut>,
}

/// The offering's quizzes (a student sees the published ones).
#[utoipa::path(get, path = "/api/v1/offerings/{id}/quizzes", tag = "quizzes", params(("id" = i64, Path)), responses((status = 200, body = QuizzesOut)), security(("bearer" = [])))]
pub async fn list_quizzes(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<QuizzesOut>, ApiError> {
    let listing = quizzes::list(&state.app, &actor, OfferingId(id)).await?;
    Ok(Json(QuizzesOut { quizzes: listing.quizzes.iter().map(QuizOut::from).collect() }))
}

/// Makes an assessment of the offering's plan a quiz (its editors).
#[utoipa::path(post, path = "/api/v1/offerings/{id}/quizzes", tag = "quizzes", params(("id" = i64, Path)), request_body = QuizInput, responses((status = 201, body = QuizOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create_quiz(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<QuizInput>,
) -> Created<QuizOut> {
    let made = quizzes::create(&state.app, &actor, OfferingId(id), &input, &ctx.client).await?;
    created(QuizOut::from(&made))
}

/// Changes a quiz's settings and sections (attempts started keep what they drew).
#[utoipa::path(put, path = "/api/v1/quizzes/{id}", tag = "quizzes", params(("id" = i64, Path)), request_body = QuizInput, responses((status = 200, body = QuizOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn update_quiz(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<QuizInput>,
) -> Result<Json<QuizOut>, ApiError> {
    let saved = quizzes::update(&state.app, &actor, id, &input, &ctx.client).await?;
    Ok(Json(QuizOut::from(&saved)))
}

#[derive(Serialize, ToSchema)]
pub struct ShownOut {
    /// The question's place in the attempt, from 0: the address its answer is saved to.
    pub slot: usize,
    pub kind: String,
    /// Markdown.
    pub prompt: String,
    pub points: f64,
    /// (shown place, text), in the order shown: choice options, matching rights, ordering
    /// items. A response names them by the shown place.
    pub options: Vec<(usize, String)>,
    pub lefts: Vec<String>,
    pub response: Response,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_at: Option<DateTime<Utc>>,
    /// The right answer in words: for staff, or for the student once the quiz closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earned: Option<f64>,
}

impl From<&Shown> for ShownOut {
    fn from(q: &Shown) -> Self {
        let options = if !q.rights.is_empty() {
            q.rights.clone()
        } else if !q.items.is_empty() {
            q.items.clone()
        } else {
            q.options.clone()
        };
        ShownOut {
            slot: q.slot,
            kind: q.kind.to_owned(),
            prompt: q.prompt.clone(),
            points: q.points,
            options,
            lefts: q.lefts.clone(),
            response: q.response.clone(),
            saved_at: q.saved_at,
            key: q.key.clone(),
            earned: q.earned,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttemptOut {
    pub id: i64,
    pub quiz_id: i64,
    pub number: i64,
    pub started_at: DateTime<Utc>,
    /// No answer is taken after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// `student` or `time`; empty while open.
    pub finished_by: String,
    /// None while open, or while an answer waits for hand scoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub possible: f64,
    pub questions: Vec<ShownOut>,
}

fn attempt_out(attempt: &Attempt, questions: Vec<ShownOut>) -> AttemptOut {
    AttemptOut {
        id: attempt.id,
        quiz_id: attempt.quiz_id,
        number: attempt.number,
        started_at: attempt.started_at,
        deadline_at: attempt.deadline_at,
        finished_at: attempt.finished_at,
        finished_by: attempt.finished_how.clone(),
        score: attempt.score,
        possible: attempt.possible,
        questions,
    }
}

fn sitting_out(sitting: &Sitting) -> AttemptOut {
    attempt_out(&sitting.attempt, sitting.questions.iter().map(ShownOut::from).collect())
}

/// Starts an attempt (or returns the student's open one), its questions drawn for them.
#[utoipa::path(post, path = "/api/v1/quizzes/{id}/attempts", tag = "quizzes", params(("id" = i64, Path)), responses((status = 201, body = AttemptOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn start_attempt(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Created<AttemptOut> {
    let attempt = attempts::start(&state.app, &actor, id, &ctx.client).await?;
    let sitting = attempts::sitting(&state.app, &actor, attempt.id).await?;
    created(sitting_out(&sitting))
}

/// An attempt: its student's own, or any of the offering's for its staff.
#[utoipa::path(get, path = "/api/v1/quiz-attempts/{id}", tag = "quizzes", params(("id" = i64, Path)), responses((status = 200, body = AttemptOut)), security(("bearer" = [])))]
pub async fn get_attempt(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<AttemptOut>, ApiError> {
    Ok(Json(sitting_out(&attempts::sitting(&state.app, &actor, id).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct AnswerSavedOut {
    pub saved_at: DateTime<Utc>,
}

/// Saves one answer of the student's open attempt; refused (409) after its deadline.
#[utoipa::path(put, path = "/api/v1/quiz-attempts/{id}/answers/{slot}", tag = "quizzes", params(("id" = i64, Path), ("slot" = i64, Path, minimum = 0)), request_body = Response, responses((status = 200, body = AnswerSavedOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn save_answer(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path((id, slot)): Path<(i64, i64)>,
    Json(input): Json<Response>,
) -> Result<Json<AnswerSavedOut>, ApiError> {
    // A place past any attempt's questions is refused by the rules, as one past this one's is.
    let slot = usize::try_from(slot).unwrap_or(usize::MAX);
    let saved_at = attempts::save(&state.app, &actor, id, slot, &input).await?;
    Ok(Json(AnswerSavedOut { saved_at }))
}

/// Hands the attempt in: scored at once, its marks in the grid.
#[utoipa::path(post, path = "/api/v1/quiz-attempts/{id}/hand-in", tag = "quizzes", params(("id" = i64, Path)), responses((status = 200, body = AttemptOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn hand_in_attempt(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<AttemptOut>, ApiError> {
    attempts::hand_in(&state.app, &actor, id, &ctx.client).await?;
    Ok(Json(sitting_out(&attempts::sitting(&state.app, &actor, id).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct QuizResultLineOut {
    pub student: i64,
    pub name: String,
    pub attempts: Vec<AttemptOut>,
    /// The attempt that counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<i64>,
    pub extra_percent: f64,
}

#[derive(Serialize, ToSchema)]
pub struct QuizStatisticOut {
    pub question: i64,
    pub answered: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discrimination: Option<f64>,
    /// (option, times picked, right).
    pub options: Vec<(String, usize, bool)>,
}

#[derive(Serialize, ToSchema)]
pub struct QuizResultsOut {
    pub students: Vec<QuizResultLineOut>,
    pub statistics: Vec<QuizStatisticOut>,
    /// Answers waiting for hand scoring.
    pub waiting: Vec<i64>,
}

/// Every student's attempts and item statistics (the offering's staff).
#[utoipa::path(get, path = "/api/v1/quizzes/{id}/results", tag = "quizzes", params(("id" = i64, Path)), responses((status = 200, body = QuizResultsOut)), security(("bearer" = [])))]
pub async fn quiz_results(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<QuizResultsOut>, ApiError> {
    let found = results::results(&state.app, &actor, id).await?;
    Ok(Json(QuizResultsOut {
        students: found
            .lines
            .iter()
            .map(|l| QuizResultLineOut {
                student: l.student,
                name: l.name.clone(),
                attempts: l.attempts.iter().map(|a| attempt_out(a, Vec::new())).collect(),
                kept: l.kept.as_ref().map(|k| k.id),
                extra_percent: l.extra_percent,
            })
            .collect(),
        statistics: found
            .statistics
            .iter()
            .map(|s| QuizStatisticOut {
                question: s.question.id,
                answered: s.answered,
                facility: s.facility,
                discrimination: s.discrimination,
                options: s.options.clone(),
            })
            .collect(),
        waiting: found.waiting.iter().map(|w| w.answer).collect(),
    }))
}

/// Gives a student extra time on the quiz (attempts they start from now on).
#[utoipa::path(put, path = "/api/v1/quizzes/{id}/accommodations", tag = "quizzes", params(("id" = i64, Path)), request_body = AccommodationInput, responses((status = 204), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn accommodate_quiz(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<AccommodationInput>,
) -> Result<axum::http::StatusCode, ApiError> {
    quizzes::accommodate(&state.app, &actor, id, &input, &ctx.client).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Scores an answer by hand (an essay); the attempt and the marks follow.
#[utoipa::path(put, path = "/api/v1/quizzes/{id}/answers/{answer}/score", tag = "quizzes", params(("id" = i64, Path), ("answer" = i64, Path)), request_body = HandScore, responses((status = 204), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn score_answer(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path((id, answer)): Path<(i64, i64)>,
    Json(input): Json<HandScore>,
) -> Result<axum::http::StatusCode, ApiError> {
    results::score_by_hand(&state.app, &actor, id, answer, &input, &ctx.client).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
