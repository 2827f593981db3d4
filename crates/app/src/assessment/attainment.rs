//! Live attainment of an offering's CLOs, and the explanations behind each number.

use std::collections::HashMap;

use qobe_domain::ids::{CloId, OfferingId, UserId};
use qobe_outcomes::{
    Blended, CourseClo, CourseCloExplanation, Offering as Evidence, Policy, StudentCloExplanation, blend, course_clos,
    explain_course_clo, explain_student_clo, student_clo_scores,
};
use qobe_store::academics::outcomes::Outcome;
use qobe_store::accounts::{self, Person};

use super::evidence::{StoredPlan, load, policy_for};
use super::{staff_access, teaches};
use crate::academics::offerings::{self, OfferingView};
use crate::surveys::evidence::{Gathered, IndirectEvidence};
use crate::{Actor, App, AppError, AppResult};

/// One CLO's attainment in the offering: direct (marks), indirect (surveys mapped to it) and
/// their blend under the policy's weights, which is what is judged against the target.
#[derive(Debug, Clone)]
pub struct CloAttainment {
    pub clo: Outcome,
    pub result: CourseClo,
    pub indirect: Option<IndirectEvidence>,
    pub blended: Blended,
}

impl OfferingAttainment {
    /// Adds the surveys' evidence to each CLO and blends it with the marks'.
    pub fn with_indirect(mut self, gathered: &Gathered) -> OfferingAttainment {
        for c in &mut self.clos {
            c.indirect = gathered.of("clo", c.clo.id).cloned();
            let survey = c.indirect.as_ref().and_then(|i| i.result.as_ref());
            c.blended = blend(&self.policy, c.result.value, survey, c.result.target);
        }
        self.withheld_surveys = gathered.withheld;
        self
    }

    /// Whether any CLO has survey evidence (the pages then show the three figures).
    pub fn has_indirect(&self) -> bool {
        self.clos.iter().any(|c| c.indirect.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct OfferingAttainment {
    pub policy: Policy,
    pub clos: Vec<CloAttainment>,
    pub students: usize,
    pub marks_entered: usize,
    /// Anonymous surveys about the offering not counted yet (fewer responses than the minimum).
    pub withheld_surveys: usize,
}

/// The engine run over loaded evidence.
pub fn compute(policy: &Policy, plan: &StoredPlan, evidence: &Evidence) -> OfferingAttainment {
    let scores = student_clo_scores(policy, evidence);
    let results = course_clos(policy, evidence, &scores);
    let marks_entered = (0..evidence.students.len())
        .flat_map(|s| (0..evidence.items.len()).map(move |i| (s, i)))
        .filter(|(s, i)| evidence.mark(*s, *i) != qobe_outcomes::Mark::Missing)
        .count();
    OfferingAttainment {
        policy: policy.clone(),
        clos: plan
            .clos
            .iter()
            .cloned()
            .zip(results)
            .map(|(clo, result)| CloAttainment {
                blended: blend(policy, result.value, None, result.target),
                clo,
                result,
                indirect: None,
            })
            .collect(),
        students: evidence.students.len(),
        marks_entered,
        withheld_surveys: 0,
    }
}

pub struct AttainmentView {
    pub offering: OfferingView,
    pub attainment: OfferingAttainment,
}

/// The offering's CLO attainment now, for its instructors and outcome managers.
pub async fn of_offering(app: &App, actor: &Actor, id: OfferingId) -> AppResult<AttainmentView> {
    let (offering, _) = staff_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let (plan, evidence) = load(conn, institution, &offering).await?;
    let policy = policy_for(conn, institution, None).await?;
    let surveys = crate::surveys::evidence::gather(app, institution, Some(id), None, &policy).await?;
    Ok(AttainmentView { attainment: compute(&policy, &plan, &evidence).with_indirect(&surveys), offering })
}

/// Why the offering's attainment of one CLO is what it is, with the students' names.
pub struct CloExplanation {
    pub offering: OfferingView,
    pub clo: Outcome,
    pub explanation: CourseCloExplanation,
    pub people: HashMap<i64, Person>,
    pub policy: Policy,
}

pub async fn explain_clo(app: &App, actor: &Actor, id: OfferingId, clo: CloId) -> AppResult<CloExplanation> {
    let (offering, _) = staff_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let (plan, evidence) = load(conn, institution, &offering).await?;
    let column = plan.clos.iter().position(|c| c.id == clo.0).ok_or(AppError::NotFound)?;
    let policy = policy_for(conn, institution, None).await?;
    let explanation = explain_course_clo(&policy, &evidence, column).ok_or(AppError::NotFound)?;
    let people =
        accounts::people(conn, institution, &evidence.students).await?.into_iter().map(|p| (p.id, p)).collect();
    Ok(CloExplanation { offering, clo: plan.clos[column].clone(), explanation, people, policy })
}

pub struct StudentExplanation {
    pub offering: OfferingView,
    pub clo: Outcome,
    pub student_name: String,
    pub explanation: StudentCloExplanation,
    /// Assessment names by id, for the contributions.
    pub assessments: HashMap<i64, String>,
}

/// Why a student has their score on a CLO: every item share, mark and weight. Staff of the
/// offering may see anyone's; a student only their own.
pub async fn explain_student(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    clo: CloId,
    student: UserId,
) -> AppResult<StudentExplanation> {
    let offering = if student == actor.user_id && !teaches(actor, id) {
        offerings::get(app, actor, id).await?
    } else {
        staff_access(app, actor, id).await?.0
    };
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let (plan, evidence) = load(conn, institution, &offering).await?;
    let column = plan.clos.iter().position(|c| c.id == clo.0).ok_or(AppError::NotFound)?;
    let row = evidence.students.iter().position(|s| *s == student.0).ok_or(AppError::NotFound)?;
    let policy = policy_for(conn, institution, None).await?;
    let explanation = explain_student_clo(&policy, &evidence, row, column);
    let student_name =
        accounts::people(conn, institution, &[student.0]).await?.pop().map(|p| p.label()).unwrap_or_default();
    let assessments = plan.assessments.iter().map(|a| (a.id, a.name.clone())).collect();
    Ok(StudentExplanation { offering, clo: plan.clos[column].clone(), student_name, explanation, assessments })
}
