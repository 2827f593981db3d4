//! Loading an offering's evidence from the store into the engine's shape.

use std::collections::HashMap;

use qobe_domain::ids::{CourseId, InstitutionId, OfferingId, ProgramId};
use qobe_outcomes::{Assessment, Item, Mapping, Mark, Offering as Evidence, Policy};
use qobe_store::Conn;
use qobe_store::academics::outcomes::{self as outcome_rows, Outcome, OutcomeOwner};
use qobe_store::academics::terms;
use qobe_store::assessment::{marks, plans, policies};
use qobe_store::registration as enrollments;
use qobe_store::rows::{Assessment as AssessmentRow, AssessmentItem, ItemCloMap};

use crate::academics::offerings::OfferingView;
use crate::academics::outcomes::versions_for;
use crate::{AppError, AppResult};

/// The PLO-level figures a program may set for itself. CLO scoring stays the institution's,
/// so a course reads the same in every program that uses it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProgramSettings {
    pub plo_threshold: f64,
    pub cohort_target: f64,
    pub plo_weighting: qobe_outcomes::PloWeighting,
}

impl ProgramSettings {
    pub fn of(policy: &Policy) -> ProgramSettings {
        ProgramSettings {
            plo_threshold: policy.plo_threshold,
            cohort_target: policy.cohort_target,
            plo_weighting: policy.plo_weighting,
        }
    }

    pub fn apply(self, policy: &mut Policy) {
        policy.plo_threshold = self.plo_threshold;
        policy.cohort_target = self.cohort_target;
        policy.plo_weighting = self.plo_weighting;
    }
}

/// The program's own PLO settings (its newest version), if it has set any.
pub async fn program_settings(
    conn: &impl Conn,
    institution: InstitutionId,
    program: ProgramId,
) -> AppResult<Option<ProgramSettings>> {
    match policies::latest(conn, institution, Some(program)).await? {
        Some(row) => serde_json::from_str(&row.policy)
            .map(Some)
            .map_err(|e| AppError::Internal(format!("stored program settings: {e}"))),
        None => Ok(None),
    }
}

/// The policy for a program: the institution's (else PEC), with the program's own PLO
/// settings when it has set them.
pub async fn policy_for(conn: &impl Conn, institution: InstitutionId, program: Option<ProgramId>) -> AppResult<Policy> {
    let mut policy = match policies::latest(conn, institution, None).await? {
        Some(row) => {
            serde_json::from_str(&row.policy).map_err(|e| AppError::Internal(format!("stored policy: {e}")))?
        }
        None => Policy::pec(),
    };
    if let Some(program) = program
        && let Some(settings) = program_settings(conn, institution, program).await?
    {
        settings.apply(&mut policy);
    }
    Ok(policy)
}

/// An offering's plan as stored: assessments in order, each with its items and their shares.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub assessments: Vec<AssessmentRow>,
    /// Items in assessment order, then item order.
    pub items: Vec<AssessmentItem>,
    pub shares: Vec<ItemCloMap>,
    /// The course's CLOs as they apply in the offering's term.
    pub clos: Vec<Outcome>,
}

impl StoredPlan {
    pub fn shares_of(&self, item: i64) -> impl Iterator<Item = &ItemCloMap> {
        self.shares.iter().filter(move |s| s.item_id == item)
    }

    /// The CLO column of a stored CLO version id: the applicable version of the same lineage.
    pub fn clo_column(&self, all_versions: &HashMap<i64, i64>, clo_version: i64) -> Option<usize> {
        let lineage = all_versions.get(&clo_version)?;
        self.clos.iter().position(|c| c.lineage_id == *lineage)
    }
}

pub async fn stored_plan(conn: &impl Conn, institution: InstitutionId, view: &OfferingView) -> AppResult<StoredPlan> {
    let id = OfferingId(view.offering.id);
    let assessments = plans::assessments(conn, institution, id).await?;
    let mut items = plans::items(conn, institution, id).await?;
    let order: HashMap<i64, i64> = assessments.iter().map(|a| (a.id, a.position)).collect();
    items.sort_by_key(|i| (order.get(&i.assessment_id).copied().unwrap_or(i64::MAX), i.position));
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let shares = plans::item_clos(conn, institution, &ids).await?;
    let all = outcome_rows::all_versions(conn, institution, OutcomeOwner::CourseClos(view.course.id)).await?;
    let all_terms = terms::list(conn, institution).await?;
    let clos = versions_for(&all, &all_terms, Some(&view.term));
    Ok(StoredPlan { assessments, items, shares, clos })
}

