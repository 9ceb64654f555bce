//! Finding, registering, reading and changing persons.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::ids::PersonId;
use haven_core::people::{self, Gender, Person, PersonInput, PersonSummary, ResidenceStatus};
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{fmt_ts, render, Chrome, FormErrors};
use crate::AppState;

pub struct Row {
    pub href: String,
    pub name: String,
    pub alias: String,
    pub birth: String,
    pub status: String,
}

pub(crate) fn birth_text(t: &Tr, date: &Option<String>, year: Option<i32>) -> String {
    match (date, year) {
        (Some(d), _) => d.clone(),
        (None, Some(y)) => t.t1("birth-about", "year", y),
        _ => String::new(),
    }
}

fn row(t: &Tr, p: PersonSummary) -> Row {
    Row {
        href: format!("/staff/persons/{}", p.id),
        name: p
            .name
            .clone()
            .or(p.alias.clone())
            .unwrap_or_else(|| t.t("person-unnamed")),
        alias: p.alias.unwrap_or_default(),
        birth: birth_text(t, &p.birth_date, p.birth_year),
        status: t.t(&format!("status-{}", p.residence_status.as_str())),
    }
}

#[derive(Template)]
#[template(path = "persons_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub q: String,
    pub searched: bool,
    pub rows: Vec<Row>,
    pub errors: FormErrors,
    pub can_register: bool,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageErr> {
    let q = query.q.trim().to_owned();
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    let (rows, errors, status) = if q.is_empty() {
        let list = people::recent(&state.ctx, &s.actor, 20)
            .await
            .map_err(t.page())?;
        (list, FormErrors::default(), StatusCode::OK)
    } else {
        match people::search(&state.ctx, &s.actor, &q, 50).await {
            Ok(list) => (list, FormErrors::default(), StatusCode::OK),
            Err(Error::Invalid(f)) => (
                Vec::new(),
                FormErrors::from_fields(&t, &f),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(e) => return Err(t.page()(e)),
        }
    };
    let page = IndexPage {
        rows: rows.into_iter().map(|p| row(&t, p)).collect(),
        searched: !q.is_empty(),
        q,
        errors,
        can_register: s.actor.can(Permission::PersonRegister),
        chrome,
        t,
    };
    Ok((status, render(&page)).into_response())
}

/// The person form's values, as typed.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub alias: String,
    pub birth_date: String,
    pub birth_year: String,
    pub gender: String,
    pub nationalities: String,
    pub languages: String,
    pub phone: String,
    pub residence_status: String,
    pub notes: String,
    pub version: String,
}

impl PersonForm {
    fn to_input(&self) -> PersonInput {
        let o = |s: &str| Some(s.to_owned());
        PersonInput {
            name: o(&self.name),
            alias: o(&self.alias),
            birth_date: o(&self.birth_date),
            birth_year: o(&self.birth_year),
            gender: o(&self.gender),
            nationalities: vec![self.nationalities.clone()],
            languages: vec![self.languages.clone()],
            phone: o(&self.phone),
            residence_status: o(&self.residence_status),
            notes: o(&self.notes),
            version: self.version.trim().parse().ok(),
        }
    }

    fn from_person(p: &Person) -> Self {
        let d = &p.data;
        Self {
            name: d.name.clone().unwrap_or_default(),
            alias: d.alias.clone().unwrap_or_default(),
            birth_date: d.birth_date.clone().unwrap_or_default(),
            birth_year: d.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            gender: d.gender.as_str().to_owned(),
            nationalities: d.nationalities.join(", "),
            languages: d.languages.join(", "),
            phone: d.phone.clone().unwrap_or_default(),
            residence_status: d.residence_status.as_str().to_owned(),
            notes: d.notes.clone().unwrap_or_default(),
            version: p.version.to_string(),
        }
    }
}

pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "person_form.html")]
pub struct FormPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub action: String,
    pub submit: String,
    pub errors: FormErrors,
    pub v: PersonForm,
    pub genders: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub cancel: String,
}

fn form_page(
    t: Tr,
    chrome: Chrome,
    v: PersonForm,
    errors: FormErrors,
    editing: Option<PersonId>,
) -> FormPage {
    let genders = Gender::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str(),
            label: t.t(&format!("gender-{}", g.as_str())),
            selected: v.gender == g.as_str() || (v.gender.is_empty() && *g == Gender::Unknown),
        })
        .collect();
    let statuses = ResidenceStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str(),
            label: t.t(&format!("status-{}", s.as_str())),
            selected: v.residence_status == s.as_str()
                || (v.residence_status.is_empty() && *s == ResidenceStatus::Unknown),
        })
        .collect();
    let (title, action, submit, cancel) = match editing {
        None => (
            t.t("person-register"),
            "/staff/persons".to_owned(),
            t.t("person-register"),
            "/staff/persons".to_owned(),
        ),
        Some(id) => (
            t.t("person-edit"),
            format!("/staff/persons/{id}"),
            t.t("save"),
            format!("/staff/persons/{id}"),
        ),
    };
    FormPage {
        t,
        chrome,
        title,
        action,
        submit,
        errors,
        v,
        genders,
        statuses,
        cancel,
    }
}

