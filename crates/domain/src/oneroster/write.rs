//! Exporting a package: manifest.csv plus one file per non-empty record list, each with the
//! binding's column order, RFC 4180 quoting and CRLF line ends.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::enums::{RecordStatus, Vocabulary};
use super::records::{
    AcademicSession, Class, Course, Demographics, Enrollment, ExternalUserId, Metadata, Org, Password, Role,
    RosterPackage, User, UserProfile,
};
use super::spec::{
    ACADEMIC_SESSIONS, ACADEMIC_SESSIONS_COLUMNS, ALL_DATA_FILES, CLASSES, CLASSES_COLUMNS, COURSES, COURSES_COLUMNS,
    DEMOGRAPHICS, DEMOGRAPHICS_COLUMNS, ENROLLMENTS, ENROLLMENTS_COLUMNS, MANIFEST, MANIFEST_COLUMNS, MANIFEST_VERSION,
    ONEROSTER_VERSION, ORGS, ORGS_COLUMNS, ROLES, ROLES_COLUMNS, USER_PROFILES, USER_PROFILES_COLUMNS, USERS,
    USERS_COLUMNS,
};

/// Writes `package` as the files of a OneRoster 1.2 CSV package, manifest first, ready to be
/// zipped at the root. Empty record lists become `absent` files; `skipped_files` are not written.
///
/// What the binding cannot represent is normalised rather than refused: line breaks inside
/// values become spaces, and list items lose commas (as the binding prescribes for subjects) and
/// surrounding spaces. A package read by [`parse_package`](super::parse_package) never holds
/// such values, so writing it and reading the result gives back an equal package.
///
/// A file whose records carry `status` or `dateLastModified` is declared `delta`, since bulk
/// files must leave those columns blank.
pub fn write_package(package: &RosterPackage) -> Vec<(String, Vec<u8>)> {
    let data = [
        table(ORGS, ORGS_COLUMNS, &package.orgs),
        table(ACADEMIC_SESSIONS, ACADEMIC_SESSIONS_COLUMNS, &package.academic_sessions),
        table(COURSES, COURSES_COLUMNS, &package.courses),
        table(CLASSES, CLASSES_COLUMNS, &package.classes),
        table(USERS, USERS_COLUMNS, &package.users),
        table(ROLES, ROLES_COLUMNS, &package.roles),
        table(USER_PROFILES, USER_PROFILES_COLUMNS, &package.user_profiles),
        table(DEMOGRAPHICS, DEMOGRAPHICS_COLUMNS, &package.demographics),
        table(ENROLLMENTS, ENROLLMENTS_COLUMNS, &package.enrollments),
    ];
    let written: Vec<Written> = data.into_iter().flatten().collect();

    let mut manifest = vec![row([MANIFEST_COLUMNS[0], MANIFEST_COLUMNS[1]].map(str::to_owned))];
    manifest.push(row(["manifest.version".to_owned(), MANIFEST_VERSION.to_owned()]));
    manifest.push(row(["oneroster.version".to_owned(), ONEROSTER_VERSION.to_owned()]));
    for name in ALL_DATA_FILES {
        let file = format!("{name}.csv");
        let mode = match written.iter().find(|w| w.file == file) {
            Some(w) if w.delta => "delta",
            Some(_) => "bulk",
            None => "absent",
        };
        manifest.push(row([format!("file.{name}"), mode.to_owned()]));
    }
    if let Some(name) = &package.source_system_name {
        manifest.push(row(["source.systemName".to_owned(), text(name)]));
    }
    if let Some(code) = &package.source_system_code {
        manifest.push(row(["source.systemCode".to_owned(), text(code)]));
    }

    let mut files = vec![(MANIFEST.to_owned(), manifest.concat().into_bytes())];
    files.extend(written.into_iter().map(|w| (w.file, w.bytes)));
    files
}

struct Written {
    file: String,
    bytes: Vec<u8>,
    delta: bool,
}

/// What the writer needs from every record type: the three columns all files start with, the
/// file's own columns after them, and the extension values.
trait CsvRecord {
    fn common(&self) -> (&str, Option<RecordStatus>, Option<DateTime<Utc>>, &Metadata);
    fn cells(&self) -> Vec<String>;
}

macro_rules! csv_record {
    ($($record:ty => $cells:ident),+ $(,)?) => {
        $(impl CsvRecord for $record {
            fn common(&self) -> (&str, Option<RecordStatus>, Option<DateTime<Utc>>, &Metadata) {
                (&self.sourced_id, self.status, self.date_last_modified, &self.metadata)
            }

            fn cells(&self) -> Vec<String> {
                $cells(self)
            }
        })+
    };
}

csv_record! {
    Org => org_cells,
    AcademicSession => session_cells,
    Course => course_cells,
    Class => class_cells,
    User => user_cells,
    Role => role_cells,
    UserProfile => profile_cells,
    Demographics => demographics_cells,
    Enrollment => enrollment_cells,
}

/// One file: the defined columns, then the extension columns any record uses (sorted by name).
fn table<T: CsvRecord>(file: &str, columns: &[&str], records: &[T]) -> Option<Written> {
    if records.is_empty() {
        return None;
    }
    let extensions: BTreeSet<&str> = records
        .iter()
        .flat_map(|record| record.common().3.keys())
        .map(String::as_str)
        .filter(|name| !name.trim().is_empty() && !columns.contains(name))
        .collect();
    let mut out = row(columns.iter().chain(&extensions).map(|name| text(name)));
    let mut delta = false;
    for record in records {
        let (sourced_id, status, modified, metadata) = record.common();
        delta |= status.is_some() || modified.is_some();
        let mut values = vec![
            text(sourced_id),
            status.map_or_else(String::new, |s| s.as_csv().to_owned()),
            modified.map_or_else(String::new, date_time),
        ];
        values.extend(record.cells());
        values.extend(extensions.iter().map(|name| metadata.get(*name).map_or_else(String::new, |v| text(v))));
        out.push_str(&row(values));
    }
    Some(Written { file: file.to_owned(), bytes: out.into_bytes(), delta })
}

