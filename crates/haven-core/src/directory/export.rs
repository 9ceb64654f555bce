//! Exporting the published directory: as HSDS JSON (a list of fully nested
//! organizations) and as the HSDS CSV data package. Only published entries leave, and a
//! confidential location never carries an address (it is not even stored).

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

use super::hsds;
use super::query::{self, View};
use super::tables::{self, ONE};
use crate::firewall::listed_sql;
use crate::{Ctx, Result};

/// Every published organization, fully nested with its locations and services.
pub async fn to_json(ctx: &Ctx) -> Result<Value> {
    let ids: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT id FROM dir_organizations o WHERE published = 1 AND {} ORDER BY name, id",
        listed_sql("o.id")
    ))
    .fetch_all(&ctx.db.pool)
    .await?;
    let view = View {
        lang: None,
        full: true,
    };
    let mut out = Vec::new();
    for chunk in ids.chunks(100) {
        out.extend(query::render_orgs(ctx, chunk, &view, true).await?);
    }
    Ok(Value::Array(out))
}

pub type Tables = BTreeMap<String, Vec<Map<String, Value>>>;

/// The published directory as HSDS tables (the rows of the CSV data package).
pub async fn to_tables(ctx: &Ctx) -> Result<Tables> {
    let mut t = Tables::new();
    // The firewall by kind at read time: every entry of an organisation listed.
    let (o, l, s) = (
        listed_sql("o.id"),
        listed_sql("l.organization_id"),
        listed_sql("s.organization_id"),
    );
    for (table, sql) in [
        ("organizations", format!("SELECT hsds FROM dir_organizations o WHERE published = 1 AND hsds IS NOT NULL AND {o} ORDER BY id")),
        ("locations", format!("SELECT hsds FROM dir_locations l WHERE published = 1 AND hsds IS NOT NULL AND {l} ORDER BY id")),
        ("services", format!("SELECT hsds FROM dir_services s WHERE published = 1 AND hsds IS NOT NULL AND {s} ORDER BY id")),
        ("service_at_location", format!("SELECT x.hsds FROM dir_service_at_locations x JOIN dir_services s ON s.id = x.service_id WHERE s.published = 1 AND {s} ORDER BY x.id")),
        ("taxonomies", "SELECT hsds FROM dir_taxonomies ORDER BY id".to_owned()),
        ("taxonomy_terms", "SELECT hsds FROM dir_taxonomy_terms ORDER BY id".to_owned()),
    ] {
        let rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&ctx.db.pool).await?;
        for h in rows {
            let mut v: Value = serde_json::from_str(&h).map_err(anyhow::Error::from)?;
            if table == "locations" {
                hsds::redact_location(&mut v);
            }
            flatten(&mut t, table, &v, None);
        }
    }
    Ok(t)
}

/// Adds `v` (a `table` row with nested objects) and everything nested in it.
pub fn flatten(t: &mut Tables, table: &str, v: &Value, parent: Option<(&str, &str)>) {
    let Some(o) = v.as_object() else {
        return;
    };
    let id = o.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let cols = tables::columns(table).unwrap_or(&[]);
    let mut row = Map::new();
    for (k, x) in o {
        if cols.contains(&k.as_str()) && !x.is_array() && !x.is_object() && !x.is_null() {
            row.insert(k.clone(), x.clone());
        }
    }
    if let Some((pt, pid)) = parent {
        let col = match table {
            "attributes" => Some("link_id"),
            "metadata" => Some("resource_id"),
            _ => tables::children()
                .find(|c| c.0 == pt && c.2 == table)
                .map(|c| c.3),
        };
        if let Some(col) = col {
            row.entry(col.to_owned())
                .or_insert_with(|| Value::String(pid.to_owned()));
        }
    }
    for (k, x) in o {
        if let Some(items) = x.as_array() {
            let child = match k.as_str() {
                "attributes" => Some("attributes"),
                "metadata" => Some("metadata"),
                _ => tables::children()
                    .find(|c| c.0 == table && c.1 == k)
                    .map(|c| c.2),
            };
            if let Some(child) = child {
                for item in items {
                    flatten(t, child, item, Some((table, &id)));
                }
            }
        } else if x.is_object() {
            if let Some((_, _, child, col)) = ONE.iter().find(|c| c.0 == table && c.1 == k) {
                if let Some(cid) = x.get("id").and_then(Value::as_str) {
                    row.entry((*col).to_owned())
                        .or_insert_with(|| Value::String(cid.to_owned()));
                }
                flatten(t, child, x, None);
            }
        }
    }
    let rows = t.entry(table.to_owned()).or_default();
    match rows
        .iter_mut()
        .find(|r| r.get("id").and_then(Value::as_str) == Some(id.as_str()))
    {
        Some(existing) => {
            for (k, x) in row {
                existing.entry(k).or_insert(x);
            }
        }
        None => rows.push(row),
    }
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Writes the CSV data package (one file per table and `datapackage.json`) into `dir`.
pub fn write_csv_package(t: &Tables, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut resources = Vec::new();
    for (table, cols) in tables::TABLES {
        let mut w = csv::Writer::from_path(dir.join(tables::file_of(table)))?;
        w.write_record(*cols)?;
        for r in t.get(*table).into_iter().flatten() {
            w.write_record(cols.iter().map(|c| cell(r.get(*c))))?;
        }
        w.flush()?;
        let fields: Vec<Value> = cols
            .iter()
            .map(|c| {
                json!({"name": c, "type": if tables::is_number(table, c) { "number" } else { "string" }})
            })
            .collect();
        resources.push(json!({
            "name": table,
            "path": tables::file_of(table),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "schema": {"fields": fields, "primaryKey": "id"},
        }));
    }
    let package = json!({
        "name": "haven-directory",
        "title": "Haven services directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "version": hsds::HSDS_VERSION,
        "resources": resources,
    });
    std::fs::write(
        dir.join("datapackage.json"),
        serde_json::to_string_pretty(&package)?,
    )?;
    Ok(())
}
