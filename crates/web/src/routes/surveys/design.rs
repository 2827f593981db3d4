//! A survey's own page: the designer while it is a draft (every question editable in place,
//! added, moved by keyboard or drag, deleted, mapped to outcomes, shown on a condition), its
//! preview, and publishing — the window, the audience, invitations, reminders, closing, and a
//! copy to make the next version.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::AppError;
use qobe_app::academics::cohorts::Cohort;
use qobe_app::academics::outcomes::Outcome;
use qobe_app::surveys::design::{self, DesignInput, LinkInput, SurveyView};
use qobe_app::surveys::edit::{self, Edit, KINDS};
use qobe_app::surveys::publish::{self, PublishInput, Standing};
use qobe_app::surveys::respond::{Answering, Window};
use qobe_app::surveys::{Purpose, Status};
use qobe_domain::ids::SurveyId;
use qobe_domain::surveys::{Condition, Question, QuestionKind, Section};

use super::answer::{AnswerPage, Mode};
use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, refused, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/{id}", get(show))
        .route("/surveys/{id}/design", post(save))
        .route("/surveys/{id}/preview", get(preview))
        .route("/surveys/{id}/publish", post(publish_to))
        .route("/surveys/{id}/remind", post(remind))
        .route("/surveys/{id}/close", post(close))
        .route("/surveys/{id}/copy", post(copy))
}

#[derive(Template)]
#[template(path = "surveys/survey.html")]
struct SurveyPage {
    page: Page,
    view: SurveyView,
    /// The design as shown: stored, or as typed when a save failed.
    design: DesignInput,
    /// Fields that did not read, as typed.
    typed: HashMap<String, String>,
    form: FormState,
    publishing: FormState,
    standing: Standing,
    cohorts: Vec<Cohort>,
    kinds: [(&'static str, &'static str); 10],
    /// A condition's tests, as its select offers them.
    tests: [(&'static str, &'static str); 4],
}

impl SurveyPage {
    fn draft(&self) -> bool {
        self.view.status == Status::Draft
    }

    fn badge(&self) -> (&'static str, &'static str) {
        super::status_badge(&self.view.survey)
    }

