//! API v1 for surveys: the ones the caller runs and is asked to answer, a survey's design, its
//! results (with the minimum-responses rule, as on the page), and the caller's own response —
//! read, saved to resume, or submitted. Same permissions as the pages.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::surveys::design::{self, DesignInput, NewSurveyInput};
use qobe_app::surveys::publish::{self as publishing, PublishInput};
use qobe_app::surveys::respond::{self, AnswerInput, Outcome, Respondent, Window};
use qobe_app::surveys::{Purpose, Status, Survey};
use qobe_domain::ids::SurveyId;
use qobe_domain::surveys::SurveyForm;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Created, ErrorOut, created};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(create))
        .route("/surveys/{id}", get(design).put(save))
        .route("/surveys/{id}/copy", post(copy))
        .route("/surveys/{id}/publish", post(publish))
        .route("/surveys/{id}/remind", post(remind))
        .route("/surveys/{id}/close", post(close))
        .route("/surveys/{id}/results", get(results))
        .route("/surveys/{id}/response", get(own_response).post(answer))
}

#[derive(Serialize, ToSchema)]
pub struct SurveyOut {
    pub id: i64,
    pub title: String,
    pub description: String,
    /// `course_exit`, `graduating`, `alumni`, `employer` or `general`.
    pub purpose: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    pub anonymous: bool,
    /// Left out when the survey is not about an offering (or a program).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offering_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program_id: Option<i64>,
    /// Left out while the survey is a draft.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<DateTime<Utc>>,
}

