//! Who may do what: one predicate per action, asked by the use-case that does it and by the page
//! that offers it, so a page never shows a form, button or link that ends in a refusal.
//!
//! The predicates are pure: they read the actor's grants and the rows the caller has loaded.
//! Roles and their permissions are stated in `qobe_domain::roles`.

use qobe_domain::ids::OfferingId;
use qobe_domain::roles::{Permission, Role, Scope};

use crate::Actor;

/// Terms, offerings and their instructors, cohorts and student records, faculties, departments
/// and programs, grading schemes, OneRoster and CSV imports of programs and courses.
pub fn manage_structure(actor: &Actor) -> bool {
    actor.can(Permission::ManageAcademicStructure)
}

/// A course's details and prerequisites (and a new course in that department).
pub fn edit_course(actor: &Actor, department: i64) -> bool {
    actor.can_for_department(Permission::ManageAcademicStructure, department)
}

/// A course's CLOs.
pub fn edit_clos(actor: &Actor, department: i64) -> bool {
    actor.can_for_department(Permission::ManageOutcomes, department)
}

/// A program's PEOs, PLOs, CLO–PLO matrix, PLO–PEO links, curricula and PLO settings.
pub fn edit_program_outcomes(actor: &Actor, program: i64, department: i64) -> bool {
    actor.can_for_program(Permission::ManageOutcomes, program, department)
}

/// A program's PLO attainment, its reports and its students' outcome transcripts.
pub fn view_program_attainment(actor: &Actor, program: i64, department: i64) -> bool {
    edit_program_outcomes(actor, program, department) || approve_results(actor, department)
}

/// One student's outcome transcript (the registrar reads every student's).
pub fn view_student_outcomes(actor: &Actor, program: i64, department: i64) -> bool {
    view_program_attainment(actor, program, department) || manage_registrations(actor)
}

/// The institution's own surveys (neither an offering's nor a program's): its outcome managers.
pub fn manage_surveys(actor: &Actor) -> bool {
    actor.can(Permission::ManageOutcomes)
}

/// Whether the actor teaches the offering (an instructor grant scoped to it).
pub fn teaches(actor: &Actor, offering: OfferingId) -> bool {
    actor.grants.iter().any(|(role, scope)| *role == Role::Instructor && *scope == Scope::Offering(offering.0))
}

/// What a member of staff may do with an offering's assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Its instructors and academic administrators: plan, marks and attainment.
    Edit,
    /// Outcome managers of its department (QA, coordinators): read only.
    View,
}

/// The actor's access to an offering's assessment, given who is assigned to teach it.
pub fn offering_access(actor: &Actor, offering: OfferingId, department: i64, assigned: bool) -> Option<Access> {
    if assigned || teaches(actor, offering) || manage_structure(actor) {
        Some(Access::Edit)
    } else if edit_clos(actor, department) {
        Some(Access::View)
    } else {
        None
    }
}

/// A course's attainment across terms: its outcome managers, and whoever teaches one of its
/// offerings.
pub fn course_trend(actor: &Actor, department: i64, mut offerings: impl Iterator<Item = OfferingId>) -> bool {
    edit_clos(actor, department) || manage_structure(actor) || offerings.any(|o| teaches(actor, o))
}

/// Approving, publishing and locking an offering's results, and deciding change requests.
pub fn approve_results(actor: &Actor, department: i64) -> bool {
    actor.can_for_department(Permission::ApproveResults, department)
}

/// Whether the actor approves results anywhere (the Approvals page).
pub fn approves_anywhere(actor: &Actor) -> bool {
    actor.grants.iter().any(|(role, _)| role.has(Permission::ApproveResults))
}

/// Works at the institution (or runs the platform): any role but student and alumnus.
pub fn staff(actor: &Actor) -> bool {
    actor.is_operator || actor.grants.iter().any(|(role, _)| !matches!(role, Role::Student | Role::Alumnus))
}

/// Asking for a place in an offering.
pub fn register(actor: &Actor) -> bool {
    actor.has_role(Role::Student)
}

/// The registration queue, bulk enrolment, holds and recorded results.
pub fn manage_registrations(actor: &Actor) -> bool {
    actor.can(Permission::ManageRegistrations)
}

/// The user list and one user's page; cohorts' student lists.
pub fn view_users(actor: &Actor) -> bool {
    actor.can(Permission::ViewUsers)
}

/// Inviting, deactivating and reactivating people.
pub fn manage_users(actor: &Actor) -> bool {
    actor.can(Permission::ManageUsers)
}

/// Granting and revoking roles.
pub fn manage_roles(actor: &Actor) -> bool {
    actor.can(Permission::ManageRoles)
}

/// The institution's settings and logo.
pub fn manage_settings(actor: &Actor) -> bool {
    actor.can(Permission::ManageSettings)
}

/// The institution's attainment policy.
pub fn manage_policy(actor: &Actor) -> bool {
    actor.can(Permission::ManageOutcomes)
}

/// The audit log and login history.
pub fn view_audit(actor: &Actor) -> bool {
    actor.can(Permission::ViewAuditLog)
}

/// Rubrics: every member of staff.
pub fn use_rubrics(actor: &Actor) -> bool {
    actor.is_staff()
}

/// CSV import of CLOs (with their PLO mappings).
pub fn import_clos(actor: &Actor) -> bool {
    actor.can(Permission::ManageOutcomes)
}
