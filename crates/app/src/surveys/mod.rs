//! Surveys (issue 14): designed as one form value (`qobe_domain::surveys`), published to an
//! audience of people with accounts or to external respondents by single-use links, answered
//! with save-and-resume, and summarised with the anonymity rule; their rated questions mapped to
//! CLOs, PLOs or PEOs give indirect attainment. ADR 0009 says why participation and responses
//! are apart.

pub mod design;
pub mod edit;
pub mod evidence;
pub mod publish;
pub mod respond;
pub mod results;
pub mod subjects;
pub mod tally;
mod templates;

use qobe_domain::ids::{OfferingId, ProgramId, SurveyId};
use qobe_domain::surveys::SurveyForm;
/// A survey's stored record, as its pages show it (it holds nothing secret).
pub use qobe_store::rows::Survey;

use crate::{Actor, App, AppError, AppResult, authz};

/// What a survey is for: the templates, and which outcomes its questions may be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Students of an offering, at its end: one item per CLO.
    CourseExit,
    /// A program's graduating students: one item per PLO.
    Graduating,
    /// A program's alumni, a few years on: one item per PEO.
    Alumni,
    /// Employers of a program's graduates: one item per PEO.
    Employer,
    General,
}

impl Purpose {
    pub const ALL: [Purpose; 5] =
        [Purpose::CourseExit, Purpose::Graduating, Purpose::Alumni, Purpose::Employer, Purpose::General];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::CourseExit => "course_exit",
            Purpose::Graduating => "graduating",
            Purpose::Alumni => "alumni",
            Purpose::Employer => "employer",
            Purpose::General => "general",
        }
    }

    pub fn parse(value: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Purpose::CourseExit => "Course exit survey",
            Purpose::Graduating => "Graduating-student survey",
            Purpose::Alumni => "Alumni survey",
            Purpose::Employer => "Employer survey",
            Purpose::General => "Survey",
        }
    }
}

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being designed; nobody is asked yet.
    Draft,
    /// Published: takes answers within its window.
    Open,
    /// Takes no more answers.
    Closed,
}

impl Status {
    pub fn of(survey: &Survey) -> Status {
        match survey.status.as_str() {
            "open" => Status::Open,
            "closed" => Status::Closed,
            _ => Status::Draft,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
}

/// The survey's form, as saved.
pub fn form_of(survey: &Survey) -> AppResult<SurveyForm> {
    serde_json::from_str(&survey.form).map_err(|e| AppError::Internal(format!("survey {} form: {e}", survey.id)))
}

/// Whether the actor may design, publish and read the results of surveys about this offering,
/// program, or (neither) the institution: an offering's instructors and its department's outcome
/// managers; a program's outcome managers; QA officers and admins for the institution's own.
pub async fn may_manage(
    app: &App,
    actor: &Actor,
    offering: Option<OfferingId>,
    program: Option<ProgramId>,
) -> AppResult<bool> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    if let Some(offering) = offering {
        return match crate::assessment::staff_access(app, actor, offering).await {
            Ok(_) => Ok(true),
            Err(AppError::Forbidden) => Ok(false),
            Err(e) => Err(e),
        };
    }
    if let Some(program) = program {
        let row = qobe_store::structure::program(conn, institution, program).await?.ok_or(AppError::NotFound)?;
        return Ok(authz::edit_program_outcomes(actor, row.id, row.department_id));
    }
    Ok(authz::manage_surveys(actor))
}

/// The survey, if the actor may manage it (another institution's is not found).
pub async fn managed(app: &App, actor: &Actor, id: SurveyId) -> AppResult<Survey> {
    let survey =
        qobe_store::surveys::get(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let offering = survey.offering_id.map(OfferingId);
    let program = survey.program_id.map(ProgramId);
    if may_manage(app, actor, offering, program).await? { Ok(survey) } else { Err(AppError::Forbidden) }
}
