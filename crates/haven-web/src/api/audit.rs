//! The audit log through the API, newest first. Events carry ids and roles, never
//! personal data.

use axum::extract::Query;
use haven_core::audit::{self, Event};
use serde::Deserialize;

use crate::api::{Answer, Forbidden, StaffApi, Unauthorized};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only events with a sequence number below this one (for paging back).
    #[serde(default)]
    pub before: Option<i64>,
    /// At most this many (1–500, default 100).
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The newest audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<Event>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi, Query(q): Query<AuditQuery>) -> Answer<Vec<Event>> {
    a.json(audit::list(&a.ctx, &a.s.actor, q.before, q.limit.unwrap_or(100)).await)
}
