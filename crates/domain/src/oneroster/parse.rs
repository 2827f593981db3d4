//! Importing a package: manifest, each data file, then the checks across files.

use std::collections::HashMap;

use super::enums::FileMode;
use super::errors::ImportErrors;
use super::manifest::{Manifest, read_manifest};
use super::reader::{Row, read_table};
use super::records::{
    AcademicSession, Class, Course, Demographics, Enrollment, Org, Role, RosterPackage, User, UserProfile,
};
use super::spec::{
    ACADEMIC_SESSIONS, ACADEMIC_SESSIONS_COLUMNS, ALL_DATA_FILES, CLASSES, CLASSES_COLUMNS, COURSES, COURSES_COLUMNS,
    DEMOGRAPHICS, DEMOGRAPHICS_COLUMNS, ENROLLMENTS, ENROLLMENTS_COLUMNS, MANIFEST, ORGS, ORGS_COLUMNS, REQUIRED_FILES,
    ROLES, ROLES_COLUMNS, SUPPORTED_FILES, USER_PROFILES, USER_PROFILES_COLUMNS, USERS, USERS_COLUMNS,
};
use super::{rows, validate};

/// Whether a file's sourcedIds are known, for checking references to them.
pub(super) enum FileState {
    /// Not in the package: references to it cannot resolve.
    Absent,
    /// Present but its header was unusable, already reported: references to it are not checked.
    Unreadable,
    /// Every non-blank sourcedId in the file with the line it is on, including rows that had
    /// other errors, so one bad row does not also break every reference to it.
    Read(HashMap<String, u64>),
}

/// One data file's records, each with the line it came from.
pub(super) struct Parsed<T> {
    pub state: FileState,
    pub rows: Vec<(u64, T)>,
}

impl<T> Parsed<T> {
    fn absent() -> Self {
        Parsed { state: FileState::Absent, rows: Vec::new() }
    }

    fn into_records(self) -> Vec<T> {
        self.rows.into_iter().map(|(_, record)| record).collect()
    }
}

/// All supported files of one package, as read.
pub(super) struct Files {
    pub orgs: Parsed<Org>,
    pub academic_sessions: Parsed<AcademicSession>,
    pub courses: Parsed<Course>,
    pub classes: Parsed<Class>,
    pub users: Parsed<User>,
    pub roles: Parsed<Role>,
    pub user_profiles: Parsed<UserProfile>,
    pub demographics: Parsed<Demographics>,
    pub enrollments: Parsed<Enrollment>,
}

/// Reads and validates a OneRoster 1.2 CSV package given as (file name, contents) pairs, as
/// unpacked from its zip file (names at the root, e.g. `users.csv`).
///
/// The import is all-or-nothing: any problem anywhere makes the whole package an `Err` listing
/// every problem found (up to [`MAX_ERRORS`](super::MAX_ERRORS)), each naming its file, line and
/// column. Only bulk files are supported; a manifest declaring any delta file is rejected.
/// Gradebook and resources files are not read and are listed in
/// [`RosterPackage::skipped_files`].
pub fn parse_package(files: &[(String, Vec<u8>)]) -> Result<RosterPackage, ImportErrors> {
    let mut errors = ImportErrors::default();
    let contents = index_files(files, &mut errors);
    let Some(manifest_bytes) = contents.get(MANIFEST) else {
        errors.in_file(MANIFEST, "is missing; every OneRoster 1.1/1.2 package must contain manifest.csv");
        return Err(errors);
    };
    let Some(manifest) = read_manifest(manifest_bytes, &mut errors) else {
        return Err(errors);
    };
    if reject_delta(&manifest, &mut errors) {
        return Err(errors);
    }
    let skipped_files = check_file_list(&manifest, &contents, &mut errors);

    let input =
        |file: &'static str, columns: &'static [&'static str]| contents.get(file).map(|bytes| (file, *bytes, columns));
    let parsed = Files {
        orgs: parse_file(input(ORGS, ORGS_COLUMNS), &mut errors, rows::org),
        academic_sessions: parse_file(
            input(ACADEMIC_SESSIONS, ACADEMIC_SESSIONS_COLUMNS),
            &mut errors,
            rows::academic_session,
        ),
        courses: parse_file(input(COURSES, COURSES_COLUMNS), &mut errors, rows::course),
        classes: parse_file(input(CLASSES, CLASSES_COLUMNS), &mut errors, rows::class),
        users: parse_file(input(USERS, USERS_COLUMNS), &mut errors, rows::user),
        roles: parse_file(input(ROLES, ROLES_COLUMNS), &mut errors, rows::role),
        user_profiles: parse_file(input(USER_PROFILES, USER_PROFILES_COLUMNS), &mut errors, rows::user_profile),
        demographics: parse_file(input(DEMOGRAPHICS, DEMOGRAPHICS_COLUMNS), &mut errors, rows::demographics),
        enrollments: parse_file(input(ENROLLMENTS, ENROLLMENTS_COLUMNS), &mut errors, rows::enrollment),
    };
    check_required_files(&contents, &mut errors);
    validate::cross_check(&parsed, &mut errors);
    if !errors.is_empty() {
        name_records(&parsed, &mut errors);
        return Err(errors);
    }
    Ok(RosterPackage {
        source_system_name: manifest.source_system_name,
        source_system_code: manifest.source_system_code,
        orgs: parsed.orgs.into_records(),
        academic_sessions: parsed.academic_sessions.into_records(),
        courses: parsed.courses.into_records(),
        classes: parsed.classes.into_records(),
        users: parsed.users.into_records(),
        roles: parsed.roles.into_records(),
        user_profiles: parsed.user_profiles.into_records(),
        demographics: parsed.demographics.into_records(),
        enrollments: parsed.enrollments.into_records(),
        skipped_files,
    })
}

/// Names, beside each error on a line, the sourcedId of the record on that line.
fn name_records(parsed: &Files, errors: &mut ImportErrors) {
    let states = [
        (ORGS, &parsed.orgs.state),
        (ACADEMIC_SESSIONS, &parsed.academic_sessions.state),
        (COURSES, &parsed.courses.state),
        (CLASSES, &parsed.classes.state),
        (USERS, &parsed.users.state),
        (ROLES, &parsed.roles.state),
        (USER_PROFILES, &parsed.user_profiles.state),
        (DEMOGRAPHICS, &parsed.demographics.state),
        (ENROLLMENTS, &parsed.enrollments.state),
    ];
    let mut by_line: HashMap<(&str, u64), &str> = HashMap::new();
    for (file, state) in states {
        if let FileState::Read(ids) = state {
            for (id, line) in ids {
                by_line.insert((file, *line), id.as_str());
            }
        }
    }
    for error in &mut errors.errors {
        if let Some(line) = error.line {
            error.sourced_id = by_line.get(&(error.file.as_str(), line)).map(|id| (*id).to_owned());
        }
    }
}

/// Maps file names to contents, rejecting repeated and unknown names.
fn index_files<'a>(files: &'a [(String, Vec<u8>)], errors: &mut ImportErrors) -> HashMap<&'a str, &'a [u8]> {
    let mut contents = HashMap::new();
    for (name, bytes) in files {
        let known = name == MANIFEST || ALL_DATA_FILES.iter().any(|f| name.strip_suffix(".csv") == Some(*f));
        if !known {
            errors.in_file(name, "is not a OneRoster 1.2 file name (names are case-sensitive and must be at the root)");
        } else if contents.insert(name.as_str(), bytes.as_slice()).is_some() {
            errors.in_file(name, "appears more than once in the package");
        }
    }
    contents
}

