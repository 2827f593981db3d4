//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    academics, accounts, assessment, assignments, forums, learning, messages, quizzes, registration, results,
    structure, surveys,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "QOBE API", description = "Outcome-Based Learning Management System. Authenticate with a personal API token from the Security page: `Authorization: Bearer qobe_…`."),
    paths(
        accounts::me, accounts::institution, accounts::list_users, accounts::get_user, accounts::invite, accounts::login_history,
        academics::list_terms, academics::list_courses, academics::get_course, academics::list_offerings,
        academics::program_outcomes, academics::program_matrix, registration::my_registrations, registration::register,
        registration::drop_registration,
        structure::list_faculties, structure::create_faculty, structure::list_departments, structure::create_department,
        structure::list_programs, structure::create_program, structure::list_cohorts, structure::create_cohort,
        structure::list_curricula, structure::create_curriculum, structure::create_term, structure::create_course, structure::create_offering,
        assessment::plan, assessment::get_marks, assessment::put_marks, assessment::attainment, assessment::clo_explanation,
        assessment::student_explanation, results::grades, results::grades_step, results::my_results,
        assessment::my_outcomes, assessment::program_attainment,
        surveys::list, surveys::design, surveys::create, surveys::save, surveys::copy, surveys::publish, surveys::remind,
        surveys::close, surveys::results, surveys::own_response, surveys::answer,
        learning::outline, learning::add_module, learning::class_progress, learning::add_item, learning::open_item,
        learning::set_completion, learning::item_file, learning::class_announcements, learning::announce,
        learning::my_announcements,
        forums::forum, forums::start_thread, forums::follow_forum, forums::unfollow_forum,
        forums::thread, forums::reply, forums::moderate, forums::follow_thread, forums::unfollow_thread,
        forums::edit_post, forums::hide_post, forums::show_post, messages::inbox, messages::send,
        messages::conversation, messages::reply_message,
        assignments::list_assignments, assignments::create_assignment, assignments::my_assignment, assignments::hand_in,
        assignments::assignment_students, assignments::extend_assignment, assignments::grade_assignment,
        assignments::release_assignment,
        quizzes::list_questions, quizzes::create_question, quizzes::update_question, quizzes::list_quizzes,
        quizzes::create_quiz, quizzes::update_quiz, quizzes::start_attempt, quizzes::get_attempt, quizzes::save_answer,
        quizzes::hand_in_attempt, quizzes::quiz_results, quizzes::accommodate_quiz, quizzes::score_answer
    ),
    components(schemas(accounts::UserOut, accounts::RoleOut, accounts::InstitutionOut, accounts::UserPageOut, qobe_app::accounts::invitations::InvitationInput, accounts::LoginOut, super::ErrorOut, super::FieldErrorOut,
        academics::TermOut, academics::CourseOut, academics::CourseDetailOut, academics::PrerequisiteOut, academics::OutcomeOut,
        academics::OfferingOut, academics::ProgramOutcomesOut, academics::MatrixOut, academics::MatrixCourseOut, academics::MatrixRowOut,
        registration::RegistrationOut, registration::RegistrationIn, registration::PlacementOut,
        qobe_app::structure::FacultyInput, structure::FacultyOut, structure::DepartmentOut, qobe_app::structure::DepartmentInput, structure::ProgramOut,
        qobe_app::structure::ProgramInput, structure::CohortOut, qobe_app::academics::cohorts::CohortInput, structure::CurriculumOut, qobe_app::academics::curricula::CurriculumInput,
        qobe_app::academics::terms::TermInput, qobe_app::academics::courses::CourseInput, qobe_app::academics::offerings::OfferingInput, structure::OfferingCreatedOut,
        assessment::ItemOut, assessment::AssessmentOut, assessment::PlanOut, qobe_app::assessment::marks::MarkInput, assessment::MarksOut, assessment::StudentOut,
        qobe_app::assessment::marks::MarksInput, assessment::CloOut, assessment::AttainmentOut, assessment::SavedOut, results::GradeLineOut, results::GradesOut,
        qobe_app::results::StepInput, results::MyResultOut, results::MyResultsOut, assessment::CohortPloOut, assessment::MyCloOut,
        assessment::MyPloOut, assessment::MyOutcomesOut,
        surveys::SurveyOut, surveys::AskedOut, surveys::SurveysOut, surveys::LinkOut, surveys::DesignOut, surveys::IndirectOut,
        surveys::ResultsOut, surveys::ResponseOut, surveys::AnsweredOut, qobe_app::surveys::respond::AnswerInput,
        qobe_app::surveys::respond::FieldValue, qobe_app::surveys::design::NewSurveyInput, qobe_app::surveys::design::DesignInput,
        qobe_app::surveys::design::LinkInput, qobe_app::surveys::publish::PublishInput, surveys::PublishedOut, surveys::RemindedOut,
        learning::ContentItemOut, learning::ModuleOut, learning::ContentOut, learning::OpenedOut, learning::CompletionIn,
        learning::StudentProgressOut, learning::ClassProgressOut, qobe_app::learning::content::ModuleInput,
        qobe_app::learning::content::ItemInput, qobe_domain::learning::Progress, learning::AnnouncementOut,
        learning::AnnouncementsOut, qobe_app::learning::announcements::AnnouncementInput,
        forums::ThreadOut, forums::ForumOut, forums::PostOut, forums::ThreadDetailOut, forums::FollowingOut,
        messages::ConversationOut, messages::InboxOut, messages::MessageOut, messages::ConversationDetailOut,
        qobe_app::learning::forums::ThreadInput, qobe_app::learning::forums::PostInput, qobe_app::learning::forums::HideInput,
        qobe_app::learning::forums::ModerationInput, qobe_app::messages::MessageInput, qobe_app::messages::ReplyInput,
        assignments::AssignmentOut, assignments::AssignmentsOut, assignments::SubmissionOut, assignments::FileOut,
        assignments::ReleasedMarkOut, assignments::MyWorkOut, assignments::StudentLineOut, assignments::StudentsOut,
        assignments::ExtensionOut, assignments::GradedOut, qobe_app::assignments::AssignmentInput,
        qobe_app::assignments::ExtensionInput, qobe_app::assignments::submit::SubmissionInput,
        qobe_app::assignments::grading::GradeInput, qobe_app::assignments::grading::GivenMark,
        quizzes::QuestionOut, quizzes::QuestionsOut, quizzes::RegradedOut, quizzes::QuizOut, quizzes::QuizzesOut,
        quizzes::ShownOut, quizzes::AttemptOut, quizzes::AnswerSavedOut, quizzes::QuizResultLineOut, quizzes::QuizStatisticOut,
        quizzes::QuizResultsOut, qobe_app::quizzes::bank::QuestionInput, qobe_app::quizzes::QuizInput,
        qobe_app::quizzes::SectionInput, qobe_app::quizzes::AccommodationInput, qobe_app::quizzes::results::HandScore,
        qobe_domain::quizzes::Body, qobe_domain::quizzes::Pair, qobe_domain::quizzes::Response)),
    modifiers(&BearerAuth, &StandardResponses, &RequestShapes)
)]
struct ApiDoc;

