//! Staff accounts through the API: the same use cases as the administration pages. No
//! answer ever carries a password hash or a second-factor secret.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::ids::UserId;
use haven_core::users::{self, NewUser, User, UserUpdate};
use haven_core::Error;

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// All staff accounts, by organisation and username.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses(
        (status = 200, body = Vec<User>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<User>>, ApiErr> {
    users::list(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Create a staff account with an initial password. The user sets up their second factor
/// at first sign-in.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses(
        (status = 201, body = User),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiErr> {
    users::create(&state.ctx, &s.actor, &input, None)
        .await
        .map(|u| (StatusCode::CREATED, Json(u)))
        .map_err(t.api())
}

fn parse_id(id: &str, t: &Tr) -> Result<UserId, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// Read a staff account.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = User),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiErr> {
    let id = parse_id(&id, &t)?;
    users::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Change a staff account's display name, organisation and roles. The account's sessions
/// end at once, so the change takes effect immediately.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, format = Uuid)), request_body = UserUpdate,
    responses(
        (status = 200, body = User),
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
    ApiJson(input): ApiJson<UserUpdate>,
) -> Result<Json<User>, ApiErr> {
    let id = parse_id(&id, &t)?;
    users::update(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Disable a staff account; its sessions end at once. You cannot disable your own.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = User),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, description = "Your own account", body = crate::error::ApiErrorBody),
    ))]
pub async fn disable(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiErr> {
    let id = parse_id(&id, &t)?;
    users::set_disabled(&state.ctx, &s.actor, id, true)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Enable a disabled staff account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = User),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn enable(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiErr> {
    let id = parse_id(&id, &t)?;
    users::set_disabled(&state.ctx, &s.actor, id, false)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Remove a staff account's second factor; they set up a new one at their next sign-in.
/// Its sessions end at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/reset-2fa", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = User),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn reset_totp(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiErr> {
    let id = parse_id(&id, &t)?;
    users::reset_totp(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}
