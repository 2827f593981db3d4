//! OneRoster 1.2 CSV import (bulk mode): the package is validated as a whole by the binding
//! (every error named by file, line and column) and, only when clean, written in one
//! transaction: departments, terms, courses, classes as offerings, people as invited accounts
//! (no email is sent; admins send invitations when ready), student and teacher roles, and
//! enrollments. Records that already exist (same code or email) are reused, so a re-import is
//! safe. Administrator roles in a file are never granted: privileges are not imported.

use std::collections::HashMap;

use chrono::Duration;
use qobe_domain::academics::TermWindows;
use qobe_domain::accounts::{AccountStatus, CommunicationPreferences, Email};
use qobe_domain::ids::{CourseId, DepartmentId, InstitutionId, OfferingId, TermId, UserId};
use qobe_domain::oneroster::{
    EnrollmentRole, ImportError, OrgType, RoleKind, RosterPackage, SessionType, parse_package,
};
use qobe_domain::registration::EnrollmentStatus;
use qobe_domain::roles::{Permission, Role};
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::registration::{self as registrations, NewEnrollment};
use qobe_store::{Conn, accounts, roles as grant_rows, structure, tenancy};

use crate::accounts::invitations::ensure_seats;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// What a clean package would create.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    pub departments: usize,
    pub terms: usize,
    pub courses: usize,
    pub classes: usize,
    pub people: usize,
    pub enrollments: usize,
    pub skipped_files: Vec<String>,
}

/// The outcome of checking a package.
pub enum Checked {
    Clean(ImportSummary),
    Errors { errors: Vec<ImportError>, omitted: usize },
}

fn summary(p: &RosterPackage) -> ImportSummary {
    ImportSummary {
        departments: p.orgs.iter().filter(|o| o.r#type == OrgType::Department).count(),
        terms: p
            .academic_sessions
            .iter()
            .filter(|s| matches!(s.r#type, SessionType::Term | SessionType::Semester))
            .count(),
        courses: p.courses.len(),
        classes: p.classes.len(),
        people: p.users.len(),
        enrollments: p.enrollments.len(),
        skipped_files: p.skipped_files.clone(),
    }
}

fn parse(files: &[(String, Vec<u8>)]) -> Result<RosterPackage, Checked> {
    parse_package(files).map_err(|e| Checked::Errors { errors: e.errors, omitted: e.omitted })
}

pub fn check(actor: &Actor, files: &[(String, Vec<u8>)]) -> AppResult<Checked> {
    actor.require(Permission::ManageAcademicStructure)?;
    Ok(match parse(files) {
        Ok(p) => Checked::Clean(summary(&p)),
        Err(errors) => errors,
    })
}

fn code_of(raw: &str) -> String {
    raw.trim().to_uppercase().chars().filter(|c| !c.is_whitespace()).take(20).collect()
}

/// Imports a clean package in one transaction; returns the summary, or the errors and writes nothing.
pub async fn import(app: &App, actor: &Actor, files: &[(String, Vec<u8>)], client: &ClientInfo) -> AppResult<Checked> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let package = match parse(files) {
        Ok(p) => p,
        Err(errors) => return Ok(errors),
    };
    let tx = app.store.begin().await?;
    tenancy::lock(&tx, institution).await?;
    write(&tx, app, institution, &package).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "interop.oneroster_imported").target("oneroster").details(serde_json::json!({ "users": package.users.len(), "classes": package.classes.len(), "enrollments": package.enrollments.len() })))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(Checked::Clean(summary(&package)))
}

