//! Ids, value types and business rules of QOBE that need no I/O.
//!
//! Every layer above speaks in these types, so a value that got here has been validated once and
//! a `UserId` can never be passed where an `InstitutionId` is expected.

pub mod academics;
pub mod accounts;
pub mod assignments;
pub mod collation;
pub mod cqi;
pub mod csv_out;
pub mod discussion;
pub mod entered;
pub mod frameworks;
pub mod grades;
pub mod grading;
pub mod ids;
pub mod learning;
pub mod oneroster;
pub mod quizzes;
pub mod registration;
pub mod roles;
pub mod rubric;
pub mod schedule;
pub mod surveys;
pub mod taxonomy;
pub mod tenancy;
pub mod validation;
pub mod whole;
pub mod zip;

pub use validation::{FieldError, FieldErrors};
