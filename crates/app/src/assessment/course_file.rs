//! The course file (course assessment report) of an offering, the document accreditors ask
//! for: the course and its CLOs with taxonomy levels and mapped PLOs, the assessments with
//! their CLO mapping and weightage, the grade distribution, CLO attainment against targets,
//! the instructor's reflections, earlier improvement actions on the course and their
//! follow-up, and new actions. The narrative is edited while results are a draft and moves
//! through the same approval as the results.

use qobe_domain::grading::ResultStatus;
use qobe_domain::ids::OfferingId;
use qobe_domain::validation::optional_text;
use qobe_store::academics::outcomes as outcome_rows;
use qobe_store::rows::{CqiAction, CqiFinding};

use super::attainment::{OfferingAttainment, of_offering};
use super::plan::{PlanView, view as plan_view};
use super::{Access, edit_access};
use crate::results::view as results_view;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub struct CourseFile {
    pub plan: PlanView,
    pub attainment: OfferingAttainment,
    /// Per CLO (same order as the plan's CLOs): the PLO codes it maps to with strength.
    pub clo_plos: Vec<Vec<(String, i64)>>,
    pub grades: Vec<(String, usize)>,
    pub status: ResultStatus,
    pub reflections: String,
    pub improvements: String,
    /// Findings on earlier offerings of the course, with their actions.
    pub earlier: Vec<(CqiFinding, Vec<CqiAction>)>,
    /// Findings raised on this offering.
    pub current: Vec<(CqiFinding, Vec<CqiAction>)>,
    pub editable: bool,
}

impl CourseFile {
    /// The share of students attaining each CLO against its target, as an SVG bar chart: the
    /// same chart on the page and in the PDF.
    pub fn attainment_chart(&self) -> String {
        use qobe_documents::charts::{Bar, bar_chart};
        let bars: Vec<Bar> = self
            .attainment
            .clos
            .iter()
            .map(|c| Bar {
                label: c.clo.code.clone(),
                value: c.result.overall.percent_attaining,
                target: Some(c.result.target.min(1.0)),
                href: None,
            })
            .collect();
        bar_chart("Share of students attaining each CLO", &bars)
    }
}

pub async fn view(app: &App, actor: &Actor, id: OfferingId) -> AppResult<CourseFile> {
    let plan = plan_view(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let attainment = of_offering(app, actor, id).await?.attainment;
    let results = results_view(app, actor, id).await?;
    let mut grades: Vec<(String, usize)> = results.scheme.bands.iter().map(|b| (b.letter.clone(), 0)).collect();
    for line in &results.lines {
        match grades.iter_mut().find(|(l, _)| *l == line.letter) {
            Some((_, n)) => *n += 1,
            None => grades.push((line.letter.clone(), 1)),
        }
    }
    let clo_ids: Vec<i64> = plan.plan.clos.iter().map(|c| c.id).collect();
    let maps = outcome_rows::clo_plo_maps(conn, institution, &clo_ids).await?;
    let mut lineages: Vec<i64> = maps.iter().map(|m| m.plo_id).collect();
    lineages.sort_unstable();
    lineages.dedup();
    let codes = outcome_rows::plo_codes(conn, institution, &lineages).await?;
    let clo_plos = plan
        .plan
        .clos
        .iter()
        .map(|clo| {
            maps.iter()
                .filter(|m| m.clo_id == clo.id)
                .filter_map(|m| {
                    codes.iter().find(|(l, _, _)| *l == m.plo_id).map(|(_, _, code)| (code.clone(), m.strength))
                })
                .collect()
        })
        .collect();
    let stored = qobe_store::results::course_file(conn, institution, id).await?;
    let (reflections, improvements) = stored.map(|f| (f.reflections, f.improvements)).unwrap_or_default();
    let mut earlier = Vec::new();
    let mut current = Vec::new();
    let actions = qobe_store::cqi::actions(conn, institution, None).await?;
    for finding in qobe_store::cqi::findings(conn, institution).await? {
        if finding.course_id != Some(plan.offering.course.id) {
            continue;
        }
        let of_it: Vec<CqiAction> = actions.iter().filter(|a| a.finding_id == finding.id).cloned().collect();
        if finding.offering_id == Some(id.0) { current.push((finding, of_it)) } else { earlier.push((finding, of_it)) }
    }
    let editable = plan.access == Access::Edit && results.status == ResultStatus::Draft;
    Ok(CourseFile {
        plan,
        attainment,
        clo_plos,
        grades,
        status: results.status,
        reflections,
        improvements,
        earlier,
        current,
        editable,
    })
}

/// Saves the instructor's narrative; only while results are a draft.
/// The instructor's own words in the course file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NarrativeInput {
    pub reflections: String,
    pub improvements: String,
}

