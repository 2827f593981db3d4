//! The audit log: who did what to whom, when and from where.

use qobe_domain::ids::InstitutionId;
use qobe_domain::roles::Permission;
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::AuditEvent;
use qobe_store::{Tx, logs};

use crate::{Actor, App, AppResult, ClientInfo, Page};

/// One audit event: who did what to whom, in which institution (`None`: the platform).
pub struct Entry<'a> {
    pub institution: Option<InstitutionId>,
    /// `None` when nobody was signed in (accepting an invitation, resetting a password).
    pub actor: Option<&'a Actor>,
    pub action: &'a str,
    pub target: &'a str,
    pub details: serde_json::Value,
}

impl<'a> Entry<'a> {
    /// Something the actor did to their own account or in their own institution.
    pub fn by(actor: &'a Actor, action: &'a str) -> Entry<'a> {
        Entry {
            institution: actor.institution_id,
            actor: Some(actor),
            action,
            target: &actor.email,
            details: serde_json::json!({}),
        }
    }

    /// Something that happened with nobody signed in (a link followed, a sign-up).
    pub fn anonymous(institution: Option<InstitutionId>, action: &'a str, target: &'a str) -> Entry<'a> {
        Entry { institution, actor: None, action, target, details: serde_json::json!({}) }
    }

    pub fn target(mut self, target: &'a str) -> Entry<'a> {
        self.target = target;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Entry<'a> {
        self.details = details;
        self
    }
}

/// Records one event inside the transaction of the change it records, so a change is never
/// without its entry nor an entry without its change.
pub async fn record(tx: &Tx, app: &App, client: &ClientInfo, entry: Entry<'_>) -> AppResult<()> {
    logs::insert_audit(
        tx,
        logs::NewAuditEvent {
            institution_id: entry.institution,
            actor_id: entry.actor.map(|a| a.user_id),
            actor_email: entry.actor.map(|a| a.email.as_str()).unwrap_or("system"),
            action: entry.action,
            target: entry.target,
            details: &entry.details.to_string(),
            ip: client.ip(),
            now: app.now(),
        },
    )
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