impl From<&Survey> for SurveyOut {
    fn from(s: &Survey) -> Self {
        SurveyOut {
            id: s.id,
            title: s.title.clone(),
            description: s.description.clone(),
            purpose: Purpose::parse(&s.purpose).unwrap_or(Purpose::General).as_str().to_owned(),
            status: Status::of(s).as_str().to_owned(),
            anonymous: s.anonymous,
            offering_id: s.offering_id,
            program_id: s.program_id,
            opens_at: s.opens_at,
            closes_at: s.closes_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AskedOut {
    pub survey: SurveyOut,
    /// Takes answers now.
    pub open: bool,
    pub answered: bool,
    /// Answers were saved to finish later.
    pub saved: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SurveysOut {
    /// Surveys the caller designs, publishes and reads the results of.
    pub managed: Vec<SurveyOut>,
    /// Published surveys the caller was asked to answer.
    pub asked: Vec<AskedOut>,
}

#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys", responses((status = 200, body = SurveysOut)), security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, ApiActor(actor, _): ApiActor) -> Result<Json<SurveysOut>, ApiError> {
    let app = &state.app;
    let managed = design::list(app, &actor).await?;
    let asked = respond::asked(app, &actor).await?;
    Ok(Json(SurveysOut {
        managed: managed.iter().map(SurveyOut::from).collect(),
        asked: asked
            .iter()
            .map(|a| AskedOut {
                survey: SurveyOut::from(&a.survey),
                open: a.window == Window::Open,
                answered: a.answered,
                saved: a.saved,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LinkOut {
    pub question: String,
    /// A grid's row, from 0; none for a rating scale.
    pub row: Option<usize>,
    /// `clo`, `plo` or `peo`.
    pub outcome_kind: String,
    pub outcome: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DesignOut {
    pub survey: SurveyOut,
    /// The form: sections of questions, each with its key, text, kind and condition.
    pub form: SurveyForm,
    /// Rated questions (and grid rows) mapped to outcomes.
    pub links: Vec<LinkOut>,
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = DesignOut)), security(("bearer" = [])))]
pub async fn design(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<DesignOut>, ApiError> {
    Ok(Json(design_out(&state, &actor, SurveyId(id)).await?))
}

async fn design_out(state: &AppState, actor: &qobe_app::Actor, id: SurveyId) -> Result<DesignOut, ApiError> {
    let view = qobe_app::surveys::design::view(&state.app, actor, id).await?;
    let links = view
        .links
        .iter()
        .map(|l| LinkOut {
            question: l.question_key.clone(),
            row: l.row,
            outcome_kind: l.kind.to_owned(),
            outcome: l.outcome,
        })
        .collect();
    Ok(DesignOut { survey: SurveyOut::from(&view.survey), form: view.form, links })
}

/// Starts a draft survey about an offering or a program (or neither), its form made from their
/// outcomes with `template`.
#[utoipa::path(post, path = "/api/v1/surveys", tag = "surveys", request_body = NewSurveyInput, responses((status = 201, body = DesignOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<NewSurveyInput>,
) -> Created<DesignOut> {
    let made = design::create(&state.app, &actor, &input, &ctx.client).await?;
    created(design_out(&state, &actor, SurveyId(made.id)).await?)
}

/// Replaces a draft's design: its words, anonymity, form and outcome mappings. A published
/// survey's design no longer changes (409): copy it instead.
#[utoipa::path(put, path = "/api/v1/surveys/{id}", tag = "surveys", params(("id" = i64, Path)), request_body = DesignInput, responses((status = 200, body = DesignOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn save(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<DesignInput>,
) -> Result<Json<DesignOut>, ApiError> {
    design::save(&state.app, &actor, SurveyId(id), &input, &ctx.client).await?;
    Ok(Json(design_out(&state, &actor, SurveyId(id)).await?))
}

/// A new draft with the survey's form, mappings and settings.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/copy", tag = "surveys", params(("id" = i64, Path)), responses((status = 201, body = DesignOut)), security(("bearer" = [])))]
pub async fn copy(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Created<DesignOut> {
    let made = design::copy(&state.app, &actor, SurveyId(id), &ctx.client).await?;
    created(design_out(&state, &actor, SurveyId(made.id)).await?)
}

#[derive(Serialize, ToSchema)]
pub struct PublishedOut {
    pub survey: SurveyOut,
    /// People with accounts newly asked by this publishing (those asked before are not asked
    /// twice), and external respondents newly sent a single-use link.
    pub people: usize,
    pub external: usize,
}

/// Opens the survey to an audience for a window, inviting by email everyone not yet invited.
/// Publishing again adds people and moves the window.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/publish", tag = "surveys", params(("id" = i64, Path)), request_body = PublishInput, responses((status = 200, body = PublishedOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn publish(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<PublishInput>,
) -> Result<Json<PublishedOut>, ApiError> {
    let done = publishing::publish(&state.app, &actor, SurveyId(id), &input, &ctx.client).await?;
    let view = design::view(&state.app, &actor, SurveyId(id)).await?;
    Ok(Json(PublishedOut { survey: SurveyOut::from(&view.survey), people: done.people, external: done.external }))
}

#[derive(Serialize, ToSchema)]
pub struct RemindedOut {
    /// Those who had not answered, and were sent a reminder.
    pub reminded: usize,
}

/// Reminds by email everyone asked who has not answered yet.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/remind", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = RemindedOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn remind(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<RemindedOut>, ApiError> {
    let reminded = publishing::remind(&state.app, &actor, SurveyId(id), &ctx.client).await?;
    Ok(Json(RemindedOut { reminded }))
}

/// Stops taking answers now.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/close", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = SurveyOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<SurveyOut>, ApiError> {
    publishing::close(&state.app, &actor, SurveyId(id), &ctx.client).await?;
    let view = design::view(&state.app, &actor, SurveyId(id)).await?;
    Ok(Json(SurveyOut::from(&view.survey)))
}

#[derive(Serialize, ToSchema)]
pub struct IndirectOut {
    /// `clo`, `plo` or `peo`.
    pub kind: String,
    pub outcome_id: i64,
    pub code: String,
    /// The questions (and grid rows) it is read from.
    pub questions: Vec<String>,
    /// Respondents per point, lowest first.
    pub counts: Vec<u64>,
    /// The indirect measure (a fraction), and its level when the policy has slabs.
    pub value: Option<f64>,
    pub level: Option<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsOut {
    pub asked: usize,
    pub responses: usize,
    /// Set when the survey is anonymous and has fewer responses than this: summaries and
    /// indirect evidence are then empty.
    pub withheld_below: Option<usize>,
    /// How the indirect measure is worked out.
    pub method: String,
    /// Each question's summary (`kind`: points, options, grid, ranks, numbers, dates, texts).
    #[schema(value_type = Vec<Object>)]
    pub summaries: Vec<serde_json::Value>,
    pub indirect: Vec<IndirectOut>,
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = ResultsOut)), security(("bearer" = [])))]
pub async fn results(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ResultsOut>, ApiError> {
    let r = qobe_app::surveys::results::of(&state.app, &actor, SurveyId(id)).await?;
    let summaries = r.summaries.iter().map(json).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(ResultsOut {
        asked: r.asked,
        responses: r.responses,
        withheld_below: r.withheld_below,
        method: r.method.clone(),
        summaries,
        indirect: r
            .indirect
            .iter()
            .map(|l| IndirectOut {
                kind: l.kind.to_owned(),
                outcome_id: l.outcome,
                code: l.code.clone(),
                questions: l.questions.iter().map(ToString::to_string).collect(),
                counts: l.counts.clone(),
                value: l.result.as_ref().map(|x| x.value),
                level: l.result.as_ref().and_then(|x| x.level),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ResponseOut {
    pub survey: SurveyOut,
    pub form: SurveyForm,
    pub open: bool,
    pub answered: bool,
    /// What was saved to resume, by question key (empty when nothing was).
    #[schema(value_type = Object)]
    pub saved: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/response", tag = "surveys", params(("id" = i64, Path)), responses((status = 200, body = ResponseOut)), security(("bearer" = [])))]
pub async fn own_response(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ResponseOut>, ApiError> {
    let answering = respond::open(&state.app, &Respondent::Person(&actor), Some(SurveyId(id))).await?;
    Ok(Json(ResponseOut {
        survey: SurveyOut::from(&answering.survey),
        open: answering.window == Window::Open && !answering.answered,
        answered: answering.answered,
        form: answering.form.clone(),
        saved: json(&answering.draft)?,
    }))
}

/// A stored value as JSON for a response body.
fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError(qobe_app::AppError::Internal(e.to_string())))
}

#[derive(Serialize, ToSchema)]
pub struct AnsweredOut {
    /// `saved` (to finish later) or `submitted`.
    pub outcome: String,
}

/// Saves the caller's answers to finish later, or (`finish`) submits them, once.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/response", tag = "surveys", params(("id" = i64, Path)), request_body = AnswerInput, responses((status = 200, body = AnsweredOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<AnswerInput>,
) -> Result<Json<AnsweredOut>, ApiError> {
    let done = respond::answer(&state.app, &Respondent::Person(&actor), Some(SurveyId(id)), &input).await?;
    let outcome = match done {
        Outcome::Saved => "saved",
        Outcome::Submitted => "submitted",
    };
    Ok(Json(AnsweredOut { outcome: outcome.to_owned() }))
}
