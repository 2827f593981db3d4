//! A program's PLO attainment: the cohorts × PLOs heat map, how students spread over the
//! scale, PLO attainment term by term, the courses × PLOs evidence, and each cell's students
//! with the courses and CLOs behind their scores. Filters: one cohort, one term.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use qobe_app::assessment::program::{self, CourseRow, ProgramAttainment, ProgramFilter};
use qobe_app::reports::Report;
use qobe_app::reports::program as program_report;
use qobe_documents::charts::{BANDS, bands};
use qobe_domain::ids::ProgramId;
use qobe_outcomes::GroupPlo;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{self, Format, download};
use crate::forms::FormState;
use crate::routes::{done, percent, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/programs/{id}/attainment", get(show))
        .route("/assessment/programs/{id}/report.pdf", get(report_now))
        .route("/assessment/programs/{id}/report", post(start_report))
        .route("/assessment/programs/{id}/plo-settings", post(save_settings))
        .route("/assessment/programs/standings", post(refresh_standings))
}

/// Asks for every program's standing (on the home page) to be computed afresh.
async fn refresh_standings(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    qobe_app::assessment::standing::ask_refresh(&state.app, &signed.actor).await?;
    Ok(done(&state, "/", "The programs' figures are being worked out again; they update here in a minute."))
}

/// A heat class from a fraction: `heat-0` … `heat-10`, or `heat-none`.
pub fn heat(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("heat-{}", (v.clamp(0.0, 1.0) * 10.0).round() as i64),
        None => "heat-none".to_owned(),
    }
}

/// The page's filters and download format, from the query string.
#[derive(serde::Deserialize, Default)]
struct Wanted {
    #[serde(flatten)]
    format: Format,
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    cohort: Option<i64>,
    #[serde(default, deserialize_with = "crate::forms::optional_number")]
    term: Option<i64>,
}

impl Wanted {
    fn filter(&self) -> ProgramFilter {
        ProgramFilter { cohort: self.cohort, term: self.term }
    }
}

#[derive(Template)]
#[template(path = "assessment/program.html")]
struct ProgramPage {
    page: Page,
    view: ProgramAttainment,
    charts: Charts,
    query: String,
    /// The program's PLO settings form, when the person may change them.
    settings: Option<(FormState, bool)>,
    /// The offerings (of the courses × PLOs rows) whose attainment the viewer may open, and the
    /// courses whose trends they may see: a coordinator of this program may not be staff of a
    /// service course taught by another department.
    opens: std::collections::HashSet<i64>,
    trends: std::collections::HashSet<i64>,
}

/// The PLO settings as the form shows them.
fn settings_form(settings: &qobe_app::assessment::evidence::ProgramSettings) -> FormState {
    use qobe_outcomes::PloWeighting;
    let pct = crate::routes::percent_field;
    let weighting = match settings.plo_weighting {
        PloWeighting::Equal => "equal",
        PloWeighting::Strength => "strength",
        PloWeighting::CreditHours => "credit_hours",
        PloWeighting::StrengthTimesCredits => "strength_times_credits",
    };
    FormState::new()
        .set("plo_threshold", &pct(settings.plo_threshold))
        .set("cohort_target", &pct(settings.cohort_target))
        .set("plo_weighting", weighting)
}

struct Charts {
    pooled: String,
    distribution: String,
    trend: String,
}

impl ProgramPage {
    fn cell(&self, cohort: &i64, plo: &i64) -> Option<&GroupPlo> {
        self.view.cells.get(&(*cohort, *plo))
    }

    fn heat(&self, cohort: &i64, plo: &i64) -> String {
        heat(self.cell(cohort, plo).and_then(|c| c.percent_attaining))
    }

    fn shown(&self, cohort: &i64, plo: &i64) -> String {
        percent(&self.cell(cohort, plo).and_then(|c| c.percent_attaining))
    }

    fn students(&self, cohort: &i64, plo: &i64) -> String {
        self.cell(cohort, plo).map(|c| format!("{} of {}", c.attaining, c.students_with_evidence)).unwrap_or_default()
    }

    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn opens(&self, offering: &i64) -> bool {
        self.opens.contains(offering)
    }

    fn trend_of(&self, course: &i64) -> bool {
        self.trends.contains(course)
    }

    fn course_cell(&self, row: &CourseRow, plo: &i64) -> (String, String) {
        let value = row.plos.get(plo).copied();
        (heat(value), if value.is_some() { percent(&value) } else { String::new() })
    }

    fn term_cell(&self, term: &i64, plo: &i64) -> (String, String) {
        let value = self.view.term_plos.get(&(*term, *plo)).copied();
        (heat(value), if value.is_some() { percent(&value) } else { "—".into() })
    }

