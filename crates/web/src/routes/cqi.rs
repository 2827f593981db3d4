//! The CQI loop's pages: the dashboard, a finding with its actions, and the steps on them.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::AppError;
use qobe_app::cqi::actions::{self, FindingView};
use qobe_app::cqi::findings::{self, Dashboard};
use qobe_domain::cqi::{ActionStatus, Criticality, Effectiveness};
use qobe_domain::ids::{ActionId, EvidenceId, FindingId};
use qobe_domain::ids::{CloId, OfferingId};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::download::Show;
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::forms::{FormState, Submitted};
use crate::routes::upload::Upload;
use crate::routes::{done, percent, refused, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cqi", get(dashboard))
        .route("/cqi/findings", post(raise))
        .route("/cqi/reminders", post(reminders))
        .route("/cqi/findings/{id}", get(finding))
        .route("/cqi/findings/{id}/actions", post(add_action))
        .route("/cqi/findings/{id}/close", post(close))
        .route("/cqi/actions/{id}/status", post(status))
        .route("/cqi/actions/{id}/effectiveness", post(effectiveness))
        .route("/cqi/actions/{id}/carry", post(carry))
        .route("/cqi/actions/{id}/evidence", post(attach))
        .route("/cqi/evidence/{id}", get(evidence_file))
        .route("/cqi/offerings/{id}/clos/{clo}/finding", post(raise_from_shortfall))
}

/// Turns a refusal or bad input into a notice on `to`; other errors go to the error page.
fn step_result(state: &AppState, to: &str, result: Result<String, AppError>) -> Result<Response, HtmlError> {
    match result {
        Ok(message) => Ok(done(state, to, &message)),
        Err(err @ (AppError::Refused(_) | AppError::Invalid(_) | AppError::TooLarge(_))) => {
            Ok(refused(state, to, &err.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "cqi/dashboard.html")]
struct DashboardPage {
    page: Page,
    view: Dashboard,
    programs: Vec<qobe_app::structure::Program>,
    criticalities: &'static [Criticality],
    form: FormState,
}

impl DashboardPage {
    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }
}

async fn dashboard_page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<DashboardPage, HtmlError> {
    let view = findings::dashboard(&state.app, &signed.actor).await?;
    let (_, programs) = qobe_app::structure::list(&state.app, &signed.actor).await?;
    Ok(DashboardPage {
        page: Page::new("Quality improvement", &signed.ctx),
        view,
        programs,
        criticalities: Criticality::ALL,
        form,
    })
}

async fn dashboard(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let page = dashboard_page(&state, &signed, FormState::new().set("criticality", "medium")).await?;
    if let Some(file) =
        download(&state, &signed, &format, || qobe_app::reports::cqi_dashboard(&page.view, &page.programs)).await?
    {
        return Ok(file);
    }
    Ok(render(&page))
}

async fn raise(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<findings::FindingInput>,
) -> Result<Response, HtmlError> {
    match findings::raise(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(row) => {
            Ok(done(&state, &format!("/cqi/findings/{}", row.id), "Finding raised: add the actions that answer it."))
        }
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&dashboard_page(&state, &signed, kept).await?))
        }
    }
}

