//! Each broken package must be rejected with an error naming the right file, line and column.

use super::super::MAX_ERRORS;
use super::*;

/// The fixture with one file edited by replacing `from` (which must occur) with `to`.
fn edited(name: &str, text: &str, from: &str, to: &str) -> ImportErrors {
    assert!(text.contains(from), "fixture {name} does not contain {from:?}");
    errors_of(&with_file(name, &text.replacen(from, to, 1)))
}

#[test]
fn wrong_header_order_names_expected_and_found() {
    let errors = edited("orgs.csv", ORGS, "name,type", "type,name");
    assert_has(&errors, "orgs.csv", Some(1), Some("name"), "column 4 must be 'name' but is 'type'");
    assert_has(
        &errors,
        "orgs.csv",
        Some(1),
        Some("name"),
        "expected header \"sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\", \
         found \"sourcedId,status,dateLastModified,type,name,identifier,parentSourcedId\"",
    );
}

#[test]
fn a_missing_column_and_a_renamed_column_are_header_errors() {
    let errors = edited("users.csv", USERS, ",pronouns,metadata.qobe.program", ",metadata.qobe.program");
    assert_has(&errors, "users.csv", Some(1), Some("pronouns"), "is 'metadata.qobe.program'");
    let errors = edited("enrollments.csv", ENROLLMENTS, "role,primary", "Role,primary");
    assert_has(&errors, "enrollments.csv", Some(1), Some("role"), "must be 'role' but is 'Role'");
}

#[test]
fn a_missing_required_value() {
    let errors = edited("users.csv", USERS, ",Magnus,", ",,");
    assert_has(&errors, "users.csv", Some(3), Some("givenName"), "is required");
    let errors = edited("classes.csv", CLASSES, "org-uni,fall-2024,,,", "org-uni,,,,");
    assert_has(&errors, "classes.csv", Some(2), Some("termSourcedIds"), "is required");
}

#[test]
fn a_bad_enumeration_value() {
    let errors = edited("classes.csv", CLASSES, "CS101-B,scheduled", "CS101-B,lecture");
    assert_has(&errors, "classes.csv", Some(3), Some("classType"), "found 'lecture'");
    let errors = edited("orgs.csv", ORGS, "school,UN-001", "School,UN-001");
    assert_has(&errors, "orgs.csv", Some(2), Some("type"), "found 'School'");
    let errors = edited("roles.csv", ROLES, "primary,student,2022", "main,student,2022");
    assert_has(&errors, "roles.csv", Some(5), Some("roleType"), "one of { primary | secondary }");
    let errors = edited("enrollments.csv", ENROLLMENTS, "usr-s2,student,,,", "usr-s2,ext:,,,");
    assert_has(&errors, "enrollments.csv", Some(9), Some("role"), "or a term starting with 'ext:'");
}

#[test]
fn bad_dates_years_and_booleans() {
    let errors = edited("academicSessions.csv", SESSIONS, "2024-12-21", "2024-12-32");
    assert_has(&errors, "academicSessions.csv", Some(3), Some("endDate"), "must be a date YYYY-MM-DD");
    let errors = edited("enrollments.csv", ENROLLMENTS, "2024-09-01", "01/09/2024");
    assert_has(&errors, "enrollments.csv", Some(8), Some("beginDate"), "found '01/09/2024'");
    let errors = edited("academicSessions.csv", SESSIONS, ",2025\nfall", ",25\nfall");
    assert_has(&errors, "academicSessions.csv", Some(2), Some("schoolYear"), "must be a year YYYY");
    let errors = edited("users.csv", USERS, "usr-a1,,,false", "usr-a1,,,no");
    assert_has(&errors, "users.csv", Some(6), Some("enabledUser"), "must be true or false");
    let errors = edited("enrollments.csv", ENROLLMENTS, "teacher,true", "teacher,TRUE");
    assert_has(&errors, "enrollments.csv", Some(2), Some("primary"), "found 'TRUE'");
}

#[test]
fn an_end_before_its_start() {
    let errors = edited("academicSessions.csv", SESSIONS, "2024-12-21", "2024-08-01");
    assert_has(&errors, "academicSessions.csv", Some(3), Some("endDate"), "is before startDate");
}

