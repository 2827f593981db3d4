//! Checks across files: every reference resolves inside the package (bulk files must be
//! semantically complete), parent chains have no cycles, and at most one primary role per user
//! and org.
//!
//! Org types are deliberately not checked on references (e.g. a class's `schoolSourcedId`
//! pointing at a `department`): universities model faculties and departments in many ways and
//! QOBE maps them itself.

use std::collections::{HashMap, HashSet};

use super::enums::RoleType;
use super::errors::ImportErrors;
use super::parse::{FileState, Files, Parsed};
use super::spec::{ACADEMIC_SESSIONS, CLASSES, COURSES, DEMOGRAPHICS, ENROLLMENTS, ORGS, ROLES, USER_PROFILES, USERS};

/// Runs every cross-file check on what was read.
pub(super) fn cross_check(files: &Files, errors: &mut ImportErrors) {
    let mut refs = References { errors, reported_absent: HashSet::new() };
    let orgs = (&files.orgs.state, ORGS);
    let sessions = (&files.academic_sessions.state, ACADEMIC_SESSIONS);
    let courses = (&files.courses.state, COURSES);
    let classes = (&files.classes.state, CLASSES);
    let users = (&files.users.state, USERS);
    let profiles = (&files.user_profiles.state, USER_PROFILES);

    for (line, org) in &files.orgs.rows {
        refs.optional(ORGS, *line, "parentSourcedId", org.parent_sourced_id.as_deref(), orgs);
    }
    for (line, session) in &files.academic_sessions.rows {
        refs.optional(ACADEMIC_SESSIONS, *line, "parentSourcedId", session.parent_sourced_id.as_deref(), sessions);
    }
    for (line, course) in &files.courses.rows {
        refs.optional(COURSES, *line, "schoolYearSourcedId", course.school_year_sourced_id.as_deref(), sessions);
        refs.check(COURSES, *line, "orgSourcedId", &course.org_sourced_id, orgs);
    }
    for (line, class) in &files.classes.rows {
        refs.check(CLASSES, *line, "courseSourcedId", &class.course_sourced_id, courses);
        refs.check(CLASSES, *line, "schoolSourcedId", &class.school_sourced_id, orgs);
        for term in &class.term_sourced_ids {
            refs.check(CLASSES, *line, "termSourcedIds", term, sessions);
        }
    }
    for (line, user) in &files.users.rows {
        refs.optional(USERS, *line, "primaryOrgSourcedId", user.primary_org_sourced_id.as_deref(), orgs);
        for agent in &user.agent_sourced_ids {
            refs.check(USERS, *line, "agentSourcedIds", agent, users);
        }
    }
    for (line, role) in &files.roles.rows {
        refs.check(ROLES, *line, "userSourcedId", &role.user_sourced_id, users);
        refs.check(ROLES, *line, "orgSourcedId", &role.org_sourced_id, orgs);
        refs.optional(ROLES, *line, "userProfileSourcedId", role.user_profile_sourced_id.as_deref(), profiles);
    }
    for (line, profile) in &files.user_profiles.rows {
        refs.check(USER_PROFILES, *line, "userSourcedId", &profile.user_sourced_id, users);
    }
    for (line, demographics) in &files.demographics.rows {
        refs.check(DEMOGRAPHICS, *line, "sourcedId", &demographics.sourced_id, users);
    }
    for (line, enrollment) in &files.enrollments.rows {
        refs.check(ENROLLMENTS, *line, "classSourcedId", &enrollment.class_sourced_id, classes);
        refs.check(ENROLLMENTS, *line, "schoolSourcedId", &enrollment.school_sourced_id, orgs);
        refs.check(ENROLLMENTS, *line, "userSourcedId", &enrollment.user_sourced_id, users);
    }

    let errors = refs.errors;
    check_cycles(ORGS, &files.orgs, |org| (org.sourced_id.as_str(), org.parent_sourced_id.as_deref()), errors);
    check_cycles(
        ACADEMIC_SESSIONS,
        &files.academic_sessions,
        |session| (session.sourced_id.as_str(), session.parent_sourced_id.as_deref()),
        errors,
    );
    check_primary_roles(files, errors);
}

/// Reports references that do not resolve. A reference to a file missing from the package is
/// reported once per column rather than once per row.
struct References<'e> {
    errors: &'e mut ImportErrors,
    reported_absent: HashSet<(&'static str, &'static str)>,
}

impl References<'_> {
    fn check(&mut self, file: &'static str, line: u64, column: &'static str, id: &str, target: (&FileState, &str)) {
        let (state, target_file) = target;
        match state {
            FileState::Read(ids) => {
                if !ids.contains_key(id) {
                    self.errors.at(
                        file,
                        line,
                        column,
                        format!("refers to '{id}', which is not a sourcedId in {target_file}"),
                    );
                }
            }
            FileState::Absent => {
                if self.reported_absent.insert((file, column)) {
                    self.errors.at(
                        file,
                        line,
                        column,
                        format!("refers to '{id}' in {target_file}, but {target_file} is not in the package"),
                    );
                }
            }
            FileState::Unreadable => {}
        }
    }

    fn optional(
        &mut self,
        file: &'static str,
        line: u64,
        column: &'static str,
        id: Option<&str>,
        target: (&FileState, &str),
    ) {
        if let Some(id) = id {
            self.check(file, line, column, id, target);
        }
    }
}

/// Reports each cycle in a file's parent links once, on the line of the first of its members.
fn check_cycles<T>(
    file: &str,
    parsed: &Parsed<T>,
    link: impl Fn(&T) -> (&str, Option<&str>),
    errors: &mut ImportErrors,
) {
    let lines: HashMap<&str, u64> = parsed.rows.iter().map(|(line, record)| (link(record).0, *line)).collect();
    let parents: HashMap<&str, &str> =
        parsed.rows.iter().filter_map(|(_, record)| link(record).1.map(|parent| (link(record).0, parent))).collect();
    let mut done: HashSet<&str> = HashSet::new();
    for (_, record) in &parsed.rows {
        let mut path: Vec<&str> = Vec::new();
        let mut current = Some(link(record).0);
        while let Some(id) = current {
            if done.contains(id) {
                break;
            }
            if let Some(start) = path.iter().position(|seen| *seen == id) {
                let cycle = &path[start..];
                let first = cycle.iter().min_by_key(|member| lines.get(*member)).copied().unwrap_or(id);
                let chain: Vec<&str> = cycle.iter().copied().chain([id]).collect();
                let line = lines.get(first).copied().unwrap_or(1);
                errors.at(file, line, "parentSourcedId", format!("parents form a cycle: {}", chain.join(" → ")));
                break;
            }
            path.push(id);
            current = parents.get(id).copied();
        }
        done.extend(path);
    }
}

/// "Only one role per organization can be 'primary'" for a user.
fn check_primary_roles(files: &Files, errors: &mut ImportErrors) {
    let mut primary: HashMap<(&str, &str), u64> = HashMap::new();
    for (line, role) in &files.roles.rows {
        if role.role_type != RoleType::Primary {
            continue;
        }
        let key = (role.user_sourced_id.as_str(), role.org_sourced_id.as_str());
        if let Some(first) = primary.get(&key) {
            errors.at(
                ROLES,
                *line,
                "roleType",
                format!(
                    "user '{}' already has a primary role in org '{}' (line {first}); only one may be primary",
                    key.0, key.1
                ),
            );
        } else {
            primary.insert(key, *line);
        }
    }
}
