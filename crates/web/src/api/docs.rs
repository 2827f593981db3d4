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
    modifiers(&BearerAuth, &StandardResponses)
)]
struct ApiDoc;

/// Every operation states every status it can answer with: the refusals any request can meet
/// (unreadable input, not signed in, not allowed or an obligation owed, not found) and, for a
/// body, too large and wrong content type. All of them carry the `ErrorOut` shape.
struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let always = [
            (
                "400",
                "BadRequest",
                "A path, query or body value could not be read, or a text value holds a NUL character.",
            ),
            (
                "401",
                "Unauthenticated",
                "No valid API token or session; a token is revoked when its account is deactivated or its institution suspended.",
            ),
            (
                "403",
                "Forbidden",
                "Not allowed, or something is owed first (`consent_required`, `two_factor_setup_required`), or a session call without its CSRF token.",
            ),
            ("404", "NotFound", "No such resource in the caller's institution, or no such address."),
            ("405", "MethodNotAllowed", "The address does not take this method."),
            (
                "422",
                "Unprocessable",
                "A value is not acceptable (a body not of the documented shape, a page out of range); `fields` names each.",
            ),
        ];
        let with_body = [
            ("413", "TooLarge", "The body is larger than 2 MB."),
            ("415", "UnsupportedMediaType", "The body is not `application/json`."),
        ];
        let components = openapi.components.get_or_insert_with(Default::default);
        for (_, name, description) in always.iter().chain(&with_body) {
            let response = ResponseBuilder::new()
                .description(*description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorOut"))).build(),
                )
                .build();
            components.responses.insert((*name).to_owned(), RefOr::T(response));
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                let has_body = operation.request_body.is_some();
                let responses = &mut operation.responses.responses;
                for (status, name, _) in always.iter().chain(if has_body { &with_body[..] } else { &[] }) {
                    responses
                        .entry((*status).to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
                }
            }
        }
        openapi.info.description = Some(format!(
            "{}\n\nLimits: request bodies up to {} MB; `page` from 1 to {}. Every error has the shape `ErrorOut` with a stable `code`.",
            openapi.info.description.clone().unwrap_or_default(),
            crate::limits::FORM / 1024 / 1024,
            qobe_app::MAX_PAGE
        ));
    }
}

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
