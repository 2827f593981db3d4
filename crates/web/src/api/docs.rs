//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{academics, assessment, structure, v1};

#[derive(OpenApi)]
#[openapi(
    info(title = "QOBE API", description = "Outcome-Based Learning Management System. Authenticate with a personal API token from the Security page: `Authorization: Bearer qobe_…`."),
    paths(
        v1::me, v1::institution, v1::list_users, v1::get_user, v1::invite, v1::login_history,
        academics::list_terms, academics::list_courses, academics::get_course, academics::list_offerings,
        academics::program_outcomes, academics::program_matrix, academics::my_registrations, academics::register,
        academics::drop_registration,
        structure::list_faculties, structure::create_faculty, structure::list_departments, structure::create_department,
        structure::list_programs, structure::create_program, structure::list_cohorts, structure::create_cohort,
        structure::list_curricula, structure::create_curriculum, structure::create_term, structure::create_course, structure::create_offering,
        assessment::plan, assessment::get_marks, assessment::put_marks, assessment::attainment, assessment::clo_explanation,
        assessment::student_explanation, assessment::grades, assessment::grades_step, assessment::my_results,
        assessment::my_outcomes, assessment::program_attainment
    ),
    components(schemas(v1::UserOut, v1::RoleOut, v1::InstitutionOut, v1::UserPageOut, v1::InvitationIn, v1::LoginOut, v1::ErrorOut, v1::FieldErrorOut,
        academics::TermOut, academics::CourseOut, academics::CourseDetailOut, academics::PrerequisiteOut, academics::OutcomeOut,
        academics::OfferingOut, academics::ProgramOutcomesOut, academics::MatrixOut, academics::MatrixCourseOut, academics::MatrixRowOut,
        academics::RegistrationOut, academics::RegistrationIn, academics::PlacementOut,
        structure::CodeNameIn, structure::FacultyOut, structure::DepartmentOut, structure::DepartmentIn, structure::ProgramOut,
        structure::ProgramIn, structure::CohortOut, structure::CohortIn, structure::CurriculumOut, structure::CurriculumIn,
        structure::TermIn, structure::CourseIn, structure::OfferingIn, structure::OfferingCreatedOut,
        assessment::ItemOut, assessment::AssessmentOut, assessment::PlanOut, assessment::MarkIo, assessment::MarksOut, assessment::StudentOut,
        assessment::MarksIn, assessment::CloOut, assessment::AttainmentOut, assessment::SavedOut, assessment::GradeLineOut, assessment::GradesOut,
        assessment::StepIn, assessment::MyResultOut, assessment::MyResultsOut, assessment::CohortPloOut, assessment::MyCloOut,
        assessment::MyPloOut, assessment::MyOutcomesOut)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as pretty JSON, for snapshot tests and `qobe openapi`.
pub fn openapi_json() -> String {
    openapi().to_pretty_json().unwrap_or_default()
}
