//! What every page shares: the frame around it, form errors, rendering.
//!
//! Templates receive view structs built here and in `pages`, never database rows.

use askama::Template;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use haven_core::users::Session;
use haven_core::{FieldError, Permission, Role};

use crate::i18n::Tr;

pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            fallback_500()
        }
    }
}

/// The form again, refused (422 Unprocessable Entity): what was typed, and what to fix.
pub fn render_refused<T: Template>(t: &T) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, render(t)).into_response()
}

/// A file built into the binary (a stylesheet, a script), revalidated by an ETag made of
/// the crate version, the file's length and a `tag` that tells files apart: it changes only
/// with a new release.
pub fn static_file(
    headers: &HeaderMap,
    (tag, body): (&str, &'static str),
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let etag = format!("\"{tag}{}-{}\"", env!("CARGO_PKG_VERSION"), body.len());
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CACHE_CONTROL, cache_control.to_owned()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

/// A plain 500 page for when even rendering failed.
pub fn fallback_500() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html("<!doctype html><html lang=en><title>Error</title><p>Something went wrong. Please try again."),
    )
        .into_response()
}

/// One option of a select, or one box of a group: its value, its label, and whether it
/// is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl ToString, label: String, selected: bool) -> Self {
        Self {
            value: value.to_string(),
            label,
            selected,
        }
    }
}

pub struct Nav {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// The header, navigation and footer of a staff page.
pub struct Chrome {
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub nav: Vec<Nav>,
    pub demo: bool,
    pub languages: Vec<(&'static str, String)>,
    pub path: String,
    /// Unread notifications, for those who receive them.
    pub notifications: Option<i64>,
}

impl Chrome {
    /// For pages shown before sign-in or on errors.
    pub fn bare() -> Self {
        Self {
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            demo: false,
            languages: Vec::new(),
            path: String::new(),
            notifications: None,
        }
    }

    pub fn signed_out(demo: bool) -> Self {
        Self {
            demo,
            ..Self::bare()
        }
    }