/// The request bodies state exactly what the server accepts, so a request the document allows
/// is never refused as malformed (422) and one it forbids never gets through:
/// - unknown properties are refused (`additionalProperties: false`, `deny_unknown_fields`);
/// - every text property carries the pattern of the validator that reads it: required text
///   needs something visible and no control characters, optional text no control characters
///   ([`qobe_domain::validation`]); a handler names another rule with `#[schema(pattern =
///   "email")]` or `"schedule"`, resolved here to the domain's own pattern (an email address
///   gets two: its grammar, and its local part's length).
struct RequestShapes;

/// The request body schemas.
const REQUEST_SCHEMAS: &[&str] = &[
    "ModuleInput",
    "AnnouncementInput",
    "ThreadInput",
    "PostInput",
    "HideInput",
    "ModerationInput",
    "MessageInput",
    "ReplyInput",
    "AssignmentInput",
    "ExtensionInput",
    "SubmissionInput",
    "GradeInput",
    "GivenMark",
    "QuestionInput",
    "QuizInput",
    "SectionInput",
    "AccommodationInput",
    "HandScore",
    "MatchPair",
    "QuizResponse",
    "ItemInput",
    "CompletionIn",
    "CodeNameIn",
    "DepartmentIn",
    "ProgramIn",
    "CohortIn",
    "CurriculumIn",
    "TermIn",
    "CourseIn",
    "OfferingIn",
    "InvitationIn",
    "RegistrationIn",
    "MarksIn",
    "MarkIo",
    "StepIn",
    "AnswerInput",
    "NewSurveyInput",
    "DesignInput",
    "LinkInput",
    "PublishInput",
    "SurveyForm",
    "Section",
    "Question",
    "Condition",
];

