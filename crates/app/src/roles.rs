//! Granting and revoking roles at a scope.

use qobe_domain::ids::{InstitutionId, RoleGrantId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};
use qobe_store::{Conn, accounts, roles as grant_rows, rows::RoleGrant, structure};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// Fails unless the department/program a scope names exists in `institution`.
pub(crate) async fn check_scope_exists(conn: &impl Conn, institution: InstitutionId, scope: &Scope) -> AppResult<()> {
    let exists = match scope {
        Scope::Institution => true,
        Scope::Department(id) => structure::department(conn, institution, *id).await?.is_some(),
        Scope::Program(id) => structure::program(conn, institution, *id).await?.is_some(),
        // Course offerings arrive with the academic structure; until then none can be named.
        Scope::Offering(_) => false,
    };
    if exists {
        Ok(())
    } else {
        Err(AppError::refused_field("scope", "does not name a department or program of this institution"))
    }
}

pub async fn grant(
    app: &App,
    actor: &Actor,
    user: UserId,
    role: &str,
    scope: Scope,
    client: &ClientInfo,
) -> AppResult<RoleGrant> {
    let institution = actor.require(Permission::ManageRoles)?;
    let conn = app.store.conn();
    let target = accounts::get(conn, Some(institution), user).await?.ok_or(AppError::NotFound)?;
    let role = Role::parse(role).map_err(|m| AppError::field("role", m))?;
    if !role.allows_scope(&scope) {
        return Err(AppError::field("scope", format!("{} can only be granted institution-wide", role.label())));
    }
    check_scope_exists(conn, institution, &scope).await?;
    let row = grant_rows::insert(
        conn,
        grant_rows::NewGrant {
            institution_id: institution,
            user_id: user,
            role: role.as_str(),
            scope_kind: scope.kind(),
            scope_id: scope.id().unwrap_or(0),
            granted_by: Some(actor.user_id),
            now: app.now(),
        },
    )
    .await
    .map_err(|e| match e {
        qobe_store::StoreError::Duplicate(_) => AppError::conflict("role", "This person already has that role there."),
        other => other.into(),
    })?;
    audit::record(
        conn,
        app,
        client,
        audit::Entry::by(actor, "role.granted")
            .target(&target.email)
            .details(serde_json::json!({ "role": role.as_str(), "scope": scope })),
    )
    .await?;
    Ok(row)
}

pub async fn revoke(app: &App, actor: &Actor, grant: RoleGrantId, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageRoles)?;
    let tx = app.store.begin().await?;
    let row = grant_rows::get(&tx, institution, grant).await?.ok_or(AppError::NotFound)?;
    if row.role == Role::InstitutionAdmin.as_str() && grant_rows::count_admins(&tx, institution).await? <= 1 {
        return Err(AppError::conflict(
            "role",
            "This is the last institution admin; grant the role to someone else first.",
        ));
    }
    grant_rows::delete(&tx, institution, grant).await?;
    let target = accounts::get(&tx, Some(institution), UserId(row.user_id)).await?.map(|u| u.email).unwrap_or_default();
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "role.revoked")
            .target(&target)
            .details(serde_json::json!({ "role": row.role, "scope_kind": row.scope_kind, "scope_id": row.scope_id })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}
