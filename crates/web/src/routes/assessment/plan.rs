//! The assessment plan page: assessments with weightage and category, items with CLO shares.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::assessment::Access;
use qobe_app::assessment::plan::{self, PlanChange, PlanView};
use qobe_domain::ids::{AssessmentId, ItemId, OfferingId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{Editing, FormState, Submitted};
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/offerings/{id}/plan", get(show))
        .route("/assessment/offerings/{id}/assessments", post(add_assessment))
        .route("/assessment/offerings/{id}/items", post(add_item))
        .route("/assessment/offerings/{id}/assessments/{assessment}", post(change_assessment))
        .route("/assessment/offerings/{id}/assessments/{assessment}/delete", post(delete_assessment))
        .route("/assessment/offerings/{id}/items/{item}", post(change_item))
        .route("/assessment/offerings/{id}/items/{item}/delete", post(delete_item))
}

#[derive(Template)]
#[template(path = "assessment/plan.html")]
struct PlanPage {
    page: Page,
    view: PlanView,
    rubrics: Vec<(qobe_app::assessment::rubrics::Rubric, Vec<qobe_domain::rubric::Criterion>)>,
    assessment_form: FormState,
    item_form: FormState,
    /// A change or deletion of one assessment or item that was refused, with what was typed.
    editing: Editing,
    history: Vec<PlanChange>,
}

/// Which of the page's forms comes back with what was typed and its errors.
enum Kept {
    Nothing,
    NewAssessment(FormState),
    NewItem(FormState),
    Edit(&'static str, i64, FormState),
}

impl PlanPage {
    fn can_edit(&self) -> bool {
        self.view.access == Access::Edit
    }

    fn total_weight(&self) -> String {
        qobe_app::assessment::marks::display_number(self.view.plan.assessments.iter().map(|a| a.weight).sum())
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn plan(&self) -> &PlanView {
        &self.view
    }
}

async fn page(state: &AppState, signed: &SignedIn, id: i64, kept: Kept) -> Result<PlanPage, HtmlError> {
    let view = plan::view(&state.app, &signed.actor, OfferingId(id)).await?;
    let title = format!("Assessment plan — {} {}", view.offering.course.code, view.offering.term.code);
    let rubrics = qobe_app::assessment::rubrics::list(&state.app, &signed.actor).await.unwrap_or_default();
    let history = plan::history(&state.app, &signed.actor, OfferingId(id)).await?;
    let mut assessment_form = FormState::new().set("category", "CIE");
    let mut item_form = FormState::new().set("max_marks", "10");
    let mut editing = Editing::none();
    match kept {
        Kept::Nothing => {}
        Kept::NewAssessment(form) => assessment_form = form,
        Kept::NewItem(form) => item_form = form,
        Kept::Edit(kind, id, form) => editing = Editing::of(kind, id, form),
    }
    let page = Page::new(&title, &signed.ctx).in_offering(&view.offering, true);
    Ok(PlanPage { page, view, rubrics, assessment_form, item_form, editing, history })
}

/// The page again after a refused form, with that form open and the refusal's status.
async fn again(state: &AppState, signed: &SignedIn, id: i64, kept: Kept) -> Result<Response, HtmlError> {
    let status = match &kept {
        Kept::Nothing => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        Kept::NewAssessment(form) | Kept::NewItem(form) | Kept::Edit(_, _, form) => form.status(),
    };
    Ok(render_with(status, &page(state, signed, id, kept).await?))
}

fn plan_path(id: i64) -> String {
    format!("/assessment/offerings/{id}/plan")
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, id, Kept::Nothing).await?))
}

async fn add_assessment(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<plan::AssessmentInput>,
) -> Result<Response, HtmlError> {
    let result = plan::add_assessment(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await;
    match result {
        Ok(a) => Ok(done(&state, &plan_path(id), &format!("{} added.", a.name))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            again(&state, &signed, id, Kept::NewAssessment(kept)).await
        }
    }
}

async fn add_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<plan::ItemInput>,
) -> Result<Response, HtmlError> {
    let result = plan::add_item(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await;
    match result {
        Ok(()) => Ok(done(&state, &plan_path(id), &format!("{} added.", form.input.label.trim()))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            again(&state, &signed, id, Kept::NewItem(kept)).await
        }
    }
}

async fn change_assessment(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, assessment)): Path<(i64, AssessmentId)>,
    form: Submitted<plan::AssessmentInput>,
) -> Result<Response, HtmlError> {
    let input = &form.input;
    let result =
        plan::change_assessment(&state.app, &signed.actor, OfferingId(id), assessment, input, &signed.ctx.client).await;
    match result {
        Ok(()) => Ok(done(&state, &plan_path(id), &format!("{} saved.", form.input.name.trim()))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            again(&state, &signed, id, Kept::Edit("assessment", assessment.0, kept)).await
        }
    }
}

async fn delete_assessment(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, assessment)): Path<(i64, AssessmentId)>,
) -> Result<Response, HtmlError> {
    match plan::delete_assessment(&state.app, &signed.actor, OfferingId(id), assessment, &signed.ctx.client).await {
        Ok(name) => Ok(done(&state, &plan_path(id), &format!("{name} deleted."))),
        Err(err) => {
            let kept = FormState::new().absorb(err)?;
            again(&state, &signed, id, Kept::Edit("assessment", assessment.0, kept)).await
        }
    }
}

async fn change_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, item)): Path<(i64, ItemId)>,
    form: Submitted<plan::ItemChange>,
) -> Result<Response, HtmlError> {
    match plan::change_item(&state.app, &signed.actor, OfferingId(id), item, &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &plan_path(id), &format!("{} saved.", form.input.label.trim()))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            again(&state, &signed, id, Kept::Edit("item", item.0, kept)).await
        }
    }
}

async fn delete_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, item)): Path<(i64, ItemId)>,
) -> Result<Response, HtmlError> {
    match plan::delete_item(&state.app, &signed.actor, OfferingId(id), item, &signed.ctx.client).await {
        Ok(label) => Ok(done(&state, &plan_path(id), &format!("{label} deleted."))),
        Err(err) => {
            let kept = FormState::new().absorb(err)?;
            again(&state, &signed, id, Kept::Edit("item", item.0, kept)).await
        }
    }
}