fn named_pattern(name: &str) -> Option<String> {
    match name {
        "schedule" => Some(qobe_domain::schedule::SCHEDULE_PATTERN.to_owned()),
        "optional_text" => Some(qobe_domain::validation::optional_text_pattern()),
        "required_text" => Some(qobe_domain::validation::required_text_pattern()),
        _ => None,
    }
}

/// The values of a domain vocabulary a handler names with `#[schema(pattern = "enum:…")]`.
fn named_values(name: &str) -> Option<Vec<&'static str>> {
    match name {
        "enum:role" => Some(qobe_domain::roles::Role::ALL.iter().map(|r| r.as_str()).collect()),
        "enum:scope" => Some(vec!["institution", "department", "program"]),
        "enum:survey_purpose" => Some(qobe_app::surveys::Purpose::ALL.iter().map(|p| p.as_str()).collect()),
        "enum:survey_audience" => Some(qobe_app::surveys::publish::AUDIENCES.to_vec()),
        "enum:outcome_kind" => Some(vec!["clo", "plo", "peo"]),
        "enum:content_kind" => Some(vec!["page", "link"]),
        "enum:late_unit" => Some(qobe_domain::assignments::LateUnit::ALL.iter().map(|u| u.as_str()).collect()),
        "enum:content_completion" => Some(qobe_domain::learning::Completion::ALL.iter().map(|c| c.as_str()).collect()),
        "enum:course_category" => {
            Some(qobe_domain::academics::CourseCategory::ALL.iter().map(|c| c.as_str()).collect())
        }
        _ => None,
    }
}

/// Variants of a request's part (a survey question's kind, a condition's test): each variant is
/// held to its own properties and its text carries the validators' patterns.
const REQUEST_PARTS: &[&str] = &["QuestionKind", "Test", "QuestionBody"];

impl Modify for RequestShapes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::AdditionalProperties;
        use utoipa::openapi::{RefOr, schema::Schema};
        let Some(components) = openapi.components.as_mut() else { return };
        for (name, schema) in components.schemas.iter_mut() {
            if name == "FieldValue" {
                text_alternatives(schema);
                continue;
            }
            let request = REQUEST_SCHEMAS.contains(&name.as_str());
            if request && let RefOr::T(Schema::Object(object)) = schema {
                object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
            if let RefOr::T(schema) = schema {
                shape(schema, request || REQUEST_PARTS.contains(&name.as_str()));
            }
        }
    }
}

