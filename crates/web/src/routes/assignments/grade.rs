//! The grading view: one student's work at a time (their versions, files and text), the
//! assessment's items with a field each (a rubric's levels to choose from where it scores one),
//! feedback, and the way to the previous and next student by button or key. While an anonymous
//! assignment's marks are unreleased, students are "Student 1", "Student 2"… in the
//! assignment's own order, and addresses name them by a key that says nothing of who they are.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::assignments::grading::{self, GivenMark, GradeInput, Grading, Whom};
use qobe_domain::ids::AssignmentId;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new().route("/assignments/{id}/grade", get(show)).route("/assignments/{id}/grade/{student}", post(save))
}

#[derive(Template)]
#[template(path = "assignments/grade.html")]
struct GradePage {
    page: Page,
    grading: Grading,
    form: FormState,
}

impl GradePage {
    fn field(&self, item: &i64) -> String {
        format!("item-{item}")
    }

    fn value(&self, item: &i64) -> String {
        match self.form.typed(&self.field(item)) {
            Some(typed) => typed.to_owned(),
            None => self.grading.given.get(item).cloned().unwrap_or_default(),
        }
    }

    fn error(&self, item: &i64) -> Option<String> {
        self.form.error(&self.field(item)).map(str::to_owned)
    }

    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }

    fn percent(&self) -> String {
        qobe_app::assessment::marks::display_number(self.grading.penalty * 100.0)
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn size(&self, bytes: &i64) -> String {
        qobe_app::files::amount(u64::try_from(*bytes).unwrap_or(0))
    }

    fn feedback(&self) -> String {
        self.form.typed("feedback").map(str::to_owned).unwrap_or_else(|| self.grading.feedback.clone())
    }
}

#[derive(Deserialize, Default)]
struct Which {
    #[serde(default)]
    student: Option<String>,
}

async fn grade_page(
    state: &AppState,
    signed: &SignedIn,
    id: AssignmentId,
    key: Option<&str>,
    form: FormState,
) -> Result<GradePage, HtmlError> {
    let grading = grading::grading(&state.app, &signed.actor, id, key).await?;
    let title = format!("Grading · {}", grading.assignment.title);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&grading.offering, true, true);
    Ok(GradePage { page, grading, form })
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(which): Query<Which>,
) -> Result<Response, HtmlError> {
    let key = which.student.filter(|k| !k.is_empty());
    Ok(render(&grade_page(&state, &signed, AssignmentId(id), key.as_deref(), FormState::new()).await?))
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, key)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let assignment = AssignmentId(id);
    let marks: Vec<GivenMark> = pairs
        .iter()
        .filter_map(|(name, value)| {
            let item = name.strip_prefix("item-")?.parse().ok()?;
            Some(GivenMark { item, value: value.clone() })
        })
        .collect();
    let field = |wanted: &str| pairs.iter().rev().find(|(name, _)| name == wanted).map(|(_, v)| v.clone());
    let input = GradeInput { marks, feedback: field("feedback").unwrap_or_default() };
    let then = field("then").unwrap_or_default();
    let next = field("next").unwrap_or_default();
    match grading::grade(&state.app, &signed.actor, assignment, &Whom::Key(key.clone()), &input, &signed.ctx.client)
        .await
    {
        Ok(_) => {
            let to = if then == "next" && !next.is_empty() { next } else { key };
            Ok(done(&state, &format!("/assignments/{id}/grade?student={to}"), "Marks saved."))
        }
        Err(err) => {
            let typed = FormState::from_pairs(&pairs);
            let kept = typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &grade_page(&state, &signed, assignment, Some(&key), kept).await?))
        }
    }
}
