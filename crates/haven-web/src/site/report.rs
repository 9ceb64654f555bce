//! The hub's public reporting pages: report a crime, see the receipt code once, come back
//! with it, and how a report is kept safe.
//!
//! No session, no cookie, no script; the receipt code travels in the body of each form
//! post, never in an address. Nothing about the request is read but its form and its
//! language: no address, no user agent, and nothing is logged. Answers that show a code
//! or a conversation are never stored by a browser or proxy (`Cache-Control: no-store`).
//! The empty forms are cached like the other public pages (they hold nothing of anyone).
//! Flood protection is a global budget ([`super::budget`]); when it is spent the answer
//! is 429 with a page that says when to try again.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::content;
use haven_core::hub::{self, Category, MessageInput, ReportInput, ReportStatus, ReporterView};
use haven_core::{Error, FieldError};
use serde::Deserialize;

use super::{cached, html, SiteChrome, SiteLang};
use crate::i18n::Tr;
use crate::AppState;

/// One option of a choice: value, label, chosen.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The report form, empty or as typed with its errors.
#[derive(Template)]
#[template(path = "site/report.html")]
pub struct ReportPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub errors: Vec<(String, String)>,
    pub categories: Vec<Opt>,
    pub languages: Vec<(Opt, &'static str)>,
    pub v: ReportInput,
}

impl ReportPage {
    /// The message for `field`, if it was refused.
    pub fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn val<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    pub fn is(&self, v: &Option<String>, want: &str) -> bool {
        v.as_deref() == Some(want)
    }
}

#[derive(Template)]
#[template(path = "site/report_done.html")]
pub struct DonePage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub code: String,
}

#[derive(Template)]
#[template(path = "site/report_return.html")]
pub struct ReturnPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub error: Option<String>,
    pub message_error: Option<String>,
    /// The code as typed, carried in the next form post; never in an address.
    pub code: String,
    pub report: Option<ReportShown>,
    pub added: bool,
}

/// A report as its reporter sees it.
pub struct ReportShown {
    pub category: String,
    pub occurred: String,
    pub reported: String,
    pub open: bool,
    pub messages: Vec<(bool, String, String)>,
}

#[derive(Template)]
#[template(path = "site/report_safety.html")]
pub struct SafetyPage {
    pub t: Tr,
    pub chrome: SiteChrome,
}

#[derive(Template)]
#[template(path = "site/report_busy.html")]
pub struct BusyPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub message: String,
}

/// A category's label in the reader's language: the label the hub gave it (added or
/// renamed: every public language), else the translation of a built-in one, else its
/// English label, else its code.
pub fn category_label(t: &Tr, categories: &[Category], code: &str) -> String {
    let own = categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| &c.labels);
    if let Some(label) = own.and_then(|l| l.get(t.lang())) {
        return label.clone();
    }
    // The public site's translation, or the staff pages' own.
    for id in [format!("report-cat-{code}"), format!("hub-cat-{code}")] {
        let translated = t.t(&id);
        if translated != id {
            return translated;
        }
    }
    own.and_then(|l| l.get("en"))
        .cloned()
        .unwrap_or_else(|| code.to_owned())
}

/// A page that must not be kept by a browser or proxy, with its status.
fn private(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut res = (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => super::internal(e),
    }
}

