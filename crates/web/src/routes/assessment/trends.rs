//! A course's CLO attainment across terms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::assessment::trends::{self, CourseTrend};
use qobe_domain::ids::CourseId;
use qobe_outcomes::TargetRule;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::routes::{percent, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/assessment/courses/{id}/trends", get(show))
}

/// The download format and the rule for suggesting next term's targets, as typed.
#[derive(serde::Deserialize, Default)]
struct Wanted {
    #[serde(flatten)]
    format: Format,
    terms: Option<String>,
    factor: Option<String>,
    cap: Option<String>,
}

/// The form's values (as typed, for showing back), the rule, and what was wrong with them.
struct TargetForm {
    terms: String,
    factor: String,
    cap: String,
    rule: TargetRule,
    problems: Vec<String>,
}

impl TargetForm {
    /// The rule used (the defaults where what was typed was refused), in words.
    fn describe(&self) -> String {
        match self.rule {
            TargetRule::MeanOfLast { n, factor, cap } => format!(
                "Suggested targets: the mean of the last {n} terms × {factor}, at most {}.",
                percent(&Some(cap))
            ),
            other => format!("Suggested targets: {other:?}."),
        }
    }
}

impl Wanted {
    /// Mean of the last `terms` terms × `factor`, at most `cap` %: 3, 1.05 and 90 unless typed.
    fn target_form(&self) -> TargetForm {
        let typed = |value: &Option<String>, default: &str| {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty()).unwrap_or(default).to_owned()
        };
        let (terms, factor, cap) = (typed(&self.terms, "3"), typed(&self.factor, "1.05"), typed(&self.cap, "90"));
        let mut problems = Vec::new();
        let n = terms.parse::<usize>().ok().filter(|n| (1..=12).contains(n)).unwrap_or_else(|| {
            problems.push(format!("Terms: “{terms}” must be a whole number from 1 to 12."));
            3
        });
        let f = factor.parse::<f64>().ok().filter(|f| (0.5..=2.0).contains(f)).unwrap_or_else(|| {
            problems.push(format!("Factor: “{factor}” must be a number from 0.5 to 2."));
            1.05
        });
        let c =
            cap.trim_end_matches('%').parse::<f64>().ok().filter(|c| (0.0..=100.0).contains(c)).unwrap_or_else(|| {
                problems.push(format!("At most: “{cap}” must be a percentage from 0 to 100."));
                90.0
            });
        TargetForm { terms, factor, cap, rule: TargetRule::MeanOfLast { n, factor: f, cap: c / 100.0 }, problems }
    }
}

#[derive(Template)]
#[template(path = "assessment/trends.html")]
struct TrendPage {
    page: Page,
    view: CourseTrend,
    chart: String,
    target: TargetForm,
    /// The offerings whose attainment the viewer may open.
    opens: std::collections::HashSet<i64>,
}

impl TrendPage {
    /// The rule's fields for the download links, so a download suggests what the page shows.
    fn query(&self) -> String {
        let encode = |v: &str| v.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').collect::<String>();
        format!(
            "terms={}&factor={}&cap={}&",
            encode(&self.target.terms),
            encode(&self.target.factor),
            encode(&self.target.cap)
        )
    }

    fn suggested(&self, clo: &i64) -> String {
        match self.view.suggested(*clo, self.target.rule) {
            Some(value) => percent(&Some(value)),
            None => "—".into(),
        }
    }

    fn sections(&self, term: &i64) -> Vec<i64> {
        self.view.offerings.get(term).cloned().unwrap_or_default()
    }

    /// Whether the viewer may open an offering's attainment (an instructor of one section sees
    /// a trend over every section, but opens only their own).
    fn opens(&self, offering: &i64) -> bool {
        self.opens.contains(offering)
    }

    fn cell(&self, term: &i64, clo: &i64) -> String {
        match self.view.cells.get(&(*term, *clo)) {
            Some((attaining, n)) if *n > 0 => {
                format!("{} ({attaining} of {n})", percent(&self.view.share(*term, *clo)))
            }
            _ => "—".into(),
        }
    }
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(wanted): Query<Wanted>,
) -> Result<Response, HtmlError> {
    let view = trends::of_course(&state.app, &signed.actor, CourseId(id)).await?;
    let target = wanted.target_form();
    let report = qobe_app::reports::clo_trend(&view, target.rule, &target.describe());
    let (title, chart) = (report.title.clone(), report.charts[0].clone());
    let report = || report;
    if let Some(file) = download(&state, &signed, &wanted.format, report).await? {
        return Ok(file);
    }
    let department = view.course.department_id;
    let opens = view
        .offerings
        .values()
        .flatten()
        .copied()
        .filter(|o| {
            qobe_app::authz::offering_access(&signed.actor, qobe_domain::ids::OfferingId(*o), department, false)
                .is_some()
        })
        .collect();
    Ok(render(&TrendPage { page: Page::new(&title, &signed.ctx), view, chart, target, opens }))
}
