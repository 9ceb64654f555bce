//! Finding, registering, reading and changing persons.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::ids::PersonId;
use haven_core::people::{self, Gender, Person, PersonInput, PersonSummary, ResidenceStatus};
use haven_core::users::Session;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::referrals::{can_refer, consent_view, line_view, ConsentView, LineView};
use super::see_other;
use crate::error::{ErrExt, PageErr};
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{birth_text, fmt_ts, render, Choice, Chrome, FormErrors};
use crate::AppState;

pub struct Row {
    pub href: String,
    pub name: String,
    pub alias: String,
    pub birth: String,
    pub status: String,
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
    StaffPage { app, s, t, chrome }: StaffPage,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let q = query.q.trim().to_owned();
    let (rows, errors, status) = if q.is_empty() {
        let list = people::recent(&app.ctx, &s.actor, 20)
            .await
            .map_err(t.page())?;
        (list, FormErrors::default(), StatusCode::OK)
    } else {
        match people::search(&app.ctx, &s.actor, &q, 50).await {
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
        .map(|g| {
            let chosen = v.gender == g.as_str() || (v.gender.is_empty() && *g == Gender::Unknown);
            Choice::new(g.as_str(), t.t(&format!("gender-{}", g.as_str())), chosen)
        })
        .collect();
    let statuses = ResidenceStatus::ALL
        .iter()
        .map(|s| {
            let chosen = v.residence_status == s.as_str()
                || (v.residence_status.is_empty() && *s == ResidenceStatus::Unknown);
            Choice::new(s.as_str(), t.t(&format!("status-{}", s.as_str())), chosen)
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

/// The person form again with what was typed and the core's objections.
fn refused(
    t: Tr,
    chrome: Chrome,
    f: PersonForm,
    e: Error,
    editing: Option<PersonId>,
) -> PageResult {
    let (status, errors) = match e {
        Error::Invalid(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FormErrors::from_fields(&t, &fields),
        ),
        Error::Conflict(code) if editing.is_some() => (
            StatusCode::CONFLICT,
            FormErrors::one(&t, "version", t.t(code)),
        ),
        e => return Err(t.page()(e)),
    };
    let page = form_page(t, chrome, f, errors, editing);
    Ok((status, render(&page)).into_response())
}

pub async fn new(StaffPage { t, chrome, .. }: StaffPage) -> Response {
    let page = form_page(
        t,
        chrome,
        PersonForm::default(),
        FormErrors::default(),
        None,
    );
    render(&page)
}

pub async fn create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Form(f): Form<PersonForm>,
) -> PageResult {
    match people::register(&app.ctx, &s.actor, &f.to_input()).await {
        Ok(p) => Ok(see_other(&format!("/staff/persons/{}", p.id))),
        Err(e) => refused(t, chrome, f, e, None),
    }
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
    pub consents: Vec<ConsentView>,
    pub referrals: Vec<LineView>,
}

fn facts(t: &Tr, p: &Person) -> Vec<(String, String)> {
    let d = &p.data;
    let none = t.t("not-recorded");
    let or_none = |v: Option<String>| v.filter(|x| !x.is_empty()).unwrap_or_else(|| none.clone());
    vec![
        (t.t("field-name"), or_none(d.name.clone())),
        (t.t("field-alias"), or_none(d.alias.clone())),
        (
            t.t("field-birth"),
            or_none(Some(birth_text(t, &d.birth_date, d.birth_year))),
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
    ]
}

/// The person's cases (link, "programme · start · status"), for those who read cases.
async fn cases_of(
    app: &AppState,
    s: &Session,
    t: &Tr,
    p: &Person,
) -> Result<Vec<(String, String)>, PageErr> {
    if !s.actor.can(Permission::CaseRead) {
        return Ok(Vec::new());
    }
    let list = haven_core::cases::of_person(&app.ctx, &s.actor, p.id)
        .await
        .map_err(t.page())?;
    Ok(list
        .into_iter()
        .map(|c| {
            let status = t.t(&format!("case-status-{}", c.status));
            (
                format!("/staff/cases/{}", c.id),
                format!("{} · {} · {status}", c.programme_name, c.start_date),
            )
        })
        .collect())
}

/// The consents and referrals the organisation made for the person, for those who refer.
async fn referrals_of(
    app: &AppState,
    s: &Session,
    t: &Tr,
    p: &Person,
) -> Result<(Vec<ConsentView>, Vec<LineView>), PageErr> {
    if !can_refer(s) {
        return Ok((Vec::new(), Vec::new()));
    }
    let r = haven_core::referrals::of_person(&app.ctx, &s.actor, p.id)
        .await
        .map_err(t.page())?;
    Ok((
        r.consents.into_iter().map(|c| consent_view(t, c)).collect(),
        r.referrals
            .into_iter()
            .map(|l| line_view(t, l, true))
            .collect(),
    ))
}

pub async fn show(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<PersonId>) -> PageResult {
    let p = people::get(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let cases = cases_of(&app, &s, &t, &p).await?;
    let (consents, referrals) = referrals_of(&app, &s, &t, &p).await?;
    let page = ShowPage {
        can_refer: can_refer(&s),
        consents,
        referrals,
        cases,
        chrome,
        id: p.id.to_string(),
        heading: p
            .label()
            .map(str::to_owned)
            .unwrap_or_else(|| t.t("person-unnamed")),
        facts: facts(&t, &p),
        notes: p.data.notes.clone().unwrap_or_default(),
        can_edit: s.actor.can(Permission::PersonUpdate),
        can_erase: s.actor.can(Permission::PersonErase) && s.actor.org_id == Some(p.owner_org),
        can_open_case: s.actor.can(Permission::CaseWrite),
        updated: fmt_ts(p.updated_at),
        t,
    };
    Ok(render(&page))
}

pub async fn edit(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<PersonId>) -> PageResult {
    let p = people::get(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let v = PersonForm::from_person(&p);
    Ok(render(&form_page(
        t,
        chrome,
        v,
        FormErrors::default(),
        Some(id),
    )))
}

pub async fn update(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<PersonId>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    match people::update(&app.ctx, &s.actor, id, &f.to_input()).await {
        Ok(p) => Ok(see_other(&format!("/staff/persons/{}", p.id))),
        Err(e) => refused(t, chrome, f, e, Some(id)),
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
    StaffPage { app, s, t, .. }: StaffPage,
    Id(id): Id<PersonId>,
    Form(f): Form<EraseForm>,
) -> PageResult {
    people::erasable(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    if f.confirm.as_deref() != Some("1") {
        return Err(t.page()(Error::invalid("confirm", "err-erase-confirm")));
    }
    people::erase(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("/staff/persons/{id}")))
}