fn org_cells(r: &Org) -> Vec<String> {
    vec![text(&r.name), vocab(&r.r#type), opt(&r.identifier), opt(&r.parent_sourced_id)]
}

fn session_cells(r: &AcademicSession) -> Vec<String> {
    vec![
        text(&r.title),
        vocab(&r.r#type),
        date(r.start_date),
        date(r.end_date),
        opt(&r.parent_sourced_id),
        format!("{:04}", r.school_year),
    ]
}

fn course_cells(r: &Course) -> Vec<String> {
    vec![
        opt(&r.school_year_sourced_id),
        text(&r.title),
        opt(&r.course_code),
        list(&r.grades),
        text(&r.org_sourced_id),
        list(&r.subjects),
        list(&r.subject_codes),
    ]
}

fn class_cells(r: &Class) -> Vec<String> {
    vec![
        text(&r.title),
        list(&r.grades),
        text(&r.course_sourced_id),
        opt(&r.class_code),
        vocab(&r.class_type),
        opt(&r.location),
        text(&r.school_sourced_id),
        list(&r.term_sourced_ids),
        list(&r.subjects),
        list(&r.subject_codes),
        list(&r.periods),
    ]
}

fn user_cells(r: &User) -> Vec<String> {
    vec![
        boolean(r.enabled_user),
        text(&r.username),
        user_ids(&r.user_ids),
        text(&r.given_name),
        text(&r.family_name),
        opt(&r.middle_name),
        opt(&r.identifier),
        opt(&r.email),
        opt(&r.sms),
        opt(&r.phone),
        list(&r.agent_sourced_ids),
        list(&r.grades),
        password(&r.password),
        opt(&r.user_master_identifier),
        opt(&r.preferred_given_name),
        opt(&r.preferred_middle_name),
        opt(&r.preferred_family_name),
        opt(&r.primary_org_sourced_id),
        opt(&r.pronouns),
    ]
}

fn role_cells(r: &Role) -> Vec<String> {
    vec![
        text(&r.user_sourced_id),
        vocab(&r.role_type),
        vocab(&r.role),
        opt_date(r.begin_date),
        opt_date(r.end_date),
        text(&r.org_sourced_id),
        opt(&r.user_profile_sourced_id),
    ]
}

fn profile_cells(r: &UserProfile) -> Vec<String> {
    vec![
        text(&r.user_sourced_id),
        text(&r.profile_type),
        text(&r.vendor_id),
        opt(&r.application_id),
        opt(&r.description),
        text(&r.credential_type),
        text(&r.username),
        password(&r.password),
    ]
}

fn demographics_cells(r: &Demographics) -> Vec<String> {
    vec![
        opt_date(r.birth_date),
        r.sex.as_ref().map_or_else(String::new, vocab),
        opt_bool(r.american_indian_or_alaska_native),
        opt_bool(r.asian),
        opt_bool(r.black_or_african_american),
        opt_bool(r.native_hawaiian_or_other_pacific_islander),
        opt_bool(r.white),
        opt_bool(r.demographic_race_two_or_more_races),
        opt_bool(r.hispanic_or_latino_ethnicity),
        opt(&r.country_of_birth_code),
        opt(&r.state_of_birth_abbreviation),
        opt(&r.city_of_birth),
        opt(&r.public_school_residence_status),
    ]
}

fn enrollment_cells(r: &Enrollment) -> Vec<String> {
    vec![
        text(&r.class_sourced_id),
        text(&r.school_sourced_id),
        text(&r.user_sourced_id),
        vocab(&r.role),
        opt_bool(r.primary),
        opt_date(r.begin_date),
        opt_date(r.end_date),
    ]
}

/// A value as the binding allows it: no line breaks inside a value.
fn text(value: &str) -> String {
    value.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

fn opt(value: &Option<String>) -> String {
    value.as_deref().map_or_else(String::new, text)
}

fn password(value: &Option<Password>) -> String {
    value.as_ref().map_or_else(String::new, |p| text(&p.0))
}

fn vocab<V: Vocabulary>(value: &V) -> String {
    text(value.as_csv())
}

fn list_item(item: &str) -> String {
    text(item).replace(',', "").trim().to_owned()
}

fn list(items: &[String]) -> String {
    items.iter().map(|item| list_item(item)).filter(|item| !item.is_empty()).collect::<Vec<_>>().join(",")
}

fn user_ids(ids: &[ExternalUserId]) -> String {
    let items: Vec<String> =
        ids.iter().map(|id| format!("{{{}:{}}}", list_item(&id.r#type), list_item(&id.identifier))).collect();
    items.join(",")
}

fn date(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

fn opt_date(value: Option<NaiveDate>) -> String {
    value.map_or_else(String::new, date)
}

fn date_time(value: DateTime<Utc>) -> String {
    value.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn boolean(value: bool) -> String {
    if value { "true" } else { "false" }.to_owned()
}

fn opt_bool(value: Option<bool>) -> String {
    value.map_or_else(String::new, boolean)
}

/// One CSV line: values quoted when they hold a comma or a double quote, ended by CRLF.
fn row<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> String {
    let mut out = crate::csv_out::CsvWriter::crlf();
    out.record(values);
    out.into_string()
}
