//! Grades and the result workflow of an offering, the head of department's approval queue,
//! and a student's own results and outcome profile.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::AppError;
use qobe_app::academics::offerings::OfferingView;
use qobe_app::assessment::profile::{self, Profile};
use qobe_app::results::OfferingResult;
use qobe_app::results::{self, MyTerm, ResultsView};
use qobe_domain::grading::ResultAction;
use qobe_domain::ids::{ChangeRequestId, OfferingId, UserId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::routes::{done, percent, refused, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/results/offerings/{id}/grades", get(show))
        .route("/results/offerings/{id}/grades/changes", post(request_change))
        .route("/results/offerings/{id}/grades/changes/{request}/{decision}", post(decide_change))
        .route("/results/offerings/{id}/grades/step/{action}", post(step))
        .route("/results/approvals", get(approvals))
        .route("/my/results", get(my_results))
        .route("/my/outcomes", get(my_outcomes))
        .route("/results/students/{id}/outcomes", get(student_outcomes))
}

#[derive(Template)]
#[template(path = "results/grades.html")]
struct GradesPage {
    page: Page,
    view: ResultsView,
}

impl GradesPage {
    fn percent(&self, value: &Option<f64>) -> String {
        value.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
    }

    fn status(&self) -> &'static str {
        self.view.status.as_str()
    }

    fn is(&self, status: &str) -> bool {
        self.view.status.as_str() == status
    }

    fn distribution(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = self.view.scheme.bands.iter().map(|b| (b.letter.clone(), 0)).collect();
        for line in &self.view.lines {
            match out.iter_mut().find(|(l, _)| *l == line.letter) {
                Some((_, n)) => *n += 1,
                None => out.push((line.letter.clone(), 1)),
            }
        }
        out
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let view = results::view(&state.app, &signed.actor, OfferingId(id)).await?;
    let title = format!("Grades — {} {}", view.offering.course.code, view.offering.term.code);
    Ok(render(&GradesPage { page: Page::new(&title, &signed.ctx).in_offering(&view.offering, true), view }))
}

async fn step(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    form: crate::forms::Submitted<results::StepInput>,
) -> Result<Response, HtmlError> {
    let action = ResultAction::parse(&action).ok_or(AppError::NotFound)?;
    let page = format!("/results/offerings/{id}/grades");
    match results::act(&state.app, &signed.actor, OfferingId(id), action, &form.input, &signed.ctx.client).await {
        Ok(status) => Ok(done(&state, &page, &format!("Results are now {}.", status.as_str()))),
        Err(err @ (AppError::Refused(_) | AppError::Invalid(_))) => Ok(refused(&state, &page, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn request_change(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: crate::forms::Submitted<results::ChangeInput>,
) -> Result<Response, HtmlError> {
    let page = format!("/results/offerings/{id}/grades");
    let result =
        results::request_change(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await;
    match result {
        Ok(()) => Ok(done(&state, &page, "Change requested: the head of department decides.")),
        Err(err @ (AppError::Refused(_) | AppError::Invalid(_))) => Ok(refused(&state, &page, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn decide_change(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, request, decision)): Path<(i64, i64, String)>,
) -> Result<Response, HtmlError> {
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::NotFound.into()),
    };
    let page = format!("/results/offerings/{id}/grades");
    match results::decide_change(
        &state.app,
        &signed.actor,
        OfferingId(id),
        ChangeRequestId(request),
        approve,
        &signed.ctx.client,
    )
    .await
    {
        Ok(()) => Ok(done(&state, &page, if approve { "Change approved and applied." } else { "Change rejected." })),
        Err(err @ AppError::Refused(_)) => Ok(refused(&state, &page, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "results/approvals.html")]
struct ApprovalsPage {
    page: Page,
    waiting: Vec<(OfferingView, OfferingResult)>,
}

async fn approvals(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let waiting = results::awaiting_approval(&state.app, &signed.actor).await?;
    Ok(render(&ApprovalsPage { page: Page::new("Results awaiting approval", &signed.ctx), waiting }))
}

#[derive(Template)]
#[template(path = "results/mine.html")]
struct MyResultsPage {
    page: Page,
    terms: Vec<MyTerm>,
    cgpa: Option<f64>,
}

impl MyResultsPage {
    fn points(&self, value: &Option<f64>) -> String {
        value.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
    }
}

async fn my_results(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let (terms, cgpa) = results::mine(&state.app, &signed.actor).await?;
    Ok(render(&MyResultsPage { page: Page::new("My results", &signed.ctx), terms, cgpa }))
}

#[derive(Template)]
#[template(path = "results/profile.html")]
struct ProfilePage {
    page: Page,
    heading: String,
    profile: Profile,
    chart: String,
    user_id: i64,
    /// The offerings whose explanation of this student's CLO the viewer may open.
    opens: std::collections::HashSet<i64>,
}

impl ProfilePage {
    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn opens(&self, offering: &i64) -> bool {
        self.opens.contains(offering)
    }

    fn course(&self, line: &qobe_app::assessment::profile::PloLine, id: &i64) -> String {
        line.courses.get(id).cloned().unwrap_or_default()
    }
}

async fn my_outcomes(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let profile = profile::mine(&state.app, &signed.actor).await?;
    outcomes_page(&state, &signed, &format, "My outcomes".into(), signed.actor.user_id.0, profile).await
}

/// A student's outcome transcript, for their program's staff.
async fn student_outcomes(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let (person, profile) = profile::of_student(&state.app, &signed.actor, UserId(id)).await?;
    let heading = format!("Outcome transcript — {}", person.name);
    outcomes_page(&state, &signed, &format, heading, id, profile).await
}

async fn outcomes_page(
    state: &AppState,
    signed: &SignedIn,
    format: &Format,
    heading: String,
    user_id: i64,
    profile: Profile,
) -> Result<Response, HtmlError> {
    let report = qobe_app::reports::outcome_transcript(&heading, user_id, &profile);
    let chart = report.charts[0].clone();
    let report = || report;
    if let Some(file) = download(state, signed, format, report).await? {
        return Ok(file);
    }
    // A student opens every explanation of their own; staff, those of offerings they are staff of.
    let mut opens = std::collections::HashSet::new();
    for line in &profile.clos {
        if opens.contains(&line.offering_id) {
            continue;
        }
        let own = user_id == signed.actor.user_id.0;
        let offering = qobe_domain::ids::OfferingId(line.offering_id);
        if own || qobe_app::assessment::staff_access(&state.app, &signed.actor, offering).await.is_ok() {
            opens.insert(line.offering_id);
        }
    }
    Ok(render(&ProfilePage {
        page: Page::new(&heading, &signed.ctx),
        heading: heading.clone(),
        profile,
        chart,
        user_id,
        opens,
    }))
}

#[derive(Template)]
#[template(path = "results/scheme.html")]
struct SchemePage {
    page: Page,
    scheme: qobe_domain::grading::GradingScheme,
    form: crate::forms::FormState,
}

pub fn scheme_router() -> Router<AppState> {
    Router::new().route("/admin/grading", get(scheme).post(save_scheme))
}

async fn scheme(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let scheme = results::current_scheme(&state.app, &signed.actor).await?;
    let form = crate::forms::FormState::of(&results::SchemeInput { name: scheme.name.clone(), bands: scheme.text() });
    Ok(render(&SchemePage { page: Page::new("Grading scheme", &signed.ctx), scheme, form }))
}

async fn save_scheme(
    State(state): State<AppState>,
    signed: SignedIn,
    form: crate::forms::Submitted<results::SchemeInput>,
) -> Result<Response, HtmlError> {
    match results::save_scheme(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(s) => Ok(done(
            &state,
            "/admin/grading",
            &format!("Grading scheme {} saved; results submitted from now on use it.", s.name),
        )),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let scheme = results::current_scheme(&state.app, &signed.actor).await?;
            Ok(crate::routes::render_invalid(&SchemePage {
                page: Page::new("Grading scheme", &signed.ctx),
                scheme,
                form: kept,
            }))
        }
    }
}
