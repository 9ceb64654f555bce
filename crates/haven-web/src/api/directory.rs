//! Editing the services directory through the API: the same use cases as the staff pages
//! under `/staff/directory` (drafts by partner staff, review by a municipal editor,
//! "last checked"). The public HSDS API is elsewhere (`/api/hsds/`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::directory::form::{Change, EntryInput};
use haven_core::directory::review::{self, Listed, Queued, Review, Status};
use haven_core::directory::{self, Kind};
use serde::{Deserialize, Serialize};

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::pages::directory::parse_kind;
use crate::AppState;

/// An entry with its published version, its draft (waiting, or the last rejected one) and
/// what the draft changes.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryView {
    /// organization | service | location
    pub kind: String,
    pub id: String,
    pub status: Status,
    pub published: Option<EntryInput>,
    pub draft: Option<EntryInput>,
    pub changes: Vec<Change>,
    pub last_checked_at: Option<i64>,
    pub stale: bool,
    pub last_review: Option<Review>,
}

/// The id of a saved draft.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub id: String,
}

/// Why a draft is rejected; its organisation's staff see this.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RejectInput {
    pub reason: String,
}

fn kind(s: &str, t: &Tr) -> Result<Kind, ApiErr> {
    parse_kind(s).map_err(t.api())
}

/// The directory entries of the caller's own organisation, with status and last check.
#[utoipa::path(get, path = "/api/v1/directory/entries", tag = "directory",
    responses(
        (status = 200, body = Vec<Listed>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Listed>>, ApiErr> {
    review::list_own(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Propose a new entry (`kind`: organization, service or location) as a draft for review.
#[utoipa::path(post, path = "/api/v1/directory/{kind}", tag = "directory",
    params(("kind" = String, Path)), request_body = EntryInput,
    responses(
        (status = 201, body = Saved),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(k): Path<String>,
    ApiJson(input): ApiJson<EntryInput>,
) -> Result<(StatusCode, Json<Saved>), ApiErr> {
    let k = kind(&k, &t)?;
    review::save(&state.ctx, &s.actor, k, None, &input)
        .await
        .map(|id| (StatusCode::CREATED, Json(Saved { id })))
        .map_err(t.api())
}

/// Read an entry of one's own organisation: published text, draft, changes, last check.
#[utoipa::path(get, path = "/api/v1/directory/{kind}/{id}", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = EntryView),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((k, id)): Path<(String, String)>,
) -> Result<Json<EntryView>, ApiErr> {
    let k = kind(&k, &t)?;
    let e = review::get(&state.ctx, &s.actor, k, &id)
        .await
        .map_err(t.api())?;
    Ok(Json(EntryView {
        kind: k.as_str().to_owned(),
        changes: e.changes(),
        published: e.published.as_ref().map(|p| EntryInput::from_entry(k, p)),
        draft: e.draft.as_ref().map(|d| EntryInput::from_entry(k, d)),
        id: e.id,
        status: e.status,
        last_checked_at: e.last_checked_at,
        stale: e.stale,
        last_review: e.last_review,
    }))
}

/// Save a change to an entry as a draft for review; the public text stays until approved.
#[utoipa::path(put, path = "/api/v1/directory/{kind}/{id}", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = EntryInput,
    responses(
        (status = 200, body = Saved),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((k, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<EntryInput>,
) -> Result<Json<Saved>, ApiErr> {
    let k = kind(&k, &t)?;
    review::save(&state.ctx, &s.actor, k, Some(&id), &input)
        .await
        .map(|id| Json(Saved { id }))
        .map_err(t.api())
}

/// Confirm that a published entry is still correct (sets "last checked" to now).
#[utoipa::path(post, path = "/api/v1/directory/{kind}/{id}/checked", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn checked(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((k, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiErr> {
    let k = kind(&k, &t)?;
    // Another organisation's entry is "not found", as in every other directory call.
    review::get(&state.ctx, &s.actor, k, &id)
        .await
        .map_err(t.api())?;
    directory::mark_checked(&state.ctx, &s.actor, k, &id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// The review queue: every draft waiting, oldest first, with what it changes.
#[utoipa::path(get, path = "/api/v1/directory/review", tag = "directory",
    responses(
        (status = 200, body = Vec<Queued>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Queued>>, ApiErr> {
    review::queue(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Approve a draft: it becomes public; the reviewer and time are recorded.
#[utoipa::path(post, path = "/api/v1/directory/review/{kind}/{id}/approve", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn approve(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((k, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiErr> {
    let k = kind(&k, &t)?;
    review::approve(&state.ctx, &s.actor, k, &id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Reject a draft with a reason; the public entry stays as it was.
#[utoipa::path(post, path = "/api/v1/directory/review/{kind}/{id}/reject", tag = "directory",
    params(("kind" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = RejectInput,
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn reject(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((k, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RejectInput>,
) -> Result<StatusCode, ApiErr> {
    let k = kind(&k, &t)?;
    review::reject(&state.ctx, &s.actor, k, &id, &input.reason)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}
