//! Cohorts (a program's intake in a term) and the students in them.

use qobe_domain::FieldErrors;
use qobe_domain::accounts::Email;
use qobe_domain::entered::Entered;
use qobe_domain::ids::{CohortId, ProgramId, TermId, UserId};
use qobe_domain::roles::Permission;
use qobe_domain::validation::required_text;
use qobe_store::academics::{cohorts, terms};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::{Cohort, Student};
use qobe_store::{accounts, structure};

use super::duplicate;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<Cohort>> {
    search(app, actor, "").await
}

/// Cohorts whose name contains `text`.
pub async fn search(app: &App, actor: &Actor, text: &str) -> AppResult<Vec<Cohort>> {
    Ok(cohorts::matching(app.store.conn(), actor.institution()?, text).await?)
}

/// A new cohort of a program, as its form and `POST /api/v1/cohorts` send it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CohortIn)]
pub struct CohortInput {
    #[schema(value_type = i64)]
    pub program_id: Entered<i64>,
    /// The intake term's code, e.g. `2026FA`.
    pub intake_term: String,
    #[schema(max_length = 100)]
    pub name: String,
}

/// A cohort's corrected intake term and name.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct CohortChange {
    pub intake_term: String,
    pub name: String,
}

/// A student to add to a cohort: their account's email and their registration number.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CohortStudentInput {
    pub email: String,
    pub registration_no: String,
}

/// The intake term (by code) and name of a cohort form, checked together.
async fn intake_and_name(
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    errors: &mut FieldErrors,
    intake_term: &str,
    name: &str,
) -> AppResult<(Option<qobe_store::rows::Term>, Option<String>)> {
    let term = terms::by_code(app.store.conn(), institution, &intake_term.trim().to_uppercase()).await?;
    if term.is_none() {
        errors.refuse("intake_term", "is not a term code of this institution");
    }
    Ok((term, errors.check("name", required_text(name, 100))))
}

const DUPLICATE_INTAKE: &str = "This program already has a cohort for that intake term.";

/// Renames a cohort or corrects its intake term.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: CohortId,
    input: &CohortChange,
    client: &ClientInfo,
) -> AppResult<()> {
    let CohortChange { intake_term, name } = input;
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    cohorts::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let (term, name) = intake_and_name(app, institution, &mut errors, intake_term, name).await?;
    let (Some(term), Some(name)) = (term, name) else { return Err(AppError::Invalid(errors)) };
    let tx = app.store.begin().await?;
    cohorts::update(&tx, institution, id, TermId(term.id), &name)
        .await
        .map_err(duplicate("intake_term", DUPLICATE_INTAKE))?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.cohort_updated").target(&name)).await?;
    Ok(qobe_store::commit(tx).await?)
}

pub async fn create(app: &App, actor: &Actor, input: &CohortInput, client: &ClientInfo) -> AppResult<Cohort> {
    let CohortInput { program_id, intake_term, name } = input;
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let conn = app.store.conn();
    let mut errors = FieldErrors::new();
    let program_row = match program_id.text().trim().parse::<i64>() {
        Ok(id) => structure::program(conn, institution, ProgramId(id)).await?,
        Err(_) => None,
    };
    if program_row.is_none() {
        errors.refuse("program_id", "choose a program of this institution");
    }
    let (term, name) = intake_and_name(app, institution, &mut errors, intake_term, name).await?;
    let (Some(program_row), Some(term), Some(name)) = (program_row, term, name) else {
        return Err(AppError::Invalid(errors));
    };
    let tx = app.store.begin().await?;
    let cohort = cohorts::insert(&tx, institution, ProgramId(program_row.id), TermId(term.id), None, &name, app.now())
        .await
        .map_err(duplicate("intake_term", DUPLICATE_INTAKE))?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.cohort_created").target(&name)).await?;
    qobe_store::commit(tx).await?;
    Ok(cohort)
}

/// A cohort with its students and their accounts.
pub struct CohortView {
    pub cohort: Cohort,
    pub students: Vec<(Student, crate::accounts::Account)>,
}

pub async fn view(app: &App, actor: &Actor, id: CohortId) -> AppResult<CohortView> {
    let institution = actor.require(Permission::ViewUsers)?;
    let conn = app.store.conn();
    let cohort = cohorts::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let mut students = Vec::new();
    for student in cohorts::students_in_cohort(conn, institution, id).await? {
        if let Some(user) = accounts::get(conn, Some(institution), UserId(student.user_id)).await? {
            students.push((student, user.into()));
        }
    }
    Ok(CohortView { cohort, students })
}

/// Records an existing account as a student of the cohort's program with a registration number.
pub async fn add_student(
    app: &App,
    actor: &Actor,
    id: CohortId,
    input: &CohortStudentInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let CohortStudentInput { email, registration_no } = input;
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let conn = app.store.conn();
    let cohort = cohorts::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let user = match Email::parse(email) {
        Ok(email) => accounts::by_email(conn, Some(institution), email.as_str()).await?,
        Err(m) => {
            errors.add("email", m);
            None
        }
    };
    if user.is_none() && errors.is_empty() {
        errors.refuse("email", "nobody with that email has an account here; invite them first");
    }
    let number = errors.check("registration_no", required_text(registration_no, 40).map(|n| n.to_uppercase()));
    let (Some(user), Some(number)) = (user, number) else { return Err(AppError::Invalid(errors)) };
    if cohorts::student_of(conn, institution, UserId(user.id)).await?.is_some() {
        return Err(AppError::conflict("email", format!("{} already has a student record", user.email)));
    }
    let new = cohorts::NewStudent {
        user: UserId(user.id),
        program: ProgramId(cohort.program_id),
        cohort: Some(id),
        registration_no: &number,
    };
    let tx = app.store.begin().await?;
    cohorts::insert_student(&tx, institution, new, app.now())
        .await
        .map_err(duplicate("registration_no", "Another student already has that registration number."))?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.student_added")
            .target(&user.email)
            .details(serde_json::json!({ "cohort": id.0, "registration_no": number })),
    )
    .await?;
    Ok(qobe_store::commit(tx).await?)
}
