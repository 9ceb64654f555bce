//! Loading published entries by id, parsing only the fields a view needs, with their
//! translations overlaid and confidential locations redacted.

use serde_json::{json, Map, Value};
use std::collections::HashMap;

use super::sql::fetch_by_ids;
use super::{ORG_SCALARS, SERVICE_SCALARS};
use crate::directory::hsds;
use crate::directory::Kind;
use crate::{Ctx, Result};

/// An entry ready to render: its object, source language, "last checked" and the id in
/// its link column (a service's or location's organisation).
pub(super) struct Row {
    pub hsds: Value,
    pub source_lang: String,
    pub last_checked_at: Option<i64>,
    pub link: Option<String>,
}

/// A published entry as stored.
#[derive(sqlx::FromRow)]
struct Stored {
    id: String,
    hsds: String,
    source_lang: String,
    last_checked_at: Option<i64>,
    link: Option<String>,
}

/// Loads published rows of `table` by id, with the `link` column (the organisation).
async fn load(
    ctx: &Ctx,
    table: &str,
    link: &str,
    ids: &[String],
    keep: Keep,
) -> Result<HashMap<String, Row>> {
    // The firewall by kind, at read time: an organisation's own id, else its link.
    let org = if table == "dir_organizations" {
        "id"
    } else {
        link
    };
    let listed = crate::firewall::listed_sql(&format!("{table}.{org}"));
    let rows: Vec<Stored> = fetch_by_ids(ctx, ids, &[], |list| {
        format!(
            "SELECT id, hsds, source_lang, last_checked_at, {link} AS link FROM {table} \
             WHERE published = 1 AND hsds IS NOT NULL AND {listed} AND id IN ({list})"
        )
    })
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        let hsds = match keep {
            None => serde_json::from_str(&r.hsds),
            Some(keys) => serde::de::DeserializeSeed::deserialize(
                Picked(keys),
                &mut serde_json::Deserializer::from_str(&r.hsds),
            ),
        }
        .map_err(anyhow::Error::from)?;
        out.insert(
            r.id,
            Row {
                hsds,
                source_lang: r.source_lang,
                last_checked_at: r.last_checked_at,
                link: r.link,
            },
        );
    }
    Ok(out)
}

/// Which top-level fields of an entry to parse: all, or only the listed ones (a list
/// shows only scalars; most of a stored service is its nested attributes and phones).
pub(super) type Keep = Option<fn(&str) -> bool>;

/// Parses a JSON object keeping only some of its fields; the others are skipped without
/// being built (`IgnoredAny`), which is most of the cost saved.
struct Picked(fn(&str) -> bool);

impl<'de> serde::de::DeserializeSeed<'de> for Picked {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Picked {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an HSDS object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = m.next_key::<String>()? {
            if (self.0)(&k) {
                out.insert(k, m.next_value()?);
            } else {
                m.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(Value::Object(out))
    }
}

/// The fields a service list item is made of (see [`service_list_item`]).
pub(super) fn service_list_field(k: &str) -> bool {
    SERVICE_SCALARS.contains(&k) || k == "program"
}

pub(super) fn org_scalar(k: &str) -> bool {
    ORG_SCALARS.contains(&k)
}

#[derive(sqlx::FromRow)]
struct TranslationRow {
    entity_id: String,
    field: String,
    value: String,
}

/// Translations into `lang` of the given entries: id → [(field, text)].
async fn translations(
    ctx: &Ctx,
    kind: Kind,
    lang: Option<&str>,
    ids: &[String],
) -> Result<HashMap<String, Vec<(String, String)>>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let Some(lang) = lang else {
        return Ok(out);
    };
    let rows: Vec<TranslationRow> = fetch_by_ids(ctx, ids, &[kind.as_str(), lang], |list| {
        format!(
            "SELECT entity_id, field, value FROM dir_translations WHERE entity_type = $1 \
                 AND lang = $2 AND entity_id IN ({list})"
        )
    })
    .await?;
    for r in rows {
        out.entry(r.entity_id).or_default().push((r.field, r.value));
    }
    Ok(out)
}

/// Entries of one kind, rendered in `lang` (with fallback to their source language).
pub(super) async fn load_rendered(
    ctx: &Ctx,
    kind: Kind,
    lang: Option<&str>,
    ids: &[String],
    keep: Keep,
) -> Result<HashMap<String, Row>> {
    let (table, link) = match kind {
        Kind::Organization => ("dir_organizations", "haven_org_id"),
        Kind::Service => ("dir_services", "organization_id"),
        Kind::Location => ("dir_locations", "organization_id"),
    };
    let mut rows = load(ctx, table, link, ids, keep).await?;
    let tr = translations(ctx, kind, lang, ids).await?;
    for (id, row) in rows.iter_mut() {
        if lang != Some(row.source_lang.as_str()) {
            if let Some(t) = tr.get(id) {
                hsds::overlay(&mut row.hsds, t);
            }
        }
        if kind == Kind::Location {
            hsds::redact_location(&mut row.hsds);
        }
    }
    Ok(rows)
}

/// Only the listed keys of an object.
pub fn pick(v: &Value, keys: &[&str]) -> Value {
    let mut m = Map::new();
    if let Some(o) = v.as_object() {
        for k in keys {
            if let Some(x) = o.get(*k) {
                m.insert((*k).to_owned(), x.clone());
            }
        }
    }
    Value::Object(m)
}

/// Adds "last checked" as an HSDS metadata record (`last_action_type: verified`).
pub(super) fn with_checked(v: &mut Value, kind: Kind, checked: Option<i64>) {
    let (Some(ts), Some(o)) = (checked, v.as_object_mut()) else {
        return;
    };
    let id = o.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let m = json!({
        "id": hsds::derived_uuid(&format!("checked:{id}")),
        "resource_id": id,
        "resource_type": kind.as_str(),
        "last_action_date": hsds::date(ts),
        "last_action_type": "verified",
        "field_name": "",
        "previous_value": "",
        "replacement_value": "",
        "updated_by": "Haven",
    });
    match o.get_mut("metadata").and_then(Value::as_array_mut) {
        Some(a) => a.push(m),
        None => {
            o.insert("metadata".into(), Value::Array(vec![m]));
        }
    }
}
