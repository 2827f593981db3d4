//! Typed ids: a bare integer never crosses a layer boundary.

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

typed_id!(
    /// The tenant: a university or college. Every tenant-owned row carries one.
    InstitutionId,
    /// A person's account (staff, student, alumnus, or platform operator).
    UserId,
    /// One signed-in browser session.
    SessionId,
    /// A department (optionally under a faculty).
    DepartmentId,
    /// An academic program, e.g. BS Computer Engineering.
    ProgramId,
    /// One grant of a role at a scope.
    RoleGrantId,
    /// A personal API token.
    ApiTokenId,
    /// A faculty or school grouping departments.
    FacultyId,
    /// An academic session, e.g. Fall 2026.
    TermId,
    /// A course in the catalogue, e.g. CS-101.
    CourseId,
    /// One catalogue year of a program's curriculum.
    CurriculumVersionId,
    /// The students admitted to a program in one intake term.
    CohortId,
    /// A course offered in a term (one section).
    OfferingId,
    /// One version of a program educational objective.
    PeoId,
    /// One version of a program learning outcome.
    PloId,
    /// One version of a course learning outcome.
    CloId,
    /// One piece of background work (an email, a document, a scheduled chore).
    JobId,
    /// One stored file (a picture, a logo, evidence, a document): its record, its bytes in the file store.
    FileId,
    /// One assessment of an offering's plan (a quiz, the midterm).
    AssessmentId,
    /// One marked item of an assessment (Q1, the lab report).
    ItemId,
    /// One CQI finding (a shortfall, or raised by hand).
    FindingId,
    /// One improvement action on a finding.
    ActionId,
    /// One evidence file attached to an improvement action.
    EvidenceId,
    /// One prerequisite of a course (the course that must come first).
    PrerequisiteId,
    /// One student's enrolment in an offering (requested, enrolled, dropped, completed).
    EnrollmentId,
    /// One registration hold on a student.
    HoldId,
    /// One request to change a published grade.
    ChangeRequestId,
    /// One rubric of the institution's rubric library.
    RubricId,
    /// One document a person asked for (a program report): its progress, then its file.
    DocumentId,
    /// One survey: its form, audience and window.
    SurveyId,
    /// Someone asked to answer a survey (an account, or an external email with a link).
    ParticipantId,
    /// A module of an offering's course content.
    ModuleId,
    /// One item of course content: a page, a file or a link.
    ContentItemId,
    /// An announcement to an offering's class or to the whole institution.
    AnnouncementId,
    /// A thread of an offering's discussion forum.
    ThreadId,
    /// One post of a forum thread.
    PostId,
    /// A conversation of messages between people of one institution.
    ConversationId,
    /// An assignment: an assessment of the plan that students hand in.
    AssignmentId,
    /// One version of one student's hand-in of an assignment.
    SubmissionId,
);
