//! Importing an HSDS dataset: the JSON forms (an object, a list or a Page of
//! organizations, services or service_at_locations; `tabular.json`) and the CSV data
//! package. Every record that is not imported is reported with its file, row, field and
//! the reason; a broken optional link is dropped and reported as a warning.

mod rows;

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

use super::hsds::str_field;
use super::tables;
use super::{normalize, publish_entry, store_term, Entry, Kind};
use crate::audit::AuditTx;
use crate::{Actor, Ctx, Error, Permission, Result};

/// One problem with one record.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Issue {
    pub file: String,
    /// CSV: the line number (the header is line 1). JSON: the 1-based item number.
    pub row: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Entries stored, per kind (organization, service, location, service_at_location,
    /// taxonomy, taxonomy_term) or, for CSV, rows accepted per file.
    pub imported: BTreeMap<String, usize>,
    /// Records that were not imported, and why.
    pub rejected: Vec<Issue>,
    /// Records that were imported with something left out (a link to a missing row).
    pub warnings: Vec<Issue>,
}

/// One table row: its line (CSV) or item number (JSON) and its fields.
pub type Row = (usize, Map<String, Value>);

/// A dataset read from files, before it is stored.
pub enum Dataset {
    /// HSDS objects as found in a JSON file (file name, item number, object).
    Objects(Vec<(String, usize, Value)>),
    /// Tables as in the CSV data package: table → rows (line number, fields).
    Tables(BTreeMap<String, Vec<Row>>, String),
}

/// Reads `path`: a JSON file, a CSV data package directory, or its datapackage.json.
pub fn read_path(path: &Path) -> std::result::Result<Dataset, String> {
    if path.is_dir() {
        return read_csv_dir(path);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == "datapackage.json" {
        if let Some(dir) = path.parent() {
            return read_csv_dir(dir);
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    read_json(&name, &text)
}

/// Parses a JSON document in one of the HSDS forms.
pub fn read_json(file: &str, text: &str) -> std::result::Result<Dataset, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{file}: not JSON: {e}"))?;
    if let Some(o) = v.as_object() {
        if !o.is_empty() && o.keys().all(|k| k.ends_with(".csv")) {
            let mut t = BTreeMap::new();
            for (k, rows) in o {
                let table = k.trim_end_matches(".csv").to_owned();
                let rows = rows
                    .as_array()
                    .ok_or_else(|| format!("{file}: {k} is not a list of rows"))?;
                let mut out = Vec::new();
                for (i, r) in rows.iter().enumerate() {
                    let Some(r) = r.as_object() else {
                        return Err(format!("{file}: {k} item {} is not an object", i + 1));
                    };
                    out.push((i + 1, r.clone()));
                }
                t.insert(table, out);
            }
            return Ok(Dataset::Tables(t, file.to_owned()));
        }
        if let Some(c) = o.get("contents").and_then(Value::as_array) {
            return Ok(Dataset::Objects(
                c.iter()
                    .enumerate()
                    .map(|(i, x)| (file.to_owned(), i + 1, x.clone()))
                    .collect(),
            ));
        }
    }
    match v {
        Value::Array(a) => Ok(Dataset::Objects(
            a.into_iter()
                .enumerate()
                .map(|(i, x)| (file.to_owned(), i + 1, x))
                .collect(),
        )),
        other => Ok(Dataset::Objects(vec![(file.to_owned(), 1, other)])),
    }
}

fn read_csv_dir(dir: &Path) -> std::result::Result<Dataset, String> {
    let mut out = BTreeMap::new();
    for (table, _) in tables::TABLES {
        let p = dir.join(tables::file_of(table));
        if !p.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{table}.csv: {e}"))?;
        out.insert((*table).to_owned(), read_csv(table, &text)?);
    }
    if out.is_empty() {
        return Err("no HSDS CSV files (organizations.csv, services.csv, …) found".into());
    }
    Ok(Dataset::Tables(out, String::new()))
}

/// Parses one CSV file into rows of strings (empty cells left out); numbers are typed
/// later, where a bad one can be reported against its row.
pub fn read_csv(table: &str, text: &str) -> std::result::Result<Vec<Row>, String> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = r
        .headers()
        .map_err(|e| format!("{table}.csv: {e}"))?
        .clone();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("{table}.csv line {}: {e}", i + 2))?;
        let mut m = Map::new();
        for (h, v) in headers.iter().zip(rec.iter()) {
            if !v.is_empty() {
                m.insert(h.trim().to_owned(), Value::String(v.to_owned()));
            }
        }
        rows.push((i + 2, m));
    }
    Ok(rows)
}

