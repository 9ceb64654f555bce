//! The safe-reporting hub's API for hub officers: the reports of their hub, one report
//! with its conversation, answering, closing, and recording a report made in person or by
//! phone. The core checks the permission and that the officer's organisation is a
//! reporting hub; every read is audited.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::Json;
use haven_core::hub::{self, Category, MessageInput, Report, ReportInput, ReportSummary};
use haven_core::ids::ReportId;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, Conflict, Erased, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::error::ApiErr;
use crate::extract::Id;

/// Which reports to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ListQuery {
    /// `true`: the closed reports; otherwise the open ones.
    pub closed: bool,
}

/// The hub's reports, newest first (at most 500): plain codes only. Audited.
#[utoipa::path(get, path = "/api/v1/hub/reports", tag = "hub", params(ListQuery),
    responses((status = 200, body = Vec<ReportSummary>), Unauthorized, Forbidden))]
pub async fn list(
    a: StaffApi,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<ReportSummary>>, ApiErr> {
    a.json(hub::list(&a.ctx, &a.s.actor, q.closed).await)
}

/// One report with what it says and its conversation. Audited.
#[utoipa::path(get, path = "/api/v1/hub/reports/{id}", tag = "hub",
    params(("id" = String, Path, format = Uuid, description = "The report's id")),
    responses((status = 200, body = Report), Unauthorized, Forbidden, NotFound, Erased))]
pub async fn get(a: StaffApi, Id(id): Id<ReportId>) -> Result<Json<Report>, ApiErr> {
    a.json(hub::get(&a.ctx, &a.s.actor, id).await)
}

/// A report made in person or by phone, recorded by a hub officer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RecordInput {
    /// How the report was made: `in_person` or `phone`.
    pub channel: Option<String>,
    #[serde(flatten)]
    pub report: ReportInput,
}

/// The recorded report's id and its receipt code, to hand to the reporter: shown only in
/// this answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReportId,
    pub receipt_code: String,
}

/// Records a report made in person or by phone; answers its receipt code once. Audited.
#[utoipa::path(post, path = "/api/v1/hub/reports", tag = "hub", request_body = RecordInput,
    responses((status = 201, body = Recorded), Unauthorized, Forbidden, Invalid))]
pub async fn record(
    a: StaffApi,
    ApiJson(input): ApiJson<RecordInput>,
) -> Result<(StatusCode, Json<Recorded>), ApiErr> {
    let made = hub::record(&a.ctx, &a.s.actor, &input.report, &input.channel)
        .await
        .map(|(id, code)| Recorded {
            id,
            receipt_code: code.grouped(),
        });
    a.created(made)
}

/// The hub answers the reporter, who reads it with the receipt code. Only while open.
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/messages", tag = "hub",
    request_body = MessageInput,
    params(("id" = String, Path, format = Uuid, description = "The report's id")),
    responses((status = 200, body = Report), Unauthorized, Forbidden, NotFound, Invalid, Conflict, Erased))]
pub async fn answer(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<MessageInput>,
) -> Result<Json<Report>, ApiErr> {
    a.json(hub::answer(&a.ctx, &a.s.actor, id, &input).await)
}

/// The version of the report the officer saw.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = HubCloseInput)]
pub struct CloseInput {
    /// Required: the `version` of the report as read.
    pub version: Option<i64>,
}

/// Closes an open report; it is purged after the hub's retention period. Audited.
#[utoipa::path(post, path = "/api/v1/hub/reports/{id}/close", tag = "hub",
    request_body = CloseInput,
    params(("id" = String, Path, format = Uuid, description = "The report's id")),
    responses((status = 204), Unauthorized, Forbidden, NotFound, Invalid, Conflict))]
pub async fn close(
    a: StaffApi,
    Id(id): Id<ReportId>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<StatusCode, ApiErr> {
    a.done(hub::close(&a.ctx, &a.s.actor, id, input.version).await)
}

/// The categories a report is made in (configured per installation).
#[utoipa::path(get, path = "/api/v1/hub/categories", tag = "hub",
    responses((status = 200, body = Vec<Category>), Unauthorized, Forbidden))]
pub async fn categories(a: StaffApi) -> Result<Json<Vec<Category>>, ApiErr> {
    a.json(hub::officer_categories(&a.ctx, &a.s.actor).await)
}
