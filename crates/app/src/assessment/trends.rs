//! A course's CLO attainment term by term (sections pooled), for spotting trends.

use std::collections::{BTreeMap, HashMap, HashSet};

use qobe_domain::ids::CourseId;
use qobe_store::academics::outcomes::{self as outcome_rows, OutcomeOwner};
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::rows::{Course, Term};

use super::evidence::policy_for;
use super::recompute::{Selection, recompute_selected};
use crate::{Actor, App, AppError, AppResult};

pub struct CourseTrend {
    pub course: Course,
    /// Terms with evidence, oldest first.
    pub terms: Vec<Term>,
    /// (CLO lineage, code) in code order.
    pub clos: Vec<(i64, String)>,
    /// (term, CLO lineage) → (attaining, with evidence).
    pub cells: HashMap<(i64, i64), (usize, usize)>,
    pub target: f64,
    /// Each term's offerings (sections) with evidence, for drilling down.
    pub offerings: HashMap<i64, Vec<i64>>,
}

impl CourseTrend {
    /// Next term's target for a CLO from its attainment so far under `rule` (`None` without
    /// the history the rule needs).
    pub fn suggested(&self, clo: i64, rule: qobe_outcomes::TargetRule) -> Option<f64> {
        let history: Vec<f64> = self.terms.iter().filter_map(|t| self.share(t.id, clo)).collect();
        qobe_outcomes::next_target(rule, &history)
    }

    pub fn share(&self, term: i64, clo: i64) -> Option<f64> {
        self.cells.get(&(term, clo)).filter(|(_, n)| *n > 0).map(|(a, n)| *a as f64 / *n as f64)
    }
}

pub async fn of_course(app: &App, actor: &Actor, id: CourseId) -> AppResult<CourseTrend> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let course = courses::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let teaches = offerings::of_course(conn, institution, id).await?;
    if !crate::authz::course_trend(
        actor,
        course.department_id,
        teaches.iter().map(|o| qobe_domain::ids::OfferingId(o.id)),
    ) {
        return Err(AppError::Forbidden);
    }
    let policy = policy_for(conn, institution, None).await?;
    let selection = Selection {
        courses: Some(HashSet::from([course.id])),
        students: Some(HashSet::new()),
        plos: Some(HashSet::new()),
        keep_parts: false,
    };
    let computed = recompute_selected(conn, institution, &policy, &selection).await?;
    let versions = outcome_rows::all_versions(conn, institution, OutcomeOwner::CourseClos(course.id)).await?;
    let lineage: HashMap<i64, (i64, String)> =
        versions.iter().map(|v| (v.id, (v.lineage_id, v.code.clone()))).collect();
    let term_of: HashMap<i64, i64> = teaches.iter().map(|o| (o.id, o.term_id)).collect();
    let mut cells: HashMap<(i64, i64), (usize, usize)> = HashMap::new();
    let mut sections: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut clos: BTreeMap<String, i64> = BTreeMap::new();
    for (offering, clo, result) in &computed.course_clos {
        let (Some(term), Some((line, code))) = (term_of.get(offering), lineage.get(clo)) else { continue };
        clos.insert(code.clone(), *line);
        let slot = cells.entry((*term, *line)).or_default();
        slot.0 += result.overall.attaining;
        slot.1 += result.overall.students_with_evidence;
        let of_term = sections.entry(*term).or_default();
        if result.overall.students_with_evidence > 0 && !of_term.contains(offering) {
            of_term.push(*offering);
        }
    }
    let with_evidence: HashSet<i64> = cells.iter().filter(|(_, (_, n))| *n > 0).map(|((t, _), _)| *t).collect();
    let mut all_terms: Vec<Term> =
        terms::list(conn, institution).await?.into_iter().filter(|t| with_evidence.contains(&t.id)).collect();
    all_terms.sort_by_key(|t| t.starts_at);
    Ok(CourseTrend {
        course,
        terms: all_terms,
        clos: clos.into_iter().map(|(code, line)| (line, code)).collect(),
        cells,
        target: policy.course_target,
        offerings: sections,
    })
}