async fn raise_from_shortfall(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, clo)): Path<(i64, i64)>,
) -> Result<Response, HtmlError> {
    match findings::raise_from_shortfall(&state.app, &signed.actor, OfferingId(id), CloId(clo), &signed.ctx.client)
        .await
    {
        Ok(row) => Ok(done(&state, &format!("/cqi/findings/{}", row.id), "Finding raised from the shortfall.")),
        Err(err @ AppError::Refused(_)) => {
            Ok(refused(&state, &format!("/assessment/offerings/{id}/attainment"), &err.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}

async fn reminders(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let sent = actions::send_reminders(&state.app, &signed.actor, &signed.ctx.client).await?;
    Ok(done(&state, "/cqi", &format!("{sent} reminders sent.")))
}

#[derive(Template)]
#[template(path = "cqi/finding.html")]
struct FindingPage {
    page: Page,
    view: FindingView,
    statuses: &'static [ActionStatus],
    effectiveness: &'static [Effectiveness],
    user_id: i64,
    /// May open the attainment the finding was raised from.
    evidence_open: bool,
}

impl FindingPage {
    fn can_update(&self, owner: &i64) -> bool {
        self.view.manages || *owner == self.user_id
    }
}

async fn finding(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<FindingId>,
) -> Result<Response, HtmlError> {
    let view = actions::view(&state.app, &signed.actor, id).await?;
    let evidence_open = match view.finding.offering_id {
        Some(offering) => {
            let offering = qobe_domain::ids::OfferingId(offering);
            qobe_app::assessment::staff_access(&state.app, &signed.actor, offering).await.is_ok()
        }
        None => false,
    };
    Ok(render(&FindingPage {
        page: Page::new(&view.finding.title.clone(), &signed.ctx),
        evidence_open,
        view,
        statuses: ActionStatus::ALL,
        effectiveness: Effectiveness::ALL,
        user_id: signed.actor.user_id.0,
    }))
}

async fn add_action(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<FindingId>,
    form: Submitted<actions::ActionInput>,
) -> Result<Response, HtmlError> {
    let result = actions::add(&state.app, &signed.actor, id, &form.input, &signed.ctx.client)
        .await
        .map(|_| "Action added.".to_owned());
    step_result(&state, &format!("/cqi/findings/{id}"), result)
}

async fn close(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<FindingId>,
) -> Result<Response, HtmlError> {
    let result = actions::close_finding(&state.app, &signed.actor, id, &signed.ctx.client)
        .await
        .map(|()| "Finding closed.".to_owned());
    step_result(&state, &format!("/cqi/findings/{id}"), result)
}

async fn status(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<ActionId>,
    form: Submitted<actions::StatusInput>,
) -> Result<Response, HtmlError> {
    let row = actions::set_status(&state.app, &signed.actor, id, &form.input, &signed.ctx.client).await;
    let to = row.as_ref().map(|r| format!("/cqi/findings/{}", r.finding_id)).unwrap_or_else(|_| "/cqi".into());
    step_result(&state, &to, row.map(|_| "Action updated.".to_owned()))
}

async fn effectiveness(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<ActionId>,
    form: Submitted<actions::EffectivenessInput>,
) -> Result<Response, HtmlError> {
    let result = actions::check_effectiveness(&state.app, &signed.actor, id, &form.input, &signed.ctx.client)
        .await
        .map(|()| "Effectiveness recorded.".to_owned());
    // Back to the finding the form was on.
    let finding = form.typed.value("finding").parse::<i64>().unwrap_or(0);
    step_result(&state, &format!("/cqi/findings/{finding}"), result)
}

#[derive(Deserialize)]
struct FindingRef {
    #[serde(default)]
    finding: i64,
}

async fn carry(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<ActionId>,
    Form(f): Form<FindingRef>,
) -> Result<Response, HtmlError> {
    let result = actions::carry_forward(&state.app, &signed.actor, id, &signed.ctx.client)
        .await
        .map(|term| format!("Carried forward to {term}."));
    step_result(&state, &format!("/cqi/findings/{}", f.finding), result)
}

async fn attach(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<ActionId>,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let finding = upload.text("finding").unwrap_or("0").to_owned();
    let (name, bytes) = upload.named_files("file").into_iter().next().unwrap_or_default();
    let result = actions::attach(&state.app, &signed.actor, id, &name, bytes, &signed.ctx.client)
        .await
        .map(|()| format!("{name} attached."));
    step_result(&state, &format!("/cqi/findings/{finding}"), result)
}

async fn evidence_file(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<EvidenceId>,
    headers: HeaderMap,
) -> Result<Response, HtmlError> {
    let file = actions::evidence(&state.app, &signed.actor, id).await?;
    crate::download::send(&state, &file, &headers, Show::Attachment, 0).await
}
