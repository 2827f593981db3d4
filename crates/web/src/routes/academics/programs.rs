//! A program's outcome model: PEOs, PLOs (optionally adopted from a built-in framework) and
//! the CLO-PLO mapping matrix with articulation averages.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::academics::outcomes::{self, Kind, Matrix, Outcome};
use qobe_app::structure::Program;
use qobe_domain::frameworks::{self, Framework};
use qobe_domain::ids::ProgramId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::export::{Format, download};
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/programs/{id}", get(show))
        .route("/academics/programs/{id}/adopt", post(adopt))
        .route("/academics/programs/{id}/matrix", get(matrix).post(set_cell))
        .route("/academics/programs/{id}/plo-peo", post(save_plo_peo))
}

#[derive(Template)]
#[template(path = "academics/program.html")]
pub struct ProgramPage {
    page: Page,
    program: Program,
    plos: Vec<Outcome>,
    peos: Vec<Outcome>,
    curricula: Vec<qobe_app::academics::curricula::CurriculumVersion>,
    /// Linked (PLO lineage, PEO lineage) pairs.
    links: Vec<(i64, i64)>,
    frameworks: &'static [Framework],
    forms: ProgramForms,
    /// May change the program's outcomes, links and curricula.
    can_edit: bool,
    /// May open its PLO attainment.
    can_view_attainment: bool,
}

/// Forms of the program page that may come back with errors.
#[derive(Default)]
pub struct ProgramForms {
    pub plo_form: FormState,
    pub peo_form: FormState,
    pub adopt_form: FormState,
    pub edit: Option<(i64, FormState)>,
}

impl ProgramForms {
    pub fn new_form(&mut self, kind: Kind) -> &mut FormState {
        if kind == Kind::Peo { &mut self.peo_form } else { &mut self.plo_form }
    }
}

impl ProgramPage {
    fn edit_form(&self, outcome: &Outcome) -> FormState {
        match &self.forms.edit {
            Some((id, form)) if *id == outcome.id => form.clone(),
            _ => FormState::new().set("code", &outcome.code).set("title", &outcome.title).set("text", &outcome.text),
        }
    }

    fn linked(&self, plo: &Outcome, peo: &Outcome) -> bool {
        self.links.contains(&(plo.lineage_id, peo.lineage_id))
    }

    fn framework_label(&self, outcome: &Outcome) -> String {
        match (&outcome.framework_key, &outcome.framework_code) {
            (Some(key), Some(code)) => {
                let name = frameworks::find(key).map(|f| f.name).unwrap_or(key.as_str());
                format!("{code} ({name})")
            }
            _ => String::new(),
        }
    }
}

pub async fn program_page(
    state: &AppState,
    signed: &SignedIn,
    id: ProgramId,
    forms: ProgramForms,
) -> Result<ProgramPage, HtmlError> {
    let app = &state.app;
    let (_, programs) = qobe_app::structure::list(app, &signed.actor).await?;
    let program = programs.into_iter().find(|p| p.id == id.0).ok_or(qobe_app::AppError::NotFound)?;
    let plos = outcomes::list(app, &signed.actor, Kind::Plo, id.0, None).await?;
    let peos = outcomes::list(app, &signed.actor, Kind::Peo, id.0, None).await?;
    let curricula = qobe_app::academics::curricula::list(app, &signed.actor, id).await?;
    let links = outcomes::plo_peo_links(app, &signed.actor, id).await?;
    let can_edit = qobe_app::authz::edit_program_outcomes(&signed.actor, program.id, program.department_id);
    let can_view_attainment =
        qobe_app::authz::view_program_attainment(&signed.actor, program.id, program.department_id);
    Ok(ProgramPage {
        can_edit,
        can_view_attainment,
        page: Page::new(&program.name.clone(), &signed.ctx),
        program,
        plos,
        peos,
        curricula,
        links,
        frameworks: frameworks::builtin(),
        forms,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&program_page(&state, &signed, ProgramId(id), ProgramForms::default()).await?))
}

async fn adopt(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<qobe_app::academics::outcomes::FrameworkChoice>,
) -> Result<Response, HtmlError> {
    match outcomes::adopt_framework(&state.app, &signed.actor, ProgramId(id), &form.input, &signed.ctx.client).await {
        Ok(plos) => Ok(done(
            &state,
            &format!("/academics/programs/{id}"),
            &format!("{} PLOs adopted; edit them as you need.", plos.len()),
        )),
        Err(err) => {
            let forms = ProgramForms { adopt_form: form.typed.absorb(err)?, ..ProgramForms::default() };
            Ok(render_invalid(&program_page(&state, &signed, ProgramId(id), forms).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "academics/matrix.html")]
struct MatrixPage {
    page: Page,
    matrix: Matrix,
    error: Option<String>,
    /// May change the mapping.
    can_edit: bool,
    /// May open the program's PLO attainment.
    can_view_attainment: bool,
}

fn matrix_page(signed: &SignedIn, matrix: Matrix, error: Option<String>) -> MatrixPage {
    let (actor, program) = (&signed.actor, &matrix.program);
    let can_edit = qobe_app::authz::edit_program_outcomes(actor, program.id, program.department_id);
    let can_view_attainment = qobe_app::authz::view_program_attainment(actor, program.id, program.department_id);
    MatrixPage { page: Page::new("CLO-PLO mapping", &signed.ctx), matrix, error, can_edit, can_view_attainment }
}

impl MatrixPage {
    fn average(&self, value: &Option<f64>) -> String {
        value.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())
    }

    fn cell(&self, value: &Option<qobe_domain::frameworks::MappingStrength>) -> String {
        value.map(|s| s.value().to_string()).unwrap_or_default()
    }
}

impl MatrixPage {
    fn coverage(&self) -> Vec<(Outcome, qobe_app::academics::outcomes::PloCoverage)> {
        self.matrix.plos.iter().cloned().zip(self.matrix.coverage()).collect()
    }
}

async fn matrix(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
) -> Result<Response, HtmlError> {
    let matrix = outcomes::matrix(&state.app, &signed.actor, ProgramId(id)).await?;
    if let Some(file) = download(&state, &signed, &format, || qobe_app::reports::matrix(&matrix)).await? {
        return Ok(file);
    }
    Ok(render(&matrix_page(&signed, matrix, None)))
}

/// The matrix form posts one field per cell, named `c{clo}_{plo}`.
async fn set_cell(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let cells = crate::routes::grid_cells(fields, 'c');
    match outcomes::save_matrix(&state.app, &signed.actor, ProgramId(id), &cells, &signed.ctx.client).await {
        Ok(changed) => Ok(done(
            &state,
            &format!("/academics/programs/{id}/matrix"),
            &format!("Mapping saved ({changed} cells changed)."),
        )),
        Err(qobe_app::AppError::Invalid(errors)) => {
            let matrix = outcomes::matrix(&state.app, &signed.actor, ProgramId(id)).await?;
            let message = crate::routes::joined_messages(&errors);
            Ok(render_invalid(&matrix_page(&signed, matrix, Some(message))))
        }
        Err(err) => Err(err.into()),
    }
}

/// The PLO→PEO grid posts one checkbox per linked pair, named `l{plo}_{peo}`.
async fn save_plo_peo(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let links: Vec<(i64, i64)> =
        crate::routes::grid_cells(fields, 'l').into_iter().map(|(plo, peo, _)| (plo, peo)).collect();
    outcomes::save_plo_peo(&state.app, &signed.actor, ProgramId(id), &links, &signed.ctx.client).await?;
    Ok(done(&state, &format!("/academics/programs/{id}"), "Links between PLOs and PEOs saved."))
}
