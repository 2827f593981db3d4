//! Faculties, departments and programs: list, create, edit.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::structure::{Department, Faculty, Program};
use qobe_app::structure::{DepartmentInput, FacultyInput, ProgramInput};
use qobe_domain::ids::{DepartmentId, FacultyId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{Editing, FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/structure", get(show))
        .route("/admin/faculties", post(create_faculty))
        .route("/admin/faculties/{id}", post(update_faculty))
        .route("/admin/departments", post(create_department))
        .route("/admin/programs", post(create_program))
        .route("/admin/departments/{id}", post(update_department))
        .route("/admin/programs/{id}", post(update_program))
}

#[derive(Template)]
#[template(path = "admin/structure.html")]
struct StructurePage {
    page: Page,
    faculties: Vec<Faculty>,
    departments: Vec<Department>,
    programs: Vec<Program>,
    faculty_form: FormState,
    department_form: FormState,
    program_form: FormState,
    /// An edit that failed: which faculty, department or program, what was typed and the errors.
    /// Its form comes back open.
    editing: Editing,
}

/// Which of the page's forms comes back with what was typed and its errors.
enum Kept {
    Nothing,
    Faculty(FormState),
    Department(FormState),
    Program(FormState),
    /// The edit form of one faculty, department or program.
    Edit(&'static str, i64, FormState),
}

impl StructurePage {
    fn is_in(&self, department: &Department, faculty: &Faculty) -> bool {
        department.faculty_id == Some(faculty.id)
    }

    fn faculty_code(&self, id: &Option<i64>) -> &str {
        self.faculties.iter().find(|f| Some(f.id) == *id).map(|f| f.code.as_str()).unwrap_or("")
    }

    fn department_code(&self, id: &i64) -> &str {
        self.departments.iter().find(|d| d.id == *id).map(|d| d.code.as_str()).unwrap_or("")
    }
}

async fn structure_page(state: &AppState, signed: &SignedIn, kept: Kept) -> Result<StructurePage, HtmlError> {
    let (departments, programs) = qobe_app::structure::list(&state.app, &signed.actor).await?;
    let faculties = qobe_app::structure::faculties(&state.app, &signed.actor).await?;
    let (mut faculty_form, mut department_form, mut program_form) =
        (FormState::new(), FormState::new(), FormState::new());
    let mut editing = Editing::none();
    match kept {
        Kept::Nothing => {}
        Kept::Faculty(form) => faculty_form = form,
        Kept::Department(form) => department_form = form,
        Kept::Program(form) => program_form = form,
        Kept::Edit(kind, id, form) => editing = Editing::of(kind, id, form),
    }
    Ok(StructurePage {
        page: Page::new("Faculties, departments and programs", &signed.ctx),
        faculties,
        departments,
        programs,
        faculty_form,
        department_form,
        program_form,
        editing,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    if !qobe_app::authz::manage_structure(&signed.actor) {
        return Err(qobe_app::AppError::Forbidden.into());
    }
    Ok(render(&structure_page(&state, &signed, Kept::Nothing).await?))
}

async fn create_faculty(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<FacultyInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::create_faculty(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(f) => Ok(done(&state, "/admin/structure", &format!("Faculty {} created.", f.code))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, Kept::Faculty(kept)).await?))
        }
    }
}

async fn update_faculty(
    State(state): State<AppState>,
    signed: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Submitted<FacultyInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::update_faculty(&state.app, &signed.actor, FacultyId(id), &form.input, &signed.ctx.client)
        .await
    {
        Ok(()) => Ok(done(&state, "/admin/structure", "Faculty saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, Kept::Edit("faculty", id, kept)).await?))
        }
    }
}

async fn create_department(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<DepartmentInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::create_department(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(d) => Ok(done(&state, "/admin/structure", &format!("Department {} created.", d.code))),
        Err(err) => {
            let kept = Kept::Department(form.typed.absorb(err)?);
            Ok(render_invalid(&structure_page(&state, &signed, kept).await?))
        }
    }
}

async fn create_program(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<ProgramInput>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::create_program(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(p) => Ok(done(&state, "/admin/structure", &format!("Program {} created.", p.code))),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, Kept::Program(kept)).await?))
        }
    }
}

async fn update_department(
    State(state): State<AppState>,
    signed: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Submitted<DepartmentInput>,
) -> Result<Response, HtmlError> {
    let input = &form.input;
    match qobe_app::structure::update_department(&state.app, &signed.actor, DepartmentId(id), input, &signed.ctx.client)
        .await
    {
        Ok(()) => Ok(done(&state, "/admin/structure", "Department saved.")),
        Err(err) => {
            let kept = Kept::Edit("department", id, form.typed.absorb(err)?);
            Ok(render_invalid(&structure_page(&state, &signed, kept).await?))
        }
    }
}

async fn update_program(
    State(state): State<AppState>,
    signed: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    form: Submitted<ProgramInput>,
) -> Result<Response, HtmlError> {
    let program = qobe_domain::ids::ProgramId(id);
    match qobe_app::structure::update_program(&state.app, &signed.actor, program, &form.input, &signed.ctx.client).await
    {
        Ok(()) => Ok(done(&state, "/admin/structure", "Program saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, Kept::Edit("program", id, kept)).await?))
        }
    }
}
