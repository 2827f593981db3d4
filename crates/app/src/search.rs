//! One search over what a person may see in their institution: people (for those who may see
//! the user list), courses and their latest offerings, and for staff programs and course and
//! program outcomes. Case-insensitive "contains" on codes, names and wording, a few answers
//! of each kind.

use qobe_store::academics::{courses as course_rows, offerings as offering_rows, outcomes as outcome_rows};
use qobe_store::structure as structure_rows;

use crate::academics::courses::Course;
use crate::academics::offerings::{self, OfferingView};
use crate::academics::outcomes::Outcome;
use crate::structure::Program;
use crate::users::{ListQuery, UserSummary};
use crate::{Actor, App, AppResult, authz};

/// Answers of each kind at most.
pub const PER_KIND: usize = 6;
/// Shorter text finds too much to be useful.
pub const SHORTEST: usize = 2;

#[derive(Default)]
pub struct Answers {
    pub people: Vec<UserSummary>,
    pub courses: Vec<Course>,
    pub offerings: Vec<OfferingView>,
    pub programs: Vec<Program>,
    /// Course outcomes with their course's code.
    pub clos: Vec<(Outcome, String)>,
    /// Program outcomes with their program's code.
    pub plos: Vec<(Outcome, String)>,
}

impl Answers {
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
            && self.courses.is_empty()
            && self.offerings.is_empty()
            && self.programs.is_empty()
            && self.clos.is_empty()
            && self.plos.is_empty()
    }
}

/// Too little to search for: fewer than [`SHORTEST`] letters once the wildcards a database would
/// read (`%`, `_`), which are never searched for, are left out.
pub fn too_short(text: &str) -> bool {
    text.replace(['%', '_'], "").trim().chars().count() < SHORTEST
}

pub async fn find(app: &App, actor: &Actor, text: &str) -> AppResult<Answers> {
    let text = text.trim();
    if too_short(text) {
        return Ok(Answers::default());
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let lower = text.to_lowercase();
    let has = |value: &str| value.to_lowercase().contains(&lower);

    let people = if authz::view_users(actor) {
        let query = ListQuery { search: text.to_owned(), page: 1, ..ListQuery::default() };
        crate::users::list(app, actor, &query).await?.items.into_iter().take(PER_KIND).collect()
    } else {
        Vec::new()
    };
    let catalogue: Vec<Course> = course_rows::list(conn, institution, text).await?.into_iter().take(PER_KIND).collect();
    // The latest two offerings of each course found.
    let mut latest = Vec::new();
    for course in &catalogue {
        let of_course = offering_rows::of_course(conn, institution, qobe_domain::ids::CourseId(course.id)).await?;
        latest.extend(of_course.into_iter().take(2));
    }
    latest.truncate(PER_KIND);
    let offerings = offerings::views(app, actor, latest).await?;
    let all_programs = structure_rows::programs(conn, institution).await?;
    let (clos, plos) = if authz::staff(actor) {
        let (clos, plos) = outcome_rows::search(conn, institution, text, PER_KIND).await?;
        let course_code = |id: i64| async move {
            course_rows::get(conn, institution, qobe_domain::ids::CourseId(id)).await.map(|c| c.map(|c| c.code))
        };
        let mut named_clos = Vec::with_capacity(clos.len());
        for clo in clos {
            let code = course_code(clo.parent_id).await?.unwrap_or_default();
            named_clos.push((clo, code));
        }
        let program_code =
            |id: i64| all_programs.iter().find(|p| p.id == id).map(|p| p.code.clone()).unwrap_or_default();
        let named_plos = plos.into_iter().map(|plo| (plo.clone(), program_code(plo.parent_id))).collect();
        (named_clos, named_plos)
    } else {
        (Vec::new(), Vec::new())
    };
    let programs = if authz::staff(actor) {
        all_programs.into_iter().filter(|p| has(&p.code) || has(&p.name)).take(PER_KIND).collect()
    } else {
        Vec::new()
    };
    Ok(Answers { people, courses: catalogue, offerings, programs, clos, plos })
}
