//! HSDS 3.0 objects: Haven's taxonomy of extension attributes, the fields that are
//! translated, confidential locations, and the small pieces of (de)serialisation shared by
//! storage, the public API, import and export.
//!
//! Entries are kept as HSDS JSON objects (`serde_json::Value`), so every HSDS field — and
//! any field a newer HSDS version adds — survives storage untouched. See
//! `docs/hsds-profile.md` for the extensions and how they stay valid HSDS.

use serde_json::{json, Map, Value};

/// The HSDS version Haven speaks.
pub const HSDS_VERSION: &str = "3.0";

/// The id of Haven's own taxonomy, whose terms express the extension attributes.
pub const HAVEN_TAXONOMY_ID: &str = "6a61c7e4-3c55-4c1f-9d41-0d6b6176656e";

/// Haven's extension attributes: (term id, code, English name, description).
pub const HAVEN_TERMS: &[(&str, &str, &str, &str)] = &[
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000001",
        "no-documents-needed",
        "No documents needed",
        "No identity, residence or other documents are asked for to use this service.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000002",
        "no-data-to-immigration",
        "No data shared with immigration authorities",
        "The provider does not pass any data about the people it serves to immigration authorities.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000003",
        "free-of-charge",
        "Free of charge",
        "The service costs nothing.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000004",
        "anonymous-possible",
        "Anonymous service possible",
        "The service can be used without giving a name.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000005",
        "confidential-location",
        "Confidential location",
        "The address is never published. Call to arrange a meeting.",
    ),
];

/// The term id of a Haven extension by its code.
pub fn haven_term_id(code: &str) -> Option<&'static str> {
    HAVEN_TERMS.iter().find(|t| t.1 == code).map(|t| t.0)
}

pub const CONFIDENTIAL_TERM: &str = "6a61c7e4-3c55-4c1f-9d41-000000000005";

/// Haven's taxonomy as an HSDS taxonomy object.
pub fn haven_taxonomy() -> Value {
    json!({
        "id": HAVEN_TAXONOMY_ID,
        "name": "Haven access attributes",
        "description": "Attributes that matter to people without papers. See the Haven HSDS profile.",
        "version": "1",
    })
}

/// The id of Haven's second taxonomy: the needs a service meets, which the public site's
/// "Get help now" page filters on.
pub const NEEDS_TAXONOMY_ID: &str = "6a61c7e4-3c55-4c1f-9d41-6e6565647300";

/// The needs a service can meet: (term id, code, English name, description). The codes
/// are the public site's `?need=` values; the ids never change.
pub const NEED_TERMS: &[(&str, &str, &str, &str)] = &[
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000101",
        "shelter",
        "Shelter",
        "A place to sleep or to stay.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000102",
        "food",
        "Food",
        "Meals, food parcels or a kitchen.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000103",
        "health",
        "Health",
        "Medical, mental or dental care.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000104",
        "legal-advice",
        "Legal advice",
        "Advice on residence, asylum, appeals, work and other legal questions.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000105",
        "return-counselling",
        "Return counselling",
        "Counselling about going back to the country of origin and support to settle there, without pressure.",
    ),
    (
        "6a61c7e4-3c55-4c1f-9d41-000000000106",
        "report-a-crime",
        "Reporting a crime",
        "Help to report a crime or exploitation safely, as a victim or a witness.",
    ),
];

/// The term id of a need by its code.
pub fn need_term_id(code: &str) -> Option<&'static str> {
    NEED_TERMS.iter().find(|t| t.1 == code).map(|t| t.0)
}

/// Haven's needs taxonomy as an HSDS taxonomy object.
pub fn needs_taxonomy() -> Value {
    json!({
        "id": NEEDS_TAXONOMY_ID,
        "name": "Haven needs",
        "description": "What a service helps with: shelter, food, health, legal advice, return counselling, reporting a crime. See the Haven HSDS profile.",
        "version": "1",
    })
}

/// One of Haven's terms (an access attribute or a need) as an HSDS taxonomy_term object.
pub fn haven_term(id: &str) -> Option<Value> {
    let (row, taxonomy, taxonomy_id) = match HAVEN_TERMS.iter().find(|t| t.0 == id) {
        Some(row) => (row, "haven", HAVEN_TAXONOMY_ID),
        None => (
            NEED_TERMS.iter().find(|t| t.0 == id)?,
            "haven-needs",
            NEEDS_TAXONOMY_ID,
        ),
    };
    let (id, code, name, description) = row;
    Some(json!({
        "id": id,
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
        "taxonomy_id": taxonomy_id,
        "language": "en",
    }))
}

