//! Configuring referral types: the administrator's list, and the form that edits a type's
//! label, allowlist (checkboxes from the fixed field set), order and active flag.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use haven_core::referrals::{self, ReferralTypeConfig, ReferralTypeInput, SharedField};

use super::forms::{Field, FormView, Typed};
use super::referrals::type_label;
use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{render, Chrome, FormErrors};
use crate::AppState;

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

pub async fn index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let list = referrals::list_types(&state.ctx, &s.actor)
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
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
        v.0.push(("fields".into(), f.as_str().to_owned()));
    }
    v
}

fn form(t: Tr, chrome: Chrome, code: &str, v: Typed) -> FormView {
    let choices = SharedField::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), field_label(&t, *f)))
        .collect();
    let fields = vec![
        Field::text(&t, "label", &v).hint(t.t("hint-referral-type-label")),
        Field::checks(&t, "fields", &v, choices).hint(t.t("hint-referral-type-fields")),
        Field::number(&t, "position", &v),
        Field::checkbox(&t, "active", &v).hint(t.t("hint-referral-type-active")),
    ];
    FormView {
        title: t.t1("referral-types-edit", "name", type_label(&t, code)),
        intro: t.t("referral-types-edit-intro"),
        context: vec![(t.t("referral-types-code"), code.to_owned())],
        action: format!("{INDEX}/{code}"),
        fields,
        submit: t.t("save"),
        cancel: INDEX.to_owned(),
        errors: FormErrors::default(),
        chrome,
        t,
    }
}

/// Only what a type code may contain travels into a link or a form action.
fn code_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

pub async fn edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(code): Path<String>,
) -> Result<Response, PageErr> {
    let r = referrals::get_type(&state.ctx, &s.actor, &code)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    Ok(form(t, chrome, &code_safe(&r.code), from_type(&r)).respond(StatusCode::OK))
}

pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let v = Typed(pairs);
    let input = ReferralTypeInput {
        label: v.get("label"),
        fields: v.all("fields"),
        active: Some(v.get("active").is_some()),
        position: match v.value("position").trim() {
            "" => Some(0),
            p => Some(p.parse().unwrap_or(-1)),
        },
    };
    match referrals::update_type(&state.ctx, &s.actor, &code, &input).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(e) => {
            let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
            form(t.clone(), chrome, &code_safe(&code), v)
                .refused(e)
                .map_err(t.page())
        }
    }
}
