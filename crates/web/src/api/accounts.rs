//! API v1 for accounts: the signed-in person, their institution, users, invitations and login
//! history.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::accounts::Account;
use qobe_app::roles::RoleGrant;
use qobe_app::users::ListQuery;
use qobe_app::users::LoginEvent;
use qobe_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiActor, ErrorOut};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/institution", get(institution))
        .route("/users", get(list_users))
        .route("/users/{id}", get(get_user))
        .route("/invitations", post(invite))
        .route("/login-history", get(login_history))
}

/// A role held at a scope.
#[derive(Serialize, ToSchema)]
pub struct RoleOut {
    pub id: i64,
    /// `institution_admin`, `qa_officer`, `program_coordinator`, `instructor`, `student` or `alumnus`.
    pub role: String,
    /// `institution`, `department`, `program` or `offering`.
    pub scope: String,
    /// Id of the department, program or offering; absent for institution-wide roles.
    pub scope_id: Option<i64>,
}

impl From<&RoleGrant> for RoleOut {
    fn from(g: &RoleGrant) -> Self {
        RoleOut {
            id: g.id,
            role: g.role.clone(),
            scope: g.scope_kind.clone(),
            scope_id: (g.scope_kind != "institution").then_some(g.scope_id),
        }
    }
}

/// An account, as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// `invited`, `active` or `deactivated`.
    pub status: String,
    pub email_verified: bool,
    pub two_factor: bool,
    pub language: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    pub roles: Vec<RoleOut>,
}

fn user_out(user: &Account, grants: &[RoleGrant]) -> UserOut {
    UserOut {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        status: user.status.clone(),
        email_verified: user.email_verified_at.is_some(),
        two_factor: user.totp_enabled_at.is_some(),
        language: user.language.clone(),
        time_zone: user.time_zone.clone(),
        created_at: user.created_at,
        roles: grants.iter().map(RoleOut::from).collect(),
    }
}

/// The caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = UserOut), (status = 401, body = ErrorOut)), security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, ApiActor(actor, _): ApiActor) -> Result<Json<UserOut>, ApiError> {
    let user = qobe_app::accounts::profile::own_account(&state.app, &actor).await?;
    let grants = qobe_app::accounts::profile::own_grants(&state.app, &actor).await?;
    Ok(Json(user_out(&user, &grants)))
}

/// The caller's institution and its plan usage.
#[derive(Serialize, ToSchema)]
pub struct InstitutionOut {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub plan: String,
    pub seat_limit: i64,
    pub seats_used: u64,
    pub require_staff_2fa: bool,
}

#[utoipa::path(get, path = "/api/v1/institution", tag = "tenancy", responses((status = 200, body = InstitutionOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn institution(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<InstitutionOut>, ApiError> {
    let (i, seats_used) = qobe_app::tenancy::current(&state.app, &actor).await?;
    Ok(Json(InstitutionOut {
        id: i.id,
        name: i.name,
        slug: i.slug,
        plan: i.plan,
        seat_limit: i.seat_limit,
        seats_used,
        require_staff_2fa: i.require_staff_2fa,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Part of a name or email.
    #[serde(default)]
    #[param(pattern = "^[^\\u0000]*$")]
    pub q: String,
    /// `invited`, `active` or `deactivated`.
    #[serde(default)]
    #[param(pattern = "^[^\\u0000]*$")]
    pub status: String,
    /// Only people holding this role.
    #[serde(default)]
    #[param(pattern = "^[^\\u0000]*$")]
    pub role: String,
    /// `name` (default), `email` or `newest`.
    #[serde(default)]
    #[param(pattern = "^[^\\u0000]*$")]
    pub sort: String,
    /// Page number, from 1; 25 per page.
    #[param(minimum = 1, maximum = 100000)]
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct UserPageOut {
    pub items: Vec<UserOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(UserListParams), responses((status = 200, body = UserPageOut), (status = 403, body = ErrorOut)), security(("bearer" = [])))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Query(p): Query<UserListParams>,
) -> Result<Json<UserPageOut>, ApiError> {
    let page = p.page.unwrap_or(1);
    let Some(page) = u64::try_from(page).ok().filter(|p| (1..=qobe_app::MAX_PAGE).contains(p)) else {
        return Err(ApiError(qobe_app::AppError::field("page", format!("must be from 1 to {}", qobe_app::MAX_PAGE))));
    };
    let query = ListQuery { search: p.q, status: p.status, role: p.role, sort: p.sort, page };
    let page = qobe_app::users::list(&state.app, &actor, &query).await?;
    Ok(Json(UserPageOut {
        items: page.items.iter().map(|s| user_out(&s.user, &s.grants)).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = i64, Path, description = "User id")), responses((status = 200, body = UserOut), (status = 404, body = ErrorOut)), security(("bearer" = [])))]
pub async fn get_user(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<UserOut>, ApiError> {
    let detail = qobe_app::users::detail(&state.app, &actor, UserId(id)).await?;
    Ok(Json(user_out(&detail.user, &detail.grants)))
}

#[utoipa::path(post, path = "/api/v1/invitations", tag = "accounts", request_body = qobe_app::accounts::invitations::InvitationInput, responses((status = 201, body = UserOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn invite(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(input): Json<qobe_app::accounts::invitations::InvitationInput>,
) -> Result<(StatusCode, Json<UserOut>), ApiError> {
    // JSON names the scope and its id apart (`department:3` is the invite form's one select).
    if input.scope.as_deref().is_some_and(|scope| scope.contains(':')) {
        return Err(ApiError(qobe_app::AppError::field("scope", "must be institution, department or program")));
    }
    let user = qobe_app::accounts::invitations::invite(&state.app, &actor, input.resolved()?, &ctx.client).await?;
    let detail = qobe_app::users::detail(&state.app, &actor, UserId(user.id)).await?;
    Ok((StatusCode::CREATED, Json(user_out(&detail.user, &detail.grants))))
}

/// One sign-in attempt.
#[derive(Serialize, ToSchema)]
pub struct LoginOut {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub email: String,
    pub success: bool,
    pub outcome: String,
    pub ip: Option<String>,
    pub browser: String,
    pub os: String,
    pub device: String,
}

impl From<&LoginEvent> for LoginOut {
    fn from(e: &LoginEvent) -> Self {
        LoginOut {
            at: e.created_at,
            user_id: e.user_id,
            email: e.email.clone(),
            success: e.success,
            outcome: e.outcome.clone(),
            ip: e.ip.clone(),
            browser: e.browser.clone(),
            os: e.os.clone(),
            device: e.device.clone(),
        }
    }
}

/// The caller's own sign-in history (most recent 30).
#[utoipa::path(get, path = "/api/v1/login-history", tag = "accounts", responses((status = 200, body = Vec<LoginOut>)), security(("bearer" = [])))]
pub async fn login_history(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
) -> Result<Json<Vec<LoginOut>>, ApiError> {
    let page = qobe_app::users::own_login_history(&state.app, &actor).await?;
    Ok(Json(page.items.iter().map(LoginOut::from).collect()))
}
