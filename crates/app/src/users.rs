//! The institution admin's user management: list, view, deactivate, reactivate, and bulk
//! invitation from CSV with a preview (all-or-nothing).

use std::collections::HashSet;

use qobe_domain::accounts::AccountStatus;
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};
use qobe_store::accounts::{UserFilter, UserSort};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::LoginEvent;
use qobe_store::rows::RoleGrant;
use qobe_store::{accounts, logs, roles as grant_rows, sessions, structure, tenancy};

use crate::accounts::Account;
use crate::accounts::invitations::{self, InviteInput, ValidInvite};
use crate::checked::{CheckedFile, CheckedRow, CsvFile};
use crate::{Actor, App, AppError, AppResult, ClientInfo, Page, audit};

/// One row of the user list: the account and its grants.
pub struct UserSummary {
    pub user: Account,
    pub grants: Vec<RoleGrant>,
    /// Each role once, with the places it applies to by name.
    pub roles: Vec<crate::roles::RoleLine>,
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub search: String,
    pub status: String,
    pub role: String,
    pub sort: String,
    pub page: u64,
}

pub async fn list(app: &App, actor: &Actor, query: &ListQuery) -> AppResult<Page<UserSummary>> {
    let institution = actor.require(Permission::ViewUsers)?;
    let conn = app.store.conn();
    let status = AccountStatus::parse(&query.status).map(AccountStatus::as_str);
    let with_role = match Role::parse(&query.role) {
        Ok(role) => Some(grant_rows::users_with_role(conn, institution, role.as_str()).await?),
        Err(_) => None,
    };
    let sort = match query.sort.as_str() {
        "email" => UserSort::Email,
        "newest" => UserSort::Newest,
        _ => UserSort::Name,
    };
    let page = accounts::list(
        conn,
        institution,
        UserFilter {
            search: Some(query.search.as_str()),
            status,
            user_ids_with_role: with_role,
            sort,
            page: query.page,
            per_page: 25,
        },
    )
    .await?;
    let ids: Vec<i64> = page.items.iter().map(|u| u.id).collect();
    let grants = grant_rows::for_users(conn, institution, &ids).await?;
    let names = crate::roles::ScopeNames::of(conn, institution, &grants).await?;
    let items = page
        .items
        .into_iter()
        .map(|user| {
            let mine: Vec<RoleGrant> = grants.iter().filter(|g| g.user_id == user.id).cloned().collect();
            UserSummary { user: user.into(), roles: names.role_lines(&mine), grants: mine }
        })
        .collect();
    Ok(Page { items, total: page.total, page: page.page, per_page: page.per_page })
}

/// One account as the admin sees it.
pub struct UserDetail {
    pub user: Account,
    pub grants: Vec<RoleGrant>,
    /// Where each grant applies, by name.
    pub scopes: crate::roles::ScopeNames,
    pub logins: Page<LoginEvent>,
}

pub async fn detail(app: &App, actor: &Actor, id: UserId) -> AppResult<UserDetail> {
    let institution = actor.require(Permission::ViewUsers)?;
    let conn = app.store.conn();
    let user = accounts::get(conn, Some(institution), id).await?.ok_or(AppError::NotFound)?;
    let grants = grant_rows::for_user(conn, institution, id).await?;
    let scopes = crate::roles::ScopeNames::of(conn, institution, &grants).await?;
    let logins = if actor.can(Permission::ViewAuditLog) {
        logs::logins(conn, Some(institution), Some(id), 1, 20).await?
    } else {
        Page { items: Vec::new(), total: 0, page: 1, per_page: 20 }
    };
    Ok(UserDetail { user: user.into(), grants, scopes, logins })
}

