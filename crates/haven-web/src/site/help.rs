//! "Get help now": services from the directory, filtered by need and language with a plain
//! GET form (no script). A confidential location is only ever "call to arrange".
//!
//! Only known filter values reach the cache key, and a page beyond the last is sent but
//! not kept, so a visitor cannot fill the cache with made-up addresses.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use haven_core::content;
use haven_core::directory::help::{self, HelpFilter, HelpService, Hours, Place};
use haven_core::directory::hsds::NEED_TERMS;
use haven_core::directory::query::Paging;

use super::{cached, fail, html, SiteChrome, SiteLang};
use crate::i18n::Tr;
use crate::AppState;

/// Services on one page: small enough for the page budget on a cheap phone.
pub const PER_PAGE: i64 = 20;
/// The highest page number accepted; anything else is page 1.
const MAX_PAGE: i64 = 10_000;

/// A text in a language other than the page's carries its own `lang` and `dir`.
pub struct Foreign {
    pub lang: String,
    pub dir: &'static str,
}

pub struct ServiceView {
    pub name: String,
    pub name_lang: Option<Foreign>,
    pub description: String,
    pub description_lang: Option<Foreign>,
    pub organization: String,
    /// Access attributes, in words.
    pub attributes: Vec<String>,
    pub needs: Vec<String>,
    pub hours: Vec<String>,
    pub hours_text: Vec<(String, Option<Foreign>)>,
    /// (number for `tel:`, number as written).
    pub phones: Vec<(String, String)>,
    pub addresses: Vec<String>,
    pub call_to_arrange: bool,
    /// (code, name in its own script).
    pub languages: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "site/help.html")]
pub struct HelpPage {
    pub t: Tr,
    pub chrome: SiteChrome,
    /// (code, name) of every need, for the form.
    pub needs: Vec<(&'static str, String)>,
    pub need: &'static str,
    pub language: &'static str,
    /// A filter value was not understood and is not applied.
    pub notice: bool,
    pub count: String,
    pub services: Vec<ServiceView>,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// A page past the last of a list that is not empty: the list's first page.
    pub first_page: Option<String>,
    /// Links that drop one filter, offered when nothing matched.
    pub without_need: Option<String>,
    pub without_language: Option<String>,
}

/// The checked query: known codes only.
#[derive(Debug, Default, PartialEq)]
struct Query {
    need: Option<&'static str>,
    language: Option<&'static str>,
    page: i64,
    notice: bool,
}

fn parse(raw: Option<&str>) -> Query {
    let mut q = Query {
        page: 1,
        ..Default::default()
    };
    let pairs: Vec<(String, String)> = match serde_urlencoded::from_str(raw.unwrap_or("")) {
        Ok(p) => p,
        Err(_) => {
            q.notice = true;
            return q;
        }
    };
    for (k, v) in pairs {
        let v = v.trim();
        match k.as_str() {
            "need" if !v.is_empty() => match NEED_TERMS.iter().find(|n| n.1 == v) {
                Some(n) => q.need = Some(n.1),
                None => q.notice = true,
            },
            "language" if !v.is_empty() => match content::LANGUAGES.iter().find(|(c, _)| *c == v) {
                Some((c, _)) => q.language = Some(c),
                None => q.notice = true,
            },
            "page" => match v.parse::<i64>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => q.page = n,
                _ => q.notice = true,
            },
            _ => {}
        }
    }
    q
}

/// The address of a listing page with these filters.
fn href(lang: &str, need: Option<&str>, language: Option<&str>, page: i64) -> String {
    let mut parts = Vec::new();
    if let Some(n) = need {
        parts.push(format!("need={n}"));
    }
    if let Some(l) = language {
        parts.push(format!("language={l}"));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        format!("/{lang}/help")
    } else {
        // The template escapes `&` (as `&#38;`).
        format!("/{lang}/help?{}", parts.join("&"))
    }
}

fn foreign(page_lang: &str, text_lang: &str) -> Option<Foreign> {
    (text_lang != page_lang).then(|| Foreign {
        lang: text_lang.to_owned(),
        dir: content::dir(text_lang),
    })
}

const DAY_IDS: [&str; 7] = [
    "day-mo", "day-tu", "day-we", "day-th", "day-fr", "day-sa", "day-su",
];

/// "Monday – Friday 09:00–17:00" in the visitor's language: runs of three days or more
/// are written as a range.
fn hours_line(t: &Tr, h: &Hours) -> String {
    let days = if h.days.len() == 7 {
        t.t("help-every-day")
    } else {
        let mut groups: Vec<String> = Vec::new();
        let mut i = 0;
        while i < h.days.len() {
            let mut j = i;
            while j + 1 < h.days.len() && h.days[j + 1] == h.days[j] + 1 {
                j += 1;
            }
            let name = |d: u8| t.t(DAY_IDS[usize::from(d.min(6))]);
            if j - i >= 2 {
                groups.push(format!("{} – {}", name(h.days[i]), name(h.days[j])));
            } else {
                for d in &h.days[i..=j] {
                    groups.push(name(*d));
                }
            }
            i = j + 1;
        }
        groups.join(&t.t("list-sep"))
    };
    format!("{days} {}–{}", h.opens, h.closes)
}

