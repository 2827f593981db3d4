//! Assessment plans (assessments, items and their CLO shares), marks with their change
//! history, attainment policies, and each program's standing against its PLO targets.

pub mod institution;
pub mod marks;
pub mod plans;
pub mod policies;
pub mod standings;
