//! The institution's attainment policy: a preset with its thresholds and targets, versioned.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::policy::{self, PolicyInput, PolicyView};
use qobe_outcomes::{Policy, ScoreMethod, Treatment};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/attainment-policy", get(show).post(save))
}

#[derive(Template)]
#[template(path = "assessment/policy.html")]
struct PolicyPage {
    page: Page,
    view: PolicyView,
    form: FormState,
    presets: Vec<(&'static str, String)>,
}

fn form_of(policy: &Policy) -> FormState {
    let key = Policy::presets().into_iter().find(|(_, p)| p.name == policy.name).map(|(k, _)| k).unwrap_or("pec");
    let pct = crate::routes::percent_field;
    let treat = |t: Treatment| if t == Treatment::Exclude { "exclude" } else { "zero" };
    let course = if policy.levels.is_some() { format!("{}", policy.course_target) } else { pct(policy.course_target) };
    FormState::new()
        .set("preset", key)
        .set(
            "score",
            if matches!(policy.score, ScoreMethod::MarksBased) { "marks" } else { "percentage_by_assessment" },
        )
        .set("student_threshold", &pct(policy.student_threshold))
        .set("course_target", &course)
        .set("plo_threshold", &pct(policy.plo_threshold))
        .set("cohort_target", &pct(policy.cohort_target))
        .set(
            "indirect_weight",
            &pct(policy.blend.indirect / (policy.blend.direct + policy.blend.indirect).max(f64::EPSILON)),
        )
        .set("absent", treat(policy.marks.absent))
        .set("not_attempted", treat(policy.marks.not_attempted))
        .set(
            "component_levels",
            match policy.component_levels {
                qobe_outcomes::ComponentLevels::MeanOfAssessments => "mean_of_assessments",
                qobe_outcomes::ComponentLevels::Pooled => "pooled",
            },
        )
        .set(
            "indirect",
            match policy.indirect.measure {
                qobe_outcomes::IndirectMeasure::TopPoints { .. } => "top_two",
                qobe_outcomes::IndirectMeasure::WeightedMean => "weighted_mean",
            },
        )
}

async fn page(state: &AppState, signed: &SignedIn, form: Option<FormState>) -> Result<PolicyPage, HtmlError> {
    let view = policy::current(&state.app, &signed.actor).await?;
    let form = form.unwrap_or_else(|| form_of(&view.policy));
    let presets = Policy::presets().into_iter().map(|(k, p)| (k, p.name)).collect();
    Ok(PolicyPage { page: Page::new("Attainment policy", &signed.ctx), view, form, presets })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, None).await?))
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<PolicyInput>,
) -> Result<Response, HtmlError> {
    match policy::save(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(p) => Ok(done(
            &state,
            "/admin/attainment-policy",
            &format!("Policy saved ({}); attainment now follows it.", p.name),
        )),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&page(&state, &signed, Some(kept)).await?))
        }
    }
}
