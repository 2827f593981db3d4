//! The attainment engine: from a [`Policy`] and the evidence (items with maximum marks and CLO
//! shares, marks with their status, CLO→PLO mappings, survey results) to attainment at
//! student-CLO, course-CLO, student-PLO, cohort-PLO and program level.
//!
//! Pure and deterministic: no I/O, no async, no database types. Numbers come from the fast
//! path ([`student_clo_scores`], [`course_clos`], [`student_plo`], [`group_plo`]); the
//! explanation of any of them ([`explain_student_clo`], [`explain_course_clo`], and the parts
//! carried by [`StudentPlo`]) is computed on demand and adds up to the same number.

mod blend;
mod course;
mod evidence;
mod explain;
mod indirect;
mod policy;
mod program;
mod rollup;
mod student;
mod targets;

#[cfg(test)]
mod tests;

pub use blend::{Blended, blend, indirect_figure, reaches_target};
pub use course::{AssessmentLevel, ComponentPart, CourseClo, EamuCounts, Measure, course_clos, eamu_counts, measure};
pub use evidence::{Assessment, EvidenceError, Item, Mapping, Mark, Offering};
pub use explain::{
    Contribution, CourseCloExplanation, GroupPart, StudentCloExplanation, StudentLine, explain_course_clo,
    explain_student_clo,
};
pub use indirect::{IndirectMeasure, IndirectPolicy, IndirectResult, ScaleCounts, indirect};
pub use policy::{
    CategoryWeight, ComponentLevels, CourseMeasure, DirectIndirect, Eamu, GroupBy, MarkTreatment, POLICY_SCHEMA,
    PloWeighting, Policy, Rollup, Rounding, ScoreMethod, Slab, Slabs, Treatment,
};
pub use program::{CloEvidence, GroupPlo, PloPart, StudentPlo, group_plo, pooled, student_plo};
pub use rollup::rollup;
pub use student::{Plan, StudentScores, student_clo_scores};
pub use targets::{TargetRule, blend_direct_indirect, next_target};
