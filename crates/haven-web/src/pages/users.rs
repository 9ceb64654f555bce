//! Managing staff accounts: creating them, changing organisation and roles, disabling
//! them, and resetting a lost second factor.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_core::ids::UserId;
use haven_core::orgs::{self, Organisation};
use haven_core::users::{self, NewUser, User, UserUpdate};
use haven_core::{Error, Role};

use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
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
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

/// The account form's values, as typed. Several `roles` checkboxes share one name, which
/// axum's `Form` cannot collect, so the body is read as pairs.
#[derive(Default)]
pub struct UserForm {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<String>,
    /// Never sent back to the browser.
    pub password: String,
    pub email: String,
    pub email_notify: bool,
}

impl UserForm {
    fn parse(body: &str) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap_or_default();
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "username" => f.username = v,
                "display_name" => f.display_name = v,
                "org_id" => f.org_id = v,
                "roles" => f.roles.push(v),
                "password" => f.password = v,
                "email" => f.email = v,
                "email_notify" => f.email_notify = true,
                _ => {}
            }
        }
        f
    }

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

fn parse_id(id: &str) -> Result<UserId, Error> {
    id.parse().map_err(|_| Error::NotFound)
}

pub async fn new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let orgs = orgs::choices(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    // A new account is e-mailed about notifications once it has an address.
    let blank = UserForm {
        email_notify: true,
        ..UserForm::default()
    };
    Ok(render(&form_page(
        t,
        chrome,
        blank,
        FormErrors::default(),
        orgs,
        None,
    )))
}

pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    body: String,
) -> Result<Response, PageErr> {
    let mut f = UserForm::parse(&body);
    match users::create(&state.ctx, &s.actor, &f.to_new(), None).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => {
            let orgs = orgs::choices(&state.ctx, &s.actor)
                .await
                .map_err(t.page())?;
            let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
            let errors = FormErrors::from_fields(&t, &fields);
            f.password.clear();
            let page = form_page(t, chrome, f, errors, orgs, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let u = users::get(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let orgs = orgs::choices(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    Ok(render(&form_page(
        t,
        chrome,
        UserForm::from_user(&u),
        FormErrors::default(),
        orgs,
        Some(account_of(&u)),
    )))
}

pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    body: String,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let mut f = UserForm::parse(&body);
    match users::update(&state.ctx, &s.actor, id, &f.to_update()).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => {
            let u = users::get(&state.ctx, &s.actor, id)
                .await
                .map_err(t.page())?;
            let orgs = orgs::choices(&state.ctx, &s.actor)
                .await
                .map_err(t.page())?;
            let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
            let errors = FormErrors::from_fields(&t, &fields);
            f.username = u.username.clone();
            let page = form_page(t, chrome, f, errors, orgs, Some(account_of(&u)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

async fn set_disabled(
    state: &AppState,
    t: &Tr,
    s: &haven_core::users::Session,
    id: &str,
    disabled: bool,
) -> Result<Response, PageErr> {
    let id = parse_id(id).map_err(t.page())?;
    users::set_disabled(&state.ctx, &s.actor, id, disabled)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}

pub async fn disable(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    set_disabled(&state, &t, &s, &id, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    set_disabled(&state, &t, &s, &id, false).await
}

pub async fn reset_totp(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    users::reset_totp(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}
