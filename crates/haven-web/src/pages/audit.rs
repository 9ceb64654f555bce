//! The audit log, newest first, a page at a time. Events carry ids and roles, never
//! personal data.

use askama::Template;
use axum::extract::Query;
use haven_core::audit;
use serde::Deserialize;

use crate::error::ErrExt;
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{fmt_ts, render, Chrome};

pub const PAGE_SIZE: i64 = 100;

pub struct Row {
    pub seq: i64,
    pub at: String,
    pub actor_id: String,
    pub actor_roles: String,
    pub action: String,
    pub object_type: String,
    pub object_ids: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
    /// The link to the next, older page, when there may be one.
    pub older: Option<String>,
    /// Whether this is a page of older events (then a link back to the newest).
    pub paged: bool,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    /// Sequence number: show events before it. Anything but a number is ignored.
    #[serde(default)]
    before: Option<String>,
}

/// Role codes as the reader's words; anything unknown stays as it was recorded.
fn roles_text(t: &Tr, roles: &str) -> String {
    roles
        .split(',')
        .filter(|r| !r.is_empty())
        .map(|r| {
            if r.parse::<haven_core::Role>().is_ok() {
                t.t(&format!("role-{r}"))
            } else {
                r.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn index(
    StaffPage { app, s, t, chrome }: StaffPage,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let before = q.before.and_then(|b| b.trim().parse::<i64>().ok());
    let events = audit::list(&app.ctx, &s.actor, before, PAGE_SIZE)
        .await
        .map_err(t.page())?;
    let older = match events.last() {
        Some(e) if events.len() as i64 == PAGE_SIZE && e.seq > 1 => {
            Some(format!("/staff/admin/audit?before={}", e.seq))
        }
        _ => None,
    };
    let page = AuditPage {
        rows: events
            .into_iter()
            .map(|e| Row {
                seq: e.seq,
                at: fmt_ts(e.at),
                actor_roles: roles_text(&t, &e.actor_roles),
                actor_id: e.actor_id,
                action: e.action,
                object_type: e.object_type,
                object_ids: e.object_ids,
            })
            .collect(),
        older,
        paged: before.is_some(),
        chrome,
        t,
    };
    Ok(render(&page))
}
