//! The audit log: who did what to whom, when and from where.

use qobe_domain::ids::InstitutionId;
use qobe_domain::roles::Permission;
use qobe_store::{Conn, logs, rows::AuditEvent};

use crate::{Actor, App, AppResult, ClientInfo, Page};

/// Records one event inside the caller's transaction (or on the pool).
pub async fn record(
    conn: &impl Conn,
    app: &App,
    institution: Option<InstitutionId>,
    actor: Option<&Actor>,
    action: &str,
    target: &str,
    details: serde_json::Value,
    client: &ClientInfo,
) -> AppResult<()> {
    logs::insert_audit(conn, logs::NewAuditEvent {
        institution_id: institution,
        actor_id: actor.map(|a| a.user_id),
        actor_email: actor.map(|a| a.email.as_str()).unwrap_or("system"),
        action,
        target,
        details: &details.to_string(),
        ip: client.ip(),
        now: app.now(),
    })
    .await?;
    Ok(())
}

/// The institution's audit log, for admins; operators see the platform's own log.
pub async fn list(app: &App, actor: &Actor, action_prefix: Option<&str>, page: u64) -> AppResult<Page<AuditEvent>> {
    let institution = if actor.is_operator {
        actor.require_operator()?;
        None
    } else {
        Some(actor.require(Permission::ViewAuditLog)?)
    };
    Ok(logs::audit(app.store.conn(), institution, action_prefix, page, 50).await?)
}
