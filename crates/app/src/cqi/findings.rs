//! Findings: raised from a CLO that missed its target (with the numbers), or by hand; listed on
//! the dashboard with their actions' state, per program and per person.

use std::collections::HashMap;

use qobe_domain::FieldErrors;
use qobe_domain::cqi::{ActionStatus, Criticality, is_overdue};
use qobe_domain::entered::named_id;
use qobe_domain::ids::{CloId, CurriculumVersionId, InstitutionId, OfferingId};
use qobe_domain::validation::required_text;
use qobe_store::cqi::{self as rows, NewFinding};
use qobe_store::rows::{CqiAction, CqiFinding, Term};
use qobe_store::{accounts, structure};

use super::manages;
use crate::assessment::attainment::of_offering;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// The program whose curriculum lists the course, if any.
async fn program_of_course(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    course: i64,
) -> AppResult<Option<i64>> {
    let conn = app.store.conn();
    for program in structure::programs(conn, institution).await? {
        for curriculum in
            qobe_store::academics::curricula::for_program(conn, institution, qobe_domain::ids::ProgramId(program.id))
                .await?
        {
            let courses =
                qobe_store::academics::curricula::courses(conn, institution, CurriculumVersionId(curriculum.id))
                    .await?;
            if courses.iter().any(|c| c.course_id == course) {
                return Ok(Some(program.id));
            }
        }
    }
    Ok(None)
}

/// Raises a finding for a CLO of an offering that is below its target, with the numbers.
pub async fn raise_from_shortfall(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    clo: CloId,
    client: &ClientInfo,
) -> AppResult<CqiFinding> {
    let clo = clo.0;
    let view = of_offering(app, actor, offering).await?;
    let institution = actor.institution()?;
    let line = view.attainment.clos.iter().find(|c| c.clo.id == clo).ok_or(AppError::NotFound)?;
    if line.blended.met != Some(false) {
        return Err(AppError::Refused(vec![format!("{} is not below its target: nothing to raise.", line.clo.code)]));
    }
    let value = line.blended.value.unwrap_or_default();
    let course = &view.offering.course;
    let title = format!("{} of {} below target in {}", line.clo.code, course.code, view.offering.term.name);
    let description = format!(
        "{}: attainment {:.1}% against a target of {:.1}% ({} of {} students with evidence attained it).",
        line.clo.text,
        value * 100.0,
        line.result.target * 100.0,
        line.result.overall.attaining,
        line.result.overall.students_with_evidence
    );
    let program = program_of_course(app, institution, course.id).await?;
    let new = NewFinding {
        program,
        course: Some(course.id),
        offering: Some(offering.0),
        clo: Some(clo),
        title: &title,
        description: &description,
        criticality: if value < line.result.target * 0.8 { "high" } else { "medium" },
        source: "shortfall",
        attainment: line.result.value,
        target: Some(line.result.target),
        by: actor.user_id,
    };
    let tx = app.store.begin().await?;
    let row = rows::insert_finding(&tx, institution, new, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "cqi.finding_raised").target(&title)).await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Raises a finding by hand (QA officers and coordinators).
/// A finding raised by hand: the program it is about (by id, or none for the institution),
/// what was found, and how critical it is.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FindingInput {
    pub program: Option<String>,
    pub title: String,
    pub description: String,
    pub criticality: String,
}

