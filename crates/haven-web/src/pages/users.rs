//! Managing staff accounts: creating them, changing organisation and roles, disabling
//! them, and resetting a lost second factor.

use askama::Template;
use axum::Form;
use haven_core::ids::UserId;
use haven_core::orgs::{self, Organisation};
use haven_core::users::{self, NewUser, User, UserUpdate};
use haven_core::{Error, Role};
use serde::Deserialize;

use super::forms::{ticked, Typed};
use super::see_other;
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, render_refused, role_name, Choice, Chrome, FormErrors};

const INDEX: &str = "/staff/admin/users";

fn role_labels(t: &Tr, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| role_name(t, *r))
        .collect::<Vec<_>>()
        .join(", ")
}

pub struct Row {
    pub href: String,
    pub display_name: String,
    pub username: String,
    pub org: String,
    pub roles: String,
    pub totp: bool,
    pub disabled: bool,
    pub email: String,
}

/// A role that reads persons given to an account of the reader's organisation.
pub struct NoticeRow {
    pub href: String,
    pub username: String,
    pub granted_by: String,
    pub before: String,
    pub after: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "users_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
    pub notices: Vec<NoticeRow>,
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = users::list(&app.ctx, &s.actor).await.map_err(t.page())?;
    let notices = users::role_notices(&app.ctx, &s.actor, 20)
        .await
        .map_err(t.page())?;
    let page = IndexPage {
        notices: notices
            .into_iter()
            .map(|n| NoticeRow {
                href: format!("{INDEX}/{}", n.user_id),
                username: n.username,
                granted_by: n.granted_by.unwrap_or_else(|| t.t("role-notice-operator")),
                before: role_labels(&t, &n.roles_before),
                after: role_labels(&t, &n.roles_after),
                at: crate::views::fmt_ts(n.created_at),
            })
            .collect(),
        rows: list
            .into_iter()
            .map(|u| Row {
                href: format!("{INDEX}/{}", u.id),
                roles: role_labels(&t, &u.roles),
                display_name: u.display_name,
                username: u.username,
                org: u.org_name,
                totp: u.totp_enrolled,
                disabled: u.disabled,
                email: u.email.unwrap_or_default(),
            })
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}

/// The account form's values, as typed. Several `roles` checkboxes share one name, so the
/// form is read as `Typed` (which keeps every value) and then into this struct.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<String>,
    /// Never sent back to the browser.
    pub password: String,
    pub email: String,
    #[serde(deserialize_with = "ticked")]
    pub email_notify: bool,
}

impl UserForm {
    fn from_user(u: &User) -> Self {
        Self {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_id: u.org_id.to_string(),
            roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            password: String::new(),
            email: u.email.clone().unwrap_or_default(),
            email_notify: u.email_notify,
        }
    }

    fn to_new(&self) -> NewUser {
        NewUser {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            org_id: self.org_id.clone(),
            roles: self.roles.clone(),
            password: self.password.clone(),
            email: Some(self.email.clone()),
            email_notify: self.email_notify,
        }
    }

    fn to_update(&self) -> UserUpdate {
        UserUpdate {
            display_name: self.display_name.clone(),
            org_id: self.org_id.clone(),
            roles: self.roles.clone(),
            email: Some(self.email.clone()),
            email_notify: self.email_notify,
        }
    }
}

/// The account being changed: what the edit page shows besides the form.
pub struct Account {
    pub id: String,
    pub username: String,
    pub disabled: bool,
    pub totp: bool,
}

#[derive(Template)]
#[template(path = "user_form.html")]
pub struct FormPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub action: String,
    pub submit: String,
    pub errors: FormErrors,
    pub v: UserForm,
    pub orgs: Vec<Choice>,
    /// No valid organisation chosen yet: offer an empty first option.
    pub no_org: bool,
    pub roles: Vec<Choice>,
    pub account: Option<Account>,
}

