//! Terms (academic sessions) and their windows.

use chrono::{DateTime, Utc};
use qobe_domain::academics::TermWindows;
use qobe_domain::ids::{InstitutionId, TermId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::term::{ActiveModel, Column, Entity};
use crate::rows::Term;
use crate::{Conn, StoreError};

pub struct TermFields<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub windows: &'a TermWindows,
    pub min_credits: f64,
    pub max_credits: f64,
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    fields: TermFields<'_>,
    now: DateTime<Utc>,
) -> Result<Term, StoreError> {
    let w = fields.windows;
    let row = ActiveModel {
        institution_id: Set(institution.0),
        code: Set(fields.code.to_owned()),
        name: Set(fields.name.to_owned()),
        starts_at: Set(w.starts_at),
        ends_at: Set(w.ends_at),
        registration_opens_at: Set(w.registration_opens_at),
        registration_closes_at: Set(w.registration_closes_at),
        add_drop_closes_at: Set(w.add_drop_closes_at),
        withdrawal_closes_at: Set(w.withdrawal_closes_at),
        marks_entry_closes_at: Set(w.marks_entry_closes_at),
        results_published_at: Set(w.results_published_at),
        min_credits: Set(fields.min_credits),
        max_credits: Set(fields.max_credits),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn update(
    conn: &impl Conn,
    institution: InstitutionId,
    id: TermId,
    fields: TermFields<'_>,
) -> Result<bool, StoreError> {
    let w = fields.windows;
    let result = Entity::update_many()
        .col_expr(Column::Code, Expr::value(fields.code))
        .col_expr(Column::Name, Expr::value(fields.name))
        .col_expr(Column::StartsAt, Expr::value(w.starts_at))
        .col_expr(Column::EndsAt, Expr::value(w.ends_at))
        .col_expr(Column::RegistrationOpensAt, Expr::value(w.registration_opens_at))
        .col_expr(Column::RegistrationClosesAt, Expr::value(w.registration_closes_at))
        .col_expr(Column::AddDropClosesAt, Expr::value(w.add_drop_closes_at))
        .col_expr(Column::WithdrawalClosesAt, Expr::value(w.withdrawal_closes_at))
        .col_expr(Column::MarksEntryClosesAt, Expr::value(w.marks_entry_closes_at))
        .col_expr(Column::ResultsPublishedAt, Expr::value(w.results_published_at))
        .col_expr(Column::MinCredits, Expr::value(fields.min_credits))
        .col_expr(Column::MaxCredits, Expr::value(fields.max_credits))
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// All terms, most recent first.
/// Terms, most recent first.
pub async fn list(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<Term>, StoreError> {
    matching(conn, institution, "").await
}

/// Terms whose code or name contains `search` (all when it is blank), most recent first.
pub async fn matching(conn: &impl Conn, institution: InstitutionId, search: &str) -> Result<Vec<Term>, StoreError> {
    let mut query = Entity::find().filter(Column::InstitutionId.eq(institution.0));
    if let Some(matches) = crate::search::contains_any(&[Column::Code, Column::Name], search) {
        query = query.filter(matches);
    }
    Ok(query.order_by_desc(Column::StartsAt).all(conn).await?)
}

pub async fn get(conn: &impl Conn, institution: InstitutionId, id: TermId) -> Result<Option<Term>, StoreError> {
    Ok(Entity::find_by_id(id.0).filter(Column::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn by_code(conn: &impl Conn, institution: InstitutionId, code: &str) -> Result<Option<Term>, StoreError> {
    Ok(Entity::find().filter(Column::InstitutionId.eq(institution.0)).filter(Column::Code.eq(code)).one(conn).await?)
}

/// The windows of a stored term.
pub fn windows(term: &Term) -> TermWindows {
    TermWindows {
        starts_at: term.starts_at,
        ends_at: term.ends_at,
        registration_opens_at: term.registration_opens_at,
        registration_closes_at: term.registration_closes_at,
        add_drop_closes_at: term.add_drop_closes_at,
        withdrawal_closes_at: term.withdrawal_closes_at,
        marks_entry_closes_at: term.marks_entry_closes_at,
        results_published_at: term.results_published_at,
    }
}
