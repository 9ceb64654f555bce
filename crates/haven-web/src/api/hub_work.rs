//! The hub's work through the API: casework on a report (triage, counselling, measures,
//! accompaniment, perpetrators), the police hand-over (consent first, then the fields from
//! the allowlist), the hub's figures, and the police liaison's reads of what was handed
//! over to its own unit. Its own OpenAPI part ([`HubWorkDoc`]), merged into the document.

use axum::http::StatusCode;
use axum::Json;
use haven_core::hub::{
    self, ActionInput, ActionKind, Casework, ConsentInput, Figures, Handover, HandoverInput,
    HandoverItem, MeasureUpdate, PerpetratorInput, TriageInput,
};
use haven_core::ids::{HandoverId, HubActionId, ReportId};
use utoipa::OpenApi;

use crate::api::{ApiJson, Conflict, Erased, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::error::ApiErr;
use crate::extract::Id;

#[derive(OpenApi)]
#[openapi(
    paths(
        casework, triage, counselling, measure, update_measure, accompaniment, perpetrator,
        consent, handover, figures, police_list, police_get
    ),
    tags(
        (name = "hub", description = "The safe-reporting hub's work on reports (hub officers of a reporting hub) and the police liaison's reads of what was handed over to its own unit with the reporter's consent; every read is audited"),
    )
)]
pub struct HubWorkDoc;

/// Merges [`HubWorkDoc`] into the API document.
pub struct HubWorkPaths;

impl utoipa::Modify for HubWorkPaths {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.merge(HubWorkDoc::openapi());
    }
}

type Created = Result<(StatusCode, Json<Casework>), ApiErr>;

/// Everything the hub did on one of its reports; audited.
#[utoipa::path(get, path = "/api/v1/hub/reports/{id}/casework", tag = "hub",
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 200, body = Casework), Unauthorized, Forbidden, NotFound, Erased))]
pub async fn casework(a: StaffApi, Id(id): Id<ReportId>) -> Result<Json<Casework>, ApiErr> {
    a.json(hub::casework(&a.ctx, &a.s.actor, id).await)
}

/// Records or changes the triage (urgency, needs, follow-up, notes) at `version`.
#[utoipa::path(put, path = "/api/v1/hub/reports/{id}/triage", tag = "hub",
    request_body = TriageInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 200, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn triage(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<TriageInput>,
) -> Result<Json<Casework>, ApiErr> {
    a.json(hub::triage(&a.ctx, &a.s.actor, id, &input).await)
}

async fn add(a: StaffApi, id: ReportId, kind: ActionKind, input: ActionInput) -> Created {
    a.created(hub::add_action(&a.ctx, &a.s.actor, id, kind, &input).await)
}

/// Records legal counselling given (`day`, `topic`, `note`).
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/counselling", tag = "hub",
    request_body = ActionInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn counselling(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Created {
    add(a, id, ActionKind::Counselling, input).await
}

/// Records a protective measure (`measure`, `state`, `day`, `note`).
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/measures", tag = "hub",
    request_body = ActionInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn measure(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Created {
    add(a, id, ActionKind::Measure, input).await
}

/// Moves a protective measure to a new state at `version`.
#[utoipa::path(put, path = "/api/v1/hub/measures/{id}", tag = "hub",
    request_body = MeasureUpdate,
    params(("id" = String, Path, description = "The measure's id")),
    responses((status = 200, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn update_measure(
    a: StaffApi,
    Id(id): Id<HubActionId>,
    ApiJson(input): ApiJson<MeasureUpdate>,
) -> Result<Json<Casework>, ApiErr> {
    a.json(hub::update_measure(&a.ctx, &a.s.actor, id, &input).await)
}

/// Records an accompaniment to the police (`day`, `station`, `outcome`,
/// `police_reference`, `note`).
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/accompaniments", tag = "hub",
    request_body = ActionInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn accompaniment(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Created {
    add(a, id, ActionKind::Accompaniment, input).await
}

/// Records an employer or a person the report names; the casework then lists the hub's
/// other reports naming the same one.
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/perpetrators", tag = "hub",
    request_body = PerpetratorInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn perpetrator(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<PerpetratorInput>,
) -> Created {
    a.created(hub::add_perpetrator(&a.ctx, &a.s.actor, id, &input).await)
}

/// Records the reporter's consent to a hand-over to a police liaison unit, with their
/// explicit choices about residence status, nationality and address.
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/handover-consents", tag = "hub",
    request_body = ConsentInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn consent(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Created {
    a.created(hub::record_consent(&a.ctx, &a.s.actor, id, &input).await)
}

/// Hands the chosen allowlisted fields over to the unit of the latest consent. Without a
/// consent: 409; a field the reporter did not choose to include: 422.
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/handovers", tag = "hub",
    request_body = HandoverInput,
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
pub async fn handover(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<HandoverInput>,
) -> Created {
    a.created(hub::hand_over(&a.ctx, &a.s.actor, id, &input).await)
}

/// The hub's figures; counts below 5 withheld, and totals that would reveal them too.
#[utoipa::path(get, path = "/api/v1/hub/figures", tag = "hub",
    responses((status = 200, body = Figures), Unauthorized, Forbidden))]
pub async fn figures(a: StaffApi) -> Result<Json<Figures>, ApiErr> {
    a.json(hub::figures(&a.ctx, &a.s.actor).await)
}

/// The hand-overs to the police liaison's own unit; audited.
#[utoipa::path(get, path = "/api/v1/police/handovers", tag = "hub",
    responses((status = 200, body = Vec<HandoverItem>), Unauthorized, Forbidden))]
pub async fn police_list(a: StaffApi) -> Result<Json<Vec<HandoverItem>>, ApiErr> {
    a.json(hub::police_list(&a.ctx, &a.s.actor).await)
}

/// One hand-over to the police liaison's own unit: exactly the fields handed over;
/// audited.
#[utoipa::path(get, path = "/api/v1/police/handovers/{id}", tag = "hub",
    params(("id" = String, Path, description = "The hand-over's id")),
    responses((status = 200, body = Handover), Unauthorized, Forbidden, NotFound, Erased))]
pub async fn police_get(a: StaffApi, Id(id): Id<HandoverId>) -> Result<Json<Handover>, ApiErr> {
    a.json(hub::police_get(&a.ctx, &a.s.actor, id).await)
}
