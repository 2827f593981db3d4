//! Surveys, the outcomes their questions give evidence for, who is asked, and the responses.
//!
//! Participation and responses are apart (ADR 0009): `submit` marks the participant answered
//! and writes the response in the caller's transaction, and on an anonymous survey the response
//! row holds the survey and the answers only.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, OfferingId, ParticipantId, ProgramId, SurveyId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{survey, survey_outcome_map, survey_participant, survey_response};
use crate::rows::{Survey, SurveyOutcomeMap, SurveyParticipant, SurveyResponse};
use crate::{Conn, StoreError};

/// A survey as first saved (a draft).
pub struct NewSurvey<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub purpose: &'a str,
    pub offering: Option<OfferingId>,
    pub program: Option<ProgramId>,
    pub anonymous: bool,
    pub form: &'a str,
    pub by: UserId,
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewSurvey<'_>,
    now: DateTime<Utc>,
) -> Result<Survey, StoreError> {
    let row = survey::ActiveModel {
        institution_id: Set(institution.0),
        title: Set(new.title.to_owned()),
        description: Set(new.description.to_owned()),
        purpose: Set(new.purpose.to_owned()),
        offering_id: Set(new.offering.map(|o| o.0)),
        program_id: Set(new.program.map(|p| p.0)),
        anonymous: Set(new.anonymous),
        form: Set(new.form.to_owned()),
        status: Set("draft".to_owned()),
        opens_at: Set(None),
        closes_at: Set(None),
        created_by: Set(new.by.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(survey::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn get(conn: &impl Conn, institution: InstitutionId, id: SurveyId) -> Result<Option<Survey>, StoreError> {
    Ok(survey::Entity::find_by_id(id.0).filter(survey::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// The institution's surveys, newest first.
pub async fn list(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Survey>, StoreError> {
    Ok(survey::Entity::find()
        .filter(survey::Column::InstitutionId.eq(institution.0))
        .order_by_desc(survey::Column::Id)
        .all(conn)
        .await?)
}

/// A draft's title, description, anonymity and form (JSON), as edited.
pub struct Design<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub anonymous: bool,
    pub form: &'a str,
}

pub async fn save_design(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
    design: Design<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    survey::Entity::update_many()
        .col_expr(survey::Column::Title, Expr::value(design.title))
        .col_expr(survey::Column::Description, Expr::value(design.description))
        .col_expr(survey::Column::Anonymous, Expr::value(design.anonymous))
        .col_expr(survey::Column::Form, Expr::value(design.form))
        .col_expr(survey::Column::UpdatedAt, Expr::value(now))
        .filter(survey::Column::InstitutionId.eq(institution.0))
        .filter(survey::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets the survey's status (`draft`, `open`, `closed`) and the window it takes answers in.
pub async fn set_status(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
    status: &str,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    survey::Entity::update_many()
        .col_expr(survey::Column::Status, Expr::value(status))
        .col_expr(survey::Column::OpensAt, Expr::value(opens_at))
        .col_expr(survey::Column::ClosesAt, Expr::value(closes_at))
        .col_expr(survey::Column::UpdatedAt, Expr::value(now))
        .filter(survey::Column::InstitutionId.eq(institution.0))
        .filter(survey::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// One question (or grid row) mapped to an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeLink {
    pub question_key: String,
    /// A grid's row, from 0.
    pub row: Option<usize>,
    /// `clo`, `plo` or `peo`.
    pub kind: &'static str,
    pub outcome: i64,
}

/// Replaces the survey's outcome mappings.
pub async fn replace_outcome_maps(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
    links: &[OutcomeLink],
) -> Result<(), StoreError> {
    survey_outcome_map::Entity::delete_many()
        .filter(survey_outcome_map::Column::InstitutionId.eq(institution.0))
        .filter(survey_outcome_map::Column::SurveyId.eq(id.0))
        .exec(conn)
        .await?;
    if links.is_empty() {
        return Ok(());
    }
    let rows = links.iter().map(|l| survey_outcome_map::ActiveModel {
        institution_id: Set(institution.0),
        survey_id: Set(id.0),
        question_key: Set(l.question_key.clone()),
        row_index: Set(l.row.map_or(-1, |r| r as i64)),
        outcome_kind: Set(l.kind.to_owned()),
        outcome_id: Set(l.outcome),
        ..Default::default()
    });
    survey_outcome_map::Entity::insert_many(rows).exec_without_returning(conn).await?;
    Ok(())
}

pub async fn outcome_maps(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
) -> Result<Vec<SurveyOutcomeMap>, StoreError> {
    Ok(survey_outcome_map::Entity::find()
        .filter(survey_outcome_map::Column::InstitutionId.eq(institution.0))
        .filter(survey_outcome_map::Column::SurveyId.eq(id.0))
        .order_by_asc(survey_outcome_map::Column::Id)
        .all(conn)
        .await?)
}

/// Someone to ask: a person with an account, or an external email with the hash of their link's token.
pub enum Invitee {
    Person(UserId),
    External { email: String, token_hash: String },
}

/// Adds participants; people already asked are left as they are. Returns how many were added.
pub async fn add_participants(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
    invitees: Vec<Invitee>,
) -> Result<usize, StoreError> {
    let asked: std::collections::HashSet<i64> =
        participants(conn, institution, id).await?.into_iter().filter_map(|p| p.user_id).collect();
    let rows: Vec<_> = invitees
        .into_iter()
        .filter(|i| !matches!(i, Invitee::Person(user) if asked.contains(&user.0)))
        .map(|invitee| {
            let (user, email, token) = match invitee {
                Invitee::Person(user) => (Some(user.0), None, None),
                Invitee::External { email, token_hash } => (None, Some(email), Some(token_hash)),
            };
            survey_participant::ActiveModel {
                institution_id: Set(institution.0),
                survey_id: Set(id.0),
                user_id: Set(user),
                email: Set(email),
                token_hash: Set(token),
                invited_at: Set(None),
                reminded_at: Set(None),
                answered: Set(false),
                draft: Set(None),
                ..Default::default()
            }
        })
        .collect();
    let added = rows.len();
    for chunk in rows.chunks(500) {
        survey_participant::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
    }
    Ok(added)
}

pub async fn participants(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
) -> Result<Vec<SurveyParticipant>, StoreError> {
    Ok(survey_participant::Entity::find()
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::SurveyId.eq(id.0))
        .order_by_asc(survey_participant::Column::Id)
        .all(conn)
        .await?)
}

/// How many were asked to answer.
pub async fn participant_count(conn: &impl Conn, institution: InstitutionId, id: SurveyId) -> Result<u64, StoreError> {
    Ok(survey_participant::Entity::find()
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::SurveyId.eq(id.0))
        .count(conn)
        .await?)
}

/// The person's place among a survey's participants.
pub async fn participant_of(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
    user: UserId,
) -> Result<Option<SurveyParticipant>, StoreError> {
    Ok(survey_participant::Entity::find()
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::SurveyId.eq(id.0))
        .filter(survey_participant::Column::UserId.eq(user.0))
        .one(conn)
        .await?)
}

/// The external participant a link's token belongs to (the token names the institution).
pub async fn participant_by_token(conn: &impl Conn, token_hash: &str) -> Result<Option<SurveyParticipant>, StoreError> {
    Ok(survey_participant::Entity::find()
        .filter(survey_participant::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?)
}

/// Every survey the person has been asked to answer, with their participation.
pub async fn asked_of(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
) -> Result<Vec<(SurveyParticipant, Survey)>, StoreError> {
    let asked = survey_participant::Entity::find()
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::UserId.eq(user.0))
        .all(conn)
        .await?;
    let ids: Vec<i64> = asked.iter().map(|p| p.survey_id).collect();
    let surveys = survey::Entity::find()
        .filter(survey::Column::InstitutionId.eq(institution.0))
        .filter(survey::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    Ok(asked
        .into_iter()
        .filter_map(|p| surveys.iter().find(|s| s.id == p.survey_id).cloned().map(|s| (p, s)))
        .collect())
}

/// Keeps a participant's answers so far, to resume later.
pub async fn save_draft(
    conn: &impl Conn,
    institution: InstitutionId,
    participant: ParticipantId,
    draft: &str,
) -> Result<(), StoreError> {
    survey_participant::Entity::update_many()
        .col_expr(survey_participant::Column::Draft, Expr::value(draft))
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::Id.eq(participant.0))
        .filter(survey_participant::Column::Answered.eq(false))
        .exec(conn)
        .await?;
    Ok(())
}

/// A response to write.
pub struct NewResponse<'a> {
    /// Random, never a sequence.
    pub id: &'a str,
    pub answers: &'a str,
    /// Named surveys only: who answered and when.
    pub named: Option<(UserId, DateTime<Utc>)>,
}

/// Marks the participant answered, drops their draft and writes the response — all or nothing
/// in the caller's transaction. `Ok(false)`: they had answered already, and nothing is written.
pub async fn submit(
    conn: &impl Conn,
    institution: InstitutionId,
    participant: &SurveyParticipant,
    response: NewResponse<'_>,
) -> Result<bool, StoreError> {
    let marked = survey_participant::Entity::update_many()
        .col_expr(survey_participant::Column::Answered, Expr::value(true))
        .col_expr(survey_participant::Column::Draft, Expr::value(Option::<String>::None))
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::Id.eq(participant.id))
        .filter(survey_participant::Column::Answered.eq(false))
        .exec(conn)
        .await?;
    if marked.rows_affected == 0 {
        return Ok(false);
    }
    let row = survey_response::ActiveModel {
        id: Set(response.id.to_owned()),
        institution_id: Set(institution.0),
        survey_id: Set(participant.survey_id),
        answers: Set(response.answers.to_owned()),
        respondent_id: Set(response.named.map(|(user, _)| user.0)),
        submitted_at: Set(response.named.map(|(_, at)| at)),
    };
    survey_response::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(true)
}

pub async fn responses(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
) -> Result<Vec<SurveyResponse>, StoreError> {
    Ok(survey_response::Entity::find()
        .filter(survey_response::Column::InstitutionId.eq(institution.0))
        .filter(survey_response::Column::SurveyId.eq(id.0))
        .order_by_asc(survey_response::Column::Id)
        .all(conn)
        .await?)
}

/// Only the answers (as JSON) of every response: what summaries read.
pub async fn response_answers(
    conn: &impl Conn,
    institution: InstitutionId,
    id: SurveyId,
) -> Result<Vec<String>, StoreError> {
    Ok(survey_response::Entity::find()
        .select_only()
        .column(survey_response::Column::Answers)
        .filter(survey_response::Column::InstitutionId.eq(institution.0))
        .filter(survey_response::Column::SurveyId.eq(id.0))
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn response_count(conn: &impl Conn, institution: InstitutionId, id: SurveyId) -> Result<u64, StoreError> {
    Ok(survey_response::Entity::find()
        .filter(survey_response::Column::InstitutionId.eq(institution.0))
        .filter(survey_response::Column::SurveyId.eq(id.0))
        .count(conn)
        .await?)
}

/// Records when participants were invited or reminded.
pub async fn mark_contacted(
    conn: &impl Conn,
    institution: InstitutionId,
    participants: &[ParticipantId],
    reminder: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let column = if reminder { survey_participant::Column::RemindedAt } else { survey_participant::Column::InvitedAt };
    for chunk in participants.chunks(500) {
        survey_participant::Entity::update_many()
            .col_expr(column, Expr::value(now))
            .filter(survey_participant::Column::InstitutionId.eq(institution.0))
            .filter(survey_participant::Column::Id.is_in(chunk.iter().map(|p| p.0)))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Gives an external participant a new link (the old one stops working).
pub async fn replace_token(
    conn: &impl Conn,
    institution: InstitutionId,
    participant: ParticipantId,
    token_hash: &str,
) -> Result<(), StoreError> {
    survey_participant::Entity::update_many()
        .col_expr(survey_participant::Column::TokenHash, Expr::value(token_hash))
        .filter(survey_participant::Column::InstitutionId.eq(institution.0))
        .filter(survey_participant::Column::Id.eq(participant.0))
        .exec(conn)
        .await?;
    Ok(())
}
