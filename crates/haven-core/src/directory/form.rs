//! The directory entry as partner staff edit it: a flat, validated input
//! ([`EntryInput`]) that the staff pages and the JSON API share, and its mapping to and
//! from the HSDS object kept in storage.
//!
//! Applying an input to an entry starts from the entry's current HSDS object and replaces
//! only the fields the form controls, so fields that came from an import (and that the
//! form does not show) survive an edit.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

use super::hsds::{self, derived_uuid, str_field};
use super::{Entry, Kind};
use crate::{Error, FieldError, Result};

/// The languages the forms offer text fields for.
pub const LANGS: &[&str] = &["en", "fr", "ar", "ti", "nl"];

/// The days of a weekly schedule, as HSDS `byday` codes.
pub const DAYS: &[&str] = &["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

const STATUSES: &[&str] = &["active", "inactive", "defunct", "temporarily closed"];

const NAME_MAX: usize = 200;
const TEXT_MAX: usize = 4000;

/// A name and description in one language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TextPair {
    pub name: String,
    pub description: String,
}

/// Opening hours on one day: `day` is an HSDS `byday` code (MO…SU), times `HH:MM`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HoursRow {
    pub day: String,
    pub opens: String,
    pub closes: String,
}

/// A postal address of a location that is not confidential.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddressInput {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

impl AddressInput {
    fn is_empty(&self) -> bool {
        self.street.trim().is_empty()
            && self.postal_code.trim().is_empty()
            && self.city.trim().is_empty()
    }
}

/// A directory entry as edited. Which fields count depends on the kind: an organisation
/// has texts, phones, email and website; a service adds everything about access; a
/// location has texts, an address (or `confidential`), phones and hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EntryInput {
    /// The directory organisation a service or location belongs to.
    pub organization_id: String,
    /// The language `name` and `description` are written in.
    pub source_lang: String,
    pub name: String,
    pub description: String,
    /// Other languages: language code → name and description.
    pub translations: BTreeMap<String, TextPair>,
    /// Service only: active | inactive | defunct | temporarily closed.
    pub status: String,
    pub phones: Vec<String>,
    pub email: String,
    pub url: String,
    pub hours: Vec<HoursRow>,
    /// Languages spoken (codes such as `ar`, `ti`).
    pub languages: Vec<String>,
    /// Free of charge (the Haven attribute `free-of-charge`).
    pub free: bool,
    /// What it costs, when it is not free.
    pub fees: String,
    /// No documents needed (Haven attribute `no-documents-needed`).
    pub no_documents: bool,
    /// Documents that are asked for.
    pub documents: Vec<String>,
    pub eligibility: String,
    pub service_area: String,
    /// Haven attribute `no-data-to-immigration`.
    pub no_data_to_immigration: bool,
    /// Haven attribute `anonymous-possible`.
    pub anonymous: bool,
    /// Location only: the address is never stored or shown; people call to arrange.
    pub confidential: bool,
    pub address: AddressInput,
    /// Service only: the locations (of the same organisation) where it is offered.
    pub location_ids: Vec<String>,
    /// Service only: what it helps with, as codes of Haven's needs taxonomy (`shelter`,
    /// `food`, `health`, `legal-advice`, `return-counselling`, `report-a-crime`).
    pub needs: Vec<String>,
}

fn t(s: &str) -> String {
    s.trim().to_owned()
}

fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && s[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

/// The translation fields by language, as `'static` names for field errors.
fn tr_field(lang: &str, name: bool) -> &'static str {
    match (lang, name) {
        ("en", true) => "name_en",
        ("fr", true) => "name_fr",
        ("ar", true) => "name_ar",
        ("ti", true) => "name_ti",
        ("nl", true) => "name_nl",
        ("en", false) => "description_en",
        ("fr", false) => "description_fr",
        ("ar", false) => "description_ar",
        ("ti", false) => "description_ti",
        ("nl", false) => "description_nl",
        _ => "translations",
    }
}

