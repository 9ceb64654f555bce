//! Organisations through the API: the same use cases as the administration pages.

use haven_core::ids::OrgId;
use haven_core::orgs::{self, OrgInput, Organisation};
use haven_core::retention;

use crate::api::handler::resource_api;
use crate::api::{Answer, ApiJson, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::extract::Id;

resource_api! {
    tag: "organisations", path: "/api/v1/organisations", item: "/api/v1/organisations/{id}",
    id: OrgId, body: Organisation;
    /// All organisations, by name.
    list(a) => orgs::list(&a.ctx, &a.s.actor);
    /// Add an organisation. `kind` is one of the `OrgKind` values; `active` defaults to true.
    create(a, input: OrgInput) => orgs::create(&a.ctx, &a.s.actor, &input);
    /// Read an organisation.
    get(a, id) => orgs::get(&a.ctx, &a.s.actor, id);
    /// Change an organisation's name, kind or whether it is active.
    update(a, id, input: OrgInput) => orgs::update(&a.ctx, &a.s.actor, id, &input);
}

/// An organisation's retention period and how many of the persons it registered are due
/// for erasure now (the hourly sweep erases them). Counts only; reads no personal data.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/retention", tag = "organisations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = retention::Status), Unauthorized, Forbidden, NotFound))]
pub async fn retention(a: StaffApi, Id(id): Id<OrgId>) -> Answer<retention::Status> {
    a.json(retention::status(&a.ctx, &a.s.actor, id).await)
}
