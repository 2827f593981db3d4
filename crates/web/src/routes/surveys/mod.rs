//! Surveys' pages: the list (those the person manages, those they are asked to answer) with a
//! new survey's form, the designer and publishing ([`design`]), answering ([`answer`]), and the
//! results ([`results`]).

mod answer;
mod design;
mod results;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use qobe_app::surveys::Survey;
use qobe_app::surveys::design::NewSurveyInput;
use qobe_app::surveys::respond::{Asked, Window};
use qobe_app::surveys::subjects::Subjects;
use qobe_app::surveys::{Purpose, Status};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(create))
        .merge(design::router())
        .merge(answer::router())
        .merge(results::router())
}

/// The words of a survey's status, with its badge's class.
pub fn status_badge(survey: &Survey) -> (&'static str, &'static str) {
    match Status::of(survey) {
        Status::Draft => ("Draft", "warn"),
        Status::Open => ("Open", "ok"),
        Status::Closed => ("Closed", ""),
    }
}

pub fn purpose_label(survey: &Survey) -> &'static str {
    Purpose::parse(&survey.purpose).unwrap_or(Purpose::General).label()
}

#[derive(Template)]
#[template(path = "surveys/list.html")]
struct ListPage {
    page: Page,
    managed: Vec<Survey>,
    asked: Vec<Asked>,
    subjects: Subjects,
    purposes: [Purpose; 5],
    form: FormState,
}

impl ListPage {
    fn badge(&self, survey: &Survey) -> (&'static str, &'static str) {
        status_badge(survey)
    }

    fn purpose(&self, survey: &Survey) -> &'static str {
        purpose_label(survey)
    }

    fn is_open(&self, asked: &Asked) -> bool {
        asked.window == Window::Open && !asked.answered
    }

    fn not_yet(&self, asked: &Asked) -> bool {
        asked.window == Window::NotYet
    }

    fn closes(&self, survey: &Survey) -> String {
        self.page.local_opt(&survey.closes_at)
    }
}

async fn list_page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<ListPage, HtmlError> {
    let app = &state.app;
    let actor = &signed.actor;
    let subjects = qobe_app::surveys::subjects::of(app, actor).await?;
    let managed = if subjects.any() { qobe_app::surveys::design::list(app, actor).await? } else { Vec::new() };
    Ok(ListPage {
        page: Page::new("Surveys", &signed.ctx),
        managed,
        asked: qobe_app::surveys::respond::asked(app, actor).await?,
        subjects,
        purposes: Purpose::ALL,
        form,
    })
}

async fn list(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let form = FormState::new().set("purpose", "course_exit").set("template", "on");
    Ok(render(&list_page(&state, &signed, form).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<NewSurveyInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::surveys::design::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(survey) => {
            Ok(done(&state, &format!("/surveys/{}", survey.id), "Survey made: shape its questions, then publish it."))
        }
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&list_page(&state, &signed, kept).await?))
        }
    }
}
