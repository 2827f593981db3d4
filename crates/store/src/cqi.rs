//! Findings, actions and evidence of the CQI loop.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{ActionId, EvidenceId, FileId, FindingId, InstitutionId, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};

use crate::entities::{cqi_action, cqi_evidence, cqi_finding};
use crate::rows::{CqiAction, CqiEvidence, CqiFinding};
use crate::{Conn, StoreError};

pub struct NewFinding<'a> {
    pub program: Option<i64>,
    pub course: Option<i64>,
    pub offering: Option<i64>,
    pub clo: Option<i64>,
    pub title: &'a str,
    pub description: &'a str,
    pub criticality: &'a str,
    pub source: &'a str,
    pub attainment: Option<f64>,
    pub target: Option<f64>,
    pub by: UserId,
}

pub async fn insert_finding(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewFinding<'_>,
    now: DateTime<Utc>,
) -> Result<CqiFinding, StoreError> {
    let row = cqi_finding::ActiveModel {
        institution_id: Set(institution.0),
        program_id: Set(new.program),
        course_id: Set(new.course),
        offering_id: Set(new.offering),
        clo_id: Set(new.clo),
        title: Set(new.title.to_owned()),
        description: Set(new.description.to_owned()),
        criticality: Set(new.criticality.to_owned()),
        source: Set(new.source.to_owned()),
        attainment: Set(new.attainment),
        target: Set(new.target),
        status: Set("open".to_owned()),
        raised_by: Set(new.by.0),
        raised_at: Set(now),
        ..Default::default()
    };
    Ok(cqi_finding::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn findings(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<CqiFinding>, StoreError> {
    Ok(cqi_finding::Entity::find()
        .filter(cqi_finding::Column::InstitutionId.eq(institution.0))
        .order_by_desc(cqi_finding::Column::Id)
        .all(conn)
        .await?)
}

pub async fn finding(
    conn: &impl Conn,
    institution: InstitutionId,
    id: FindingId,
) -> Result<Option<CqiFinding>, StoreError> {
    Ok(cqi_finding::Entity::find_by_id(id.0)
        .filter(cqi_finding::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?)
}

pub async fn set_finding_status(
    conn: &impl Conn,
    institution: InstitutionId,
    id: FindingId,
    status: &str,
) -> Result<bool, StoreError> {
    let result = cqi_finding::Entity::update_many()
        .col_expr(cqi_finding::Column::Status, Expr::value(status))
        .filter(cqi_finding::Column::InstitutionId.eq(institution.0))
        .filter(cqi_finding::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub struct NewAction<'a> {
    pub finding: i64,
    pub description: &'a str,
    pub owner: UserId,
    pub due_term: i64,
    pub by: UserId,
}

pub async fn insert_action(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewAction<'_>,
    now: DateTime<Utc>,
) -> Result<CqiAction, StoreError> {
    let row = cqi_action::ActiveModel {
        institution_id: Set(institution.0),
        finding_id: Set(new.finding),
        description: Set(new.description.to_owned()),
        owner_id: Set(new.owner.0),
        due_term_id: Set(new.due_term),
        status: Set("planned".to_owned()),
        follow_up_offering_id: Set(None),
        effectiveness: Set(None),
        effectiveness_note: Set(None),
        created_by: Set(new.by.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(cqi_action::Entity::insert(row).exec_with_returning(conn).await?)
}

/// Every action of the institution (optionally of one finding), oldest first.
pub async fn actions(
    conn: &impl Conn,
    institution: InstitutionId,
    finding: Option<i64>,
) -> Result<Vec<CqiAction>, StoreError> {
    let mut query = cqi_action::Entity::find().filter(cqi_action::Column::InstitutionId.eq(institution.0));
    if let Some(f) = finding {
        query = query.filter(cqi_action::Column::FindingId.eq(f));
    }
    Ok(query.order_by_asc(cqi_action::Column::Id).all(conn).await?)
}

pub async fn action(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ActionId,
) -> Result<Option<CqiAction>, StoreError> {
    Ok(cqi_action::Entity::find_by_id(id.0)
        .filter(cqi_action::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?)
}

/// Writes an action's changeable fields back.
pub async fn save_action(conn: &impl Conn, row: &CqiAction) -> Result<(), StoreError> {
    cqi_action::Entity::update_many()
        .col_expr(cqi_action::Column::Status, Expr::value(row.status.clone()))
        .col_expr(cqi_action::Column::DueTermId, Expr::value(row.due_term_id))
        .col_expr(cqi_action::Column::FollowUpOfferingId, Expr::value(row.follow_up_offering_id))
        .col_expr(cqi_action::Column::Effectiveness, Expr::value(row.effectiveness.clone()))
        .col_expr(cqi_action::Column::EffectivenessNote, Expr::value(row.effectiveness_note.clone()))
        .col_expr(cqi_action::Column::UpdatedAt, Expr::value(row.updated_at))
        .filter(cqi_action::Column::InstitutionId.eq(row.institution_id))
        .filter(cqi_action::Column::Id.eq(row.id))
        .exec(conn)
        .await?;
    Ok(())
}

pub struct NewEvidence<'a> {
    pub action: i64,
    pub file_name: &'a str,
    pub file: FileId,
    pub by: UserId,
}

pub async fn insert_evidence(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewEvidence<'_>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = cqi_evidence::ActiveModel {
        institution_id: Set(institution.0),
        action_id: Set(new.action),
        file_name: Set(new.file_name.to_owned()),
        file_id: Set(Some(new.file.0)),
        uploaded_by: Set(new.by.0),
        uploaded_at: Set(now),
        ..Default::default()
    };
    Ok(cqi_evidence::Entity::insert(row).exec_with_returning(conn).await?.id)
}

/// (id, action, file name, uploaded at) of the evidence of these actions, without the bytes.
pub async fn evidence_list(
    conn: &impl Conn,
    institution: InstitutionId,
    actions: &[i64],
) -> Result<Vec<(i64, i64, String, DateTime<Utc>)>, StoreError> {
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    Ok(cqi_evidence::Entity::find()
        .select_only()
        .columns([
            cqi_evidence::Column::Id,
            cqi_evidence::Column::ActionId,
            cqi_evidence::Column::FileName,
            cqi_evidence::Column::UploadedAt,
        ])
        .filter(cqi_evidence::Column::InstitutionId.eq(institution.0))
        .filter(cqi_evidence::Column::ActionId.is_in(actions.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn evidence(
    conn: &impl Conn,
    institution: InstitutionId,
    id: EvidenceId,
) -> Result<Option<CqiEvidence>, StoreError> {
    Ok(cqi_evidence::Entity::find_by_id(id.0)
        .filter(cqi_evidence::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?)
}
