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

/// The package's files: a ZIP (as systems deliver it, or QOBE exports it) unpacked within
/// bounds, its files by their names without folders; or the CSV files chosen one by one.
pub fn unpack(files: Vec<(String, Vec<u8>)>) -> AppResult<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        if crate::archive::is_zip(&bytes) {
            crate::archive::read(&bytes, crate::archive::ROSTER, "files", |path, contents| {
                let name = path.rsplit('/').next().unwrap_or(path);
                // Folders' own files (macOS resource forks) are not part of the package.
                if !path.starts_with("__MACOSX/") && !name.starts_with("._") && !name.is_empty() {
                    out.push((name.to_owned(), contents));
                }
            })?;
        } else {
            out.push((name, bytes));
        }
    }
    Ok(out)
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

/// Each record of the package as it arrived, with what it became in QOBE: kept so an export
/// writes the same sourcedIds and the fields QOBE has no column for.
struct Kept {
    records: Vec<KeptRecord>,
}

/// One record: its file, sourcedId, what it became (entity and id) and its JSON.
struct KeptRecord {
    file: &'static str,
    sourced_id: String,
    entity: Option<(&'static str, i64)>,
    json: String,
}

impl Kept {
    fn add<T: serde::Serialize>(
        &mut self,
        file: &'static str,
        sourced_id: &str,
        entity: Option<(&'static str, i64)>,
        record: &T,
    ) -> AppResult<()> {
        let json = serde_json::to_string(record).map_err(|e| AppError::Internal(e.to_string()))?;
        self.records.push(KeptRecord { file, sourced_id: sourced_id.to_owned(), entity, json });
        Ok(())
    }

    async fn save(
        self,
        conn: &impl Conn,
        institution: InstitutionId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<()> {
        let rows = self
            .records
            .iter()
            .map(|kept| qobe_store::roster_records::NewRosterRecord {
                file: kept.file,
                sourced_id: &kept.sourced_id,
                entity: kept.entity,
                record: kept.json.clone(),
            })
            .collect();
        Ok(qobe_store::roster_records::upsert(conn, institution, rows, now).await?)
    }
}

/// What the package's sourcedIds already are in this institution: the records kept from an
/// earlier import, so importing the same roster again finds what it made the first time.
struct Known {
    kept: HashMap<(String, String), (String, i64)>,
}

impl Known {
    async fn load(conn: &impl Conn, institution: InstitutionId) -> AppResult<Known> {
        let kept = qobe_store::roster_records::all(conn, institution)
            .await?
            .into_iter()
            .filter_map(|r| Some(((r.file, r.sourced_id), (r.entity?, r.entity_id?))))
            .collect();
        Ok(Known { kept })
    }

    /// The id of the `entity` a record of `file` names, if it is already here (callers check it
    /// still exists).
    fn id(&self, file: &str, sourced_id: &str, entity: &str) -> Option<i64> {
        match self.kept.get(&(file.to_owned(), sourced_id.to_owned())) {
            Some((kind, id)) if kind == entity => Some(*id),
            _ => None,
        }
    }
}

async fn write(conn: &impl Conn, app: &App, institution: InstitutionId, p: &RosterPackage) -> AppResult<()> {
    let now = app.now();
    let known = Known::load(conn, institution).await?;
    let mut kept = Kept { records: Vec::new() };
    // The school the package is about is this institution; a district above it is kept as is.
    let root = p.orgs.iter().find(|o| o.r#type == OrgType::School).map(|o| o.sourced_id.as_str());
    for org in p.orgs.iter().filter(|o| o.r#type != OrgType::Department) {
        let entity = (Some(org.sourced_id.as_str()) == root).then_some(("institution", institution.0));
        kept.add("orgs", &org.sourced_id, entity, org)?;
    }
    let mut departments: HashMap<&str, i64> = HashMap::new();
    let existing_departments = structure::departments(conn, institution).await?;
    for org in p.orgs.iter().filter(|o| o.r#type == OrgType::Department) {
        let code = code_of(org.identifier.as_deref().unwrap_or(&org.sourced_id));
        let known_id = known.id("orgs", &org.sourced_id, "department");
        let found = existing_departments
            .iter()
            .find(|d| Some(d.id) == known_id)
            .or_else(|| existing_departments.iter().find(|d| d.code == code));
        let id = match found {
            Some(d) => d.id,
            None => structure::insert_department(conn, institution, None, &code, &org.name, now).await?.id,
        };
        departments.insert(&org.sourced_id, id);
        kept.add("orgs", &org.sourced_id, Some(("department", id)), org)?;
    }
    let fallback_department =
        match departments.values().next().copied().or_else(|| existing_departments.first().map(|d| d.id)) {
            Some(id) => id,
            None => structure::insert_department(conn, institution, None, "GEN", "General", now).await?.id,
        };
    let mut term_ids: HashMap<&str, i64> = HashMap::new();
    let existing_terms = terms::list(conn, institution).await?;
    for session in p.academic_sessions.iter().filter(|s| matches!(s.r#type, SessionType::Term | SessionType::Semester))
    {
        let code = code_of(&session.sourced_id);
        // Kept from an earlier import; else the term of that name starting that day (as QOBE's
        // own export names its terms); else the term whose code is the sourcedId.
        let known_term = match known.id("academicSessions", &session.sourced_id, "term") {
            Some(id) => terms::get(conn, institution, TermId(id)).await?,
            None => existing_terms
                .iter()
                .find(|t| t.name == session.title && t.starts_at.date_naive() == session.start_date)
                .cloned(),
        };
        let found = match known_term {
            Some(term) => Some(term),
            None => terms::by_code(conn, institution, &code).await?,
        };
        let id = match found {
            Some(t) => t.id,
            None => {
                let start = session.start_date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
                let end =
                    session.end_date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().max(start + Duration::days(1));
                let windows = TermWindows::between(start, end);
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
        kept.add("academicSessions", &session.sourced_id, Some(("term", id)), session)?;
    }
    for session in p.academic_sessions.iter().filter(|s| !matches!(s.r#type, SessionType::Term | SessionType::Semester))
    {
        kept.add("academicSessions", &session.sourced_id, None, session)?;
    }
    let mut course_ids: HashMap<&str, i64> = HashMap::new();
    for course in &p.courses {
        let code = code_of(course.course_code.as_deref().unwrap_or(&course.sourced_id));
        let known_course = match known.id("courses", &course.sourced_id, "course") {
            Some(id) => courses::get(conn, institution, CourseId(id)).await?,
            None => None,
        };
        let found = match known_course {
            Some(course) => Some(course),
            None => courses::by_code(conn, institution, &code).await?,
        };
        let id = match found {
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
        kept.add("courses", &course.sourced_id, Some(("course", id)), course)?;
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
            kept.add("classes", &class.sourced_id, None, class)?;
            continue;
        };
        let section = code_of(class.class_code.as_deref().unwrap_or("A"));
        let known_id = known.id("classes", &class.sourced_id, "offering");
        let id = match existing_offerings.iter().find(|o| Some(o.id) == known_id).or_else(|| {
            existing_offerings.iter().find(|o| o.course_id == *course && o.term_id == *term && o.section == section)
        }) {
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
        kept.add("classes", &class.sourced_id, Some(("offering", id)), class)?;
    }
    let prefs =
        serde_json::to_string(&CommunicationPreferences::default()).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut new_people = 0u64;
    let mut user_ids: HashMap<&str, i64> = HashMap::new();
    for user in &p.users {
        // Credentials are never kept.
        let without_password = qobe_domain::oneroster::User { password: None, ..user.clone() };
        let Some(email) = user.email.as_deref().and_then(|e| Email::parse(e).ok()) else {
            kept.add("users", &user.sourced_id, None, &without_password)?;
            continue;
        };
        let id = match accounts::by_email(conn, Some(institution), email.as_str()).await? {
            Some(u) => u.id,
            None => {
                // A person the roster marks disabled arrives switched off (and takes no seat).
                let status = if user.enabled_user {
                    new_people += 1;
                    AccountStatus::Invited.as_str()
                } else {
                    AccountStatus::Deactivated.as_str()
                };
                let name = format!("{} {}", user.given_name, user.family_name);
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
        kept.add("users", &user.sourced_id, Some(("user", id)), &without_password)?;
    }
    for role in &p.roles {
        kept.add("roles", &role.sourced_id, None, role)?;
    }
    for profile in &p.user_profiles {
        let without_password = qobe_domain::oneroster::UserProfile { password: None, ..profile.clone() };
        kept.add("userProfiles", &profile.sourced_id, None, &without_password)?;
    }
    for person in &p.demographics {
        kept.add("demographics", &person.sourced_id, None, person)?;
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
            kept.add("enrollments", &enrollment.sourced_id, None, enrollment)?;
            continue;
        };
        let mut entity = None;
        match enrollment.role {
            EnrollmentRole::Student => {
                let registered = registrations::find(conn, institution, OfferingId(*offering), UserId(*user)).await?;
                entity = registered.as_ref().map(|r| ("registration", r.id));
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
                    entity = Some(("registration", registrations::upsert(conn, institution, new, now).await?.id));
                }
            }
            EnrollmentRole::Teacher => {
                let mut teaching = offerings::instructors(conn, institution, &[*offering]).await?;
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
                    teaching = offerings::instructors(conn, institution, &[*offering]).await?;
                }
                entity = teaching.iter().find(|t| t.user_id == *user).map(|t| ("teaching", t.id));
            }
            _ => {}
        }
        kept.add("enrollments", &enrollment.sourced_id, entity, enrollment)?;
    }
    kept.save(conn, institution, now).await
}
