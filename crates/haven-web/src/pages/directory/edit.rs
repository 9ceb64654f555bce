//! Keeping the organisation's own directory entries: the list, and the form that creates
//! or changes an organisation, service or location (a draft until a reviewer approves it).

use askama::Template;
use axum::Form;
use haven_core::directory::form::{EntryInput, HoursRow, TextPair, DAYS, LANGS};
use haven_core::directory::review::{self, Status};
use haven_core::directory::{self, Kind};
use haven_core::users::Session;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::{date, kind_label, status_label, INDEX};
use crate::error::{ErrExt, PageErr};
use crate::extract::{DirKind, Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::forms::{ticked, Typed};
use crate::pages::{see_other, PageResult};
use crate::views::{fmt_ts, render, render_refused, Choice, Chrome, FormErrors};
use crate::AppState;

/// Languages a service may list as spoken, by code, named in their own language (these
/// are names, not interface text).
const SPOKEN: &[(&str, &str)] = &[
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("ti", "ትግርኛ"),
    ("nl", "Nederlands"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("so", "Soomaali"),
    ("am", "አማርኛ"),
    ("es", "Español"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
];

pub struct ListRow {
    pub href: String,
    pub kind: String,
    pub name: String,
    pub status: String,
    pub rejected: bool,
    pub reason: String,
    pub checked: String,
    pub stale: bool,
}

#[derive(Template)]
#[template(path = "directory_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<ListRow>,
    pub may_propose_org: bool,
    pub has_org: bool,
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let ctx = &app.ctx;
    let list = review::list_own(ctx, &s.actor).await.map_err(t.page())?;
    let orgs = review::own_organizations(ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let rows = list
        .into_iter()
        .map(|l| ListRow {
            href: format!("{INDEX}/{}/{}", l.kind.as_str(), l.id),
            kind: kind_label(&t, l.kind),
            name: l.name,
            status: status_label(&t, l.status),
            rejected: l.status == Status::Rejected,
            reason: l
                .last_review
                .filter(|r| !r.approved)
                .map(|r| r.reason)
                .unwrap_or_default(),
            checked: date(l.last_checked_at),
            stale: l.stale,
        })
        .collect();
    let page = IndexPage {
        rows,
        has_org: !orgs.is_empty(),
        may_propose_org: orgs.is_empty() || s.actor.can(Permission::DirectoryPublish),
        chrome,
        t,
    };
    Ok(render(&page))
}

/// The entry form's fields with one name each, as typed. Names that carry a language or
/// a day (`name_fr`, `opens_MO`) are read in [`FormValues::from_typed`].
#[derive(Default, Deserialize)]
#[serde(default)]
struct EntryForm {
    organization_id: String,
    source_lang: String,
    name: String,
    description: String,
    status: String,
    /// One number a line.
    phones: String,
    email: String,
    url: String,
    languages: Vec<String>,
    #[serde(deserialize_with = "ticked")]
    free: bool,
    fees: String,
    #[serde(deserialize_with = "ticked")]
    no_documents: bool,
    /// One document a line.
    documents: String,
    eligibility: String,
    service_area: String,
    #[serde(deserialize_with = "ticked")]
    no_data_to_immigration: bool,
    #[serde(deserialize_with = "ticked")]
    anonymous: bool,
    #[serde(deserialize_with = "ticked")]
    confidential: bool,
    address_street: String,
    address_postal_code: String,
    address_city: String,
    address_country: String,
    location_ids: Vec<String>,
    needs: Vec<String>,
}

/// The form's values as typed (strings, so a wrong value comes back as it was).
#[derive(Default)]
pub struct FormValues {
    pub input: EntryInput,
    pub phones: String,
    pub documents: String,
}

impl FormValues {
    fn from_input(input: EntryInput) -> Self {
        Self {
            phones: input.phones.join("\n"),
            documents: input.documents.join("\n"),
            input,
        }
    }

    /// Reads the posted form: the fields with one name each, then the texts in other
    /// languages and the opening hours by day.
    fn from_typed(v: &Typed) -> Result<Self, Error> {
        let f: EntryForm = v.input()?;
        let mut i = EntryInput {
            organization_id: f.organization_id,
            source_lang: f.source_lang,
            name: f.name,
            description: f.description,
            status: f.status,
            phones: f.phones.lines().map(str::to_owned).collect(),
            email: f.email,
            url: f.url,
            languages: f.languages,
            free: f.free,
            fees: f.fees,
            no_documents: f.no_documents,
            documents: f.documents.lines().map(str::to_owned).collect(),
            eligibility: f.eligibility,
            service_area: f.service_area,
            no_data_to_immigration: f.no_data_to_immigration,
            anonymous: f.anonymous,
            confidential: f.confidential,
            location_ids: f.location_ids,
            needs: f.needs,
            hours: DAYS
                .iter()
                .map(|d| HoursRow {
                    day: (*d).to_owned(),
                    ..HoursRow::default()
                })
                .collect(),
            ..EntryInput::default()
        };
        i.address.street = f.address_street;
        i.address.postal_code = f.address_postal_code;
        i.address.city = f.address_city;
        i.address.country = f.address_country;
        for (k, value) in &v.0 {
            by_language_or_day(&mut i, k, value);
        }
        i.translations
            .retain(|_, p| !(p.name.trim().is_empty() && p.description.trim().is_empty()));
        Ok(Self {
            input: i,
            phones: f.phones,
            documents: f.documents,
        })
    }
}

/// A field whose name carries a language (`name_fr`, `description_ar`: a translation) or
/// a day (`opens_MO`, `closes_MO`: the hours).
fn by_language_or_day(i: &mut EntryInput, name: &str, value: &str) {
    if let Some((field, lang)) = name.split_once('_').filter(|(_, l)| LANGS.contains(l)) {
        let pair = i.translations.entry(lang.to_owned()).or_default();
        match field {
            "name" => pair.name = value.to_owned(),
            "description" => pair.description = value.to_owned(),
            _ => {}
        }
    } else if let Some(day) = name.strip_prefix("opens_") {
        if let Some(h) = i.hours.iter_mut().find(|h| h.day == day) {
            h.opens = value.to_owned();
        }
    } else if let Some(day) = name.strip_prefix("closes_") {
        if let Some(h) = i.hours.iter_mut().find(|h| h.day == day) {
            h.closes = value.to_owned();
        }
    }
}

pub struct LangBlock {
    pub code: &'static str,
    pub label: String,
    pub name: String,
    pub description: String,
}

pub struct DayRow {
    pub code: &'static str,
    pub label: String,
    pub opens: String,
    pub closes: String,
}

#[derive(Template)]
#[template(path = "directory_form.html")]
pub struct FormPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub kind: &'static str,
    pub title: String,
    pub action: String,
    pub errors: FormErrors,
    pub v: EntryInput,
    pub phones: String,
    pub documents: String,
    pub source_langs: Vec<Choice>,
    pub translations: Vec<LangBlock>,
    pub days: Vec<DayRow>,
    pub spoken: Vec<Choice>,
    /// What a service helps with (Haven's needs taxonomy).
    pub needs: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub orgs: Vec<Choice>,
    pub locations: Vec<Choice>,
    /// For an existing entry: its status, last check, last review and the check action.
    pub existing: Option<ExistingInfo>,
}

pub struct ExistingInfo {
    pub status: String,
    pub rejected_reason: String,
    pub reviewed: String,
    pub checked: String,
    pub stale: bool,
    pub published: bool,
    pub check_action: String,
}

fn lang_name(code: &str) -> String {
    SPOKEN
        .iter()
        .find(|s| s.0 == code)
        .map(|s| s.1.to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The organisations the entry may belong to: the actor's own, and the entry's own when
/// a reviewer edits another organisation's entry.
async fn org_choices(
    app: &AppState,
    s: &Session,
    t: &Tr,
    v: &EntryInput,
) -> Result<Vec<Choice>, PageErr> {
    let mut list = review::own_organizations(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    if !v.organization_id.is_empty() && !list.iter().any(|o| o.0 == v.organization_id) {
        list.push((v.organization_id.clone(), v.organization_id.clone()));
    }
    Ok(list
        .into_iter()
        .map(|(id, name)| Choice::new(&id, name, id == v.organization_id))
        .collect())
}

/// A service's locations to choose from: the organisation's own.
async fn location_choices(
    app: &AppState,
    s: &Session,
    t: &Tr,
    kind: Kind,
    v: &EntryInput,
) -> Result<Vec<Choice>, PageErr> {
    if kind != Kind::Service {
        return Ok(Vec::new());
    }
    let own = review::list_own(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    Ok(own
        .into_iter()
        .filter(|l| l.kind == Kind::Location)
        .map(|l| Choice::new(&l.id, l.name, v.location_ids.contains(&l.id)))
        .collect())
}

/// The language the entry is written in (the reader's for a new one) and a block for each
/// other language.
fn languages(t: &Tr, v: &EntryInput) -> (Vec<Choice>, Vec<LangBlock>) {
    let source = if v.source_lang.is_empty() {
        t.lang().to_owned()
    } else {
        v.source_lang.clone()
    };
    let source_langs = LANGS
        .iter()
        .map(|c| Choice::new(c, lang_name(c), *c == source))
        .collect();
    let translations = LANGS
        .iter()
        .filter(|c| **c != source)
        .map(|c| {
            let p = v
                .translations
                .get(*c)
                .cloned()
                .unwrap_or(TextPair::default());
            LangBlock {
                code: c,
                label: lang_name(c),
                name: p.name,
                description: p.description,
            }
        })
        .collect();
    (source_langs, translations)
}

fn days(t: &Tr, v: &EntryInput) -> Vec<DayRow> {
    DAYS.iter()
        .map(|d| {
            let h = v.hours.iter().find(|h| h.day.eq_ignore_ascii_case(d));
            DayRow {
                code: d,
                label: t.t(&format!("dir-day-{}", d.to_ascii_lowercase())),
                opens: h.map(|h| h.opens.clone()).unwrap_or_default(),
                closes: h.map(|h| h.closes.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The choices that do not depend on the database: spoken languages, needs, statuses.
fn fixed_choices(t: &Tr, v: &EntryInput) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>) {
    let spoken = SPOKEN
        .iter()
        .map(|(c, n)| Choice::new(c, (*n).to_owned(), v.languages.iter().any(|l| l == c)))
        .collect();
    let needs = haven_core::directory::hsds::NEED_TERMS
        .iter()
        .map(|(_, code, _, _)| {
            let label = t.t(&format!("dir-need-{code}"));
            Choice::new(code, label, v.needs.iter().any(|n| n == code))
        })
        .collect();
    let statuses = ["active", "temporarily closed", "inactive", "defunct"]
        .iter()
        .map(|st| {
            let label = t.t(&format!("dir-service-status-{}", st.replace(' ', "-")));
            Choice::new(
                st,
                label,
                v.status == *st || (v.status.is_empty() && *st == "active"),
            )
        })
        .collect();
    (spoken, needs, statuses)
}

/// What the form is about: a new entry of `kind`, or entry `id` (with its state beside
/// the form).
struct Editing<'a> {
    kind: Kind,
    id: Option<&'a str>,
    existing: Option<ExistingInfo>,
}

async fn form_page(
    StaffPage { app, s, t, chrome }: StaffPage,
    of: Editing<'_>,
    values: FormValues,
    errors: FormErrors,
) -> Result<FormPage, PageErr> {
    let v = values.input;
    let orgs = org_choices(&app, &s, &t, &v).await?;
    let locations = location_choices(&app, &s, &t, of.kind, &v).await?;
    let (source_langs, translations) = languages(&t, &v);
    let (spoken, needs, statuses) = fixed_choices(&t, &v);
    let kind = of.kind.as_str();
    let (title, action) = match of.id {
        None => (t.t(&format!("dir-new-{kind}")), format!("{INDEX}/{kind}")),
        Some(id) => (
            t.t(&format!("dir-edit-{kind}")),
            format!("{INDEX}/{kind}/{id}"),
        ),
    };
    Ok(FormPage {
        chrome,
        kind,
        title,
        action,
        errors,
        phones: values.phones,
        documents: values.documents,
        days: days(&t, &v),
        v,
        source_langs,
        translations,
        spoken,
        needs,
        statuses,
        orgs,
        locations,
        existing: of.existing,
        t,
    })
}

fn existing_info(t: &Tr, e: &review::Editing) -> ExistingInfo {
    ExistingInfo {
        status: status_label(t, e.status),
        rejected_reason: e
            .last_review
            .as_ref()
            .filter(|r| !r.approved && e.status == Status::Rejected)
            .map(|r| r.reason.clone())
            .unwrap_or_default(),
        reviewed: e
            .last_review
            .as_ref()
            .map(|r| format!("{} ({})", r.reviewer, fmt_ts(r.reviewed_at)))
            .unwrap_or_default(),
        checked: date(e.last_checked_at),
        stale: e.stale,
        published: e.published.is_some(),
        check_action: format!("{INDEX}/{}/{}/checked", e.kind.as_str(), e.id),
    }
}

pub async fn new(p: StaffPage, Id(DirKind(kind)): Id<DirKind>) -> PageResult {
    let orgs = review::own_organizations(&p.app.ctx, &p.s.actor)
        .await
        .map_err(p.t.page())?;
    let input = EntryInput {
        source_lang: p.t.lang().to_owned(),
        organization_id: orgs.first().map(|o| o.0.clone()).unwrap_or_default(),
        status: "active".into(),
        ..EntryInput::default()
    };
    let of = Editing {
        kind,
        id: None,
        existing: None,
    };
    let values = FormValues::from_input(input);
    let page = form_page(p, of, values, FormErrors::default()).await?;
    Ok(render(&page))
}

/// Saves a posted entry (a new one, or entry `id`) as a draft and goes to the list; a
/// refused one is the form again (422) with what was typed.
async fn saved_or_form(p: StaffPage, kind: Kind, id: Option<String>, v: Typed) -> PageResult {
    let values = FormValues::from_typed(&v).map_err(p.t.page())?;
    let saved = review::save(&p.app.ctx, &p.s.actor, kind, id.as_deref(), &values.input).await;
    let fields = match saved {
        Ok(_) => return Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => fields,
        Err(e) => return Err(p.t.page()(e)),
    };
    let errors = FormErrors::from_fields(&p.t, &fields);
    let existing = match &id {
        Some(id) => {
            let e = review::get(&p.app.ctx, &p.s.actor, kind, id)
                .await
                .map_err(p.t.page())?;
            Some(existing_info(&p.t, &e))
        }
        None => None,
    };
    let of = Editing {
        kind,
        id: id.as_deref(),
        existing,
    };
    let page = form_page(p, of, values, errors).await?;
    Ok(render_refused(&page))
}

pub async fn create(
    p: StaffPage,
    Id(DirKind(kind)): Id<DirKind>,
    Form(v): Form<Typed>,
) -> PageResult {
    saved_or_form(p, kind, None, v).await
}

pub async fn edit(p: StaffPage, Id((DirKind(kind), id)): Id<(DirKind, String)>) -> PageResult {
    let e = review::get(&p.app.ctx, &p.s.actor, kind, &id)
        .await
        .map_err(p.t.page())?;
    let input = e
        .current()
        .map(|c| EntryInput::from_entry(kind, c))
        .unwrap_or_default();
    let of = Editing {
        kind,
        id: Some(&id),
        existing: Some(existing_info(&p.t, &e)),
    };
    let values = FormValues::from_input(input);
    let page = form_page(p, of, values, FormErrors::default()).await?;
    Ok(render(&page))
}

pub async fn update(
    p: StaffPage,
    Id((DirKind(kind), id)): Id<(DirKind, String)>,
    Form(v): Form<Typed>,
) -> PageResult {
    saved_or_form(p, kind, Some(id), v).await
}

pub async fn checked(
    StaffPage { app, s, t, .. }: StaffPage,
    Id((DirKind(kind), id)): Id<(DirKind, String)>,
) -> PageResult {
    // Another organisation's entry is "not found", as everywhere in the workflow.
    review::get(&app.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    directory::mark_checked(&app.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    Ok(see_other(INDEX))
}
