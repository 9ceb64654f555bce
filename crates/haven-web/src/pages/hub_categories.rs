//! The hub's report categories, for the hub's administrator: the list (with "retire" on
//! each one the public form offers), the form that adds one with its label in every public
//! language, and the form that renames one. The core checks who may (role and kind).

use askama::Template;
use axum::http::StatusCode;
use axum::Form;
use haven_core::hub::{self, CategoryConfig, CategoryInput, LABEL_FIELDS};
use serde::Deserialize;

use super::forms::{answer, Field, FormView, Typed};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::{see_other, PageResult};
use crate::site::report::category_label;
use crate::views::{render, Chrome};

const INDEX: &str = "/staff/hub/categories";

pub struct Row {
    pub href: String,
    pub label: String,
    pub code: String,
    pub active: bool,
    pub builtin: bool,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "hub_categories.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
}

/// Only what a category code may contain travels into a link or a form action.
fn code_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = hub::list_config(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
    let rows = list
        .into_iter()
        .map(|c| Row {
            href: format!("{INDEX}/{}", code_safe(&c.code)),
            label: category_label(&t, &cats, &c.code),
            code: code_safe(&c.code),
            active: c.active,
            builtin: c.builtin,
            version: c.version,
        })
        .collect();
    Ok(render(&IndexPage { rows, chrome, t }))
}

/// The label fields, one per public language, each named in the reader's language.
fn label_fields(t: &Tr, v: &Typed) -> Vec<Field> {
    LABEL_FIELDS
        .iter()
        .map(|(_, field)| Field::text(t, field, v))
        .collect()
}

/// The labels (and version) as typed, for the core to check.
fn input_of(v: &Typed) -> CategoryInput {
    CategoryInput::from_labels(
        |lang| v.get(&format!("label_{lang}")),
        v.get("version").and_then(|s| s.trim().parse().ok()),
    )
}

fn add_form(t: &Tr, chrome: Chrome, v: &Typed) -> FormView {
    FormView::new(
        t,
        chrome,
        t.t("hub-categories-add"),
        INDEX.to_owned(),
        label_fields(t, v),
        INDEX.to_owned(),
    )
    .intro(t.t("hub-categories-add-intro"))
    .submit(t.t("hub-categories-add"))
}

pub async fn new(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    // The same check as the list: only the hub's administrator sees the form.
    hub::list_config(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    Ok(add_form(&t, chrome, &Typed::default()).respond(StatusCode::OK))
}

pub async fn create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Form(v): Form<Typed>,
) -> PageResult {
    let res = hub::add_category(&app.ctx, &s.actor, &input_of(&v)).await;
    answer(&t, res.map(|_| INDEX.to_owned()), || {
        add_form(&t, chrome, &v)
    })
}

fn rename_form(t: &Tr, chrome: Chrome, code: &str, v: &Typed) -> FormView {
    let mut fields = label_fields(t, v);
    fields.push(Field::hidden("version", v.value("version")));
    FormView::new(
        t,
        chrome,
        t.t("hub-categories-rename"),
        format!("{INDEX}/{code}"),
        fields,
        INDEX.to_owned(),
    )
    .intro(t.t("hub-categories-rename-intro"))
    .context(vec![(t.t("referral-types-code"), code.to_owned())])
}

/// A category's labels as the form shows them: its own, else (built in) the public
/// site's translation in each language.
fn typed_of(app: &crate::AppState, c: &CategoryConfig) -> Typed {
    let mut v = Typed::default().with("version", c.version.to_string());
    for (lang, field) in LABEL_FIELDS {
        let label = c.labels.get(lang).cloned().unwrap_or_else(|| {
            let id = format!("report-cat-{}", c.code);
            let s = app.site_i18n.tr(lang).t(&id);
            if s == id {
                String::new()
            } else {
                s
            }
        });
        v.set(field, label);
    }
    v
}

pub async fn edit(StaffPage { app, s, t, chrome }: StaffPage, Id(code): Id<String>) -> PageResult {
    let c = hub::get_config(&app.ctx, &s.actor, &code)
        .await
        .map_err(t.page())?;
    let v = typed_of(&app, &c);
    Ok(rename_form(&t, chrome, &code_safe(&c.code), &v).respond(StatusCode::OK))
}

pub async fn update(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(code): Id<String>,
    Form(v): Form<Typed>,
) -> PageResult {
    let res = hub::rename_category(&app.ctx, &s.actor, &code, &input_of(&v)).await;
    answer(&t, res.map(|_| INDEX.to_owned()), || {
        rename_form(&t, chrome, &code_safe(&code), &v)
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RetireForm {
    version: Option<String>,
}

pub async fn retire(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(code): Id<String>,
    Form(f): Form<RetireForm>,
) -> PageResult {
    let version = f.version.and_then(|v| v.trim().parse().ok());
    hub::retire_category(&app.ctx, &s.actor, &code, version)
        .await
        .map_err(t.page())?;
    Ok(see_other(INDEX))
}
