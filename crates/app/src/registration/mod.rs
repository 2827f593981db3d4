//! Course registration: students request offerings in the window; the rules decide (holds,
//! prerequisites with minimum grades, credit limits, clashes), capacity places them or puts
//! them on the waitlist, approval queues where configured; dropping frees the seat for the
//! first waitlisted student. Every decision runs in one transaction that first locks the
//! offering, so two students can never both take the last seat.

pub mod bulk;

use std::collections::HashMap;

use qobe_domain::academics::RegistrationPhase;
use qobe_domain::grades::parse_letter;
use qobe_domain::ids::{CourseId, EnrollmentId, HoldId, InstitutionId, OfferingId, TermId, UserId};
use qobe_domain::registration::{
    CurrentRegistration, EnrollmentStatus, PastResult, Placement, RegistrationRequest, Requirement, decide, drop_effect,
};
use qobe_domain::roles::{Permission, Role};
use qobe_domain::schedule::Schedule;
use qobe_store::Conn;
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::accounts;
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::accounts::Person;
use qobe_store::registration::{self as rows, NewEnrollment};
pub use qobe_store::rows::{Enrollment, Hold};
use qobe_store::rows::{Offering, Term};

use crate::academics::offerings::{OfferingView, list as list_offerings};
use crate::mail::Email;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// An offering as the registration page shows it to one student.
pub struct OpenOffering {
    pub view: OfferingView,
    pub enrolled: u64,
    pub waitlisted: u64,
    pub mine: Option<Enrollment>,
}

impl OpenOffering {
    pub fn my_status(&self) -> Option<EnrollmentStatus> {
        self.mine.as_ref().and_then(|e| EnrollmentStatus::parse(&e.status))
    }

    /// Credit hours of the course (theory + lab).
    pub fn credits(&self) -> f64 {
        self.view.course.credits_theory + self.view.course.credits_lab
    }

    pub fn seats_left(&self) -> i64 {
        (self.view.offering.capacity - i64::try_from(self.enrolled).unwrap_or(i64::MAX)).max(0)
    }
}

/// The registration page for a term: its phase, what is offered and the student's own state.
pub struct RegistrationPage {
    pub terms: Vec<Term>,
    pub term: Option<Term>,
    pub phase: Option<RegistrationPhase>,
    pub offerings: Vec<OpenOffering>,
    pub credits: f64,
}

/// Picks the term whose registration or add/drop is open now, else the latest.
fn default_term(terms: &[Term], now: chrono::DateTime<chrono::Utc>) -> Option<Term> {
    terms
        .iter()
        .find(|t| matches!(terms::windows(t).phase(now), RegistrationPhase::Registration | RegistrationPhase::AddDrop))
        .or_else(|| terms.first())
        .cloned()
}

pub async fn page(app: &App, actor: &Actor, term: Option<TermId>) -> AppResult<RegistrationPage> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let all_terms = terms::list(conn, institution).await?;
    let term = match term {
        Some(id) => Some(all_terms.iter().find(|t| t.id == id.0).cloned().ok_or(AppError::NotFound)?),
        None => default_term(&all_terms, app.now()),
    };
    let Some(term) = term else {
        return Ok(RegistrationPage { terms: all_terms, term: None, phase: None, offerings: Vec::new(), credits: 0.0 });
    };
    let views = list_offerings(app, actor, Some(TermId(term.id))).await?;
    let mine = rows::for_user_in_term(conn, institution, actor.user_id, TermId(term.id)).await?;
    let mut offerings = Vec::with_capacity(views.len());
    for view in views {
        let id = OfferingId(view.offering.id);
        let enrolled = seats_taken(conn, institution, id).await?;
        let waitlisted = rows::count_with_status(conn, institution, id, EnrollmentStatus::Waitlisted.as_str()).await?;
        let mine = mine.iter().find(|e| e.offering_id == view.offering.id).cloned();
        offerings.push(OpenOffering { view, enrolled, waitlisted, mine });
    }
    let credits = mine
        .iter()
        .filter(|e| EnrollmentStatus::parse(&e.status).is_some_and(EnrollmentStatus::is_active))
        .map(|e| e.credits)
        .sum();
    Ok(RegistrationPage {
        phase: Some(terms::windows(&term).phase(app.now())),
        terms: all_terms,
        term: Some(term),
        offerings,
        credits,
    })
}

/// Loads an offering with its course and term inside the transaction, after locking it.
async fn locked_offering(
    conn: &impl Conn,
    institution: InstitutionId,
    id: OfferingId,
) -> AppResult<(Offering, qobe_store::rows::Course, Term)> {
    if !rows::lock_offering(conn, institution, id).await? {
        return Err(AppError::NotFound);
    }
    let offering = offerings::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let course = courses::get(conn, institution, CourseId(offering.course_id)).await?.ok_or(AppError::NotFound)?;
    let term = terms::get(conn, institution, TermId(offering.term_id)).await?.ok_or(AppError::NotFound)?;
    Ok((offering, course, term))
}

