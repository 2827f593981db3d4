//! Assessment and attainment: an offering's assessment plan (assessments with category and
//! weightage, items mapped to CLOs with a share), marks entered by its instructors with every
//! change kept, and live attainment from the `qobe_outcomes` engine, with explanations.

pub mod attainment;
pub mod course_file;
pub mod evidence;
pub mod import;
pub mod marks;
pub mod plan;
pub mod policy;
pub mod profile;
pub mod program;
pub mod program_report;
pub mod recompute;
pub mod rubrics;
pub mod trends;

use qobe_domain::ids::OfferingId;
use qobe_domain::roles::{Permission, Role, Scope};

use crate::academics::offerings::{self, OfferingView};
use crate::{Actor, App, AppError, AppResult};

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

/// The offering, if the actor may see its assessment as staff.
pub async fn staff_access(app: &App, actor: &Actor, id: OfferingId) -> AppResult<(OfferingView, Access)> {
    let view = offerings::get(app, actor, id).await?;
    let assigned = view.instructors.iter().any(|i| i.id == actor.user_id.0);
    if assigned || teaches(actor, id) || actor.can(Permission::ManageAcademicStructure) {
        Ok((view, Access::Edit))
    } else if actor.can_for_department(Permission::ManageOutcomes, view.course.department_id) {
        Ok((view, Access::View))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The offering, if the actor may change its plan and marks.
pub async fn edit_access(app: &App, actor: &Actor, id: OfferingId) -> AppResult<OfferingView> {
    match staff_access(app, actor, id).await? {
        (view, Access::Edit) => Ok(view),
        (_, Access::View) => Err(AppError::Forbidden),
    }
}
