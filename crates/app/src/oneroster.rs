//! OneRoster 1.2 CSV export of an institution's roster: the institution and its departments
//! (orgs), terms (academic sessions), courses, offerings (classes), people (users and roles)
//! and registrations and teaching assignments (enrollments). The package is checked against
//! the binding's rules before it is handed out, so an export always validates.

use std::collections::BTreeMap;

use qobe_domain::oneroster::Role as RosterRole;
use qobe_domain::oneroster::{
    AcademicSession, Class, ClassType, Course, Enrollment, EnrollmentRole, Org, OrgType, RoleKind, RoleType,
    RosterPackage, SessionType, User, parse_package, write_package,
};
use qobe_domain::registration::EnrollmentStatus;
use qobe_domain::roles::{Permission, Role};
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::{accounts, structure, tenancy};

use crate::{Actor, App, AppError, AppResult};

fn split_name(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_owned(), family.trim().to_owned()),
        None => (name.trim().to_owned(), "-".to_owned()),
    }
}

/// The roster as OneRoster CSV files (manifest first), validated by the same parser imports use.
pub async fn export(app: &App, actor: &Actor) -> AppResult<Vec<(String, Vec<u8>)>> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let conn = app.store.conn();
    let inst = tenancy::get(conn, institution).await?.ok_or(AppError::NotFound)?;
    let root = format!("org-{}", inst.id);
    let mut orgs = vec![Org {
        sourced_id: root.clone(),
        status: None,
        date_last_modified: None,
        name: inst.name.clone(),
        r#type: OrgType::School,
        identifier: Some(inst.slug.clone()),
        parent_sourced_id: None,
        metadata: BTreeMap::new(),
    }];
    for d in structure::departments(conn, institution).await? {
        orgs.push(Org {
            sourced_id: format!("dept-{}", d.id),
            status: None,
            date_last_modified: None,
            name: d.name,
            r#type: OrgType::Department,
            identifier: Some(d.code),
            parent_sourced_id: Some(root.clone()),
            metadata: BTreeMap::new(),
        });
    }
    let all_terms = terms::list(conn, institution).await?;
    let academic_sessions = all_terms
        .iter()
        .map(|t| AcademicSession {
            sourced_id: format!("term-{}", t.id),
            status: None,
            date_last_modified: None,
            title: t.name.clone(),
            r#type: SessionType::Term,
            start_date: t.starts_at.date_naive(),
            end_date: t
                .ends_at
                .date_naive()
                .max(t.starts_at.date_naive().succ_opt().unwrap_or(t.starts_at.date_naive())),
            parent_sourced_id: None,
            school_year: u16::try_from(chrono::Datelike::year(&t.ends_at)).unwrap_or(2000),
            metadata: BTreeMap::new(),
        })
        .collect();
    let catalogue = courses::list(conn, institution, "").await?;
    let roster_courses = catalogue
        .iter()
        .map(|c| Course {
            sourced_id: format!("course-{}", c.id),
            status: None,
            date_last_modified: None,
            school_year_sourced_id: None,
            title: c.title.clone(),
            course_code: Some(c.code.clone()),
            grades: Vec::new(),
            org_sourced_id: format!("dept-{}", c.department_id),
            subjects: Vec::new(),
            subject_codes: Vec::new(),
            metadata: BTreeMap::new(),
        })
        .collect();
    let all_offerings = offerings::list(conn, institution, None).await?;
    let classes = all_offerings
        .iter()
        .map(|o| {
            let code = catalogue.iter().find(|c| c.id == o.course_id).map(|c| c.code.clone()).unwrap_or_default();
            Class {
                sourced_id: format!("class-{}", o.id),
                status: None,
                date_last_modified: None,
                title: format!("{code} {}", o.section),
                grades: Vec::new(),
                course_sourced_id: format!("course-{}", o.course_id),
                class_code: Some(o.section.clone()),
                class_type: ClassType::Scheduled,
                location: o.room.clone(),
                school_sourced_id: root.clone(),
                term_sourced_ids: vec![format!("term-{}", o.term_id)],
                subjects: Vec::new(),
                subject_codes: Vec::new(),
                periods: Vec::new(),
                metadata: BTreeMap::new(),
            }
        })
        .collect();
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let mut page_number = 1;
    loop {
        let page = accounts::list(
            conn,
            institution,
            accounts::UserFilter {
                search: None,
                status: None,
                user_ids_with_role: None,
                sort: accounts::UserSort::Email,
                page: page_number,
                per_page: 200,
            },
        )
        .await?;
        let ids: Vec<i64> = page.items.iter().map(|u| u.id).collect();
        let grants = qobe_store::roles::for_users(conn, institution, &ids).await?;
        for user in &page.items {
            let (given_name, family_name) = split_name(&user.name);
            let kinds: Vec<RoleKind> = grants
                .iter()
                .filter(|g| g.user_id == user.id)
                .filter_map(|g| match Role::parse(&g.role).ok()? {
                    Role::Student | Role::Alumnus => Some(RoleKind::Student),
                    Role::Instructor => Some(RoleKind::Teacher),
                    Role::InstitutionAdmin | Role::QaOfficer | Role::ProgramCoordinator => {
                        Some(RoleKind::SiteAdministrator)
                    }
                })
                .collect();
            let mut kinds_unique: Vec<RoleKind> = Vec::new();
            for kind in kinds {
                if !kinds_unique.contains(&kind) {
                    kinds_unique.push(kind);
                }
            }
            if kinds_unique.is_empty() {
                continue;
            }
            users.push(User {
                sourced_id: format!("user-{}", user.id),
                status: None,
                date_last_modified: None,
                enabled_user: user.status == "active",
                username: user.email.clone(),
                user_ids: Vec::new(),
                given_name,
                family_name,
                middle_name: None,
                identifier: None,
                email: Some(user.email.clone()),
                sms: None,
                phone: None,
                agent_sourced_ids: Vec::new(),
                grades: Vec::new(),
                password: None,
                user_master_identifier: None,
                preferred_given_name: None,
                preferred_middle_name: None,
                preferred_family_name: None,
                primary_org_sourced_id: Some(root.clone()),
                pronouns: None,
                metadata: BTreeMap::new(),
            });
            for (index, kind) in kinds_unique.into_iter().enumerate() {
                roles.push(RosterRole {
                    sourced_id: format!("role-{}-{index}", user.id),
                    status: None,
                    date_last_modified: None,
                    user_sourced_id: format!("user-{}", user.id),
                    role_type: if index == 0 { RoleType::Primary } else { RoleType::Secondary },
                    role: kind,
                    begin_date: None,
                    end_date: None,
                    org_sourced_id: root.clone(),
                    user_profile_sourced_id: None,
                    metadata: BTreeMap::new(),
                });
            }
        }
        if page.page >= page.page_count() {
            break;
        }
        page_number += 1;
    }
    let exported: std::collections::HashSet<String> = users.iter().map(|u| u.sourced_id.clone()).collect();
    let mut enrollments = Vec::new();
    let offering_ids: Vec<i64> = all_offerings.iter().map(|o| o.id).collect();
    for link in offerings::instructors(conn, institution, &offering_ids).await? {
        let user = format!("user-{}", link.user_id);
        if exported.contains(&user) {
            enrollments.push(Enrollment {
                sourced_id: format!("teach-{}", link.id),
                status: None,
                date_last_modified: None,
                class_sourced_id: format!("class-{}", link.offering_id),
                school_sourced_id: root.clone(),
                user_sourced_id: user,
                role: EnrollmentRole::Teacher,
                primary: Some(true),
                begin_date: None,
                end_date: None,
                metadata: BTreeMap::new(),
            });
        }
    }
    for offering in &all_offerings {
        for e in
            qobe_store::registration::for_offering(conn, institution, qobe_domain::ids::OfferingId(offering.id)).await?
        {
            let counts = EnrollmentStatus::parse(&e.status)
                .is_some_and(|s| matches!(s, EnrollmentStatus::Enrolled | EnrollmentStatus::Completed));
            let user = format!("user-{}", e.user_id);
            if counts && exported.contains(&user) {
                enrollments.push(Enrollment {
                    sourced_id: format!("enrol-{}", e.id),
                    status: None,
                    date_last_modified: None,
                    class_sourced_id: format!("class-{}", e.offering_id),
                    school_sourced_id: root.clone(),
                    user_sourced_id: user,
                    role: EnrollmentRole::Student,
                    primary: None,
                    begin_date: None,
                    end_date: None,
                    metadata: BTreeMap::new(),
                });
            }
        }
    }
    let package = RosterPackage {
        source_system_name: Some("QOBE".into()),
        source_system_code: Some(inst.slug.clone()),
        orgs,
        academic_sessions,
        courses: roster_courses,
        classes,
        users,
        roles,
        user_profiles: Vec::new(),
        demographics: Vec::new(),
        enrollments,
        skipped_files: Vec::new(),
    };
    let files = write_package(&package);
    if let Err(errors) = parse_package(&files) {
        let first: Vec<String> = errors
            .errors
            .iter()
            .take(5)
            .map(|e| format!("{} line {:?} {:?}: {}", e.file, e.line, e.column, e.message))
            .collect();
        return Err(AppError::Internal(format!("exported roster does not validate: {}", first.join("; "))));
    }
    Ok(files)
}
