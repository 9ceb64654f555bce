//! From the HSDS object back to a form, and the fields a reviewer compares.

use serde_json::Value;

use super::{tr_field, AddressInput, EntryInput, HoursRow, Shown, TextPair, LANGS};
use crate::directory::hsds::{self, str_field};
use crate::directory::{Entry, Kind};

impl EntryInput {
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