/// Resolves the named patterns and vocabularies of a schema's properties and, in a request
/// (`request`), gives every other text its validator's pattern — inside variants and lists too.
fn shape(schema: &mut utoipa::openapi::schema::Schema, request: bool) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ArrayItems, Schema};
    match schema {
        Schema::Object(object) => {
            let required = object.required.clone();
            for (property, value) in object.properties.iter_mut() {
                match value {
                    RefOr::T(Schema::Object(_)) => {
                        if let Some(both) = shape_property(value, required.contains(property), request) {
                            *value = both;
                        }
                    }
                    RefOr::T(other) if request => shape(other, true),
                    _ => {}
                }
            }
        }
        Schema::Array(list) if request => {
            if let ArrayItems::RefOrSchema(inner) = &mut list.items
                && let RefOr::T(item) = inner.as_mut()
            {
                match item {
                    Schema::Object(text) if text.properties.is_empty() => text_pattern(text, false),
                    other => shape(other, true),
                }
            }
        }
        Schema::OneOf(one_of) if request => {
            for item in &mut one_of.items {
                if let RefOr::T(variant) = item {
                    if let Schema::Object(object) = variant
                        && !object.properties.is_empty()
                    {
                        object.additional_properties =
                            Some(Box::new(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
                    }
                    shape(variant, true);
                }
            }
        }
        Schema::AllOf(all_of) if request => {
            for item in &mut all_of.items {
                if let RefOr::T(part) = item {
                    shape(part, true);
                }
            }
        }
        _ => {}
    }
}

/// One property: a named pattern or vocabulary resolved, an email given both its patterns (the
/// returned replacement), or a request's plain text its validator's pattern.
fn shape_property(
    value: &mut utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    required: bool,
    request: bool,
) -> Option<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>> {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, SchemaType, Type};
    let RefOr::T(Schema::Object(field)) = value else { return None };
    // A map's keys are text a request sends too: no NUL or control characters.
    if request && field.property_names.is_some() {
        let keys = ObjectBuilder::new().schema_type(Type::String).pattern(named_pattern("optional_text")).build();
        field.property_names = Some(Box::new(Schema::Object(keys)));
    }
    if let Some(values) = field.pattern.as_deref().and_then(named_values) {
        field.pattern = None;
        let mut values: Vec<serde_json::Value> = values.into_iter().map(serde_json::Value::from).collect();
        // A property that may be null keeps null among its values.
        if matches!(&field.schema_type, SchemaType::Array(types) if types.contains(&Type::Null)) {
            values.push(serde_json::Value::Null);
        }
        field.enum_values = Some(values);
    } else if field.pattern.as_deref() == Some("email") {
        // The address's grammar, and its local part's length as a second pattern.
        field.pattern = Some(qobe_domain::accounts::Email::pattern());
        let local = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(qobe_domain::accounts::Email::local_part_pattern()))
            .build();
        let both = AllOfBuilder::new().item(Schema::Object(field.clone())).item(local).build();
        return Some(RefOr::T(Schema::AllOf(both)));
    } else if let Some(resolved) = field.pattern.as_deref().and_then(named_pattern) {
        field.pattern = Some(resolved);
    } else if request {
        text_pattern(field, required);
    }
    None
}

/// A request's text with no pattern of its own gets its validator's: required text needs
/// something visible, optional text no control characters.
fn text_pattern(field: &mut utoipa::openapi::schema::Object, required: bool) {
    use utoipa::openapi::schema::{SchemaType, Type};
    let is_string = match &field.schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    };
    if is_string && field.pattern.is_none() && field.format.is_none() && field.enum_values.is_none() {
        field.pattern = named_pattern(if required { "required_text" } else { "optional_text" });
    }
}

/// A survey answer's value, one text or several, holds no NUL character like every text a
/// request may send.
fn text_alternatives(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ArrayItems, Schema};
    let pattern = named_pattern("optional_text");
    let RefOr::T(Schema::OneOf(one_of)) = schema else { return };
    for item in &mut one_of.items {
        match item {
            RefOr::T(Schema::Object(text)) => text.pattern = pattern.clone(),
            RefOr::T(Schema::Array(list)) => {
                if let ArrayItems::RefOrSchema(inner) = &mut list.items
                    && let RefOr::T(Schema::Object(text)) = inner.as_mut()
                {
                    text.pattern = pattern.clone();
                }
            }
            _ => {}
        }
    }
}

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
            (
                "409",
                "Conflict",
                "Well formed, but refused by the institution's data or rules: a duplicate, an unknown code or id of a related record, dates out of order; `fields` names each.",
            ),
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