/// Lineage of every CLO version of the course, for mapping stored shares to columns.
pub async fn clo_lineages(
    conn: &impl Conn,
    institution: InstitutionId,
    course: CourseId,
) -> AppResult<HashMap<i64, i64>> {
    let all = outcome_rows::all_versions(conn, institution, OutcomeOwner::CourseClos(course.0)).await?;
    Ok(all.iter().map(|o| (o.id, o.lineage_id)).collect())
}

/// Students who count in an offering: enrolled or completed, by user id.
pub async fn student_ids(conn: &impl Conn, institution: InstitutionId, offering: OfferingId) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> = enrollments::for_offering(conn, institution, offering)
        .await?
        .into_iter()
        .filter(|e| e.status == "enrolled" || e.status == "completed")
        .map(|e| e.user_id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// The mark a stored row stands for.
pub fn mark_of(score: Option<f64>, status: &str) -> Mark {
    match (status, score) {
        ("absent", _) => Mark::Absent,
        ("excused", _) => Mark::Excused,
        ("not_attempted", _) => Mark::NotAttempted,
        (_, Some(s)) => Mark::Score(s as f32),
        _ => Mark::Missing,
    }
}

/// One stored mark: (item, student, score, status).
pub type MarkCell<'a> = (i64, i64, Option<f64>, &'a str);

/// The engine's view of an offering: plan, students and marks.
pub fn build<'a>(
    plan: &StoredPlan,
    lineages: &HashMap<i64, i64>,
    students: Vec<i64>,
    stored_marks: impl IntoIterator<Item = MarkCell<'a>>,
) -> AppResult<Evidence> {
    let position: HashMap<i64, usize> = plan.assessments.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let assessments = plan
        .assessments
        .iter()
        .map(|a| Assessment { id: a.id, name: a.name.clone(), category: a.category.clone(), weight: a.weight })
        .collect();
    let items: Vec<Item> = plan
        .items
        .iter()
        .map(|i| Item {
            id: i.id,
            label: i.label.clone(),
            assessment: position.get(&i.assessment_id).copied().unwrap_or(0),
            max_marks: i.max_marks as f32,
        })
        .collect();
    let column: HashMap<i64, usize> = plan.items.iter().enumerate().map(|(c, i)| (i.id, c)).collect();
    let mappings = plan
        .shares
        .iter()
        .filter_map(|s| {
            Some(Mapping {
                item: *column.get(&s.item_id)?,
                clo: plan.clo_column(lineages, s.clo_id)?,
                share: s.share as f32,
            })
        })
        .collect();
    let row_of: HashMap<i64, usize> = students.iter().enumerate().map(|(r, s)| (*s, r)).collect();
    let mut evidence = Evidence::new(plan.clos.iter().map(|c| c.id).collect(), assessments, items, mappings, students)
        .map_err(|e| AppError::Internal(format!("assessment plan: {e}")))?;
    for (item, user, score, status) in stored_marks {
        if let (Some(row), Some(col)) = (row_of.get(&user), column.get(&item)) {
            // A score above a lowered maximum is capped rather than failing the whole offering.
            let mark = match mark_of(score, status) {
                Mark::Score(s) => Mark::Score(s.min(evidence.items[*col].max_marks)),
                other => other,
            };
            evidence.set(*row, *col, mark).map_err(|e| AppError::Internal(format!("mark: {e}")))?;
        }
    }
    Ok(evidence)
}

/// Everything needed to compute an offering's attainment, loaded in a few queries.
pub async fn load(
    conn: &impl Conn,
    institution: InstitutionId,
    view: &OfferingView,
) -> AppResult<(StoredPlan, Evidence)> {
    let plan = stored_plan(conn, institution, view).await?;
    let students = student_ids(conn, institution, OfferingId(view.offering.id)).await?;
    let evidence = evidence_for(conn, institution, view, &plan, students).await?;
    Ok((plan, evidence))
}

/// The engine's view of an offering whose plan and students are already loaded: reads only
/// the CLO lineages and the marks.
pub async fn evidence_for(
    conn: &impl Conn,
    institution: InstitutionId,
    view: &OfferingView,
    plan: &StoredPlan,
    students: Vec<i64>,
) -> AppResult<Evidence> {
    let lineages = clo_lineages(conn, institution, CourseId(view.course.id)).await?;
    let stored = marks::for_offering(conn, institution, OfferingId(view.offering.id)).await?;
    let cells = stored.iter().map(|m| (m.item_id, m.user_id, m.score, m.status.as_str()));
    build(plan, &lineages, students, cells)
}
