//! Indirect evidence for attainment: the published surveys about an offering (for its CLOs) or
//! a program (for its PLOs and PEOs), their mapped questions' answers pooled per outcome and read
//! under the policy. An anonymous survey below the institution's minimum gives nothing: its
//! answers are shown nowhere, so they are counted nowhere either.

use qobe_domain::ids::{InstitutionId, OfferingId, ProgramId, SurveyId};
use qobe_domain::surveys::RatedQuestion;
use qobe_domain::surveys::summary::point_counts;
use qobe_outcomes::{IndirectResult, Policy, ScaleCounts, indirect};
use qobe_store::surveys as rows;

use super::results::minimum;
use super::tally;
use super::{Status, form_of};
use crate::{App, AppResult};

/// A survey an outcome's indirect evidence comes from, and its questions read for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub survey: i64,
    pub title: String,
    pub questions: Vec<RatedQuestion>,
}

/// One outcome's indirect evidence: respondents per point pooled over its questions and
/// surveys, and the measure the policy reads from them.
#[derive(Debug, Clone, PartialEq)]
pub struct IndirectEvidence {
    /// `clo`, `plo` or `peo`.
    pub kind: String,
    pub outcome: i64,
    pub counts: Vec<u64>,
    pub result: Option<IndirectResult>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gathered {
    pub lines: Vec<IndirectEvidence>,
    /// Anonymous surveys left out because they have fewer responses than the minimum.
    pub withheld: usize,
}

impl Gathered {
    pub fn of(&self, kind: &str, outcome: i64) -> Option<&IndirectEvidence> {
        self.lines.iter().find(|l| l.kind == kind && l.outcome == outcome)
    }
}

/// What the surveys about the offering (`Some`) or else the program say.
pub async fn gather(
    app: &App,
    institution: InstitutionId,
    offering: Option<OfferingId>,
    program: Option<ProgramId>,
    policy: &Policy,
) -> AppResult<Gathered> {
    let conn = app.store.conn();
    let about = |s: &qobe_store::rows::Survey| match (offering, program) {
        (Some(o), _) => s.offering_id == Some(o.0),
        (None, Some(p)) => s.program_id == Some(p.0) && s.offering_id.is_none(),
        (None, None) => false,
    };
    let surveys: Vec<_> = rows::list(conn, institution)
        .await?
        .into_iter()
        .filter(|s| Status::of(s) != Status::Draft && about(s))
        .collect();
    let mut out = Gathered::default();
    if surveys.is_empty() {
        return Ok(out);
    }
    let least = minimum(app, institution).await?;
    for survey in surveys {
        let id = SurveyId(survey.id);
        let maps = rows::outcome_maps(conn, institution, id).await?;
        if maps.is_empty() {
            continue;
        }
        let responses = usize::try_from(rows::response_count(conn, institution, id).await?).unwrap_or(usize::MAX);
        if survey.anonymous && responses < least {
            out.withheld += 1;
            continue;
        }
        let form = form_of(&survey)?;
        let summaries = tally::summaries(app, institution, &survey, &form, responses).await?;
        for map in maps {
            let row = usize::try_from(map.row_index).ok();
            let Some(counts) = point_counts(&summaries, &map.question_key, row) else { continue };
            let question = RatedQuestion { key: map.question_key.clone(), row };
            let at = match out.lines.iter().position(|l| l.kind == map.outcome_kind && l.outcome == map.outcome_id) {
                Some(at) => at,
                None => {
                    out.lines.push(IndirectEvidence {
                        kind: map.outcome_kind.clone(),
                        outcome: map.outcome_id,
                        counts: Vec::new(),
                        result: None,
                        sources: Vec::new(),
                    });
                    out.lines.len() - 1
                }
            };
            let line = &mut out.lines[at];
            let mut pooled = ScaleCounts(std::mem::take(&mut line.counts));
            pooled.merge(&ScaleCounts(counts));
            line.counts = pooled.0;
            match line.sources.iter_mut().find(|s| s.survey == survey.id) {
                Some(source) => source.questions.push(question),
                None => line.sources.push(Source {
                    survey: survey.id,
                    title: survey.title.clone(),
                    questions: vec![question],
                }),
            }
        }
    }
    for line in &mut out.lines {
        line.result = indirect(&policy.indirect, &policy.rounding, &ScaleCounts(line.counts.clone()));
    }
    Ok(out)
}