/// Guesses what an HSDS object is from its fields.
fn kind_of(v: &Value) -> Option<&'static str> {
    let o = v.as_object()?;
    if o.contains_key("status") {
        Some("service")
    } else if o.contains_key("service") || o.contains_key("service_id") {
        Some("service_at_location")
    } else if o.contains_key("location_type") {
        Some("location")
    } else if o.contains_key("taxonomy_detail")
        || o.contains_key("term_uri")
        || o.contains_key("taxonomy_id")
    {
        Some("taxonomy_term")
    } else if o.contains_key("name") {
        Some("organization")
    } else {
        None
    }
}

fn message(code: &str) -> &'static str {
    match code {
        "err-required" => "is required but missing or empty",
        "err-directory-uuid" => "is not a UUID",
        "err-choice" => "has a value HSDS does not allow",
        "err-directory-unknown-link" => "refers to an entry that is not in the directory",
        "err-directory-not-object" => "is not a JSON object",
        _ => "is not valid",
    }
}

pub(super) fn issues_of(e: &Error, file: &str, row: usize) -> Vec<Issue> {
    match e {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| Issue {
                file: file.to_owned(),
                row: Some(row),
                field: Some(f.field.to_owned()),
                message: format!("{} {}", f.field, message(f.code)),
            })
            .collect(),
        _ => vec![Issue {
            file: file.to_owned(),
            row: Some(row),
            field: None,
            message: "could not be stored".into(),
        }],
    }
}

/// Imports a dataset and publishes it. Requires `DirectoryPublish`; one audit event
/// names every entry stored. Records that cannot be stored are reported, not fatal.
pub async fn import(ctx: &Ctx, actor: &Actor, data: Dataset) -> Result<Report> {
    actor.require(Permission::DirectoryPublish)?;
    let now = ctx.clock.now_ts();
    let mut report = Report::default();
    let mut ids = Vec::new();
    let mut tx = AuditTx::begin(ctx).await?;
    match data {
        Dataset::Objects(items) => {
            for (file, row, v) in items {
                import_object(&mut tx, &mut report, &mut ids, &file, row, v, now).await?;
            }
        }
        Dataset::Tables(t, file) => {
            rows::import_tables(&mut tx, &mut report, &mut ids, t, &file, now).await?;
        }
    }
    tx.log(ctx, actor, "directory.import", "directory", &ids)
        .await?;
    tx.commit().await?;
    crate::generation::moved(ctx, crate::generation::Area::Directory).await;
    Ok(report)
}

async fn import_object(
    tx: &mut AuditTx<'_>,
    report: &mut Report,
    ids: &mut Vec<String>,
    file: &str,
    row: usize,
    v: Value,
    now: i64,
) -> Result<()> {
    let reject = |report: &mut Report, field: Option<&str>, message: String| {
        report.rejected.push(Issue {
            file: file.to_owned(),
            row: Some(row),
            field: field.map(str::to_owned),
            message,
        })
    };
    let kind = match kind_of(&v) {
        Some("organization") => Kind::Organization,
        Some("service") => Kind::Service,
        Some("location") => Kind::Location,
        Some("taxonomy_term") => {
            if str_field(&v, "id").is_none() {
                reject(report, Some("id"), "id is required but missing".into());
            } else {
                store_term(tx, &v, now).await?;
                *report.imported.entry("taxonomy_term".into()).or_default() += 1;
            }
            return Ok(());
        }
        Some("service_at_location") => {
            // Stored through its service, which must be in the same file or the directory.
            let mut service = match v.get("service").filter(|s| s.is_object()) {
                Some(s) => s.clone(),
                None => {
                    reject(
                        report,
                        Some("service"),
                        "a service_at_location is imported with its nested service".into(),
                    );
                    return Ok(());
                }
            };
            if let Some(o) = service.as_object_mut() {
                let sal = super::hsds::without(&v, &["service"]);
                o.insert("service_at_locations".into(), Value::Array(vec![sal]));
            }
            return Box::pin(import_object(tx, report, ids, file, row, service, now)).await;
        }
        _ => {
            reject(
                report,
                None,
                "is not an HSDS organization, service, location, service_at_location or taxonomy_term".into(),
            );
            return Ok(());
        }
    };
    let parts = normalize(kind, Entry::new(v, "en"), true);
    for (k, e) in &parts {
        if let Err(err) = super::check(*k, e) {
            report.rejected.extend(issues_of(&err, file, row));
            return Ok(());
        }
    }
    for (k, e) in parts {
        match publish_entry(tx, k, &e, now, None).await {
            Ok(()) => {
                *report.imported.entry(k.as_str().into()).or_default() += 1;
                let sals = e
                    .hsds
                    .get("service_at_locations")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                if sals > 0 {
                    *report
                        .imported
                        .entry("service_at_location".into())
                        .or_default() += sals;
                }
                ids.push(format!("{}:{}", k.as_str(), e.id().unwrap_or_default()));
            }
            Err(Error::Invalid(f)) => {
                report
                    .rejected
                    .extend(issues_of(&Error::Invalid(f), file, row));
                return Ok(());
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}
