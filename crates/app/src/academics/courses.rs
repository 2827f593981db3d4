//! The course catalogue and prerequisites.

use std::collections::{HashMap, HashSet};

use qobe_domain::FieldErrors;
use qobe_domain::academics::{CourseCategory, parse_credits};
use qobe_domain::entered::Entered;
use qobe_domain::grades::parse_letter;
use qobe_domain::ids::{CourseId, DepartmentId, PrerequisiteId};
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::academics::courses::{self, CourseFields};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::{Course, Prerequisite};
use qobe_store::structure;

use super::duplicate;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A new or edited course, as the course form and `POST /api/v1/courses` send it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CourseIn)]
pub struct CourseInput {
    #[schema(value_type = i64)]
    pub department_id: Entered<i64>,
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub title: String,
    /// Theory and lab credit hours together must be more than 0, or the course is refused (409).
    #[schema(value_type = f64, minimum = 0, maximum = 12, multiple_of = 0.5)]
    pub credits_theory: Entered<f64>,
    #[serde(default)]
    #[schema(value_type = f64, minimum = 0, maximum = 12, multiple_of = 0.5)]
    pub credits_lab: Entered<f64>,
    #[schema(pattern = "enum:course_category")]
    pub category: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
}

/// A course's fields once checked.
pub(crate) struct ValidCourse {
    pub(crate) department: DepartmentId,
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) credits_theory: f64,
    pub(crate) credits_lab: f64,
    pub(crate) category: CourseCategory,
    pub(crate) description: Option<String>,
}

async fn validate(app: &App, actor: &Actor, input: &CourseInput) -> AppResult<ValidCourse> {
    let institution = actor.institution()?;
    let mut errors = FieldErrors::new();
    let department = match input.department_id.text().trim().parse::<i64>() {
        Ok(id) if structure::department(app.store.conn(), institution, DepartmentId(id)).await?.is_some() => {
            Some(DepartmentId(id))
        }
        _ => {
            errors.refuse("department_id", "choose a department of this institution");
            None
        }
    };
    if let Some(department) = department
        && !crate::authz::edit_course(actor, department.0)
    {
        return Err(AppError::Forbidden);
    }
    let course = errors.take(check(input, department));
    match course {
        Some(course) if errors.is_empty() => Ok(course),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The rules of a course's own fields, the same for the form, the API and a row of a file:
/// `department` is the one the caller found (none: the caller has said why).
pub(crate) fn check(input: &CourseInput, department: Option<DepartmentId>) -> Result<ValidCourse, FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", qobe_domain::validation::code(&input.code));
    let title = errors.check("title", required_text(&input.title, 200));
    let credits_theory = errors.check("credits_theory", parse_credits(&input.credits_theory.text()));
    let credits_lab = errors.check("credits_lab", parse_credits(&input.credits_lab.text()));
    if credits_theory.unwrap_or(0.0) + credits_lab.unwrap_or(0.0) <= 0.0 && errors.get("credits_theory").is_none() {
        errors.refuse("credits_theory", "a course needs some credit hours (theory or lab)");
    }
    let category = errors.check("category", CourseCategory::parse(&input.category));
    let description = errors.check("description", optional_text(&input.description, 4000));
    match (department, code, title, credits_theory, credits_lab, category, description) {
        (
            Some(department),
            Some(code),
            Some(title),
            Some(credits_theory),
            Some(credits_lab),
            Some(category),
            Some(description),
        ) if errors.is_empty() => {
            Ok(ValidCourse { department, code, title, credits_theory, credits_lab, category, description })
        }
        _ => Err(errors),
    }
}

pub(crate) fn fields(v: &ValidCourse) -> CourseFields<'_> {
    CourseFields {
        department_id: v.department,
        code: &v.code,
        title: &v.title,
        credits_theory: v.credits_theory,
        credits_lab: v.credits_lab,
        category: v.category.as_str(),
        description: v.description.as_deref(),
    }
}

const DUPLICATE_CODE: &str = "Another course already uses that code.";

pub async fn create(app: &App, actor: &Actor, input: &CourseInput, client: &ClientInfo) -> AppResult<Course> {
    let institution = actor.institution()?;
    let v = validate(app, actor, input).await?;
    let tx = app.store.begin().await?;
    let course =
        courses::insert(&tx, institution, fields(&v), app.now()).await.map_err(duplicate("code", DUPLICATE_CODE))?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.course_created").target(&course.code)).await?;
    qobe_store::commit(tx).await?;
    Ok(course)
}

