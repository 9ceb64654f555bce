//! The public information site under `/{lang}/…`: no sign-in, no cookies, no scripts.
//!
//! Interface text comes from its own Fluent bundle (`locales/public/*.ftl`, twelve
//! languages); the staff interface keeps its own. The language is in the URL and nowhere
//! else. Pages are rendered from published content only, and kept in memory compressed
//! (see [`cache`]) until something is published or withdrawn, or a shown story expires.
//! [`help`] lists services from the directory ("Get help now"); [`report`] is the
//! safe-reporting hub's reporting page.
//! Nothing about a visitor is logged or stored: no address, no user agent, no counter.

pub mod budget;
pub mod cache;
pub mod help;
pub mod report;

use askama::Template;
use axum::extract::{FromRequestParts, Path, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use haven_core::content::{self, Card, Kind, PublicText};
use serde::Deserialize;

use crate::i18n::Tr;
use crate::AppState;
use cache::Rendered;

/// Where a visitor is, for the menu and for the same page in other languages.
pub struct SiteChrome {
    /// The path after the language: `/`, `/questions`, `/topics/asylum`.
    pub rest: String,
    pub current: &'static str,
    /// Every language, named in its own script: (code, name, dir).
    pub languages: Vec<(&'static str, String, &'static str)>,
}

impl SiteChrome {
    fn new(state: &AppState, rest: &str, current: &'static str) -> Self {
        Self {
            rest: rest.to_owned(),
            current,
            languages: content::LANGUAGES
                .iter()
                .map(|(c, _)| {
                    (
                        *c,
                        state.site_i18n.tr(c).t("language-name"),
                        content::dir(c),
                    )
                })
                .collect(),
        }
    }
}

/// A published text as a page shows it. `foreign` when it is shown in English because the
/// visitor's language has no published translation yet; the template then marks it up with
/// its own `lang` and `dir`.
pub struct TextView {
    pub href: String,
    pub title: String,
    pub summary: String,
    pub paragraphs: Vec<String>,
    pub speaker: Option<String>,
    pub lang: &'static str,
    pub dir: &'static str,
    pub foreign: bool,
}

fn view(lang: &str, href: String, t: PublicText) -> TextView {
    let Card {
        title,
        summary,
        lang: text_lang,
        dir,
        ..
    } = t.card;
    TextView {
        href,
        title,
        summary,
        paragraphs: t.paragraphs,
        speaker: t.speaker,
        foreign: text_lang != lang,
        lang: text_lang,
        dir,
    }
}

#[derive(Template)]
#[template(path = "site/home.html")]
pub struct HomePage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub options: Vec<TextView>,
    pub rights: Vec<TextView>,
}

#[derive(Template)]
#[template(path = "site/topic.html")]
pub struct TopicPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub topic: TextView,
    pub questions: Vec<TextView>,
    pub leaflet: String,
}

#[derive(Template)]
#[template(path = "site/questions.html")]
pub struct QuestionsPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub questions: Vec<TextView>,
}

#[derive(Template)]
#[template(path = "site/stories.html")]
pub struct StoriesPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    pub stories: Vec<TextView>,
}

#[derive(Template)]
#[template(path = "site/languages.html")]
pub struct LanguagesPage {
    pub t: Tr,
    pub chrome: SiteChrome,
}

#[derive(Template)]
#[template(path = "site/leaflet.html")]
pub struct LeafletPage {
    pub t: Tr,
    pub topic: TextView,
    pub url: String,
    pub qr_svg: String,
}

#[derive(Template)]
#[template(path = "site/not_found.html")]
pub struct NotFoundPage {
    pub t: Tr,
    pub chrome: SiteChrome,
}

/// The language of a public URL (`/{lang}/…`) and its interface text. A language the
/// site does not speak is the public not-found page, in English, before the handler runs.
pub struct SiteLang {
    pub lang: String,
    pub t: Tr,
}

impl FromRequestParts<AppState> for SiteLang {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let lang = params
            .iter()
            .find(|(name, _)| *name == "lang")
            .map(|(_, value)| value.to_owned())
            .unwrap_or_default();
        if content::is_language(&lang) && state.site_i18n.has(&lang) {
            let t = state.site_i18n.tr(&lang);
            Ok(SiteLang { lang, t })
        } else {
            Err(not_found(state, state.site_i18n.tr("en")))
        }
    }
}

