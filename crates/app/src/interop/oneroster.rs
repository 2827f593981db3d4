//! OneRoster 1.2 CSV export of an institution's roster: the institution and its departments
//! (orgs), terms (academic sessions), courses, offerings (classes), people (users and roles)
//! and registrations and teaching assignments (enrollments). The package is checked against
//! the binding's rules before it is handed out, so an export always validates.
//!
//! A record that came in by OneRoster import goes out as it came: its own sourcedId, and every
//! field QOBE has no column for (username, school year, extension columns, roles, profiles,
//! demographics…) from the record kept at import. Fields QOBE does keep (names, codes, dates,
//! whether an account is switched on) are written as they are now. Records made in QOBE get
//! sourcedIds of their own (`course-12`). Every file is sorted by sourcedId, so exporting,
//! importing elsewhere and exporting again gives the same files.

use std::collections::{BTreeMap, HashMap, HashSet};

use qobe_domain::oneroster::Role as RosterRole;
use qobe_domain::oneroster::{
    AcademicSession, Class, ClassType, Course, Demographics, Enrollment, EnrollmentRole, Org, OrgType, RoleKind,
    RoleType, RosterPackage, SessionType, User, UserProfile, parse_package, write_package,
};
use qobe_domain::registration::EnrollmentStatus;
use qobe_domain::roles::{Permission, Role};
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::rows::RosterRecord;
use qobe_store::{accounts, structure, tenancy};
use serde::de::DeserializeOwned;

use crate::{Actor, App, AppError, AppResult};

fn split_name(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_owned(), family.trim().to_owned()),
        None => (name.trim().to_owned(), "-".to_owned()),
    }
}

/// The records kept at import, by what they became and by file.
struct Sources {
    by_entity: HashMap<(String, i64), RosterRecord>,
    unmapped: Vec<RosterRecord>,
}

impl Sources {
    fn new(records: Vec<RosterRecord>) -> Sources {
        let mut by_entity = HashMap::new();
        let mut unmapped = Vec::new();
        for record in records {
            match (record.entity.clone(), record.entity_id) {
                (Some(entity), Some(id)) => {
                    by_entity.insert((entity, id), record);
                }
                _ => unmapped.push(record),
            }
        }
        Sources { by_entity, unmapped }
    }

    /// The record `entity` `id` came from, if it came from one.
    fn record<T: DeserializeOwned>(&self, entity: &str, id: i64) -> Option<T> {
        let kept = self.by_entity.get(&(entity.to_owned(), id))?;
        serde_json::from_str(&kept.record).ok()
    }

    /// The sourcedId of `entity` `id`: the one it came with, or `{prefix}-{id}`.
    fn sourced_id(&self, entity: &str, id: i64, prefix: &str) -> String {
        self.by_entity.get(&(entity.to_owned(), id)).map_or_else(|| format!("{prefix}-{id}"), |r| r.sourced_id.clone())
    }

    /// The kept records of `file` that became nothing in QOBE (a district, a school year,
    /// roles, profiles, demographics…).
    fn unmapped<T: DeserializeOwned>(&self, file: &str) -> Vec<T> {
        self.unmapped.iter().filter(|r| r.file == file).filter_map(|r| serde_json::from_str(&r.record).ok()).collect()
    }

    /// Every kept record of `file`, mapped or not.
    fn all<T: DeserializeOwned>(&self, file: &str) -> Vec<T> {
        self.by_entity
            .values()
            .chain(&self.unmapped)
            .filter(|r| r.file == file)
            .filter_map(|r| serde_json::from_str(&r.record).ok())
            .collect()
    }
}

