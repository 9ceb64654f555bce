//! From a form to the HSDS object: only the fields the form controls are replaced.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

use super::{t, EntryInput};
use crate::directory::hsds::{self, derived_uuid, str_field};
use crate::directory::{Entry, Kind};

/// Sets a text field, or removes it when the form left it empty.
fn set(o: &mut Map<String, Value>, k: &str, v: &str) {
    if v.trim().is_empty() {
        o.remove(k);
    } else {
        o.insert(k.to_owned(), Value::String(t(v)));
    }
}

impl EntryInput {
    /// The entry this input makes of `base` (the entry's current HSDS object, or an empty
    /// object for a new entry). Call [`EntryInput::validate`] first.
    pub fn apply(&self, kind: Kind, id: &str, base: &Value) -> Entry {
        let mut o: Map<String, Value> = base.as_object().cloned().unwrap_or_default();
        o.insert("id".into(), Value::String(id.to_owned()));
        set(&mut o, "name", &self.name);
        set(&mut o, "description", &self.description);
        if kind != Kind::Organization {
            set(&mut o, "organization_id", &self.organization_id);
        }
        if kind != Kind::Location {
            set(&mut o, "email", &self.email);
            let url_field = if kind == Kind::Organization {
                "website"
            } else {
                "url"
            };
            set(&mut o, url_field, &self.url);
        }
        let phones: Vec<Value> = self
            .phones
            .iter()
            .map(|p| t(p))
            .filter(|p| !p.is_empty())
            .map(|p| json!({"id": derived_uuid(&format!("phone:{id}:{p}")), "number": p}))
            .collect();
        o.insert("phones".into(), Value::Array(phones));
        let attrs = self.attributes(kind, id, &o);
        o.insert("attributes".into(), Value::Array(attrs));
        if kind != Kind::Organization {
            o.insert("schedules".into(), Value::Array(self.schedules(kind, id)));
        }
        match kind {
            Kind::Service => self.apply_service(id, &mut o),
            Kind::Location => self.apply_location(id, &mut o),
            Kind::Organization => {}
        }
        let mut hsds_v = Value::Object(o);
        if kind == Kind::Location {
            hsds::redact_location(&mut hsds_v);
        }
        let source_lang = hsds::parse_lang(&self.source_lang).unwrap_or_else(|| "en".into());
        Entry {
            hsds: hsds_v,
            translations: self.translations_besides(&source_lang),
            source_lang,
        }
    }

    /// The entry's attributes: those the form does not own, kept, and the form's flags
    /// (and a service's needs) as Haven attributes.
    fn attributes(&self, kind: Kind, id: &str, o: &Map<String, Value>) -> Vec<Value> {
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
        attrs
    }

    /// The opening hours as weekly HSDS schedules of a service or location.
    fn schedules(&self, kind: Kind, id: &str) -> Vec<Value> {
        self.hours
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
            .collect()
    }

    /// A service's status, access, languages, documents, area and locations.
    fn apply_service(&self, id: &str, o: &mut Map<String, Value>) {
        set(o, "status", &self.status);
        set(o, "fees_description", &self.fees);
        set(o, "eligibility_description", &self.eligibility);
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

    /// A location's type and address; a confidential location keeps none.
    fn apply_location(&self, id: &str, o: &mut Map<String, Value>) {
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

    /// The filled translations, except into the source language.
    fn translations_besides(
        &self,
        source_lang: &str,
    ) -> BTreeMap<String, BTreeMap<String, String>> {
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
        translations
    }
}