pub async fn raise(app: &App, actor: &Actor, input: &FindingInput, client: &ClientInfo) -> AppResult<CqiFinding> {
    if !manages(actor) {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let mut errors = FieldErrors::new();
    let program = input.program.as_deref().map(named_id);
    let title = errors.check("title", required_text(&input.title, 200));
    let description = errors.check("description", required_text(&input.description, 4000));
    let criticality = errors.check("criticality", Criticality::parse(&input.criticality));
    if let Some(p) = program
        && structure::program(app.store.conn(), institution, qobe_domain::ids::ProgramId(p)).await?.is_none()
    {
        errors.add("program", "choose a program of this institution");
    }
    let (Some(title), Some(description), Some(criticality)) = (title, description, criticality) else {
        return Err(AppError::Invalid(errors));
    };
    errors.into_result()?;
    let new = NewFinding {
        program,
        course: None,
        offering: None,
        clo: None,
        title: &title,
        description: &description,
        criticality: criticality.as_str(),
        source: "manual",
        attainment: None,
        target: None,
        by: actor.user_id,
    };
    let tx = app.store.begin().await?;
    let row = rows::insert_finding(&tx, institution, new, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "cqi.finding_raised").target(&title)).await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Whether the actor may see the finding: managers, whoever raised it, owners of its actions,
/// and the instructors of the offering it is about (their course file lists it).
pub(crate) fn may_see(actor: &Actor, finding: &CqiFinding, actions: &[CqiAction]) -> bool {
    manages(actor)
        || finding.raised_by == actor.user_id.0
        || actions.iter().any(|a| a.owner_id == actor.user_id.0)
        || finding.offering_id.is_some_and(|o| crate::authz::teaches(actor, qobe_domain::ids::OfferingId(o)))
}

/// One action as listed.
#[derive(Debug, Clone)]
pub struct ActionLine {
    pub action: CqiAction,
    /// The owner's name.
    pub owner: String,
    /// The owner's name and email, which tell people with the same name apart.
    pub owner_label: String,
    pub due: Option<Term>,
    pub overdue: bool,
    pub evidence: Vec<(i64, String)>,
}

pub(crate) async fn action_lines(
    app: &App,
    institution: InstitutionId,
    actions: Vec<CqiAction>,
) -> AppResult<Vec<ActionLine>> {
    let conn = app.store.conn();
    let terms = qobe_store::academics::terms::list(conn, institution).await?;
    let owners: Vec<i64> = actions.iter().map(|a| a.owner_id).collect();
    let people: HashMap<i64, accounts::Person> =
        accounts::people(conn, institution, &owners).await?.into_iter().map(|p| (p.id, p)).collect();
    let ids: Vec<i64> = actions.iter().map(|a| a.id).collect();
    let evidence = rows::evidence_list(conn, institution, &ids).await?;
    let now = app.now();
    Ok(actions
        .into_iter()
        .map(|action| {
            let due = terms.iter().find(|t| t.id == action.due_term_id).cloned();
            let status = ActionStatus::parse(&action.status).unwrap_or(ActionStatus::Planned);
            let overdue = due.as_ref().is_some_and(|t| is_overdue(status, t.ends_at, now));
            ActionLine {
                owner: people.get(&action.owner_id).map(|p| p.name.clone()).unwrap_or_default(),
                owner_label: people
                    .get(&action.owner_id)
                    .map(|p| format!("{} ({})", p.name, p.email))
                    .unwrap_or_default(),
                evidence: evidence.iter().filter(|e| e.1 == action.id).map(|e| (e.0, e.2.clone())).collect(),
                due,
                overdue,
                action,
            }
        })
        .collect())
}

pub struct FindingLine {
    pub finding: CqiFinding,
    pub open_actions: usize,
    pub overdue_actions: usize,
}

pub struct Dashboard {
    pub findings: Vec<FindingLine>,
    /// (program code, open actions, overdue actions)
    pub per_program: Vec<(String, usize, usize)>,
    /// (owner, open actions, overdue actions)
    pub per_person: Vec<(String, usize, usize)>,
    /// The actor's own open actions.
    pub mine: Vec<ActionLine>,
    /// Others' open actions that are overdue, on the findings the actor sees.
    pub overdue: Vec<ActionLine>,
    pub manages: bool,
}

pub async fn dashboard(app: &App, actor: &Actor) -> AppResult<Dashboard> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let all_findings = rows::findings(conn, institution).await?;
    let lines = action_lines(app, institution, rows::actions(conn, institution, None).await?).await?;
    let programs: HashMap<i64, String> =
        structure::programs(conn, institution).await?.into_iter().map(|p| (p.id, p.code)).collect();
    let manages = manages(actor);
    let mut findings = Vec::new();
    let mut per_program: HashMap<String, (usize, usize)> = HashMap::new();
    let mut per_person: HashMap<String, (usize, usize)> = HashMap::new();
    let mut seen_findings = std::collections::HashSet::new();
    for finding in all_findings {
        let of_it: Vec<&ActionLine> = lines.iter().filter(|l| l.action.finding_id == finding.id).collect();
        let actions: Vec<CqiAction> = of_it.iter().map(|l| l.action.clone()).collect();
        if !may_see(actor, &finding, &actions) {
            continue;
        }
        let open: Vec<&&ActionLine> =
            of_it.iter().filter(|l| ActionStatus::parse(&l.action.status).is_ok_and(ActionStatus::is_open)).collect();
        let overdue = open.iter().filter(|l| l.overdue).count();
        let program = finding.program_id.and_then(|p| programs.get(&p).cloned()).unwrap_or_else(|| "No program".into());
        let slot = per_program.entry(program).or_default();
        slot.0 += open.len();
        slot.1 += overdue;
        for line in &open {
            // By account, not by name: two people may share a name.
            let person = per_person.entry(line.owner_label.clone()).or_default();
            person.0 += 1;
            person.1 += usize::from(line.overdue);
        }
        seen_findings.insert(finding.id);
        findings.push(FindingLine { finding, open_actions: open.len(), overdue_actions: overdue });
    }
    let (mine, others): (Vec<ActionLine>, Vec<ActionLine>) = lines
        .into_iter()
        .filter(|l| ActionStatus::parse(&l.action.status).is_ok_and(ActionStatus::is_open))
        .partition(|l| l.action.owner_id == actor.user_id.0);
    let overdue = others.into_iter().filter(|l| l.overdue && seen_findings.contains(&l.action.finding_id)).collect();
    let sorted = |m: HashMap<String, (usize, usize)>| {
        let mut v: Vec<(String, usize, usize)> = m.into_iter().map(|(k, (o, d))| (k, o, d)).collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
        v
    };
    Ok(Dashboard { findings, per_program: sorted(per_program), per_person: sorted(per_person), mine, overdue, manages })
}
