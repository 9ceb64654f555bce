//! Aggregate figures through the API. A count below the threshold is sent as
//! `{"kind": "fewer_than", "value": 5}`, never as the number itself.

use axum::extract::State;
use axum::Json;
use haven_core::stats::{self, Overview};

use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// Counts of persons, organisations and staff; no person and no id.
#[utoipa::path(get, path = "/api/v1/stats/overview", tag = "stats",
    responses(
        (status = 200, body = Overview),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn overview(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Overview>, ApiErr> {
    stats::overview(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}
