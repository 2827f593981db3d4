//! Bulk enrolment by admins from CSV (`email,course_code,term_code,section`): checked row by
//! row into a preview, written in one transaction only when every row is right. Admin
//! enrolment overrides prerequisites, credit limits and windows, but never capacity.

use std::collections::{HashMap, HashSet};

use qobe_domain::accounts::{AccountStatus, Email};
use qobe_domain::ids::{InstitutionId, OfferingId, TermId, UserId};
use qobe_domain::registration::EnrollmentStatus;
use qobe_domain::roles::Permission;
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::registration::{self as rows, NewEnrollment};
use qobe_store::{Conn, accounts};

use crate::checked::{CheckedFile, CheckedRow, CsvFile};
use crate::{Actor, App, AppResult, ClientInfo, audit};

/// One row of an enrolment file: the student and the class.
#[derive(Debug, Clone, Default)]
pub struct Enrolment {
    pub email: String,
    pub class: String,
}

/// The checked enrolment file.
pub type EnrolPreview = CheckedFile<Enrolment>;

struct Planned {
    user: i64,
    offering: i64,
    term: i64,
    course: i64,
    credits: f64,
}

async fn check(conn: &impl Conn, institution: InstitutionId, bytes: &[u8]) -> AppResult<(EnrolPreview, Vec<Planned>)> {
    let mut preview = EnrolPreview::default();
    let mut file = match CsvFile::open(bytes) {
        Ok(file) => file,
        Err(problem) => {
            preview.file_errors.push(problem);
            return Ok((preview, Vec::new()));
        }
    };
    let Some([email_col, course_col, term_col, section_col]) =
        file.columns(["email", "course_code", "term_code", "section"])
    else {
        preview.file_errors.push("The first line must name the columns email, course_code, term_code, section.".into());
        return Ok((preview, Vec::new()));
    };
    let catalogue = courses::list(conn, institution, "").await?;
    let all_terms = terms::list(conn, institution).await?;
    let all_offerings = offerings::list(conn, institution, None).await?;
    let mut seats_taken: HashMap<i64, i64> = HashMap::new();
    let mut seen = HashSet::new();
    let mut planned = Vec::new();
    for (index, record) in file.reader.records().enumerate() {
        let line = index + 2;
        let Ok(record) = record else {
            preview.rows.push(CheckedRow { line, value: Enrolment::default(), errors: vec!["unreadable row".into()] });
            continue;
        };
        let get = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let (email, course_code, term_code, section) = (
            get(email_col),
            get(course_col).to_uppercase(),
            get(term_col).to_uppercase(),
            get(section_col).to_uppercase(),
        );
        let mut row = CheckedRow {
            line,
            value: Enrolment { email: email.clone(), class: format!("{course_code} {term_code} {section}") },
            errors: Vec::new(),
        };
        let user = match Email::parse(&email) {
            Ok(parsed) => accounts::by_email(conn, Some(institution), parsed.as_str())
                .await?
                .filter(|u| u.status != AccountStatus::Deactivated.as_str()),
            Err(m) => {
                row.errors.push(format!("email: {m}"));
                None
            }
        };
        if user.is_none() && row.errors.is_empty() {
            row.errors.push(format!("email: nobody with {email} has an active account here"));
        }
        let course = catalogue.iter().find(|c| c.code == course_code);
        let term = all_terms.iter().find(|t| t.code == term_code);
        if course.is_none() {
            row.errors.push(format!("course_code: {course_code} is not a course here"));
        }
        if term.is_none() {
            row.errors.push(format!("term_code: {term_code} is not a term here"));
        }
        let offering = match (course, term) {
            (Some(c), Some(t)) => {
                let found =
                    all_offerings.iter().find(|o| o.course_id == c.id && o.term_id == t.id && o.section == section);
                if found.is_none() {
                    row.errors.push(format!("section: {course_code} has no section {section} in {term_code}"));
                }
                found
            }
            _ => None,
        };
        if let (Some(user), Some(offering), Some(course)) = (&user, offering, course) {
            if !seen.insert((user.id, offering.id)) {
                row.errors.push("this student and class appear more than once in the file".into());
            } else if rows::find(conn, institution, OfferingId(offering.id), UserId(user.id)).await?.is_some_and(|e| {
                EnrollmentStatus::parse(&e.status).is_some_and(|s| s.is_active() || s == EnrollmentStatus::Completed)
            }) {
                row.errors.push(format!("{email} is already registered for this class"));
            } else {
                let taken = match seats_taken.get(&offering.id) {
                    Some(n) => *n,
                    None => i64::try_from(
                        crate::registration::seats_taken(conn, institution, OfferingId(offering.id)).await?,
                    )
                    .unwrap_or(i64::MAX),
                };
                if taken >= offering.capacity {
                    row.errors
                        .push(format!("section: {} {section} is full (capacity {})", course.code, offering.capacity));
                } else {
                    seats_taken.insert(offering.id, taken + 1);
                    planned.push(Planned {
                        user: user.id,
                        offering: offering.id,
                        term: offering.term_id,
                        course: course.id,
                        credits: course.credits_theory + course.credits_lab,
                    });
                }
            }
        }
        preview.rows.push(row);
    }
    if preview.rows.is_empty() && preview.file_errors.is_empty() {
        preview.file_errors.push("The file has no rows under the header.".into());
    }
    Ok((preview, planned))
}

pub async fn preview(app: &App, actor: &Actor, bytes: &[u8]) -> AppResult<EnrolPreview> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    Ok(check(app.store.conn(), institution, bytes).await?.0)
}

/// Enrols everyone in the file in one transaction (offerings locked first), or no one.
pub async fn enrol(
    app: &App,
    actor: &Actor,
    bytes: &[u8],
    client: &ClientInfo,
) -> AppResult<Result<usize, EnrolPreview>> {
    let institution = actor.require(Permission::ManageRegistrations)?;
    let (first_look, planned) = check(app.store.conn(), institution, bytes).await?;
    if !first_look.is_valid() {
        return Ok(Err(first_look));
    }
    let tx = app.store.begin().await?;
    let mut touched: Vec<i64> = planned.iter().map(|p| p.offering).collect();
    touched.sort_unstable();
    touched.dedup();
    for offering in &touched {
        rows::lock_offering(&tx, institution, OfferingId(*offering)).await?;
    }
    // Checked again under the locks: seats taken meanwhile by students count.
    let (checked, planned) = check(&tx, institution, bytes).await?;
    if !checked.is_valid() {
        return Ok(Err(checked));
    }
    for p in &planned {
        let new = NewEnrollment {
            offering: OfferingId(p.offering),
            user: UserId(p.user),
            term: TermId(p.term),
            course: p.course,
            status: EnrollmentStatus::Enrolled.as_str(),
            waitlist_position: None,
            credits: p.credits,
            grade: None,
            decided_by: Some(actor.user_id),
        };
        rows::upsert(&tx, institution, new, app.now()).await?;
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "registration.bulk_enrolled")
            .target("csv")
            .details(serde_json::json!({ "count": planned.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(Ok(planned.len()))
}