async fn write(conn: &impl Conn, app: &App, institution: InstitutionId, p: &RosterPackage) -> AppResult<()> {
    let now = app.now();
    let mut departments: HashMap<&str, i64> = HashMap::new();
    let existing_departments = structure::departments(conn, institution).await?;
    for org in p.orgs.iter().filter(|o| o.r#type == OrgType::Department) {
        let code = code_of(org.identifier.as_deref().unwrap_or(&org.sourced_id));
        let id = match existing_departments.iter().find(|d| d.code == code) {
            Some(d) => d.id,
            None => structure::insert_department(conn, institution, None, &code, &org.name, now).await?.id,
        };
        departments.insert(&org.sourced_id, id);
    }
    let fallback_department =
        match departments.values().next().copied().or_else(|| existing_departments.first().map(|d| d.id)) {
            Some(id) => id,
            None => structure::insert_department(conn, institution, None, "GEN", "General", now).await?.id,
        };
    let mut term_ids: HashMap<&str, i64> = HashMap::new();
    for session in p.academic_sessions.iter().filter(|s| matches!(s.r#type, SessionType::Term | SessionType::Semester))
    {
        let code = code_of(&session.sourced_id);
        let id = match terms::by_code(conn, institution, &code).await? {
            Some(t) => t.id,
            None => {
                let start = session.start_date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                let end =
                    session.end_date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().max(start + Duration::days(1));
                let windows = TermWindows {
                    registration_opens_at: start - Duration::days(30),
                    registration_closes_at: start - Duration::days(3),
                    starts_at: start,
                    add_drop_closes_at: (start + Duration::days(14)).min(end),
                    withdrawal_closes_at: (start + Duration::days(70)).min(end),
                    ends_at: end,
                    marks_entry_closes_at: end + Duration::days(10),
                    results_published_at: end + Duration::days(20),
                };
                terms::insert(
                    conn,
                    institution,
                    terms::TermFields {
                        code: &code,
                        name: &session.title,
                        windows: &windows,
                        min_credits: 0.0,
                        max_credits: 21.0,
                    },
                    now,
                )
                .await?
                .id
            }
        };
        term_ids.insert(&session.sourced_id, id);
    }
    let mut course_ids: HashMap<&str, i64> = HashMap::new();
    for course in &p.courses {
        let code = code_of(course.course_code.as_deref().unwrap_or(&course.sourced_id));
        let id = match courses::by_code(conn, institution, &code).await? {
            Some(c) => c.id,
            None => {
                let department =
                    departments.get(course.org_sourced_id.as_str()).copied().unwrap_or(fallback_department);
                let fields = courses::CourseFields {
                    department_id: DepartmentId(department),
                    code: &code,
                    title: &course.title,
                    credits_theory: 3.0,
                    credits_lab: 0.0,
                    category: "core",
                    description: None,
                };
                courses::insert(conn, institution, fields, now).await?.id
            }
        };
        course_ids.insert(&course.sourced_id, id);
    }
    let students_per_class = p.enrollments.iter().filter(|e| e.role == EnrollmentRole::Student).fold(
        HashMap::<&str, i64>::new(),
        |mut m, e| {
            *m.entry(e.class_sourced_id.as_str()).or_default() += 1;
            m
        },
    );
    let existing_offerings = offerings::list(conn, institution, None).await?;
    let mut class_ids: HashMap<&str, (i64, i64, i64, f64)> = HashMap::new();
    for class in &p.classes {
        let (Some(course), Some(term)) = (
            course_ids.get(class.course_sourced_id.as_str()),
            class.term_sourced_ids.iter().find_map(|t| term_ids.get(t.as_str())),
        ) else {
            continue;
        };
        let section = code_of(class.class_code.as_deref().unwrap_or("A"));
        let id = match existing_offerings
            .iter()
            .find(|o| o.course_id == *course && o.term_id == *term && o.section == section)
        {
            Some(o) => o.id,
            None => {
                let capacity = students_per_class.get(class.sourced_id.as_str()).copied().unwrap_or(0).max(40);
                let fields = offerings::OfferingFields {
                    course: CourseId(*course),
                    term: TermId(*term),
                    section: &section,
                    capacity,
                    room: class.location.as_deref(),
                    online: false,
                    schedule: "",
                    requires_approval: false,
                };
                offerings::insert(conn, institution, fields, now).await?.id
            }
        };
        class_ids.insert(&class.sourced_id, (id, *term, *course, 3.0));
    }
    let prefs =
        serde_json::to_string(&CommunicationPreferences::default()).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut new_people = 0u64;
    let mut user_ids: HashMap<&str, i64> = HashMap::new();
    for user in &p.users {
        let Some(email) = user.email.as_deref().and_then(|e| Email::parse(e).ok()) else { continue };
        let id = match accounts::by_email(conn, Some(institution), email.as_str()).await? {
            Some(u) => u.id,
            None => {
                new_people += 1;
                let name = format!("{} {}", user.given_name, user.family_name);
                let status = AccountStatus::Invited.as_str();
                accounts::insert(
                    conn,
                    accounts::NewUser {
                        institution_id: Some(institution),
                        email: email.as_str(),
                        name: name.trim(),
                        password_hash: None,
                        status,
                        is_operator: false,
                        email_verified_at: None,
                        time_zone: "UTC",
                        communication: &prefs,
                        now,
                    },
                )
                .await?
                .id
            }
        };
        user_ids.insert(&user.sourced_id, id);
    }
    ensure_seats(conn, institution, 0).await.map_err(|e| match e {
        AppError::PlanLimit(m) => AppError::PlanLimit(format!("The roster adds {new_people} accounts. {m}")),
        other => other,
    })?;
    let existing_grants =
        grant_rows::for_users(conn, institution, &user_ids.values().copied().collect::<Vec<_>>()).await?;
    for role in &p.roles {
        let Some(user) = user_ids.get(role.user_sourced_id.as_str()) else { continue };
        let granted = match role.role {
            RoleKind::Student => Role::Student,
            RoleKind::Teacher => Role::Instructor,
            _ => continue,
        };
        if existing_grants
            .iter()
            .any(|g| g.user_id == *user && g.role == granted.as_str() && g.scope_kind == "institution")
        {
            continue;
        }
        let grant = grant_rows::NewGrant {
            institution_id: institution,
            user_id: UserId(*user),
            role: granted.as_str(),
            scope_kind: "institution",
            scope_id: 0,
            granted_by: None,
            now,
        };
        match grant_rows::insert(conn, grant).await {
            Ok(_) | Err(qobe_store::StoreError::Duplicate(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    for enrollment in &p.enrollments {
        let (Some(user), Some((offering, term, course, credits))) =
            (user_ids.get(enrollment.user_sourced_id.as_str()), class_ids.get(enrollment.class_sourced_id.as_str()))
        else {
            continue;
        };
        match enrollment.role {
            EnrollmentRole::Student => {
                let registered = registrations::find(conn, institution, OfferingId(*offering), UserId(*user)).await?;
                if registered.is_none() {
                    let new = NewEnrollment {
                        offering: OfferingId(*offering),
                        user: UserId(*user),
                        term: TermId(*term),
                        course: *course,
                        status: EnrollmentStatus::Enrolled.as_str(),
                        waitlist_position: None,
                        credits: *credits,
                        grade: None,
                        decided_by: None,
                    };
                    registrations::upsert(conn, institution, new, now).await?;
                }
            }
            EnrollmentRole::Teacher => {
                let teaching = offerings::instructors(conn, institution, &[*offering]).await?;
                if !teaching.iter().any(|t| t.user_id == *user) {
                    offerings::add_instructor(conn, institution, OfferingId(*offering), UserId(*user)).await?;
                    let grant = grant_rows::NewGrant {
                        institution_id: institution,
                        user_id: UserId(*user),
                        role: Role::Instructor.as_str(),
                        scope_kind: "offering",
                        scope_id: *offering,
                        granted_by: None,
                        now,
                    };
                    match grant_rows::insert(conn, grant).await {
                        Ok(_) | Err(qobe_store::StoreError::Duplicate(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}
