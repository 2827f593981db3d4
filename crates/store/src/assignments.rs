//! Assignments, each student's extension, every version of their submissions with its files,
//! and how each was graded.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{AssignmentId, InstitutionId, OfferingId, SubmissionId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{assignment, assignment_extension, assignment_grade, submission, submission_file};
use crate::{Conn, StoreError};

pub use assignment::Model as Assignment;
pub use assignment_extension::Model as Extension;
pub use assignment_grade::Model as Grade;
pub use submission::Model as Submission;

/// An assignment's settings as written.
#[derive(Debug, Clone)]
pub struct Fields {
    pub assessment: i64,
    pub title: String,
    pub instructions: String,
    pub accepts_text: bool,
    pub accepts_files: bool,
    pub file_types: String,
    pub max_file_mb: i64,
    pub due_at: DateTime<Utc>,
    pub cutoff_at: Option<DateTime<Utc>>,
    pub late_percent: f64,
    pub late_unit: String,
    pub anonymous: bool,
    pub published: bool,
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    fields: &Fields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Assignment, StoreError> {
    let f = fields.clone();
    let row = assignment::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        assessment_id: Set(f.assessment),
        title: Set(f.title),
        instructions: Set(f.instructions),
        accepts_text: Set(f.accepts_text),
        accepts_files: Set(f.accepts_files),
        file_types: Set(f.file_types),
        max_file_mb: Set(f.max_file_mb),
        due_at: Set(f.due_at),
        cutoff_at: Set(f.cutoff_at),
        late_percent: Set(f.late_percent),
        late_unit: Set(f.late_unit),
        anonymous: Set(f.anonymous),
        published: Set(f.published),
        released_at: Set(None),
        created_by: Set(by.0),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(assignment::Entity::insert(row).exec_with_returning(conn).await?)
}

/// Writes the settings (its assessment stays).
pub async fn update(
    conn: &impl Conn,
    institution: InstitutionId,
    id: AssignmentId,
    fields: &Fields,
) -> Result<(), StoreError> {
    use assignment::Column as C;
    let f = fields.clone();
    assignment::Entity::update_many()
        .col_expr(C::Title, Expr::value(f.title))
        .col_expr(C::Instructions, Expr::value(f.instructions))
        .col_expr(C::AcceptsText, Expr::value(f.accepts_text))
        .col_expr(C::AcceptsFiles, Expr::value(f.accepts_files))
        .col_expr(C::FileTypes, Expr::value(f.file_types))
        .col_expr(C::MaxFileMb, Expr::value(f.max_file_mb))
        .col_expr(C::DueAt, Expr::value(f.due_at))
        .col_expr(C::CutoffAt, Expr::value(f.cutoff_at))
        .col_expr(C::LatePercent, Expr::value(f.late_percent))
        .col_expr(C::LateUnit, Expr::value(f.late_unit))
        .col_expr(C::Anonymous, Expr::value(f.anonymous))
        .col_expr(C::Published, Expr::value(f.published))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn get(
    conn: &impl Conn,
    institution: InstitutionId,
    id: AssignmentId,
) -> Result<Option<Assignment>, StoreError> {
    use assignment::Column as C;
    Ok(assignment::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// The offering's assignments, the soonest due first.
pub async fn of_offering(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<Assignment>, StoreError> {
    use assignment::Column as C;
    Ok(assignment::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .order_by_asc(C::DueAt)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

pub async fn set_released(
    conn: &impl Conn,
    institution: InstitutionId,
    id: AssignmentId,
    at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    use assignment::Column as C;
    assignment::Entity::update_many()
        .col_expr(C::ReleasedAt, Expr::value(at))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn extensions(
    conn: &impl Conn,
    institution: InstitutionId,
    assignment: AssignmentId,
) -> Result<Vec<Extension>, StoreError> {
    use assignment_extension::Column as C;
    Ok(assignment_extension::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::AssignmentId.eq(assignment.0))
        .all(conn)
        .await?)
}

/// A student's extension as granted.
pub struct NewExtension<'a> {
    pub assignment: AssignmentId,
    pub user: UserId,
    pub due: DateTime<Utc>,
    pub reason: &'a str,
    pub by: UserId,
}

/// Grants (or changes) a student's extension.
pub async fn extend(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewExtension<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use assignment_extension::Column as C;
    let row = assignment_extension::ActiveModel {
        institution_id: Set(institution.0),
        assignment_id: Set(new.assignment.0),
        user_id: Set(new.user.0),
        due_at: Set(new.due),
        reason: Set(new.reason.to_owned()),
        granted_by: Set(new.by.0),
        granted_at: Set(now),
        ..Default::default()
    };
    assignment_extension::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::AssignmentId, C::UserId])
                .update_columns([C::DueAt, C::Reason, C::GrantedBy, C::GrantedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Every version of the assignment's submissions (of one student when given), oldest first.
pub async fn submissions(
    conn: &impl Conn,
    institution: InstitutionId,
    assignment: AssignmentId,
    user: Option<UserId>,
) -> Result<Vec<Submission>, StoreError> {
    use submission::Column as C;
    let mut query =
        submission::Entity::find().filter(C::InstitutionId.eq(institution.0)).filter(C::AssignmentId.eq(assignment.0));
    if let Some(user) = user {
        query = query.filter(C::UserId.eq(user.0));
    }
    Ok(query.order_by_asc(C::UserId).order_by_asc(C::Version).all(conn).await?)
}

pub async fn submission(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SubmissionId,
) -> Result<Option<Submission>, StoreError> {
    use submission::Column as C;
    Ok(submission::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub struct NewSubmission<'a> {
    pub assignment: AssignmentId,
    pub user: UserId,
    pub version: i64,
    pub body: &'a str,
    pub units_late: i64,
    pub files: &'a [i64],
}

/// Keeps a new version with its files.
pub async fn insert_submission(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewSubmission<'_>,
    now: DateTime<Utc>,
) -> Result<Submission, StoreError> {
    let row = submission::ActiveModel {
        institution_id: Set(institution.0),
        assignment_id: Set(new.assignment.0),
        user_id: Set(new.user.0),
        version: Set(new.version),
        body: Set(new.body.to_owned()),
        submitted_at: Set(now),
        units_late: Set(new.units_late),
        ..Default::default()
    };
    let made = submission::Entity::insert(row).exec_with_returning(conn).await?;
    for file in new.files {
        let row = submission_file::ActiveModel {
            institution_id: Set(institution.0),
            submission_id: Set(made.id),
            file_id: Set(*file),
            ..Default::default()
        };
        submission_file::Entity::insert(row).exec_without_returning(conn).await?;
    }
    Ok(made)
}

/// (submission, file) of these submissions.
pub async fn files_of(
    conn: &impl Conn,
    institution: InstitutionId,
    submissions: &[i64],
) -> Result<Vec<(i64, i64)>, StoreError> {
    use submission_file::Column as C;
    if submissions.is_empty() {
        return Ok(Vec::new());
    }
    let rows = submission_file::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::SubmissionId.is_in(submissions.iter().copied()))
        .order_by_asc(C::Id)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.submission_id, r.file_id)).collect())
}

pub async fn grades(
    conn: &impl Conn,
    institution: InstitutionId,
    assignment: AssignmentId,
) -> Result<Vec<Grade>, StoreError> {
    use assignment_grade::Column as C;
    Ok(assignment_grade::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::AssignmentId.eq(assignment.0))
        .all(conn)
        .await?)
}

pub struct NewGrade<'a> {
    pub assignment: AssignmentId,
    pub user: UserId,
    pub given: &'a str,
    pub penalty: f64,
    pub feedback: &'a str,
    pub by: UserId,
}

pub async fn record_grade(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewGrade<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use assignment_grade::Column as C;
    let row = assignment_grade::ActiveModel {
        institution_id: Set(institution.0),
        assignment_id: Set(new.assignment.0),
        user_id: Set(new.user.0),
        given: Set(new.given.to_owned()),
        penalty: Set(new.penalty),
        feedback: Set(new.feedback.to_owned()),
        graded_by: Set(new.by.0),
        graded_at: Set(now),
        ..Default::default()
    };
    assignment_grade::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::AssignmentId, C::UserId])
                .update_columns([C::Given, C::Penalty, C::Feedback, C::GradedBy, C::GradedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The published assignments of these offerings, the soonest due first.
pub async fn published_in(
    conn: &impl Conn,
    institution: InstitutionId,
    offerings: &[i64],
) -> Result<Vec<Assignment>, StoreError> {
    use assignment::Column as C;
    if offerings.is_empty() {
        return Ok(Vec::new());
    }
    Ok(assignment::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.is_in(offerings.iter().copied()))
        .filter(C::Published.eq(true))
        .order_by_asc(C::DueAt)
        .all(conn)
        .await?)
}

/// The person's extensions and which of these assignments they have handed in.
pub async fn standing_of(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    assignments: &[i64],
) -> Result<(Vec<Extension>, Vec<i64>), StoreError> {
    if assignments.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let extensions = assignment_extension::Entity::find()
        .filter(assignment_extension::Column::InstitutionId.eq(institution.0))
        .filter(assignment_extension::Column::UserId.eq(user.0))
        .filter(assignment_extension::Column::AssignmentId.is_in(assignments.iter().copied()))
        .all(conn)
        .await?;
    let mut handed: Vec<i64> =
        latest_of(conn, institution, user, assignments).await?.into_iter().map(|s| s.assignment_id).collect();
    handed.sort_unstable();
    Ok((extensions, handed))
}

/// The person's latest version of each of these assignments they handed in.
pub async fn latest_of(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    assignments: &[i64],
) -> Result<Vec<Submission>, StoreError> {
    if assignments.is_empty() {
        return Ok(Vec::new());
    }
    let all = submission::Entity::find()
        .filter(submission::Column::InstitutionId.eq(institution.0))
        .filter(submission::Column::UserId.eq(user.0))
        .filter(submission::Column::AssignmentId.is_in(assignments.iter().copied()))
        .order_by_asc(submission::Column::AssignmentId)
        .order_by_desc(submission::Column::Version)
        .all(conn)
        .await?;
    let mut latest: Vec<Submission> = Vec::new();
    for version in all {
        if latest.last().is_none_or(|l| l.assignment_id != version.assignment_id) {
            latest.push(version);
        }
    }
    Ok(latest)
}
