//! The continuous-quality-improvement loop: findings raised from a shortfall with one click
//! (or by hand), actions with an owner and a due term, evidence files, follow-up in a later
//! offering with an effectiveness check, carry-forward of late actions, dashboards, reminders.

pub mod actions;
pub mod findings;

use qobe_domain::roles::Permission;

use crate::Actor;

/// QA officers, admins and coordinators (at any scope) manage the loop.
pub fn manages(actor: &Actor) -> bool {
    actor.institution_id.is_some() && actor.grants.iter().any(|(role, _)| role.has(Permission::ManageOutcomes))
}
