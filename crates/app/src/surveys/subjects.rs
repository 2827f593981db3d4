//! What a person may make a survey about: the offerings they teach or oversee, the programs whose
//! outcomes they manage, and (QA officers, admins) the institution as a whole. The new-survey
//! form offers only these; `create` checks again.

use qobe_domain::ids::OfferingId;

use crate::{Actor, App, AppResult, authz};

/// An offering or program, as a select shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: i64,
    pub label: String,
}

#[derive(Debug, Clone, Default)]
pub struct Subjects {
    /// Newest term first.
    pub offerings: Vec<Subject>,
    pub programs: Vec<Subject>,
    /// May make a survey about neither (staff, a general survey).
    pub institution: bool,
}

impl Subjects {
    pub fn any(&self) -> bool {
        self.institution || !self.offerings.is_empty() || !self.programs.is_empty()
    }
}

pub async fn of(app: &App, actor: &Actor) -> AppResult<Subjects> {
    use qobe_store::academics::{courses, offerings, terms};
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut rows = offerings::list(conn, institution, None).await?;
    let all_courses = courses::list(conn, institution, "").await?;
    let mut all_terms = terms::list(conn, institution).await?;
    all_terms.sort_by_key(|t| std::cmp::Reverse(t.starts_at));
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    let teaching = offerings::instructors(conn, institution, &ids).await?;
    rows.sort_by_key(|o| all_terms.iter().position(|t| t.id == o.term_id).unwrap_or(usize::MAX));
    let mut out = Subjects { institution: authz::manage_surveys(actor), ..Subjects::default() };
    for offering in rows {
        let Some(course) = all_courses.iter().find(|c| c.id == offering.course_id) else { continue };
        let term = all_terms.iter().find(|t| t.id == offering.term_id).map(|t| t.name.as_str()).unwrap_or_default();
        let assigned = teaching.iter().any(|i| i.offering_id == offering.id && i.user_id == actor.user_id.0);
        if authz::offering_access(actor, OfferingId(offering.id), course.department_id, assigned).is_some() {
            let section = if offering.section.is_empty() { String::new() } else { format!(" {}", offering.section) };
            out.offerings.push(Subject {
                id: offering.id,
                label: format!("{} {}{section} ({term})", course.code, course.title),
            });
        }
    }
    for program in qobe_store::structure::programs(conn, institution).await? {
        if authz::edit_program_outcomes(actor, program.id, program.department_id) {
            out.programs.push(Subject { id: program.id, label: format!("{} {}", program.code, program.name) });
        }
    }
    Ok(out)
}