#[test]
fn status_and_date_last_modified_must_be_blank_in_bulk() {
    let errors = edited("orgs.csv", ORGS, "org-uni,,,", "org-uni,active,,");
    assert_has(&errors, "orgs.csv", Some(2), Some("status"), "must be blank in a bulk file");
    let errors = edited("orgs.csv", ORGS, "org-cs,,,", "org-cs,,2024-01-01T10:00:00.000Z,");
    assert_has(&errors, "orgs.csv", Some(3), Some("dateLastModified"), "must be blank in a bulk file");
    let errors = edited("orgs.csv", ORGS, "org-cs,,,", "org-cs,,2024-01-01 10:00,");
    assert_has(&errors, "orgs.csv", Some(3), Some("dateLastModified"), "YYYY-MM-DDTHH:MM:SS.sssZ");
    let errors = edited("orgs.csv", ORGS, "org-cs,,,", "org-cs,deleted,,");
    assert_has(&errors, "orgs.csv", Some(3), Some("status"), "one of { active | tobedeleted }");
}

#[test]
fn identifiers_and_lists_are_checked() {
    let errors = edited("enrollments.csv", ENROLLMENTS, "enr-1,", "enr 1,");
    assert_has(&errors, "enrollments.csv", Some(2), Some("sourcedId"), "found 'enr 1'");
    let errors = edited("classes.csv", CLASSES, "\"fall-2024,ay-2025\"", "\"fall-2024,,ay-2025\"");
    assert_has(&errors, "classes.csv", Some(3), Some("termSourcedIds"), "empty item");
    let errors = edited("users.csv", USERS, "{LDAP:jnunez}", "LDAP=jnunez");
    assert_has(&errors, "users.csv", Some(4), Some("userIds"), "{type:identifier}");
    let errors = edited("courses.csv", COURSES, "\"MATH,ALG\"", "MATH");
    assert_has(&errors, "courses.csv", Some(3), Some("subjectCodes"), "must be the same length");
}

#[test]
fn a_duplicate_sourced_id() {
    let errors = edited("enrollments.csv", ENROLLMENTS, "enr-8,", "enr-7,");
    assert_has(
        &errors,
        "enrollments.csv",
        Some(9),
        Some("sourcedId"),
        "'enr-7' is used twice in this file (first on line 8)",
    );
}

#[test]
fn dangling_references_across_files() {
    let errors = edited("enrollments.csv", ENROLLMENTS, "enr-6,,,cls-ma201-a", "enr-6,,,cls-nope");
    assert_has(
        &errors,
        "enrollments.csv",
        Some(7),
        Some("classSourcedId"),
        "'cls-nope', which is not a sourcedId in classes.csv",
    );
    let errors = edited("enrollments.csv", ENROLLMENTS, "org-uni,usr-s2,student,,2024", "org-uni,usr-s9,student,,2024");
    assert_has(&errors, "enrollments.csv", Some(8), Some("userSourcedId"), "'usr-s9'");
    let errors = edited("classes.csv", CLASSES, "ay-2025,Mathematics", "spring-2025,Mathematics");
    assert_has(&errors, "classes.csv", Some(4), Some("termSourcedIds"), "not a sourcedId in academicSessions.csv");
    let errors = edited("classes.csv", CLASSES, "B,,crs-cs101", "B,,crs-cs999");
    assert_has(&errors, "classes.csv", Some(3), Some("courseSourcedId"), "not a sourcedId in courses.csv");
    let errors = edited("classes.csv", CLASSES, "org-uni,ay-2025", "org-zz,ay-2025");
    assert_has(
        &errors,
        "classes.csv",
        Some(4),
        Some("schoolSourcedId"),
        "'org-zz', which is not a sourcedId in orgs.csv",
    );
    let errors = edited("courses.csv", COURSES, "MA201,,org-uni", "MA201,,org-x");
    assert_has(&errors, "courses.csv", Some(3), Some("orgSourcedId"), "not a sourcedId in orgs.csv");
    let errors = edited("users.csv", USERS, "org-cs,she/her", "org-gone,she/her");
    assert_has(&errors, "users.csv", Some(2), Some("primaryOrgSourcedId"), "'org-gone'");
    let errors = edited(
        "roles.csv",
        ROLES,
        "rol-s2,,,usr-s2,primary,student,,,org-uni",
        "rol-s2,,,usr-s2,primary,student,,,org-y",
    );
    assert_has(&errors, "roles.csv", Some(6), Some("orgSourcedId"), "'org-y'");
    let errors = edited("academicSessions.csv", SESSIONS, ",ay-2025,", ",ay-2099,");
    assert_has(&errors, "academicSessions.csv", Some(3), Some("parentSourcedId"), "'ay-2099'");
    let errors = edited("demographics.csv", DEMOGRAPHICS, "usr-s2,", "usr-s7,");
    assert_has(&errors, "demographics.csv", Some(3), Some("sourcedId"), "not a sourcedId in users.csv");
}

