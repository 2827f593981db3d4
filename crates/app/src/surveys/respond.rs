//! Answering a survey, as a person with an account or as an external respondent by the
//! single-use link they were sent: the pages as they stand (with what was saved to resume),
//! saving, and submitting once. An anonymous survey's response is written apart from the
//! participant (ADR 0009) and nothing else records which one it was.

use std::collections::BTreeMap;

use qobe_domain::ids::{InstitutionId, ParticipantId, SurveyId};
use qobe_domain::surveys::{Answers, SurveyForm, check_response, parse_answers};
use qobe_store::rows::{Survey, SurveyParticipant};
use qobe_store::surveys::{self as rows, NewResponse};
use serde::Deserialize;

use super::{Status, form_of};
use crate::crypto::token_hash;
use crate::{Actor, App, AppError, AppResult};

/// Who is answering.
pub enum Respondent<'a> {
    Person(&'a Actor),
    /// The token of an external respondent's link.
    Link(&'a str),
}

/// Whether a survey takes answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYet,
    Open,
    Closed,
}

/// A survey as its respondent sees it.
pub struct Answering {
    pub survey: Survey,
    pub form: SurveyForm,
    pub window: Window,
    pub answered: bool,
    /// What was saved to resume (empty when nothing was).
    pub draft: Answers,
}

/// One survey the person was asked to answer.
pub struct Asked {
    pub survey: Survey,
    pub window: Window,
    pub answered: bool,
    pub saved: bool,
}

fn window(app: &App, survey: &Survey) -> Window {
    let now = app.now();
    match Status::of(survey) {
        Status::Draft => Window::NotYet,
        Status::Closed => Window::Closed,
        Status::Open if survey.opens_at.is_some_and(|o| now < o) => Window::NotYet,
        Status::Open if survey.closes_at.is_some_and(|c| now >= c) => Window::Closed,
        Status::Open => Window::Open,
    }
}

/// The surveys the person was asked to answer that are published, open ones first.
pub async fn asked(app: &App, actor: &Actor) -> AppResult<Vec<Asked>> {
    let mut out: Vec<Asked> = rows::asked_of(app.store.conn(), actor.institution()?, actor.user_id)
        .await?
        .into_iter()
        .filter(|(_, s)| Status::of(s) != Status::Draft)
        .map(|(p, survey)| Asked {
            window: window(app, &survey),
            answered: p.answered,
            saved: p.draft.is_some(),
            survey,
        })
        .collect();
    out.sort_by_key(|a| (a.window != Window::Open || a.answered, std::cmp::Reverse(a.survey.id)));
    Ok(out)
}

/// The respondent's place in the survey: for a person, the survey they were asked to answer;
/// for a link, the one it was sent for. Anything else is not found.
async fn place(
    app: &App,
    respondent: &Respondent<'_>,
    id: Option<SurveyId>,
) -> AppResult<(InstitutionId, SurveyParticipant, Survey)> {
    let conn = app.store.conn();
    let (institution, participant) = match respondent {
        Respondent::Person(actor) => {
            let institution = actor.institution()?;
            let id = id.ok_or(AppError::NotFound)?;
            let participant =
                rows::participant_of(conn, institution, id, actor.user_id).await?.ok_or(AppError::NotFound)?;
            (institution, participant)
        }
        Respondent::Link(token) => {
            let participant = rows::participant_by_token(conn, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
            (InstitutionId(participant.institution_id), participant)
        }
    };
    let survey = rows::get(conn, institution, SurveyId(participant.survey_id)).await?.ok_or(AppError::NotFound)?;
    if Status::of(&survey) == Status::Draft {
        return Err(AppError::NotFound);
    }
    Ok((institution, participant, survey))
}

pub async fn open(app: &App, respondent: &Respondent<'_>, id: Option<SurveyId>) -> AppResult<Answering> {
    let (_, participant, survey) = place(app, respondent, id).await?;
    let draft = match &participant.draft {
        Some(json) => serde_json::from_str(json).map_err(|e| AppError::Internal(format!("survey draft: {e}")))?,
        None => Answers::new(),
    };
    Ok(Answering {
        form: form_of(&survey)?,
        window: window(app, &survey),
        answered: participant.answered,
        draft,
        survey,
    })
}

/// A field's value, or several (the boxes of a multiple choice).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum FieldValue {
    One(String),
    Many(Vec<String>),
}

/// Answers as the survey page's fields name them: `{key}` for most questions, `{key}.other`
/// for a typed "other", `{key}.{n}` for a grid's row or a ranked option (from 1); a scale's
/// point, a number or a date as text. With `finish`, the response is submitted (every required
/// question shown must be answered); without, it is saved to resume later.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    #[schema(value_type = std::collections::HashMap<String, FieldValue>)]
    pub fields: BTreeMap<String, FieldValue>,
    #[serde(default)]
    pub finish: bool,
}

impl AnswerInput {
    /// From a page's submitted fields.
    pub fn from_fields(fields: &[(String, String)], finish: bool) -> AnswerInput {
        let mut map: BTreeMap<String, FieldValue> = BTreeMap::new();
        for (name, value) in fields {
            let entry = map.entry(name.clone()).or_insert_with(|| FieldValue::Many(Vec::new()));
            if let FieldValue::Many(list) = entry {
                list.push(value.clone());
            }
        }
        AnswerInput { fields: map, finish }
    }

    fn pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, value) in &self.fields {
            match value {
                FieldValue::One(v) => out.push((name.clone(), v.clone())),
                FieldValue::Many(list) => out.extend(list.iter().map(|v| (name.clone(), v.clone()))),
            }
        }
        out
    }
}

/// What answering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Saved,
    Submitted,
}

/// Saves the respondent's answers to resume later, or submits them (once).
pub async fn answer(
    app: &App,
    respondent: &Respondent<'_>,
    id: Option<SurveyId>,
    input: &AnswerInput,
) -> AppResult<Outcome> {
    let (institution, participant, survey) = place(app, respondent, id).await?;
    match window(app, &survey) {
        Window::Open => {}
        Window::NotYet => return Err(AppError::Refused(vec!["This survey is not open yet.".into()])),
        Window::Closed => {
            return Err(AppError::Refused(vec!["This survey has closed and takes no more answers.".into()]));
        }
    }
    if participant.answered {
        return Err(already_answered());
    }
    let form = form_of(&survey)?;
    let (answers, errors) = parse_answers(&form, &input.pairs());
    errors.into_result().map_err(AppError::Invalid)?;
    let answers = check_response(&form, answers, input.finish, None).map_err(AppError::Invalid)?;
    let json = serde_json::to_string(&answers).map_err(|e| AppError::Internal(e.to_string()))?;
    if !input.finish {
        rows::save_draft(app.store.conn(), institution, ParticipantId(participant.id), &json).await?;
        return Ok(Outcome::Saved);
    }
    // Named surveys keep who answered and when; anonymous ones neither (ADR 0009).
    let named = match (survey.anonymous, participant.user_id) {
        (false, Some(user)) => Some((qobe_domain::ids::UserId(user), app.now())),
        _ => None,
    };
    let id = hex::encode(crate::crypto::random_bytes::<16>());
    let tx = app.store.begin().await?;
    let written = rows::submit(&tx, institution, &participant, NewResponse { id: &id, answers: &json, named }).await?;
    if !written {
        return Err(already_answered());
    }
    qobe_store::commit(tx).await?;
    Ok(Outcome::Submitted)
}

fn already_answered() -> AppError {
    AppError::Conflict { field: None, message: "You have already answered this survey: thank you.".into() }
}
