//! The directory entry as partner staff edit it: a flat, validated input
//! ([`EntryInput`]) that the staff pages and the JSON API share, and its mapping to and
//! from the HSDS object kept in storage.
//!
//! Applying an input to an entry starts from the entry's current HSDS object and replaces
//! only the fields the form controls, so fields that came from an import (and that the
//! form does not show) survive an edit.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod apply;
mod read;
mod validate;

use super::{Entry, Kind};

/// The languages the forms offer text fields for.
pub const LANGS: &[&str] = &["en", "fr", "ar", "ti", "nl"];

/// The days of a weekly schedule, as HSDS `byday` codes.
pub const DAYS: &[&str] = &["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

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

/// A form value without the space around it.
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
    use crate::directory::hsds;

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
