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
use qobe_app::spreadsheet::{Cell, Sheet};
use qobe_documents::charts::{BANDS, Bar, Series, bands, bar_chart, distribution_chart, line_chart};
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
        .route("/academics/programs/{id}/attainment", get(show))
        .route("/academics/programs/{id}/report.pdf", get(report_now))
        .route("/academics/programs/{id}/report", post(start_report))
        .route("/academics/programs/{id}/plo-settings", post(save_settings))
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

fn charts(view: &ProgramAttainment) -> Charts {
    let bars: Vec<Bar> = view
        .plos
        .iter()
        .zip(&view.overall)
        .map(|(plo, overall)| Bar {
            label: plo.code.clone(),
            value: overall.percent_attaining,
            target: Some(view.policy.cohort_target),
            href: None,
        })
        .collect();
    let spread: Vec<(String, [usize; 5])> =
        view.plos.iter().map(|p| (p.code.clone(), bands(&view.distribution(p.lineage_id)))).collect();
    let labels: Vec<String> = view.terms.iter().map(|t| t.code.clone()).collect();
    let series: Vec<Series> = view
        .plos
        .iter()
        .map(|p| Series {
            label: p.code.clone(),
            values: view.terms.iter().map(|t| view.term_plos.get(&(t.id, p.lineage_id)).copied()).collect(),
        })
        .collect();
    Charts {
        pooled: bar_chart("Share of the students shown attaining each PLO", &bars),
        distribution: distribution_chart("How the students shown spread over each PLO's score scale", &spread),
        trend: line_chart(
            "PLO attainment term by term (course level)",
            &labels,
            &series,
            Some(view.policy.cohort_target),
        ),
    }
}

fn plo_header(first: &[&str], view: &ProgramAttainment) -> Vec<String> {
    let mut header: Vec<String> = first.iter().map(|h| (*h).to_owned()).collect();
    header.extend(view.plos.iter().map(|p| p.code.clone()));
    header
}

fn report(view: &ProgramAttainment, charts: &Charts) -> Report {
    let code = &view.program.code;
    let cohorts =
        Sheet {
            name: "By cohort".into(),
            title: format!("{code}: share of students attaining each PLO, by cohort"),
            header: plo_header(&["Cohort"], view),
            rows: view
                .cohorts
                .iter()
                .map(|c| {
                    let mut row = vec![Cell::Text(c.name.clone())];
                    row.extend(view.plos.iter().map(|p| {
                        Cell::percent(view.cells.get(&(c.id, p.lineage_id)).and_then(|g| g.percent_attaining))
                    }));
                    row
                })
                .chain(std::iter::once({
                    let mut row = vec![Cell::Text("All cohorts shown".into())];
                    row.extend(view.overall.iter().map(|g| Cell::percent(g.percent_attaining)));
                    row
                }))
                .collect(),
        };
    let mut spread_header = vec!["PLO".to_owned()];
    spread_header.extend(BANDS.iter().map(|b| format!("Students {b}")));
    spread_header.extend(["Students with evidence".to_owned(), "Attaining".to_owned()]);
    let spread = Sheet {
        name: "Distribution".into(),
        title: format!("{code}: students by PLO score band"),
        header: spread_header,
        rows: view
            .plos
            .iter()
            .zip(&view.overall)
            .map(|(p, g)| {
                let mut row = vec![Cell::Text(p.code.clone())];
                row.extend(bands(&view.distribution(p.lineage_id)).iter().map(|n| Cell::Number(*n as f64)));
                row.extend([Cell::Number(g.students_with_evidence as f64), Cell::Number(g.attaining as f64)]);
                row
            })
            .collect(),
    };
    let trend = Sheet {
        name: "By term".into(),
        title: format!("{code}: PLO attainment term by term, from the courses' CLO attainment"),
        header: plo_header(&["Term"], view),
        rows: view
            .terms
            .iter()
            .map(|t| {
                let mut row = vec![Cell::Text(t.name.clone())];
                row.extend(view.plos.iter().map(|p| Cell::percent(view.term_plos.get(&(t.id, p.lineage_id)).copied())));
                row
            })
            .collect(),
    };
    let courses = Sheet {
        name: "Courses x PLOs".into(),
        title: format!("{code}: courses × PLOs"),
        header: plo_header(&["Course", "Term"], view),
        rows: view
            .course_rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::Text(r.code.clone()), Cell::Text(r.term.clone())];
                row.extend(view.plos.iter().map(|p| Cell::percent(r.plos.get(&p.lineage_id).copied())));
                row
            })
            .collect(),
    };
    Report {
        file: format!("{code}-plo-attainment"),
        title: format!("PLO attainment — {code} {}", view.program.name),
        subtitle: view.scope(),
        charts: vec![charts.pooled.clone(), charts.distribution.clone(), charts.trend.clone()],
        tables: vec![cohorts, spread, trend, courses],
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
    let charts = charts(&view);
    if let Some(file) = download(state, signed, &wanted.format, || report(&view, &charts)).await? {
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

#[derive(serde::Deserialize)]
struct SettingsForm {
    #[serde(default)]
    plo_threshold: String,
    #[serde(default)]
    cohort_target: String,
    #[serde(default)]
    plo_weighting: String,
}

/// Saves the program's PLO threshold, cohort target and weighting.
async fn save_settings(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<SettingsForm>,
) -> Result<Response, HtmlError> {
    let input = qobe_app::assessment::policy::ProgramSettingsInput {
        plo_threshold: f.plo_threshold,
        cohort_target: f.cohort_target,
        plo_weighting: f.plo_weighting,
    };
    let to = format!("/academics/programs/{id}/attainment");
    match qobe_app::assessment::policy::save_program_settings(
        &state.app,
        &signed.actor,
        ProgramId(id),
        &input,
        &signed.ctx.client,
    )
    .await
    {
        Ok(_) => Ok(done(&state, &to, "The program's PLO settings are saved; its reports follow them now.")),
        Err(err) => {
            let kept = FormState::with_values([
                ("plo_threshold", input.plo_threshold.as_str()),
                ("cohort_target", &input.cohort_target),
                ("plo_weighting", &input.plo_weighting),
            ])
            .absorb(err)?;
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
    let bytes =
        qobe_app::assessment::program_report::report_pdf(&state.app, &signed.actor, ProgramId(id), wanted.filter())
            .await?;
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
