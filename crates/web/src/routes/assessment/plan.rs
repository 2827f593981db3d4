//! The assessment plan page: assessments with weightage and category, items with CLO shares.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::assessment::Access;
use qobe_app::assessment::plan::{self, PlanView};
use qobe_domain::ids::OfferingId;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/offerings/{id}/assessment", get(show))
        .route("/academics/offerings/{id}/assessments", post(add_assessment))
        .route("/academics/offerings/{id}/items", post(add_item))
}

#[derive(Template)]
#[template(path = "assessment/plan.html")]
struct PlanPage {
    page: Page,
    view: PlanView,
    rubrics: Vec<(qobe_app::rows::Rubric, Vec<qobe_domain::rubric::Criterion>)>,
    assessment_form: FormState,
    item_form: FormState,
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

    fn clos_of(&self, index: &usize) -> String {
        self.view.item_clos[*index]
            .iter()
            .map(
                |(code, share)| {
                    if (*share - 1.0).abs() < 1e-9 { code.clone() } else { format!("{code} ×{}", self.number(share)) }
                },
            )
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn page(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    assessment_form: FormState,
    item_form: FormState,
) -> Result<PlanPage, HtmlError> {
    let view = plan::view(&state.app, &signed.actor, OfferingId(id)).await?;
    let title = format!("Assessment plan — {} {}", view.offering.course.code, view.offering.term.code);
    let rubrics = qobe_app::assessment::rubrics::list(&state.app, &signed.actor).await.unwrap_or_default();
    Ok(PlanPage { page: Page::new(&title, &signed.ctx), view, rubrics, assessment_form, item_form })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let assessment_form = FormState::new().set("category", "CIE");
    let item_form = FormState::new().set("max_marks", "10");
    Ok(render(&page(&state, &signed, id, assessment_form, item_form).await?))
}

#[derive(Deserialize)]
struct AssessmentForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    weight: String,
}

async fn add_assessment(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<AssessmentForm>,
) -> Result<Response, HtmlError> {
    let result = plan::add_assessment(
        &state.app,
        &signed.actor,
        OfferingId(id),
        &form.name,
        &form.category,
        &form.weight,
        &signed.ctx.client,
    )
    .await;
    match result {
        Ok(a) => Ok(done(&state, &format!("/academics/offerings/{id}/assessment"), &format!("{} added.", a.name))),
        Err(err) => {
            let kept = FormState::with_values([
                ("name", form.name.as_str()),
                ("category", &form.category),
                ("weight", &form.weight),
            ])
            .absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, id, kept, FormState::new()).await?))
        }
    }
}

#[derive(Deserialize)]
struct ItemForm {
    #[serde(default)]
    assessment: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    max_marks: String,
    #[serde(default)]
    clos: String,
}

async fn add_item(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ItemForm>,
) -> Result<Response, HtmlError> {
    let assessment = form.assessment.trim().parse().unwrap_or(-1);
    let result = plan::add_item(
        &state.app,
        &signed.actor,
        OfferingId(id),
        plan::ItemInput { assessment, label: &form.label, max_marks: &form.max_marks, clos: &form.clos },
        &signed.ctx.client,
    )
    .await;
    match result {
        Ok(()) => {
            Ok(done(&state, &format!("/academics/offerings/{id}/assessment"), &format!("{} added.", form.label.trim())))
        }
        Err(err) => {
            let kept = FormState::with_values([
                ("assessment", form.assessment.as_str()),
                ("label", &form.label),
                ("max_marks", &form.max_marks),
                ("clos", &form.clos),
            ])
            .absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, id, FormState::new(), kept).await?))
        }
    }
}
