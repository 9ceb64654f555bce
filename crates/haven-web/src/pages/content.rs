//! Editing the public site: pages, questions and stories in every language, with the
//! draft → reviewed → published workflow and out-of-date flags on translations.

use askama::Template;
use axum::response::Response;
use axum::Form;
use haven_core::content::{self, Item, ItemInput, Kind, Status, TextInput, LANGUAGES, SOURCE};
use haven_core::ids::ContentId;
use haven_core::users::Session;
use haven_core::{Error, Permission};
use serde::Deserialize;

use super::see_other;
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{fmt_ts, render, render_refused, Chrome, FormErrors};
use crate::AppState;

const INDEX: &str = "/staff/content";

/// One language of an item in the list: a link and its state in words.
pub struct Cell {
    pub lang: &'static str,
    pub href: String,
    pub state: String,
    pub out_of_date: bool,
}

pub struct Row {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub note: String,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "content_index.html")]
pub struct IndexPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub langs: Vec<&'static str>,
    pub rows: Vec<Row>,
}

fn status_label(t: &Tr, s: Status) -> String {
    t.t(&format!("content-status-{}", s.as_str()))
}

fn story_note(t: &Tr, item: &Item) -> String {
    if item.withdrawn {
        t.t("content-withdrawn")
    } else if item.expired {
        t.t("content-expired")
    } else if let Some(e) = item.expires_at {
        t.t1("content-expires", "date", fmt_ts(e).get(..10).unwrap_or(""))
    } else {
        String::new()
    }
}

pub async fn index(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let items = content::list(&app.ctx, &s.actor).await.map_err(t.page())?;
    let rows = items
        .iter()
        .map(|item| Row {
            kind: t.t(&format!("content-kind-{}", item.kind.as_str())),
            slug: item.slug.clone(),
            title: item
                .translations
                .iter()
                .find(|tr| tr.lang == SOURCE)
                .map(|tr| tr.title.clone())
                .unwrap_or_default(),
            note: story_note(&t, item),
            cells: LANGUAGES
                .iter()
                .map(|(lang, _)| {
                    let tr = item.translations.iter().find(|x| x.lang == *lang);
                    Cell {
                        lang,
                        href: format!("{INDEX}/{}/{lang}", item.id),
                        state: tr
                            .map(|x| status_label(&t, x.status))
                            .unwrap_or_else(|| "–".to_owned()),
                        out_of_date: tr.is_some_and(|x| x.out_of_date),
                    }
                })
                .collect(),
        })
        .collect();
    let page = IndexPage {
        langs: LANGUAGES.iter().map(|(c, _)| *c).collect(),
        rows,
        chrome,
        t,
    };
    Ok(render(&page))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NewForm {
    pub kind: String,
    pub slug: String,
    pub section: String,
    pub position: String,
    pub speaker: String,
    pub consent_on: String,
    pub expires_on: String,
}

#[derive(Template)]
#[template(path = "content_new.html")]
pub struct NewPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub v: NewForm,
    pub kinds: Vec<(&'static str, String)>,
}

fn new_page(t: Tr, chrome: Chrome, v: NewForm, errors: FormErrors) -> NewPage {
    NewPage {
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), t.t(&format!("content-kind-{}", k.as_str()))))
            .collect(),
        t,
        chrome,
        errors,
        v,
    }
}

pub async fn new(StaffPage { t, chrome, .. }: StaffPage) -> Response {
    render(&new_page(
        t,
        chrome,
        NewForm::default(),
        FormErrors::default(),
    ))
}

pub async fn create(
    StaffPage { app, s, t, chrome }: StaffPage,
    Form(f): Form<NewForm>,
) -> PageResult {
    let opt = |v: &str| (!v.trim().is_empty()).then(|| v.to_owned());
    let input = ItemInput {
        kind: f.kind.clone(),
        slug: f.slug.clone(),
        section: f.section.clone(),
        position: f.position.trim().parse().ok(),
        speaker: opt(&f.speaker),
        consent_on: opt(&f.consent_on),
        expires_on: opt(&f.expires_on),
    };
    match content::create(&app.ctx, &s.actor, &input).await {
        Ok(id) => Ok(see_other(&format!("{INDEX}/{id}/{SOURCE}"))),
        Err(Error::Invalid(fields)) => {
            let errors = FormErrors::from_fields(&t, &fields);
            let page = new_page(t, chrome, f, errors);
            Ok(render_refused(&page))
        }
        Err(e) => Err(t.page()(e)),
    }
}

/// The English text beside a translation, so the translator sees what changed.
pub struct Source {
    pub title: String,
    pub summary: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "content_edit.html")]
pub struct EditPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub action: String,
    pub lang: &'static str,
    pub lang_name: String,
    pub lang_dir: &'static str,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub state: String,
    pub history: Vec<String>,
    pub out_of_date: bool,
    pub source: Option<Source>,
    pub can_review: bool,
    pub can_publish: bool,
    pub is_story: bool,
    pub withdrawn: bool,
    pub public_href: String,
    pub withdraw_action: String,
    pub other_langs: Vec<(&'static str, String)>,
}

fn lang_code(lang: &str) -> Result<&'static str, Error> {
    LANGUAGES
        .iter()
        .map(|(c, _)| *c)
        .find(|c| *c == lang)
        .ok_or(Error::NotFound)
}