fn busy(state: &AppState, t: Tr, rest: &str, wait: i64) -> Response {
    let minutes = ((wait.max(1) + 59) / 60).to_string();
    let page = BusyPage {
        message: t.t1("report-busy", "minutes", minutes),
        chrome: SiteChrome::new(state, rest, "report"),
        t,
    };
    let mut res = private(StatusCode::TOO_MANY_REQUESTS, &page);
    if let Ok(v) = HeaderValue::from_str(&wait.max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

fn messages_of(t: &Tr, fields: &[FieldError]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| (f.field.to_owned(), t.t(f.code)))
        .collect()
}

/// The form, empty or as typed with its errors.
async fn form_view(
    state: &AppState,
    t: Tr,
    lang: &str,
    v: ReportInput,
    errors: Vec<(String, String)>,
) -> Result<ReportPage, Error> {
    let categories = hub::categories(&state.ctx).await?;
    let chosen_language = v.language.clone().unwrap_or_else(|| lang.to_owned());
    Ok(ReportPage {
        categories: categories
            .iter()
            .map(|c| Opt {
                label: category_label(&t, &categories, &c.code),
                selected: v.category.as_deref() == Some(c.code.as_str()),
                value: c.code.clone(),
            })
            .collect(),
        languages: content::LANGUAGES
            .iter()
            .map(|(c, _)| {
                let opt = Opt {
                    value: (*c).to_owned(),
                    label: state.site_i18n.tr(c).t("language-name"),
                    selected: *c == chosen_language,
                };
                (opt, content::dir(c))
            })
            .collect(),
        chrome: SiteChrome::new(state, "/report", "report"),
        errors,
        v,
        t,
    })
}

/// The form again with what was typed and what to fix (422), never stored by a browser.
async fn refused(
    state: &AppState,
    t: Tr,
    lang: &str,
    v: ReportInput,
    errors: Vec<(String, String)>,
) -> Response {
    match form_view(state, t, lang, v, errors).await {
        Ok(page) => private(StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(e) => super::internal(e),
    }
}

/// `GET /{lang}/report`: the empty form, the same for everyone, cached like the other
/// public pages.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
) -> Response {
    let key = format!("/{lang}/report");
    cached(&state, &headers, key, || async {
        let page = form_view(&state, t, &lang, ReportInput::default(), Vec::new())
            .await
            .map_err(super::fail)?;
        html(&page, i64::MAX)
    })
    .await
}

/// `POST /{lang}/report`: stores the report and shows its receipt code, once.
pub async fn submit(
    State(state): State<AppState>,
    SiteLang { lang, t }: SiteLang,
    Form(input): Form<ReportInput>,
) -> Response {
    if let Err(wait) = state.report_budget.submission(state.ctx.clock.now_ts()) {
        return busy(&state, t, "/report", wait);
    }
    match hub::submit(&state.ctx, &input).await {
        Ok((_, code)) => private(
            StatusCode::OK,
            &DonePage {
                chrome: SiteChrome::new(&state, "/report", "report"),
                code: code.grouped(),
                t,
            },
        ),
        Err(Error::Invalid(fields)) => {
            let errors = messages_of(&t, &fields);
            refused(&state, t, &lang, input, errors).await
        }
        Err(Error::Conflict(code)) => {
            let errors = vec![(String::new(), t.t(code))];
            refused(&state, t, &lang, input, errors).await
        }
        Err(e) => super::internal(e),
    }
}

fn shown(t: &Tr, categories: &[Category], r: ReporterView) -> ReportShown {
    ReportShown {
        category: category_label(t, categories, &r.category),
        occurred: r.occurred,
        reported: crate::views::fmt_date(r.created_at),
        open: r.status == ReportStatus::Open,
        messages: r
            .messages
            .into_iter()
            .map(|m| {
                let at = crate::views::fmt_hub_time(m.created_at, !m.from_hub);
                (m.from_hub, at, m.text)
            })
            .collect(),
    }
}

fn return_page(state: &AppState, t: Tr) -> ReturnPage {
    ReturnPage {
        chrome: SiteChrome::new(state, "/report/return", "report"),
        error: None,
        message_error: None,
        code: String::new(),
        report: None,
        added: false,
        t,
    }
}

/// `GET /{lang}/report/return`: the form for the receipt code, the same for everyone.
pub async fn return_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
) -> Response {
    let key = format!("/{lang}/report/return");
    cached(&state, &headers, key, || async {
        html(&return_page(&state, t), i64::MAX)
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: Option<String>,
    text: Option<String>,
}

/// `POST /{lang}/report/return`: opens the report the code finds.
pub async fn open(
    State(state): State<AppState>,
    SiteLang { t, .. }: SiteLang,
    Form(f): Form<CodeForm>,
) -> Response {
    with_code(&state, t, f, false).await
}

/// `POST /{lang}/report/return/message`: adds the reporter's message.
pub async fn add(
    State(state): State<AppState>,
    SiteLang { t, .. }: SiteLang,
    Form(f): Form<CodeForm>,
) -> Response {
    with_code(&state, t, f, true).await
}

async fn with_code(state: &AppState, t: Tr, f: CodeForm, adding: bool) -> Response {
    let now = state.ctx.clock.now_ts();
    if let Err(wait) = state.report_budget.attempt(now) {
        return busy(state, t, "/report/return", wait);
    }
    let answer = if adding {
        let input = MessageInput { text: f.text };
        hub::reporter_add(&state.ctx, &f.code, &input).await
    } else {
        hub::reporter_view(&state.ctx, &f.code).await
    };
    let categories = match hub::all_categories(&state.ctx).await {
        Ok(c) => c,
        Err(e) => return super::internal(e),
    };
    let mut page = return_page(state, t);
    let status = match answer {
        Ok(r) => {
            page.code = f.code.unwrap_or_default();
            page.report = Some(shown(&page.t, &categories, r));
            page.added = adding;
            StatusCode::OK
        }
        Err(Error::Invalid(fields)) => {
            let code_error = fields.iter().find(|e| e.field == "code");
            if code_error.is_some_and(|e| e.code == hub::UNKNOWN_CODE) {
                state.report_budget.failed(now);
            }
            match code_error {
                Some(e) => page.error = Some(page.t.t(e.code)),
                None => {
                    // The code was right, the message not: show the report again with
                    // the message's error, and what was typed is kept by the browser's
                    // back button only (nothing is stored).
                    page.message_error = fields.first().map(|e| page.t.t(e.code));
                    page.code = f.code.clone().unwrap_or_default();
                    if let Ok(r) = hub::reporter_view(&state.ctx, &f.code).await {
                        page.report = Some(shown(&page.t, &categories, r));
                    }
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return super::internal(e),
    };
    private(status, &page)
}

/// `GET /{lang}/report/safety`: how a report is kept safe (cached like the other pages).
pub async fn safety(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
) -> Response {
    let key = format!("/{lang}/report/safety");
    cached(&state, &headers, key, || async {
        html(
            &SafetyPage {
                chrome: SiteChrome::new(&state, "/report/safety", "report"),
                t,
            },
            i64::MAX,
        )
    })
    .await
}
