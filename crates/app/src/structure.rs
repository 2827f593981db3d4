//! Faculties, departments and programs.

use qobe_domain::FieldErrors;
use qobe_domain::entered::Entered;
use qobe_domain::ids::{DepartmentId, FacultyId, InstitutionId, ProgramId};
use qobe_domain::roles::Permission;
use qobe_domain::validation::required_text;
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::{Department, Faculty, Program};
use qobe_store::structure;

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A faculty's code and name, as its form and `POST /api/v1/faculties` send them.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CodeNameIn)]
pub struct FacultyInput {
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
}

/// A department, in a faculty or in none, as its form and `POST /api/v1/departments` send it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DepartmentIn)]
pub struct DepartmentInput {
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub faculty_id: Option<Entered<i64>>,
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
}

/// A program of a department, as its form and `POST /api/v1/programs` send it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ProgramIn)]
pub struct ProgramInput {
    #[schema(value_type = i64)]
    pub department_id: Entered<i64>,
    #[schema(max_length = 20)]
    pub code: String,
    #[schema(max_length = 200)]
    pub name: String,
}

/// The rules of a code and a name (faculties, departments, programs), the same for the form, the
/// API and a row of a file.
pub(crate) fn code_and_name(code: &str, name: &str) -> Result<(String, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", qobe_domain::validation::code(code));
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

pub async fn create_faculty(app: &App, actor: &Actor, input: &FacultyInput, client: &ClientInfo) -> AppResult<Faculty> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(&input.code, &input.name)?;
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
    input: &FacultyInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(&input.code, &input.name)?;
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
    input: &DepartmentInput,
) -> AppResult<Option<FacultyId>> {
    // Blank means none; anything else must read as one of this institution's faculties.
    let faculty = input.faculty_id.as_ref().filter(|f| !f.text().trim().is_empty()).map(|f| FacultyId(f.named_id()));
    match faculty {
        None => Ok(None),
        Some(id) => match structure::faculty(app.store.conn(), institution, id).await? {
            Some(_) => Ok(Some(id)),
            None => Err(AppError::refused_field("faculty_id", "choose a faculty of this institution, or none")),
        },
    }
}

pub async fn create_department(
    app: &App,
    actor: &Actor,
    input: &DepartmentInput,
    client: &ClientInfo,
) -> AppResult<Department> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(&input.code, &input.name)?;
    let faculty = chosen_faculty(app, institution, input).await?;
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

pub async fn create_program(app: &App, actor: &Actor, input: &ProgramInput, client: &ClientInfo) -> AppResult<Program> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(&input.code, &input.name)?;
    let department = DepartmentId(input.department_id.named_id());
    if structure::department(app.store.conn(), institution, department).await?.is_none() {
        return Err(AppError::refused_field("department_id", "choose a department of this institution"));
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
    input: &DepartmentInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let (code, name) = code_and_name(&input.code, &input.name)?;
    let faculty = chosen_faculty(app, institution, input).await?;
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
    input: &ProgramInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    structure::program(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let (code, name) = code_and_name(&input.code, &input.name)?;
    let department = DepartmentId(input.department_id.named_id());
    if structure::department(app.store.conn(), institution, department).await?.is_none() {
        return Err(AppError::refused_field("department_id", "choose a department of this institution"));
    }
    let tx = app.store.begin().await?;
    structure::update_program(&tx, institution, id, department, &code, &name).await.map_err(duplicate_code)?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "structure.program_updated").target(&code)).await?;
    Ok(qobe_store::commit(tx).await?)
}
