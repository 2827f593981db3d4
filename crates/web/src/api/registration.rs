//! API v1 for registration: the caller's registrations, registering in an offering and dropping it.

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use qobe_domain::ids::{OfferingId, TermId};
use qobe_domain::registration::Placement;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiActor;
use super::ErrorOut;
use super::academics::TermParam;
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/registrations", get(my_registrations).post(register))
        .route("/registrations/{offering}/drop", post(drop_registration))
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    pub offering_id: i64,
    pub course_code: String,
    pub section: String,
    /// `pending_approval`, `enrolled`, `waitlisted`, `dropped`, `withdrawn`, `rejected` or `completed`.
    pub status: Option<String>,
    pub grade: Option<String>,
}

/// The caller's registrations in a term (the open term without `term`).
#[utoipa::path(get, path = "/api/v1/registrations", tag = "registration", params(TermParam), responses((status = 200, body = Vec<RegistrationOut>)), security(("bearer" = [])))]
pub async fn my_registrations(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Query(p): Query<TermParam>,
) -> Result<Json<Vec<RegistrationOut>>, ApiError> {
    let page = qobe_app::registration::page(&state.app, &actor, p.term.map(TermId)).await?;
    Ok(Json(
        page.offerings
            .iter()
            .filter(|o| o.mine.is_some())
            .map(|o| RegistrationOut {
                offering_id: o.view.offering.id,
                course_code: o.view.course.code.clone(),
                section: o.view.offering.section.clone(),
                status: o.mine.as_ref().map(|e| e.status.clone()),
                grade: o.mine.as_ref().and_then(|e| e.grade.clone()),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationIn {
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub offering_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementOut {
    /// `enrolled`, `waitlisted` or `pending_approval`.
    pub status: String,
}

/// Requests a place; a refusal (409, code `refused`) lists every reason in `message`.
#[utoipa::path(post, path = "/api/v1/registrations", tag = "registration", request_body = RegistrationIn, responses((status = 201, body = PlacementOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Json(body): Json<RegistrationIn>,
) -> Result<(axum::http::StatusCode, Json<PlacementOut>), ApiError> {
    let placement =
        qobe_app::registration::request(&state.app, &actor, OfferingId(body.offering_id), &ctx.client).await?;
    let status = match placement {
        Placement::Enrolled => "enrolled",
        Placement::Waitlisted => "waitlisted",
        Placement::PendingApproval => "pending_approval",
    };
    Ok((axum::http::StatusCode::CREATED, Json(PlacementOut { status: status.into() })))
}

#[utoipa::path(post, path = "/api/v1/registrations/{offering}/drop", tag = "registration", params(("offering" = i64, Path)), responses((status = 200, body = PlacementOut), (status = 409, body = ErrorOut)), security(("bearer" = [])))]
pub async fn drop_registration(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(offering): Path<i64>,
) -> Result<Json<PlacementOut>, ApiError> {
    let status = qobe_app::registration::drop(&state.app, &actor, OfferingId(offering), &ctx.client).await?;
    Ok(Json(PlacementOut { status: status.as_str().into() }))
}