    fn purpose(&self) -> &'static str {
        self.view.purpose.label()
    }

    /// A question's field as typed, else as designed.
    fn field(&self, q: &Question, part: &str) -> String {
        if let Some(typed) = self.typed.get(&format!("{}.{part}", q.key)) {
            return typed.clone();
        }
        let number = |v: &Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        match (&q.kind, part) {
            (QuestionKind::Scale { points, .. } | QuestionKind::Matrix { points, .. }, "points") => points.to_string(),
            (QuestionKind::Scale { labels, .. } | QuestionKind::Matrix { labels, .. }, "labels") => labels.join("\n"),
            (QuestionKind::Matrix { rows, .. }, "rows") => rows.join("\n"),
            (
                QuestionKind::SingleChoice { options, .. }
                | QuestionKind::MultipleChoice { options, .. }
                | QuestionKind::Ranking { options },
                "options",
            ) => options.join("\n"),
            (QuestionKind::Numeric { min, .. }, "min") => number(min),
            (QuestionKind::Numeric { max, .. }, "max") => number(max),
            (_, "points") => "5".into(),
            _ => String::new(),
        }
    }

    fn flag(&self, q: &Question, part: &str) -> bool {
        match part {
            "required" => q.required,
            "other" => matches!(
                q.kind,
                QuestionKind::SingleChoice { other: true, .. } | QuestionKind::MultipleChoice { other: true, .. }
            ),
            "whole" => matches!(q.kind, QuestionKind::Numeric { whole: true, .. }),
            _ => false,
        }
    }

    fn kind(&self, q: &Question) -> &'static str {
        edit::kind_name(&q.kind)
    }

    fn rated(&self, q: &Question) -> bool {
        q.kind.is_rated()
    }

    fn grid_rows(&self, q: &Question) -> Vec<(usize, String)> {
        match &q.kind {
            QuestionKind::Matrix { rows, .. } => rows.iter().cloned().enumerate().collect(),
            _ => Vec::new(),
        }
    }

    /// The questions before `key` (before section `n`, from 1, when `key` is empty): the ones a
    /// condition may name.
    fn earlier(&self, key: &str, section: &usize) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (s, q) in self.design.form.questions() {
            if q.key == key || (key.is_empty() && s + 1 >= *section) {
                break;
            }
            out.push((q.key.clone(), q.text.clone()));
        }
        out
    }

    fn if_question(&self, condition: &Option<Condition>) -> String {
        condition.as_ref().map(|c| c.question.clone()).unwrap_or_default()
    }

    fn if_test(&self, condition: &Option<Condition>) -> &'static str {
        edit::condition_test(condition)
    }

    fn if_value(&self, prefix: &str, condition: &Option<Condition>) -> String {
        self.typed.get(&format!("{prefix}.if_value")).cloned().unwrap_or_else(|| edit::condition_value(condition))
    }

    /// Whether the question (a grid's `row`, from 0; "" for a scale) is mapped to the outcome.
    fn mapped(&self, q: &Question, row: &str, kind: &str, outcome: &Outcome) -> bool {
        let row = row.parse::<usize>().ok();
        self.design
            .links
            .iter()
            .any(|l| l.question == q.key && l.row == row && l.outcome_kind == kind && l.outcome == outcome.id)
    }

    fn has_links(&self, q: &Question) -> bool {
        self.design.links.iter().any(|l| l.question == q.key)
    }

    fn outcome_label(&self, kind: &str, outcome: &Outcome) -> String {
        let text: String = outcome.text.chars().take(70).collect();
        let more = if outcome.text.chars().count() > 70 { "…" } else { "" };
        format!("{} {}: {text}{more}", kind.to_uppercase(), outcome.code)
    }

    fn error(&self, name: &str) -> Option<&str> {
        self.form.errors.get(name)
    }

    /// The error on `{prefix}.{part}` (a question's or a section's field).
    fn err(&self, prefix: &str, part: &str) -> Option<&str> {
        self.form.errors.get(&format!("{prefix}.{part}"))
    }

    fn section_name(&self, n: &usize) -> String {
        format!("section{n}")
    }

    fn sections(&self) -> &[Section] {
        &self.design.form.sections
    }

    fn closes(&self) -> String {
        self.page.local_opt(&self.view.survey.closes_at)
    }

    fn opens(&self) -> String {
        self.page.local_opt(&self.view.survey.opens_at)
    }

    fn about_offering(&self) -> bool {
        self.view.survey.offering_id.is_some()
    }

    fn about_program(&self) -> bool {
        self.view.survey.program_id.is_some()
    }

    /// Cohorts this survey may be sent to (its program's, or any for an institution survey).
    fn cohort_choices(&self) -> Vec<&Cohort> {
        self.cohorts.iter().filter(|c| self.view.survey.program_id.is_none_or(|p| p == c.program_id)).collect()
    }

    fn taking_answers(&self) -> bool {
        self.view.status == Status::Open
    }
}

fn stored_design(view: &SurveyView) -> DesignInput {
    DesignInput {
        title: view.survey.title.clone(),
        description: view.survey.description.clone(),
        anonymous: view.survey.anonymous,
        form: view.form.clone(),
        links: view
            .links
            .iter()
            .map(|l| LinkInput {
                question: l.question_key.clone(),
                row: l.row,
                outcome_kind: l.kind.to_owned(),
                outcome: l.outcome,
            })
            .collect(),
    }
}

/// The publish form's starting values: open now, close in two weeks, in the person's zone.
fn publishing_defaults(page: &Page, view: &SurveyView) -> FormState {
    let now = chrono::Utc::now().with_timezone(&page.time_zone);
    let format = |at: chrono::DateTime<chrono_tz::Tz>| at.format("%Y-%m-%dT%H:%M").to_string();
    let audience = if view.survey.offering_id.is_some() {
        "offering"
    } else if view.survey.program_id.is_some() {
        match view.purpose {
            Purpose::Alumni => "alumni",
            Purpose::Employer => "external",
            _ => "program",
        }
    } else {
        "staff"
    };
    FormState::new()
        .set("opens_at", &format(now))
        .set("closes_at", &format(now + chrono::Duration::days(14)))
        .set("audience", audience)
}

struct Shown {
    design: Option<(DesignInput, HashMap<String, String>)>,
    form: FormState,
    publishing: Option<FormState>,
}

async fn survey_page(state: &AppState, signed: &SignedIn, id: SurveyId, shown: Shown) -> Result<SurveyPage, HtmlError> {
    let app = &state.app;
    let view = design::view(app, &signed.actor, id).await?;
    let page = Page::new(&view.survey.title, &signed.ctx);
    let (design, typed) = shown.design.unwrap_or_else(|| (stored_design(&view), HashMap::new()));
    let publishing = shown.publishing.unwrap_or_else(|| publishing_defaults(&page, &view));
    Ok(SurveyPage {
        standing: publish::standing(app, &signed.actor, id).await?,
        cohorts: qobe_app::academics::cohorts::list(app, &signed.actor).await?,
        page,
        view,
        design,
        typed,
        form: shown.form,
        publishing,
        kinds: KINDS,
        tests: [("answered", "given at all"), ("any_of", "one of"), ("at_least", "at least"), ("at_most", "at most")],
    })
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
) -> Result<Response, HtmlError> {
    let shown = Shown { design: None, form: FormState::new(), publishing: None };
    Ok(render(&survey_page(&state, &signed, id, shown).await?))
}

