//! The hub's work through the API: casework on a report (triage, counselling, measures,
//! accompaniment, perpetrators), the police hand-over (consent first, then the fields from
//! the allowlist), the hub's figures, and the police liaison's reads of what was handed
//! over to its own unit. Its own OpenAPI part ([`HubWorkDoc`]), merged into the document.

use haven_core::hub::{
    self, ActionInput, ActionKind, Casework, ConsentInput, Figures, Handover, HandoverInput,
    HandoverItem, MeasureUpdate, PerpetratorInput, TriageInput,
};
use haven_core::ids::{HandoverId, HubActionId, ReportId};
use utoipa::OpenApi;

use crate::api::{
    Answer, ApiJson, Conflict, CreatedAnswer, Erased, Forbidden, Invalid, NotFound, StaffApi,
    Unauthorized,
};
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

/// Everything the hub did on one of its reports; audited.
#[utoipa::path(get, path = "/api/v1/hub/reports/{id}/casework", tag = "hub",
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 200, body = Casework), Unauthorized, Forbidden, NotFound, Erased))]
pub async fn casework(a: StaffApi, Id(id): Id<ReportId>) -> Answer<Casework> {
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
) -> Answer<Casework> {
    a.json(hub::triage(&a.ctx, &a.s.actor, id, &input).await)
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
) -> Answer<Casework> {
    a.json(hub::update_measure(&a.ctx, &a.s.actor, id, &input).await)
}

/// The handlers that record one piece of casework on a report: each is a `POST` on
/// `/api/v1/hub/reports/{id}/…` with a JSON body, answered `201` with the report's
/// casework, and each can meet the same errors (a closed report or a stale version is a
/// 409). They differ only in their doc comment (the operation's description), path, body
/// type and core call, which are all that an entry of the invocation names.
macro_rules! post_on_report {
    ($(
        $(#[$doc:meta])*
        $name:ident($path:literal, $a:ident, $id:ident, $input:ident: $input_ty:ty) => $call:expr;
    )*) => {$(
        $(#[$doc])*
        #[utoipa::path(post, path = $path, tag = "hub", request_body = $input_ty,
            params(("id" = String, Path, description = "The report's id")),
            responses((status = 201, body = Casework), Unauthorized, Forbidden, NotFound, Conflict, Invalid, Erased))]
        pub async fn $name(
            $a: StaffApi,
            Id($id): Id<ReportId>,
            ApiJson($input): ApiJson<$input_ty>,
        ) -> CreatedAnswer<Casework> {
            $a.created($call.await)
        }
    )*};
}

post_on_report! {
    /// Records legal counselling given (`day`, `topic`, `note`).
    counselling("/api/v1/hub/reports/{id}/counselling", a, id, input: ActionInput)
        => hub::add_action(&a.ctx, &a.s.actor, id, ActionKind::Counselling, &input);

    /// Records a protective measure (`measure`, `state`, `day`, `note`).
    measure("/api/v1/hub/reports/{id}/measures", a, id, input: ActionInput)
        => hub::add_action(&a.ctx, &a.s.actor, id, ActionKind::Measure, &input);

    /// Records an accompaniment to the police (`day`, `station`, `outcome`,
    /// `police_reference`, `note`).
    accompaniment("/api/v1/hub/reports/{id}/accompaniments", a, id, input: ActionInput)
        => hub::add_action(&a.ctx, &a.s.actor, id, ActionKind::Accompaniment, &input);

    /// Records an employer or a person the report names; the casework then lists the hub's
    /// other reports naming the same one.
    perpetrator("/api/v1/hub/reports/{id}/perpetrators", a, id, input: PerpetratorInput)
        => hub::add_perpetrator(&a.ctx, &a.s.actor, id, &input);

    /// Records the reporter's consent to a hand-over to a police liaison unit, with their
    /// explicit choices about residence status, nationality and address.
    consent("/api/v1/hub/reports/{id}/handover-consents", a, id, input: ConsentInput)
        => hub::record_consent(&a.ctx, &a.s.actor, id, &input);

    /// Hands the chosen allowlisted fields over to the unit of the latest consent. Without a
    /// consent: 409; a field the reporter did not choose to include: 422.
    handover("/api/v1/hub/reports/{id}/handovers", a, id, input: HandoverInput)
        => hub::hand_over(&a.ctx, &a.s.actor, id, &input);
}

/// The hub's figures; counts below 5 withheld, and totals that would reveal them too.
#[utoipa::path(get, path = "/api/v1/hub/figures", tag = "hub",
    responses((status = 200, body = Figures), Unauthorized, Forbidden))]
pub async fn figures(a: StaffApi) -> Answer<Figures> {
    a.json(hub::figures(&a.ctx, &a.s.actor).await)
}

/// The hand-overs to the police liaison's own unit; audited.
#[utoipa::path(get, path = "/api/v1/police/handovers", tag = "hub",
    responses((status = 200, body = Vec<HandoverItem>), Unauthorized, Forbidden))]
pub async fn police_list(a: StaffApi) -> Answer<Vec<HandoverItem>> {
    a.json(hub::police_list(&a.ctx, &a.s.actor).await)
}

/// One hand-over to the police liaison's own unit: exactly the fields handed over;
/// audited.
#[utoipa::path(get, path = "/api/v1/police/handovers/{id}", tag = "hub",
    params(("id" = String, Path, description = "The hand-over's id")),
    responses((status = 200, body = Handover), Unauthorized, Forbidden, NotFound, Erased))]
pub async fn police_get(a: StaffApi, Id(id): Id<HandoverId>) -> Answer<Handover> {
    a.json(hub::police_get(&a.ctx, &a.s.actor, id).await)
}
