//! Login history and the audit log of security and admin events.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::{audit_event, login_event};
use crate::rows::{AuditEvent, LoginEvent};
use crate::{Conn, Page, StoreError};

pub struct NewLoginEvent<'a> {
    pub institution_id: Option<InstitutionId>,
    pub user_id: Option<UserId>,
    pub email: &'a str,
    pub success: bool,
    pub outcome: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub browser: &'a str,
    pub os: &'a str,
    pub device: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn insert_login(conn: &impl Conn, new: NewLoginEvent<'_>) -> Result<(), StoreError> {
    let row = login_event::ActiveModel {
        institution_id: Set(new.institution_id.map(|id| id.0)),
        user_id: Set(new.user_id.map(|id| id.0)),
        email: Set(new.email.to_owned()),
        success: Set(new.success),
        outcome: Set(new.outcome.to_owned()),
        ip: Set(new.ip.map(str::to_owned)),
        user_agent: Set(new.user_agent.map(str::to_owned)),
        browser: Set(new.browser.to_owned()),
        os: Set(new.os.to_owned()),
        device: Set(new.device.to_owned()),
        created_at: Set(new.now),
        ..Default::default()
    };
    login_event::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

/// Failed sign-ins from one IP address since `since`, for the per-address rate limit.
pub async fn failures_from_ip(conn: &impl Conn, ip: &str, since: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(login_event::Entity::find()
        .filter(login_event::Column::Ip.eq(ip))
        .filter(login_event::Column::Success.eq(false))
        .filter(login_event::Column::CreatedAt.gt(since))
        .count(conn)
        .await?)
}

/// Login history of an institution, or of one person in it, newest first.
pub async fn logins(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    user: Option<UserId>,
    page: u64,
    per_page: u64,
) -> Result<Page<LoginEvent>, StoreError> {
    let tenant = match institution {
        Some(id) => login_event::Column::InstitutionId.eq(id.0),
        None => login_event::Column::InstitutionId.is_null(),
    };
    let mut condition = Condition::all().add(tenant);
    if let Some(user) = user {
        condition = condition.add(login_event::Column::UserId.eq(user.0));
    }
    let paginator = login_event::Entity::find()
        .filter(condition)
        .order_by_desc(login_event::Column::Id)
        .paginate(conn, per_page.clamp(1, 200));
    let total = paginator.num_items().await?;
    let page = crate::page_number(page);
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}

pub struct NewAuditEvent<'a> {
    pub institution_id: Option<InstitutionId>,
    pub actor_id: Option<UserId>,
    pub actor_email: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub details: &'a str,
    pub ip: Option<&'a str>,
    pub now: DateTime<Utc>,
}

pub async fn insert_audit(conn: &impl Conn, new: NewAuditEvent<'_>) -> Result<(), StoreError> {
    let row = audit_event::ActiveModel {
        institution_id: Set(new.institution_id.map(|id| id.0)),
        actor_id: Set(new.actor_id.map(|id| id.0)),
        actor_email: Set(new.actor_email.to_owned()),
        action: Set(new.action.to_owned()),
        target: Set(new.target.to_owned()),
        details: Set(new.details.to_owned()),
        ip: Set(new.ip.map(str::to_owned)),
        created_at: Set(new.now),
        ..Default::default()
    };
    audit_event::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

/// An institution's audit log (or the platform's, for `None`), newest first, optionally
/// narrowed to actions starting with `action_prefix`.
pub async fn audit(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    action_prefix: Option<&str>,
    page: u64,
    per_page: u64,
) -> Result<Page<AuditEvent>, StoreError> {
    let tenant = match institution {
        Some(id) => audit_event::Column::InstitutionId.eq(id.0),
        None => audit_event::Column::InstitutionId.is_null(),
    };
    let mut query = audit_event::Entity::find().filter(tenant);
    if let Some(prefix) = action_prefix.filter(|p| !p.is_empty()) {
        query = query.filter(audit_event::Column::Action.starts_with(prefix));
    }
    let paginator = query.order_by_desc(audit_event::Column::Id).paginate(conn, per_page.clamp(1, 200));
    let total = paginator.num_items().await?;
    let page = crate::page_number(page);
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}

/// The newest audit events of one offering's kind of change (their details carry
/// `"offering": id`), newest first.
pub async fn audit_of_offering(
    conn: &impl Conn,
    institution: InstitutionId,
    action_prefix: &str,
    offering: i64,
    limit: u64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let mentions = Condition::any()
        .add(audit_event::Column::Details.like(format!("%\"offering\":{offering},%")))
        .add(audit_event::Column::Details.like(format!("%\"offering\":{offering}}}%")));
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::InstitutionId.eq(institution.0))
        .filter(audit_event::Column::Action.starts_with(action_prefix))
        .filter(mentions)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The institution's newest audit events of the given actions since `since`, newest first.
pub async fn audit_of_actions(
    conn: &impl Conn,
    institution: InstitutionId,
    actions: &[&str],
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<AuditEvent>, StoreError> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::InstitutionId.eq(institution.0))
        .filter(audit_event::Column::Action.is_in(actions.iter().copied()))
        .filter(audit_event::Column::CreatedAt.gt(since))
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}
