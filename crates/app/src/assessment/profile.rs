//! A student's own outcome profile: CLO scores in every course with approved results (from the
//! attainment snapshots, which never change) and the PLO scores they roll up to.

use std::collections::HashMap;

use qobe_domain::grading::ResultStatus;
use qobe_domain::ids::{OfferingId, ProgramId, UserId};
use qobe_outcomes::{CloEvidence, StudentPlo, student_plo};
use qobe_store::academics::outcomes::{self as outcome_rows, OutcomeOwner};
use qobe_store::accounts::{self, Person};
use qobe_store::results;
use serde::Deserialize;

use super::evidence::policy_for;
use crate::academics::offerings;
use crate::{Actor, App, AppError, AppResult};

#[derive(Deserialize)]
struct SnapshotClo {
    id: i64,
    lineage_id: i64,
    code: String,
    text: String,
}

#[derive(Deserialize)]
struct SnapshotStudent {
    id: i64,
    scores: Vec<Option<f64>>,
}

#[derive(Deserialize)]
struct Snapshot {
    clos: Vec<SnapshotClo>,
    students: Vec<SnapshotStudent>,
}

/// One CLO score of the student.
#[derive(Debug, Clone)]
pub struct CloLine {
    pub offering_id: i64,
    pub course: String,
    pub term: String,
    pub clo_id: i64,
    pub code: String,
    pub text: String,
    pub score: Option<f64>,
    pub attained: Option<bool>,
}

/// One PLO of the student's program with their score and its parts.
#[derive(Debug, Clone)]
pub struct PloLine {
    pub code: String,
    /// The short name (`Engineering knowledge`); may be empty.
    pub title: String,
    pub text: String,
    pub result: Option<StudentPlo>,
    /// Course codes by id, for the parts.
    pub courses: HashMap<i64, String>,
}

pub struct Profile {
    pub clos: Vec<CloLine>,
    pub plos: Vec<PloLine>,
    pub threshold: f64,
    pub plo_threshold: f64,
}

pub async fn mine(app: &App, actor: &Actor) -> AppResult<Profile> {
    of(app, actor, actor.user_id).await
}

/// A student's outcome transcript for staff: their program's coordinators, the head of
/// department who approves results, and the registrar.
pub async fn of_student(app: &App, actor: &Actor, student: UserId) -> AppResult<(Person, Profile)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let record =
        qobe_store::academics::cohorts::student_of(conn, institution, student).await?.ok_or(AppError::NotFound)?;
    let program = qobe_store::structure::program(conn, institution, ProgramId(record.program_id))
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::authz::view_student_outcomes(actor, program.id, program.department_id) {
        return Err(AppError::Forbidden);
    }
    let person = accounts::people(conn, institution, &[student.0]).await?.pop().ok_or(AppError::NotFound)?;
    Ok((person, of(app, actor, student).await?))
}

async fn of(app: &App, actor: &Actor, student: UserId) -> AppResult<Profile> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let policy = policy_for(conn, institution, None).await?;
    let mut clos = Vec::new();
    let mut evidence: Vec<(i64, CloEvidence)> = Vec::new();
    let mut courses = HashMap::new();
    for line in results::lines_of_student(conn, institution, student).await? {
        let id = OfferingId(line.offering_id);
        let status = results::get(conn, institution, id).await?.and_then(|r| ResultStatus::parse(&r.status));
        if !matches!(status, Some(ResultStatus::Published | ResultStatus::Locked)) {
            continue;
        }
        let Some(snapshot) = results::latest_snapshot(conn, institution, id).await? else { continue };
        let Ok(data) = serde_json::from_str::<Snapshot>(&snapshot.data) else { continue };
        let Some(mine) = data.students.iter().find(|s| s.id == student.0) else { continue };
        let offering = offerings::get(app, actor, id).await?;
        courses.insert(offering.course.id, offering.course.code.clone());
        let maps =
            outcome_rows::clo_plo_maps(conn, institution, &data.clos.iter().map(|c| c.id).collect::<Vec<_>>()).await?;
        for (c, clo) in data.clos.iter().enumerate() {
            let score = mine.scores.get(c).copied().flatten();
            clos.push(CloLine {
                offering_id: id.0,
                course: offering.course.code.clone(),
                term: offering.term.name.clone(),
                clo_id: clo.id,
                code: clo.code.clone(),
                text: clo.text.clone(),
                score,
                attained: score.map(|s| policy.rounding.reaches(s, policy.student_threshold)),
            });
            let Some(score) = score else { continue };
            for map in maps.iter().filter(|m| m.clo_id == clo.id) {
                evidence.push((
                    map.plo_id,
                    CloEvidence {
                        course_id: offering.course.id,
                        clo_id: clo.lineage_id,
                        term: offering.term.starts_at.timestamp(),
                        score,
                        strength: map.weight,
                        credits: offering.course.credits_theory + offering.course.credits_lab,
                    },
                ));
            }
        }
    }
    let program = qobe_store::academics::cohorts::student_of(conn, institution, student).await?.map(|s| s.program_id);
    let mut plos = Vec::new();
    if let Some(program) = program {
        let all = outcome_rows::all_versions(conn, institution, OutcomeOwner::ProgramPlos(program)).await?;
        let terms = qobe_store::academics::terms::list(conn, institution).await?;
        for plo in crate::academics::outcomes::versions_for(&all, &terms, None) {
            let mine: Vec<CloEvidence> =
                evidence.iter().filter(|(p, _)| *p == plo.lineage_id).map(|(_, e)| e.clone()).collect();
            plos.push(PloLine {
                code: plo.code.clone(),
                title: plo.title.clone(),
                text: plo.text.clone(),
                result: student_plo(&policy, &mine),
                courses: courses.clone(),
            });
        }
    }
    Ok(Profile { clos, plos, threshold: policy.student_threshold, plo_threshold: policy.plo_threshold })
}
