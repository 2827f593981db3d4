//! Assessment plans (assessments, items and their CLO shares), marks with their change
//! history, and attainment policies.

pub mod institution;
pub mod marks;
pub mod plans;
pub mod policies;
