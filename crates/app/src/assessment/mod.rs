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
pub mod program_cell;
pub mod program_indirect;
pub mod recompute;
pub mod rubrics;
pub mod standing;
pub mod trends;

use qobe_domain::ids::OfferingId;

use crate::academics::offerings::{self, OfferingView};
use crate::{Actor, App, AppError, AppResult};

pub use crate::authz::{Access, teaches};

/// The actor's access to a loaded offering's assessment, if any.
pub fn access_to(actor: &Actor, view: &OfferingView) -> Option<Access> {
    let assigned = view.instructors.iter().any(|i| i.id == actor.user_id.0);
    crate::authz::offering_access(actor, OfferingId(view.offering.id), view.course.department_id, assigned)
}

/// The offering, if the actor may see its assessment as staff.
pub async fn staff_access(app: &App, actor: &Actor, id: OfferingId) -> AppResult<(OfferingView, Access)> {
    let view = offerings::get(app, actor, id).await?;
    match access_to(actor, &view) {
        Some(access) => Ok((view, access)),
        None => Err(AppError::Forbidden),
    }
}

/// The offering, if the actor may change its plan and marks.
pub async fn edit_access(app: &App, actor: &Actor, id: OfferingId) -> AppResult<OfferingView> {
    match staff_access(app, actor, id).await? {
        (view, Access::Edit) => Ok(view),
        (_, Access::View) => Err(AppError::Forbidden),
    }
}
