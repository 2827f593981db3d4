//! Facts taken from the OneRoster 1.2.1 CSV binding (1EdTech, Final Release, 31 Jan 2023):
//! file names, the fixed column order of each file, the manifest's rows and the bulk file
//! dependencies of Appendix A. Kept in one place so the reader and the writer cannot disagree.

/// The control file every package must contain.
pub const MANIFEST: &str = "manifest.csv";
/// The manifest's two columns, in order.
pub const MANIFEST_COLUMNS: &[&str] = &["propertyName", "value"];
/// The only `manifest.version` this binding defines.
pub const MANIFEST_VERSION: &str = "1.0";
/// The `oneroster.version` of the files this module reads and writes.
pub const ONEROSTER_VERSION: &str = "1.2";

/// File name of orgs.csv.
pub const ORGS: &str = "orgs.csv";
/// File name of academicSessions.csv.
pub const ACADEMIC_SESSIONS: &str = "academicSessions.csv";
/// File name of courses.csv.
pub const COURSES: &str = "courses.csv";
/// File name of classes.csv.
pub const CLASSES: &str = "classes.csv";
/// File name of users.csv.
pub const USERS: &str = "users.csv";
/// File name of roles.csv.
pub const ROLES: &str = "roles.csv";
/// File name of userProfiles.csv.
pub const USER_PROFILES: &str = "userProfiles.csv";
/// File name of demographics.csv.
pub const DEMOGRAPHICS: &str = "demographics.csv";
/// File name of enrollments.csv.
pub const ENROLLMENTS: &str = "enrollments.csv";

/// Every data file of OneRoster 1.2, by the name used in `file.<name>` manifest rows, in the
/// manifest's order (Table 3.1). The file itself is `<name>.csv`.
pub const ALL_DATA_FILES: &[&str] = &[
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
];

/// The data files this module understands (rostering); the others are gradebook and resources
/// files, which an import skips and reports in `RosterPackage::skipped_files`.
pub const SUPPORTED_FILES: &[&str] =
    &[ORGS, ACADEMIC_SESSIONS, COURSES, CLASSES, USERS, ROLES, USER_PROFILES, DEMOGRAPHICS, ENROLLMENTS];

/// Files that a bulk package must also contain when it contains the key file: the direct "R"
/// entries of Appendix A (Table A1) among the supported files. Indirect ones follow because each
/// required file is itself checked.
pub const REQUIRED_FILES: &[(&str, &[&str])] = &[
    (CLASSES, &[ACADEMIC_SESSIONS, COURSES, ORGS]),
    (COURSES, &[ORGS]),
    (DEMOGRAPHICS, &[USERS]),
    (ENROLLMENTS, &[CLASSES, ORGS, USERS]),
    (ROLES, &[ORGS, USERS]),
    (USER_PROFILES, &[USERS]),
    (USERS, &[ORGS, ROLES]),
];

/// Header of orgs.csv in the binding's fixed order.
pub const ORGS_COLUMNS: &[&str] =
    &["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"];

/// Header of academicSessions.csv in the binding's fixed order.
pub const ACADEMIC_SESSIONS_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "type",
    "startDate",
    "endDate",
    "parentSourcedId",
    "schoolYear",
];

/// Header of courses.csv in the binding's fixed order.
pub const COURSES_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "schoolYearSourcedId",
    "title",
    "courseCode",
    "grades",
    "orgSourcedId",
    "subjects",
    "subjectCodes",
];

/// Header of classes.csv in the binding's fixed order.
pub const CLASSES_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "grades",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "subjects",
    "subjectCodes",
    "periods",
];

/// Header of users.csv in the binding's fixed order.
pub const USERS_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
];

/// Header of roles.csv in the binding's fixed order.
pub const ROLES_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "roleType",
    "role",
    "beginDate",
    "endDate",
    "orgSourcedId",
    "userProfileSourcedId",
];

/// Header of userProfiles.csv in the binding's fixed order.
pub const USER_PROFILES_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "userSourcedId",
    "profileType",
    "vendorId",
    "applicationId",
    "description",
    "credentialType",
    "username",
    "password",
];

/// Header of demographics.csv in the binding's fixed order.
pub const DEMOGRAPHICS_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
];

/// Header of enrollments.csv in the binding's fixed order.
pub const ENROLLMENTS_COLUMNS: &[&str] = &[
    "sourcedId",
    "status",
    "dateLastModified",
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
];

/// Longest GUID the binding allows ("must be less than 256 characters").
pub const MAX_GUID_LEN: usize = 255;

/// Whether `value` is a GUID as the binding defines it: 1–255 characters drawn only from
/// `0-9 a-z A-Z . - _ / @`.
pub fn is_guid(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_GUID_LEN
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'@'))
}
