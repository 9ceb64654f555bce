//! Managing staff accounts: creating them, changing organisation and roles, disabling
//! them, and resetting a lost second factor.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::ids::UserId;
use haven_core::orgs::{self, Organisation};
use haven_core::users::{self, NewUser, User, UserUpdate};
use haven_core::{Error, Role};
use serde::Deserialize;

use super::forms::{ticked, Typed};
use super::see_other;
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::views::{render, Chrome, FormErrors};
use crate::AppState;

const INDEX: &str = "/staff/admin/users";

fn role_labels(t: &Tr, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| t.t(&format!("role-{}", r.as_str())))
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

#[derive(Template)]
#[template(path = "users_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
}

pub async fn index(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
) -> Result<Response, PageErr> {
    let list = users::list(&state.ctx, &s.actor).await.map_err(t.page())?;
    let page = IndexPage {
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

pub struct OrgChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct RoleChoice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
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
    pub orgs: Vec<OrgChoice>,
    /// No valid organisation chosen yet: offer an empty first option.
    pub no_org: bool,
    pub roles: Vec<RoleChoice>,
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
    let orgs: Vec<OrgChoice> = orgs
        .into_iter()
        .filter(|o| o.active || o.id.to_string() == v.org_id)
        .map(|o| OrgChoice {
            selected: o.id.to_string() == v.org_id,
            value: o.id.to_string(),
            label: o.name,
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label: t.t(&format!("role-{}", r.as_str())),
            checked: v.roles.iter().any(|x| x == r.as_str()),
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
    state: &AppState,
    p: StaffPage,
    mut f: UserForm,
    fields: &[haven_core::FieldError],
    existing: Option<&User>,
) -> Result<Response, PageErr> {
    let StaffPage { s, t, chrome } = p;
    let orgs = orgs::choices(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let errors = FormErrors::from_fields(&t, fields);
    f.password.clear();
    if let Some(u) = existing {
        f.username = u.username.clone();
    }
    let page = form_page(t, chrome, f, errors, orgs, existing.map(account_of));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

pub async fn new(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
) -> Result<Response, PageErr> {
    let orgs = orgs::choices(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    // A new account is e-mailed about notifications once it has an address.
    let blank = UserForm {
        email_notify: true,
        ..UserForm::default()
    };
    let page = form_page(t, chrome, blank, FormErrors::default(), orgs, None);
    Ok(render(&page))
}

pub async fn create(
    State(state): State<AppState>,
    p: StaffPage,
    Form(v): Form<Typed>,
) -> Result<Response, PageErr> {
    let f: UserForm = v.input().map_err(p.t.page())?;
    match users::create(&state.ctx, &p.s.actor, &f.to_new(), None).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => refused(&state, p, f, &fields, None).await,
        Err(e) => Err(p.t.page()(e)),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    StaffPage { s, t, chrome }: StaffPage,
    Id(id): Id<UserId>,
) -> Result<Response, PageErr> {
    let u = users::get(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let orgs = orgs::choices(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
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

pub async fn update(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<UserId>,
    Form(v): Form<Typed>,
) -> Result<Response, PageErr> {
    let f: UserForm = v.input().map_err(p.t.page())?;
    match users::update(&state.ctx, &p.s.actor, id, &f.to_update()).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => {
            let u = users::get(&state.ctx, &p.s.actor, id)
                .await
                .map_err(p.t.page())?;
            // The username is not changed here: the form shows the account's own.
            refused(&state, p, f, &fields, Some(&u)).await
        }
        Err(e) => Err(p.t.page()(e)),
    }
}

async fn set_disabled(
    state: &AppState,
    StaffPage { s, t, .. }: StaffPage,
    id: UserId,
    disabled: bool,
) -> Result<Response, PageErr> {
    users::set_disabled(&state.ctx, &s.actor, id, disabled)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}

pub async fn disable(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<UserId>,
) -> Result<Response, PageErr> {
    set_disabled(&state, p, id, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    p: StaffPage,
    Id(id): Id<UserId>,
) -> Result<Response, PageErr> {
    set_disabled(&state, p, id, false).await
}

pub async fn reset_totp(
    State(state): State<AppState>,
    StaffPage { s, t, .. }: StaffPage,
    Id(id): Id<UserId>,
) -> Result<Response, PageErr> {
    users::reset_totp(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}