/// The topic of `/{lang}/topics/{slug}…`.
#[derive(Deserialize)]
pub struct Topic {
    slug: String,
}

/// The public not-found page in `lang` when the site speaks it, in English otherwise.
pub fn not_found_in(state: &AppState, lang: &str) -> Response {
    let lang = if content::is_language(lang) && state.site_i18n.has(lang) {
        lang
    } else {
        "en"
    };
    not_found(state, state.site_i18n.tr(lang))
}

fn not_found(state: &AppState, t: Tr) -> Response {
    let page = NotFoundPage {
        chrome: SiteChrome::new(state, "/", ""),
        t,
    };
    match page.render() {
        Ok(html) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
        Err(_) => crate::views::fallback_500(),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "public page failed");
    crate::views::fallback_500()
}

/// What a page handler produces: the page, or a ready answer (404, 500).
type Built = Result<(String, i64), Box<Response>>;

fn html<T: Template>(page: &T, valid_until: i64) -> Built {
    page.render().map(|h| (h, valid_until)).map_err(fail)
}

fn fail(e: impl std::fmt::Display) -> Box<Response> {
    Box::new(internal(e))
}

/// How long a rendered page is kept at most, in seconds.
const MAX_AGE: i64 = 60;

/// Serves `key` from the cache or renders it with `build` and keeps it.
async fn cached<F, Fut>(state: &AppState, headers: &HeaderMap, key: String, build: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Built>,
{
    let now = state.ctx.clock.now_ts();
    let made = state
        .site_cache
        .get_or_make(key, now, headers, |generation| async move {
            let (html, valid_until) = build().await?;
            // The generation covers publishing in this process; another process serving the
            // same PostgreSQL database learns of a publish within a minute. A page out of
            // date already (a help page past the last) is answered but not kept.
            let valid_until = valid_until.min(now.saturating_add(MAX_AGE));
            Ok(Rendered::new(html, generation, valid_until))
        })
        .await;
    made.unwrap_or_else(|res: Box<Response>| *res)
}

/// `/` sends the visitor to their language, chosen from `Accept-Language`; no cookie.
pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Redirect {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Redirect::to(&format!("/{}/", state.site_i18n.negotiate(accept)))
}

pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
) -> Response {
    let key = format!("/{lang}/");
    cached(&state, &headers, key, || async {
        let pages = content::published(&state.ctx, Kind::Page, &lang)
            .await
            .map_err(fail)?;
        let (mut options, mut rights) = (Vec::new(), Vec::new());
        for p in pages.items {
            let section = p.card.section.clone();
            let v = view(&lang, format!("/{lang}/topics/{}", p.card.slug), p);
            if section == "rights" {
                rights.push(v);
            } else {
                options.push(v);
            }
        }
        html(
            &HomePage {
                chrome: SiteChrome::new(&state, "/", "home"),
                t,
                options,
                rights,
            },
            pages.valid_until,
        )
    })
    .await
}

pub async fn topic(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
    Path(Topic { slug }): Path<Topic>,
) -> Response {
    let key = format!("/{lang}/topics/{slug}");
    cached(&state, &headers, key, || async {
        let pages = content::published(&state.ctx, Kind::Page, &lang)
            .await
            .map_err(fail)?;
        let Some(page) = pages.items.into_iter().find(|p| p.card.slug == slug) else {
            return Err(Box::new(not_found(&state, t)));
        };
        let qa = content::published(&state.ctx, Kind::Qa, &lang)
            .await
            .map_err(fail)?;
        let questions = qa
            .items
            .into_iter()
            .filter(|q| q.card.section == slug)
            .map(|q| {
                let href = format!("/{lang}/questions#{}", q.card.slug);
                view(&lang, href, q)
            })
            .collect();
        let rest = format!("/topics/{slug}");
        html(
            &TopicPage {
                chrome: SiteChrome::new(&state, &rest, ""),
                topic: view(&lang, format!("/{lang}{rest}"), page),
                leaflet: format!("/{lang}{rest}/leaflet"),
                questions,
                t,
            },
            pages.valid_until.min(qa.valid_until),
        )
    })
    .await
}

