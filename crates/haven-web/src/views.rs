//! What every page shares: the frame around it, form errors, rendering.
//!
//! Templates receive view structs built here and in `pages`, never database rows.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use haven_core::users::Session;
use haven_core::{FieldError, Permission};

use crate::i18n::Tr;

pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            crate::error::fallback_500()
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
        let mut nav = vec![("/staff/", "nav-home", true)];
        nav.push((
            "/staff/persons",
            "nav-persons",
            a.can(Permission::PersonSearch),
        ));
        nav.push((
            "/staff/shelters",
            "nav-shelters",
            a.can(Permission::ShelterRead),
        ));
        nav.push(("/staff/cases", "nav-cases", a.can(Permission::CaseRead)));
        nav.push((
            "/staff/referrals",
            "nav-referrals",
            a.can(Permission::ReferralSend),
        ));
        nav.push((
            "/staff/referrals/received",
            "nav-referrals-received",
            a.can(Permission::ReferralReceive),
        ));
        nav.push((
            "/outreach/",
            "nav-outreach",
            a.can(Permission::OutreachRecord),
        ));
        nav.push((
            "/outreach/team",
            "nav-outreach-team",
            a.can(Permission::OutreachLead),
        ));
        nav.push(("/staff/stats", "nav-stats", a.can(Permission::StatsRead)));
        nav.push((
            "/staff/network",
            "nav-network",
            a.can(Permission::NetworkRead),
        ));
        nav.push((
            "/staff/directory",
            "nav-directory",
            a.can(Permission::DirectoryEdit),
        ));
        nav.push((
            "/staff/directory/review",
            "nav-directory-review",
            a.can(Permission::DirectoryPublish),
        ));
        nav.push((
            "/staff/admin/organisations",
            "nav-organisations",
            a.can(Permission::OrgManage),
        ));
        nav.push((
            "/staff/admin/users",
            "nav-users",
            a.can(Permission::UserManage),
        ));
        nav.push((
            "/staff/admin/programmes",
            "nav-programmes",
            a.can(Permission::CaseworkConfigure),
        ));
        nav.push((
            "/staff/admin/referral-types",
            "nav-referral-types",
            a.can(Permission::CaseworkConfigure),
        ));
        nav.push((
            "/staff/admin/shelter-sites",
            "shelter-sites-configure",
            a.can(Permission::CaseworkConfigure),
        ));
        nav.push((
            "/staff/content",
            "nav-content",
            a.can(Permission::ContentEdit),
        ));
        nav.push((
            "/staff/admin/audit",
            "nav-audit",
            a.can(Permission::AuditRead),
        ));
        nav.push(("/staff/account", "nav-account", true));
        let nav = nav
            .into_iter()
            .filter(|(_, _, show)| *show)
            .map(|(href, label, _)| Nav {
                href,
                label: tr.t(label),
                current: if href == "/staff/" {
                    path == "/staff/" || path == "/staff"
                } else if href == "/staff/referrals" {
                    path.starts_with(href) && !path.starts_with("/staff/referrals/received")
                } else if href == "/outreach/" {
                    path == "/outreach/"
                } else if href == "/staff/directory" {
                    path.starts_with(href) && !path.starts_with("/staff/directory/review")
                } else {
                    path.starts_with(href)
                },
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
