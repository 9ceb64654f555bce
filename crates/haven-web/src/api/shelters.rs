//! Shelters through the API: the same use cases as the pages.

use haven_core::ids::{CaseId, PlaceId, PlacementId, SiteId, WaitingId};
use haven_core::shelters::{
    self, AdmitInput, AdmitWaitingInput, Board, DischargeInput, ExtensionInput, ExtensionRequest,
    ExtensionRequestInput, MoveInput, Placement, Site, SiteDetail, SiteInput, WaitingEntry,
    WaitingInput,
};

use crate::api::{
    Answer, ApiJson, Conflict, CreatedAnswer, Done, Forbidden, Invalid, NotFound, StaffApi,
    Unauthorized,
};
use crate::error::ApiErrorBody;
use crate::extract::Id;

/// The shelter board of your organisation: its sites with free and taken places, arrivals
/// and departures, stays ending, and (for coordinators) the waiting list. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/board", tag = "shelters",
    responses((status = 200, body = Board), Unauthorized, Forbidden))]
pub async fn board(a: StaffApi) -> Answer<Board> {
    a.json(shelters::board(&a.ctx, &a.s.actor).await)
}

/// Every site, for configuring them.
#[utoipa::path(get, path = "/api/v1/shelters/sites", tag = "shelters",
    responses((status = 200, body = Vec<Site>), Unauthorized, Forbidden))]
pub async fn list_sites(a: StaffApi) -> Answer<Vec<Site>> {
    a.json(shelters::all_sites(&a.ctx, &a.s.actor).await)
}

/// Create a site; its places are numbered 1 to `capacity`.
#[utoipa::path(post, path = "/api/v1/shelters/sites", tag = "shelters", request_body = SiteInput,
    responses((status = 201, body = Site), Unauthorized, Forbidden, Invalid))]
pub async fn create_site(a: StaffApi, ApiJson(input): ApiJson<SiteInput>) -> CreatedAnswer<Site> {
    a.created(shelters::create_site(&a.ctx, &a.s.actor, &input).await)
}

/// Change a site. Capacity may grow, not shrink.
#[utoipa::path(put, path = "/api/v1/shelters/sites/{id}", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = SiteInput,
    responses((status = 200, body = Site), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn update_site(
    a: StaffApi,
    Id(id): Id<SiteId>,
    ApiJson(input): ApiJson<SiteInput>,
) -> Answer<Site> {
    a.json(shelters::update_site(&a.ctx, &a.s.actor, id, &input).await)
}

/// A site of your organisation: its places and who holds them, and occupancy per month
/// over the past 12 months. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/sites/{id}", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = SiteDetail),
        Unauthorized, Forbidden,
        (status = 404, description = "No such site, or not operated by your organisation", body = ApiErrorBody),
    ))]
pub async fn get_site(a: StaffApi, Id(id): Id<SiteId>) -> Answer<SiteDetail> {
    a.json(shelters::site(&a.ctx, &a.s.actor, id).await)
}

