//! What needs a person now, for their home page: the offerings they teach in a term and how far
//! each is, results waiting for their approval, the programs they look after and which PLOs fall
//! short, improvement actions (their own, and the overdue ones they oversee), their own courses,
//! results and outcomes, and for those who run the institution its figures and the recent
//! changes worth a look. Each part is there only for the roles it concerns.

use chrono::{DateTime, Duration, Utc};
use qobe_domain::academics::RegistrationPhase;
use qobe_domain::grading::ResultStatus;
use qobe_domain::ids::{OfferingId, TermId};
use qobe_domain::roles::{Role, Scope};

use crate::academics::offerings::{self, OfferingView};
use crate::academics::terms::Term;
use crate::assessment::standing::{self, ProgramLine};
use crate::audit::AuditEvent;
use crate::cqi::findings::{self, ActionLine};
use crate::registration::{self, OpenOffering};
use crate::results::{self, MyResult, OfferingResult};
use crate::{Actor, App, AppResult, authz};

/// Changes an admin or QA officer should know about: who holds which role, settings and the
/// attainment policy, grades changed after publication, bulk imports, API access, work retried.
pub const NOTABLE_ACTIONS: [&str; 12] = [
    "role.granted",
    "role.revoked",
    "user.deactivated",
    "account.two_factor_disabled",
    "account.api_token_created",
    "results.change_approved",
    "attainment.policy_saved",
    "attainment.program_settings_saved",
    "institution.settings_changed",
    "institution.plan_changed",
    "interop.oneroster_imported",
    "job.retried",
];

/// A notable change in words, for the home page.
pub fn describe(action: &str) -> &'static str {
    match action {
        "role.granted" => "Role granted",
        "role.revoked" => "Role removed",
        "user.deactivated" => "Account deactivated",
        "account.two_factor_disabled" => "Two-factor sign-in turned off",
        "account.api_token_created" => "API token created",
        "results.change_approved" => "Published grade changed",
        "attainment.policy_saved" => "Attainment policy changed",
        "attainment.program_settings_saved" => "Program PLO settings changed",
        "institution.settings_changed" => "Institution settings changed",
        "institution.plan_changed" => "Plan changed",
        "interop.oneroster_imported" => "OneRoster import",
        "job.retried" => "Background work retried",
        _ => "Change",
    }
}

/// How far back the notable changes go, and how many are shown.
const NOTABLE_DAYS: i64 = 14;
const NOTABLE_SHOWN: u64 = 8;

pub struct Home {
    /// The offerings the person teaches in one term; `None` when they teach none by role.
    pub teaching: Option<Teaching>,
    /// Results submitted for the person's approval; `None` when they approve none.
    pub approvals: Option<Vec<(OfferingView, OfferingResult)>>,
    /// The programs the person looks after, with their standing; `None` for people who look
    /// after none by role.
    pub programs: Option<Vec<ProgramLine>>,
    /// The improvement actions the person owns that are still open.
    pub actions: Vec<ActionLine>,
    /// Overdue improvement actions of others, for those who oversee the CQI loop.
    pub overdue: Vec<ActionLine>,
    /// A student's courses, results and outcomes; `None` for others.
    pub studies: Option<Studies>,
    /// The institution's figures, for its admins and QA officers.
    pub institution: Option<Figures>,
    /// Recent changes worth a look ([`NOTABLE_ACTIONS`]), for those who read the audit log.
    pub notable: Option<Vec<AuditEvent>>,
    /// Surveys open now that the person was asked to answer and has not.
    pub surveys: Vec<crate::surveys::respond::Asked>,
    /// Assignments of the person's classes still to hand in, the soonest due first.
    pub due: Vec<crate::assignments::Due>,
}

/// An instructor's offerings in one term, and the terms they teach in (for the switcher).
pub struct Teaching {
    /// Newest first.
    pub terms: Vec<Term>,
    pub term: Option<Term>,
    pub cards: Vec<TeachingCard>,
}

impl Teaching {
    /// Marks entry for the term closes within a fortnight (and has not closed).
    pub fn marks_close_soon(&self, now: &DateTime<Utc>) -> Option<DateTime<Utc>> {
        let closes = self.term.as_ref()?.marks_entry_closes_at;
        (closes > *now && closes - *now <= Duration::days(14)).then_some(closes)
    }
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

    /// What the student can do about registration now, and until when: `("opens", at)` before
    /// the window, `("closes", at)` while it is open, `("add/drop closes", at)` in add/drop.
    pub fn window(&self) -> Option<(&'static str, DateTime<Utc>)> {
        let term = self.term.as_ref()?;
        match self.phase? {
            RegistrationPhase::NotOpen => Some(("opens", term.registration_opens_at)),
            RegistrationPhase::Registration => Some(("closes", term.registration_closes_at)),
            RegistrationPhase::AddDrop => Some(("add/drop closes", term.add_drop_closes_at)),
            RegistrationPhase::Withdrawal | RegistrationPhase::Closed => None,
        }
    }
}

/// The institution in numbers.
pub struct Figures {
    pub plan: String,
    pub seats_used: u64,
    pub seat_limit: i64,
    pub programs: usize,
    /// Programs with at least one PLO below target, and programs with every assessed PLO met
    /// (as last computed).
    pub programs_short: usize,
    pub programs_on_target: usize,
    pub open_findings: usize,
    pub overdue_actions: usize,
}

