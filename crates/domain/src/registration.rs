//! Course registration rules: whether a student may take an offering, and on what terms.
//! Pure: the app layer gathers the facts, this decides and explains.

use serde::{Deserialize, Serialize};

use crate::academics::RegistrationPhase;
use crate::grades::meets_minimum;
use crate::schedule::Schedule;

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrollmentStatus {
    /// Waiting for an advisor or coordinator to approve.
    PendingApproval,
    Enrolled,
    /// The offering was full; promoted in order when a seat frees.
    Waitlisted,
    /// Dropped during add/drop: leaves no record on the transcript.
    Dropped,
    /// Withdrawn after add/drop: a W grade.
    Withdrawn,
    Rejected,
    /// Finished with a final grade.
    Completed,
}

impl EnrollmentStatus {
    pub const ALL: [EnrollmentStatus; 7] = [
        EnrollmentStatus::PendingApproval,
        EnrollmentStatus::Enrolled,
        EnrollmentStatus::Waitlisted,
        EnrollmentStatus::Dropped,
        EnrollmentStatus::Withdrawn,
        EnrollmentStatus::Rejected,
        EnrollmentStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnrollmentStatus::PendingApproval => "pending_approval",
            EnrollmentStatus::Enrolled => "enrolled",
            EnrollmentStatus::Waitlisted => "waitlisted",
            EnrollmentStatus::Dropped => "dropped",
            EnrollmentStatus::Withdrawn => "withdrawn",
            EnrollmentStatus::Rejected => "rejected",
            EnrollmentStatus::Completed => "completed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrollmentStatus::PendingApproval => "Waiting for approval",
            EnrollmentStatus::Enrolled => "Enrolled",
            EnrollmentStatus::Waitlisted => "On the waitlist",
            EnrollmentStatus::Dropped => "Dropped",
            EnrollmentStatus::Withdrawn => "Withdrawn (W)",
            EnrollmentStatus::Rejected => "Not approved",
            EnrollmentStatus::Completed => "Completed",
        }
    }

    pub fn parse(raw: &str) -> Option<EnrollmentStatus> {
        EnrollmentStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether a registration stored as `raw` makes its student one of the class: enrolled now,
    /// or finished it (their course content, announcements, surveys and roster entry).
    pub fn in_class(raw: &str) -> bool {
        matches!(EnrollmentStatus::parse(raw), Some(EnrollmentStatus::Enrolled | EnrollmentStatus::Completed))
    }

    /// Registrations that hold (or wait for) a place this term and count towards credit limits
    /// and timetable clashes.
    pub fn is_active(self) -> bool {
        matches!(self, EnrollmentStatus::PendingApproval | EnrollmentStatus::Enrolled | EnrollmentStatus::Waitlisted)
    }
}

/// A course the student has finished, with the grade.
#[derive(Debug, Clone, PartialEq)]
pub struct PastResult {
    pub course_id: i64,
    pub grade: String,
}

/// A prerequisite of the requested course.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub course_id: i64,
    pub course_code: String,
    pub min_grade: String,
}

/// Another registration of the student in the same term.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentRegistration {
    pub offering_label: String,
    pub course_id: i64,
    pub credits: f64,
    pub schedule: Schedule,
}

/// Everything the decision needs, gathered by the app layer.
#[derive(Debug, Clone)]
pub struct RegistrationRequest<'a> {
    pub phase: RegistrationPhase,
    pub course_id: i64,
    pub credits: f64,
    pub schedule: &'a Schedule,
    pub max_credits: f64,
    pub requires_approval: bool,
    pub capacity: i64,
    pub enrolled: i64,
    pub holds: &'a [String],
    pub prerequisites: &'a [Requirement],
    pub results: &'a [PastResult],
    pub current: &'a [CurrentRegistration],
}

/// Why a request is refused; each carries the sentence the student sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    WindowClosed(String),
    Hold(String),
    AlreadyRegistered,
    Prerequisite(String),
    CreditLimit(String),
    Clash(String),
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::WindowClosed(m)
            | Refusal::Hold(m)
            | Refusal::Prerequisite(m)
            | Refusal::CreditLimit(m)
            | Refusal::Clash(m) => m.clone(),
            Refusal::AlreadyRegistered => "You are already registered for this course this term.".into(),
        }
    }
}

/// The outcome of a request that passes every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Enrolled,
    Waitlisted,
    PendingApproval,
}

fn format_credits(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") }
}