/// Reports every delta file; `true` if there was one, since the rest of a delta package would be
/// judged by bulk rules and only produce noise.
fn reject_delta(manifest: &Manifest, errors: &mut ImportErrors) -> bool {
    let mut any = false;
    for name in ALL_DATA_FILES {
        if manifest.mode(name) == FileMode::Delta {
            errors.push(
                MANIFEST,
                manifest.line_of_file(name),
                Some("value"),
                format!("file.{name} is 'delta': delta packages are not supported yet; send a bulk export instead"),
            );
            any = true;
        }
    }
    any
}

/// Checks the files supplied are exactly those the manifest declares; returns the declared
/// files this module does not read.
fn check_file_list(manifest: &Manifest, contents: &HashMap<&str, &[u8]>, errors: &mut ImportErrors) -> Vec<String> {
    let mut skipped = Vec::new();
    for name in ALL_DATA_FILES {
        let file = format!("{name}.csv");
        let present = contents.contains_key(file.as_str());
        match manifest.mode(name) {
            FileMode::Bulk if !present => errors.push(
                MANIFEST,
                manifest.line_of_file(name),
                Some("value"),
                format!("file.{name} is 'bulk' but {file} is not in the package"),
            ),
            FileMode::Absent if present => errors
                .in_file(&file, format!("is in the package but manifest.csv does not declare file.{name} as bulk")),
            FileMode::Bulk if !SUPPORTED_FILES.contains(&file.as_str()) => skipped.push(file),
            _ => {}
        }
    }
    skipped
}

/// Bulk files must be semantically complete (Appendix A): a file that needs another cannot come
/// without it.
fn check_required_files(contents: &HashMap<&str, &[u8]>, errors: &mut ImportErrors) {
    for (file, needs) in REQUIRED_FILES {
        if contents.contains_key(file) {
            for needed in needs.iter().filter(|needed| !contents.contains_key(*needed)) {
                errors.in_file(
                    file,
                    format!("needs {needed} in a bulk package (OneRoster 1.2 Appendix A), which is absent"),
                );
            }
        }
    }
}

/// Reads one data file if present: header, rows, and uniqueness of sourcedIds.
fn parse_file<T>(
    input: Option<(&'static str, &[u8], &'static [&'static str])>,
    errors: &mut ImportErrors,
    build: fn(&mut Row) -> Option<T>,
) -> Parsed<T> {
    let Some((file, bytes, columns)) = input else {
        return Parsed::absent();
    };
    let Some(table) = read_table(file, bytes, columns, errors) else {
        return Parsed { state: FileState::Unreadable, rows: Vec::new() };
    };
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for raw in &table.rows {
        let id = raw.values.first().map_or("", String::as_str);
        if !id.is_empty() {
            if let Some(first) = ids.get(id) {
                errors.at(
                    file,
                    raw.line,
                    "sourcedId",
                    format!("'{id}' is used twice in this file (first on line {first})"),
                );
                continue;
            }
            ids.insert(id.to_owned(), raw.line);
        }
        if !raw.usable {
            continue;
        }
        let mut row = Row::new(file, columns, &table.extensions, raw, errors);
        if let Some(record) = build(&mut row) {
            rows.push((raw.line, record));
        }
    }
    Parsed { state: FileState::Read(ids), rows }
}