/// The person's home; `term` chooses the term of an instructor's offerings.
pub async fn of(app: &App, actor: &Actor, term: Option<TermId>) -> AppResult<Home> {
    let teaching = if actor.has_role(Role::Instructor) { Some(teaching(app, actor, term).await?) } else { None };
    let approvals =
        if authz::approves_anywhere(actor) { Some(results::awaiting_approval(app, actor).await?) } else { None };
    let programs = if crate::cqi::manages(actor) || authz::approves_anywhere(actor) {
        Some(standing::lines(app, actor).await?)
    } else {
        None
    };
    let cqi = findings::dashboard(app, actor).await?;
    let studies = if authz::register(actor) { Some(studies(app, actor).await?) } else { None };
    let institution = if authz::manage_users(actor) || actor.has_role(Role::QaOfficer) {
        let (row, seats_used) = crate::tenancy::current(app, actor).await?;
        let open_findings = cqi.findings.iter().filter(|f| f.finding.status != "closed").count();
        let overdue_actions = cqi.findings.iter().map(|f| f.overdue_actions).sum();
        let standings = programs.as_deref().unwrap_or_default();
        Some(Figures {
            plan: row.plan,
            seats_used,
            seat_limit: row.seat_limit,
            programs: crate::structure::list(app, actor).await?.1.len(),
            programs_short: standings.iter().filter(|l| l.standing.as_ref().is_some_and(|s| s.plos_short > 0)).count(),
            programs_on_target: standings
                .iter()
                .filter(|l| l.standing.as_ref().is_some_and(|s| s.plos_assessed > 0 && s.plos_short == 0))
                .count(),
            open_findings,
            overdue_actions,
        })
    } else {
        None
    };
    let notable = if authz::view_audit(actor) {
        let since = app.now() - Duration::days(NOTABLE_DAYS);
        let conn = app.store.conn();
        Some(
            qobe_store::logs::audit_of_actions(conn, actor.institution()?, &NOTABLE_ACTIONS, since, NOTABLE_SHOWN)
                .await?,
        )
    } else {
        None
    };
    Ok(Home {
        teaching,
        approvals,
        programs,
        actions: cqi.mine,
        overdue: if cqi.manages { cqi.overdue } else { Vec::new() },
        studies,
        institution,
        notable,
        surveys: crate::surveys::respond::asked(app, actor)
            .await?
            .into_iter()
            .filter(|a| a.window == crate::surveys::respond::Window::Open && !a.answered)
            .collect(),
        due: crate::assignments::due_for(app, actor).await?,
    })
}

/// The term an instructor's home opens on: the one under way, else the next to start, else
/// the latest (`terms` newest first).
fn current_term(terms: &[Term], now: DateTime<Utc>) -> Option<&Term> {
    terms
        .iter()
        .find(|t| t.starts_at <= now && now <= t.ends_at)
        .or_else(|| terms.iter().rev().find(|t| t.starts_at > now))
        .or_else(|| terms.first())
}

async fn teaching(app: &App, actor: &Actor, wanted: Option<TermId>) -> AppResult<Teaching> {
    let mut taught: Vec<OfferingView> = Vec::new();
    for (role, scope) in &actor.grants {
        if let (Role::Instructor, Scope::Offering(id)) = (role, scope) {
            taught.push(offerings::get(app, actor, OfferingId(*id)).await?);
        }
    }
    let mut terms: Vec<Term> = Vec::new();
    for offering in &taught {
        if !terms.iter().any(|t| t.id == offering.term.id) {
            terms.push(offering.term.clone());
        }
    }
    terms.sort_by_key(|t| std::cmp::Reverse(t.starts_at));
    let term = match wanted {
        Some(id) => terms.iter().find(|t| t.id == id.0),
        None => current_term(&terms, app.now()),
    }
    .cloned();
    taught.retain(|o| term.as_ref().is_some_and(|t| t.id == o.term.id));
    taught.sort_by(|a, b| a.course.code.cmp(&b.course.code).then_with(|| a.offering.section.cmp(&b.offering.section)));
    let mut cards = Vec::with_capacity(taught.len());
    for offering in taught {
        cards.push(card(app, actor, offering).await?);
    }
    Ok(Teaching { terms, term, cards })
}

async fn card(app: &App, actor: &Actor, offering: OfferingView) -> AppResult<TeachingCard> {
    let id = OfferingId(offering.offering.id);
    let grid = crate::assessment::marks::grid(app, actor, id).await?;
    let cells = grid.students.len() * grid.plan.items.len();
    let filled = grid.cells.iter().flatten().filter(|cell| !cell.is_empty()).count();
    let attainment = crate::assessment::attainment::of_offering(app, actor, id).await?.attainment;
    let met = |wanted: bool| attainment.clos.iter().filter(|c| c.blended.met == Some(wanted)).count();
    let results = results::view(app, actor, id).await?.status;
    Ok(TeachingCard {
        students: grid.students.len(),
        items: grid.plan.items.len(),
        entered: (cells > 0).then(|| filled as f64 / cells as f64),
        clos: attainment.clos.len(),
        clos_met: met(true),
        clos_short: met(false),
        results,
        offering,
    })
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