/// Switches an account off: it cannot sign in, its sessions end, its API tokens are revoked
/// (for good: reactivating does not bring them back), and it frees its seat.
pub async fn deactivate(app: &App, actor: &Actor, id: UserId, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageUsers)?;
    if id == actor.user_id {
        return Err(AppError::conflict("user", "You cannot deactivate your own account."));
    }
    let tx = app.store.begin().await?;
    let user = accounts::get(&tx, Some(institution), id).await?.ok_or(AppError::NotFound)?;
    accounts::set_status(&tx, Some(institution), id, AccountStatus::Deactivated.as_str(), app.now()).await?;
    sessions::delete_all_for_user(&tx, Some(institution), id, None).await?;
    qobe_store::api_tokens::revoke_all(&tx, institution, Some(id), app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "user.deactivated").target(&user.email)).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Switches an account back on, if the plan has a free seat.
pub async fn reactivate(app: &App, actor: &Actor, id: UserId, client: &ClientInfo) -> AppResult<()> {
    let institution = actor.require(Permission::ManageUsers)?;
    let tx = app.store.begin().await?;
    tenancy::lock(&tx, institution).await?;
    let user = accounts::get(&tx, Some(institution), id).await?.ok_or(AppError::NotFound)?;
    if user.status != AccountStatus::Deactivated.as_str() {
        return Err(AppError::conflict("status", "This account is not deactivated."));
    }
    invitations::ensure_seats(&tx, institution, 1).await?;
    let status = if user.password_hash.is_some() { AccountStatus::Active } else { AccountStatus::Invited };
    accounts::set_status(&tx, Some(institution), id, status.as_str(), app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "user.reactivated").target(&user.email)).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// One row of an invitations file: who is invited, as what, where.
#[derive(Debug, Clone, Default)]
pub struct Invitee {
    pub email: String,
    pub name: String,
    pub role: String,
    pub scope: String,
}

/// The checked invitations file.
pub type BulkPreview = CheckedFile<Invitee>;

/// Most rows one file may have.
pub const BULK_MAX_ROWS: usize = 5_000;

/// Reads `email,name,role[,scope]` rows; `scope` is `institution` (default),
/// `department:CODE` or `program:CODE`.
async fn check_csv(
    app: &App,
    institution: InstitutionId,
    csv_bytes: &[u8],
) -> AppResult<(BulkPreview, Vec<ValidInvite>)> {
    let conn = app.store.conn();
    let mut preview = BulkPreview::default();
    let mut file = match CsvFile::open(csv_bytes) {
        Ok(file) => file,
        Err(problem) => {
            preview.file_errors.push(problem);
            return Ok((preview, Vec::new()));
        }
    };
    let Some([email_col, name_col, role_col]) = file.columns(["email", "name", "role"]) else {
        preview
            .file_errors
            .push("The first line must name the columns: email, name, role (and optionally scope).".into());
        return Ok((preview, Vec::new()));
    };
    let scope_col = file.column("scope");
    let departments = structure::departments(conn, institution).await?;
    let programs = structure::programs(conn, institution).await?;
    let mut seen = HashSet::new();
    let mut valid = Vec::new();
    for (index, record) in file.reader.records().enumerate() {
        let line = index + 2;
        if preview.rows.len() >= BULK_MAX_ROWS {
            preview.file_errors.push(format!("The file has more than {BULK_MAX_ROWS} rows; split it."));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                preview.rows.push(CheckedRow {
                    line,
                    value: Invitee::default(),
                    errors: vec![format!("unreadable row: {e}")],
                });
                continue;
            }
        };
        let field = |col: usize| record.get(col).unwrap_or("").to_owned();
        let mut row = CheckedRow {
            line,
            value: Invitee {
                email: field(email_col),
                name: field(name_col),
                role: field(role_col),
                scope: scope_col.map(field).filter(|s| !s.is_empty()).unwrap_or_else(|| "institution".into()),
            },
            errors: Vec::new(),
        };
        let scope = match row.value.scope.split_once(':') {
            None if row.value.scope == "institution" => Some(Scope::Institution),
            Some(("department", code)) => departments
                .iter()
                .find(|d| d.code.eq_ignore_ascii_case(code))
                .map(|d| Scope::Department(qobe_domain::ids::DepartmentId(d.id))),
            Some(("program", code)) => programs
                .iter()
                .find(|p| p.code.eq_ignore_ascii_case(code))
                .map(|p| Scope::Program(qobe_domain::ids::ProgramId(p.id))),
            _ => None,
        };
        let Some(scope) = scope else {
            row.errors.push(format!(
                "scope: {:?} is not institution, department:CODE or program:CODE of an existing one",
                row.value.scope
            ));
            preview.rows.push(row);
            continue;
        };
        match invitations::validate(&InviteInput {
            email: row.value.email.clone(),
            name: row.value.name.clone(),
            role: row.value.role.clone(),
            scope,
        }) {
            Ok(invite) => {
                if !seen.insert(invite.email.as_str().to_owned()) {
                    row.errors.push(format!("email: {} appears more than once in the file", invite.email));
                } else if accounts::by_email(conn, Some(institution), invite.email.as_str()).await?.is_some() {
                    row.errors.push(format!("email: {} already has an account here", invite.email));
                } else {
                    valid.push(invite);
                }
            }
            Err(errors) => row.errors.extend(errors.0.into_iter().map(|e| format!("{}: {}", e.field, e.message))),
        }
        preview.rows.push(row);
    }
    if preview.rows.is_empty() && preview.file_errors.is_empty() {
        preview.file_errors.push("The file has no rows under the header.".into());
    }
    Ok((preview, valid))
}

