//! Tests of the OneRoster CSV binding on hand-written packages.
//!
//! The fixture is a small valid bulk package: an institution and one of its departments, a
//! school year with a semester in it, 2 courses, 3 classes, 5 users with roles, 8 enrollments
//! and 2 demographics rows. Broken packages are made by editing one file of it.

mod broken;
mod roundtrip;
mod valid;

use super::{ImportError, ImportErrors, parse_package};

pub(super) const MANIFEST: &str = "\
propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.academicSessions,bulk
file.categories,absent
file.classes,bulk
file.classResources,absent
file.courses,bulk
file.courseResources,absent
file.demographics,bulk
file.enrollments,bulk
file.lineItemLearningObjectiveIds,absent
file.lineItems,absent
file.lineItemScoreScales,absent
file.orgs,bulk
file.resources,absent
file.resultLearningObjectiveIds,absent
file.results,absent
file.resultScoreScales,absent
file.roles,bulk
file.scoreScales,absent
file.userProfiles,absent
file.userResources,absent
file.users,bulk
source.systemName,Campus SIS
source.systemCode,CSIS
";

pub(super) const ORGS: &str = "\
sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
org-uni,,,Université du Nord,school,UN-001,
org-cs,,,\"Computing, Data & AI\",department,UN-CS,org-uni
";

pub(super) const SESSIONS: &str = "\
sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear
ay-2025,,,2024–2025,schoolYear,2024-08-15,2025-06-01,,2025
fall-2024,,,Fall 2024,semester,2024-08-15,2024-12-21,ay-2025,2025
";

pub(super) const COURSES: &str = "\
sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes
crs-cs101,,,ay-2025,\"Programming, Part 1\",CS101,\"13,14\",org-cs,Computer Science,CS
crs-ma201,,,,Linear Algebra,MA201,,org-uni,\"Mathematics,Algebra\",\"MATH,ALG\"
";

pub(super) const CLASSES: &str = "\
sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
cls-cs101-a,,,CS101 Section A,13,crs-cs101,CS101-A,scheduled,\"Hall 2, Room 10\",org-uni,fall-2024,,,\"1,3,5\"
cls-cs101-b,,,CS101 Section B,,crs-cs101,CS101-B,scheduled,,org-uni,\"fall-2024,ay-2025\",,,
cls-ma201-a,,,Linear Algebra seminar,,crs-ma201,,ext:seminar,,org-uni,ay-2025,Mathematics,MATH,2
";

pub(super) const USERS: &str = "\
sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns,metadata.qobe.program
usr-t1,,,true,zobrien,\"{LDAP:zobrien},{LTI:42}\",Zoë,O'Brien,,T-001,zoe@un.example,,,,,,,,,,org-cs,she/her,
usr-t2,,,true,mkarlsson,,Magnus,Karlsson,Erik,T-002,magnus@un.example,,+46 8 123,,,,,,,,org-uni,,
usr-s1,,,true,jnunez,{LDAP:jnunez},José,Núñez,,S-001,jose@un.example,,,,13,,MASTER-1,Pepe,,,org-uni,,BSc CS
usr-s2,,,true,wli,,Wei,\"Li \"\"Vivian\"\"\",,S-002,,,,,14,,,,,,org-uni,,\"BSc Maths, Minor CS\"
usr-a1,,,false,admin1,,Aïcha,Benali,,A-001,aicha@un.example,,,,,secret,,,,,org-uni,,
";

pub(super) const ROLES: &str = "\
sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId
rol-t1,,,usr-t1,primary,teacher,2024-08-15,,org-uni,
rol-t1-cs,,,usr-t1,primary,teacher,,,org-cs,
rol-t2,,,usr-t2,primary,teacher,,,org-uni,
rol-s1,,,usr-s1,primary,student,2022-09-01,2026-07-01,org-uni,
rol-s2,,,usr-s2,primary,student,,,org-uni,
rol-a1,,,usr-a1,primary,siteAdministrator,,,org-uni,
rol-a1-b,,,usr-a1,secondary,teacher,,,org-uni,
";

pub(super) const DEMOGRAPHICS: &str = "\
sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus
usr-s1,,,2004-03-09,male,,,,,,,true,ES,,Sevilla,
usr-s2,,,2005-11-30,ext:undisclosed,false,true,false,false,false,false,false,,,,
";

pub(super) const ENROLLMENTS: &str = "\
sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
enr-1,,,cls-cs101-a,org-uni,usr-t1,teacher,true,,
enr-2,,,cls-cs101-b,org-uni,usr-t1,teacher,true,,
enr-3,,,cls-ma201-a,org-uni,usr-t2,teacher,true,2024-08-15,2025-06-01
enr-4,,,cls-cs101-a,org-uni,usr-s1,student,,,
enr-5,,,cls-cs101-b,org-uni,usr-s1,student,false,,
enr-6,,,cls-ma201-a,org-uni,usr-s1,student,,,
enr-7,,,cls-cs101-a,org-uni,usr-s2,student,,2024-09-01,
enr-8,,,cls-ma201-a,org-uni,usr-s2,student,,,
";

/// The valid fixture as the (name, bytes) pairs an unzipped upload would give.
pub(super) fn valid_files() -> Vec<(String, Vec<u8>)> {
    [
        ("manifest.csv", MANIFEST),
        ("orgs.csv", ORGS),
        ("academicSessions.csv", SESSIONS),
        ("courses.csv", COURSES),
        ("classes.csv", CLASSES),
        ("users.csv", USERS),
        ("roles.csv", ROLES),
        ("demographics.csv", DEMOGRAPHICS),
        ("enrollments.csv", ENROLLMENTS),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text.as_bytes().to_vec()))
    .collect()
}

/// The fixture with `name` replaced by `text` (or added if missing).
pub(super) fn with_file(name: &str, text: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = valid_files().into_iter().filter(|(n, _)| n != name).collect();
    files.push((name.to_owned(), text.as_bytes().to_vec()));
    files
}

/// The fixture without `name`.
pub(super) fn without_file(name: &str) -> Vec<(String, Vec<u8>)> {
    valid_files().into_iter().filter(|(n, _)| n != name).collect()
}

/// The errors of a package that must not import.
pub(super) fn errors_of(files: &[(String, Vec<u8>)]) -> ImportErrors {
    match parse_package(files) {
        Ok(package) => panic!("expected the package to be rejected, got {package:#?}"),
        Err(errors) => errors,
    }
}

/// Asserts one of `errors` is in `file` at `line` and `column` with `needle` in its message.
#[track_caller]
pub(super) fn assert_has(errors: &ImportErrors, file: &str, line: Option<u64>, column: Option<&str>, needle: &str) {
    let found = errors.errors.iter().any(|e: &ImportError| {
        e.file == file && e.line == line && e.column.as_deref() == column && e.message.contains(needle)
    });
    assert!(found, "no error in {file} at line {line:?} column {column:?} containing {needle:?}; got:\n{errors}");
}