pub async fn new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Response {
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    render(&form_page(
        t,
        chrome,
        PersonForm::default(),
        FormErrors::default(),
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageErr> {
    match people::register(&state.ctx, &s.actor, &f.to_input()).await {
        Ok(p) => Ok(see_other(&format!("/staff/persons/{}", p.id))),
        Err(Error::Invalid(fields)) => {
            let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
            let errors = FormErrors::from_fields(&t, &fields);
            let page = form_page(t, chrome, f, errors, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

fn parse_id(id: &str) -> Result<PersonId, Error> {
    id.parse().map_err(|_| Error::NotFound)
}

#[derive(Template)]
#[template(path = "person_show.html")]
pub struct ShowPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub notes: String,
    pub can_edit: bool,
    /// The actor's organisation registered the person and may erase their data.
    pub can_erase: bool,
    /// Casework: offer to open a case for this person, and list their cases.
    pub can_open_case: bool,
    pub cases: Vec<(String, String)>,
    pub updated: String,
    /// Referrals: offer to refer, and list consents and referrals made by the organisation.
    pub can_refer: bool,
    pub consents: Vec<super::referrals::ConsentView>,
    pub referrals: Vec<super::referrals::LineView>,
}

pub async fn show(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let p = people::get(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let d = &p.data;
    let none = t.t("not-recorded");
    let or_none = |v: Option<String>| v.filter(|x| !x.is_empty()).unwrap_or_else(|| none.clone());
    let facts = vec![
        (t.t("field-name"), or_none(d.name.clone())),
        (t.t("field-alias"), or_none(d.alias.clone())),
        (
            t.t("field-birth"),
            or_none(Some(birth_text(&t, &d.birth_date, d.birth_year))),
        ),
        (
            t.t("field-gender"),
            t.t(&format!("gender-{}", d.gender.as_str())),
        ),
        (
            t.t("field-nationalities"),
            or_none(Some(d.nationalities.join(", "))),
        ),
        (
            t.t("field-languages"),
            or_none(Some(d.languages.join(", "))),
        ),
        (t.t("field-phone"), or_none(d.phone.clone())),
        (
            t.t("field-residence_status"),
            t.t(&format!("status-{}", d.residence_status.as_str())),
        ),
    ];
    let cases = if s.actor.can(Permission::CaseRead) {
        haven_core::cases::of_person(&state.ctx, &s.actor, p.id)
            .await
            .map_err(t.page())?
            .into_iter()
            .map(|c| {
                (
                    format!("/staff/cases/{}", c.id),
                    format!(
                        "{} · {} · {}",
                        c.programme_name,
                        c.start_date,
                        t.t(&format!("case-status-{}", c.status))
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let can_refer = super::referrals::can_refer(&s);
    let (consents, referrals) = if can_refer {
        let r = haven_core::referrals::of_person(&state.ctx, &s.actor, p.id)
            .await
            .map_err(t.page())?;
        (
            r.consents
                .into_iter()
                .map(|c| super::referrals::consent_view(&t, c))
                .collect(),
            r.referrals
                .into_iter()
                .map(|l| super::referrals::line_view(&t, l, true))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let page = ShowPage {
        can_refer,
        consents,
        referrals,
        cases,
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        id: p.id.to_string(),
        heading: p
            .label()
            .map(str::to_owned)
            .unwrap_or_else(|| t.t("person-unnamed")),
        facts,
        notes: d.notes.clone().unwrap_or_default(),
        can_edit: s.actor.can(Permission::PersonUpdate),
        can_erase: s.actor.can(Permission::PersonErase) && s.actor.org_id == Some(p.owner_org),
        can_open_case: s.actor.can(Permission::CaseWrite),
        updated: fmt_ts(p.updated_at),
        t,
    };
    Ok(render(&page))
}

pub async fn edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let p = people::get(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
    Ok(render(&form_page(
        t,
        chrome,
        PersonForm::from_person(&p),
        FormErrors::default(),
        Some(id),
    )))
}

pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    let fail = |t: Tr, errors: FormErrors, f: PersonForm, status: StatusCode| {
        let chrome = Chrome::staff(&s, &t, uri.path(), state.cfg.demo);
        (status, render(&form_page(t, chrome, f, errors, Some(id)))).into_response()
    };
    match people::update(&state.ctx, &s.actor, id, &f.to_input()).await {
        Ok(p) => Ok(see_other(&format!("/staff/persons/{}", p.id))),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            Ok(fail(t, errors, f, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(Error::Conflict(code)) => {
            let errors = FormErrors::one(&t, "version", t.t(code));
            Ok(fail(t, errors, f, StatusCode::CONFLICT))
        }
        Err(e) => Err(t.page()(e)),
    }
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    pub confirm: Option<String>,
}

/// Erases a person's data after the box confirming it was ticked; the person's page then
/// says the data is gone (410).
pub async fn erase(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    Form(f): Form<EraseForm>,
) -> Result<Response, PageErr> {
    let id = parse_id(&id).map_err(t.page())?;
    people::erasable(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    if f.confirm.as_deref() != Some("1") {
        return Err(t.page()(Error::invalid("confirm", "err-erase-confirm")));
    }
    people::erase(&state.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/persons/{id}")))
}
