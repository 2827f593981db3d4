//! A program's outcomes with their survey evidence: each PLO's direct figure (the share of the
//! program's students attaining it, all cohorts shown pooled) beside the graduating surveys'
//! indirect figure and their blend; each PEO's attainment from alumni and employer surveys,
//! which are its only evidence. Both are shares, so they are blended as shares whatever levels
//! the policy gives courses.

use qobe_domain::ids::{InstitutionId, ProgramId};
use qobe_outcomes::{Blended, DirectIndirect, GroupPlo, Policy, blend};
use qobe_store::academics::outcomes::{Outcome, OutcomeOwner, all_versions};

use crate::academics::outcomes::versions_for;
use crate::surveys::evidence::{IndirectEvidence, gather};
use crate::{App, AppResult};

/// One PLO or PEO with its evidence.
#[derive(Debug, Clone)]
pub struct OutcomeEvidence {
    /// `PLO` or `PEO`.
    pub kind: &'static str,
    pub outcome: Outcome,
    pub survey: Option<IndirectEvidence>,
    pub blended: Blended,
}

/// The PLOs' and PEOs' evidence, and how many anonymous surveys wait for the minimum.
pub async fn of(
    app: &App,
    institution: InstitutionId,
    program: ProgramId,
    policy: &Policy,
    plos: &[Outcome],
    overall: &[GroupPlo],
) -> AppResult<(Vec<OutcomeEvidence>, usize)> {
    let mut shares = policy.clone();
    shares.levels = None;
    shares.indirect.levels = None;
    let gathered = gather(app, institution, None, Some(program), &shares).await?;
    let mut out = Vec::new();
    for (plo, group) in plos.iter().zip(overall) {
        let survey = gathered.of("plo", plo.id).cloned();
        let result = survey.as_ref().and_then(|s| s.result.as_ref());
        let blended = blend(&shares, group.percent_attaining, result, policy.cohort_target);
        out.push(OutcomeEvidence { kind: "PLO", outcome: plo.clone(), survey, blended });
    }
    let conn = app.store.conn();
    let terms = qobe_store::academics::terms::list(conn, institution).await?;
    let peos = all_versions(conn, institution, OutcomeOwner::ProgramPeos(program.0)).await?;
    // A PEO has no marks: its surveys are all its evidence, whatever weight the policy gives them.
    let mut surveys_only = shares.clone();
    surveys_only.blend = DirectIndirect { direct: 0.0, indirect: 1.0 };
    for peo in versions_for(&peos, &terms, None) {
        let survey = gathered.of("peo", peo.id).cloned();
        let result = survey.as_ref().and_then(|s| s.result.as_ref());
        let blended = blend(&surveys_only, None, result, policy.cohort_target);
        out.push(OutcomeEvidence { kind: "PEO", outcome: peo, survey, blended });
    }
    Ok((out, gathered.withheld))
}