/// Saves the design with the edit its button asks for; what does not save comes back as typed.
async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let pressed = fields.iter().rev().find(|(k, _)| k == "edit").map(|(_, v)| v.as_str()).unwrap_or("save");
    let change = Edit::parse(pressed, &fields);
    let mut posted = edit::read(&fields);
    edit::apply(&mut posted.input, &change);
    let result = if posted.errors.is_empty() {
        design::save(&state.app, &signed.actor, id, &posted.input, &signed.ctx.client).await
    } else {
        Err(AppError::Invalid(posted.errors.clone()))
    };
    match result {
        Ok(()) => {
            let anchor = change.anchor(&posted.input.form);
            let to = if anchor.is_empty() { format!("/surveys/{id}") } else { format!("/surveys/{id}#{anchor}") };
            let notice = match change {
                Edit::Save => "Saved.",
                Edit::AddQuestion { .. } => "Question added: write it, then save.",
                Edit::AddSection => "Section added.",
                Edit::Move { .. } | Edit::MoveSection { .. } => "Moved.",
                Edit::Delete { .. } => "Question deleted, with its mappings and the conditions that named it.",
                Edit::DeleteSection { .. } => "Section deleted: its questions joined the one beside it.",
            };
            Ok(done(&state, &to, notice))
        }
        Err(err) => {
            let mut form = FormState::new().absorb(err)?;
            if form.message.is_none() {
                form.message = Some("Not saved yet: correct the fields marked below.".into());
            }
            let shown = Shown { design: Some((posted.input, posted.typed)), form, publishing: None };
            Ok(render_invalid(&survey_page(&state, &signed, id, shown).await?))
        }
    }
}

async fn preview(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
) -> Result<Response, HtmlError> {
    let view = design::view(&state.app, &signed.actor, id).await?;
    let page = Page::new(&format!("Preview: {}", view.survey.title), &signed.ctx);
    let answering = Answering {
        form: view.form,
        survey: view.survey,
        window: Window::Open,
        answered: false,
        draft: Default::default(),
    };
    Ok(render(&AnswerPage::new(page, answering, Mode::Preview)))
}

async fn publish_to(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
    form: Submitted<PublishInput>,
) -> Result<Response, HtmlError> {
    match publish::publish(&state.app, &signed.actor, id, &form.input, &signed.ctx.client).await {
        Ok(asked) => {
            let notice = format!(
                "Published: {} people and {} external respondents invited by email.",
                asked.people, asked.external
            );
            Ok(done(&state, &format!("/surveys/{id}"), &notice))
        }
        Err(err) => {
            let publishing = form.typed.absorb(err)?;
            let shown = Shown { design: None, form: FormState::new(), publishing: Some(publishing) };
            Ok(render_invalid(&survey_page(&state, &signed, id, shown).await?))
        }
    }
}

/// A step on the survey that has nothing to type: its notice, or the refusal as one.
fn stepped(state: &AppState, id: SurveyId, result: Result<String, AppError>) -> Result<Response, HtmlError> {
    let to = format!("/surveys/{id}");
    match result {
        Ok(message) => Ok(done(state, &to, &message)),
        Err(err @ AppError::Refused(_)) => Ok(refused(state, &to, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn remind(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
) -> Result<Response, HtmlError> {
    let sent = publish::remind(&state.app, &signed.actor, id, &signed.ctx.client).await;
    stepped(&state, id, sent.map(|n| format!("Reminders sent to {n} people who have not answered.")))
}

async fn close(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
) -> Result<Response, HtmlError> {
    let closed = publish::close(&state.app, &signed.actor, id, &signed.ctx.client).await;
    stepped(&state, id, closed.map(|()| "Closed: the survey takes no more answers.".to_owned()))
}

async fn copy(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<SurveyId>,
) -> Result<Response, HtmlError> {
    let copy = design::copy(&state.app, &signed.actor, id, &signed.ctx.client).await?;
    Ok(done(&state, &format!("/surveys/{}", copy.id), "Copied: this draft is yours to change."))
}
