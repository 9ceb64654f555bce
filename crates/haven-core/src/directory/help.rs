//! The directory as the public site's "Get help now" page shows it: published, active
//! services, filtered by need (Haven's needs taxonomy) and by language, one page at a
//! time, each reduced to what a visitor needs to act on — name and description in their
//! language where translated (each text says which language it is in), organisation,
//! access attributes, opening hours, phones, and addresses; a confidential location is
//! only ever "call to arrange", never an address.
//!
//! Takes no `Actor`: published entries are public and hold no personal data.

use serde_json::Value;
use std::collections::{HashMap, HashSet};

use super::hsds::{self, str_field};
use super::query::{self, Paging, ServiceFilter, View};
use crate::db::placeholders;
use crate::{Ctx, Result};

/// What the visitor asked for. Codes are checked by the caller (`need` against
/// [`hsds::NEED_TERMS`], `language` against the site's languages).
#[derive(Debug, Clone, Default)]
pub struct HelpFilter {
    pub need: Option<&'static str>,
    pub language: Option<String>,
}

/// A text and the language it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub lang: String,
}

/// Weekly opening hours: days 0 (Monday) to 6 (Sunday), times as `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    pub days: Vec<u8>,
    pub opens: String,
    pub closes: String,
}

/// Where the service is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Address(String),
    /// A confidential location: no address, call to arrange.
    CallToArrange,
}