/// Checks a CSV of invitations without writing anything.
pub async fn bulk_preview(app: &App, actor: &Actor, csv_bytes: &[u8]) -> AppResult<BulkPreview> {
    let institution = actor.require(Permission::ManageUsers)?;
    let (mut preview, valid) = check_csv(app, institution, csv_bytes).await?;
    if let Err(AppError::PlanLimit(message)) =
        invitations::ensure_seats(app.store.conn(), institution, valid.len() as u64).await
    {
        preview.file_errors.push(message);
    }
    Ok(preview)
}

/// Invites everyone in the CSV in one transaction, or no one if any row is wrong.
pub async fn bulk_invite(
    app: &App,
    actor: &Actor,
    csv_bytes: &[u8],
    client: &ClientInfo,
) -> AppResult<Result<usize, BulkPreview>> {
    let institution = actor.require(Permission::ManageUsers)?;
    let (preview, valid) = check_csv(app, institution, csv_bytes).await?;
    if !preview.is_valid() {
        return Ok(Err(preview));
    }
    let tx = app.store.begin().await?;
    tenancy::lock(&tx, institution).await?;
    if let Err(AppError::PlanLimit(message)) = invitations::ensure_seats(&tx, institution, valid.len() as u64).await {
        return Ok(Err(BulkPreview { file_errors: vec![message], ..preview }));
    }
    let inst = tenancy::get(&tx, institution).await?.ok_or(AppError::NotFound)?;
    for invite in &valid {
        let (user, token) = invitations::insert_invited(&tx, app, institution, invite, Some(actor.user_id)).await?;
        let email = invitations::invitation_email(app, &inst.name, &user.email, &user.name, &token);
        crate::mail::queue(&tx, app, Some(institution), email).await?;
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "user.bulk_invited").target("csv").details(serde_json::json!({ "count": valid.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(Ok(valid.len()))
}

/// Login history of the whole institution, for admins.
pub async fn login_history(app: &App, actor: &Actor, page: u64) -> AppResult<Page<LoginEvent>> {
    let institution = actor.require(Permission::ViewAuditLog)?;
    Ok(logs::logins(app.store.conn(), Some(institution), None, page, 50).await?)
}

/// One's own login history.
pub async fn own_login_history(app: &App, actor: &Actor) -> AppResult<Page<LoginEvent>> {
    Ok(logs::logins(app.store.conn(), actor.institution_id, Some(actor.user_id), 1, 30).await?)
}

/// The account with this email in the actor's institution, for staff actions by email.
pub async fn by_email(app: &App, actor: &Actor, email: &str) -> AppResult<Option<Account>> {
    let institution = actor.require(Permission::ViewUsers)?;
    let email = qobe_domain::accounts::Email::parse(email).map_err(|m| AppError::field("email", m))?;
    Ok(accounts::by_email(app.store.conn(), Some(institution), email.as_str()).await?.map(Account::from))
}
