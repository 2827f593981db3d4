//! Answering a survey: a person with an account at `/surveys/{id}/answer`, an external
//! respondent by the link they were sent (`/surveys/respond?token=…`), and the designer's
//! preview. One page, built for a phone: a fieldset per question with its error beside it,
//! "Save and finish later", and "Submit". Without script every section shows; with it, the
//! conditions hide what does not apply as the respondent answers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use qobe_app::AppError;
use qobe_app::surveys::Survey;
use qobe_app::surveys::respond::{self, AnswerInput, Answering, Outcome, Respondent, Window};
use qobe_domain::FieldErrors;
use qobe_domain::ids::SurveyId;
use qobe_domain::surveys::summary::point_names;
use qobe_domain::surveys::{Condition, Question, QuestionKind, SurveyForm, Test, answer_fields};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn, Visitor};
use crate::error::HtmlError;
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/{id}/answer", get(person_page).post(person_answer))
        .route("/surveys/respond", get(link_page).post(link_answer))
}

/// Where the page's form goes.
pub enum Mode {
    Person,
    /// An external respondent's link token, sent back in a hidden field.
    Link(String),
    /// The designer's preview: nothing is sent.
    Preview,
}

#[derive(Template)]
#[template(path = "surveys/answer.html")]
pub struct AnswerPage {
    pub page: Page,
    pub survey: Survey,
    pub form: SurveyForm,
    /// The fields as typed, or as saved.
    pub values: Vec<(String, String)>,
    pub errors: FieldErrors,
    pub message: Option<String>,
    pub mode: Mode,
    pub answered: bool,
    /// Why the survey takes no answers, when it does not.
    pub closed_because: Option<&'static str>,
}

impl AnswerPage {
    pub fn new(page: Page, answering: Answering, mode: Mode) -> AnswerPage {
        let values = answer_fields(&answering.form, &answering.draft);
        let closed_because = match answering.window {
            Window::Open => None,
            Window::NotYet => Some("This survey is not open yet."),
            Window::Closed => Some("This survey has closed and takes no more answers."),
        };
        AnswerPage {
            page,
            answered: answering.answered,
            closed_because,
            survey: answering.survey,
            form: answering.form,
            values,
            errors: FieldErrors::new(),
            message: None,
            mode,
        }
    }

    fn action(&self) -> String {
        match &self.mode {
            Mode::Person => format!("/surveys/{}/answer", self.survey.id),
            Mode::Link(_) => "/surveys/respond".into(),
            Mode::Preview => format!("/surveys/{}/preview", self.survey.id),
        }
    }

    fn token(&self) -> &str {
        match &self.mode {
            Mode::Link(token) => token,
            _ => "",
        }
    }

    fn preview(&self) -> bool {
        matches!(self.mode, Mode::Preview)
    }

    fn value(&self, name: &str) -> &str {
        self.values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    fn picked(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// What was typed as a choice question's "other".
    fn other(&self, key: &str) -> &str {
        self.value(&format!("{key}.other"))
    }

    fn part(&self, key: &str, part: &usize) -> String {
        format!("{key}.{part}")
    }

    fn error(&self, key: &str) -> Option<&str> {
        self.errors.get(key)
    }

    fn kind(&self, q: &Question) -> &'static str {
        qobe_app::surveys::edit::kind_name(&q.kind)
    }

    /// A scale's or grid's points as (value, label).
    fn points(&self, q: &Question) -> Vec<(String, String)> {
        match &q.kind {
            QuestionKind::Scale { points, labels } | QuestionKind::Matrix { points, labels, .. } => {
                point_names(*points, labels).into_iter().enumerate().map(|(n, l)| ((n + 1).to_string(), l)).collect()
            }
            _ => Vec::new(),
        }
    }

    fn options<'a>(&self, q: &'a Question) -> &'a [String] {
        match &q.kind {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options } => options,
            _ => &[],
        }
    }

    fn rows<'a>(&self, q: &'a Question) -> &'a [String] {
        match &q.kind {
            QuestionKind::Matrix { rows, .. } => rows,
            _ => &[],
        }
    }

    fn places(&self, q: &Question) -> Vec<usize> {
        (1..=self.options(q).len()).collect()
    }

    fn has_other(&self, q: &Question) -> bool {
        matches!(
            q.kind,
            QuestionKind::SingleChoice { other: true, .. } | QuestionKind::MultipleChoice { other: true, .. }
        )
    }

    /// A number's `min`, `max` and `step` attributes.
    fn range(&self, q: &Question) -> (String, String, &'static str) {
        match &q.kind {
            QuestionKind::Numeric { min, max, whole } => (
                min.map(|v| v.to_string()).unwrap_or_default(),
                max.map(|v| v.to_string()).unwrap_or_default(),
                if *whole { "1" } else { "any" },
            ),
            _ => (String::new(), String::new(), "any"),
        }
    }

    /// The condition as the page's script reads it: `key`, test and value(s).
    fn condition(&self, condition: &Option<Condition>) -> Option<(String, &'static str, String)> {
        let c = condition.as_ref()?;
        let (test, value) = match &c.test {
            Test::Answered => ("answered", String::new()),
            Test::AnyOf { options } => ("any_of", options.join("|")),
            Test::AtLeast { value } => ("at_least", value.to_string()),
            Test::AtMost { value } => ("at_most", value.to_string()),
        };
        Some((c.question.clone(), test, value))
    }
}