fn form_page(
    t: Tr,
    chrome: Chrome,
    v: UserForm,
    errors: FormErrors,
    orgs: Vec<Organisation>,
    account: Option<Account>,
) -> FormPage {
    // Inactive organisations are not offered, unless the account already belongs to one.
    let orgs: Vec<Choice> = orgs
        .into_iter()
        .filter(|o| o.active || o.id.to_string() == v.org_id)
        .map(|o| Choice::new(o.id, o.name, o.id.to_string() == v.org_id))
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| {
            let chosen = v.roles.iter().any(|x| x == r.as_str());
            Choice::new(r.as_str(), role_name(&t, *r), chosen)
        })
        .collect();
    let (title, action, submit) = match &account {
        None => (t.t("user-new"), INDEX.to_owned(), t.t("user-create")),
        Some(a) => (t.t("user-edit"), format!("{INDEX}/{}", a.id), t.t("save")),
    };
    FormPage {
        no_org: !orgs.iter().any(|o| o.selected),
        t,
        chrome,
        title,
        action,
        submit,
        errors,
        v,
        orgs,
        roles,
        account,
    }
}

fn account_of(u: &User) -> Account {
    Account {
        id: u.id.to_string(),
        username: u.username.clone(),
        disabled: u.disabled,
        totp: u.totp_enrolled,
    }
}

/// The account form again (422) with what was typed, minus the password, and the core's
/// objections; for an existing account, its username and state beside it.
async fn refused(
    p: StaffPage,
    mut f: UserForm,
    fields: &[haven_core::FieldError],
    existing: Option<&User>,
) -> PageResult {
    let StaffPage { app, s, t, chrome } = p;
    let orgs = orgs::choices(&app.ctx, &s.actor).await.map_err(t.page())?;
    let errors = FormErrors::from_fields(&t, fields);
    f.password.clear();
    if let Some(u) = existing {
        f.username = u.username.clone();
    }
    let page = form_page(t, chrome, f, errors, orgs, existing.map(account_of));
    Ok(render_refused(&page))
}

pub async fn new(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let orgs = orgs::choices(&app.ctx, &s.actor).await.map_err(t.page())?;
    // A new account is e-mailed about notifications once it has an address.
    let blank = UserForm {
        email_notify: true,
        ..UserForm::default()
    };
    let page = form_page(t, chrome, blank, FormErrors::default(), orgs, None);
    Ok(render(&page))
}

pub async fn create(p: StaffPage, Form(v): Form<Typed>) -> PageResult {
    let f: UserForm = v.input().map_err(p.t.page())?;
    match users::create(&p.app.ctx, &p.s.actor, &f.to_new(), None).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => refused(p, f, &fields, None).await,
        Err(e) => Err(p.t.page()(e)),
    }
}

pub async fn edit(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<UserId>) -> PageResult {
    let u = users::get(&app.ctx, &s.actor, id).await.map_err(t.page())?;
    let orgs = orgs::choices(&app.ctx, &s.actor).await.map_err(t.page())?;
    let v = UserForm::from_user(&u);
    let page = form_page(
        t,
        chrome,
        v,
        FormErrors::default(),
        orgs,
        Some(account_of(&u)),
    );
    Ok(render(&page))
}

pub async fn update(p: StaffPage, Id(id): Id<UserId>, Form(v): Form<Typed>) -> PageResult {
    let f: UserForm = v.input().map_err(p.t.page())?;
    match users::update(&p.app.ctx, &p.s.actor, id, &f.to_update()).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => {
            let u = users::get(&p.app.ctx, &p.s.actor, id)
                .await
                .map_err(p.t.page())?;
            // The username is not changed here: the form shows the account's own.
            refused(p, f, &fields, Some(&u)).await
        }
        Err(e) => Err(p.t.page()(e)),
    }
}

async fn set_disabled(
    StaffPage { app, s, t, .. }: StaffPage,
    id: UserId,
    disabled: bool,
) -> PageResult {
    users::set_disabled(&app.ctx, &s.actor, id, disabled)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}

pub async fn disable(p: StaffPage, Id(id): Id<UserId>) -> PageResult {
    set_disabled(p, id, true).await
}

pub async fn enable(p: StaffPage, Id(id): Id<UserId>) -> PageResult {
    set_disabled(p, id, false).await
}

pub async fn reset_totp(StaffPage { app, s, t, .. }: StaffPage, Id(id): Id<UserId>) -> PageResult {
    users::reset_totp(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}
