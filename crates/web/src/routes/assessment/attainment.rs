//! CLO attainment of an offering against its targets, drilled down to each student and then
//! to each item share, mark and weight.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::attainment::{self, AttainmentView, CloExplanation, StudentExplanation};
use qobe_domain::ids::{CloId, OfferingId, UserId};
use qobe_outcomes::Mark;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::routes::{percent, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/offerings/{id}/attainment", get(show))
        .route("/assessment/offerings/{id}/attainment/{clo}", get(clo))
        .route("/assessment/offerings/{id}/attainment/{clo}/students/{student}", get(student))
}

#[derive(Template)]
#[template(path = "assessment/attainment.html")]
struct AttainmentPage {
    page: Page,
    view: AttainmentView,
    chart: String,
    uses_levels: bool,
}

impl AttainmentPage {
    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn value(&self, value: &Option<f64>) -> String {
        match (self.uses_levels, value) {
            (true, Some(v)) => format!("level {v:.2}"),
            _ => percent(value),
        }
    }

    fn target(&self) -> String {
        let t = self.view.attainment.policy.course_target;
        if self.uses_levels { format!("level {t}") } else { percent(&Some(t)) }
    }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let view = attainment::of_offering(&state.app, &signed.actor, OfferingId(id)).await?;
    let uses_levels = view.attainment.policy.levels.is_some();
    let report = qobe_app::reports::clo_attainment(&view);
    let (title, chart) = (report.title.clone(), report.charts[0].clone());
    let report = || report;
    if let Some(file) = download(&state, &signed, &format, report).await? {
        return Ok(file);
    }
    Ok(render(&AttainmentPage {
        page: Page::new(&title, &signed.ctx).in_offering(&view.offering, true),
        view,
        chart,
        uses_levels,
    }))
}

#[derive(Template)]
#[template(path = "assessment/clo.html")]
struct CloPage {
    page: Page,
    view: CloExplanation,
}

impl CloPage {
    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn person(&self, id: &i64) -> Option<&qobe_app::registration::Person> {
        self.view.people.get(id)
    }
}

async fn clo(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, clo)): Path<(i64, i64)>,
) -> Result<Response, HtmlError> {
    let view = attainment::explain_clo(&state.app, &signed.actor, OfferingId(id), CloId(clo)).await?;
    let title = format!("{} in {} {}", view.clo.code, view.offering.course.code, view.offering.term.code);
    Ok(render(&CloPage { page: Page::new(&title, &signed.ctx).in_offering(&view.offering, true), view }))
}

#[derive(Template)]
#[template(path = "assessment/student_clo.html")]
struct StudentPage {
    page: Page,
    view: StudentExplanation,
    /// Whether the viewer sees the offering as staff (else it is the student: back to their profile).
    staff: bool,
}

impl StudentPage {
    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn fraction(&self, value: &f64) -> String {
        percent(&Some(*value))
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn mark(&self, mark: &Mark) -> String {
        match mark {
            Mark::Score(s) => self.number(&f64::from(*s)),
            Mark::Absent => "absent".into(),
            Mark::Excused => "excused".into(),
            Mark::NotAttempted => "not attempted".into(),
            Mark::Missing => "not entered".into(),
        }
    }

    fn assessment(&self, id: &i64) -> String {
        self.view.assessments.get(id).cloned().unwrap_or_default()
    }
}

async fn student(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, clo, student)): Path<(i64, i64, i64)>,
) -> Result<Response, HtmlError> {
    let view =
        attainment::explain_student(&state.app, &signed.actor, OfferingId(id), CloId(clo), UserId(student)).await?;
    let title = format!("{} — {}", view.student_name, view.clo.code);
    let staff = qobe_app::assessment::access_to(&signed.actor, &view.offering).is_some();
    Ok(render(&StudentPage {
        page: Page::new(&title, &signed.ctx).in_offering_as(&view.offering, staff, true),
        view,
        staff,
    }))
}
