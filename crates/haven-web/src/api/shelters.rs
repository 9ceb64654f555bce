//! Shelters through the API: the same use cases as the pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use haven_core::ids::{CaseId, PlaceId, PlacementId, SiteId, WaitingId};
use haven_core::shelters::{
    self, AdmitInput, AdmitWaitingInput, Board, DischargeInput, ExtensionInput, ExtensionRequest,
    ExtensionRequestInput, MoveInput, Placement, Site, SiteDetail, SiteInput, WaitingEntry,
    WaitingInput,
};

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::extract::Id;
use crate::i18n::Tr;
use crate::AppState;

/// The shelter board of your organisation: its sites with free and taken places, arrivals
/// and departures, stays ending, and (for coordinators) the waiting list. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/board", tag = "shelters",
    responses(
        (status = 200, body = Board),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn board(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Board>, ApiErr> {
    shelters::board(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Every site, for configuring them.
#[utoipa::path(get, path = "/api/v1/shelters/sites", tag = "shelters",
    responses(
        (status = 200, body = Vec<Site>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list_sites(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<Site>>, ApiErr> {
    shelters::all_sites(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Create a site; its places are numbered 1 to `capacity`.
#[utoipa::path(post, path = "/api/v1/shelters/sites", tag = "shelters", request_body = SiteInput,
    responses(
        (status = 201, body = Site),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create_site(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<SiteInput>,
) -> Result<(StatusCode, Json<Site>), ApiErr> {
    shelters::create_site(&state.ctx, &s.actor, &input)
        .await
        .map(|x| (StatusCode::CREATED, Json(x)))
        .map_err(t.api())
}

/// Change a site. Capacity may grow, not shrink.
#[utoipa::path(put, path = "/api/v1/shelters/sites/{id}", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = SiteInput,
    responses(
        (status = 200, body = Site),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update_site(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<SiteId>,
    ApiJson(input): ApiJson<SiteInput>,
) -> Result<Json<Site>, ApiErr> {
    shelters::update_site(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// A site of your organisation: its places and who holds them, and occupancy per month
/// over the past 12 months. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/sites/{id}", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = SiteDetail),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, description = "No such site, or not operated by your organisation", body = crate::error::ApiErrorBody),
    ))]
pub async fn get_site(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<SiteId>,
) -> Result<Json<SiteDetail>, ApiErr> {
    shelters::site(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Admit a case's person to a free place. Refused (409) when the place is taken, the
/// person already holds a place, the case is closed, its programme has no shelter, or its
/// stay limit has passed.
#[utoipa::path(post, path = "/api/v1/shelters/placements", tag = "shelters", request_body = AdmitInput,
    responses(
        (status = 201, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn admit(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<AdmitInput>,
) -> Result<(StatusCode, Json<Placement>), ApiErr> {
    shelters::admit(&state.ctx, &s.actor, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(t.api())
}

/// Move to another place; the stay limit carries over. Returns the new placement.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/move", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = MoveInput,
    responses(
        (status = 201, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn move_placement(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<MoveInput>,
) -> Result<(StatusCode, Json<Placement>), ApiErr> {
    shelters::move_placement(&state.ctx, &s.actor, id, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(t.api())
}

/// End a stay today, with a reason.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/discharge", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = DischargeInput,
    responses(
        (status = 200, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn discharge(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<DischargeInput>,
) -> Result<Json<Placement>, ApiErr> {
    shelters::discharge(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// End the stay in one of the organisation's places without seeing whose it is: for a
/// place shown as taken by somebody the organisation may no longer see. Answers nothing
/// about the person.
#[utoipa::path(post, path = "/api/v1/shelters/places/{id}/free", tag = "shelters",
    params(("id" = String, Path, format = Uuid, description = "The place")),
    request_body = DischargeInput,
    responses(
        (status = 204, description = "The stay ended today; the place is free"),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, description = "Not a place of the organisation's sites", body = crate::error::ApiErrorBody),
        (status = 409, description = "The place is free already", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn free_place(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<PlaceId>,
    ApiJson(input): ApiJson<DischargeInput>,
) -> Result<StatusCode, ApiErr> {
    shelters::free_place(&state.ctx, &s.actor, id, &input)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Extend a stay beyond its limit: only an approver holding the stay-extension permission
/// (a team lead), and only with a reason.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/extensions", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = ExtensionInput,
    responses(
        (status = 200, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, description = "Not an approver of stay extensions", body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn extend(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<ExtensionInput>,
) -> Result<Json<Placement>, ApiErr> {
    shelters::extend_stay(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// The current placement of a case of your organisation, with its countdown and
/// extensions; `null` when the case holds no place. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/cases/{id}/placement", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Option<Placement>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn case_placement(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<CaseId>,
) -> Result<Json<Option<Placement>>, ApiErr> {
    shelters::case_placement(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Your organisation's waiting list, most urgent and longest waiting first. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/waiting-list", tag = "shelters",
    responses(
        (status = 200, body = Vec<WaitingEntry>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn waiting_list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<WaitingEntry>>, ApiErr> {
    shelters::waiting_list(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Put an open shelter case on the waiting list.
#[utoipa::path(post, path = "/api/v1/shelters/waiting-list", tag = "shelters", request_body = WaitingInput,
    responses(
        (status = 201, body = WaitingEntry),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn add_waiting(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<WaitingInput>,
) -> Result<(StatusCode, Json<WaitingEntry>), ApiErr> {
    shelters::add_to_waiting_list(&state.ctx, &s.actor, &input)
        .await
        .map(|w| (StatusCode::CREATED, Json(w)))
        .map_err(t.api())
}

/// Admit a waiting entry at a site in one action: the site's first free place is taken,
/// the placement created and the entry marked admitted, or nothing changes.
#[utoipa::path(post, path = "/api/v1/shelters/waiting-list/{id}/admit", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = AdmitWaitingInput,
    responses(
        (status = 201, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, description = "The site is full, or another rule stands in the way", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn admit_waiting(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<WaitingId>,
    ApiJson(input): ApiJson<AdmitWaitingInput>,
) -> Result<(StatusCode, Json<Placement>), ApiErr> {
    shelters::admit_from_waiting_list(&state.ctx, &s.actor, id, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(t.api())
}

/// Take an entry off the waiting list without admitting it.
#[utoipa::path(delete, path = "/api/v1/shelters/waiting-list/{id}", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 204),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn remove_waiting(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<WaitingId>,
) -> Result<StatusCode, ApiErr> {
    shelters::remove_from_waiting_list(&state.ctx, &s.actor, id)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Ask for a stay to be extended, with a reason; an approver (a team lead) decides.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/extension-requests", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = ExtensionRequestInput,
    responses(
        (status = 201, body = ExtensionRequest),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, description = "A request is already pending, or the stay has no limit", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn request_extension(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<ExtensionRequestInput>,
) -> Result<(StatusCode, Json<ExtensionRequest>), ApiErr> {
    shelters::request_extension(&state.ctx, &s.actor, id, &input)
        .await
        .map(|r| (StatusCode::CREATED, Json(r)))
        .map_err(t.api())
}

/// Approve an extension request: the stay is extended and the requester and approver
/// recorded.
#[utoipa::path(post, path = "/api/v1/shelters/extension-requests/{id}/approve", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, description = "Not an approver of stay extensions", body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn approve_extension(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<uuid::Uuid>,
) -> Result<Json<Placement>, ApiErr> {
    shelters::decide_extension(&state.ctx, &s.actor, id, true)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Refuse an extension request; the stay keeps its end.
#[utoipa::path(post, path = "/api/v1/shelters/extension-requests/{id}/refuse", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Placement),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn refuse_extension(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Id(id): Id<uuid::Uuid>,
) -> Result<Json<Placement>, ApiErr> {
    shelters::decide_extension(&state.ctx, &s.actor, id, false)
        .await
        .map(Json)
        .map_err(t.api())
}
