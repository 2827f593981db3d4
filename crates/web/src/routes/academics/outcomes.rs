//! Writing outcomes: CLOs on the course page, PEOs and PLOs on the program page. Edits of an
//! outcome that has evidence become a new version from a later term.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use qobe_app::academics::outcomes::{self, Edited, Kind, OutcomeInput};
use qobe_domain::ids::{CourseId, ProgramId};

use super::courses::{CourseForms, course_page};
use super::programs::{ProgramForms, program_page};
use crate::AppState;
use crate::context::SignedIn;
use crate::error::HtmlError;
use crate::forms::Submitted;
use crate::routes::{done, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/courses/{id}/clos", post(create_clo))
        .route("/academics/courses/{id}/clos/{clo}/edit", post(edit_clo))
        .route("/academics/programs/{id}/{kind}", post(create_program_outcome))
        .route("/academics/programs/{id}/{kind}/{outcome}/edit", post(edit_program_outcome))
}

fn edited_notice(kind: Kind, code: &str, result: &Edited) -> String {
    let code = code.trim().to_uppercase();
    match result {
        Edited::InPlace => format!("{} {code} saved.", kind.label()),
        Edited::NewVersion { version, term_code } => format!(
            "{} {code} is in use, so version {version} was created; it applies from {term_code}. Earlier terms keep the old wording.",
            kind.label()
        ),
    }
}

async fn create_clo(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<OutcomeInput>,
) -> Result<Response, HtmlError> {
    let back = format!("/academics/courses/{id}");
    match outcomes::create(&state.app, &signed.actor, Kind::Clo, id, &form.input, &signed.ctx.client).await {
        Ok(clo) => Ok(done(&state, &back, &format!("{} added.", clo.code))),
        Err(err) => {
            let forms = CourseForms { clo_form: form.typed.absorb(err)?, ..CourseForms::default() };
            Ok(render_invalid(&course_page(&state, &signed, CourseId(id), forms).await?))
        }
    }
}

async fn edit_clo(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, clo)): Path<(i64, i64)>,
    form: Submitted<OutcomeInput>,
) -> Result<Response, HtmlError> {
    let back = format!("/academics/courses/{id}");
    match outcomes::edit(&state.app, &signed.actor, Kind::Clo, id, clo, &form.input, &signed.ctx.client).await {
        Ok(result) => Ok(done(&state, &back, &edited_notice(Kind::Clo, &form.input.code, &result))),
        Err(err) => {
            let forms = CourseForms { clo_edit: Some((clo, form.typed.absorb(err)?)), ..CourseForms::default() };
            Ok(render_invalid(&course_page(&state, &signed, CourseId(id), forms).await?))
        }
    }
}

fn program_kind(raw: &str) -> Result<Kind, HtmlError> {
    match raw {
        "plos" => Ok(Kind::Plo),
        "peos" => Ok(Kind::Peo),
        _ => Err(qobe_app::AppError::NotFound.into()),
    }
}

async fn create_program_outcome(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, kind)): Path<(i64, String)>,
    form: Submitted<OutcomeInput>,
) -> Result<Response, HtmlError> {
    let kind = program_kind(&kind)?;
    let back = format!("/academics/programs/{id}");
    match outcomes::create(&state.app, &signed.actor, kind, id, &form.input, &signed.ctx.client).await {
        Ok(row) => Ok(done(&state, &back, &format!("{} added.", row.code))),
        Err(err) => {
            let mut forms = ProgramForms::default();
            *forms.new_form(kind) = form.typed.absorb(err)?;
            Ok(render_invalid(&program_page(&state, &signed, ProgramId(id), forms).await?))
        }
    }
}

async fn edit_program_outcome(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, kind, outcome)): Path<(i64, String, i64)>,
    form: Submitted<OutcomeInput>,
) -> Result<Response, HtmlError> {
    let kind = program_kind(&kind)?;
    let back = format!("/academics/programs/{id}");
    match outcomes::edit(&state.app, &signed.actor, kind, id, outcome, &form.input, &signed.ctx.client).await {
        Ok(result) => Ok(done(&state, &back, &edited_notice(kind, &form.input.code, &result))),
        Err(err) => {
            let forms = ProgramForms { edit: Some((outcome, form.typed.absorb(err)?)), ..ProgramForms::default() };
            Ok(render_invalid(&program_page(&state, &signed, ProgramId(id), forms).await?))
        }
    }
}
