//! The staff start page: what this person can do, by role.

use askama::Template;
use axum::response::Response;
use haven_core::Permission;

use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::views::{render, role_name, Chrome};

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub t: Tr,
    pub chrome: Chrome,
    pub name: String,
    pub roles: Vec<String>,
    pub can_search: bool,
    pub can_register: bool,
    pub can_admin: bool,
    pub can_stats: bool,
    /// The reporting hub's work (a hub officer's start).
    pub can_hub: bool,
    /// The hub's administrator: the report categories.
    pub hub_admin: bool,
    pub sees_no_persons: bool,
}

pub async fn home(StaffPage { app, s, t, chrome }: StaffPage) -> Response {
    let a = &s.actor;
    // A storage error only hides the link; the page itself needs nothing stored.
    let hub_admin = haven_core::hub::may_configure(&app.ctx, a)
        .await
        .unwrap_or(false);
    let page = HomePage {
        chrome,
        name: s.user.display_name.clone(),
        roles: s.user.roles.iter().map(|r| role_name(&t, *r)).collect(),
        can_search: a.can(Permission::PersonSearch),
        can_register: a.can(Permission::PersonRegister),
        can_admin: a.can(Permission::UserManage) || a.can(Permission::OrgManage),
        can_stats: a.can(Permission::StatsRead),
        can_hub: a.can(Permission::HubReportRead),
        hub_admin,
        sees_no_persons: !a.can(Permission::PersonRead),
        t,
    };
    render(&page)
}
