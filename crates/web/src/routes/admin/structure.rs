//! Departments and programs (minimal until the academic-structure pages arrive).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::rows::{Department, Program};
use qobe_domain::ids::DepartmentId;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/structure", get(show))
        .route("/admin/departments", post(create_department))
        .route("/admin/programs", post(create_program))
        .route("/admin/departments/{id}", post(update_department))
        .route("/admin/programs/{id}", post(update_program))
}

#[derive(Template)]
#[template(path = "admin/structure.html")]
struct StructurePage {
    page: Page,
    departments: Vec<Department>,
    programs: Vec<Program>,
    department_form: FormState,
    program_form: FormState,
}

impl StructurePage {
    fn department_code(&self, id: &i64) -> &str {
        self.departments.iter().find(|d| d.id == *id).map(|d| d.code.as_str()).unwrap_or("")
    }
}

async fn structure_page(
    state: &AppState,
    signed: &SignedIn,
    department_form: FormState,
    program_form: FormState,
) -> Result<StructurePage, HtmlError> {
    let (departments, programs) = qobe_app::structure::list(&state.app, &signed.actor).await?;
    Ok(StructurePage {
        page: Page::new("Departments and programs", &signed.ctx),
        departments,
        programs,
        department_form,
        program_form,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&structure_page(&state, &signed, FormState::new(), FormState::new()).await?))
}

#[derive(Deserialize)]
struct DepartmentForm {
    code: String,
    name: String,
}

async fn create_department(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<DepartmentForm>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::create_department(&state.app, &signed.actor, &form.code, &form.name, &signed.ctx.client)
        .await
    {
        Ok(d) => Ok(done(&state, "/admin/structure", &format!("Department {} created.", d.code))),
        Err(err) => {
            let kept = FormState::with_values([("code", form.code.as_str()), ("name", &form.name)]).absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, kept, FormState::new()).await?))
        }
    }
}

#[derive(Deserialize)]
struct ProgramForm {
    department: i64,
    code: String,
    name: String,
}

async fn create_program(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<ProgramForm>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::create_program(
        &state.app,
        &signed.actor,
        DepartmentId(form.department),
        &form.code,
        &form.name,
        &signed.ctx.client,
    )
    .await
    {
        Ok(p) => Ok(done(&state, "/admin/structure", &format!("Program {} created.", p.code))),
        Err(err) => {
            let department = form.department.to_string();
            let kept = FormState::with_values([
                ("code", form.code.as_str()),
                ("name", &form.name),
                ("department", &department),
            ])
            .absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, FormState::new(), kept).await?))
        }
    }
}

async fn update_department(
    State(state): State<AppState>,
    signed: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<DepartmentForm>,
) -> Result<Response, HtmlError> {
    match qobe_app::structure::update_department(
        &state.app,
        &signed.actor,
        DepartmentId(id),
        &form.code,
        &form.name,
        &signed.ctx.client,
    )
    .await
    {
        Ok(()) => Ok(done(&state, "/admin/structure", "Department saved.")),
        Err(err) => {
            let kept = FormState::with_values([("code", form.code.as_str()), ("name", &form.name)]).absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, kept, FormState::new()).await?))
        }
    }
}

async fn update_program(
    State(state): State<AppState>,
    signed: SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<ProgramForm>,
) -> Result<Response, HtmlError> {
    let result = qobe_app::structure::update_program(
        &state.app,
        &signed.actor,
        qobe_domain::ids::ProgramId(id),
        DepartmentId(form.department),
        &form.code,
        &form.name,
        &signed.ctx.client,
    )
    .await;
    match result {
        Ok(()) => Ok(done(&state, "/admin/structure", "Program saved.")),
        Err(err) => {
            let department = form.department.to_string();
            let kept = FormState::with_values([
                ("code", form.code.as_str()),
                ("name", &form.name),
                ("department", &department),
            ])
            .absorb(err)?;
            Ok(render_invalid(&structure_page(&state, &signed, FormState::new(), kept).await?))
        }
    }
}