    pub fn staff(s: &Session, tr: &Tr, path: &str, demo: bool) -> Self {
        let a = &s.actor;
        let nav = NAV
            .iter()
            .filter(|(_, _, needs)| needs.is_none_or(|p| a.can(p)))
            .map(|&(href, label, _)| Nav {
                href,
                label: tr.t(label),
                current: is_current(href, path),
            })
            .collect();
        Self {
            user: Some((s.user.display_name.clone(), s.user.org_name.clone())),
            csrf: s.csrf_token.clone(),
            nav,
            demo,
            languages: tr.languages(),
            path: path.to_owned(),
            notifications: a
                .can(Permission::NotificationRead)
                .then_some(s.unread_notifications),
        }
    }
}

/// The staff navigation: where, its message id, and the permission that shows it.
const NAV: &[(&str, &str, Option<Permission>)] = &[
    ("/staff/", "nav-home", None),
    (
        "/staff/persons",
        "nav-persons",
        Some(Permission::PersonSearch),
    ),
    (
        "/staff/shelters",
        "nav-shelters",
        Some(Permission::ShelterRead),
    ),
    ("/staff/cases", "nav-cases", Some(Permission::CaseRead)),
    (
        "/staff/hub/reports",
        "nav-hub-reports",
        Some(Permission::HubReportRead),
    ),
    (
        "/staff/referrals",
        "nav-referrals",
        Some(Permission::ReferralSend),
    ),
    (
        "/staff/referrals/received",
        "nav-referrals-received",
        Some(Permission::ReferralReceive),
    ),
    (
        "/outreach/",
        "nav-outreach",
        Some(Permission::OutreachRecord),
    ),
    (
        "/outreach/team",
        "nav-outreach-team",
        Some(Permission::OutreachLead),
    ),
    ("/staff/stats", "nav-stats", Some(Permission::StatsRead)),
    (
        "/staff/network",
        "nav-network",
        Some(Permission::NetworkRead),
    ),
    (
        "/staff/directory",
        "nav-directory",
        Some(Permission::DirectoryEdit),
    ),
    (
        "/staff/directory/review",
        "nav-directory-review",
        Some(Permission::DirectoryPublish),
    ),
    (
        "/staff/admin/organisations",
        "nav-organisations",
        Some(Permission::OrgManage),
    ),
    (
        "/staff/admin/users",
        "nav-users",
        Some(Permission::UserManage),
    ),
    (
        "/staff/admin/programmes",
        "nav-programmes",
        Some(Permission::CaseworkConfigure),
    ),
    (
        "/staff/admin/referral-types",
        "nav-referral-types",
        Some(Permission::CaseworkConfigure),
    ),
    (
        "/staff/admin/shelter-sites",
        "shelter-sites-configure",
        Some(Permission::CaseworkConfigure),
    ),
    (
        "/staff/content",
        "nav-content",
        Some(Permission::ContentEdit),
    ),
    (
        "/staff/admin/audit",
        "nav-audit",
        Some(Permission::AuditRead),
    ),
    (
        "/staff/hub/figures",
        "nav-hub-figures",
        Some(Permission::HubReportRead),
    ),
    (
        "/staff/police/handovers",
        "nav-police-handovers",
        Some(Permission::HandoverRead),
    ),
    ("/staff/account", "nav-account", None),
];

/// Whether the navigation entry `href` is the page at `path`: its own address and those
/// below it, except where another entry covers the address below.
fn is_current(href: &str, path: &str) -> bool {
    match href {
        "/staff/" => path == "/staff/" || path == "/staff",
        "/staff/referrals" => {
            path.starts_with(href) && !path.starts_with("/staff/referrals/received")
        }
        "/outreach/" => path == "/outreach/",
        "/staff/directory" => {
            path.starts_with(href) && !path.starts_with("/staff/directory/review")
        }
        _ => path.starts_with(href),
    }
}

/// The problems with a submitted form, already in words.
#[derive(Default)]
pub struct FormErrors(pub Vec<(&'static str, String, String)>);

impl FormErrors {
    pub fn from_fields(tr: &Tr, fields: &[FieldError]) -> Self {
        Self(
            fields
                .iter()
                .map(|f| (f.field, tr.t(&format!("field-{}", f.field)), tr.t(f.code)))
                .collect(),
        )
    }

    pub fn one(tr: &Tr, field: &'static str, message: String) -> Self {
        Self(vec![(field, tr.t(&format!("field-{field}")), message)])
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, _, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub message: String,
}

/// A role's name in the reader's language.
pub fn role_name(t: &Tr, role: Role) -> String {
    t.t(&format!("role-{}", role.as_str()))
}

/// A date of birth as recorded: the date, or "about" the year, or nothing.
pub fn birth_text(t: &Tr, date: &Option<String>, year: Option<i32>) -> String {
    match (date, year) {
        (Some(d), _) => d.clone(),
        (None, Some(y)) => t.t1("birth-about", "year", y),
        _ => String::new(),
    }
}

/// Formats a Unix time as `YYYY-MM-DD HH:MM` (UTC).
pub fn fmt_ts(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|d| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                d.year(),
                u8::from(d.month()),
                d.day(),
                d.hour(),
                d.minute()
            )
        })
        .unwrap_or_default()
}

/// Formats a Unix time as `YYYY-MM-DD` (UTC): for times kept to the day only, such as a
/// reporter's messages to the hub.
pub fn fmt_date(ts: i64) -> String {
    fmt_ts(ts).chars().take(10).collect()
}

/// A reporter's time as the hub keeps it: the day of what the reporter did online (a
/// report made online, a reporter's message), the minute of what the hub did.
pub fn fmt_hub_time(ts: i64, by_reporter_online: bool) -> String {
    if by_reporter_online {
        fmt_date(ts)
    } else {
        fmt_ts(ts)
    }
}

/// A table of figures under its own heading, as the report pages show them (statistics,
/// the referral network, the outreach team): the heading with the `id` that labels the
/// table, an optional `intro` beneath it, the words shown instead when there are no rows,
/// the column headings' message ids, and the rows as cells. `macros.html` writes it once
/// (`report`), so every report table is labelled, scrolls and isolates names the same way.
pub struct Report {
    pub id: &'static str,
    pub heading: String,
    pub intro: String,
    pub none: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Report {
    pub fn new(
        id: &'static str,
        heading: String,
        none: String,
        columns: Vec<&'static str>,
    ) -> Self {
        Report {
            id,
            heading,
            intro: String::new(),
            none,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn rows(mut self, rows: impl IntoIterator<Item = Vec<Cell>>) -> Self {
        self.rows = rows.into_iter().collect();
        self
    }
}

/// One cell of a [`Report`]: a figure, a name (isolated with `<bdi>`, as names may be in
/// another script), or either as a link.
pub struct Cell {
    pub text: String,
    pub name: bool,
    pub href: String,
}

impl Cell {
    pub fn figure(v: impl ToString) -> Self {
        Cell {
            text: v.to_string(),
            name: false,
            href: String::new(),
        }
    }

    pub fn name(v: String) -> Self {
        Cell {
            name: true,
            ..Cell::figure(v)
        }
    }

    pub fn link(self, href: String) -> Self {
        Cell { href, ..self }
    }
}
