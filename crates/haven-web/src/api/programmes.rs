//! Programmes and the casework options through the API.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::cases::programmes::{self, Options, Programme, ProgrammeInput};
use haven_core::ids::ProgrammeId;
use haven_core::Error;

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// Every programme, active or not.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes",
    responses(
        (status = 200, body = Vec<Programme>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Programme>>, ApiErr> {
    programmes::list(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Configure a new programme.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "programmes", request_body = ProgrammeInput,
    responses(
        (status = 201, body = Programme),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<ProgrammeInput>,
) -> Result<(StatusCode, Json<Programme>), ApiErr> {
    programmes::create(&state.ctx, &s.actor, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(t.api())
}

fn parse_id(id: &str, t: &Tr) -> Result<ProgrammeId, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// Read a programme.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "programmes",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Programme),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<Programme>, ApiErr> {
    let id = parse_id(&id, &t)?;
    programmes::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Change a programme. Existing cases keep their start date; limits apply as changed.
#[utoipa::path(put, path = "/api/v1/programmes/{id}", tag = "programmes",
    params(("id" = String, Path, format = Uuid)), request_body = ProgrammeInput,
    responses(
        (status = 200, body = Programme),
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
    ApiJson(input): ApiJson<ProgrammeInput>,
) -> Result<Json<Programme>, ApiErr> {
    let id = parse_id(&id, &t)?;
    programmes::update(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// What case forms offer: programmes open for intake, procedure and permit types.
#[utoipa::path(get, path = "/api/v1/casework/options", tag = "cases",
    responses(
        (status = 200, body = Options),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn options(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Options>, ApiErr> {
    programmes::options(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}
