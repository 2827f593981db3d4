//! Course registration pages: the student's registration page, the approval queue, and the
//! staff actions on an offering's class list (results, holds), and bulk enrolment.

mod bulk;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::registration::{self, OpenOffering, PendingRequest, RegistrationPage};
use qobe_domain::ids::{EnrollmentId, HoldId, OfferingId, TermId, UserId};
use qobe_domain::registration::{EnrollmentStatus, Placement};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{done, refused, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(bulk::router())
        .route("/registration", get(show))
        .route("/registration/{offering}/request", post(request))
        .route("/registration/{offering}/drop", post(drop_offering))
        .route("/registration/requests", get(queue))
        .route("/registration/requests/{id}", post(decide))
        .route("/registration/offerings/{id}/results", post(record_result))
        .route("/admin/users/{id}/holds", post(add_hold))
        .route("/admin/users/{id}/holds/{hold}/release", post(release_hold))
}

#[derive(Template)]
#[template(path = "registration/page.html")]
struct StudentPage {
    page: Page,
    data: RegistrationPage,
    /// A student (only students ask for places).
    can_register: bool,
}

impl StudentPage {
    fn status_label(&self, offering: &OpenOffering) -> &'static str {
        offering.my_status().map(EnrollmentStatus::label).unwrap_or("")
    }

    fn can_drop(&self, offering: &OpenOffering) -> bool {
        offering.my_status().is_some_and(EnrollmentStatus::is_active)
    }

    fn phase_label(&self) -> &'static str {
        use qobe_domain::academics::RegistrationPhase::*;
        match self.data.phase {
            Some(NotOpen) => "Registration has not opened yet.",
            Some(Registration) => "Registration is open.",
            Some(AddDrop) => "Add/drop period: you can still add and drop courses.",
            Some(Withdrawal) => "Withdrawal period: dropping a course now records a W.",
            Some(Closed) | None => "Registration is closed for this term.",
        }
    }

    /// The term shown (0: none).
    fn chosen_term(&self) -> i64 {
        self.data.term.as_ref().map_or(0, |t| t.id)
    }
}

#[derive(Deserialize)]
struct TermQuery {
    term: Option<i64>,
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(q): Query<TermQuery>,
) -> Result<Response, HtmlError> {
    let data = registration::page(&state.app, &signed.actor, q.term.map(TermId)).await?;
    let can_register = qobe_app::authz::register(&signed.actor);
    Ok(render(&StudentPage { page: Page::new("Registration", &signed.ctx), data, can_register }))
}

fn back(term: i64) -> String {
    format!("/registration?term={term}")
}

#[derive(Deserialize)]
struct TermForm {
    #[serde(default)]
    term: i64,
}

async fn request(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(offering): Path<i64>,
    Form(form): Form<TermForm>,
) -> Result<Response, HtmlError> {
    let notice = match registration::request(&state.app, &signed.actor, OfferingId(offering), &signed.ctx.client).await
    {
        Ok(Placement::Enrolled) => "You are registered.".to_owned(),
        Ok(Placement::Waitlisted) => {
            "The class is full: you are on the waitlist and will be moved in when a seat frees.".to_owned()
        }
        Ok(Placement::PendingApproval) => "Your request is waiting for approval.".to_owned(),
        Err(qobe_app::AppError::Refused(reasons)) => format!("Not registered. {}", reasons.join(" ")),
        Err(err) => return Err(err.into()),
    };
    Ok(done(&state, &back(form.term), &notice))
}

async fn drop_offering(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(offering): Path<i64>,
    Form(form): Form<TermForm>,
) -> Result<Response, HtmlError> {
    let notice = match registration::drop(&state.app, &signed.actor, OfferingId(offering), &signed.ctx.client).await {
        Ok(EnrollmentStatus::Withdrawn) => "You have withdrawn; a W will show on your transcript.".to_owned(),
        Ok(_) => "Dropped.".to_owned(),
        Err(qobe_app::AppError::Refused(reasons)) => {
            return Ok(refused(&state, &back(form.term), &format!("Not dropped. {}", reasons.join(" "))));
        }
        Err(err) => return Err(err.into()),
    };
    Ok(done(&state, &back(form.term), &notice))
}

#[derive(Template)]
#[template(path = "registration/queue.html")]
struct QueuePage {
    page: Page,
    requests: Vec<PendingRequest>,
}

async fn queue(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let requests = registration::pending(&state.app, &signed.actor).await?;
    Ok(render(&QueuePage { page: Page::new("Registration requests", &signed.ctx), requests }))
}

#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Decision {
    Approve,
    Reject,
}

#[derive(Deserialize)]
struct DecisionForm {
    decision: Decision,
}

async fn decide(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, HtmlError> {
    let status = registration::decide_pending(
        &state.app,
        &signed.actor,
        EnrollmentId(id),
        form.decision == Decision::Approve,
        &signed.ctx.client,
    )
    .await?;
    Ok(done(&state, "/registration/requests", &format!("Decided: {}.", status.label())))
}

async fn record_result(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: crate::forms::Submitted<registration::ResultInput>,
) -> Result<Response, HtmlError> {
    let page = format!("/academics/offerings/{id}");
    let input = &form.input;
    match registration::record_result(&state.app, &signed.actor, OfferingId(id), input, &signed.ctx.client).await {
        Ok(()) => Ok(done(
            &state,
            &page,
            &format!("Result {} recorded for {}.", input.grade.trim().to_uppercase(), input.email.trim()),
        )),
        Err(err @ qobe_app::AppError::Invalid(_)) => Ok(done(&state, &page, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn add_hold(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: crate::forms::Submitted<registration::HoldInput>,
) -> Result<Response, HtmlError> {
    let page = format!("/admin/users/{id}");
    match registration::add_hold(&state.app, &signed.actor, UserId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &page, "Hold placed: registration is blocked until it is released.")),
        Err(err @ qobe_app::AppError::Invalid(_)) => Ok(done(&state, &page, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn release_hold(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, hold)): Path<(i64, i64)>,
) -> Result<Response, HtmlError> {
    registration::release_hold(&state.app, &signed.actor, UserId(id), HoldId(hold), &signed.ctx.client).await?;
    Ok(done(&state, &format!("/admin/users/{id}"), "Hold released: the student may register again."))
}
