//! The signed-in user's own account: who they are, their second factor, their language,
//! and whether they want e-mail about new notifications.

use askama::Template;
use axum::response::Response;
use axum::Form;
use haven_core::users;
use serde::Deserialize;

use super::see_other;
use crate::error::ErrExt;
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, role_name, Chrome};

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub username: String,
    pub display_name: String,
    pub org: String,
    pub roles: Vec<String>,
    pub totp: bool,
    /// The address an administrator set, if any.
    pub email: String,
    pub email_notify: bool,
}

pub async fn show(StaffPage { s, t, chrome, .. }: StaffPage) -> Response {
    render(&AccountPage {
        chrome,
        username: s.user.username.clone(),
        display_name: s.user.display_name.clone(),
        org: s.user.org_name.clone(),
        roles: s.user.roles.iter().map(|r| role_name(&t, *r)).collect(),
        totp: s.user.totp_enrolled,
        email: s.user.email.clone().unwrap_or_default(),
        email_notify: s.user.email_notify,
        t,
    })
}

/// The "e-mail me about new notifications" checkbox: absent means no.
#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email_notify: Option<String>,
}

pub async fn email(StaffPage { app, s, t, .. }: StaffPage, Form(f): Form<EmailForm>) -> PageResult {
    users::set_email_notify(&app.ctx, s.user.id, f.email_notify.is_some())
        .await
        .map_err(t.page())?;
    Ok(see_other("/staff/account"))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn language(
    StaffPage { app, s, t, .. }: StaffPage,
    Form(f): Form<LanguageForm>,
) -> PageResult {
    if !app.i18n.has(&f.lang) {
        return Err(t.page()(haven_core::Error::invalid("lang", "err-choice")));
    }
    users::set_locale(&app.ctx, s.user.id, &f.lang)
        .await
        .map_err(t.page())?;
    // Only ever back to a staff page of this site.
    let back = if f.back.starts_with("/staff/") && !f.back.contains("//") {
        f.back
    } else {
        "/staff/".to_owned()
    };
    Ok(see_other(&back))
}