#[derive(Debug, Clone)]
pub struct HelpService {
    pub id: String,
    pub name: Text,
    pub description: Option<Text>,
    pub organization: Option<String>,
    pub needs: Vec<&'static str>,
    pub no_documents: bool,
    pub no_data_to_immigration: bool,
    pub free: bool,
    pub anonymous: bool,
    pub hours: Vec<Hours>,
    /// Schedules Haven cannot read as weekly hours: their own words.
    pub hours_text: Vec<Text>,
    pub phones: Vec<String>,
    pub places: Vec<Place>,
    /// Language codes the service is offered in.
    pub languages: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Listing {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub services: Vec<HelpService>,
}

/// One page of services for the public site, texts in `lang` where translated.
pub async fn list(ctx: &Ctx, f: &HelpFilter, lang: &str, p: Paging) -> Result<Listing> {
    let filter = ServiceFilter {
        taxonomy_term_id: f.need.and_then(hsds::need_term_id).map(str::to_owned),
        language: f.language.clone(),
        active_only: true,
        ..Default::default()
    };
    let view = View {
        lang: Some(lang.to_owned()),
        full: true,
    };
    let page = query::list_services(ctx, &filter, &view, p).await?;
    let ids: Vec<String> = page
        .contents
        .iter()
        .filter_map(|s| str_field(s, "id").map(str::to_owned))
        .collect();
    let langs = text_languages(ctx, lang, &ids).await?;
    let services = page
        .contents
        .iter()
        .map(|s| {
            let id = str_field(s, "id").unwrap_or("");
            let text_lang = |field: &str| -> String {
                match langs.get(id) {
                    Some((_, translated)) if translated.contains(field) => lang.to_owned(),
                    Some((source, _)) => source.clone(),
                    None => lang.to_owned(),
                }
            };
            let source = langs
                .get(id)
                .map(|l| l.0.clone())
                .unwrap_or_else(|| lang.to_owned());
            service(s, &text_lang, &source)
        })
        .collect();
    Ok(Listing {
        total: page.total_items,
        page: page.page_number,
        pages: page.total_pages,
        services,
    })
}

/// A service's source language and one field translated into the asked language.
#[derive(sqlx::FromRow)]
struct LangRow {
    id: String,
    source_lang: String,
    field: Option<String>,
}

/// Per service: its source language and which fields have a translation into `lang`.
async fn text_languages(
    ctx: &Ctx,
    lang: &str,
    ids: &[String],
) -> Result<HashMap<String, (String, HashSet<String>)>> {
    let mut out: HashMap<String, (String, HashSet<String>)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT s.id, s.source_lang, t.field FROM dir_services s \
         LEFT JOIN dir_translations t ON t.entity_type = 'service' AND t.entity_id = s.id \
         AND t.lang = $1 WHERE s.id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as::<_, LangRow>(&sql).bind(lang);
    for id in ids {
        q = q.bind(id.as_str());
    }
    for LangRow {
        id,
        source_lang: source,
        field,
    } in q.fetch_all(&ctx.db.pool).await?
    {
        let e = out
            .entry(id)
            .or_insert_with(|| (source.clone(), HashSet::new()));
        if source == lang {
            e.1.insert("name".into());
            e.1.insert("description".into());
        }
        if let Some(f) = field {
            e.1.insert(f);
        }
    }
    Ok(out)
}

fn array<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// Reduces a fully nested HSDS service to what the page shows.
fn service(s: &Value, text_lang: &dyn Fn(&str) -> String, source: &str) -> HelpService {
    let terms: Vec<String> = hsds::attribute_terms(s).into_iter().map(|t| t.0).collect();
    let has =
        |code: &str| hsds::haven_term_id(code).is_some_and(|id| terms.iter().any(|t| t == id));
    let text = |field: &str| {
        str_field(s, field).map(|t| Text {
            text: t.to_owned(),
            lang: text_lang(field),
        })
    };
    let locations: Vec<&Value> = array(s, "service_at_locations")
        .filter_map(|sal| sal.get("location"))
        .collect();
    // Hours: the service's own schedules, else those of where it is given.
    let mut schedules: Vec<&Value> = array(s, "schedules").collect();
    if schedules.is_empty() {
        for sal in array(s, "service_at_locations") {
            schedules.extend(array(sal, "schedules"));
        }
    }
    if schedules.is_empty() {
        for l in &locations {
            schedules.extend(array(l, "schedules"));
        }
    }
    let (mut hours, mut hours_text) = (Vec::new(), Vec::new());
    for sc in schedules {
        match weekly(sc) {
            Some(h) => {
                if !hours.contains(&h) {
                    hours.push(h)
                }
            }
            None => {
                if let Some(d) = str_field(sc, "description") {
                    hours_text.push(Text {
                        text: d.to_owned(),
                        lang: source.to_owned(),
                    });
                }
            }
        }
    }
    let mut phones: Vec<String> = Vec::new();
    for p in array(s, "phones").chain(locations.iter().flat_map(|l| array(l, "phones"))) {
        if let Some(n) = str_field(p, "number") {
            if !phones.iter().any(|x| x == n) && phones.len() < 3 {
                phones.push(n.to_owned());
            }
        }
    }
    let mut places = Vec::new();
    for l in &locations {
        let place = if hsds::is_confidential(l) {
            Some(Place::CallToArrange)
        } else {
            array(l, "addresses")
                .next()
                .and_then(address)
                .map(Place::Address)
        };
        if let Some(p) = place {
            if !places.contains(&p) {
                places.push(p);
            }
        }
    }
    let mut languages: Vec<String> = Vec::new();
    for code in array(s, "languages")
        .filter_map(|l| str_field(l, "code"))
        .filter_map(hsds::parse_lang)
    {
        if !languages.contains(&code) {
            languages.push(code);
        }
    }
    HelpService {
        id: str_field(s, "id").unwrap_or("").to_owned(),
        name: text("name").unwrap_or(Text {
            text: String::new(),
            lang: source.to_owned(),
        }),
        description: text("description"),
        organization: s
            .get("organization")
            .and_then(|o| str_field(o, "name"))
            .map(str::to_owned),
        needs: hsds::need_codes(s),
        no_documents: has("no-documents-needed"),
        no_data_to_immigration: has("no-data-to-immigration"),
        free: has("free-of-charge"),
        anonymous: has("anonymous-possible"),
        hours,
        hours_text,
        phones,
        places,
        languages,
    }
}

/// One line of a postal address: street, postal code and city.
fn address(a: &Value) -> Option<String> {
    let parts: Vec<&str> = ["address_1", "address_2", "postal_code", "city"]
        .iter()
        .filter_map(|k| str_field(a, k))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// A schedule as weekly hours, if it is one Haven can read: `freq` weekly (or absent),
/// `byday` plain day codes, and both times.
fn weekly(sc: &Value) -> Option<Hours> {
    if str_field(sc, "freq").is_some_and(|f| !f.eq_ignore_ascii_case("weekly")) {
        return None;
    }
    let mut days = Vec::new();
    for d in str_field(sc, "byday")?.split(',') {
        let d = d.trim().to_ascii_uppercase();
        let i = DAYS.iter().position(|x| *x == d)? as u8;
        if !days.contains(&i) {
            days.push(i);
        }
    }
    days.sort_unstable();
    let time = |k: &str| -> Option<String> {
        let t = str_field(sc, k)?;
        let hm = t.get(..5)?;
        let (h, m) = hm.split_once(':')?;
        let ok = h.len() == 2
            && m.len() == 2
            && h.parse::<u8>().is_ok_and(|h| h <= 24)
            && m.parse::<u8>().is_ok_and(|m| m < 60);
        ok.then(|| hm.to_owned())
    };
    Some(Hours {
        days,
        opens: time("opens_at")?,
        closes: time("closes_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn weekly_schedules_are_read_and_others_are_not() {
        let h = weekly(&json!({"freq": "WEEKLY", "byday": "FR,MO, tu",
            "opens_at": "09:00:00", "closes_at": "17:30:00"}))
        .unwrap();
        assert_eq!(h.days, vec![0, 1, 4]);
        assert_eq!((h.opens.as_str(), h.closes.as_str()), ("09:00", "17:30"));
        assert!(weekly(&json!({"freq": "MONTHLY", "byday": "1MO",
            "opens_at": "09:00", "closes_at": "12:00"}))
        .is_none());
        assert!(weekly(&json!({"byday": "MO", "opens_at": "9"})).is_none());
        assert!(
            weekly(&json!({"byday": "XX", "opens_at": "09:00", "closes_at": "10:00"})).is_none()
        );
    }

    #[test]
    fn a_confidential_location_is_never_an_address() {
        let loc = |confidential: bool| {
            let mut l = json!({"id": "l", "addresses": [{"address_1": "Secret Lane 1",
                "postal_code": "3011 AB", "city": "Rivierstad"}]});
            if confidential {
                l["attributes"] = json!([hsds::haven_attribute(
                    "l",
                    "location",
                    "confidential-location"
                )]);
            }
            l
        };
        let s = |confidential: bool| json!({"id": "s", "name": "Shelter", "service_at_locations": [{"location": loc(confidential)}]});
        let lang = |_: &str| "en".to_owned();
        let open = service(&s(false), &lang, "en");
        assert_eq!(
            open.places,
            vec![Place::Address("Secret Lane 1, 3011 AB, Rivierstad".into())]
        );
        let hidden = service(&s(true), &lang, "en");
        assert_eq!(hidden.places, vec![Place::CallToArrange]);
    }
}
