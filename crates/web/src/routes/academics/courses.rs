//! The course catalogue: search, create, edit, prerequisites, and the course's CLOs.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::academics::courses::{self, CourseInput, PrerequisiteInput};
use qobe_app::academics::courses::{Course, Prerequisite};
use qobe_app::academics::outcomes::Outcome;
use qobe_app::academics::outcomes::{self, Kind};
use qobe_app::academics::terms::Term;
use qobe_app::authz;
use qobe_app::structure::Department;
use qobe_domain::academics::CourseCategory;
use qobe_domain::ids::{CourseId, PrerequisiteId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{Search, done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/courses", get(list).post(create))
        .route("/academics/courses/{id}", get(show).post(update))
        .route("/academics/courses/{id}/prerequisites", post(add_prerequisite))
        .route("/academics/courses/{id}/prerequisites/{pre}/remove", post(remove_prerequisite))
}

#[derive(Template)]
#[template(path = "academics/courses.html")]
struct CoursesPage {
    page: Page,
    courses: Vec<Course>,
    /// The departments the viewer may add courses to (none: no "New course" form).
    departments: Vec<Department>,
    categories: [CourseCategory; 3],
    q: String,
    form: FormState,
    /// May import courses or CLOs from CSV.
    can_import: bool,
}

async fn list_page(state: &AppState, signed: &SignedIn, q: String, form: FormState) -> Result<CoursesPage, HtmlError> {
    let courses = courses::list(&state.app, &signed.actor, &q).await?;
    let (departments, _) = qobe_app::structure::list(&state.app, &signed.actor).await?;
    let actor = &signed.actor;
    let departments = departments.into_iter().filter(|d| authz::edit_course(actor, d.id)).collect();
    Ok(CoursesPage {
        page: Page::new("Courses", &signed.ctx),
        courses,
        departments,
        categories: CourseCategory::ALL,
        q,
        form,
        can_import: authz::manage_structure(actor) || authz::import_clos(actor),
    })
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(search): Query<Search>,
) -> Result<Response, HtmlError> {
    let form = FormState::new().set("credits_theory", "3").set("credits_lab", "0").set("category", "core");
    Ok(render(&list_page(&state, &signed, search.q, form).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<CourseInput>,
) -> Result<Response, HtmlError> {
    match courses::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(course) => {
            Ok(done(&state, &format!("/academics/courses/{}", course.id), &format!("Course {} created.", course.code)))
        }
        Err(err) => Ok(render_invalid(&list_page(&state, &signed, String::new(), form.typed.absorb(err)?).await?)),
    }
}

#[derive(Template)]
#[template(path = "academics/course.html")]
pub struct CoursePage {
    page: Page,
    course: Course,
    departments: Vec<Department>,
    categories: [CourseCategory; 3],
    form: FormState,
    prerequisites: Vec<(Prerequisite, String)>,
    prerequisite_form: FormState,
    clos: Vec<(Outcome, Vec<Outcome>)>,
    clo_form: FormState,
    /// The CLO whose edit failed, with its form.
    clo_edit: Option<(i64, FormState)>,
    terms: Vec<Term>,
    /// May change the course's details and prerequisites.
    can_edit: bool,
    /// May add and change its CLOs.
    can_edit_clos: bool,
}

impl CoursePage {
    fn details_form(&self) -> FormState {
        self.form.clone().set("id", &self.course.id.to_string())
    }

    fn edit_form(&self, clo: &Outcome) -> FormState {
        match &self.clo_edit {
            Some((id, form)) if *id == clo.id => form.clone(),
            _ => FormState::new()
                .set("code", &clo.code)
                .set("title", &clo.title)
                .set("text", &clo.text)
                .set("taxonomy_level", clo.taxonomy_level.as_deref().unwrap_or("")),
        }
    }

    fn term_code(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.terms.iter().find(|t| t.id == id))
            .map(|t| t.code.clone())
            .unwrap_or_else(|| "the start".into())
    }
}

pub struct CourseForms {
    pub form: Option<FormState>,
    pub prerequisite_form: FormState,
    pub clo_form: FormState,
    pub clo_edit: Option<(i64, FormState)>,
}

impl Default for CourseForms {
    fn default() -> Self {
        CourseForms {
            form: None,
            prerequisite_form: FormState::new(),
            clo_form: FormState::new().set("taxonomy_level", "C2"),
            clo_edit: None,
        }
    }
}

pub async fn course_page(
    state: &AppState,
    signed: &SignedIn,
    id: CourseId,
    forms: CourseForms,
) -> Result<CoursePage, HtmlError> {
    let app = &state.app;
    let course = courses::get(app, &signed.actor, id).await?;
    let (departments, _) = qobe_app::structure::list(app, &signed.actor).await?;
    let catalogue = courses::list(app, &signed.actor, "").await?;
    let prerequisites = courses::prerequisites(app, &signed.actor, id)
        .await?
        .into_iter()
        .map(|p| {
            let code =
                catalogue.iter().find(|c| c.id == p.required_course_id).map(|c| c.code.clone()).unwrap_or_default();
            (p, code)
        })
        .collect();
    let current = outcomes::list(app, &signed.actor, Kind::Clo, id.0, None).await?;
    let mut clos = Vec::new();
    for clo in current {
        let history = outcomes::history(app, &signed.actor, Kind::Clo, id.0, clo.lineage_id).await?;
        clos.push((clo, history));
    }
    let form = forms.form.unwrap_or_else(|| {
        FormState::new()
            .set("department_id", &course.department_id.to_string())
            .set("code", &course.code)
            .set("title", &course.title)
            .set("credits_theory", &course.credits_theory.to_string())
            .set("credits_lab", &course.credits_lab.to_string())
            .set("category", &course.category)
            .set("description", course.description.as_deref().unwrap_or(""))
    });
    let actor = &signed.actor;
    let (can_edit, can_edit_clos) =
        (authz::edit_course(actor, course.department_id), authz::edit_clos(actor, course.department_id));
    let departments =
        departments.into_iter().filter(|d| d.id == course.department_id || authz::edit_course(actor, d.id)).collect();
    Ok(CoursePage {
        page: Page::new(&format!("{} {}", course.code, course.title), &signed.ctx),
        course,
        departments,
        can_edit,
        can_edit_clos,
        categories: CourseCategory::ALL,
        form,
        prerequisites,
        prerequisite_form: forms.prerequisite_form,
        clos,
        clo_form: forms.clo_form,
        clo_edit: forms.clo_edit,
        terms: qobe_app::academics::terms::list(app, &signed.actor).await?,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&course_page(&state, &signed, CourseId(id), CourseForms::default()).await?))
}

async fn update(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<CourseInput>,
) -> Result<Response, HtmlError> {
    match courses::update(&state.app, &signed.actor, CourseId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/academics/courses/{id}"), "Course saved.")),
        Err(err) => {
            let forms = CourseForms { form: Some(form.typed.absorb(err)?), ..CourseForms::default() };
            Ok(render_invalid(&course_page(&state, &signed, CourseId(id), forms).await?))
        }
    }
}

async fn add_prerequisite(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<PrerequisiteInput>,
) -> Result<Response, HtmlError> {
    match courses::add_prerequisite(&state.app, &signed.actor, CourseId(id), &form.input, &signed.ctx.client).await {
        Ok(_) => Ok(done(&state, &format!("/academics/courses/{id}"), "Prerequisite added.")),
        Err(err) => {
            let forms = CourseForms { prerequisite_form: form.typed.absorb(err)?, ..CourseForms::default() };
            Ok(render_invalid(&course_page(&state, &signed, CourseId(id), forms).await?))
        }
    }
}

async fn remove_prerequisite(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, pre)): Path<(i64, i64)>,
) -> Result<Response, HtmlError> {
    courses::remove_prerequisite(&state.app, &signed.actor, CourseId(id), PrerequisiteId(pre), &signed.ctx.client)
        .await?;
    Ok(done(&state, &format!("/academics/courses/{id}"), "Prerequisite removed."))
}