fn view(t: &Tr, names: &[(&'static str, String, &'static str)], s: HelpService) -> ServiceView {
    let lang = t.lang();
    let mut attributes = Vec::new();
    for (on, id) in [
        (s.no_documents, "help-no-documents"),
        (s.no_data_to_immigration, "help-no-immigration"),
        (s.free, "help-free"),
        (s.anonymous, "help-anonymous"),
    ] {
        if on {
            attributes.push(t.t(id));
        }
    }
    let (description, description_lang) = match s.description {
        Some(d) => {
            let f = foreign(lang, &d.lang);
            (d.text, f)
        }
        None => (String::new(), None),
    };
    let languages = s
        .languages
        .iter()
        .map(|code| {
            let name = names
                .iter()
                .find(|n| n.0 == code)
                .map_or_else(|| code.clone(), |n| n.1.clone());
            (code.clone(), name)
        })
        .collect();
    ServiceView {
        name_lang: foreign(lang, &s.name.lang),
        name: s.name.text,
        description,
        description_lang,
        organization: s.organization.unwrap_or_default(),
        attributes,
        needs: s.needs.iter().map(|n| t.t(&format!("need-{n}"))).collect(),
        hours: s.hours.iter().map(|h| hours_line(t, h)).collect(),
        hours_text: s
            .hours_text
            .into_iter()
            .map(|x| {
                let f = foreign(lang, &x.lang);
                (x.text, f)
            })
            .collect(),
        phones: s
            .phones
            .into_iter()
            .map(|p| {
                let tel: String = p
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                (tel, p)
            })
            .collect(),
        call_to_arrange: s.places.contains(&Place::CallToArrange),
        addresses: s
            .places
            .into_iter()
            .filter_map(|p| match p {
                Place::Address(a) => Some(a),
                Place::CallToArrange => None,
            })
            .collect(),
        languages,
    }
}

pub async fn help(
    State(state): State<AppState>,
    headers: HeaderMap,
    SiteLang { lang, t }: SiteLang,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = parse(raw.as_deref());
    let key = format!(
        "{}{}",
        href(&lang, q.need, q.language, q.page),
        if q.notice { "#notice" } else { "" }
    );
    cached(&state, &headers, key, || async {
        let filter = HelpFilter {
            need: q.need,
            language: q.language.map(str::to_owned),
        };
        let paging = Paging {
            page: q.page,
            per_page: PER_PAGE,
        };
        let listing = help::list(&state.ctx, &filter, &lang, paging)
            .await
            .map_err(fail)?;
        // A page past the last is answered but not kept.
        let valid_until = if q.page > listing.pages.max(1) {
            0
        } else {
            i64::MAX
        };
        let past_end = q.page > listing.pages && listing.total > 0;
        let empty = listing.services.is_empty() && !past_end;
        // The same listing in another language keeps its filters and page.
        let here = href("", q.need, q.language, q.page);
        let chrome = SiteChrome::new(&state, here.strip_prefix('/').unwrap_or(&here), "help");
        let services = listing
            .services
            .into_iter()
            .map(|s| view(&t, &chrome.languages, s))
            .collect();
        let page = HelpPage {
            chrome,
            needs: NEED_TERMS
                .iter()
                .map(|n| (n.1, t.t(&format!("need-{}", n.1))))
                .collect(),
            need: q.need.unwrap_or(""),
            language: q.language.unwrap_or(""),
            notice: q.notice,
            count: t.t1("help-count", "count", listing.total),
            services,
            previous: (q.page > 1 && q.page <= listing.pages)
                .then(|| href(&lang, q.need, q.language, q.page - 1)),
            next: (q.page < listing.pages).then(|| href(&lang, q.need, q.language, q.page + 1)),
            first_page: past_end.then(|| href(&lang, q.need, q.language, 1)),
            without_need: (empty && q.need.is_some()).then(|| href(&lang, None, q.language, 1)),
            without_language: (empty && q.language.is_some()).then(|| href(&lang, q.need, None, 1)),
            t,
        };
        html(&page, valid_until)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_filters_are_kept() {
        let q = parse(Some("need=food&language=ar&page=2"));
        assert_eq!(
            q,
            Query {
                need: Some("food"),
                language: Some("ar"),
                page: 2,
                notice: false
            }
        );
        let q = parse(Some("need=jobs&language=xx&page=0"));
        assert_eq!(
            (q.need, q.language, q.page, q.notice),
            (None, None, 1, true)
        );
        let q = parse(Some("need=&language="));
        assert!(!q.notice && q.need.is_none());
        assert_eq!(
            href("ar", Some("food"), Some("ti"), 3),
            "/ar/help?need=food&language=ti&page=3"
        );
        assert_eq!(href("en", None, None, 1), "/en/help");
    }
}
