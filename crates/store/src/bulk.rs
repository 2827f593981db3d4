//! Bulk inserts for generated and imported data: many rows per statement, chunked to stay
//! under both databases' bound-parameter limits. Callers wrap chunks in transactions.

use chrono::{DateTime, Utc};
use qobe_domain::ids::InstitutionId;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::{
    assessment, assessment_item, clo_plo_map, enrollment, item_clo_map, mark, role_grant, student, survey_response,
    user,
};
use crate::{Conn, StoreError};

/// Rows per statement: 500 rows × ≤ 20 columns stays far below SQLite's and PostgreSQL's limits.
pub const CHUNK: usize = 500;

pub struct UserRow {
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

/// Inserts active, verified accounts and returns (email, id) for each.
pub async fn insert_users(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[UserRow],
    communication: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(String, i64)>, StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|r| user::ActiveModel {
            institution_id: Set(Some(institution.0)),
            email: Set(r.email.clone()),
            name: Set(r.name.clone()),
            sort_name: Set(qobe_domain::collation::sort_key(&r.name)),
            password_hash: Set(Some(r.password_hash.clone())),
            status: Set("active".to_owned()),
            is_operator: Set(false),
            email_verified_at: Set(Some(now)),
            pending_email: Set(None),
            organisation: Set(None),
            address: Set(None),
            language: Set("en".to_owned()),
            time_zone: Set("UTC".to_owned()),
            communication: Set(communication.to_owned()),
            picture_file_id: Set(None),
            totp_secret: Set(None),
            totp_enabled_at: Set(None),
            failed_logins: Set(0),
            locked_until: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        user::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    let ids: Vec<(String, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::Email)
        .column(user::Column::Id)
        .filter(user::Column::InstitutionId.eq(institution.0))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids)
}

/// Institution-wide or scoped role grants: (user, role, scope kind, scope id).
pub async fn insert_grants(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[(i64, &str, &str, i64)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(user, role, kind, scope)| role_grant::ActiveModel {
            institution_id: Set(institution.0),
            user_id: Set(*user),
            role: Set((*role).to_owned()),
            scope_kind: Set((*kind).to_owned()),
            scope_id: Set(*scope),
            granted_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        role_grant::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// Student records: (user, program, cohort, registration number).
pub async fn insert_students(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[(i64, i64, i64, String)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(user, program, cohort, number)| student::ActiveModel {
            institution_id: Set(institution.0),
            user_id: Set(*user),
            program_id: Set(*program),
            cohort_id: Set(Some(*cohort)),
            registration_no: Set(number.clone()),
            status: Set("active".to_owned()),
            created_at: Set(now),
            ..Default::default()
        });
        student::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}

pub struct EnrollmentRow {
    pub offering: i64,
    pub user: i64,
    pub term: i64,
    pub course: i64,
    pub status: &'static str,
    pub credits: f64,
    pub grade: Option<&'static str>,
}

pub async fn insert_enrollments(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[EnrollmentRow],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|r| enrollment::ActiveModel {
            institution_id: Set(institution.0),
            offering_id: Set(r.offering),
            user_id: Set(r.user),
            term_id: Set(r.term),
            course_id: Set(r.course),
            status: Set(r.status.to_owned()),
            waitlist_position: Set(None),
            credits: Set(r.credits),
            grade: Set(r.grade.map(str::to_owned)),
            note: Set(None),
            decided_by: Set(None),
            requested_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        enrollment::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// CLO→PLO mappings: (CLO version id, PLO lineage id, strength).
pub async fn insert_clo_plo(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[(i64, i64, i64)],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(clo, plo, strength)| clo_plo_map::ActiveModel {
            institution_id: Set(institution.0),
            clo_id: Set(*clo),
            plo_id: Set(*plo),
            strength: Set(*strength),
            weight: Set(*strength as f64),
            ..Default::default()
        });
        clo_plo_map::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// Assessments (offering, name, category, weight, position); returns their ids in order.
pub async fn insert_assessments(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[(i64, &str, &str, f64, i64)],
    now: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(offering, name, category, weight, position)| assessment::ActiveModel {
            institution_id: Set(institution.0),
            offering_id: Set(*offering),
            name: Set((*name).to_owned()),
            category: Set((*category).to_owned()),
            weight: Set(*weight),
            position: Set(*position),
            created_at: Set(now),
            ..Default::default()
        });
        ids.extend(assessment::Entity::insert_many(models).exec_with_returning_keys(conn).await?);
    }
    Ok(ids)
}

/// Items (offering, assessment, label, max marks, position); returns their ids in order.
pub async fn insert_items(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[(i64, i64, &str, f64, i64)],
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(offering, assessment, label, max, position)| assessment_item::ActiveModel {
            institution_id: Set(institution.0),
            offering_id: Set(*offering),
            assessment_id: Set(*assessment),
            label: Set((*label).to_owned()),
            max_marks: Set(*max),
            position: Set(*position),
            rubric_id: Set(None),
            rubric_criterion: Set(None),
            ..Default::default()
        });
        ids.extend(assessment_item::Entity::insert_many(models).exec_with_returning_keys(conn).await?);
    }
    Ok(ids)
}

/// Item → CLO shares (item, CLO version, share).
pub async fn insert_item_clos(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[(i64, i64, f64)],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(item, clo, share)| item_clo_map::ActiveModel {
            institution_id: Set(institution.0),
            item_id: Set(*item),
            clo_id: Set(*clo),
            share: Set(*share),
            ..Default::default()
        });
        item_clo_map::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}

pub struct MarkRow {
    pub offering: i64,
    pub item: i64,
    pub user: i64,
    pub score: Option<f64>,
    /// `score`, `absent`, `excused` or `not_attempted`.
    pub status: &'static str,
}

/// Marks entered by `by`, in chunks of a thousand rows per statement.
pub async fn insert_marks(
    conn: &impl Conn,
    institution: InstitutionId,
    rows: &[MarkRow],
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(1000) {
        let models = chunk.iter().map(|r| mark::ActiveModel {
            institution_id: Set(institution.0),
            offering_id: Set(r.offering),
            item_id: Set(r.item),
            user_id: Set(r.user),
            score: Set(r.score),
            status: Set(r.status.to_owned()),
            updated_by: Set(by),
            updated_at: Set(now),
            ..Default::default()
        });
        mark::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// Anonymous responses to a survey, as (random id, answers as JSON), without participants: the
/// survey benchmark's ten thousand.
pub async fn insert_anonymous_responses(
    conn: &impl Conn,
    institution: InstitutionId,
    survey: i64,
    rows: &[(String, String)],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|(id, answers)| survey_response::ActiveModel {
            id: Set(id.clone()),
            institution_id: Set(institution.0),
            survey_id: Set(survey),
            answers: Set(answers.clone()),
            respondent_id: Set(None),
            submitted_at: Set(None),
        });
        survey_response::Entity::insert_many(models).exec_without_returning(conn).await?;
    }
    Ok(())
}
