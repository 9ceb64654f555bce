//! The hub's report categories, for the hub's administrator: list, add (a label in every
//! public language), rename, retire. The core checks the permission and that the
//! administrator's organisation is a reporting hub; every change is audited.

use haven_core::hub::{self, CategoryConfig, CategoryInput};
use serde::Deserialize;

use crate::api::handler::{Answer, CreatedAnswer};
use crate::api::{ApiJson, Conflict, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::extract::Id;

/// Every category, retired ones too, with its labels and version.
#[utoipa::path(get, path = "/api/v1/hub/admin/categories", tag = "hub",
    responses((status = 200, body = Vec<CategoryConfig>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Answer<Vec<CategoryConfig>> {
    a.json(hub::list_config(&a.ctx, &a.s.actor).await)
}

/// Add a category: its label in each of the twelve public languages (`label_en` …
/// `label_ru`), all required. Its code is made from the English label. Audited.
#[utoipa::path(post, path = "/api/v1/hub/admin/categories", tag = "hub",
    request_body = CategoryInput,
    responses((status = 201, body = CategoryConfig), Unauthorized, Forbidden, Invalid))]
pub async fn create(
    a: StaffApi,
    ApiJson(input): ApiJson<CategoryInput>,
) -> CreatedAnswer<CategoryConfig> {
    a.created(hub::add_category(&a.ctx, &a.s.actor, &input).await)
}

/// One category.
#[utoipa::path(get, path = "/api/v1/hub/admin/categories/{code}", tag = "hub",
    params(("code" = String, Path, description = "The category's code")),
    responses((status = 200, body = CategoryConfig), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id(code): Id<String>) -> Answer<CategoryConfig> {
    a.json(hub::get_config(&a.ctx, &a.s.actor, &code).await)
}

/// Rename a category: its label in every public language. Send `version` from your last
/// read to be told (409) when someone else changed it in between. Audited.
#[utoipa::path(put, path = "/api/v1/hub/admin/categories/{code}", tag = "hub",
    params(("code" = String, Path, description = "The category's code")),
    request_body = CategoryInput,
    responses((status = 200, body = CategoryConfig), Unauthorized, Forbidden, NotFound, Invalid, Conflict))]
pub async fn update(
    a: StaffApi,
    Id(code): Id<String>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Answer<CategoryConfig> {
    a.json(hub::rename_category(&a.ctx, &a.s.actor, &code, &input).await)
}

/// Which version a retirement is based on.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = HubCategoryRetire)]
pub struct RetireInput {
    pub version: Option<i64>,
}

/// Retire a category: the public form no longer offers it; old reports and the figures
/// keep it. Audited.
#[utoipa::path(post, path = "/api/v1/hub/admin/categories/{code}/retire", tag = "hub",
    params(("code" = String, Path, description = "The category's code")),
    request_body = RetireInput,
    responses((status = 200, body = CategoryConfig), Unauthorized, Forbidden, NotFound, Invalid, Conflict))]
pub async fn retire(
    a: StaffApi,
    Id(code): Id<String>,
    ApiJson(input): ApiJson<RetireInput>,
) -> Answer<CategoryConfig> {
    a.json(hub::retire_category(&a.ctx, &a.s.actor, &code, input.version).await)
}