/// Published texts of a kind, each linked by its slug as an anchor on its page.
async fn anchored(
    state: &AppState,
    kind: Kind,
    lang: &str,
) -> Result<(Vec<TextView>, i64), Box<Response>> {
    let found = content::published(&state.ctx, kind, lang)
        .await
        .map_err(fail)?;
    let views = found
        .items
        .into_iter()
        .map(|x| {
            let href = x.card.slug.clone();
            view(lang, href, x)
        })
        .collect();
    Ok((views, found.valid_until))
}

/// A page of the published texts of a kind (`current` names it in the address and the
/// navigation), each linked by its slug as an anchor. Only texts that are published, not
/// withdrawn and not expired are shown; the cached page is valid only until the first
/// shown text expires.
async fn anchored_page<P: Template>(
    state: &AppState,
    headers: &HeaderMap,
    SiteLang { lang, t }: SiteLang,
    (kind, current): (Kind, &'static str),
    page: impl FnOnce(Tr, SiteChrome, Vec<TextView>) -> P,
) -> Response {
    let key = format!("/{lang}/{current}");
    cached(state, headers, key, || async {
        let (texts, valid_until) = anchored(state, kind, &lang).await?;
        let chrome = SiteChrome::new(state, &format!("/{current}"), current);
        html(&page(t, chrome, texts), valid_until)
    })
    .await
}

pub async fn questions(
    State(state): State<AppState>,
    headers: HeaderMap,
    lang: SiteLang,
) -> Response {
    anchored_page(
        &state,
        &headers,
        lang,
        (Kind::Qa, "questions"),
        |t, chrome, questions| QuestionsPage {
            t,
            chrome,
            questions,
        },
    )
    .await
}

pub async fn stories(
    State(state): State<AppState>,
    headers: HeaderMap,
    lang: SiteLang,
) -> Response {
    anchored_page(
        &state,
        &headers,
        lang,
        (Kind::Story, "stories"),
        |t, chrome, stories| StoriesPage { t, chrome, stories },
    )
    .await
}

pub async fn languages(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
) -> Response {
    let key = format!("/{lang}/languages");
    cached(&state, &headers, key, || async {
        html(
            &LanguagesPage {
                chrome: SiteChrome::new(&state, "/languages", "languages"),
                t,
            },
            i64::MAX,
        )
    })
    .await
}

/// One printed page per topic and language, with a QR code to the topic's page.
pub async fn leaflet(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
    Path(Topic { slug }): Path<Topic>,
) -> Response {
    let pages = match content::published(&state.ctx, Kind::Page, &lang).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let Some(page) = pages.items.into_iter().find(|p| p.card.slug == slug) else {
        return not_found(&state, t);
    };
    let path = format!("/{lang}/topics/{slug}");
    // The configured public address only (see `WebConfig::public_url`): a QR code must
    // never lead a reader wherever a forged `Host` header pointed.
    let (url, svg) = match &state.cfg.public_url {
        Some(origin) => {
            let url = format!("{origin}{path}");
            let svg = qrcode::QrCode::new(url.as_bytes())
                .map(|c| {
                    c.render::<qrcode::render::svg::Color<'_>>()
                        .min_dimensions(150, 150)
                        .build()
                })
                .unwrap_or_default();
            (url, svg)
        }
        None => (path.clone(), String::new()),
    };
    // Strip the XML prolog so the SVG can sit inside the page. The address is printed
    // beside it, so screen readers skip the picture.
    let qr_svg = svg
        .find("<svg")
        .map(|i| svg[i..].replacen("<svg", "<svg aria-hidden=\"true\"", 1))
        .unwrap_or_default();
    let page = LeafletPage {
        topic: view(&lang, path, page),
        url,
        qr_svg,
        t,
    };
    match page.render() {
        Ok(html) => Rendered::new(html, 0, 0).respond(&headers),
        Err(e) => internal(e),
    }
}

const CSS: &str = include_str!("../../static/public.css");

/// The public stylesheet: small, separate from the staff one, cached for a day.
pub async fn stylesheet(headers: HeaderMap) -> Response {
    let css = "text/css; charset=utf-8";
    crate::views::static_file(&headers, ("p", CSS), css, "public, max-age=86400")
}
