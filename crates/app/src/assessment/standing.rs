//! Each program's standing against its PLO targets — how many PLOs are met and which fall
//! short, all cohorts pooled — computed in the background (daily, and soon after results are
//! approved) and read by home pages, which would otherwise recompute every program's
//! attainment on each visit.

use qobe_domain::ids::{InstitutionId, ProgramId};
use qobe_store::Conn;
use qobe_store::assessment::standings::{self, Standing};
use qobe_store::rows::Program;

use super::program::{ProgramFilter, attainment_of};
use crate::jobs::{self, Kind};
use crate::{Actor, App, AppResult, authz};

/// One program on a home page: its standing when one has been computed.
#[derive(Debug, Clone)]
pub struct ProgramLine {
    pub program: Program,
    pub standing: Option<qobe_store::rows::ProgramStanding>,
}

impl ProgramLine {
    /// The PLOs below target, by code.
    pub fn short_codes(&self) -> Vec<&str> {
        self.standing.iter().flat_map(|s| s.short_codes.split(',')).filter(|c| !c.is_empty()).collect()
    }
}

/// The programs whose attainment the actor may see, those with PLOs short first, each with its
/// last computed standing.
pub async fn lines(app: &App, actor: &Actor) -> AppResult<Vec<ProgramLine>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut computed = standings::all(conn, institution).await?;
    let mut lines: Vec<ProgramLine> = qobe_store::structure::programs(conn, institution)
        .await?
        .into_iter()
        .filter(|p| authz::view_program_attainment(actor, p.id, p.department_id))
        .map(|program| {
            let at = computed.iter().position(|s| s.program_id == program.id);
            ProgramLine { standing: at.map(|i| computed.swap_remove(i)), program }
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.standing.as_ref().map_or(0, |s| s.plos_short)));
    Ok(lines)
}

/// Computes and records the standing of every program of the institution.
pub async fn refresh(app: &App, institution: InstitutionId) -> AppResult<usize> {
    let programs = qobe_store::structure::programs(app.store.conn(), institution).await?;
    for program in &programs {
        let standing = standing_of(app, institution, program.clone()).await?;
        standings::save(app.store.conn(), institution, ProgramId(program.id), &standing, app.now()).await?;
    }
    Ok(programs.len())
}

async fn standing_of(app: &App, institution: InstitutionId, program: Program) -> AppResult<Standing> {
    let attainment = attainment_of(app, institution, program, ProgramFilter::default()).await?;
    let judged: Vec<(&str, Option<bool>)> =
        attainment.plos.iter().zip(&attainment.overall).map(|(plo, result)| (plo.code.as_str(), result.met)).collect();
    let count = |wanted: Option<bool>| judged.iter().filter(|(_, met)| *met == wanted).count() as i64;
    Ok(Standing {
        plos: judged.len() as i64,
        plos_assessed: judged.iter().filter(|(_, met)| met.is_some()).count() as i64,
        plos_met: count(Some(true)),
        plos_short: count(Some(false)),
        short_codes: judged.iter().filter(|(_, met)| *met == Some(false)).map(|(code, _)| (*code).to_owned()).collect(),
        students: attainment.students_by_cohort.values().map(|s| s.len() as i64).sum(),
    })
}

/// Asks for the institution's standings to be recomputed, in `conn`'s transaction (so only if
/// the change that calls for it commits). Requests within the same minute share one job.
pub async fn queue_refresh(conn: &impl Conn, app: &App, institution: InstitutionId) -> AppResult<()> {
    let key = format!("standings:{institution}:{}", app.now().format("%Y-%m-%dT%H:%M"));
    jobs::enqueue_once(conn, app, Some(institution), Kind::ProgramStandings, &serde_json::json!({}), key).await?;
    Ok(())
}

/// A person who may see some program's attainment asks for fresh figures now.
pub async fn ask_refresh(app: &App, actor: &Actor) -> AppResult<()> {
    if lines(app, actor).await?.is_empty() {
        return Err(crate::AppError::Forbidden);
    }
    queue_refresh(app.store.conn(), app, actor.institution()?).await
}

/// The job: one institution's programs (when the job names one), else every active
/// institution's (the daily chore).
pub(crate) async fn run(app: &App, job: &jobs::Running) -> AppResult<()> {
    let institutions = match job.institution {
        Some(one) => vec![one],
        None => qobe_store::tenancy::active_ids(app.store.conn()).await?,
    };
    let total = institutions.len().max(1);
    for (done, institution) in institutions.into_iter().enumerate() {
        let programs = refresh(app, institution).await?;
        tracing::info!(institution = %institution, programs, "program standings computed");
        job.progress(((done + 1) * 100 / total) as i64, "programs").await?;
    }
    Ok(())
}
