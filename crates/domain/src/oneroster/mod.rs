//! OneRoster 1.2 CSV binding: bulk roster import and export (PRODUCT.md §7, §14).
//!
//! Schools and universities move rosters between their student information system and QOBE as
//! a zip of CSV files defined by 1EdTech's OneRoster 1.2.1 CSV binding. This module turns the
//! unzipped files into a typed, fully validated [`RosterPackage`] ([`parse_package`]) and back
//! ([`write_package`]); unzipping, storage and mapping onto QOBE's own tables belong to the
//! layers above.
//!
//! Covered: manifest.csv and the rostering files orgs, academicSessions, courses, classes,
//! users, roles (where OneRoster 1.2 keeps a user's roles and orgs), userProfiles, demographics
//! and enrollments, in bulk mode. Delta packages are refused with a clear error; gradebook and
//! resources files are skipped and listed.

mod enums;
mod errors;
mod manifest;
mod parse;
mod reader;
mod records;
mod rows;
pub mod spec;
mod validate;
mod write;

pub use enums::{
    ClassType, EXTENSION_PREFIX, EnrollmentRole, FileMode, OrgType, RecordStatus, RoleKind, RoleType, SessionType, Sex,
    Vocabulary,
};
pub use errors::{ImportError, ImportErrors, MAX_ERRORS};
pub use parse::parse_package;
pub use records::{
    AcademicSession, Class, Course, Demographics, Enrollment, ExternalUserId, Metadata, Org, Password, Role,
    RosterPackage, User, UserProfile,
};
pub use write::write_package;

#[cfg(test)]
mod tests;
