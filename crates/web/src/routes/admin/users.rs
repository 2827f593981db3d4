//! User list (search, filter, sort, pages), one user's page, invitation, deactivation, roles.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::roles::RoleGrant;
use qobe_app::structure::{Department, Program};
use qobe_app::users::{ListQuery, UserDetail, UserSummary};
use qobe_app::{AppError, Page as Paged};
use qobe_domain::ids::{RoleGrantId, UserId};
use qobe_domain::roles::Role;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, page_number, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/invite", get(invite_form).post(invite))
        .route("/admin/users/{id}", get(show))
        .route("/admin/users/{id}/deactivate", post(deactivate))
        .route("/admin/users/{id}/reactivate", post(reactivate))
        .route("/admin/users/{id}/resend", post(resend))
        .route("/admin/users/{id}/roles", post(grant))
        .route("/admin/roles/{id}/revoke", post(revoke))
}

#[derive(Deserialize, Default)]
struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    sort: String,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    users: Paged<UserSummary>,
    params: ListParams,
    roles: [Role; 6],
}

impl UsersPage {
    /// A link to this list with the current filters and another page or sort.
    fn link(&self, page: u64, sort: &str) -> String {
        let pairs = [
            ("q", self.params.q.as_str()),
            ("status", &self.params.status),
            ("role", &self.params.role),
            ("sort", sort),
        ];
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            query.append_pair(k, v);
        }
        query.append_pair("page", &page.to_string());
        format!("/admin/users?{}", query.finish())
    }
}

fn role_label(raw: &str) -> &'static str {
    Role::parse(raw).map(Role::label).unwrap_or("Unknown role")
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(params): Query<ListParams>,
) -> Result<Response, HtmlError> {
    let query = ListQuery {
        search: params.q.clone(),
        status: params.status.clone(),
        role: params.role.clone(),
        sort: params.sort.clone(),
        page: page_number(params.page),
    };
    let users = qobe_app::users::list(&state.app, &signed.actor, &query).await?;
    Ok(render(&UsersPage { page: Page::new("Users", &signed.ctx), users, params, roles: Role::ALL }))
}

#[derive(Template)]
#[template(path = "admin/invite.html")]
struct InvitePage {
    page: Page,
    form: FormState,
    roles: [Role; 6],
    departments: Vec<Department>,
    programs: Vec<Program>,
}

async fn invite_page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<InvitePage, HtmlError> {
    let (departments, programs) = qobe_app::structure::list(&state.app, &signed.actor).await?;
    Ok(InvitePage { page: Page::new("Invite a person", &signed.ctx), form, roles: Role::ALL, departments, programs })
}

async fn invite_form(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(qobe_domain::roles::Permission::ManageUsers)?;
    Ok(render(&invite_page(&state, &signed, FormState::new().set("scope", "institution")).await?))
}

async fn invite(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<qobe_app::accounts::invitations::InvitationInput>,
) -> Result<Response, HtmlError> {
    let result = match form.input.resolved() {
        Ok(input) => {
            qobe_app::accounts::invitations::invite(&state.app, &signed.actor, input, &signed.ctx.client).await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(user) => {
            Ok(done(&state, &format!("/admin/users/{}", user.id), &format!("Invitation sent to {}.", user.email)))
        }
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&invite_page(&state, &signed, kept).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    page: Page,
    detail: UserDetail,
    roles: [Role; 6],
    departments: Vec<Department>,
    programs: Vec<Program>,
    grant_form: FormState,
    is_self: bool,
    can_manage: bool,
    holds: Vec<qobe_app::registration::Hold>,
    can_hold: bool,
}

impl UserPage {
    fn role_label(&self, raw: &str) -> &'static str {
        role_label(raw)
    }

    fn scope_label(&self, grant: &RoleGrant) -> String {
        self.detail.scopes.label(grant)
    }
}

async fn user_page(
    state: &AppState,
    signed: &SignedIn,
    id: UserId,
    grant_form: FormState,
) -> Result<UserPage, HtmlError> {
    let detail = qobe_app::users::detail(&state.app, &signed.actor, id).await?;
    let (departments, programs) = qobe_app::structure::list(&state.app, &signed.actor).await?;
    let can_hold = signed.actor.can(qobe_domain::roles::Permission::ManageRegistrations);
    let holds = if can_hold { qobe_app::registration::holds(&state.app, &signed.actor, id).await? } else { Vec::new() };
    Ok(UserPage {
        holds,
        can_hold,
        page: Page::new(&detail.user.name.clone(), &signed.ctx),
        is_self: detail.user.id == signed.actor.user_id.0,
        can_manage: signed.actor.can(qobe_domain::roles::Permission::ManageUsers),
        detail,
        roles: Role::ALL,
        departments,
        programs,
        grant_form,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&user_page(&state, &signed, UserId(id), FormState::new()).await?))
}

async fn deactivate(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    qobe_app::users::deactivate(&state.app, &signed.actor, UserId(id), &signed.ctx.client).await?;
    Ok(done(&state, &format!("/admin/users/{id}"), "The account has been deactivated and signed out."))
}

async fn reactivate(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    match qobe_app::users::reactivate(&state.app, &signed.actor, UserId(id), &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/admin/users/{id}"), "The account is active again.")),
        Err(err @ (AppError::PlanLimit(_) | AppError::Conflict { .. })) => {
            Ok(done(&state, &format!("/admin/users/{id}"), &err.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}

async fn resend(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    qobe_app::accounts::invitations::resend(&state.app, &signed.actor, UserId(id), &signed.ctx.client).await?;
    Ok(done(&state, &format!("/admin/users/{id}"), "A new invitation link has been sent."))
}

async fn grant(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<qobe_app::roles::GrantInput>,
) -> Result<Response, HtmlError> {
    let result = qobe_app::roles::grant(&state.app, &signed.actor, UserId(id), &form.input, &signed.ctx.client).await;
    match result {
        Ok(_) => Ok(done(&state, &format!("/admin/users/{id}"), "Role granted.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&user_page(&state, &signed, UserId(id), kept).await?))
        }
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    user_id: i64,
}

async fn revoke(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, HtmlError> {
    let back = format!("/admin/users/{}", form.user_id);
    match qobe_app::roles::revoke(&state.app, &signed.actor, RoleGrantId(id), &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &back, "Role revoked.")),
        Err(err @ AppError::Conflict { .. }) => Ok(done(&state, &back, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}
