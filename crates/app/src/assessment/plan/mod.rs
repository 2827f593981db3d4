//! An offering's assessment plan: assessments (components with category and weightage) and
//! their items, each mapped to one or more CLOs with a share, and what is wrong with it.

use std::collections::HashMap;

use qobe_domain::FieldErrors;
use qobe_domain::entered::named_id;
use qobe_domain::ids::{CourseId, ItemId, OfferingId};
use qobe_domain::validation::required_text;
use qobe_store::assessment::plans::{self, NewAssessment};
use qobe_store::rows::Assessment as AssessmentRow;

use super::evidence::{StoredPlan, clo_lineages, stored_plan};
use super::{Access, staff_access};
use crate::academics::offerings::OfferingView;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

mod edit;
mod history;
pub use edit::{ItemChange, change_assessment, change_item, delete_assessment, delete_item};
pub use history::{PlanChange, history};

pub struct PlanView {
    pub offering: OfferingView,
    pub plan: StoredPlan,
    pub access: Access,
    /// Per item (same order as `plan.items`), its CLO codes with shares, e.g. `CLO1 ×0.5`.
    pub item_clos: Vec<Vec<(String, f64)>>,
    pub warnings: Vec<String>,
    /// How many marks each item holds, by item id (items with marks can't be deleted).
    pub marked: HashMap<i64, usize>,
    /// Why the plan can't change now (marks entry closed, results submitted), if so.
    pub closed: Option<String>,
}

impl PlanView {
    pub fn marks_of(&self, item: &i64) -> usize {
        self.marked.get(item).copied().unwrap_or(0)
    }

    /// Whether the viewer may change the plan now.
    pub fn changeable(&self) -> bool {
        self.access == Access::Edit && self.closed.is_none()
    }

    /// An item's CLOs as read: `CLO1, CLO2 ×0.4` (a whole share goes without its number).
    pub fn clos_shown(&self, index: &usize) -> String {
        self.clos_joined(index, " ×")
    }

    /// An item's CLOs as typed in its form: `CLO1, CLO2:0.4`.
    pub fn clos_typed(&self, index: &usize) -> String {
        self.clos_joined(index, ":")
    }