#[test]
fn a_reference_to_a_row_with_other_errors_is_not_also_dangling() {
    let errors = edited("classes.csv", CLASSES, "CS101-B,scheduled", "CS101-B,lecture");
    assert_eq!(errors.total(), 1, "{errors}");
}

#[test]
fn parent_cycles_and_double_primary_roles() {
    let errors = edited("orgs.csv", ORGS, "UN-001,", "UN-001,org-cs");
    assert_has(&errors, "orgs.csv", Some(2), Some("parentSourcedId"), "cycle: org-uni → org-cs → org-uni");
    let errors = edited("orgs.csv", ORGS, "UN-CS,org-uni", "UN-CS,org-cs");
    assert_has(&errors, "orgs.csv", Some(3), Some("parentSourcedId"), "cycle: org-cs → org-cs");
    let extra = format!("{ROLES}rol-dup,,,usr-s1,primary,teacher,,,org-uni,\n");
    let errors = errors_of(&with_file("roles.csv", &extra));
    assert_has(&errors, "roles.csv", Some(9), Some("roleType"), "already has a primary role in org 'org-uni' (line 5)");
}

#[test]
fn row_shape_problems() {
    let errors =
        edited("enrollments.csv", ENROLLMENTS, "enr-8,,,cls-ma201-a,org-uni,usr-s2,student,,,", "enr-8,,,cls-ma201-a");
    assert_has(&errors, "enrollments.csv", Some(9), None, "has 4 values but the header has 10 columns");
    let errors = edited("orgs.csv", ORGS, "Université du Nord", "\"Université\ndu Nord\"");
    assert_has(&errors, "orgs.csv", Some(2), Some("name"), "line break");
    let errors =
        errors_of(&with_file("orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"));
    assert_has(&errors, "orgs.csv", None, None, "has no data rows");
    let errors = errors_of(&with_file("orgs.csv", ""));
    assert_has(&errors, "orgs.csv", None, None, "the header row is required");
    let mut files = valid_files();
    let header_len = COURSES.find('\n').unwrap();
    let title = header_len + 1 + COURSES[header_len + 1..].find("Programming").unwrap();
    files.iter_mut().filter(|(n, _)| n == "courses.csv").for_each(|(_, bytes)| bytes[title] = 0xFF);
    let errors = errors_of(&files);
    assert_has(&errors, "courses.csv", Some(2), Some("title"), "is not valid UTF-8");
    assert_eq!(errors.total(), 1, "a broken row's sourcedId still counts as defined:\n{errors}");
    let errors = edited("orgs.csv", ORGS, "UN-CS,org-uni", "UN-CS,org-uni,extra");
    assert_has(&errors, "orgs.csv", Some(3), None, "has 8 values but the header has 7 columns");
    assert_eq!(errors.total(), 1, "{errors}");
}

#[test]
fn manifest_file_list_must_match_the_package() {
    let errors = errors_of(&without_file("courses.csv"));
    assert_has(
        &errors,
        "manifest.csv",
        Some(8),
        Some("value"),
        "file.courses is 'bulk' but courses.csv is not in the package",
    );
    assert_has(&errors, "classes.csv", None, None, "needs courses.csv");
    assert_has(&errors, "classes.csv", Some(2), Some("courseSourcedId"), "courses.csv is not in the package");
    assert_eq!(errors.errors.iter().filter(|e| e.column.as_deref() == Some("courseSourcedId")).count(), 1);

    let errors = edited("manifest.csv", MANIFEST, "file.demographics,bulk", "file.demographics,absent");
    assert_has(&errors, "demographics.csv", None, None, "manifest.csv does not declare file.demographics");

    let errors = errors_of(&without_file("manifest.csv"));
    assert_has(&errors, "manifest.csv", None, None, "is missing");

    let mut files = valid_files();
    files.push(("Users.csv".into(), USERS.as_bytes().to_vec()));
    assert_has(&errors_of(&files), "Users.csv", None, None, "not a OneRoster 1.2 file name");
}