impl EntryInput {
    /// Checks every field for `kind` and reports every problem at once.
    pub fn validate(&self, kind: Kind) -> Result<()> {
        let mut errs = Vec::new();
        let mut push = |f: &'static str, c: &'static str| errs.push(FieldError::new(f, c));
        if kind != Kind::Organization {
            if self.organization_id.trim().is_empty() {
                push("organization_id", "err-required");
            } else if !is_uuid(self.organization_id.trim()) {
                push("organization_id", "err-choice");
            }
        }
        let src = hsds::parse_lang(&self.source_lang);
        if src.is_none() {
            push("source_lang", "err-choice");
        }
        if self.name.trim().is_empty() {
            push("name", "err-required");
        } else if too_long(&self.name, NAME_MAX) {
            push("name", "err-too-long");
        }
        if kind == Kind::Organization && self.description.trim().is_empty() {
            push("description", "err-required");
        }
        if too_long(&self.description, TEXT_MAX) {
            push("description", "err-too-long");
        }
        for (lang, pair) in &self.translations {
            let Some(code) = hsds::parse_lang(lang) else {
                push("translations", "err-choice");
                continue;
            };
            if Some(&code) == src.as_ref()
                && !(pair.name.trim().is_empty() && pair.description.trim().is_empty())
            {
                push(tr_field(&code, true), "err-directory-translation-source");
            }
            if too_long(&pair.name, NAME_MAX) {
                push(tr_field(&code, true), "err-too-long");
            }
            if too_long(&pair.description, TEXT_MAX) {
                push(tr_field(&code, false), "err-too-long");
            }
        }
        if kind == Kind::Service && !STATUSES.contains(&self.status.trim()) {
            push("status", "err-choice");
        }
        if self
            .phones
            .iter()
            .any(|p| !p.trim().is_empty() && !is_phone(p.trim()))
        {
            push("phones", "err-phone");
        }
        let email = self.email.trim();
        if !email.is_empty()
            && (email.len() > 254
                || email.contains(char::is_whitespace)
                || !email
                    .split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')))
        {
            push("email", "err-directory-email");
        }
        let url = self.url.trim();
        if !url.is_empty()
            && (url.len() > 500
                || url.contains(char::is_whitespace)
                || !(url.starts_with("https://") || url.starts_with("http://")))
        {
            push("url", "err-directory-url");
        }
        let mut bad_time = false;
        let mut bad_order = false;
        for h in &self.hours {
            let (o, c) = (h.opens.trim(), h.closes.trim());
            if o.is_empty() && c.is_empty() {
                continue;
            }
            if !DAYS.contains(&h.day.trim().to_ascii_uppercase().as_str())
                || !is_time(o)
                || !is_time(c)
            {
                bad_time = true;
            } else if c <= o {
                bad_order = true;
            }
        }
        if bad_time {
            push("hours", "err-time");
        } else if bad_order {
            push("hours", "err-end-before-start");
        }
        if self
            .languages
            .iter()
            .any(|l| !l.trim().is_empty() && hsds::parse_lang(l).is_none())
        {
            push("languages", "err-list-item");
        }
        if too_long(&self.fees, TEXT_MAX) {
            push("fees", "err-too-long");
        }
        if too_long(&self.eligibility, TEXT_MAX) {
            push("eligibility", "err-too-long");
        }
        if too_long(&self.service_area, NAME_MAX) {
            push("service_area", "err-too-long");
        }
        let documents: Vec<&str> = self
            .documents
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .collect();
        if self.no_documents && !documents.is_empty() {
            push("documents", "err-directory-documents-conflict");
        } else if documents.iter().any(|d| too_long(d, NAME_MAX)) {
            push("documents", "err-too-long");
        }
        if kind == Kind::Location {
            if self.confidential {
                if !self.address.is_empty() {
                    push("address_street", "err-directory-confidential-address");
                }
            } else {
                if self.address.street.trim().is_empty() {
                    push("address_street", "err-required");
                }
                if self.address.city.trim().is_empty() {
                    push("address_city", "err-required");
                }
            }
            for (f, v) in [
                ("address_street", &self.address.street),
                ("address_postal_code", &self.address.postal_code),
                ("address_city", &self.address.city),
                ("address_country", &self.address.country),
            ] {
                if too_long(v, NAME_MAX) {
                    push(f, "err-too-long");
                }
            }
        }
        if self.location_ids.iter().any(|l| !is_uuid(l.trim())) {
            push("location_ids", "err-choice");
        }
        if self
            .needs
            .iter()
            .any(|n| hsds::need_term_id(n.trim()).is_none())
        {
            push("needs", "err-choice");
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errs))
        }
    }

    /// The entry this input makes of `base` (the entry's current HSDS object, or an empty
    /// object for a new entry). Call [`EntryInput::validate`] first.
    pub fn apply(&self, kind: Kind, id: &str, base: &Value) -> Entry {
        let mut o: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
        let set = |o: &mut Map<String, Value>, k: &str, v: &str| {
            if v.trim().is_empty() {
                o.remove(k);
            } else {
                o.insert(k.to_owned(), Value::String(t(v)));
            }
        };
        o.insert("id".into(), Value::String(id.to_owned()));
        set(&mut o, "name", &self.name);
        set(&mut o, "description", &self.description);
        if kind != Kind::Organization {
            set(&mut o, "organization_id", &self.organization_id);
        }
        if kind != Kind::Location {
            set(&mut o, "email", &self.email);
            set(
                &mut o,
                if kind == Kind::Organization {
                    "website"
                } else {
                    "url"
                },
                &self.url,
            );
        }
        let phones: Vec<Value> = self
            .phones
            .iter()
            .map(|p| t(p))
            .filter(|p| !p.is_empty())
            .map(|p| json!({"id": derived_uuid(&format!("phone:{id}:{p}")), "number": p}))
            .collect();
        o.insert("phones".into(), Value::Array(phones));
        let link_entity = kind.as_str();
        let mut attrs: Vec<Value> = o
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|a| {
                let term = str_field(a, "taxonomy_term_id")
                    .or_else(|| a.get("taxonomy_term").and_then(|t| str_field(t, "id")));
                // The form owns the access attributes, and a service's needs.
                !term.is_some_and(|t| {
                    hsds::HAVEN_TERMS.iter().any(|h| h.0 == t)
                        || (kind == Kind::Service && hsds::NEED_TERMS.iter().any(|h| h.0 == t))
                })
            })
            .cloned()
            .collect();
        let flags: &[(bool, &str)] = match kind {
            Kind::Location => &[(self.confidential, "confidential-location")],
            _ => &[
                (self.no_documents, "no-documents-needed"),
                (self.no_data_to_immigration, "no-data-to-immigration"),
                (self.free, "free-of-charge"),
                (self.anonymous, "anonymous-possible"),
            ],
        };
        for (on, code) in flags {
            if *on {
                attrs.extend(hsds::haven_attribute(id, link_entity, code));
            }
        }
        if kind == Kind::Service {
            for (_, code, _, _) in hsds::NEED_TERMS {
                if self.needs.iter().any(|n| n.trim() == *code) {
                    attrs.extend(hsds::haven_attribute(id, link_entity, code));
                }
            }
        }
        o.insert("attributes".into(), Value::Array(attrs));
        if kind != Kind::Organization {
            let schedules: Vec<Value> = self
                .hours
                .iter()
                .filter(|h| !h.opens.trim().is_empty())
                .map(|h| {
                    let day = h.day.trim().to_ascii_uppercase();
                    json!({
                        "id": derived_uuid(&format!("schedule:{id}:{day}:{}", h.opens.trim())),
                        format!("{}_id", kind.as_str()): id,
                        "freq": "WEEKLY",
                        "byday": day,
                        "opens_at": t(&h.opens),
                        "closes_at": t(&h.closes),
                    })
                })
                .collect();
            o.insert("schedules".into(), Value::Array(schedules));
        }
        if kind == Kind::Service {
            set(&mut o, "status", &self.status);
            set(&mut o, "fees_description", &self.fees);
            set(&mut o, "eligibility_description", &self.eligibility);
            let mut codes: Vec<String> = self
                .languages
                .iter()
                .filter_map(|l| hsds::parse_lang(l))
                .collect();
            codes.dedup();
            let langs: Vec<Value> = codes
                .iter()
                .map(|c| json!({"id": derived_uuid(&format!("language:{id}:{c}")), "service_id": id, "code": c}))
                .collect();
            o.insert("languages".into(), Value::Array(langs));
            let docs: Vec<Value> = self
                .documents
                .iter()
                .map(|d| t(d))
                .filter(|d| !d.is_empty())
                .map(|d| json!({"id": derived_uuid(&format!("document:{id}:{d}")), "service_id": id, "document": d}))
                .collect();
            o.insert("required_documents".into(), Value::Array(docs));
            let areas: Vec<Value> = if self.service_area.trim().is_empty() {
                Vec::new()
            } else {
                vec![json!({
                    "id": derived_uuid(&format!("service_area:{id}")),
                    "service_id": id,
                    "name": t(&self.service_area),
                })]
            };
            o.insert("service_areas".into(), Value::Array(areas));
            let sals: Vec<Value> = self
                .location_ids
                .iter()
                .map(|l| t(l))
                .map(|l| json!({"id": derived_uuid(&format!("sal:{id}:{l}")), "service_id": id, "location_id": l}))
                .collect();
            o.insert("service_at_locations".into(), Value::Array(sals));
        }
        if kind == Kind::Location {
            o.insert("location_type".into(), Value::String("physical".into()));
            o.remove("addresses");
            if !self.confidential {
                let a = &self.address;
                o.insert(
                    "addresses".into(),
                    json!([{
                        "id": derived_uuid(&format!("address:{id}")),
                        "location_id": id,
                        "address_1": t(&a.street),
                        "city": t(&a.city),
                        "state_province": "",
                        "postal_code": t(&a.postal_code),
                        "country": if a.country.trim().is_empty() { "NL".to_owned() } else { t(&a.country) },
                        "address_type": "physical",
                    }]),
                );
            }
        }
        let mut hsds_v = Value::Object(o);
        if kind == Kind::Location {
            hsds::redact_location(&mut hsds_v);
        }
        let source_lang = hsds::parse_lang(&self.source_lang).unwrap_or_else(|| "en".into());
        let mut translations = BTreeMap::new();
        for (lang, pair) in &self.translations {
            let Some(code) = hsds::parse_lang(lang) else {
                continue;
            };
            if code == source_lang {
                continue;
            }
            let mut fields = BTreeMap::new();
            if !pair.name.trim().is_empty() {
                fields.insert("name".to_owned(), t(&pair.name));
            }
            if !pair.description.trim().is_empty() {
                fields.insert("description".to_owned(), t(&pair.description));
            }
            if !fields.is_empty() {
                translations.insert(code, fields);
            }
        }
        Entry {
            hsds: hsds_v,
            source_lang,
            translations,
        }
    }

    /// The form's values for a stored entry.
    pub fn from_entry(kind: Kind, e: &Entry) -> Self {
        let v = &e.hsds;
        let s = |k: &str| str_field(v, k).unwrap_or("").to_owned();
        let arr = |k: &str| -> Vec<Value> {
            v.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let terms: Vec<String> = hsds::attribute_terms(v).into_iter().map(|t| t.0).collect();
        let has =
            |code: &str| hsds::haven_term_id(code).is_some_and(|id| terms.iter().any(|t| t == id));
        let address = arr("addresses")
            .first()
            .map(|a| AddressInput {
                street: str_field(a, "address_1").unwrap_or("").to_owned(),
                postal_code: str_field(a, "postal_code").unwrap_or("").to_owned(),
                city: str_field(a, "city").unwrap_or("").to_owned(),
                country: str_field(a, "country").unwrap_or("").to_owned(),
            })
            .unwrap_or_default();
        Self {
            organization_id: if kind == Kind::Service {
                str_field(v, "organization_id")
                    .or_else(|| v.get("organization").and_then(|o| str_field(o, "id")))
                    .unwrap_or("")
                    .to_owned()
            } else {
                s("organization_id")
            },
            source_lang: e.source_lang.clone(),
            name: s("name"),
            description: s("description"),
            translations: e
                .translations
                .iter()
                .map(|(l, f)| {
                    (
                        l.clone(),
                        TextPair {
                            name: f.get("name").cloned().unwrap_or_default(),
                            description: f.get("description").cloned().unwrap_or_default(),
                        },
                    )
                })
                .collect(),
            status: s("status"),
            phones: arr("phones")
                .iter()
                .filter_map(|p| str_field(p, "number").map(str::to_owned))
                .collect(),
            email: s("email"),
            url: if kind == Kind::Organization {
                s("website")
            } else {
                s("url")
            },
            hours: arr("schedules")
                .iter()
                .filter_map(|h| {
                    Some(HoursRow {
                        day: str_field(h, "byday")?.to_owned(),
                        opens: str_field(h, "opens_at")?.to_owned(),
                        closes: str_field(h, "closes_at").unwrap_or("").to_owned(),
                    })
                })
                .collect(),
            languages: arr("languages")
                .iter()
                .filter_map(|l| str_field(l, "code").map(str::to_owned))
                .collect(),
            free: has("free-of-charge"),
            fees: s("fees_description"),
            no_documents: has("no-documents-needed"),
            documents: arr("required_documents")
                .iter()
                .filter_map(|d| str_field(d, "document").map(str::to_owned))
                .collect(),
            eligibility: s("eligibility_description"),
            service_area: arr("service_areas")
                .first()
                .and_then(|a| str_field(a, "name"))
                .unwrap_or("")
                .to_owned(),
            no_data_to_immigration: has("no-data-to-immigration"),
            anonymous: has("anonymous-possible"),
            confidential: hsds::is_confidential(v),
            address,
            location_ids: arr("service_at_locations")
                .iter()
                .filter_map(|s| {
                    str_field(s, "location_id")
                        .or_else(|| s.get("location").and_then(|l| str_field(l, "id")))
                        .map(str::to_owned)
                })
                .collect(),
            needs: hsds::need_codes(v).into_iter().map(str::to_owned).collect(),
        }
    }

    /// The fields a reviewer compares, as (field id, shown value), for `kind`.
    pub fn shown(&self, kind: Kind) -> Vec<(&'static str, Shown)> {
        let text = |s: &str| Shown::Text(s.to_owned());
        let list = |l: &[String]| Shown::Text(l.join(", "));
        let mut out = vec![
            ("source_lang", text(&self.source_lang)),
            ("name", text(&self.name)),
            ("description", text(&self.description)),
        ];
        for lang in LANGS {
            let pair = self.translations.get(*lang).cloned().unwrap_or_default();
            out.push((tr_field(lang, true), Shown::Text(pair.name)));
            out.push((tr_field(lang, false), Shown::Text(pair.description)));
        }
        out.push(("phones", list(&self.phones)));
        if kind == Kind::Location {
            out.push(("confidential", Shown::Flag(self.confidential)));
            let a = &self.address;
            out.push((
                "address_street",
                Shown::Text(
                    [&a.street, &a.postal_code, &a.city, &a.country]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ));
        } else {
            out.push(("email", text(&self.email)));
            out.push(("url", text(&self.url)));
            out.push(("no_documents", Shown::Flag(self.no_documents)));
            out.push((
                "no_data_to_immigration",
                Shown::Flag(self.no_data_to_immigration),
            ));
            out.push(("free", Shown::Flag(self.free)));
            out.push(("anonymous", Shown::Flag(self.anonymous)));
        }
        if kind != Kind::Organization {
            out.push((
                "hours",
                Shown::Text(
                    self.hours
                        .iter()
                        .map(|h| format!("{} {}–{}", h.day, h.opens, h.closes))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ));
        }
        if kind == Kind::Service {
            out.push(("status", text(&self.status)));
            out.push(("languages", list(&self.languages)));
            out.push(("fees", text(&self.fees)));
            out.push(("documents", list(&self.documents)));
            out.push(("eligibility", text(&self.eligibility)));
            out.push(("service_area", text(&self.service_area)));
            out.push(("location_ids", list(&self.location_ids)));
            out.push(("needs", list(&self.needs)));
        }
        out
    }
}

/// A value as a reviewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Shown {
    Text(String),
    Flag(bool),
}

/// One field a draft changes: its id (the form field), the published and the new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub field: &'static str,
    pub before: Option<Shown>,
    pub after: Shown,
}

