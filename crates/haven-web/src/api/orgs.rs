//! Organisations through the API: the same use cases as the administration pages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::ids::OrgId;
use haven_core::orgs::{self, OrgInput, Organisation};
use haven_core::retention;
use haven_core::Error;

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// All organisations, by name.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations",
    responses(
        (status = 200, body = Vec<Organisation>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Organisation>>, ApiErr> {
    orgs::list(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Add an organisation. `kind` is one of the `OrgKind` values; `active` defaults to true.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations",
    request_body = OrgInput,
    responses(
        (status = 201, body = Organisation),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<(StatusCode, Json<Organisation>), ApiErr> {
    orgs::create(&state.ctx, &s.actor, &input)
        .await
        .map(|o| (StatusCode::CREATED, Json(o)))
        .map_err(t.api())
}

fn parse_id(id: &str, t: &Tr) -> Result<OrgId, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// Read an organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Organisation),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<Organisation>, ApiErr> {
    let id = parse_id(&id, &t)?;
    orgs::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Change an organisation's name, kind or whether it is active.
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = String, Path, format = Uuid)), request_body = OrgInput,
    responses(
        (status = 200, body = Organisation),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<Json<Organisation>, ApiErr> {
    let id = parse_id(&id, &t)?;
    orgs::update(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// An organisation's retention period and how many of the persons it registered are due
/// for erasure now (the hourly sweep erases them). Counts only; reads no personal data.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/retention", tag = "organisations",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = retention::Status),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn retention(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<retention::Status>, ApiErr> {
    let id = parse_id(&id, &t)?;
    retention::status(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}
