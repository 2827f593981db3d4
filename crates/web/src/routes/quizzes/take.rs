//! Taking a quiz: start (or go on with) an attempt, its page — every question with what was
//! saved, the time left counted down by the page's script — each answer saved on its own (by
//! the script as the student goes, or by the question's button without it), and handing in.
//! After the quiz closes the same page is the review, with points and the right answers.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use qobe_app::AppError;
use qobe_app::quizzes::attempts::{self, Shown, Sitting};
use qobe_domain::quizzes::Response as Answer;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{done, refused, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quizzes/{id}/attempts", post(start))
        .route("/quizzes/attempts/{id}", get(show))
        .route("/quizzes/attempts/{id}/answers/{slot}", post(save))
        .route("/quizzes/attempts/{id}/hand-in", post(hand_in))
}

async fn start(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    match attempts::start(&state.app, &signed.actor, id, &signed.ctx.client).await {
        Ok(attempt) => Ok(done(&state, &format!("/quizzes/attempts/{}", attempt.id), "Your attempt has started.")),
        Err(AppError::Refused(reasons)) => Ok(refused(&state, &format!("/quizzes/{id}"), &reasons.join(" "))),
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "quizzes/attempt.html")]
struct AttemptPage {
    page: Page,
    sitting: Sitting,
}

impl AttemptPage {
    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn picked(&self, q: &Shown, option: &usize) -> bool {
        q.response.choices.contains(option)
    }

    fn matched(&self, q: &Shown, left: &usize, right: &usize) -> bool {
        q.response.matches.get(*left).copied().flatten() == Some(*right)
    }

    /// The place (from 1) the student gave an item, or none.
    fn place(&self, q: &Shown, item: &usize) -> Option<usize> {
        q.response.order.iter().position(|i| i == item).map(|p| p + 1)
    }

    fn places(&self, q: &Shown) -> Vec<usize> {
        (1..=q.items.len()).collect()
    }

    fn deadline(&self) -> String {
        self.sitting.attempt.deadline_at.map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    fn saved(&self, q: &Shown) -> String {
        q.saved_at.map(|at| format!("Saved {}", self.page.local(&at))).unwrap_or_else(|| "Not answered yet".into())
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let sitting = attempts::sitting(&state.app, &signed.actor, id).await?;
    let title = format!("{} · attempt {}", sitting.quiz.title, sitting.attempt.number);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&sitting.offering, sitting.staff, true);
    Ok(render(&AttemptPage { page, sitting }))
}

/// Reads one question's form into a response: `choice` (one pick), `choices` (several),
/// `text`, `match-{left}` (the right picked, by its shown place) and `place-{item}` (the place,
/// from 1, given to the item shown at that place).
fn answer_of(pairs: &[(String, String)]) -> Result<Answer, AppError> {
    let mut answer = Answer::default();
    let mut matches: Vec<(usize, Option<usize>)> = Vec::new();
    let mut places: Vec<(usize, usize)> = Vec::new();
    let number = |field: &str, raw: &str| {
        raw.trim().parse::<usize>().map_err(|_| AppError::field("response", format!("{field} must be a whole number")))
    };
    for (key, value) in pairs {
        match key.as_str() {
            "choice" | "choices" if !value.is_empty() => answer.choices.push(number(key, value)?),
            "text" => answer.text = value.clone(),
            _ => {
                if let Some(left) = key.strip_prefix("match-") {
                    let right = if value.is_empty() { None } else { Some(number(key, value)?) };
                    matches.push((number(key, left)?, right));
                } else if let Some(item) = key.strip_prefix("place-")
                    && !value.is_empty()
                {
                    places.push((number(key, value)?, number(key, item)?));
                }
            }
        }
    }
    if let Some(most) = matches.iter().map(|(l, _)| *l).max() {
        if most >= qobe_domain::quizzes::questions::MOST_PARTS {
            return Err(AppError::refused_field("response", "a match is not one of the pairs"));
        }
        answer.matches = vec![None; most + 1];
        for (left, right) in matches {
            answer.matches[left] = right;
        }
    }
    if !places.is_empty() {
        places.sort_unstable();
        if places.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(AppError::field("response", "give each item a different place"));
        }
        answer.order = places.into_iter().map(|(_, item)| item).collect();
    }
    Ok(answer)
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, slot)): Path<(i64, usize)>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let by_script = headers.get("x-requested-with").is_some_and(|v| v == "fetch");
    let saved = match answer_of(&pairs) {
        Ok(answer) => attempts::save(&state.app, &signed.actor, id, slot, &answer).await,
        Err(err) => Err(err),
    };
    let back = format!("/quizzes/attempts/{id}#q{}", slot + 1);
    match (saved, by_script) {
        (Ok(at), true) => {
            let words = format!("Saved {}", at.with_timezone(&signed.actor.zone()).format("%H:%M:%S"));
            Ok(axum::Json(serde_json::json!({"saved": words})).into_response())
        }
        (Ok(_), false) => Ok(done(&state, &back, "Answer saved.")),
        (Err(err), true) => {
            let status = match &err {
                AppError::Refused(_) => StatusCode::CONFLICT,
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => return Err(err.into()),
            };
            Ok((status, axum::Json(serde_json::json!({"error": err.to_string()}))).into_response())
        }
        (Err(err @ (AppError::Refused(_) | AppError::Invalid(_))), false) => {
            Ok(refused(&state, &back, &err.to_string()))
        }
        (Err(err), false) => Err(err.into()),
    }
}

async fn hand_in(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    match attempts::hand_in(&state.app, &signed.actor, id, &signed.ctx.client).await {
        Ok(attempt) => Ok(done(&state, &format!("/quizzes/{}", attempt.quiz_id), "Handed in.")),
        Err(err @ AppError::Refused(_)) => Ok(refused(&state, &format!("/quizzes/attempts/{id}"), &err.to_string())),
        Err(err) => Err(err.into()),
    }
}
