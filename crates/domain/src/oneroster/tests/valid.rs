use chrono::NaiveDate;

use super::super::*;
use super::*;

fn package() -> RosterPackage {
    match parse_package(&valid_files()) {
        Ok(package) => package,
        Err(errors) => panic!("the valid fixture was rejected:\n{errors}"),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_valid_package_parses_with_every_record() {
    let p = package();
    assert_eq!(p.source_system_name.as_deref(), Some("Campus SIS"));
    assert_eq!(p.source_system_code.as_deref(), Some("CSIS"));
    assert_eq!(
        [p.orgs.len(), p.academic_sessions.len(), p.courses.len(), p.classes.len(), p.users.len()],
        [2, 2, 2, 3, 5]
    );
    assert_eq!([p.roles.len(), p.demographics.len(), p.enrollments.len()], [7, 2, 8]);
    assert!(p.user_profiles.is_empty());
    assert!(p.skipped_files.is_empty());
}

#[test]
fn orgs_and_sessions_are_typed_with_their_hierarchy() {
    let p = package();
    let cs = &p.orgs[1];
    assert_eq!(cs.name, "Computing, Data & AI");
    assert_eq!(cs.r#type, OrgType::Department);
    assert_eq!(cs.parent_sourced_id.as_deref(), Some("org-uni"));
    assert_eq!(cs.status, None);
    assert_eq!(cs.date_last_modified, None);
    assert_eq!(p.orgs[0].name, "Université du Nord");
    assert_eq!(p.orgs[0].parent_sourced_id, None);

    let fall = &p.academic_sessions[1];
    assert_eq!(fall.r#type, SessionType::Semester);
    assert_eq!((fall.start_date, fall.end_date), (date(2024, 8, 15), date(2024, 12, 21)));
    assert_eq!(fall.parent_sourced_id.as_deref(), Some("ay-2025"));
    assert_eq!(fall.school_year, 2025);
    assert_eq!(p.academic_sessions[0].title, "2024–2025");
}

#[test]
fn list_columns_become_vectors() {
    let p = package();
    let cs101 = &p.courses[0];
    assert_eq!(cs101.title, "Programming, Part 1");
    assert_eq!(cs101.grades, ["13", "14"]);
    assert_eq!(cs101.school_year_sourced_id.as_deref(), Some("ay-2025"));
    assert_eq!(p.courses[1].subjects, ["Mathematics", "Algebra"]);
    assert_eq!(p.courses[1].subject_codes, ["MATH", "ALG"]);
    assert!(p.courses[1].grades.is_empty());

    let a = &p.classes[0];
    assert_eq!(a.class_type, ClassType::Scheduled);
    assert_eq!(a.location.as_deref(), Some("Hall 2, Room 10"));
    assert_eq!(a.periods, ["1", "3", "5"]);
    assert_eq!(a.term_sourced_ids, ["fall-2024"]);
    assert_eq!(p.classes[1].term_sourced_ids, ["fall-2024", "ay-2025"]);
    assert_eq!(p.classes[2].class_type, ClassType::Extension("ext:seminar".into()));
    assert_eq!(p.classes[2].class_code, None);
}

#[test]
fn users_keep_names_ids_and_extension_columns() {
    let p = package();
    let zoe = &p.users[0];
    assert_eq!((zoe.given_name.as_str(), zoe.family_name.as_str()), ("Zoë", "O'Brien"));
    assert_eq!(
        zoe.user_ids,
        [
            ExternalUserId { r#type: "LDAP".into(), identifier: "zobrien".into() },
            ExternalUserId { r#type: "LTI".into(), identifier: "42".into() },
        ]
    );
    assert_eq!(zoe.primary_org_sourced_id.as_deref(), Some("org-cs"));
    assert_eq!(zoe.pronouns.as_deref(), Some("she/her"));
    assert!(zoe.metadata.is_empty());

    let wei = &p.users[3];
    assert_eq!(wei.family_name, "Li \"Vivian\"");
    assert_eq!(wei.metadata.get("metadata.qobe.program").map(String::as_str), Some("BSc Maths, Minor CS"));
    assert_eq!(p.users[2].preferred_given_name.as_deref(), Some("Pepe"));
    assert_eq!(p.users[2].grades, ["13"]);

    let admin = &p.users[4];
    assert!(!admin.enabled_user);
    assert_eq!(admin.password, Some(Password("secret".into())));
    assert!(!format!("{admin:?}").contains("secret"), "passwords must not appear in Debug output");
}

#[test]
fn roles_enrollments_and_demographics_are_typed() {
    let p = package();
    assert_eq!(p.roles[0].role, RoleKind::Teacher);
    assert_eq!(p.roles[0].role_type, RoleType::Primary);
    assert_eq!(p.roles[0].begin_date, Some(date(2024, 8, 15)));
    assert_eq!(p.roles[5].role, RoleKind::SiteAdministrator);
    assert_eq!(p.roles[6].role_type, RoleType::Secondary);

    let teacher = &p.enrollments[0];
    assert_eq!(teacher.role, EnrollmentRole::Teacher);
    assert_eq!(teacher.primary, Some(true));
    assert_eq!(p.enrollments[3].primary, None);
    assert_eq!(p.enrollments[4].primary, Some(false));
    assert_eq!(p.enrollments[2].end_date, Some(date(2025, 6, 1)));
    let students = p.enrollments.iter().filter(|e| e.role == EnrollmentRole::Student).count();
    assert_eq!(students, 5);

    assert_eq!(p.demographics[0].sex, Some(Sex::Male));
    assert_eq!(p.demographics[0].hispanic_or_latino_ethnicity, Some(true));
    assert_eq!(p.demographics[0].asian, None);
    assert_eq!(p.demographics[1].sex, Some(Sex::Extension("ext:undisclosed".into())));
    assert_eq!(p.demographics[1].asian, Some(true));
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(ORGS.as_bytes());
    let files: Vec<_> =
        valid_files().into_iter().map(|(n, b)| if n == "orgs.csv" { (n, bom.clone()) } else { (n, b) }).collect();
    let package = parse_package(&files).unwrap();
    assert_eq!(package.orgs[0].sourced_id, "org-uni");
}

#[test]
fn crlf_line_ends_and_a_trailing_blank_line_are_accepted() {
    let files = with_file("enrollments.csv", &format!("{}\r\n", ENROLLMENTS.replace('\n', "\r\n")));
    assert_eq!(parse_package(&files).unwrap().enrollments.len(), 8);
}

#[test]
fn gradebook_files_are_skipped_and_listed() {
    let manifest = MANIFEST.replace("file.categories,absent", "file.categories,bulk");
    let mut files = with_file("manifest.csv", &manifest);
    files.push((
        "categories.csv".into(),
        b"sourcedId,status,dateLastModified,title,weight\ncat-1,,,Homework,40\n".to_vec(),
    ));
    let package = parse_package(&files).unwrap();
    assert_eq!(package.skipped_files, ["categories.csv"]);
    assert_eq!(package.users.len(), 5);
}

#[test]
fn a_package_of_orgs_alone_is_complete() {
    let manifest = MANIFEST
        .lines()
        .map(|line| {
            if line.starts_with("file.") && line != "file.orgs,bulk" {
                line.replace("bulk", "absent")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let files =
        vec![("manifest.csv".to_owned(), manifest.into_bytes()), ("orgs.csv".to_owned(), ORGS.as_bytes().to_vec())];
    let package = parse_package(&files).unwrap();
    assert_eq!(package.orgs.len(), 2);
    assert!(package.users.is_empty());
}