pub async fn update(app: &App, actor: &Actor, id: CourseId, input: &CourseInput, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.institution()?;
    let existing = get(app, actor, id).await?;
    if !crate::authz::edit_course(actor, existing.department_id) {
        return Err(AppError::Forbidden);
    }
    let v = validate(app, actor, input).await?;
    let tx = app.store.begin().await?;
    courses::update(&tx, institution, id, fields(&v)).await.map_err(duplicate("code", DUPLICATE_CODE))?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.course_updated").target(&v.code)).await?;
    Ok(qobe_store::commit(tx).await?)
}

pub async fn list(app: &App, actor: &Actor, search: &str) -> AppResult<Vec<Course>> {
    Ok(courses::list(app.store.conn(), actor.institution()?, search).await?)
}

pub async fn get(app: &App, actor: &Actor, id: CourseId) -> AppResult<Course> {
    courses::get(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)
}

pub async fn prerequisites(app: &App, actor: &Actor, id: CourseId) -> AppResult<Vec<Prerequisite>> {
    Ok(courses::prerequisites(app.store.conn(), actor.institution()?, id).await?)
}

/// Whether `required` already depends (directly or not) on `course`: adding the edge would close a loop.
fn creates_cycle(edges: &[Prerequisite], course: i64, required: i64) -> bool {
    let mut needs: HashMap<i64, Vec<i64>> = HashMap::new();
    for e in edges {
        needs.entry(e.course_id).or_default().push(e.required_course_id);
    }
    let mut stack = vec![required];
    let mut seen = HashSet::new();
    while let Some(next) = stack.pop() {
        if next == course {
            return true;
        }
        if seen.insert(next) {
            stack.extend(needs.get(&next).into_iter().flatten().copied());
        }
    }
    false
}

/// Makes `required` (passed with at least `min_grade`) a prerequisite of `course`.
/// A prerequisite to add: the required course's code and the lowest grade that passes it
/// (D when left empty).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PrerequisiteInput {
    pub required_course: String,
    pub min_grade: String,
}

pub async fn add_prerequisite(
    app: &App,
    actor: &Actor,
    course: CourseId,
    input: &PrerequisiteInput,
    client: &ClientInfo,
) -> AppResult<Prerequisite> {
    let PrerequisiteInput { required_course: required_code, min_grade } = input;
    let institution = actor.institution()?;
    let target = get(app, actor, course).await?;
    if !crate::authz::edit_course(actor, target.department_id) {
        return Err(AppError::Forbidden);
    }
    let conn = app.store.conn();
    let mut errors = FieldErrors::new();
    let required = courses::by_code(conn, institution, &required_code.trim().to_uppercase()).await?;
    if required.is_none() {
        errors.add("required_course", "is not a course code of this institution");
    }
    let grade = errors.check("min_grade", parse_letter(if min_grade.trim().is_empty() { "D" } else { min_grade }));
    errors.clone().into_result()?;
    let (Some(required), Some(grade)) = (required, grade) else { return Err(AppError::Invalid(errors)) };
    if required.id == course.0 {
        return Err(AppError::field("required_course", "a course cannot require itself"));
    }
    if creates_cycle(&courses::all_prerequisites(conn, institution).await?, course.0, required.id) {
        return Err(AppError::field(
            "required_course",
            format!("{} already requires {}: that would be a loop", required.code, target.code),
        ));
    }
    let tx = app.store.begin().await?;
    let row = courses::add_prerequisite(&tx, institution, course, CourseId(required.id), &grade)
        .await
        .map_err(duplicate("required_course", "That prerequisite is already there."))?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.prerequisite_added")
            .target(&target.code)
            .details(serde_json::json!({ "requires": required.code, "min_grade": grade })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

pub async fn remove_prerequisite(
    app: &App,
    actor: &Actor,
    course: CourseId,
    prerequisite: PrerequisiteId,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.institution()?;
    let target = get(app, actor, course).await?;
    if !crate::authz::edit_course(actor, target.department_id) {
        return Err(AppError::Forbidden);
    }
    let belongs =
        courses::prerequisites(app.store.conn(), institution, course).await?.iter().any(|p| p.id == prerequisite.0);
    let tx = app.store.begin().await?;
    if !belongs || !courses::remove_prerequisite(&tx, institution, prerequisite).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.prerequisite_removed").target(&target.code))
        .await?;
    Ok(qobe_store::commit(tx).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(course: i64, required: i64) -> Prerequisite {
        Prerequisite {
            id: 0,
            institution_id: 1,
            course_id: course,
            required_course_id: required,
            min_grade: "D".into(),
        }
    }

    #[test]
    fn loops_are_detected_through_chains() {
        // 3 needs 2, 2 needs 1.
        let edges = vec![edge(3, 2), edge(2, 1)];
        assert!(creates_cycle(&edges, 1, 3), "1 needing 3 closes 1→3→2→1");
        assert!(!creates_cycle(&edges, 4, 3));
        assert!(!creates_cycle(&edges, 3, 1), "a second path is not a loop");
    }
}
