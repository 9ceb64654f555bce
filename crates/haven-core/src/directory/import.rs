//! Importing an HSDS dataset: the JSON forms (an object, a list or a Page of
//! organizations, services or service_at_locations; `tabular.json`) and the CSV data
//! package. Every record that is not imported is reported with its file, row, field and
//! the reason; a broken optional link is dropped and reported as a warning.

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::hsds::str_field;
use super::tables::{self, CHILDREN, FOREIGN_KEYS, ONE};
use super::{normalize, store, store_taxonomy, store_term, Entry, Kind};
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
/// Rows of one table that share a link value.
type LinkIndex<'a> = HashMap<(&'a str, &'a str), HashMap<&'a str, Vec<&'a Map<String, Value>>>>;

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

fn issues_of(e: &Error, file: &str, row: usize) -> Vec<Issue> {
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
            import_tables(&mut tx, &mut report, &mut ids, t, &file, now).await?;
        }
    }
    tx.log(ctx, actor, "directory.import", "directory", &ids)
        .await?;
    tx.commit().await?;
    super::bump();
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
        match store(tx, k, &e, now, None).await {
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

type Rows = BTreeMap<String, Vec<Row>>;

/// Checks the tables, nests their rows into HSDS objects and stores them.
async fn import_tables(
    tx: &mut AuditTx<'_>,
    report: &mut Report,
    ids: &mut Vec<String>,
    mut t: Rows,
    json_file: &str,
    now: i64,
) -> Result<()> {
    let file = |table: &str| {
        if json_file.is_empty() {
            tables::file_of(table)
        } else {
            format!("{json_file} ({})", tables::file_of(table))
        }
    };
    // Unknown tables are reported, not guessed at.
    let unknown: Vec<String> = t
        .keys()
        .filter(|k| tables::columns(k).is_none())
        .cloned()
        .collect();
    for k in unknown {
        t.remove(&k);
        report.rejected.push(Issue {
            file: file(&k),
            row: None,
            field: None,
            message: format!("{k} is not a table of HSDS 3.0; its rows were not imported"),
        });
    }
    // Types, ids and duplicates.
    let mut accepted: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for (table, cols) in tables::TABLES {
        let Some(rows) = t.get_mut(*table) else {
            continue;
        };
        let seen = accepted.entry((*table).to_owned()).or_default();
        let mut keep = Vec::new();
        for (line, mut r) in std::mem::take(rows) {
            let mut bad = None;
            for (k, v) in r.iter_mut() {
                if !cols.contains(&k.as_str()) {
                    bad = Some((k.clone(), format!("{k} is not a column of {table}")));
                    break;
                }
                if tables::is_number(table, k) {
                    if let Some(s) = v.as_str() {
                        match number(s) {
                            Some(n) => *v = n,
                            None => {
                                bad =
                                    Some((k.clone(), format!("{k} must be a number, not \"{s}\"")));
                                break;
                            }
                        }
                    }
                }
            }
            let id = r.get("id").and_then(Value::as_str).map(str::to_owned);
            if bad.is_none() {
                match &id {
                    None => bad = Some(("id".into(), "id is required but missing".into())),
                    Some(id) if seen.contains_key(id) => {
                        bad = Some((
                            "id".into(),
                            format!("id {id} is used twice (first on row {})", seen[id]),
                        ))
                    }
                    _ => {}
                }
            }
            match bad {
                Some((field, message)) => report.rejected.push(Issue {
                    file: file(table),
                    row: Some(line),
                    field: Some(field),
                    message,
                }),
                None => {
                    seen.insert(id.unwrap_or_default(), line);
                    keep.push((line, r));
                }
            }
        }
        *rows = keep;
    }
    // Links, in dependency order: a link to a row that is missing (or was not imported)
    // is dropped; a row left with nowhere to belong is not imported.
    for (table, _) in tables::TABLES {
        let Some(rows) = t.get_mut(*table) else {
            continue;
        };
        let mut keep = Vec::new();
        for (line, mut r) in std::mem::take(rows) {
            for (_, col, target) in FOREIGN_KEYS.iter().filter(|f| f.0 == *table) {
                let Some(v) = r.get(*col).and_then(Value::as_str).map(str::to_owned) else {
                    continue;
                };
                if !accepted.get(*target).is_some_and(|s| s.contains_key(&v)) {
                    r.remove(*col);
                    report.warnings.push(Issue {
                        file: file(table),
                        row: Some(line),
                        field: Some((*col).to_owned()),
                        message: format!(
                            "{col} refers to {v}, which is not among the imported rows of {}; \
                             the row was imported without this link",
                            tables::file_of(target)
                        ),
                    });
                }
            }
            let homeless = match *table {
                "attributes" | "metadata" => {
                    let col = if *table == "attributes" {
                        "link_id"
                    } else {
                        "resource_id"
                    };
                    let target = r.get(col).and_then(Value::as_str).unwrap_or("");
                    let found = accepted.iter().any(|(_, s)| s.contains_key(target));
                    (!found).then(|| {
                        (
                            col,
                            format!(
                                "{col} {target} matches no imported row of any file, so there \
                                 is nothing to attach this {} to",
                                if *table == "attributes" {
                                    "attribute"
                                } else {
                                    "metadata record"
                                }
                            ),
                        )
                    })
                }
                _ => {
                    let parents: Vec<&str> = CHILDREN
                        .iter()
                        .filter(|c| c.2 == *table)
                        .map(|c| c.3)
                        .collect();
                    let root = matches!(
                        *table,
                        "organizations"
                            | "services"
                            | "locations"
                            | "taxonomies"
                            | "taxonomy_terms"
                            | "meta_table_descriptions"
                    );
                    let linked = parents.iter().any(|p| r.contains_key(*p))
                        || (*table == "programs" && r.contains_key("organization_id"));
                    (!root && !linked).then(|| {
                        (
                            parents.first().copied().unwrap_or("id"),
                            format!(
                                "the row links to none of {}, so there is nothing to attach it to",
                                parents.join(", ")
                            ),
                        )
                    })
                }
            };
            match homeless {
                Some((field, message)) => {
                    if let Some(id) = r.get("id").and_then(Value::as_str) {
                        if let Some(s) = accepted.get_mut(*table) {
                            s.remove(id);
                        }
                    }
                    report.rejected.push(Issue {
                        file: file(table),
                        row: Some(line),
                        field: Some(field.to_owned()),
                        message,
                    });
                }
                None => keep.push((line, r)),
            }
        }
        *rows = keep;
    }
    // Accepted rows per file.
    for (table, rows) in &t {
        if !rows.is_empty() {
            report.imported.insert(tables::file_of(table), rows.len());
        }
    }
    let nest = Nester::new(&t);
    for (_, r) in t.get("taxonomies").into_iter().flatten() {
        store_taxonomy(tx, &Value::Object(r.clone()), now).await?;
    }
    for (_, r) in t.get("taxonomy_terms").into_iter().flatten() {
        store_term(tx, &nest.object("taxonomy_terms", r, 0), now).await?;
    }
    for (table, kind) in [
        ("organizations", Kind::Organization),
        ("locations", Kind::Location),
        ("services", Kind::Service),
    ] {
        for (line, r) in t.get(table).into_iter().flatten() {
            let v = nest.object(table, r, 0);
            let e = Entry::new(v, "en");
            match store(tx, kind, &e, now, None).await {
                Ok(()) => ids.push(format!("{}:{}", kind.as_str(), e.id().unwrap_or_default())),
                Err(err @ Error::Invalid(_)) => {
                    report
                        .imported
                        .entry(tables::file_of(table))
                        .and_modify(|n| *n -= 1);
                    report.rejected.extend(issues_of(&err, &file(table), *line));
                }
                Err(other) => return Err(other),
            }
        }
    }
    Ok(())
}

fn number(s: &str) -> Option<Value> {
    let s = s.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

/// Builds nested HSDS objects from rows, with an index per link column.
struct Nester<'a> {
    t: &'a Rows,
    by_link: LinkIndex<'a>,
    by_id: HashMap<&'a str, HashMap<&'a str, &'a Map<String, Value>>>,
}

impl<'a> Nester<'a> {
    fn new(t: &'a Rows) -> Self {
        let mut by_link: LinkIndex<'a> = HashMap::new();
        let mut by_id: HashMap<&str, HashMap<&str, &Map<String, Value>>> = HashMap::new();
        let link_cols: HashSet<(&str, &str)> = CHILDREN
            .iter()
            .map(|c| (c.2, c.3))
            .chain([("attributes", "link_id"), ("metadata", "resource_id")])
            .collect();
        for (table, rows) in t {
            for (_, r) in rows {
                if let Some(id) = r.get("id").and_then(Value::as_str) {
                    by_id.entry(table.as_str()).or_default().insert(id, r);
                }
                for (lt, col) in link_cols.iter().filter(|(lt, _)| *lt == table.as_str()) {
                    if let Some(v) = r.get(*col).and_then(Value::as_str) {
                        by_link
                            .entry((*lt, *col))
                            .or_default()
                            .entry(v)
                            .or_default()
                            .push(r);
                    }
                }
            }
        }
        Self { t, by_link, by_id }
    }

    fn children(&self, table: &str, col: &str, id: &str) -> Vec<&'a Map<String, Value>> {
        self.by_link
            .get(&(table, col))
            .and_then(|m| m.get(id))
            .cloned()
            .unwrap_or_default()
    }

    /// The row as an HSDS object with everything that belongs to it nested.
    fn object(&self, table: &str, r: &Map<String, Value>, depth: usize) -> Value {
        let mut o = r.clone();
        let id = r.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        if depth < 8 {
            for (_, key, child, col) in CHILDREN.iter().filter(|c| c.0 == table) {
                let kids: Vec<Value> = self
                    .children(child, col, &id)
                    .into_iter()
                    .map(|k| self.object(child, k, depth + 1))
                    .collect();
                if !kids.is_empty() {
                    o.insert((*key).to_owned(), Value::Array(kids));
                }
            }
            for (_, key, child, col) in ONE.iter().filter(|c| c.0 == table) {
                // Locations and organizations are stored on their own, not copied in.
                if matches!(*child, "locations" | "organizations") {
                    continue;
                }
                let target = r.get(*col).and_then(Value::as_str);
                if let Some(k) = target.and_then(|v| self.by_id.get(child).and_then(|m| m.get(v))) {
                    o.insert((*key).to_owned(), self.object(child, k, depth + 1));
                }
            }
            if table != "attributes" && table != "metadata" {
                let attrs: Vec<Value> = self
                    .children("attributes", "link_id", &id)
                    .into_iter()
                    .map(|k| self.object("attributes", k, depth + 1))
                    .collect();
                if !attrs.is_empty() {
                    o.insert("attributes".into(), Value::Array(attrs));
                }
            }
            if table != "metadata" {
                let meta: Vec<Value> = self
                    .children("metadata", "resource_id", &id)
                    .into_iter()
                    .map(|k| Value::Object(k.clone()))
                    .collect();
                if !meta.is_empty() {
                    o.insert("metadata".into(), Value::Array(meta));
                }
            }
        }
        let _ = self.t;
        Value::Object(o)
    }
}
