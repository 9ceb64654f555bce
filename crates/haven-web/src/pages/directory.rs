//! The services directory's editing and review pages (issue 5): partner staff keep their
//! own organisation's entries, a municipal editor reviews each draft next to the
//! published text and approves or rejects it.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::directory::form::{Change, EntryInput, HoursRow, Shown, TextPair, DAYS, LANGS};
use haven_core::directory::review::{self, Status};
use haven_core::directory::{self, Kind};
use haven_core::{Error, Permission};

use super::see_other;
use crate::auth::Staff;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{fmt_ts, render, Chrome, FormErrors};
use crate::AppState;

const INDEX: &str = "/staff/directory";
const QUEUE: &str = "/staff/directory/review";

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

pub(crate) fn parse_kind(s: &str) -> Result<Kind, Error> {
    match s {
        "organization" => Ok(Kind::Organization),
        "service" => Ok(Kind::Service),
        "location" => Ok(Kind::Location),
        _ => Err(Error::NotFound),
    }
}

fn status_label(t: &Tr, s: Status) -> String {
    t.t(match s {
        Status::Published => "dir-status-published",
        Status::Pending => "dir-status-pending",
        Status::Rejected => "dir-status-rejected",
    })
}

fn kind_label(t: &Tr, k: Kind) -> String {
    t.t(&format!("dir-kind-{}", k.as_str()))
}

fn date(ts: Option<i64>) -> String {
    ts.map(|t| fmt_ts(t).chars().take(10).collect())
        .unwrap_or_default()
}

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

