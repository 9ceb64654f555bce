//! Configuring referral types through the API (administrators).

use haven_core::referrals::{self, ReferralTypeConfig, ReferralTypeInput};

use crate::api::{Answer, ApiJson, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::extract::Id;

/// Every referral type, active or not, with its allowlist.
#[utoipa::path(get, path = "/api/v1/config/referral-types", tag = "referrals",
    responses((status = 200, body = Vec<ReferralTypeConfig>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Answer<Vec<ReferralTypeConfig>> {
    a.json(referrals::list_types(&a.ctx, &a.s.actor).await)
}

/// One referral type.
#[utoipa::path(get, path = "/api/v1/config/referral-types/{code}", tag = "referrals",
    params(("code" = String, Path, description = "The type's code")),
    responses((status = 200, body = ReferralTypeConfig), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id(code): Id<String>) -> Answer<ReferralTypeConfig> {
    a.json(referrals::get_type(&a.ctx, &a.s.actor, &code).await)
}

/// Changes a referral type: label, allowlist (at least one field of the fixed set), order,
/// and `active` (`false` deactivates it). A narrower allowlist applies to open referrals at
/// once; a wider one only to referrals made afterwards. Audited.
#[utoipa::path(put, path = "/api/v1/config/referral-types/{code}", tag = "referrals",
    request_body = ReferralTypeInput,
    params(("code" = String, Path, description = "The type's code")),
    responses(
        (status = 200, body = ReferralTypeConfig),
        Unauthorized, Forbidden, NotFound, Invalid,
    ))]
pub async fn update(
    a: StaffApi,
    Id(code): Id<String>,
    ApiJson(input): ApiJson<ReferralTypeInput>,
) -> Answer<ReferralTypeConfig> {
    a.json(referrals::update_type(&a.ctx, &a.s.actor, &code, &input).await)
}
