//! Programmes and the casework options through the API.

use axum::http::StatusCode;
use axum::Json;
use haven_core::cases::programmes::{self, Options, Programme, ProgrammeInput};
use haven_core::ids::ProgrammeId;

use crate::api::{ApiJson, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::error::ApiErr;
use crate::extract::Id;

/// Every programme, active or not.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes",
    responses((status = 200, body = Vec<Programme>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Result<Json<Vec<Programme>>, ApiErr> {
    a.json(programmes::list(&a.ctx, &a.s.actor).await)
}

/// Configure a new programme.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "programmes", request_body = ProgrammeInput,
    responses((status = 201, body = Programme), Unauthorized, Forbidden, Invalid))]
pub async fn create(
    a: StaffApi,
    ApiJson(input): ApiJson<ProgrammeInput>,
) -> Result<(StatusCode, Json<Programme>), ApiErr> {
    a.created(programmes::create(&a.ctx, &a.s.actor, &input).await)
}

/// Read a programme.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "programmes",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Programme), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id(id): Id<ProgrammeId>) -> Result<Json<Programme>, ApiErr> {
    a.json(programmes::get(&a.ctx, &a.s.actor, id).await)
}

/// Change a programme. Existing cases keep their start date; limits apply as changed.
#[utoipa::path(put, path = "/api/v1/programmes/{id}", tag = "programmes",
    params(("id" = String, Path, format = Uuid)), request_body = ProgrammeInput,
    responses((status = 200, body = Programme), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn update(
    a: StaffApi,
    Id(id): Id<ProgrammeId>,
    ApiJson(input): ApiJson<ProgrammeInput>,
) -> Result<Json<Programme>, ApiErr> {
    a.json(programmes::update(&a.ctx, &a.s.actor, id, &input).await)
}

/// What case forms offer: programmes open for intake, procedure and permit types.
#[utoipa::path(get, path = "/api/v1/casework/options", tag = "cases",
    responses((status = 200, body = Options), Unauthorized, Forbidden))]
pub async fn options(a: StaffApi) -> Result<Json<Options>, ApiErr> {
    a.json(programmes::options(&a.ctx, &a.s.actor).await)
}