#[test]
fn manifest_rows_are_checked() {
    let errors = edited("manifest.csv", MANIFEST, "oneroster.version,1.2", "oneroster.version,1.1");
    assert_has(&errors, "manifest.csv", Some(3), Some("value"), "oneroster.version must be '1.2', found '1.1'");
    let errors = edited("manifest.csv", MANIFEST, "file.scoreScales,absent\n", "");
    assert_has(&errors, "manifest.csv", None, None, "has no 'file.scoreScales' row");
    let errors = edited("manifest.csv", MANIFEST, "file.results,absent", "file.results,none");
    assert_has(&errors, "manifest.csv", Some(18), Some("value"), "{ absent | bulk | delta }");
    let errors = edited("manifest.csv", MANIFEST, "file.results,absent", "file.grades,absent");
    assert_has(
        &errors,
        "manifest.csv",
        Some(18),
        Some("propertyName"),
        "'file.grades' is not a OneRoster 1.2 manifest property",
    );
    let errors = edited("manifest.csv", MANIFEST, "propertyName,value", "property,value");
    assert_has(&errors, "manifest.csv", Some(1), Some("propertyName"), "wrong header");
}

#[test]
fn delta_mode_is_refused_clearly() {
    let errors = edited("manifest.csv", MANIFEST, "file.users,bulk", "file.users,delta");
    assert_has(&errors, "manifest.csv", Some(24), Some("value"), "delta packages are not supported yet");
    assert_eq!(errors.total(), 1, "a delta package should not be judged by bulk rules:\n{errors}");
}

#[test]
fn bulk_dependencies_of_appendix_a() {
    let manifest = MANIFEST.replace("file.roles,bulk", "file.roles,absent");
    let mut files = without_file("roles.csv");
    files.retain(|(n, _)| n != "manifest.csv");
    files.push(("manifest.csv".into(), manifest.into_bytes()));
    let errors = errors_of(&files);
    assert_has(&errors, "users.csv", None, None, "needs roles.csv in a bulk package");
}

#[test]
fn every_error_is_collected_not_only_the_first() {
    let mut files = with_file("orgs.csv", &ORGS.replace("school,UN-001", "college,UN-001"));
    for (name, bytes) in &mut files {
        if name == "users.csv" {
            *bytes = USERS.replace(",Magnus,", ",,").into_bytes();
        }
        if name == "enrollments.csv" {
            *bytes = ENROLLMENTS.replace("enr-8,", "enr-7,").into_bytes();
        }
    }
    let errors = errors_of(&files);
    assert_has(&errors, "orgs.csv", Some(2), Some("type"), "found 'college'");
    assert_has(&errors, "users.csv", Some(3), Some("givenName"), "is required");
    assert_has(&errors, "enrollments.csv", Some(9), Some("sourcedId"), "used twice");
    assert_eq!(errors.total(), 3, "{errors}");
    let shown = errors.to_string();
    assert!(shown.contains("users.csv line 3 (sourcedId usr-t2) column givenName: is required"), "{shown}");
}

#[test]
fn the_error_list_is_capped() {
    let mut text = ENROLLMENTS.to_owned();
    for i in 0..1_200 {
        text.push_str(&format!("bad-{i},,,cls-cs101-a,org-uni,usr-s1,pupil,,,\n"));
    }
    let errors = errors_of(&with_file("enrollments.csv", &text));
    assert_eq!(errors.errors.len(), MAX_ERRORS);
    assert_eq!(errors.omitted, 200);
    assert_eq!(errors.total(), 1_200);
    assert!(errors.to_string().ends_with("… and 200 more"));
}

#[test]
fn line_numbers_count_blank_lines_as_an_editor_does() {
    let text = ENROLLMENTS.replacen("\nenr-2,", "\n\nenr-2,", 1).replace("enr-8,", "enr-7,");
    let errors = errors_of(&with_file("enrollments.csv", &text));
    assert_has(&errors, "enrollments.csv", Some(10), Some("sourcedId"), "(first on line 9)");
}
