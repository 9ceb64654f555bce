//! Aggregate figures through the API. A count below the threshold is sent as
//! `{"kind": "fewer_than", "value": 5}`, never as the number itself.

use haven_core::stats::{self, Indicator, Overview};

use crate::api::{Answer, Forbidden, StaffApi, Unauthorized};

/// Counts of persons, organisations and staff; no person and no id.
#[utoipa::path(get, path = "/api/v1/stats/overview", tag = "stats",
    responses((status = 200, body = Overview), Unauthorized, Forbidden))]
pub async fn overview(a: StaffApi) -> Answer<Overview> {
    a.json(stats::overview(&a.ctx, &a.s.actor).await)
}

/// The definitions of the published figures, every version: what each counts, over what,
/// broken down by what and how it is computed, in the staff languages.
#[utoipa::path(get, path = "/api/v1/stats/indicators", tag = "stats",
    responses((status = 200, body = Vec<Indicator>), Unauthorized))]
pub async fn indicators(a: StaffApi) -> Answer<Vec<Indicator>> {
    a.json(stats::indicators().map(<[Indicator]>::to_vec))
}