/// Admit a case's person to a free place. Refused (409) when the place is taken, the
/// person already holds a place, the case is closed, its programme has no shelter, or its
/// stay limit has passed.
#[utoipa::path(post, path = "/api/v1/shelters/placements", tag = "shelters", request_body = AdmitInput,
    responses(
        (status = 201, body = Placement),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn admit(a: StaffApi, ApiJson(input): ApiJson<AdmitInput>) -> CreatedAnswer<Placement> {
    a.created(shelters::admit(&a.ctx, &a.s.actor, &input).await)
}

/// Move to another place; the stay limit carries over. Returns the new placement.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/move", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = MoveInput,
    responses(
        (status = 201, body = Placement),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn move_placement(
    a: StaffApi,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<MoveInput>,
) -> CreatedAnswer<Placement> {
    a.created(shelters::move_placement(&a.ctx, &a.s.actor, id, &input).await)
}

/// End a stay today, with a reason.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/discharge", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = DischargeInput,
    responses(
        (status = 200, body = Placement),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn discharge(
    a: StaffApi,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<DischargeInput>,
) -> Answer<Placement> {
    a.json(shelters::discharge(&a.ctx, &a.s.actor, id, &input).await)
}

/// End the stay in one of the organisation's places without seeing whose it is: for a
/// place shown as taken by somebody the organisation may no longer see. Answers nothing
/// about the person.
#[utoipa::path(post, path = "/api/v1/shelters/places/{id}/free", tag = "shelters",
    params(("id" = String, Path, format = Uuid, description = "The place")),
    request_body = DischargeInput,
    responses(
        (status = 204, description = "The stay ended today; the place is free"),
        Unauthorized, Forbidden,
        (status = 404, description = "Not a place of the organisation's sites", body = ApiErrorBody),
        (status = 409, description = "The place is free already", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn free_place(
    a: StaffApi,
    Id(id): Id<PlaceId>,
    ApiJson(input): ApiJson<DischargeInput>,
) -> Done {
    a.done(shelters::free_place(&a.ctx, &a.s.actor, id, &input).await)
}

/// Extend a stay beyond its limit: only an approver holding the stay-extension permission
/// (a team lead), and only with a reason.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/extensions", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = ExtensionInput,
    responses(
        (status = 200, body = Placement),
        Unauthorized,
        (status = 403, description = "Not an approver of stay extensions", body = ApiErrorBody),
        NotFound, Conflict, Invalid,
    ))]
pub async fn extend(
    a: StaffApi,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<ExtensionInput>,
) -> Answer<Placement> {
    a.json(shelters::extend_stay(&a.ctx, &a.s.actor, id, &input).await)
}

/// The current placement of a case of your organisation, with its countdown and
/// extensions; `null` when the case holds no place. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/cases/{id}/placement", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Option<Placement>), Unauthorized, Forbidden, NotFound))]
pub async fn case_placement(a: StaffApi, Id(id): Id<CaseId>) -> Answer<Option<Placement>> {
    a.json(shelters::case_placement(&a.ctx, &a.s.actor, id).await)
}

/// Your organisation's waiting list, most urgent and longest waiting first. Audited.
#[utoipa::path(get, path = "/api/v1/shelters/waiting-list", tag = "shelters",
    responses((status = 200, body = Vec<WaitingEntry>), Unauthorized, Forbidden))]
pub async fn waiting_list(a: StaffApi) -> Answer<Vec<WaitingEntry>> {
    a.json(shelters::waiting_list(&a.ctx, &a.s.actor).await)
}

/// Put an open shelter case on the waiting list.
#[utoipa::path(post, path = "/api/v1/shelters/waiting-list", tag = "shelters", request_body = WaitingInput,
    responses(
        (status = 201, body = WaitingEntry),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn add_waiting(
    a: StaffApi,
    ApiJson(input): ApiJson<WaitingInput>,
) -> CreatedAnswer<WaitingEntry> {
    a.created(shelters::add_to_waiting_list(&a.ctx, &a.s.actor, &input).await)
}

/// Admit a waiting entry at a site in one action: the site's first free place is taken,
/// the placement created and the entry marked admitted, or nothing changes.
#[utoipa::path(post, path = "/api/v1/shelters/waiting-list/{id}/admit", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = AdmitWaitingInput,
    responses(
        (status = 201, body = Placement),
        Unauthorized, Forbidden, NotFound,
        (status = 409, description = "The site is full, or another rule stands in the way", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn admit_waiting(
    a: StaffApi,
    Id(id): Id<WaitingId>,
    ApiJson(input): ApiJson<AdmitWaitingInput>,
) -> CreatedAnswer<Placement> {
    a.created(shelters::admit_from_waiting_list(&a.ctx, &a.s.actor, id, &input).await)
}

/// Take an entry off the waiting list without admitting it.
#[utoipa::path(delete, path = "/api/v1/shelters/waiting-list/{id}", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn remove_waiting(a: StaffApi, Id(id): Id<WaitingId>) -> Done {
    a.done(shelters::remove_from_waiting_list(&a.ctx, &a.s.actor, id).await)
}

/// Ask for a stay to be extended, with a reason; an approver (a team lead) decides.
#[utoipa::path(post, path = "/api/v1/shelters/placements/{id}/extension-requests", tag = "shelters",
    params(("id" = String, Path, format = Uuid)), request_body = ExtensionRequestInput,
    responses(
        (status = 201, body = ExtensionRequest),
        Unauthorized, Forbidden, NotFound,
        (status = 409, description = "A request is already pending, or the stay has no limit", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn request_extension(
    a: StaffApi,
    Id(id): Id<PlacementId>,
    ApiJson(input): ApiJson<ExtensionRequestInput>,
) -> CreatedAnswer<ExtensionRequest> {
    a.created(shelters::request_extension(&a.ctx, &a.s.actor, id, &input).await)
}

/// Approve an extension request: the stay is extended and the requester and approver
/// recorded.
#[utoipa::path(post, path = "/api/v1/shelters/extension-requests/{id}/approve", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Placement),
        Unauthorized,
        (status = 403, description = "Not an approver of stay extensions", body = ApiErrorBody),
        NotFound, Conflict,
    ))]
pub async fn approve_extension(a: StaffApi, Id(id): Id<uuid::Uuid>) -> Answer<Placement> {
    a.json(shelters::decide_extension(&a.ctx, &a.s.actor, id, true).await)
}

/// Refuse an extension request; the stay keeps its end.
#[utoipa::path(post, path = "/api/v1/shelters/extension-requests/{id}/refuse", tag = "shelters",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Placement), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn refuse_extension(a: StaffApi, Id(id): Id<uuid::Uuid>) -> Answer<Placement> {
    a.json(shelters::decide_extension(&a.ctx, &a.s.actor, id, false).await)
}
