//! Granting and revoking roles at a scope.

use std::collections::HashMap;

use qobe_domain::entered::Entered;
use qobe_domain::ids::{InstitutionId, RoleGrantId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::RoleGrant;
use qobe_store::{Conn, accounts, roles as grant_rows, structure};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// Where a role holds, as a form or a JSON body names it: `scope` is `institution` (or left
/// out), `department` or `program` with the id in `scope_id`; a form's one select sends both at
/// once, as `department:3`.
pub fn scope_as_sent(scope: Option<&str>, scope_id: Option<&Entered<i64>>) -> AppResult<Scope> {
    let raw = scope.map(str::trim).unwrap_or("institution");
    let (kind, joined) = match raw.split_once(':') {
        Some((kind, id)) => (kind, Some(id.trim().to_owned())),
        None => (raw, None),
    };
    if !matches!(kind, "institution" | "department" | "program") {
        return Err(AppError::field("scope", "must be institution, department or program"));
    }
    let id = joined.or_else(|| scope_id.map(Entered::text)).filter(|id| !id.trim().is_empty());
    let id = match id {
        None => None,
        Some(id) => Some(id.trim().parse::<i64>().map_err(|_| AppError::field("scope_id", "must be a whole number"))?),
    };
    Scope::from_parts(kind, id).map_err(|m| AppError::refused_field("scope_id", m))
}

/// A role to grant and where it holds.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GrantInput {
    pub role: String,
    pub scope: Option<String>,
    pub scope_id: Option<Entered<i64>>,
}

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
    input: &GrantInput,
    client: &ClientInfo,
) -> AppResult<RoleGrant> {
    let scope = scope_as_sent(input.scope.as_deref(), input.scope_id.as_ref())?;
    let role = input.role.as_str();
    let institution = actor.require(Permission::ManageRoles)?;
    let conn = app.store.conn();
    let target = accounts::get(conn, Some(institution), user).await?.ok_or(AppError::NotFound)?;
    let role = Role::parse(role).map_err(|m| AppError::field("role", m))?;
    if !role.allows_scope(&scope) {
        return Err(AppError::field("scope", format!("{} can only be granted institution-wide", role.label())));
    }
    check_scope_exists(conn, institution, &scope).await?;
    let tx = app.store.begin().await?;
    let row = grant_rows::insert(
        &tx,
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
        &tx,
        app,
        client,
        audit::Entry::by(actor, "role.granted")
            .target(&target.email)
            .details(serde_json::json!({ "role": role.as_str(), "scope": scope })),
    )
    .await?;
    qobe_store::commit(tx).await?;
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

/// The places grants apply to, by name: a department or program by code, an offering as
/// `EE-201 FA26 A` (course, term, section); keyed by (scope kind, scope id).
pub struct ScopeNames(HashMap<(String, i64), String>);

impl ScopeNames {
    pub async fn of(conn: &impl Conn, institution: InstitutionId, grants: &[RoleGrant]) -> AppResult<ScopeNames> {
        let ids = |kind: &str| -> Vec<i64> {
            let mut ids: Vec<i64> = grants.iter().filter(|g| g.scope_kind == kind).map(|g| g.scope_id).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut names = HashMap::new();
        let (departments, programs) = (ids("department"), ids("program"));
        if !departments.is_empty() {
            for d in
                structure::departments(conn, institution).await?.into_iter().filter(|d| departments.contains(&d.id))
            {
                names.insert(("department".to_owned(), d.id), d.code);
            }
        }
        if !programs.is_empty() {
            for p in structure::programs(conn, institution).await?.into_iter().filter(|p| programs.contains(&p.id)) {
                names.insert(("program".to_owned(), p.id), p.code);
            }
        }
        let offerings = qobe_store::academics::offerings::by_ids(conn, institution, &ids("offering")).await?;
        if !offerings.is_empty() {
            let mut course_ids: Vec<i64> = offerings.iter().map(|o| o.course_id).collect();
            course_ids.sort_unstable();
            course_ids.dedup();
            let courses: HashMap<i64, String> = qobe_store::academics::courses::by_ids(conn, institution, &course_ids)
                .await?
                .into_iter()
                .map(|c| (c.id, c.code))
                .collect();
            let terms: HashMap<i64, String> = qobe_store::academics::terms::list(conn, institution)
                .await?
                .into_iter()
                .map(|t| (t.id, t.code))
                .collect();
            for o in offerings {
                let course = courses.get(&o.course_id).map(String::as_str).unwrap_or("?");
                let term = terms.get(&o.term_id).map(String::as_str).unwrap_or("?");
                names.insert(("offering".to_owned(), o.id), format!("{course} {term} {}", o.section));
            }
        }
        Ok(ScopeNames(names))
    }

    /// Where a grant applies, as a person reads it: `Department CE`, `EE-201 FA26 A`,
    /// `Whole institution`.
    pub fn label(&self, grant: &RoleGrant) -> String {
        match (grant.scope_kind.as_str(), self.0.get(&(grant.scope_kind.clone(), grant.scope_id))) {
            ("department", Some(code)) => format!("Department {code}"),
            ("program", Some(code)) => format!("Program {code}"),
            ("offering", Some(name)) => name.clone(),
            ("institution", _) => "Whole institution".to_owned(),
            (kind, None) => format!("{kind} {} (removed)", grant.scope_id),
            (_, Some(name)) => name.clone(),
        }
    }

    /// Each role once, with the places it applies to (none for the whole institution), in
    /// the order roles are listed: `Instructor: EE-201 FA26 A, EE-202 FA26 B`.
    pub fn role_lines(&self, grants: &[RoleGrant]) -> Vec<RoleLine> {
        let mut lines: Vec<RoleLine> = Vec::new();
        for role in Role::ALL {
            let of_role: Vec<&RoleGrant> = grants.iter().filter(|g| g.role == role.as_str()).collect();
            if of_role.is_empty() {
                continue;
            }
            let whole = of_role.iter().any(|g| g.scope_kind == "institution");
            let rank = |kind: &str| ["department", "program", "offering"].iter().position(|k| *k == kind);
            let mut scopes: Vec<(Option<usize>, String)> =
                if whole { Vec::new() } else { of_role.iter().map(|g| (rank(&g.scope_kind), self.label(g))).collect() };
            scopes.sort();
            scopes.dedup();
            lines.push(RoleLine { role, scopes: scopes.into_iter().map(|(_, name)| name).collect() });
        }
        lines
    }
}

/// One role a person holds and where (no places: the whole institution).
pub struct RoleLine {
    pub role: Role,
    pub scopes: Vec<String>,
}

impl RoleLine {
    /// `Instructor (Department CE, EE-201 FA26 A and 5 more)` or `Institution admin`: at most
    /// three places by name, so a list row stays one line.
    pub fn text(&self) -> String {
        const NAMED: usize = 3;
        match self.scopes.len() {
            0 => self.role.label().to_owned(),
            n if n <= NAMED => format!("{} ({})", self.role.label(), self.scopes.join(", ")),
            n => format!("{} ({} and {} more)", self.role.label(), self.scopes[..NAMED].join(", "), n - NAMED),
        }
    }
}