/// An HSDS attribute linking the entry `link_id` to Haven term `code` (an access
/// attribute or a need).
pub fn haven_attribute(link_id: &str, link_entity: &str, code: &str) -> Option<Value> {
    let (term_id, detail, link_type) = match haven_term_id(code) {
        Some(id) => (id, haven_taxonomy(), "haven"),
        None => (need_term_id(code)?, needs_taxonomy(), "haven-needs"),
    };
    let mut term = haven_term(term_id)?;
    if let Some(t) = term.as_object_mut() {
        t.insert("taxonomy_detail".into(), detail);
    }
    Some(json!({
        "id": derived_uuid(&format!("attribute:{link_id}:{code}")),
        "link_id": link_id,
        "taxonomy_term_id": term_id,
        "link_type": link_type,
        "link_entity": link_entity,
        "taxonomy_term": term,
    }))
}

/// The codes of the needs an entry's attributes name, in the order of [`NEED_TERMS`].
pub fn need_codes(v: &Value) -> Vec<&'static str> {
    let terms = attribute_terms(v);
    NEED_TERMS
        .iter()
        .filter(|n| terms.iter().any(|(t, _)| t == n.0))
        .map(|n| n.1)
        .collect()
}

/// The text fields of an entry that may carry translations.
pub const TRANSLATABLE: &[&str] = &[
    "name",
    "alternate_name",
    "description",
    "application_process",
    "eligibility_description",
    "fees_description",
    "interpretation_services",
    "wait_time",
    "alert",
    "transportation",
];

/// A deterministic UUID-shaped id for objects Haven derives from others (version 8,
/// "custom", so it never collides with a random or time-based id).
pub fn derived_uuid(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(b).to_string()
}

/// The string at `key`, if any and not empty.
pub fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Every taxonomy term id an entry's own attributes carry.
pub fn attribute_terms(v: &Value) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for a in v
        .get("attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let term = str_field(a, "taxonomy_term_id")
            .map(str::to_owned)
            .or_else(|| {
                a.get("taxonomy_term")
                    .and_then(|t| str_field(t, "id"))
                    .map(str::to_owned)
            });
        if let Some(term) = term {
            let taxonomy = a.get("taxonomy_term").and_then(|t| {
                str_field(t, "taxonomy_id")
                    .or_else(|| t.get("taxonomy_detail").and_then(|d| str_field(d, "id")))
                    .map(str::to_owned)
            });
            if !out
                .iter()
                .any(|(t, _): &(String, Option<String>)| *t == term)
            {
                out.push((term, taxonomy));
            }
        }
    }
    out
}

/// Whether the entry carries Haven's confidential-location attribute.
pub fn is_confidential(v: &Value) -> bool {
    attribute_terms(v)
        .iter()
        .any(|(t, _)| t == CONFIDENTIAL_TERM)
}

/// The fields of a location that could reveal where it is.
const REVEALING: &[&str] = &[
    "addresses",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
    "transportation",
];

/// Removes the fields that could reveal where a confidential location is, and nothing else:
/// what a draft keeps, so that an address never reaches the database even before review.
pub fn strip_revealing(loc: &mut Value) {
    if !is_confidential(loc) {
        return;
    }
    if let Some(o) = loc.as_object_mut() {
        for k in REVEALING {
            o.remove(*k);
        }
    }
}

/// Removes everything that could reveal where a confidential location is. Applied when
/// such a location is stored (so the address is never kept) and again on every output.
pub fn redact_location(loc: &mut Value) {
    if !is_confidential(loc) {
        return;
    }
    strip_revealing(loc);
    if let Some(o) = loc.as_object_mut() {
        o.insert(
            "description".into(),
            Value::String(
                "Confidential location: the address is never published. Call to arrange.".into(),
            ),
        );
    }
}

/// Replaces translatable fields with their text in the requested language, where a
/// translation exists; the source language stays as the fallback.
pub fn overlay(v: &mut Value, translations: &[(String, String)]) {
    if let Some(o) = v.as_object_mut() {
        for (field, text) in translations {
            if TRANSLATABLE.contains(&field.as_str()) && o.contains_key(field.as_str()) {
                o.insert(field.clone(), Value::String(text.clone()));
            }
        }
    }
}