fn title(survey: &Survey) -> String {
    survey.title.clone()
}

async fn person_page(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
) -> Result<Response, HtmlError> {
    let answering = respond::open(&state.app, &Respondent::Person(&signed.actor), Some(id)).await?;
    let page = Page::new(&title(&answering.survey), &signed.ctx);
    Ok(render(&AnswerPage::new(page, answering, Mode::Person)))
}

async fn person_answer(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let respondent = Respondent::Person(&signed.actor);
    let to = format!("/surveys/{id}/answer");
    answer(&state, &respondent, Some(id), fields, &to, Page::new("", &signed.ctx), Mode::Person).await
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

async fn link_page(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Query(query): Query<TokenQuery>,
) -> Result<Response, HtmlError> {
    let answering = respond::open(&state.app, &Respondent::Link(&query.token), None).await?;
    let page = Page::new(&title(&answering.survey), &ctx);
    Ok(render(&AnswerPage::new(page, answering, Mode::Link(query.token))))
}

async fn link_answer(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let token = fields.iter().find(|(k, _)| k == "token").map(|(_, v)| v.clone()).unwrap_or_default();
    let respondent = Respondent::Link(&token);
    let to = format!("/surveys/respond?token={}", urlencoding(&token));
    answer(&state, &respondent, None, fields, &to, Page::new("", &ctx), Mode::Link(token.clone())).await
}

/// A token is hex, but whatever came is put back in the address safely.
fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Saves or submits; a refusal or a bad answer shows the page again with what was typed.
async fn answer(
    state: &AppState,
    respondent: &Respondent<'_>,
    id: Option<SurveyId>,
    fields: Vec<(String, String)>,
    to: &str,
    page: Page,
    mode: Mode,
) -> Result<Response, HtmlError> {
    let finish = fields.iter().any(|(k, _)| k == "finish");
    let input = AnswerInput::from_fields(&fields, finish);
    match respond::answer(&state.app, respondent, id, &input).await {
        Ok(Outcome::Saved) => {
            Ok(done(state, to, "Your answers are saved: come back to finish before the survey closes."))
        }
        Ok(Outcome::Submitted) => Ok(done(state, to, "Thank you: your answers are in.")),
        Err(err) => {
            let status = crate::error::status_of(&err);
            let (errors, message) = match err {
                AppError::Invalid(errors) => {
                    (errors, Some("Some answers need another look: see the questions marked.".to_owned()))
                }
                AppError::Refused(reasons) => (FieldErrors::new(), Some(reasons.join(" "))),
                AppError::Conflict { message, .. } => (FieldErrors::new(), Some(message)),
                other => return Err(other.into()),
            };
            let answering = respond::open(&state.app, respondent, id).await?;
            let mut page = page;
            page.title = title(&answering.survey);
            let mut shown = AnswerPage::new(page, answering, mode);
            shown.values = fields;
            shown.errors = errors;
            shown.message = message;
            Ok(render_with(status, &shown))
        }
    }
}
