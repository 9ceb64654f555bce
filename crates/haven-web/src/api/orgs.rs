//! Organisations through the API: the same use cases as the administration pages.

use axum::http::StatusCode;
use axum::Json;
use haven_core::ids::OrgId;
use haven_core::orgs::{self, OrgInput, Organisation};
use haven_core::retention;

use crate::api::{ApiJson, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::error::ApiErr;
use crate::extract::Id;

/// All organisations, by name.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations",
    responses((status = 200, body = Vec<Organisation>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Result<Json<Vec<Organisation>>, ApiErr> {
    a.json(orgs::list(&a.ctx, &a.s.actor).await)
}

/// Add an organisation. `kind` is one of the `OrgKind` values; `active` defaults to true.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations",
    request_body = OrgInput,
    responses((status = 201, body = Organisation), Unauthorized, Forbidden, Invalid))]
pub async fn create(
    a: StaffApi,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<(StatusCode, Json<Organisation>), ApiErr> {
    a.created(orgs::create(&a.ctx, &a.s.actor, &input).await)
}

/// Read an organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Organisation), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id(id): Id<OrgId>) -> Result<Json<Organisation>, ApiErr> {
    a.json(orgs::get(&a.ctx, &a.s.actor, id).await)
}

/// Change an organisation's name, kind or whether it is active.
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = String, Path, format = Uuid)), request_body = OrgInput,
    responses((status = 200, body = Organisation), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn update(
    a: StaffApi,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<Json<Organisation>, ApiErr> {
    a.json(orgs::update(&a.ctx, &a.s.actor, id, &input).await)
}

/// An organisation's retention period and how many of the persons it registered are due
/// for erasure now (the hourly sweep erases them). Counts only; reads no personal data.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/retention", tag = "organisations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = retention::Status), Unauthorized, Forbidden, NotFound))]
pub async fn retention(a: StaffApi, Id(id): Id<OrgId>) -> Result<Json<retention::Status>, ApiErr> {
    a.json(retention::status(&a.ctx, &a.s.actor, id).await)
}