/// The roster as OneRoster CSV files (manifest first), validated by the same parser imports use.
pub async fn export(app: &App, actor: &Actor) -> AppResult<Vec<(String, Vec<u8>)>> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let conn = app.store.conn();
    let inst = tenancy::get(conn, institution).await?.ok_or(AppError::NotFound)?;
    let sources = Sources::new(qobe_store::roster_records::all(conn, institution).await?);

    let root = sources.record::<Org>("institution", inst.id).unwrap_or_else(|| Org {
        sourced_id: format!("org-{}", inst.id),
        status: None,
        date_last_modified: None,
        name: String::new(),
        r#type: OrgType::School,
        identifier: None,
        parent_sourced_id: None,
        metadata: BTreeMap::new(),
    });
    let root = Org { name: inst.name.clone(), identifier: Some(inst.slug.clone()), ..root };
    let root_id = root.sourced_id.clone();
    let mut orgs = vec![root];
    orgs.extend(sources.unmapped::<Org>("orgs"));
    for d in structure::departments(conn, institution).await? {
        let org = sources.record::<Org>("department", d.id).unwrap_or_else(|| Org {
            sourced_id: format!("dept-{}", d.id),
            status: None,
            date_last_modified: None,
            name: String::new(),
            r#type: OrgType::Department,
            identifier: None,
            parent_sourced_id: Some(root_id.clone()),
            metadata: BTreeMap::new(),
        });
        orgs.push(Org { name: d.name, identifier: Some(d.code), ..org });
    }

    let all_terms = terms::list(conn, institution).await?;
    let mut academic_sessions: Vec<AcademicSession> = sources.unmapped("academicSessions");
    for t in &all_terms {
        let start_date = t.starts_at.date_naive();
        let end_date = t.ends_at.date_naive().max(start_date.succ_opt().unwrap_or(start_date));
        let session = sources.record::<AcademicSession>("term", t.id).unwrap_or_else(|| AcademicSession {
            sourced_id: format!("term-{}", t.id),
            status: None,
            date_last_modified: None,
            title: String::new(),
            r#type: SessionType::Term,
            start_date,
            end_date,
            parent_sourced_id: None,
            school_year: u16::try_from(chrono::Datelike::year(&t.ends_at)).unwrap_or(2000),
            metadata: BTreeMap::new(),
        });
        academic_sessions.push(AcademicSession { title: t.name.clone(), start_date, end_date, ..session });
    }

    let catalogue = courses::list(conn, institution, "").await?;
    let roster_courses = catalogue
        .iter()
        .map(|c| {
            let course = sources.record::<Course>("course", c.id).unwrap_or_else(|| Course {
                sourced_id: format!("course-{}", c.id),
                status: None,
                date_last_modified: None,
                school_year_sourced_id: None,
                title: String::new(),
                course_code: None,
                grades: Vec::new(),
                org_sourced_id: String::new(),
                subjects: Vec::new(),
                subject_codes: Vec::new(),
                metadata: BTreeMap::new(),
            });
            Course {
                title: c.title.clone(),
                course_code: Some(c.code.clone()),
                org_sourced_id: sources.sourced_id("department", c.department_id, "dept"),
                ..course
            }
        })
        .collect();

    let all_offerings = offerings::list(conn, institution, None).await?;
    let classes = all_offerings
        .iter()
        .map(|o| {
            let code = catalogue.iter().find(|c| c.id == o.course_id).map(|c| c.code.clone()).unwrap_or_default();
            let term = sources.sourced_id("term", o.term_id, "term");
            let class = sources.record::<Class>("offering", o.id).unwrap_or_else(|| Class {
                sourced_id: format!("class-{}", o.id),
                status: None,
                date_last_modified: None,
                title: String::new(),
                grades: Vec::new(),
                course_sourced_id: String::new(),
                class_code: None,
                class_type: ClassType::Scheduled,
                location: None,
                school_sourced_id: String::new(),
                term_sourced_ids: Vec::new(),
                subjects: Vec::new(),
                subject_codes: Vec::new(),
                periods: Vec::new(),
                metadata: BTreeMap::new(),
            });
            let term_sourced_ids =
                if class.term_sourced_ids.contains(&term) { class.term_sourced_ids.clone() } else { vec![term] };
            Class {
                title: format!("{code} {}", o.section),
                course_sourced_id: sources.sourced_id("course", o.course_id, "course"),
                class_code: Some(o.section.clone()),
                location: o.room.clone(),
                school_sourced_id: root_id.clone(),
                term_sourced_ids,
                ..class
            }
        })
        .collect();

    let kept_roles: Vec<RosterRole> = sources.all("roles");
    let (users, mut roles) = people(app, institution, &sources, &kept_roles, &root_id).await?;
    let exported: HashSet<String> = users.iter().map(|u| u.sourced_id.clone()).collect();
    roles.extend(kept_roles.into_iter().filter(|r| exported.contains(&r.user_sourced_id)));
    let user_profiles: Vec<UserProfile> = sources
        .all::<UserProfile>("userProfiles")
        .into_iter()
        .filter(|p| exported.contains(&p.user_sourced_id))
        .collect();
    let demographics: Vec<Demographics> =
        sources.all::<Demographics>("demographics").into_iter().filter(|d| exported.contains(&d.sourced_id)).collect();
    let enrollments = enrollments(app, institution, &sources, &all_offerings, &exported, &root_id).await?;

    let mut package = RosterPackage {
        source_system_name: Some("QOBE".into()),
        source_system_code: Some(inst.slug.clone()),
        orgs,
        academic_sessions,
        courses: roster_courses,
        classes,
        users,
        roles,
        user_profiles,
        demographics,
        enrollments,
        skipped_files: Vec::new(),
    };
    sort_by_sourced_id(&mut package);
    let files = write_package(&package);
    if let Err(errors) = parse_package(&files) {
        let first: Vec<String> = errors.errors.iter().take(5).map(ToString::to_string).collect();
        return Err(AppError::Internal(format!("exported roster does not validate: {}", first.join("; "))));
    }
    Ok(files)
}

