//! Managing the organisations in the city's network.

use askama::Template;
use axum::response::Response;
use axum::Form;
use haven_core::ids::OrgId;
use haven_core::orgs::{self, OrgInput, OrgKind, Organisation};
use haven_core::retention;
use haven_core::Error;
use serde::Deserialize;

use super::see_other;
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, render_refused, Choice, Chrome, FormErrors};

const INDEX: &str = "/staff/admin/organisations";

pub struct Row {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
    pub retention_months: i64,
}

#[derive(Template)]
#[template(path = "orgs_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
}

pub fn kind_label(t: &Tr, kind: &str) -> String {
    t.t(&format!("org-kind-{kind}"))
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = orgs::list(&app.ctx, &s.actor).await.map_err(t.page())?;
    let page = IndexPage {
        rows: list
            .into_iter()
            .map(|o| Row {
                href: format!("{INDEX}/{}", o.id),
                kind: kind_label(&t, o.kind.as_str()),
                name: o.name,
                active: o.active,
                retention_months: o.retention_months,
            })
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}

/// The organisation form's values, as typed. An unticked checkbox sends nothing.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub name: String,
    pub kind: String,
    pub active: Option<String>,
    pub retention_months: String,
}

impl OrgForm {
    fn to_input(&self) -> OrgInput {
        OrgInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            active: self.active.is_some(),
            retention_months: Some(self.retention_months.clone()),
        }
    }

    fn from_org(o: &Organisation) -> Self {
        Self {
            name: o.name.clone(),
            kind: o.kind.as_str().to_owned(),
            active: o.active.then(|| "on".to_owned()),
            retention_months: o.retention_months.to_string(),
        }
    }

    fn blank() -> Self {
        Self {
            active: Some("on".to_owned()),
            retention_months: retention::DEFAULT_MONTHS.to_string(),
            ..Self::default()
        }
    }
}

#[derive(Template)]
#[template(path = "org_form.html")]
pub struct FormPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub action: String,
    pub submit: String,
    pub errors: FormErrors,
    pub v: OrgForm,
    pub kinds: Vec<Choice>,
    /// No valid kind chosen yet: offer an empty first option.
    pub no_kind: bool,
    /// When editing: how many of its persons the next retention sweep erases.
    pub retention: Option<retention::Status>,
}

fn form_page(
    t: Tr,
    chrome: Chrome,
    v: OrgForm,
    errors: FormErrors,
    editing: Option<OrgId>,
    retention: Option<retention::Status>,
) -> FormPage {
    let kinds: Vec<Choice> = OrgKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), kind_label(&t, k.as_str()), v.kind == k.as_str()))
        .collect();
    let (title, action, submit) = match editing {
        None => (t.t("org-new"), INDEX.to_owned(), t.t("org-create")),
        Some(id) => (t.t("org-edit"), format!("{INDEX}/{id}"), t.t("save")),
    };
    FormPage {
        no_kind: !kinds.iter().any(|k| k.selected),
        t,
        chrome,
        title,
        action,
        submit,
        errors,
        v,
        kinds,
        retention,
    }
}

pub async fn new(StaffPage { t, chrome, .. }: StaffPage) -> Response {
    let page = form_page(
        t,
        chrome,
        OrgForm::blank(),
        FormErrors::default(),
        None,
        None,
    );
    render(&page)
}

/// Answers the organisation form: to the list when saved, the form again (422) when
/// refused; an existing organisation shows its retention status beside it.
async fn saved(
    p: StaffPage,
    res: Result<(), Error>,
    f: OrgForm,
    editing: Option<OrgId>,
) -> PageResult {
    let StaffPage { app, s, t, chrome } = p;
    let fields = match res {
        Ok(()) => return Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => fields,
        Err(e) => return Err(t.page()(e)),
    };
    let status = match editing {
        Some(id) => Some(
            retention::status(&app.ctx, &s.actor, id)
                .await
                .map_err(t.page())?,
        ),
        None => None,
    };
    let errors = FormErrors::from_fields(&t, &fields);
    let page = form_page(t, chrome, f, errors, editing, status);
    Ok(render_refused(&page))
}

pub async fn create(p: StaffPage, Form(f): Form<OrgForm>) -> PageResult {
    let res = orgs::create(&p.app.ctx, &p.s.actor, &f.to_input()).await;
    saved(p, res.map(|_| ()), f, None).await
}

pub async fn edit(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<OrgId>) -> PageResult {
    let o = orgs::get(&app.ctx, &s.actor, id).await.map_err(t.page())?;
    let status = retention::status(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let v = OrgForm::from_org(&o);
    let page = form_page(t, chrome, v, FormErrors::default(), Some(id), Some(status));
    Ok(render(&page))
}

pub async fn update(p: StaffPage, Id(id): Id<OrgId>, Form(f): Form<OrgForm>) -> PageResult {
    let res = orgs::update(&p.app.ctx, &p.s.actor, id, &f.to_input()).await;
    saved(p, res.map(|_| ()), f, Some(id)).await
}