#[allow(clippy::too_many_arguments)]
fn edit_page(
    app: &AppState,
    t: Tr,
    chrome: Chrome,
    item: &Item,
    lang: &'static str,
    typed: Option<&TextForm>,
    errors: FormErrors,
    reviewer: bool,
) -> EditPage {
    let tr = item.translations.iter().find(|x| x.lang == lang);
    let en = item.translations.iter().find(|x| x.lang == SOURCE);
    let mut history = Vec::new();
    if let Some(x) = tr {
        history.push(t.t1("content-edited-at", "date", fmt_ts(x.edited_at)));
        if let (Some(by), Some(at)) = (&x.reviewed_by, x.reviewed_at) {
            history.push(format!(
                "{} {}",
                t.t1("content-reviewed-by", "name", by),
                fmt_ts(at)
            ));
        }
        if let Some(at) = x.published_at {
            history.push(t.t1("content-published-at", "date", fmt_ts(at)));
        }
    }
    let (title, summary, body) = match (typed, tr) {
        (Some(f), _) => (f.title.clone(), f.summary.clone(), f.body.clone()),
        (None, Some(x)) => (x.title.clone(), x.summary.clone(), x.body.clone()),
        (None, None) => Default::default(),
    };
    let public_href = match item.kind {
        Kind::Page => format!("/{lang}/topics/{}", item.slug),
        Kind::Qa => format!("/{lang}/questions#{}", item.slug),
        Kind::Story => format!("/{lang}/stories#{}", item.slug),
    };
    EditPage {
        action: format!("{INDEX}/{}/{lang}", item.id),
        lang,
        lang_name: app.site_i18n.tr(lang).t("language-name"),
        lang_dir: content::dir(lang),
        kind: t.t(&format!("content-kind-{}", item.kind.as_str())),
        slug: item.slug.clone(),
        title,
        summary,
        body,
        state: tr
            .map(|x| status_label(&t, x.status))
            .unwrap_or_else(|| t.t("content-status-none")),
        history,
        out_of_date: tr.is_some_and(|x| x.out_of_date),
        source: en.filter(|_| lang != SOURCE).map(|x| Source {
            title: x.title.clone(),
            summary: x.summary.clone(),
            body: x.body.clone(),
        }),
        can_review: reviewer && tr.is_some_and(|x| x.status == Status::Draft),
        can_publish: reviewer && tr.is_some_and(|x| x.status == Status::Reviewed),
        is_story: item.kind == Kind::Story,
        withdrawn: item.withdrawn,
        public_href,
        withdraw_action: format!("{INDEX}/{}/withdraw", item.id),
        other_langs: LANGUAGES
            .iter()
            .map(|(c, _)| (*c, format!("{INDEX}/{}/{c}", item.id)))
            .collect(),
        t,
        chrome,
        errors,
    }
}

pub async fn edit(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id((id, lang)): Id<(ContentId, String)>,
) -> PageResult {
    let lang = lang_code(&lang).map_err(t.page())?;
    let item = content::get(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let reviewer = s.actor.can(Permission::ContentReview);
    let errors = FormErrors::default();
    let page = edit_page(&app, t, chrome, &item, lang, None, errors, reviewer);
    Ok(render(&page))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TextForm {
    pub title: String,
    pub summary: String,
    pub body: String,
}

pub async fn save(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id((id, lang)): Id<(ContentId, String)>,
    Form(f): Form<TextForm>,
) -> PageResult {
    let lang = lang_code(&lang).map_err(t.page())?;
    let input = TextInput {
        title: f.title.clone(),
        summary: f.summary.clone(),
        body: f.body.clone(),
    };
    match content::save(&app.ctx, &s.actor, id, lang, &input).await {
        Ok(()) => Ok(see_other(&format!("{INDEX}/{id}/{lang}"))),
        Err(Error::Invalid(fields)) => {
            let item = content::get(&app.ctx, &s.actor, id)
                .await
                .map_err(t.page())?;
            let errors = FormErrors::from_fields(&t, &fields);
            let reviewer = s.actor.can(Permission::ContentReview);
            let page = edit_page(&app, t, chrome, &item, lang, Some(&f), errors, reviewer);
            Ok(render_refused(&page))
        }
        Err(e) => Err(t.page()(e)),
    }
}

/// A step of the workflow on one language of an item, then back to its page.
#[derive(Clone, Copy)]
enum Step {
    Review,
    Publish,
    Confirm,
}

async fn step(
    app: &AppState,
    s: &Session,
    t: &Tr,
    (id, lang): (ContentId, String),
    which: Step,
) -> PageResult {
    let lang = lang_code(&lang).map_err(t.page())?;
    let done = match which {
        Step::Review => content::review(&app.ctx, &s.actor, id, lang).await,
        Step::Publish => content::publish(&app.ctx, &s.actor, id, lang).await,
        Step::Confirm => content::confirm(&app.ctx, &s.actor, id, lang).await,
    };
    done.map_err(t.page())?;
    Ok(see_other(&format!("{INDEX}/{id}/{lang}")))
}

pub async fn review(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(item): Id<(ContentId, String)>,
) -> PageResult {
    step(&app, &s, &t, item, Step::Review).await
}

pub async fn publish(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(item): Id<(ContentId, String)>,
) -> PageResult {
    step(&app, &s, &t, item, Step::Publish).await
}

pub async fn confirm(
    StaffPage { app, s, t, .. }: StaffPage,
    Id(item): Id<(ContentId, String)>,
) -> PageResult {
    step(&app, &s, &t, item, Step::Confirm).await
}

/// One step: the story leaves the site and its words are erased.
pub async fn withdraw(StaffPage { app, s, t, .. }: StaffPage, Id(id): Id<ContentId>) -> PageResult {
    content::withdraw(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    Ok(see_other(INDEX))
}
