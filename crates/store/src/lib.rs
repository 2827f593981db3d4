//! Everything SQL in QOBE: entities, migrations and queries, the same on SQLite and PostgreSQL.
//!
//! Every function that reads or writes tenant-owned rows takes an [`InstitutionId`] and puts it
//! in its `WHERE` clause; callers above never build SQL. Functions are generic over [`Conn`] so a
//! use-case can run several of them in one transaction.
//!
//! [`InstitutionId`]: qobe_domain::ids::InstitutionId

pub mod academics;
pub mod accounts;
pub mod announcements;
pub mod api_tokens;
pub mod assessment;
pub mod assignments;
pub mod attempts;
pub mod bulk;
pub mod consents;
pub mod cqi;
mod db;
pub mod documents;
mod entities;
mod error;
pub mod files;
pub mod forums;
pub mod jobs;
pub mod learning;
pub mod logs;
pub mod messages;
pub mod migrations;
pub mod personal_data;
pub mod quizzes;
pub mod registration;
pub mod results;
pub mod roles;
pub mod roster_records;
mod search;
pub mod sessions;
pub mod settings;
pub mod structure;
pub mod surveys;
pub mod tenancy;
pub mod tokens;

pub use db::{Backend, Conn, Store, Tx, commit};
pub use error::StoreError;

/// Rows as the layers above see them.
pub mod rows {
    pub use crate::accounts::Person;
    pub use crate::entities::api_token::Model as ApiToken;
    pub use crate::entities::assessment::Model as Assessment;
    pub use crate::entities::assessment_item::Model as AssessmentItem;
    pub use crate::entities::attainment_policy::Model as AttainmentPolicy;
    pub use crate::entities::attainment_snapshot::Model as AttainmentSnapshot;
    pub use crate::entities::audit_event::Model as AuditEvent;
    pub use crate::entities::clo::Model as Clo;
    pub use crate::entities::clo_plo_map::Model as CloPloMap;
    pub use crate::entities::cohort::Model as Cohort;
    pub use crate::entities::consent::Model as Consent;
    pub use crate::entities::course::Model as Course;
    pub use crate::entities::course_file::Model as CourseFile;
    pub use crate::entities::cqi_action::Model as CqiAction;
    pub use crate::entities::cqi_evidence::Model as CqiEvidence;
    pub use crate::entities::cqi_finding::Model as CqiFinding;
    pub use crate::entities::curriculum_course::Model as CurriculumCourse;
    pub use crate::entities::curriculum_map_cell::Model as CurriculumMapCell;
    pub use crate::entities::curriculum_version::Model as CurriculumVersion;
    pub use crate::entities::department::Model as Department;
    pub use crate::entities::document_job::Model as DocumentJob;
    pub use crate::entities::enrollment::Model as Enrollment;
    pub use crate::entities::faculty::Model as Faculty;
    pub use crate::entities::grading_scheme::Model as GradingSchemeRow;
    pub use crate::entities::hold::Model as Hold;
    pub use crate::entities::institution::Model as Institution;
    pub use crate::entities::item_clo_map::Model as ItemCloMap;
    pub use crate::entities::login_event::Model as LoginEvent;
    pub use crate::entities::mark::Model as Mark;
    pub use crate::entities::mark_change::Model as MarkChange;
    pub use crate::entities::offering::Model as Offering;
    pub use crate::entities::offering_instructor::Model as OfferingInstructor;
    pub use crate::entities::offering_result::Model as OfferingResult;
    pub use crate::entities::one_time_token::Model as OneTimeToken;
    pub use crate::entities::peo::Model as Peo;
    pub use crate::entities::plo::Model as Plo;
    pub use crate::entities::plo_peo_map::Model as PloPeoMap;
    pub use crate::entities::prerequisite::Model as Prerequisite;
    pub use crate::entities::program::Model as Program;
    pub use crate::entities::program_standing::Model as ProgramStanding;
    pub use crate::entities::result_change_request::Model as ResultChangeRequest;
    pub use crate::entities::result_line::Model as ResultLine;
    pub use crate::entities::role_grant::Model as RoleGrant;
    pub use crate::entities::roster_record::Model as RosterRecord;
    pub use crate::entities::rubric::Model as Rubric;
    pub use crate::entities::session::Model as Session;
    pub use crate::entities::student::Model as Student;
    pub use crate::entities::survey::Model as Survey;
    pub use crate::entities::survey_outcome_map::Model as SurveyOutcomeMap;
    pub use crate::entities::survey_participant::Model as SurveyParticipant;
    pub use crate::entities::survey_response::Model as SurveyResponse;
    pub use crate::entities::term::Model as Term;
    pub use crate::entities::user::Model as User;
}

/// The highest page number a listing serves; higher numbers read as the last one would.
pub const MAX_PAGE: u64 = 100_000;

/// A requested page number made safe for an offset: at least 1, at most [`MAX_PAGE`].
pub fn page_number(page: u64) -> u64 {
    page.clamp(1, MAX_PAGE)
}

/// One page of a listing plus the total count, for paginated tables.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// Server-level chores for tests and tooling.
pub mod admin {
    use sea_orm::ConnectionTrait;

    use crate::{Store, StoreError};

    /// `CREATE DATABASE name` on a PostgreSQL server (the name must be a plain identifier).
    pub async fn create_database(store: &Store, name: &str) -> Result<(), StoreError> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Database(sea_orm::DbErr::Custom(format!("bad database name {name}"))));
        }
        store.conn().execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
        Ok(())
    }
}