pub async fn save_narrative(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &NarrativeInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let NarrativeInput { reflections, improvements } = input;
    edit_access(app, actor, id).await?;
    let institution = actor.institution()?;
    crate::results::ensure_marks_editable(app.store.conn(), institution, id).await.map_err(|_| {
        AppError::Refused(vec![
            "The course file is frozen with the results; ask for them to be returned to change it.".into(),
        ])
    })?;
    let reflections =
        optional_text(reflections, 8000).map_err(|m| AppError::field("reflections", m))?.unwrap_or_default();
    let improvements =
        optional_text(improvements, 8000).map_err(|m| AppError::field("improvements", m))?.unwrap_or_default();
    let tx = app.store.begin().await?;
    qobe_store::results::save_course_file(&tx, institution, id, &reflections, &improvements, actor.user_id, app.now())
        .await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "results.course_file_saved").target(&id.0.to_string()))
        .await?;
    Ok(qobe_store::commit(tx).await?)
}

fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

impl CourseFile {
    /// An attainment figure as the policy reads it: a level, or a percentage.
    pub fn figure(&self, value: Option<f64>) -> String {
        match (self.attainment.policy.levels.is_some(), value) {
            (true, Some(v)) => format!("level {v:.2}"),
            _ => percent(value),
        }
    }
}

/// The course file as a PDF, typeset with typst: institution name in the header, page numbers
/// and the generation time in the footer, the attainment chart embedded as a vector.
pub async fn pdf(app: &App, actor: &Actor, id: OfferingId) -> AppResult<Vec<u8>> {
    let file = view(app, actor, id).await?;
    let letterhead = crate::reports::Letterhead::of(app, actor).await?;
    let o = &file.plan.offering;
    let number = |v: f64| crate::assessment::marks::display_number(v);
    let assessment_of = |id: i64| file.plan.plan.assessments.iter().find(|a| a.id == id);
    let data = serde_json::json!({
        "institution": letterhead.institution,
        "logo": letterhead.logo_file(),
        "generated": letterhead.generated,
        "status": file.status.as_str(),
        "policy": file.attainment.policy.name,
        "course": {
            "code": o.course.code, "title": o.course.title, "term": o.term.name, "section": o.offering.section,
            "credits": number(o.course.credits_theory + o.course.credits_lab),
            "instructors": o.instructors.iter().map(|i| i.name.clone()).collect::<Vec<_>>().join(", "),
            "description": o.course.description.clone().unwrap_or_default(),
        },
        "clos": file.plan.plan.clos.iter().zip(&file.clo_plos).map(|(c, plos)| serde_json::json!({
            "code": c.code, "text": c.text, "level": c.taxonomy_level.clone().unwrap_or_default(),
            "plos": plos.iter().map(|(p, s)| format!("{p} ({s})")).collect::<Vec<_>>().join(", "),
        })).collect::<Vec<_>>(),
        "items": file.plan.plan.items.iter().enumerate().map(|(n, i)| {
            let a = assessment_of(i.assessment_id);
            serde_json::json!({
                "assessment": a.map(|a| a.name.clone()).unwrap_or_default(),
                "category": a.map(|a| a.category.clone()).unwrap_or_default(),
                "weight": a.map(|a| format!("{} %", number(a.weight))).unwrap_or_default(),
                "label": i.label, "max": number(i.max_marks),
                "clos": file.plan.clos_shown(&n),
            })
        }).collect::<Vec<_>>(),
        "grades": file.grades.iter().map(|(l, n)| serde_json::json!({ "letter": l, "count": n.to_string() })).collect::<Vec<_>>(),
        "attainment": file.attainment.clos.iter().map(|c| serde_json::json!({
            "code": c.clo.code,
            "students": c.result.overall.students_with_evidence.to_string(),
            "attaining": percent(c.result.overall.percent_attaining),
            "mean": percent(c.result.overall.mean_score),
            "met": match c.blended.met { Some(true) => "yes", Some(false) => "no", None => "—" },
            "direct": file.figure(c.blended.direct),
            "indirect": file.figure(c.blended.indirect),
            "blended": file.figure(c.blended.value),
        })).collect::<Vec<_>>(),
        "indirect": file.attainment.has_indirect(),
        "earlier": file.earlier.iter().map(|(f, actions)| serde_json::json!({
            "title": f.title, "status": f.status,
            "actions": actions.iter().map(|a| format!("{} — {}{}", a.description, a.status, a.effectiveness.as_ref().map(|e| format!(", {e}")).unwrap_or_default())).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "current": file.current.iter().map(|(f, actions)| serde_json::json!({
            "title": f.title,
            "actions": actions.iter().map(|a| format!("{} — {}", a.description, a.status)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "reflections": file.reflections,
        "improvements": file.improvements,
    });
    let chart = qobe_documents::charts::standalone(&file.attainment_chart());
    let mut files =
        vec![("data.json".to_owned(), data.to_string().into_bytes()), ("chart.svg".to_owned(), chart.into_bytes())];
    letterhead.attach(&mut files);
    crate::reports::typeset(qobe_documents::COURSE_FILE, files).await
}
