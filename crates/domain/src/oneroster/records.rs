//! Typed rows of the OneRoster 1.2 rostering files, one struct per file.
//!
//! Field names follow the binding's column names (in snake case) so a reader can map any field
//! back to the specification; blank optional values are `None` and list columns are `Vec`s
//! (empty when blank). The app layer maps these onto its own tables: nothing here knows about
//! QOBE's ids.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::enums::{ClassType, EnrollmentRole, OrgType, RecordStatus, RoleKind, RoleType, SessionType, Sex};

/// Extension ("metadata") columns of a row, by column header, holding only non-blank values.
/// The binding lets producers add such columns to the right of the defined ones.
pub type Metadata = BTreeMap<String, String>;

/// A credential from users.csv or userProfiles.csv. Its `Debug` output is redacted so a record
/// can be logged without leaking the value.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// One entry of users.csv `userIds`, written `{type:identifier}`, e.g. `{LDAP:jdoe}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExternalUserId {
    /// The kind of identifier, e.g. `LDAP` or `LTI`.
    pub r#type: String,
    /// The identifier within that kind.
    pub identifier: String,
}

/// A row of orgs.csv: a district, school, department or other organisation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Org {
    pub sourced_id: String,
    /// Blank (`None`) in bulk files.
    pub status: Option<RecordStatus>,
    /// Blank (`None`) in bulk files.
    pub date_last_modified: Option<DateTime<Utc>>,
    pub name: String,
    pub r#type: OrgType,
    pub identifier: Option<String>,
    /// The org above this one, in the same file.
    pub parent_sourced_id: Option<String>,
    pub metadata: Metadata,
}

/// A row of academicSessions.csv: a school year, semester, term or grading period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AcademicSession {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub title: String,
    pub r#type: SessionType,
    /// Inclusive.
    pub start_date: NaiveDate,
    /// Exclusive.
    pub end_date: NaiveDate,
    /// The session this one is part of, in the same file.
    pub parent_sourced_id: Option<String>,
    /// The year in which the school year ends.
    pub school_year: u16,
    pub metadata: Metadata,
}

/// A row of courses.csv: a course offered by an org, of which classes are instances.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Course {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    /// An academic session of type `schoolYear`.
    pub school_year_sourced_id: Option<String>,
    pub title: String,
    pub course_code: Option<String>,
    pub grades: Vec<String>,
    pub org_sourced_id: String,
    pub subjects: Vec<String>,
    /// Same length and order as `subjects` when both are given.
    pub subject_codes: Vec<String>,
    pub metadata: Metadata,
}

/// A row of classes.csv: one teaching instance of a course in some terms (a section).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Class {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub title: String,
    pub grades: Vec<String>,
    pub course_sourced_id: String,
    pub class_code: Option<String>,
    pub class_type: ClassType,
    pub location: Option<String>,
    /// The org that teaches the class.
    pub school_sourced_id: String,
    /// At least one academic session.
    pub term_sourced_ids: Vec<String>,
    pub subjects: Vec<String>,
    pub subject_codes: Vec<String>,
    pub periods: Vec<String>,
    pub metadata: Metadata,
}

/// A row of users.csv: a person. In OneRoster 1.2 a user's roles and orgs are in roles.csv.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    /// `false` keeps the record but curtails system access.
    pub enabled_user: bool,
    pub username: String,
    pub user_ids: Vec<ExternalUserId>,
    pub given_name: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    pub identifier: Option<String>,
    pub email: Option<String>,
    pub sms: Option<String>,
    pub phone: Option<String>,
    /// Related users (usually parents or guardians), in the same file.
    pub agent_sourced_ids: Vec<String>,
    /// The binding types this column as a string; it is read as a comma-separated list like the
    /// other `grades` columns, so a single grade is a one-element list.
    pub grades: Vec<String>,
    pub password: Option<Password>,
    pub user_master_identifier: Option<String>,
    pub preferred_given_name: Option<String>,
    pub preferred_middle_name: Option<String>,
    pub preferred_family_name: Option<String>,
    pub primary_org_sourced_id: Option<String>,
    pub pronouns: Option<String>,
    pub metadata: Metadata,
}

/// A row of roles.csv: a role a user holds within an org.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Role {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub user_sourced_id: String,
    pub role_type: RoleType,
    pub role: RoleKind,
    /// Inclusive.
    pub begin_date: Option<NaiveDate>,
    /// Exclusive.
    pub end_date: Option<NaiveDate>,
    pub org_sourced_id: String,
    pub user_profile_sourced_id: Option<String>,
    pub metadata: Metadata,
}

/// A row of userProfiles.csv: an account of a user in some other system or tool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserProfile {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub user_sourced_id: String,
    pub profile_type: String,
    pub vendor_id: String,
    pub application_id: Option<String>,
    pub description: Option<String>,
    pub credential_type: String,
    pub username: String,
    pub password: Option<Password>,
    pub metadata: Metadata,
}

/// A row of demographics.csv; its `sourced_id` is that of the user it describes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Demographics {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub american_indian_or_alaska_native: Option<bool>,
    pub asian: Option<bool>,
    pub black_or_african_american: Option<bool>,
    pub native_hawaiian_or_other_pacific_islander: Option<bool>,
    pub white: Option<bool>,
    pub demographic_race_two_or_more_races: Option<bool>,
    pub hispanic_or_latino_ethnicity: Option<bool>,
    pub country_of_birth_code: Option<String>,
    pub state_of_birth_abbreviation: Option<String>,
    pub city_of_birth: Option<String>,
    pub public_school_residence_status: Option<String>,
    pub metadata: Metadata,
}

/// A row of enrollments.csv: a user's place in a class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Enrollment {
    pub sourced_id: String,
    pub status: Option<RecordStatus>,
    pub date_last_modified: Option<DateTime<Utc>>,
    pub class_sourced_id: String,
    pub school_sourced_id: String,
    pub user_sourced_id: String,
    pub role: EnrollmentRole,
    /// Whether this is the class's primary teacher; meaningful for teachers only.
    pub primary: Option<bool>,
    /// Inclusive.
    pub begin_date: Option<NaiveDate>,
    /// Exclusive.
    pub end_date: Option<NaiveDate>,
    pub metadata: Metadata,
}

/// A whole, validated bulk roster: what one import delivers or one export writes.
///
/// Every reference between records resolves inside the package (bulk files must be semantically
/// complete), so the app layer can insert it in one transaction in dependency order. An empty
/// list means the file is absent from the package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterPackage {
    /// manifest.csv `source.systemName`.
    pub source_system_name: Option<String>,
    /// manifest.csv `source.systemCode`.
    pub source_system_code: Option<String>,
    pub orgs: Vec<Org>,
    pub academic_sessions: Vec<AcademicSession>,
    pub courses: Vec<Course>,
    pub classes: Vec<Class>,
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub user_profiles: Vec<UserProfile>,
    pub demographics: Vec<Demographics>,
    pub enrollments: Vec<Enrollment>,
    /// Files the manifest lists that this module does not read (gradebook and resources files),
    /// so a preview can say they were not imported. Never written by an export.
    pub skipped_files: Vec<String>,
}
