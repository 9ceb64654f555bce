//! The hub officer's pages: the reports of their hub, one report with its conversation
//! (answer, close), and recording a report made in person or by phone, whose receipt code
//! is shown once to hand to the reporter. The core checks the permission and that the
//! officer's organisation is a reporting hub, and audits every read.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use haven_core::content::LANGUAGES;
use haven_core::hub::{self, Category, Channel, MessageInput, Report, ReportInput, ReporterRole};
use haven_core::ids::ReportId;
use haven_core::Error;
use serde::Deserialize;

use super::forms::{Field, FormView, Typed};
use super::{see_other, PageResult};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::views::{fmt_hub_time, render, Chrome, FormErrors};

const INDEX: &str = "/staff/hub/reports";

/// A category's name for staff, as the public form names it (see `category_label`).
fn category(t: &Tr, cats: &[Category], code: &str) -> String {
    crate::site::report::category_label(t, cats, code)
}

pub struct Row {
    pub href: String,
    pub reported: String,
    pub category: String,
    pub occurred: String,
    pub role: String,
    pub channel: String,
    pub messages: i64,
    pub awaiting: bool,
}

#[derive(Template)]
#[template(path = "hub_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub closed: bool,
    pub rows: Vec<Row>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    closed: Option<String>,
}

pub async fn index(
    StaffPage { app, s, t, chrome }: StaffPage,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let closed = q.closed.as_deref() == Some("1");
    let list = hub::list(&app.ctx, &s.actor, closed)
        .await
        .map_err(t.page())?;
    let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
    let rows = list
        .into_iter()
        .map(|r| Row {
            href: format!("{INDEX}/{}", r.id),
            reported: fmt_hub_time(r.created_at, r.channel == hub::Channel::Online),
            category: category(&t, &cats, &r.category),
            occurred: r.occurred,
            role: t.t(&format!("hub-role-{}", r.reporter_role.as_str())),
            channel: t.t(&format!("hub-channel-{}", r.channel.as_str())),
            messages: r.messages,
            awaiting: r.awaiting_hub,
        })
        .collect();
    Ok(render(&IndexPage {
        t,
        chrome,
        closed,
        rows,
    }))
}

#[derive(Template)]
#[template(path = "hub_show.html")]
pub struct ShowPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub action: String,
    pub facts: Vec<(String, String)>,
    pub what: String,
    pub open: bool,
    pub version: i64,
    pub messages: Vec<(bool, String, String)>,
    pub errors: FormErrors,
}

fn show_page(
    app: &crate::AppState,
    (t, chrome): (Tr, Chrome),
    cats: &[Category],
    r: Report,
) -> ShowPage {
    let s = &r.summary;
    let language = app.site_i18n.tr(&s.language).t("language-name");
    let yes_no = |b: bool| t.t(if b { "yes" } else { "no" });
    let mut facts = vec![
        (t.t("field-category"), category(&t, cats, &s.category)),
        (t.t("field-occurred"), s.occurred.clone()),
    ];
    if let Some(w) = &r.data.when_detail {
        facts.push((t.t("field-when_detail"), w.clone()));
    }
    if let Some(p) = &r.data.place {
        facts.push((t.t("field-place"), p.clone()));
    }
    facts.extend([
        (
            t.t("field-reporter_role"),
            t.t(&format!("hub-role-{}", s.reporter_role.as_str())),
        ),
        (
            t.t("field-channel"),
            t.t(&format!("hub-channel-{}", s.channel.as_str())),
        ),
        (t.t("hub-answer-in"), language.to_owned()),
        (t.t("field-may_contact"), yes_no(r.data.may_contact)),
    ]);
    if let Some(c) = &r.data.contact {
        facts.push((t.t("field-contact"), c.clone()));
    }
    let online = s.channel == hub::Channel::Online;
    facts.push((t.t("hub-reported"), fmt_hub_time(s.created_at, online)));
    facts.push((
        t.t("hub-status"),
        t.t(&format!("hub-status-{}", s.status.as_str())),
    ));
    ShowPage {
        action: format!("{INDEX}/{}", s.id),
        what: r.data.what.clone(),
        open: s.status == hub::ReportStatus::Open,
        version: r.version,
        messages: r
            .messages
            .iter()
            .map(|m| {
                (
                    m.from_hub,
                    fmt_hub_time(m.created_at, !m.from_hub),
                    m.text.clone(),
                )
            })
            .collect(),
        facts,
        errors: FormErrors::default(),
        chrome,
        t,
    }
}