/// Lower-case ASCII words of at least two characters, for the search index and queries.
pub fn words(text: &str) -> Vec<String> {
    let folded = deunicode::deunicode(text).to_lowercase();
    let mut out: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
        .map(|w| w.chars().take(40).collect())
        .collect();
    // Words of other scripts also as they are written (lower-cased), so that Arabic,
    // Tigrinya or Cyrillic are found by their own words, not only by a transliteration.
    let lower = text.to_lowercase();
    out.extend(
        lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_ascii() && w.chars().count() >= 2)
            .map(|w| w.chars().take(40).collect::<String>()),
    );
    out.sort();
    out.dedup();
    out
}

/// A language tag as Haven keeps it: `fr`, `ar`, `ti`, `pt-br`; None if malformed.
pub fn parse_lang(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_lowercase();
    let ok = (2..=12).contains(&s.len())
        && s.split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && s.split('-').next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic())
        });
    ok.then_some(s)
}

/// Removes keys whose value is null, so output never carries `"x": null` where HSDS
/// expects a string.
pub fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            for x in o.values_mut() {
                drop_nulls(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// A copy of `v` without the listed keys.
pub fn without(v: &Value, keys: &[&str]) -> Value {
    match v {
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, x) in o {
                if !keys.contains(&k.as_str()) {
                    m.insert(k.clone(), x.clone());
                }
            }
            Value::Object(m)
        }
        other => other.clone(),
    }
}

/// RFC 3339 UTC time of a unix timestamp, with milliseconds as HSDS asks.
pub fn rfc3339(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].000Z"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// The date part of a unix timestamp (`2026-11-24`).
pub fn date(ts: i64) -> String {
    rfc3339(ts).chars().take(10).collect()
}

/// Parses an RFC 3339 date-time or a plain date (midnight UTC) into unix seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let d = time::Date::parse(
        s,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    Some(d.midnight().assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_accents_and_scripts() {
        assert_eq!(
            words("Aide juridique, GRATUITE!"),
            vec!["aide", "gratuite", "juridique"]
        );
        // Other scripts: transliterated, and as written.
        let ar = words("مساعدة قانونية");
        assert!(ar.contains(&"مساعدة".to_owned()) && ar.contains(&"قانونية".to_owned()));
        assert!(ar.iter().any(|w| w.is_ascii()));
        assert_eq!(words("Приют"), vec!["priiut", "приют"]);
        assert!(words("a . أ").is_empty());
    }

    #[test]
    fn confidential_locations_lose_their_address() {
        let mut loc = json!({"id": "x", "location_type": "physical", "latitude": 1.0,
            "addresses": [{"id": "a"}], "attributes": [haven_attribute("x", "location", "confidential-location")]});
        redact_location(&mut loc);
        assert!(loc.get("addresses").is_none());
        assert!(loc.get("latitude").is_none());
        let mut open = json!({"id": "y", "location_type": "physical", "latitude": 1.0});
        redact_location(&mut open);
        assert!(open.get("latitude").is_some());
    }

    #[test]
    fn needs_are_a_taxonomy_of_their_own() {
        let a = haven_attribute("s", "service", "legal-advice").unwrap();
        assert_eq!(a["taxonomy_term"]["taxonomy_id"], NEEDS_TAXONOMY_ID);
        assert_eq!(
            a["taxonomy_term"]["taxonomy_detail"]["id"],
            NEEDS_TAXONOMY_ID
        );
        let b = haven_attribute("s", "service", "free-of-charge").unwrap();
        assert_eq!(b["taxonomy_term"]["taxonomy_id"], HAVEN_TAXONOMY_ID);
        let v = json!({"attributes": [a, b, haven_attribute("s", "service", "food").unwrap()]});
        assert_eq!(need_codes(&v), vec!["food", "legal-advice"]);
        assert!(haven_attribute("s", "service", "nothing").is_none());
        let ids: std::collections::BTreeSet<&str> =
            HAVEN_TERMS.iter().chain(NEED_TERMS).map(|t| t.0).collect();
        assert_eq!(ids.len(), HAVEN_TERMS.len() + NEED_TERMS.len());
        assert!(ids.iter().all(|i| uuid::Uuid::parse_str(i).is_ok()));
    }

    #[test]
    fn languages_are_checked() {
        assert_eq!(parse_lang("FR"), Some("fr".into()));
        assert_eq!(parse_lang("pt-BR"), Some("pt-br".into()));
        assert_eq!(parse_lang("x"), None);
        assert_eq!(parse_lang("fr;drop"), None);
    }

    #[test]
    fn derived_ids_are_stable_uuids() {
        let a = derived_uuid("seed");
        assert_eq!(a, derived_uuid("seed"));
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }
}