pub async fn index(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let ctx = &state.ctx;
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
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
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

    /// Reads the posted form. Repeated keys (`languages`, `location_ids`) need a list of
    /// pairs rather than a struct.
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut i = EntryInput::default();
        let mut phones = String::new();
        let mut documents = String::new();
        let mut hours: Vec<HoursRow> = DAYS
            .iter()
            .map(|d| HoursRow {
                day: (*d).to_owned(),
                ..HoursRow::default()
            })
            .collect();
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "organization_id" => i.organization_id = v,
                "source_lang" => i.source_lang = v,
                "name" => i.name = v,
                "description" => i.description = v,
                "status" => i.status = v,
                "phones" => phones = v,
                "email" => i.email = v,
                "url" => i.url = v,
                "languages" => i.languages.push(v),
                "free" => i.free = true,
                "fees" => i.fees = v,
                "no_documents" => i.no_documents = true,
                "documents" => documents = v,
                "eligibility" => i.eligibility = v,
                "service_area" => i.service_area = v,
                "no_data_to_immigration" => i.no_data_to_immigration = true,
                "anonymous" => i.anonymous = true,
                "confidential" => i.confidential = true,
                "address_street" => i.address.street = v,
                "address_postal_code" => i.address.postal_code = v,
                "address_city" => i.address.city = v,
                "address_country" => i.address.country = v,
                "location_ids" => i.location_ids.push(v),
                "needs" => i.needs.push(v),
                other => {
                    if let Some((field, lang)) = other.split_once('_') {
                        if LANGS.contains(&lang) {
                            let pair = i.translations.entry(lang.to_owned()).or_default();
                            match field {
                                "name" => pair.name = v,
                                "description" => pair.description = v,
                                _ => {}
                            }
                            continue;
                        }
                    }
                    if let Some(day) = other.strip_prefix("opens_") {
                        if let Some(h) = hours.iter_mut().find(|h| h.day == day) {
                            h.opens = v;
                        }
                    } else if let Some(day) = other.strip_prefix("closes_") {
                        if let Some(h) = hours.iter_mut().find(|h| h.day == day) {
                            h.closes = v;
                        }
                    }
                }
            }
        }
        i.translations
            .retain(|_, p| !(p.name.trim().is_empty() && p.description.trim().is_empty()));
        i.phones = phones.lines().map(str::to_owned).collect();
        i.documents = documents.lines().map(str::to_owned).collect();
        i.hours = hours;
        Self {
            input: i,
            phones,
            documents,
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

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
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

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    s: &haven_core::users::Session,
    t: Tr,
    path: &str,
    kind: Kind,
    id: Option<&str>,
    values: FormValues,
    errors: FormErrors,
    existing: Option<ExistingInfo>,
) -> Result<FormPage, PageErr> {
    let ctx = &state.ctx;
    let v = values.input;
    let mut org_list = review::own_organizations(ctx, &s.actor)
        .await
        .map_err(t.page())?;
    if !v.organization_id.is_empty() && !org_list.iter().any(|o| o.0 == v.organization_id) {
        // A reviewer editing another organisation's entry keeps its organisation.
        org_list.push((v.organization_id.clone(), v.organization_id.clone()));
    }
    let orgs = org_list
        .iter()
        .map(|(id, name)| Choice {
            selected: *id == v.organization_id,
            value: id.clone(),
            label: name.clone(),
        })
        .collect();
    let mut locations = Vec::new();
    if kind == Kind::Service {
        for l in review::list_own(ctx, &s.actor)
            .await
            .map_err(t.page())?
            .into_iter()
            .filter(|l| l.kind == Kind::Location)
        {
            locations.push(Choice {
                selected: v.location_ids.contains(&l.id),
                value: l.id,
                label: l.name,
            });
        }
    }
    let lang_name = |c: &str| {
        SPOKEN
            .iter()
            .find(|s| s.0 == c)
            .map(|s| s.1.to_owned())
            .unwrap_or_else(|| c.to_owned())
    };
    let source = if v.source_lang.is_empty() {
        t.lang().to_owned()
    } else {
        v.source_lang.clone()
    };
    let source_langs = LANGS
        .iter()
        .map(|c| Choice {
            value: (*c).to_owned(),
            label: lang_name(c),
            selected: *c == source,
        })
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
    let days = DAYS
        .iter()
        .map(|d| {
            let h = v.hours.iter().find(|h| h.day.eq_ignore_ascii_case(d));
            DayRow {
                code: d,
                label: t.t(&format!("dir-day-{}", d.to_ascii_lowercase())),
                opens: h.map(|h| h.opens.clone()).unwrap_or_default(),
                closes: h.map(|h| h.closes.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let spoken = SPOKEN
        .iter()
        .map(|(c, n)| Choice {
            value: (*c).to_owned(),
            label: (*n).to_owned(),
            selected: v.languages.iter().any(|l| l == c),
        })
        .collect();
    let needs = haven_core::directory::hsds::NEED_TERMS
        .iter()
        .map(|(_, code, _, _)| Choice {
            value: (*code).to_owned(),
            label: t.t(&format!("dir-need-{code}")),
            selected: v.needs.iter().any(|n| n == code),
        })
        .collect();
    let statuses = ["active", "temporarily closed", "inactive", "defunct"]
        .iter()
        .map(|st| Choice {
            value: (*st).to_owned(),
            label: t.t(&format!("dir-service-status-{}", st.replace(' ', "-"))),
            selected: v.status == *st || (v.status.is_empty() && *st == "active"),
        })
        .collect();
    let (title, action) = match id {
        None => (
            t.t(&format!("dir-new-{}", kind.as_str())),
            format!("{INDEX}/{}", kind.as_str()),
        ),
        Some(id) => (
            t.t(&format!("dir-edit-{}", kind.as_str())),
            format!("{INDEX}/{}/{id}", kind.as_str()),
        ),
    };
    Ok(FormPage {
        chrome: Chrome::staff(s, &t, path, state.cfg.demo),
        kind: kind.as_str(),
        title,
        action,
        errors,
        phones: values.phones,
        documents: values.documents,
        v,
        source_langs,
        translations,
        days,
        spoken,
        needs,
        statuses,
        orgs,
        locations,
        existing,
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

pub async fn new(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(kind): Path<String>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    let orgs = review::own_organizations(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let input = EntryInput {
        source_lang: t.lang().to_owned(),
        organization_id: orgs.first().map(|o| o.0.clone()).unwrap_or_default(),
        status: "active".into(),
        ..EntryInput::default()
    };
    let page = form_page(
        &state,
        &s,
        t,
        uri.path(),
        kind,
        None,
        FormValues::from_input(input),
        FormErrors::default(),
        None,
    )
    .await?;
    Ok(render(&page))
}

#[allow(clippy::too_many_arguments)]
async fn saved_or_form(
    state: AppState,
    t: Tr,
    uri: OriginalUri,
    s: haven_core::users::Session,
    kind: Kind,
    id: Option<String>,
    pairs: Vec<(String, String)>,
) -> Result<Response, PageErr> {
    let values = FormValues::from_pairs(&pairs);
    match review::save(&state.ctx, &s.actor, kind, id.as_deref(), &values.input).await {
        Ok(_) => Ok(see_other(INDEX)),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let existing = match &id {
                Some(id) => {
                    let e = review::get(&state.ctx, &s.actor, kind, id)
                        .await
                        .map_err(t.page())?;
                    Some(existing_info(&t, &e))
                }
                None => None,
            };
            let page = form_page(
                &state,
                &s,
                t,
                uri.path(),
                kind,
                id.as_deref(),
                values,
                errors,
                existing,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path(kind): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    saved_or_form(state, t, uri, s, kind, None, pairs).await
}

pub async fn edit(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    let e = review::get(&state.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    let input = e
        .current()
        .map(|c| EntryInput::from_entry(kind, c))
        .unwrap_or_default();
    let info = existing_info(&t, &e);
    let page = form_page(
        &state,
        &s,
        t,
        uri.path(),
        kind,
        Some(&id),
        FormValues::from_input(input),
        FormErrors::default(),
        Some(info),
    )
    .await?;
    Ok(render(&page))
}

pub async fn update(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path((kind, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    saved_or_form(state, t, uri, s, kind, Some(id), pairs).await
}

pub async fn checked(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    // Another organisation's entry is "not found", as everywhere in the workflow.
    review::get(&state.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    directory::mark_checked(&state.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    Ok(see_other(INDEX))
}

pub struct ChangeRow {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn shown(t: &Tr, s: &Option<Shown>) -> String {
    match s {
        None => String::new(),
        Some(Shown::Text(x)) => x.clone(),
        Some(Shown::Flag(b)) => t.t(if *b { "yes" } else { "no" }),
    }
}

fn change_rows(t: &Tr, changes: Vec<Change>) -> Vec<ChangeRow> {
    changes
        .into_iter()
        .map(|c| ChangeRow {
            field: t.t(&format!("field-{}", c.field)),
            before: shown(t, &c.before),
            after: shown(t, &Some(c.after)),
        })
        .collect()
}

pub struct QueueRow {
    pub href: String,
    pub kind: String,
    pub name: String,
    pub submitted: String,
    pub is_new: bool,
    pub changed: usize,
}

#[derive(Template)]
#[template(path = "directory_queue.html")]
pub struct QueuePage {
    pub t: Tr,
    pub chrome: Chrome,
    pub rows: Vec<QueueRow>,
}

pub async fn queue(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
) -> Result<Response, PageErr> {
    let q = review::queue(&state.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let rows = q
        .into_iter()
        .map(|p| QueueRow {
            href: format!("{QUEUE}/{}/{}", p.kind.as_str(), p.id),
            kind: kind_label(&t, p.kind),
            name: p.name,
            submitted: fmt_ts(p.draft_at),
            is_new: !p.published_before,
            changed: p.changes.len(),
        })
        .collect();
    let page = QueuePage {
        rows,
        chrome: Chrome::staff(&s, &t, uri.path(), state.cfg.demo),
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "directory_review.html")]
pub struct ReviewPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub kind: String,
    pub name: String,
    pub is_new: bool,
    pub changes: Vec<ChangeRow>,
    pub approve_action: String,
    pub reject_action: String,
    pub errors: FormErrors,
    pub reason: String,
}

#[allow(clippy::too_many_arguments)]
async fn review_page(
    state: &AppState,
    s: &haven_core::users::Session,
    t: Tr,
    path: &str,
    kind: Kind,
    id: &str,
    errors: FormErrors,
    reason: String,
) -> Result<ReviewPage, PageErr> {
    let e = review::get(&state.ctx, &s.actor, kind, id)
        .await
        .map_err(t.page())?;
    if e.status != Status::Pending {
        return Err(t.page()(Error::Conflict("err-directory-no-draft")));
    }
    let name = e
        .draft
        .as_ref()
        .and_then(|d| d.hsds.get("name").and_then(|n| n.as_str()))
        .unwrap_or("")
        .to_owned();
    Ok(ReviewPage {
        chrome: Chrome::staff(s, &t, path, state.cfg.demo),
        kind: kind_label(&t, kind),
        name,
        is_new: e.published.is_none(),
        changes: change_rows(&t, e.changes()),
        approve_action: format!("{QUEUE}/{}/{id}/approve", kind.as_str()),
        reject_action: format!("{QUEUE}/{}/{id}/reject", kind.as_str()),
        errors,
        reason,
        t,
    })
}

pub async fn show_review(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    let page = review_page(
        &state,
        &s,
        t,
        uri.path(),
        kind,
        &id,
        FormErrors::default(),
        String::new(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn approve(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    review::approve(&state.ctx, &s.actor, kind, &id)
        .await
        .map_err(t.page())?;
    Ok(see_other(QUEUE))
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct RejectForm {
    pub reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    t: Tr,
    uri: OriginalUri,
    Staff(s): Staff,
    Path((kind, id)): Path<(String, String)>,
    Form(f): Form<RejectForm>,
) -> Result<Response, PageErr> {
    let kind = parse_kind(&kind).map_err(t.page())?;
    match review::reject(&state.ctx, &s.actor, kind, &id, &f.reason).await {
        Ok(()) => Ok(see_other(QUEUE)),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let page = review_page(&state, &s, t, uri.path(), kind, &id, errors, f.reason).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}
