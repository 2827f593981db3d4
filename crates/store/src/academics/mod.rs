//! Academic structure and outcome model: terms, courses, curricula, cohorts, students,
//! offerings, and PEOs/PLOs/CLOs with their mappings. Every function is scoped to one institution.

pub mod cohorts;
pub mod courses;
pub mod curricula;
pub mod offerings;
pub mod outcomes;
pub mod terms;