pub async fn show(StaffPage { app, s, t, chrome }: StaffPage, Id(id): Id<ReportId>) -> PageResult {
    let report = hub::get(&app.ctx, &s.actor, id).await.map_err(t.page())?;
    let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
    Ok(render(&show_page(&app, (t, chrome), &cats, report)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    text: Option<String>,
}

pub async fn answer(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<ReportId>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    let input = MessageInput { text: f.text };
    match hub::answer(&app.ctx, &s.actor, id, &input).await {
        Ok(_) => Ok(see_other(&format!("{INDEX}/{id}"))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let report = hub::get(&app.ctx, &s.actor, id).await.map_err(t.page())?;
            let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
            let mut page = show_page(&app, (t, chrome), &cats, report);
            let (status, fields) = match e {
                Error::Invalid(fields) => (StatusCode::UNPROCESSABLE_ENTITY, fields),
                Error::Conflict(code) => (
                    StatusCode::CONFLICT,
                    vec![haven_core::FieldError::new("text", code)],
                ),
                _ => (StatusCode::UNPROCESSABLE_ENTITY, Vec::new()),
            };
            page.errors = FormErrors::from_fields(&page.t, &fields);
            Ok((status, render(&page)).into_response())
        }
        Err(e) => Err(t.page()(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    version: String,
}

pub async fn close(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(id): Id<ReportId>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    let version = f.version.trim().parse::<i64>().ok();
    hub::close(&app.ctx, &s.actor, id, version)
        .await
        .map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}")))
}

/// Each public-site language, named in its own language.
fn language_names(app: &crate::AppState) -> Vec<(String, String)> {
    LANGUAGES
        .iter()
        .map(|(c, _)| ((*c).to_owned(), app.site_i18n.tr(c).t("language-name")))
        .collect()
}

fn record_form(
    t: &Tr,
    chrome: Chrome,
    v: &Typed,
    cats: &[Category],
    languages: Vec<(String, String)>,
) -> FormView {
    let channels = [Channel::InPerson, Channel::Phone]
        .iter()
        .map(|c| {
            (
                c.as_str().to_owned(),
                t.t(&format!("hub-channel-{}", c.as_str())),
            )
        })
        .collect();
    let categories = cats
        .iter()
        .map(|c| (c.code.clone(), category(t, cats, &c.code)))
        .collect();
    let roles = ReporterRole::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                t.t(&format!("hub-role-{}", r.as_str())),
            )
        })
        .collect();
    let contact = vec![("yes".to_owned(), t.t("yes")), ("no".to_owned(), t.t("no"))];
    let fields = vec![
        Field::select(t, "channel", v, channels, true),
        Field::select(t, "category", v, categories, true),
        Field::text(t, "occurred", v).hint(t.t("hint-month")),
        Field::text(t, "when_detail", v),
        Field::text(t, "place", v),
        Field::area(t, "what", v),
        Field::select(t, "reporter_role", v, roles, true),
        Field::select(t, "may_contact", v, contact, true),
        Field::text(t, "contact", v).hint(t.t("hint-hub-contact")),
        Field::select(t, "language", v, languages, true).label(t.t("hub-answer-in")),
    ];
    FormView::new(
        t,
        chrome,
        t.t("hub-record-title"),
        INDEX.to_owned(),
        fields,
        INDEX.to_owned(),
    )
    .intro(t.t("hub-record-intro"))
    .submit(t.t("hub-record-submit"))
}

pub async fn new(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let cats = hub::officer_categories(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let languages = language_names(&app);
    Ok(render(&record_form(
        &t,
        chrome,
        &Typed::default(),
        &cats,
        languages,
    )))
}

#[derive(Template)]
#[template(path = "hub_recorded.html")]
pub struct RecordedPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub href: String,
    pub code: String,
}

pub async fn create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Form(v): Form<Typed>,
) -> PageResult {
    let input: ReportInput = v.input().map_err(t.page())?;
    let channel = v.get("channel");
    match hub::record(&app.ctx, &s.actor, &input, &channel).await {
        Ok((id, code)) => Ok(render(&RecordedPage {
            href: format!("{INDEX}/{id}"),
            code: code.grouped(),
            chrome,
            t,
        })),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let cats = hub::categories(&app.ctx).await.map_err(t.page())?;
            record_form(&t, chrome, &v, &cats, language_names(&app))
                .refused(e)
                .map_err(t.page())
        }
        Err(e) => Err(t.page()(e)),
    }
}