/// Every file in sourcedId order, so the order never depends on QOBE's own ids.
fn sort_by_sourced_id(p: &mut RosterPackage) {
    p.orgs.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.academic_sessions.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.courses.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.classes.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.users.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.roles.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.user_profiles.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.demographics.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    p.enrollments.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
}

/// The institution's people with a role (or with roles kept from an import), as users and the
/// roles QOBE grants them (people with kept roles keep those instead).
async fn people(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    sources: &Sources,
    kept_roles: &[RosterRole],
    root_id: &str,
) -> AppResult<(Vec<User>, Vec<RosterRole>)> {
    let conn = app.store.conn();
    let with_kept_roles: HashSet<&str> = kept_roles.iter().map(|r| r.user_sourced_id.as_str()).collect();
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let mut page_number = 1;
    loop {
        let filter = accounts::UserFilter {
            search: None,
            status: None,
            user_ids_with_role: None,
            sort: accounts::UserSort::Email,
            page: page_number,
            per_page: 200,
        };
        let page = accounts::list(conn, institution, filter).await?;
        let ids: Vec<i64> = page.items.iter().map(|u| u.id).collect();
        let grants = qobe_store::roles::for_users(conn, institution, &ids).await?;
        for account in &page.items {
            let mut kinds: Vec<RoleKind> = Vec::new();
            for grant in grants.iter().filter(|g| g.user_id == account.id) {
                let kind = match Role::parse(&grant.role) {
                    Ok(Role::Student | Role::Alumnus) => RoleKind::Student,
                    Ok(Role::Instructor) => RoleKind::Teacher,
                    Ok(Role::InstitutionAdmin | Role::QaOfficer | Role::ProgramCoordinator) => {
                        RoleKind::SiteAdministrator
                    }
                    Err(_) => continue,
                };
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            let sourced_id = sources.sourced_id("user", account.id, "user");
            let has_kept_roles = with_kept_roles.contains(sourced_id.as_str());
            if kinds.is_empty() && !has_kept_roles {
                continue;
            }
            let (given_name, family_name) = split_name(&account.name);
            let user = sources.record::<User>("user", account.id).unwrap_or_else(|| User {
                sourced_id: sourced_id.clone(),
                status: None,
                date_last_modified: None,
                enabled_user: true,
                username: account.email.clone(),
                user_ids: Vec::new(),
                given_name: given_name.clone(),
                family_name: family_name.clone(),
                middle_name: None,
                identifier: None,
                email: None,
                sms: None,
                phone: None,
                agent_sourced_ids: Vec::new(),
                grades: Vec::new(),
                password: None,
                user_master_identifier: None,
                preferred_given_name: None,
                preferred_middle_name: None,
                preferred_family_name: None,
                primary_org_sourced_id: Some(root_id.to_owned()),
                pronouns: None,
                metadata: BTreeMap::new(),
            });
            // The name as the record splits it, unless it has been changed in QOBE since.
            let (given_name, family_name) =
                if format!("{} {}", user.given_name, user.family_name).trim() == account.name.trim() {
                    (user.given_name.clone(), user.family_name.clone())
                } else {
                    (given_name, family_name)
                };
            users.push(User {
                given_name,
                family_name,
                email: Some(account.email.clone()),
                enabled_user: account.status != "deactivated",
                ..user
            });
            if !has_kept_roles {
                for (index, kind) in kinds.into_iter().enumerate() {
                    roles.push(RosterRole {
                        sourced_id: format!("role-{}-{index}", account.id),
                        status: None,
                        date_last_modified: None,
                        user_sourced_id: sourced_id.clone(),
                        role_type: if index == 0 { RoleType::Primary } else { RoleType::Secondary },
                        role: kind,
                        begin_date: None,
                        end_date: None,
                        org_sourced_id: root_id.to_owned(),
                        user_profile_sourced_id: None,
                        metadata: BTreeMap::new(),
                    });
                }
            }
        }
        if page.page >= page.page_count() {
            break;
        }
        page_number += 1;
    }
    Ok((users, roles))
}

/// Teaching assignments and registrations (enrolled or completed) of exported people, and the
/// kept enrollments QOBE made nothing of whose class and person are exported.
async fn enrollments(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    sources: &Sources,
    all_offerings: &[qobe_store::rows::Offering],
    exported: &HashSet<String>,
    root_id: &str,
) -> AppResult<Vec<Enrollment>> {
    let conn = app.store.conn();
    let classes: HashSet<String> =
        all_offerings.iter().map(|o| sources.sourced_id("offering", o.id, "class")).collect();
    let mut out = Vec::new();
    let mut add = |entity: &str, id: i64, prefix: &str, offering: i64, user: i64, role: EnrollmentRole| {
        let user = sources.sourced_id("user", user, "user");
        if !exported.contains(&user) {
            return;
        }
        let class = sources.sourced_id("offering", offering, "class");
        let kept = sources.record::<Enrollment>(entity, id).unwrap_or_else(|| Enrollment {
            sourced_id: format!("{prefix}-{id}"),
            status: None,
            date_last_modified: None,
            class_sourced_id: String::new(),
            school_sourced_id: String::new(),
            user_sourced_id: String::new(),
            role: role.clone(),
            primary: (role == EnrollmentRole::Teacher).then_some(true),
            begin_date: None,
            end_date: None,
            metadata: BTreeMap::new(),
        });
        out.push(Enrollment {
            class_sourced_id: class,
            school_sourced_id: root_id.to_owned(),
            user_sourced_id: user,
            role,
            ..kept
        });
    };
    let offering_ids: Vec<i64> = all_offerings.iter().map(|o| o.id).collect();
    for link in offerings::instructors(conn, institution, &offering_ids).await? {
        add("teaching", link.id, "teach", link.offering_id, link.user_id, EnrollmentRole::Teacher);
    }
    for offering in all_offerings {
        let id = qobe_domain::ids::OfferingId(offering.id);
        for e in qobe_store::registration::for_offering(conn, institution, id).await? {
            if EnrollmentStatus::in_class(&e.status) {
                add("registration", e.id, "enrol", e.offering_id, e.user_id, EnrollmentRole::Student);
            }
        }
    }
    out.extend(
        sources
            .unmapped::<Enrollment>("enrollments")
            .into_iter()
            .filter(|e| exported.contains(&e.user_sourced_id) && classes.contains(&e.class_sourced_id)),
    );
    Ok(out)
}
