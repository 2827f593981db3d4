//! Faculties, departments and programs.

use qobe_domain::FieldErrors;
use qobe_domain::ids::{DepartmentId, FacultyId, InstitutionId, ProgramId};
use qobe_domain::roles::Permission;
use qobe_domain::validation::required_text;
use qobe_store::rows::{Department, Faculty, Program};
use qobe_store::structure;

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

fn code_and_name(code: &str, name: &str) -> Result<(String, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", required_text(code, 20).map(|c| c.to_uppercase()));
    let name = errors.check("name", required_text(name, 200));
    errors.into_result()?;
    Ok((code.unwrap_or_default(), name.unwrap_or_default()))
}

fn duplicate_code(e: qobe_store::StoreError) -> AppError {
    match e {
        qobe_store::StoreError::Duplicate(_) => AppError::conflict("code", "That code is already used here."),
        other => other.into(),
    }
}

pub async fn create_faculty(
    app: &App,
    actor: &Actor,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> AppResult<Faculty> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(code, name)?;
    let tx = app.store.begin().await?;
    let row = structure::insert_faculty(&tx, institution, &code, &name, app.now()).await.map_err(duplicate_code)?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "structure.faculty_created").target(&code).details(serde_json::json!({ "name": name })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

pub async fn update_faculty(
    app: &App,
    actor: &Actor,
    id: FacultyId,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(code, name)?;
    let tx = app.store.begin().await?;
    if !structure::update_faculty(&tx, institution, id, &code, &name).await.map_err(duplicate_code)? {
        return Err(AppError::NotFound);
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "structure.faculty_updated").target(&code)).await?;
    Ok(qobe_store::commit(tx).await?)
}

pub async fn faculties(app: &App, actor: &Actor) -> AppResult<Vec<Faculty>> {
    Ok(structure::faculties(app.store.conn(), actor.institution()?).await?)
}

/// The faculty a department form chose: none, or one of this institution's.
async fn chosen_faculty(
    app: &App,
    institution: InstitutionId,
    faculty: Option<FacultyId>,
) -> AppResult<Option<FacultyId>> {
    match faculty {
        None => Ok(None),
        Some(id) => match structure::faculty(app.store.conn(), institution, id).await? {
            Some(_) => Ok(Some(id)),
            None => Err(AppError::refused_field("faculty", "choose a faculty of this institution, or none")),
        },
    }
}

pub async fn create_department(
    app: &App,
    actor: &Actor,
    faculty: Option<FacultyId>,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> AppResult<Department> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(code, name)?;
    let faculty = chosen_faculty(app, institution, faculty).await?;
    let tx = app.store.begin().await?;
    let row = structure::insert_department(&tx, institution, faculty, &code, &name, app.now())
        .await
        .map_err(duplicate_code)?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "structure.department_created")
            .target(&code)
            .details(serde_json::json!({ "name": name })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

pub async fn create_program(
    app: &App,
    actor: &Actor,
    department: DepartmentId,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> AppResult<Program> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(code, name)?;
    if structure::department(app.store.conn(), institution, department).await?.is_none() {
        return Err(AppError::refused_field("department", "choose a department of this institution"));
    }
    let tx = app.store.begin().await?;
    let row = structure::insert_program(&tx, institution, department, &code, &name, app.now())
        .await
        .map_err(duplicate_code)?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "structure.program_created").target(&code).details(serde_json::json!({ "name": name })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Departments and programs of the actor's institution (any member may see them).
pub async fn list(app: &App, actor: &Actor) -> AppResult<(Vec<Department>, Vec<Program>)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    Ok((structure::departments(conn, institution).await?, structure::programs(conn, institution).await?))
}

pub async fn update_department(
    app: &App,
    actor: &Actor,
    id: DepartmentId,
    faculty: Option<FacultyId>,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(code, name)?;
    let faculty = chosen_faculty(app, institution, faculty).await?;
    let tx = app.store.begin().await?;
    let updated =
        structure::update_department(&tx, institution, id, faculty, &code, &name).await.map_err(duplicate_code)?;
    if !updated {
        return Err(AppError::NotFound);
    }
    audit::record(&tx, app, client, audit::Entry::by(actor, "structure.department_updated").target(&code)).await?;
    Ok(qobe_store::commit(tx).await?)
}

pub async fn update_program(
    app: &App,
    actor: &Actor,
    id: ProgramId,
    department: DepartmentId,
    code: &str,
    name: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    structure::program(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let (code, name) = code_and_name(code, name)?;
    if structure::department(app.store.conn(), institution, department).await?.is_none() {
        return Err(AppError::refused_field("department", "choose a department of this institution"));
    }
    let tx = app.store.begin().await?;
    structure::update_program(&tx, institution, id, department, &code, &name).await.map_err(duplicate_code)?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "structure.program_updated").target(&code)).await?;
    Ok(qobe_store::commit(tx).await?)
}
