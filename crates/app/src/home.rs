//! What needs a person now, for their home page: the offerings they teach and how far each is,
//! results waiting for their approval, the improvement actions they own, their own courses,
//! results and outcomes, and for those who run the institution its figures. Each part is there
//! only for the roles it concerns.

use qobe_domain::academics::RegistrationPhase;
use qobe_domain::grading::ResultStatus;
use qobe_domain::ids::OfferingId;
use qobe_domain::roles::{Role, Scope};

use crate::academics::offerings::{self, OfferingView};
use crate::academics::terms::Term;
use crate::cqi::findings::{self, ActionLine};
use crate::registration::{self, OpenOffering};
use crate::results::{self, MyResult, OfferingResult};
use crate::{Actor, App, AppResult, authz};

/// How many of their offerings an instructor's home shows (the latest terms first).
const TEACHING_CARDS: usize = 12;

pub struct Home {
    /// The offerings the person teaches; `None` when they teach none by role.
    pub teaching: Option<Vec<TeachingCard>>,
    /// Results submitted for the person's approval; `None` when they approve none.
    pub approvals: Option<Vec<(OfferingView, OfferingResult)>>,
    /// The improvement actions the person owns that are still open.
    pub actions: Vec<ActionLine>,
    /// A student's courses, results and outcomes; `None` for others.
    pub studies: Option<Studies>,
    /// The institution's figures, for its admins and QA officers.
    pub institution: Option<Figures>,
}

/// One offering an instructor teaches, with how far it is.
pub struct TeachingCard {
    pub offering: OfferingView,
    pub students: usize,
    pub items: usize,
    /// Marks entered of every student × item, as a fraction (none without both).
    pub entered: Option<f64>,
    pub clos: usize,
    pub clos_met: usize,
    pub clos_short: usize,
    pub results: ResultStatus,
}

impl TeachingCard {
    /// Marks entered, in whole percent.
    pub fn entered_percent(&self) -> Option<u32> {
        self.entered.map(|share| (share * 100.0).round() as u32)
    }

    /// What the instructor does next on this offering, with where.
    pub fn next_step(&self) -> (&'static str, &'static str) {
        match (self.items, self.entered, self.results) {
            (0, _, ResultStatus::Draft) => ("Plan the assessments", "plan"),
            (_, Some(share), ResultStatus::Draft) if share < 1.0 => ("Enter marks", "marks"),
            (_, _, ResultStatus::Draft) => ("Submit grades", "grades"),
            _ => ("See the grades", "grades"),
        }
    }
}

/// A student's term at a glance.
pub struct Studies {
    /// The term registration is open for, or the latest.
    pub term: Option<Term>,
    pub phase: Option<RegistrationPhase>,
    /// The student's courses that term.
    pub courses: Vec<OpenOffering>,
    pub credits: f64,
    /// The results of the latest term that has any, and that term's name.
    pub latest: Option<(String, Vec<MyResult>)>,
    pub cgpa: Option<f64>,
    /// (attained, with evidence) of the student's CLOs and PLOs.
    pub clos: (usize, usize),
    pub plos: (usize, usize),
}

impl Studies {
    /// Registration or add/drop is open for the term.
    pub fn registration_open(&self) -> bool {
        matches!(self.phase, Some(RegistrationPhase::Registration | RegistrationPhase::AddDrop))
    }
}

/// The institution in numbers.
pub struct Figures {
    pub plan: String,
    pub seats_used: u64,
    pub seat_limit: i64,
    pub programs: usize,
    pub open_findings: usize,
    pub overdue_actions: usize,
}

pub async fn of(app: &App, actor: &Actor) -> AppResult<Home> {
    let teaching = if actor.has_role(Role::Instructor) { Some(teaching(app, actor).await?) } else { None };
    let approvals =
        if authz::approves_anywhere(actor) { Some(results::awaiting_approval(app, actor).await?) } else { None };
    let cqi = findings::dashboard(app, actor).await?;
    let studies = if authz::register(actor) { Some(studies(app, actor).await?) } else { None };
    let institution = if authz::manage_users(actor) || actor.has_role(Role::QaOfficer) {
        let (row, seats_used) = crate::tenancy::current(app, actor).await?;
        let programs = crate::structure::list(app, actor).await?.1.len();
        let open_findings = cqi.findings.iter().filter(|f| f.finding.status != "closed").count();
        let overdue_actions = cqi.findings.iter().map(|f| f.overdue_actions).sum();
        Some(Figures {
            plan: row.plan,
            seats_used,
            seat_limit: row.seat_limit,
            programs,
            open_findings,
            overdue_actions,
        })
    } else {
        None
    };
    Ok(Home { teaching, approvals, actions: cqi.mine, studies, institution })
}

async fn teaching(app: &App, actor: &Actor) -> AppResult<Vec<TeachingCard>> {
    let mut taught: Vec<OfferingView> = Vec::new();
    for (role, scope) in &actor.grants {
        if let (Role::Instructor, Scope::Offering(id)) = (role, scope) {
            taught.push(offerings::get(app, actor, OfferingId(*id)).await?);
        }
    }
    taught.sort_by(|a, b| b.term.starts_at.cmp(&a.term.starts_at).then_with(|| a.course.code.cmp(&b.course.code)));
    taught.truncate(TEACHING_CARDS);
    let mut cards = Vec::with_capacity(taught.len());
    for offering in taught {
        let id = OfferingId(offering.offering.id);
        let grid = crate::assessment::marks::grid(app, actor, id).await?;
        let cells = grid.students.len() * grid.plan.items.len();
        let filled = grid.cells.iter().flatten().filter(|cell| !cell.is_empty()).count();
        let attainment = crate::assessment::attainment::of_offering(app, actor, id).await?.attainment;
        let met = |wanted: bool| attainment.clos.iter().filter(|c| c.result.met == Some(wanted)).count();
        let results = results::view(app, actor, id).await?.status;
        cards.push(TeachingCard {
            students: grid.students.len(),
            items: grid.plan.items.len(),
            entered: (cells > 0).then(|| filled as f64 / cells as f64),
            clos: attainment.clos.len(),
            clos_met: met(true),
            clos_short: met(false),
            results,
            offering,
        });
    }
    Ok(cards)
}

async fn studies(app: &App, actor: &Actor) -> AppResult<Studies> {
    let page = registration::page(app, actor, None).await?;
    let courses: Vec<OpenOffering> = page.offerings.into_iter().filter(|o| o.mine.is_some()).collect();
    let (terms, cgpa) = results::mine(app, actor).await?;
    let latest = terms.into_iter().find(|t| !t.results.is_empty()).map(|t| (t.term_name, t.results));
    let profile = crate::assessment::profile::mine(app, actor).await?;
    let attained = |flags: Vec<Option<bool>>| {
        (flags.iter().filter(|f| **f == Some(true)).count(), flags.iter().filter(|f| f.is_some()).count())
    };
    Ok(Studies {
        term: page.term,
        phase: page.phase,
        credits: page.credits,
        courses,
        latest,
        cgpa,
        clos: attained(profile.clos.iter().map(|c| c.attained).collect()),
        plos: attained(profile.plos.iter().map(|p| p.result.as_ref().map(|r| r.attained)).collect()),
    })
}
