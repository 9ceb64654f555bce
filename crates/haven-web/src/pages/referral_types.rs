//! Configuring referral types: the administrator's list, and the form that edits a type's
//! label, allowlist (checkboxes from the fixed field set), order and active flag.

use askama::Template;
use axum::http::StatusCode;
use axum::Form;
use haven_core::referrals::{self, ReferralTypeConfig, ReferralTypeInput, SharedField};
use serde::Deserialize;

use super::forms::{answer, Field, FormView, Typed};
use super::referrals::type_label;
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, Chrome};

const INDEX: &str = "/staff/admin/referral-types";

pub struct Row {
    pub href: String,
    pub name: String,
    pub code: String,
    pub fields: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "referral_types_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<Row>,
}

fn field_label(t: &Tr, f: SharedField) -> String {
    t.t(&format!("shared-field-{}", f.as_str()))
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let list = referrals::list_types(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let page = IndexPage {
        rows: list
            .into_iter()
            .map(|r| Row {
                href: format!("{INDEX}/{}", r.code),
                name: type_label(&t, &r.code),
                fields: r
                    .fields
                    .iter()
                    .map(|f| field_label(&t, *f))
                    .collect::<Vec<_>>()
                    .join(", "),
                code: r.code,
                active: r.active,
            })
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}

fn from_type(r: &ReferralTypeConfig) -> Typed {
    let mut v = Typed::default()
        .with("label", r.label.clone())
        .with("position", r.position.to_string());
    if r.active {
        v.set("active", "on");
    }
    for f in &r.fields {
        v.push("fields", f.as_str());
    }
    v
}

fn form(t: &Tr, chrome: Chrome, code: &str, v: &Typed) -> FormView {
    let choices = SharedField::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), field_label(t, *f)))
        .collect();
    let fields = vec![
        Field::text(t, "label", v).hint(t.t("hint-referral-type-label")),
        Field::checks(t, "fields", v, choices).hint(t.t("hint-referral-type-fields")),
        Field::number(t, "position", v),
        Field::checkbox(t, "active", v).hint(t.t("hint-referral-type-active")),
    ];
    let title = t.t1("referral-types-edit", "name", type_label(t, code));
    let action = format!("{INDEX}/{code}");
    FormView::new(t, chrome, title, action, fields, INDEX.to_owned())
        .intro(t.t("referral-types-edit-intro"))
        .context(vec![(t.t("referral-types-code"), code.to_owned())])
}

/// Only what a type code may contain travels into a link or a form action.
fn code_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The type form's values as typed: the order as text (empty is 0, anything but a
/// number is refused by the core), and an unticked "active" sends nothing.
#[derive(Default, Deserialize)]
#[serde(default)]
struct TypeForm {
    label: Option<String>,
    fields: Vec<String>,
    active: Option<String>,
    position: String,
}

impl TypeForm {
    fn into_input(self) -> ReferralTypeInput {
        ReferralTypeInput {
            label: self.label,
            fields: self.fields,
            active: Some(self.active.is_some()),
            position: match self.position.trim() {
                "" => Some(0),
                p => Some(p.parse().unwrap_or(-1)),
            },
        }
    }
}

pub async fn edit(StaffPage { app, s, t, chrome }: StaffPage, Id(code): Id<String>) -> PageResult {
    let r = referrals::get_type(&app.ctx, &s.actor, &code)
        .await
        .map_err(t.page())?;
    Ok(form(&t, chrome, &code_safe(&r.code), &from_type(&r)).respond(StatusCode::OK))
}

pub async fn update(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(code): Id<String>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input = v.input::<TypeForm>().map_err(t.page())?.into_input();
    let res = referrals::update_type(&app.ctx, &s.actor, &code, &input).await;
    let res = res.map(|_| INDEX.to_owned());
    answer(&t, res, || form(&t, chrome, &code_safe(&code), &v))
}
