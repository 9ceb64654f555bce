//! Notifications about referrals, and the network view for policy advisors (aggregates
//! only; small counts withheld).

use askama::Template;
use axum::Form;
use haven_core::ids::NotificationId;
use haven_core::referrals::{self, Notification};
use haven_core::Error;
use serde::Deserialize;

use super::{notification_message, type_label};
use crate::error::ErrExt;
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::pages::{cases::duration_text, see_other, stats::count_text, PageResult};
use crate::views::{fmt_ts, render, Cell, Chrome, Report};

pub struct NoteView {
    pub id: String,
    pub href: String,
    pub text: String,
    pub when: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub items: Vec<NoteView>,
    pub unread: bool,
}

fn note_view(t: &Tr, n: Notification) -> NoteView {
    let href = if n.incoming {
        format!("/staff/referrals/received/{}", n.referral_id)
    } else {
        format!("/staff/referrals/{}", n.referral_id)
    };
    let what = t.t(notification_message(n.kind));
    NoteView {
        id: n.id.to_string(),
        href,
        text: format!("{what} · {} · {}", type_label(t, &n.type_code), n.other_org),
        when: fmt_ts(n.created_at),
        read: n.read,
    }
}

pub async fn notifications(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let items = referrals::notifications(&app.ctx, &s.actor, 100)
        .await
        .map_err(t.page())?;
    let items: Vec<NoteView> = items.into_iter().map(|n| note_view(&t, n)).collect();
    Ok(render(&NotificationsPage {
        unread: items.iter().any(|n| !n.read),
        items,
        chrome,
        t,
    }))
}

/// Which notification to mark read; none for all of them.
#[derive(Deserialize)]
pub struct MarkRead {
    #[serde(default)]
    id: Option<String>,
}

/// Marks one notification read (`id` in the form) or all of them.
pub async fn notifications_read(
    StaffPage { app, s, t, .. }: StaffPage,
    Form(f): Form<MarkRead>,
) -> PageResult {
    let id = match f.id.filter(|x| !x.is_empty()) {
        Some(x) => Some(
            x.parse::<NotificationId>()
                .map_err(|_| t.page()(Error::NotFound))?,
        ),
        None => None,
    };
    referrals::mark_read(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other("/staff/notifications"))
}

#[derive(Template)]
#[template(path = "network.html")]
pub struct NetworkPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub total: String,
    pub links: Report,
}

pub async fn network(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let n = referrals::network(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let withheld = t.t("network-withheld");
    let hours = |h: Option<i64>| {
        h.map(|h| duration_text(&t, h * 3600))
            .unwrap_or_else(|| withheld.clone())
    };
    let columns = vec![
        "field-from_org",
        "field-to_org",
        "network-referrals",
        "network-accepted",
        "network-declined",
        "network-completed",
        "network-rate",
        "network-to-accept",
        "network-to-complete",
    ];
    let links = Report::new(
        "h-links",
        t.t("network-links"),
        t.t("referrals-none"),
        columns,
    )
    .rows(n.links.into_iter().map(|l| {
        let rate = l
            .acceptance_percent
            .map(|p| t.t1("network-percent", "value", p))
            .unwrap_or_else(|| withheld.clone());
        vec![
            Cell::name(l.from_org),
            Cell::name(l.to_org),
            Cell::figure(count_text(&t, l.referrals)),
            Cell::figure(count_text(&t, l.accepted)),
            Cell::figure(count_text(&t, l.declined)),
            Cell::figure(count_text(&t, l.completed)),
            Cell::figure(rate),
            Cell::figure(hours(l.median_hours_to_accept)),
            Cell::figure(hours(l.median_hours_to_complete)),
        ]
    }));
    Ok(render(&NetworkPage {
        total: count_text(&t, n.referrals),
        links,
        chrome,
        t,
    }))
}