    fn bands(&self, plo: &i64) -> [usize; 5] {
        bands(&self.view.distribution(*plo))
    }

    fn band_names(&self) -> [&'static str; 5] {
        BANDS
    }

    fn selected(&self, chosen: &Option<i64>, id: &i64) -> bool {
        *chosen == Some(*id)
    }

    fn weightings(&self) -> [(&'static str, &'static str); 4] {
        [
            ("strength_times_credits", "mapping strength × credit hours"),
            ("strength", "mapping strength"),
            ("credit_hours", "credit hours"),
            ("equal", "equally"),
        ]
    }
}

/// The page's charts, taken from the report value its downloads are.
fn charts(report: &Report) -> Charts {
    let chart = |i: usize| report.charts.get(i).cloned().unwrap_or_default();
    Charts {
        pooled: chart(program_report::POOLED_CHART),
        distribution: chart(program_report::DISTRIBUTION_CHART),
        trend: chart(program_report::TREND_CHART),
    }
}

async fn program_page(
    state: &AppState,
    signed: &SignedIn,
    id: i64,
    wanted: &Wanted,
    form: Option<FormState>,
) -> Result<Result<ProgramPage, Response>, HtmlError> {
    let view = program::of_program(&state.app, &signed.actor, ProgramId(id), wanted.filter()).await?;
    let report = program_report::attainment(&view);
    let charts = charts(&report);
    if let Some(file) = download(state, signed, &wanted.format, || report).await? {
        return Ok(Err(file));
    }
    let query = [("cohort", wanted.cohort), ("term", wanted.term)]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}&")))
        .collect::<String>();
    let actor = &signed.actor;
    let manages = qobe_app::authz::edit_program_outcomes(actor, view.program.id, view.program.department_id);
    let departments: std::collections::HashMap<i64, i64> = qobe_app::academics::courses::list(&state.app, actor, "")
        .await?
        .into_iter()
        .map(|c| (c.id, c.department_id))
        .collect();
    let (mut opens, mut trends) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for row in &view.course_rows {
        let department = departments.get(&row.course_id).copied().unwrap_or_default();
        let offering = qobe_domain::ids::OfferingId(row.offering_id);
        if qobe_app::authz::offering_access(actor, offering, department, false).is_some() {
            opens.insert(row.offering_id);
        }
        if qobe_app::authz::course_trend(actor, department, std::iter::once(offering)) {
            trends.insert(row.course_id);
        }
    }
    let settings = if manages {
        let current = qobe_app::assessment::policy::program_settings(&state.app, &signed.actor, ProgramId(id)).await?;
        Some((form.unwrap_or_else(|| settings_form(&current.settings)), current.own))
    } else {
        None
    };
    let title = format!("PLO attainment — {}", view.program.code);
    Ok(Ok(ProgramPage { page: Page::new(&title, &signed.ctx), view, charts, query, settings, opens, trends }))
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(wanted): Query<Wanted>,
) -> Result<Response, HtmlError> {
    Ok(match program_page(&state, &signed, id, &wanted, None).await? {
        Ok(page) => render(&page),
        Err(file) => file,
    })
}

/// Saves the program's PLO threshold, cohort target and weighting.
async fn save_settings(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: crate::forms::Submitted<qobe_app::assessment::policy::ProgramSettingsInput>,
) -> Result<Response, HtmlError> {
    let to = format!("/assessment/programs/{id}/attainment");
    match qobe_app::assessment::policy::save_program_settings(
        &state.app,
        &signed.actor,
        ProgramId(id),
        &form.input,
        &signed.ctx.client,
    )
    .await
    {
        Ok(_) => Ok(done(&state, &to, "The program's PLO settings are saved; its reports follow them now.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(match program_page(&state, &signed, id, &Wanted::default(), Some(kept)).await? {
                Ok(page) => render_invalid(&page),
                Err(file) => file,
            })
        }
    }
}

/// The program report at once, in the request.
async fn report_now(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(wanted): Query<Wanted>,
) -> Result<Response, HtmlError> {
    let bytes = program_report::report_pdf(&state.app, &signed.actor, ProgramId(id), wanted.filter()).await?;
    Ok(export::file(export::PDF, &format!("program-report-{id}.pdf"), bytes))
}

/// Starts the program report as a background job and shows its progress.
async fn start_report(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    axum::Form(wanted): axum::Form<Wanted>,
) -> Result<Response, HtmlError> {
    use axum::response::IntoResponse;
    let job = qobe_app::reports::jobs::start_program_report(&state.app, &signed.actor, ProgramId(id), wanted.filter())
        .await?;
    Ok(Redirect::to(&format!("/documents/{job}")).into_response())
}
