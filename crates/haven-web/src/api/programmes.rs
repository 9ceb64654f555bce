//! Programmes and the casework options through the API.

use haven_core::cases::programmes::{self, Options, Programme, ProgrammeInput};
use haven_core::ids::ProgrammeId;

use crate::api::handler::resource_api;
use crate::api::{Answer, ApiJson, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::extract::Id;

resource_api! {
    tag: "programmes", path: "/api/v1/programmes", item: "/api/v1/programmes/{id}",
    id: ProgrammeId, body: Programme;
    /// Every programme, active or not.
    list(a) => programmes::list(&a.ctx, &a.s.actor);
    /// Configure a new programme.
    create(a, input: ProgrammeInput) => programmes::create(&a.ctx, &a.s.actor, &input);
    /// Read a programme.
    get(a, id) => programmes::get(&a.ctx, &a.s.actor, id);
    /// Change a programme. Existing cases keep their start date; limits apply as changed.
    update(a, id, input: ProgrammeInput) => programmes::update(&a.ctx, &a.s.actor, id, &input);
}

/// What case forms offer: programmes open for intake, procedure and permit types.
#[utoipa::path(get, path = "/api/v1/casework/options", tag = "cases",
    responses((status = 200, body = Options), Unauthorized, Forbidden))]
pub async fn options(a: StaffApi) -> Answer<Options> {
    a.json(programmes::options(&a.ctx, &a.s.actor).await)
}
