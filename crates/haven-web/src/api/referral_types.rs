//! Configuring referral types through the API (administrators).

use axum::extract::{Path, State};
use axum::Json;
use haven_core::referrals::{self, ReferralTypeConfig, ReferralTypeInput};

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// Every referral type, active or not, with its allowlist.
#[utoipa::path(get, path = "/api/v1/config/referral-types", tag = "referrals",
    responses(
        (status = 200, body = Vec<ReferralTypeConfig>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<ReferralTypeConfig>>, ApiErr> {
    referrals::list_types(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// One referral type.
#[utoipa::path(get, path = "/api/v1/config/referral-types/{code}", tag = "referrals",
    params(("code" = String, Path, description = "The type's code")),
    responses(
        (status = 200, body = ReferralTypeConfig),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(code): Path<String>,
) -> Result<Json<ReferralTypeConfig>, ApiErr> {
    referrals::get_type(&state.ctx, &s.actor, &code)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Changes a referral type: label, allowlist (at least one field of the fixed set), order,
/// and `active` (`false` deactivates it). A narrower allowlist applies to open referrals at
/// once; a wider one only to referrals made afterwards. Audited.
#[utoipa::path(put, path = "/api/v1/config/referral-types/{code}", tag = "referrals",
    request_body = ReferralTypeInput,
    params(("code" = String, Path, description = "The type's code")),
    responses(
        (status = 200, body = ReferralTypeConfig),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<ReferralTypeInput>,
) -> Result<Json<ReferralTypeConfig>, ApiErr> {
    referrals::update_type(&state.ctx, &s.actor, &code, &input)
        .await
        .map(Json)
        .map_err(t.api())
}
