//! The platform operator's console: institutions, plans and seats — never their content.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::tenancy::Institution;
use qobe_domain::ids::InstitutionId;
use qobe_domain::tenancy::Plan;

use super::{done, render, render_invalid};
use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operator", get(show))
        .route("/operator/institutions", post(create))
        .route("/operator/institutions/{id}/plan", post(change_plan))
        .route("/operator/institutions/{id}/suspend", post(suspend))
        .route("/operator/institutions/{id}/reactivate", post(reactivate))
        .route("/operator/demo", post(demo))
        .route("/operator/jobs/{id}/retry", post(retry_job))
}

#[derive(Template)]
#[template(path = "operator.html")]
struct OperatorPage {
    page: Page,
    institutions: Vec<(Institution, u64)>,
    form: FormState,
    plans: [Plan; 3],
    /// Background work given up after its last attempt, with its institution's name.
    given_up: Vec<(qobe_app::jobs::Job, String)>,
}

async fn operator_page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<OperatorPage, HtmlError> {
    let institutions = qobe_app::tenancy::list_for_operator(&state.app, &signed.actor).await?;
    let given_up = qobe_app::jobs::given_up_work(&state.app, &signed.actor)
        .await?
        .into_iter()
        .map(|job| {
            let name = institutions.iter().find(|(i, _)| Some(i.id) == job.institution_id).map(|(i, _)| i.name.clone());
            (job, name.unwrap_or_else(|| "—".to_owned()))
        })
        .collect();
    Ok(OperatorPage { page: Page::new("Institutions", &signed.ctx), institutions, form, plans: Plan::ALL, given_up })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&operator_page(&state, &signed, FormState::new().set("plan", "trial")).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Submitted { input, typed }: Submitted<qobe_app::tenancy::NewInstitutionInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::tenancy::create(&state.app, &signed.actor, input, &signed.ctx.client).await {
        Ok(inst) => {
            Ok(done(&state, "/operator", &format!("{} created; an invitation went to its first admin.", inst.name)))
        }
        Err(err) => {
            let kept = typed.absorb(err)?;
            Ok(render_invalid(&operator_page(&state, &signed, kept).await?))
        }
    }
}

async fn change_plan(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<qobe_app::tenancy::PlanInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::tenancy::change_plan(&state.app, &signed.actor, InstitutionId(id), &form.input, &signed.ctx.client)
        .await
    {
        Ok(()) => Ok(done(&state, "/operator", "Plan updated.")),
        Err(err @ qobe_app::AppError::Invalid(_)) => Ok(done(&state, "/operator", &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

/// Suspends an institution: its people are signed out and their API tokens revoked at once.
async fn suspend(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    qobe_app::tenancy::suspend(&state.app, &signed.actor, InstitutionId(id), &signed.ctx.client).await?;
    Ok(done(&state, "/operator", "Institution suspended: its people are signed out and their API tokens revoked."))
}

async fn reactivate(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    qobe_app::tenancy::reactivate(&state.app, &signed.actor, InstitutionId(id), &signed.ctx.client).await?;
    Ok(done(&state, "/operator", "Institution reactivated. Earlier API tokens stay revoked."))
}

/// Puts work that was given up back in the queue.
async fn retry_job(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<qobe_domain::ids::JobId>,
) -> Result<Response, HtmlError> {
    qobe_app::jobs::retry(&state.app, &signed.actor, id, &signed.ctx.client).await?;
    Ok(done(&state, "/operator", "The work is queued again and runs within a minute."))
}

/// Makes the small demo institution (the larger sizes take a while: `qobe demo --size m|l`).
async fn demo(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require_operator()?;
    match qobe_app::demo::generate(&state.app, qobe_app::demo::Size::S, |line| tracing::info!(%line, "demo")).await {
        Ok(summary) => Ok(done(
            &state,
            "/operator",
            &format!(
                "{} created with {} students. Sign in with the password \"{}\" as {}.",
                summary.slug,
                summary.students,
                summary.password,
                summary
                    .sign_ins
                    .iter()
                    .map(|(role, email)| format!("{email} ({})", role.label()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        Err(err @ qobe_app::AppError::Conflict { .. }) => {
            Ok(crate::routes::refused(&state, "/operator", &err.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}