/// Decides a registration request: every refusal is listed (a student should see all that
/// stands in the way at once); otherwise where the student is placed.
pub fn decide(request: &RegistrationRequest<'_>) -> Result<Placement, Vec<Refusal>> {
    let mut refusals = Vec::new();
    if !matches!(request.phase, RegistrationPhase::Registration | RegistrationPhase::AddDrop) {
        let when = match request.phase {
            RegistrationPhase::NotOpen => "Registration for this term has not opened yet.",
            _ => "Registration and add/drop for this term are closed.",
        };
        refusals.push(Refusal::WindowClosed(when.into()));
    }
    for hold in request.holds {
        refusals.push(Refusal::Hold(format!("A hold on your record blocks registration: {hold}.")));
    }
    if request.current.iter().any(|c| c.course_id == request.course_id) {
        refusals.push(Refusal::AlreadyRegistered);
    }
    for requirement in request.prerequisites {
        let best = request
            .results
            .iter()
            .filter(|r| r.course_id == requirement.course_id)
            .find(|r| meets_minimum(&r.grade, &requirement.min_grade));
        if best.is_none() {
            refusals.push(Refusal::Prerequisite(format!(
                "Prerequisite not met: {} passed with at least {}.",
                requirement.course_code, requirement.min_grade
            )));
        }
    }
    let load: f64 = request.current.iter().map(|c| c.credits).sum();
    if load + request.credits > request.max_credits {
        refusals.push(Refusal::CreditLimit(format!(
            "This would bring you to {} credit hours; the most allowed this term is {}.",
            format_credits(load + request.credits),
            format_credits(request.max_credits)
        )));
    }
    for other in request.current {
        if let Some((mine, theirs)) = request.schedule.clash(&other.schedule) {
            refusals.push(Refusal::Clash(format!(
                "Timetable clash: {} meets {}, and {} meets {}.",
                "this class",
                mine.label(),
                other.offering_label,
                theirs.label()
            )));
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    Ok(if request.requires_approval {
        Placement::PendingApproval
    } else if request.enrolled < request.capacity {
        Placement::Enrolled
    } else {
        Placement::Waitlisted
    })
}

/// What dropping an active registration means now: `Dropped` during registration and
/// add/drop, `Withdrawn` (a W grade) in the withdrawal window, refused after it.
pub fn drop_effect(phase: RegistrationPhase, load_after: f64, min_credits: f64) -> Result<EnrollmentStatus, String> {
    match phase {
        RegistrationPhase::NotOpen | RegistrationPhase::Registration | RegistrationPhase::AddDrop => {
            if load_after > 0.0 && load_after < min_credits {
                return Err(format!(
                    "Dropping this course would leave you with {} credit hours, below the minimum of {} for the term.",
                    format_credits(load_after),
                    format_credits(min_credits)
                ));
            }
            Ok(EnrollmentStatus::Dropped)
        }
        RegistrationPhase::Withdrawal => Ok(EnrollmentStatus::Withdrawn),
        RegistrationPhase::Closed => Err("The withdrawal deadline for this term has passed.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(
        schedule: &'a Schedule,
        prerequisites: &'a [Requirement],
        results: &'a [PastResult],
        current: &'a [CurrentRegistration],
    ) -> RegistrationRequest<'a> {
        RegistrationRequest {
            phase: RegistrationPhase::Registration,
            course_id: 10,
            credits: 3.0,
            schedule,
            max_credits: 18.0,
            requires_approval: false,
            capacity: 2,
            enrolled: 0,
            holds: &[],
            prerequisites,
            results,
            current,
        }
    }

    #[test]
    fn a_clean_request_is_enrolled_then_waitlisted_when_full() {
        let schedule = Schedule::parse("Mon 09:00-10:30").unwrap();
        let mut r = request(&schedule, &[], &[], &[]);
        assert_eq!(decide(&r), Ok(Placement::Enrolled));
        r.enrolled = 2;
        assert_eq!(decide(&r), Ok(Placement::Waitlisted));
        r.requires_approval = true;
        assert_eq!(decide(&r), Ok(Placement::PendingApproval));
    }

    #[test]
    fn prerequisites_need_the_minimum_grade() {
        let schedule = Schedule::default();
        let needs = vec![Requirement { course_id: 1, course_code: "EE-101".into(), min_grade: "C".into() }];
        let weak = vec![PastResult { course_id: 1, grade: "D".into() }];
        let refused = decide(&request(&schedule, &needs, &weak, &[])).unwrap_err();
        assert_eq!(refused[0].message(), "Prerequisite not met: EE-101 passed with at least C.");
        let retaken =
            vec![PastResult { course_id: 1, grade: "D".into() }, PastResult { course_id: 1, grade: "B".into() }];
        assert!(decide(&request(&schedule, &needs, &retaken, &[])).is_ok(), "the better attempt counts");
    }

    #[test]
    fn every_obstacle_is_reported_at_once() {
        let schedule = Schedule::parse("Mon 09:00-10:30").unwrap();
        let current = vec![CurrentRegistration {
            offering_label: "EE-201 A".into(),
            course_id: 5,
            credits: 16.0,
            schedule: Schedule::parse("Mon 10:00-11:00").unwrap(),
        }];
        let holds = vec!["unpaid library fine".to_owned()];
        let mut r = request(&schedule, &[], &[], &current);
        r.holds = &holds;
        r.phase = RegistrationPhase::Closed;
        let refusals = decide(&r).unwrap_err();
        assert_eq!(refusals.len(), 4, "{refusals:?}");
        assert!(matches!(refusals[0], Refusal::WindowClosed(_)));
        assert!(refusals[1].message().contains("unpaid library fine"));
        assert!(refusals[2].message().contains("19 credit hours; the most allowed this term is 18"));
        assert!(refusals[3].message().contains("EE-201 A meets Mon 10:00–11:00"));
    }

    #[test]
    fn dropping_depends_on_the_phase_and_the_minimum_load() {
        assert_eq!(drop_effect(RegistrationPhase::AddDrop, 12.0, 9.0), Ok(EnrollmentStatus::Dropped));
        assert_eq!(
            drop_effect(RegistrationPhase::AddDrop, 0.0, 9.0),
            Ok(EnrollmentStatus::Dropped),
            "dropping everything is allowed"
        );
        assert!(drop_effect(RegistrationPhase::AddDrop, 6.0, 9.0).unwrap_err().contains("below the minimum of 9"));
        assert_eq!(drop_effect(RegistrationPhase::Withdrawal, 6.0, 9.0), Ok(EnrollmentStatus::Withdrawn));
        assert!(drop_effect(RegistrationPhase::Closed, 6.0, 9.0).is_err());
    }
}