    fn clos_joined(&self, index: &usize, between: &str) -> String {
        self.item_clos[*index]
            .iter()
            .map(|(code, share)| {
                if (*share - 1.0).abs() < 1e-9 {
                    code.clone()
                } else {
                    format!("{code}{between}{}", format_share(*share))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether none of the assessment's items holds a mark.
    pub fn unmarked(&self, assessment: &i64) -> bool {
        self.plan.items.iter().filter(|i| i.assessment_id == *assessment).all(|i| self.marks_of(&i.id) == 0)
    }
}

fn format_share(share: f64) -> String {
    format!("{}", (share * 100.0).round() / 100.0)
}

pub async fn view(app: &App, actor: &Actor, id: OfferingId) -> AppResult<PlanView> {
    let (offering, access) = staff_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let plan = stored_plan(conn, institution, &offering).await?;
    let lineages = clo_lineages(conn, institution, CourseId(offering.course.id)).await?;
    let item_clos: Vec<Vec<(String, f64)>> = plan
        .items
        .iter()
        .map(|item| {
            plan.shares_of(item.id)
                .filter_map(|s| plan.clo_column(&lineages, s.clo_id).map(|c| (plan.clos[c].code.clone(), s.share)))
                .collect()
        })
        .collect();
    let warnings = warnings(&plan, &item_clos);
    let mut marked: HashMap<i64, usize> = HashMap::new();
    for cell in qobe_store::assessment::marks::for_offering(conn, institution, id).await? {
        *marked.entry(cell.item_id).or_default() += 1;
    }
    let locked = crate::results::ensure_marks_editable(conn, institution, id).await.err().map(|e| e.to_string());
    let closed = super::marks::closed_reason(app, actor, &offering).or(locked);
    Ok(PlanView { offering, plan, access, item_clos, warnings, marked, closed })
}

/// What makes the plan unsound as evidence: CLOs nobody assesses, weightage that doesn't add
/// up to 100, items that are evidence for nothing or for more than all of their marks.
fn warnings(plan: &StoredPlan, item_clos: &[Vec<(String, f64)>]) -> Vec<String> {
    let mut out = Vec::new();
    if plan.assessments.is_empty() {
        out.push("No assessments yet: add the components of the final grade.".to_owned());
        return out;
    }
    let total: f64 = plan.assessments.iter().map(|a| a.weight).sum();
    if (total - 100.0).abs() > 0.001 {
        out.push(format!("Weightage adds up to {} %, not 100 %.", format_share(total)));
    }
    for clo in &plan.clos {
        if !item_clos.iter().flatten().any(|(code, _)| *code == clo.code) {
            out.push(format!("{} has no evidence: map at least one item to it.", clo.code));
        }
    }
    for (item, clos) in plan.items.iter().zip(item_clos) {
        let shares: f64 = clos.iter().map(|(_, s)| s).sum();
        if clos.is_empty() {
            out.push(format!("{} is mapped to no CLO.", item.label));
        } else if shares > 1.0 + 1e-9 {
            out.push(format!(
                "{}'s CLO shares add up to {}, more than the whole item.",
                item.label,
                format_share(shares)
            ));
        }
    }
    for a in &plan.assessments {
        if !plan.items.iter().any(|i| i.assessment_id == a.id) {
            out.push(format!("{} has no items.", a.name));
        }
    }
    out
}

pub(super) fn valid_assessment(input: &AssessmentInput) -> Result<(String, String, f64), AppError> {
    let AssessmentInput { name, category, weight } = input;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(name, 100));
    let category = errors.check("category", required_text(category, 20).map(|c| c.to_uppercase()));
    let weight = errors.check(
        "weight",
        weight
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|w| (0.0..=100.0).contains(w))
            .ok_or_else(|| "must be a percentage from 0 to 100".to_owned()),
    );
    match (name, category, weight) {
        (Some(n), Some(c), Some(w)) => Ok((n, c, w)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// An assessment as typed: its name, category and weight (a percentage).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AssessmentInput {
    pub name: String,
    pub category: String,
    pub weight: String,
}

pub async fn add_assessment(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &AssessmentInput,
    client: &ClientInfo,
) -> AppResult<AssessmentRow> {
    edit::open_plan(app, actor, id).await?;
    let institution = actor.institution()?;
    let (name, category, weight) = valid_assessment(input)?;
    crate::results::ensure_marks_editable(app.store.conn(), institution, id).await?;
    let tx = app.store.begin().await?;
    let row = plans::insert_assessment(
        &tx,
        institution,
        NewAssessment { offering: id, name: &name, category: &category, weight },
        app.now(),
    )
    .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assessment.added")
            .target(&name)
            .details(serde_json::json!({ "offering": id.0, "category": category, "weight": weight })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Parses `CLO1`, `CLO1, CLO2` (equal shares) or `CLO1:0.6, CLO2:0.4` against the plan's CLOs.
pub fn parse_clo_shares(plan: &StoredPlan, raw: &str) -> Result<Vec<(i64, f64)>, String> {
    let parts: Vec<&str> = raw.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err("name at least one CLO, e.g. CLO1 or CLO1:0.5, CLO2:0.5".into());
    }
    let equal = 1.0 / parts.len() as f64;
    let mut out: Vec<(i64, f64)> = Vec::new();
    for part in parts {
        let (code, share) = match part.split_once(':') {
            Some((code, share)) => {
                let share = share.trim().parse::<f64>().ok().filter(|s| *s > 0.0 && *s <= 1.0);
                (code.trim(), share.ok_or_else(|| format!("the share in {part:?} must be above 0 and at most 1"))?)
            }
            None => (part, equal),
        };
        let clo = plan
            .clos
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
            .ok_or_else(|| format!("{code} is not a CLO of this course in this term"))?;
        if out.iter().any(|(id, _)| *id == clo.id) {
            return Err(format!("{code} is named twice"));
        }
        out.push((clo.id, share));
    }
    if out.iter().map(|(_, s)| s).sum::<f64>() > 1.0 + 1e-9 {
        return Err("the shares add up to more than 1".into());
    }
    Ok(out)
}

/// Parses a maximum mark.
pub fn parse_max(raw: &str) -> Result<f64, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|m| *m > 0.0 && *m <= 1000.0)
        .ok_or_else(|| "must be a number above 0 (at most 1000)".to_owned())
}

/// An item as typed: its assessment (by id), label, maximum marks and CLO shares (see
/// [`parse_clo_shares`]).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ItemInput {
    pub assessment: String,
    pub label: String,
    pub max_marks: String,
    pub clos: String,
}

pub async fn add_item(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &ItemInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let ItemInput { assessment, label, max_marks, clos } = input;
    let assessment = named_id(assessment);
    let offering = edit::open_plan(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plan = edit::plan_in(&tx, actor, &offering).await?;
    let mut errors = FieldErrors::new();
    let parent = plan.assessments.iter().find(|a| a.id == assessment);
    if parent.is_none() {
        errors.add("assessment", "choose an assessment of this offering");
    }
    let label = errors.check("label", required_text(label, 40));
    let max = errors.check("max_marks", parse_max(max_marks));
    let shares = errors.check("clos", parse_clo_shares(&plan, clos));
    let (Some(parent), Some(label), Some(max), Some(shares)) = (parent, label, max, shares) else {
        return Err(AppError::Invalid(errors));
    };
    let item = plans::insert_item(&tx, institution, parent, &label, max, None).await?;
    plans::set_item_clos(&tx, institution, ItemId(item.id), &shares).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assessment.item_added")
            .target(&format!("{} {}", parent.name, label))
            .details(serde_json::json!({ "offering": id.0, "max_marks": max, "clos": shares })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}