/// A student asks for a place in an offering. Returns where they were placed, or every reason
/// they cannot register.
pub async fn request(app: &App, actor: &Actor, id: OfferingId, client: &ClientInfo) -> AppResult<Placement> {
    let institution = actor.institution()?;
    if !crate::authz::register(actor) {
        return Err(AppError::Forbidden);
    }
    let tx = app.store.begin().await?;
    let (offering, course, term) = locked_offering(&tx, institution, id).await?;
    let holds: Vec<String> =
        rows::active_holds(&tx, institution, actor.user_id).await?.into_iter().map(|h| h.reason).collect();
    let catalogue = courses::list(&tx, institution, "").await?;
    let code_of =
        |course_id: i64| catalogue.iter().find(|c| c.id == course_id).map(|c| c.code.clone()).unwrap_or_default();
    let prerequisites: Vec<Requirement> = courses::prerequisites(&tx, institution, CourseId(course.id))
        .await?
        .into_iter()
        .map(|p| Requirement {
            course_id: p.required_course_id,
            course_code: code_of(p.required_course_id),
            min_grade: p.min_grade,
        })
        .collect();
    let history = rows::for_user(&tx, institution, actor.user_id).await?;
    let results: Vec<PastResult> = history
        .iter()
        .filter(|e| e.status == EnrollmentStatus::Completed.as_str())
        .filter_map(|e| e.grade.clone().map(|grade| PastResult { course_id: e.course_id, grade }))
        .collect();
    let mut current = Vec::new();
    for e in history.iter().filter(|e| e.term_id == term.id && e.offering_id != offering.id) {
        if !EnrollmentStatus::parse(&e.status).is_some_and(EnrollmentStatus::is_active) {
            continue;
        }
        if let Some(other) = offerings::get(&tx, institution, OfferingId(e.offering_id)).await? {
            current.push(CurrentRegistration {
                offering_label: format!("{} {}", code_of(other.course_id), other.section),
                course_id: other.course_id,
                credits: e.credits,
                schedule: Schedule::parse(&other.schedule).unwrap_or_default(),
            });
        }
    }
    let already = history.iter().find(|e| e.offering_id == offering.id);
    if already.is_some_and(|e| {
        EnrollmentStatus::parse(&e.status)
            .is_some_and(|s| s.is_active() || s == EnrollmentStatus::Withdrawn || s == EnrollmentStatus::Completed)
    }) {
        return Err(AppError::Refused(vec!["You already have a registration for this class.".into()]));
    }
    let schedule = Schedule::parse(&offering.schedule).unwrap_or_default();
    let enrolled = seats_taken(&tx, institution, id).await?;
    let credits = course.credits_theory + course.credits_lab;
    let decision = decide(&RegistrationRequest {
        phase: terms::windows(&term).phase(app.now()),
        course_id: course.id,
        credits,
        schedule: &schedule,
        max_credits: term.max_credits,
        requires_approval: offering.requires_approval,
        capacity: offering.capacity,
        enrolled: i64::try_from(enrolled).unwrap_or(i64::MAX),
        holds: &holds,
        prerequisites: &prerequisites,
        results: &results,
        current: &current,
    });
    let placement = decision.map_err(|refusals| AppError::Refused(refusals.iter().map(|r| r.message()).collect()))?;
    let (status, position) = match placement {
        Placement::Enrolled => (EnrollmentStatus::Enrolled, None),
        Placement::PendingApproval => (EnrollmentStatus::PendingApproval, None),
        Placement::Waitlisted => {
            (EnrollmentStatus::Waitlisted, Some(rows::next_waitlist_position(&tx, institution, id).await?))
        }
    };
    rows::upsert(
        &tx,
        institution,
        NewEnrollment {
            offering: id,
            user: actor.user_id,
            term: TermId(term.id),
            course: course.id,
            status: status.as_str(),
            waitlist_position: position,
            credits,
            grade: None,
            decided_by: None,
        },
        app.now(),
    )
    .await?;
    let label = format!("{} {} {}", course.code, term.code, offering.section);
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.requested")
            .target(&label)
            .details(serde_json::json!({ "status": status.as_str() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(placement)
}

/// Drops (or, in the withdrawal window, withdraws from) a registration. A freed seat goes to
/// the first student on the waitlist, who is told by email.
pub async fn drop(app: &App, actor: &Actor, id: OfferingId, client: &ClientInfo) -> AppResult<EnrollmentStatus> {
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let (offering, course, term) = locked_offering(&tx, institution, id).await?;
    let mine = rows::find(&tx, institution, id, actor.user_id).await?.ok_or(AppError::NotFound)?;
    let status = EnrollmentStatus::parse(&mine.status)
        .filter(|s| s.is_active())
        .ok_or_else(|| AppError::Refused(vec!["This registration is not active.".into()]))?;
    let phase = terms::windows(&term).phase(app.now());
    let new_status = if status == EnrollmentStatus::Enrolled {
        let load_after: f64 = rows::for_user_in_term(&tx, institution, actor.user_id, TermId(term.id))
            .await?
            .iter()
            .filter(|e| e.id != mine.id && e.status == EnrollmentStatus::Enrolled.as_str())
            .map(|e| e.credits)
            .sum();
        drop_effect(phase, load_after, term.min_credits).map_err(|m| AppError::Refused(vec![m]))?
    } else {
        EnrollmentStatus::Dropped
    };
    let grade = (new_status == EnrollmentStatus::Withdrawn).then_some("W");
    rows::set_status(&tx, institution, mine.id, new_status.as_str(), None, grade, None, app.now()).await?;
    let label = format!("{} {} {}", course.code, term.code, offering.section);
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.dropped")
            .target(&label)
            .details(serde_json::json!({ "status": new_status.as_str() })),
    )
    .await?;
    let promoted =
        if status == EnrollmentStatus::Enrolled { promote_next(&tx, app, institution, &offering).await? } else { None };
    if let Some(user) = promoted {
        crate::mail::queue(&tx, app, Some(institution), Email {
                to: user.email,
                subject: format!("A seat opened in {}", course.code),
                body: format!("Hello {},\n\nA seat opened in {} {} (section {}), and you have been moved from the waitlist into the class.\n\n{}\n", user.name, course.code, course.title, offering.section, app.link("/registration")),
            })
            .await?;
    }
    qobe_store::commit(tx).await?;
    Ok(new_status)
}

/// Moves the first waitlisted student into a freed seat; returns them for the email.
async fn promote_next(
    conn: &impl Conn,
    app: &App,
    institution: InstitutionId,
    offering: &Offering,
) -> AppResult<Option<qobe_store::rows::User>> {
    let id = OfferingId(offering.id);
    let enrolled = seats_taken(conn, institution, id).await?;
    if i64::try_from(enrolled).unwrap_or(i64::MAX) >= offering.capacity {
        return Ok(None);
    }
    let Some(next) = rows::first_waitlisted(conn, institution, id).await? else { return Ok(None) };
    rows::set_status(conn, institution, next.id, EnrollmentStatus::Enrolled.as_str(), None, None, None, app.now())
        .await?;
    Ok(accounts::get(conn, Some(institution), UserId(next.user_id)).await?)
}

/// A registration waiting for approval, with what the approver needs to see.
pub struct PendingRequest {
    pub enrollment: Enrollment,
    pub student: Person,
    pub view: OfferingView,
}

pub async fn pending(app: &App, actor: &Actor) -> AppResult<Vec<PendingRequest>> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    let conn = app.store.conn();
    let waiting = rows::pending(conn, institution).await?;
    let ids: Vec<i64> = waiting.iter().map(|e| e.user_id).collect();
    let mut people: HashMap<i64, Person> =
        accounts::people(conn, institution, &ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut out = Vec::new();
    for enrollment in waiting {
        let student = people.remove(&enrollment.user_id).ok_or(AppError::NotFound)?;
        let view = crate::academics::offerings::get(app, actor, OfferingId(enrollment.offering_id)).await?;
        out.push(PendingRequest { enrollment, student, view });
    }
    Ok(out)
}

/// Approves (into a seat, or the waitlist when full) or rejects a pending registration.
pub async fn decide_pending(
    app: &App,
    actor: &Actor,
    enrollment: EnrollmentId,
    approve: bool,
    client: &ClientInfo,
) -> AppResult<EnrollmentStatus> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    let conn = app.store.conn();
    let row = rows::get(conn, institution, enrollment.0).await?.ok_or(AppError::NotFound)?;
    let tx = app.store.begin().await?;
    let (offering, _, _) = locked_offering(&tx, institution, OfferingId(row.offering_id)).await?;
    let row = rows::get(&tx, institution, enrollment.0).await?.ok_or(AppError::NotFound)?;
    if row.status != EnrollmentStatus::PendingApproval.as_str() {
        return Err(AppError::conflict("status", "This request has already been decided."));
    }
    let (status, position) = if !approve {
        (EnrollmentStatus::Rejected, None)
    } else {
        let enrolled = seats_taken(&tx, institution, OfferingId(offering.id)).await?;
        if i64::try_from(enrolled).unwrap_or(i64::MAX) < offering.capacity {
            (EnrollmentStatus::Enrolled, None)
        } else {
            (
                EnrollmentStatus::Waitlisted,
                Some(rows::next_waitlist_position(&tx, institution, OfferingId(offering.id)).await?),
            )
        }
    };
    rows::set_status(&tx, institution, row.id, status.as_str(), position, None, Some(actor.user_id), app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.decided")
            .target(&row.user_id.to_string())
            .details(serde_json::json!({ "enrollment": row.id, "status": status.as_str() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(status)
}

/// Records a final grade for a student in an offering (a past result; grading proper comes
/// with assessment). Used for transfer credit, history imports and demo data.
/// A result from before QOBE: whose (the email of their account here) and the letter grade.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultInput {
    pub email: String,
    pub grade: String,
}

pub async fn record_result(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &ResultInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    let email = qobe_domain::accounts::Email::parse(&input.email).map_err(|m| AppError::field("email", m))?;
    let grade = parse_letter(&input.grade).map_err(|m| AppError::field("grade", m))?;
    let tx = app.store.begin().await?;
    let (offering, course, term) = locked_offering(&tx, institution, id).await?;
    let student = accounts::by_email(&tx, Some(institution), email.as_str())
        .await?
        .map(|account| UserId(account.id))
        .ok_or_else(|| AppError::refused_field("email", "Nobody with that email has an account here."))?;
    rows::upsert(
        &tx,
        institution,
        NewEnrollment {
            offering: id,
            user: student,
            term: TermId(term.id),
            course: course.id,
            status: EnrollmentStatus::Completed.as_str(),
            waitlist_position: None,
            credits: course.credits_theory + course.credits_lab,
            grade: Some(grade.clone()),
            decided_by: Some(actor.user_id),
        },
        app.now(),
    )
    .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.result_recorded")
            .target(&student.to_string())
            .details(serde_json::json!({ "offering": offering.id, "grade": grade })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Why a student's registration is held.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HoldInput {
    pub reason: String,
}

/// Places a hold that blocks registration until released.
pub async fn add_hold(
    app: &App,
    actor: &Actor,
    student: UserId,
    input: &HoldInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    let reason =
        qobe_domain::validation::required_text(&input.reason, 200).map_err(|m| AppError::field("reason", m))?;
    accounts::get(app.store.conn(), Some(institution), student).await?.ok_or(AppError::NotFound)?;
    let tx = app.store.begin().await?;
    rows::add_hold(&tx, institution, student, &reason, Some(actor.user_id), app.now()).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.hold_added")
            .target(&student.to_string())
            .details(serde_json::json!({ "reason": reason })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// A student's active holds, for staff who manage registrations.
pub async fn holds(app: &App, actor: &Actor, student: UserId) -> AppResult<Vec<qobe_store::rows::Hold>> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    Ok(rows::active_holds(app.store.conn(), institution, student).await?)
}

/// Releases a hold so the student may register again.
pub async fn release_hold(
    app: &App,
    actor: &Actor,
    student: UserId,
    hold: HoldId,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    let held = rows::active_holds(app.store.conn(), institution, student).await?;
    let released = held.iter().find(|h| h.id == hold.0).ok_or(AppError::NotFound)?;
    let tx = app.store.begin().await?;
    rows::release_hold(&tx, institution, hold).await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.hold_released")
            .target(&student.to_string())
            .details(serde_json::json!({ "reason": released.reason })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// An offering's class list with each student, for staff.
pub async fn class_list(app: &App, actor: &Actor, id: OfferingId) -> AppResult<Vec<(Enrollment, Person)>> {
    let institution = actor.institution()?;
    let teaches = actor
        .grants
        .iter()
        .any(|(role, scope)| *role == Role::Instructor && *scope == qobe_domain::roles::Scope::Offering(id.0));
    if !teaches && !actor.can(Permission::ManageRegistrations) && !actor.can(Permission::ManageAcademicStructure) {
        return Err(AppError::Forbidden);
    }
    let conn = app.store.conn();
    let enrollments = rows::for_offering(conn, institution, id).await?;
    let ids: Vec<i64> = enrollments.iter().map(|e| e.user_id).collect();
    let mut people: HashMap<i64, Person> =
        accounts::people(conn, institution, &ids).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut out: Vec<(Enrollment, Person)> =
        enrollments.into_iter().filter_map(|e| people.remove(&e.user_id).map(|p| (e, p))).collect();
    qobe_domain::collation::sort_by_name(&mut out, |(_, p)| &p.name, |(_, p)| p.id);
    Ok(out)
}

/// Seats an offering's students hold: enrolled, or completed once their result is in (a
/// published result does not free a seat).
pub(crate) async fn seats_taken(conn: &impl Conn, institution: InstitutionId, offering: OfferingId) -> AppResult<u64> {
    Ok(rows::count_with_status(conn, institution, offering, EnrollmentStatus::Enrolled.as_str()).await?
        + rows::count_with_status(conn, institution, offering, EnrollmentStatus::Completed.as_str()).await?)
}
