//! Rubrics: the institution's list, writing a new one, and applying one to an assessment.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::assessment::rubrics;
use qobe_app::assessment::rubrics::Rubric;
use qobe_domain::ids::OfferingId;
use qobe_domain::rubric::Criterion;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, refused, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/rubrics", get(list).post(create))
        .route("/assessment/offerings/{id}/rubric", post(apply))
}

#[derive(Template)]
#[template(path = "assessment/rubrics.html")]
struct RubricsPage {
    page: Page,
    rubrics: Vec<(Rubric, Vec<Criterion>)>,
    form: FormState,
}

async fn page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<RubricsPage, HtmlError> {
    let rubrics = rubrics::list(&state.app, &signed.actor).await?;
    Ok(RubricsPage { page: Page::new("Rubrics", &signed.ctx), rubrics, form })
}

async fn list(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let example = "Problem analysis: Excellent=4 (complete and justified), Good=3, Fair=2, Poor=0\nCommunication: Clear=2, Partly clear=1, Unclear=0";
    Ok(render(&page(&state, &signed, FormState::new().set("criteria", example)).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<rubrics::RubricInput>,
) -> Result<Response, HtmlError> {
    match rubrics::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(r) => Ok(done(&state, "/assessment/rubrics", &format!("Rubric {} saved.", r.name))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, kept).await?))
        }
    }
}

async fn apply(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<rubrics::ApplyInput>,
) -> Result<Response, HtmlError> {
    let to = format!("/assessment/offerings/{id}/plan");
    match rubrics::apply(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await {
        Ok(n) => Ok(done(&state, &to, &format!("Rubric applied: {n} criteria added as items."))),
        Err(err @ (qobe_app::AppError::Invalid(_) | qobe_app::AppError::Conflict { .. })) => {
            Ok(refused(&state, &to, &format!("Rubric not applied. {err}")))
        }
        Err(err) => Err(err.into()),
    }
}