/// What a draft changes, field by field, compared with the published entry (`None` for a
/// new entry: then every filled field is listed).
pub fn diff(kind: Kind, published: Option<&Entry>, draft: &Entry) -> Vec<Change> {
    let after = EntryInput::from_entry(kind, draft).shown(kind);
    let before = published.map(|p| EntryInput::from_entry(kind, p).shown(kind));
    after
        .into_iter()
        .filter_map(|(field, a)| {
            let b = before
                .as_ref()
                .and_then(|b| b.iter().find(|(f, _)| *f == field).map(|x| x.1.clone()));
            let empty = matches!(&a, Shown::Text(s) if s.is_empty()) || a == Shown::Flag(false);
            match &b {
                Some(b) if *b == a => None,
                None if empty => None,
                _ => Some(Change {
                    field,
                    before: b,
                    after: a,
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod need_tests {
    use super::*;

    #[test]
    fn a_service_form_sets_and_clears_its_needs_and_keeps_other_attributes() {
        let base = serde_json::json!({"id": "s", "attributes": [
            hsds::haven_attribute("s", "service", "shelter").unwrap(),
            {"id": "x", "taxonomy_term_id": "other-term", "link_type": "other"}
        ]});
        let input = EntryInput {
            name: "Clinic".into(),
            needs: vec!["health".into(), "food".into()],
            ..Default::default()
        };
        let e = input.apply(Kind::Service, "s", &base);
        assert_eq!(hsds::need_codes(&e.hsds), vec!["food", "health"]);
        assert!(e.hsds["attributes"].to_string().contains("other-term"));
        let back = EntryInput::from_entry(Kind::Service, &e);
        assert_eq!(back.needs, vec!["food", "health"]);
        let cleared = EntryInput {
            needs: vec![],
            ..back
        }
        .apply(Kind::Service, "s", &e.hsds);
        assert!(hsds::need_codes(&cleared.hsds).is_empty());
        let bad = EntryInput {
            needs: vec!["jobs".into()],
            ..Default::default()
        };
        match bad.validate(Kind::Service) {
            Err(crate::Error::Invalid(f)) => assert!(f.iter().any(|e| e.field == "needs")),
            other => panic!("{other:?}"),
        }
    }
}
