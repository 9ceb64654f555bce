//! Directory entries as they are drafted, checked and split for storage.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

use super::hsds::{self, str_field, without};
use crate::{Error, FieldError, Result};

/// The kinds of directory entry that are kept, drafted and published on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Organization,
    Service,
    Location,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Service => "service",
            Kind::Location => "location",
        }
    }

    pub(super) fn table(self) -> &'static str {
        match self {
            Kind::Organization => "dir_organizations",
            Kind::Service => "dir_services",
            Kind::Location => "dir_locations",
        }
    }
}

/// One directory entry as it is drafted, reviewed and published: the HSDS object in its
/// source language plus translations of its text fields (`lang → field → text`, fields
/// from [`hsds::TRANSLATABLE`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub hsds: Value,
    pub source_lang: String,
    #[serde(default)]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

impl Entry {
    pub fn new(hsds: Value, source_lang: &str) -> Self {
        Self {
            hsds,
            source_lang: source_lang.to_owned(),
            translations: BTreeMap::new(),
        }
    }

    pub fn id(&self) -> Option<&str> {
        str_field(&self.hsds, "id")
    }
}

pub(super) const STATUSES: &[&str] = &["active", "inactive", "defunct", "temporarily closed"];

/// Checks what storage relies on: an object with a UUID id and a name (and, for a
/// service, a valid status and its organisation; for a location, a valid type). Every
/// problem is reported at once.
pub fn check(kind: Kind, e: &Entry) -> Result<()> {
    let mut errs = Vec::new();
    let v = &e.hsds;
    if !v.is_object() {
        return Err(Error::invalid("hsds", "err-directory-not-object"));
    }
    match str_field(v, "id") {
        None => errs.push(FieldError::new("id", "err-required")),
        Some(id) if uuid::Uuid::parse_str(id).is_err() => {
            errs.push(FieldError::new("id", "err-directory-uuid"))
        }
        _ => {}
    }
    if kind != Kind::Location && str_field(v, "name").is_none() {
        errs.push(FieldError::new("name", "err-required"));
    }
    if kind == Kind::Organization && v.get("description").and_then(Value::as_str).is_none() {
        errs.push(FieldError::new("description", "err-required"));
    }
    if kind == Kind::Service {
        match str_field(v, "status") {
            Some(s) if STATUSES.contains(&s) => {}
            _ => errs.push(FieldError::new("status", "err-choice")),
        }
        if service_org_id(v).is_none() {
            errs.push(FieldError::new("organization_id", "err-required"));
        }
    }
    if kind == Kind::Location {
        match str_field(v, "location_type") {
            Some("physical" | "postal" | "virtual") => {}
            _ => errs.push(FieldError::new("location_type", "err-choice")),
        }
    }
    if hsds::parse_lang(&e.source_lang).is_none() {
        errs.push(FieldError::new("source_lang", "err-choice"));
    }
    for (lang, fields) in &e.translations {
        if hsds::parse_lang(lang).is_none()
            || fields
                .keys()
                .any(|f| !hsds::TRANSLATABLE.contains(&f.as_str()))
        {
            errs.push(FieldError::new("translations", "err-choice"));
            break;
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errs))
    }
}

pub(super) fn service_org_id(v: &Value) -> Option<String> {
    str_field(v, "organization_id")
        .or_else(|| v.get("organization").and_then(|o| str_field(o, "id")))
        .map(str::to_owned)
}

/// Splits an entry into the entries storage keeps separately, in the order they must be
/// stored: an organization's nested locations and services; a service's nested locations
/// (in its service_at_locations) and, with `with_parents`, its nested organization.
pub fn normalize(kind: Kind, e: Entry, with_parents: bool) -> Vec<(Kind, Entry)> {
    let lang = e.source_lang.clone();
    match kind {
        Kind::Organization => {
            let org_id = e.id().unwrap_or_default().to_owned();
            let locations = e.hsds.get("locations").and_then(Value::as_array).cloned();
            let services = e.hsds.get("services").and_then(Value::as_array).cloned();
            let mut out = vec![(
                Kind::Organization,
                Entry {
                    hsds: without(&e.hsds, &["services", "locations"]),
                    ..e
                },
            )];
            for mut l in locations.into_iter().flatten() {
                if let Some(o) = l.as_object_mut() {
                    o.entry("organization_id")
                        .or_insert_with(|| Value::String(org_id.clone()));
                }
                out.push((Kind::Location, Entry::new(l, &lang)));
            }
            for mut s in services.into_iter().flatten() {
                if service_org_id(&s).is_none() {
                    if let Some(o) = s.as_object_mut() {
                        o.insert("organization_id".into(), Value::String(org_id.clone()));
                    }
                }
                out.extend(normalize(Kind::Service, Entry::new(s, &lang), false));
            }
            out
        }
        Kind::Service => {
            let mut out = Vec::new();
            if with_parents {
                if let Some(o) = e.hsds.get("organization").filter(|o| o.is_object()) {
                    out.extend(normalize(
                        Kind::Organization,
                        Entry::new(o.clone(), &lang),
                        false,
                    ));
                }
            }
            for sal in e
                .hsds
                .get("service_at_locations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(l) = sal.get("location").filter(|l| l.is_object()) {
                    out.push((Kind::Location, Entry::new(l.clone(), &lang)));
                }
            }
            out.push((Kind::Service, e));
            out
        }
        Kind::Location => vec![(Kind::Location, e)],
    }
}

/// The directory organisation an entry belongs to, for the edit check.
pub(super) fn owning_org(kind: Kind, v: &Value) -> Option<String> {
    match kind {
        Kind::Organization => str_field(v, "id").map(str::to_owned),
        Kind::Service => service_org_id(v),
        Kind::Location => str_field(v, "organization_id").map(str::to_owned),
    }
}

/// A draft waiting for review.
#[derive(Debug, Clone, Serialize)]
pub struct Pending {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub draft_at: i64,
    pub published_before: bool,
}
