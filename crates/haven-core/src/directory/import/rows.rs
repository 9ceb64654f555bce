//! Importing the CSV data package (or `tabular.json`): the tables are checked, their
//! rows nested into HSDS objects, and the objects stored.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

use super::{issues_of, Issue, Report, Row};
use crate::audit::AuditTx;
use crate::directory::tables::{self, FOREIGN_KEYS, ONE};
use crate::directory::{publish_entry, store_taxonomy, store_term, Entry, Kind};
use crate::{Error, Result};

type Rows = BTreeMap<String, Vec<Row>>;
/// Rows of one table that share a link value.
type LinkIndex<'a> = HashMap<(&'a str, &'a str), HashMap<&'a str, Vec<&'a Map<String, Value>>>>;
/// The ids accepted so far, per table, with the line each came from.
type Accepted = HashMap<String, HashMap<String, usize>>;

/// How a table's file is named in the report: its CSV file, within the JSON file when
/// the tables came in one.
struct Files<'a>(&'a str);

impl Files<'_> {
    fn of(&self, table: &str) -> String {
        if self.0.is_empty() {
            tables::file_of(table)
        } else {
            format!("{} ({})", self.0, tables::file_of(table))
        }
    }
}

/// Checks the tables, nests their rows into HSDS objects and stores them.
pub(super) async fn import_tables(
    tx: &mut AuditTx<'_>,
    report: &mut Report,
    ids: &mut Vec<String>,
    mut t: Rows,
    json_file: &str,
    now: i64,
) -> Result<()> {
    let files = Files(json_file);
    drop_unknown(&mut t, report, &files);
    let mut accepted = Accepted::new();
    check_rows(&mut t, report, &files, &mut accepted);
    check_links(&mut t, report, &files, &mut accepted);
    store(tx, report, ids, &t, &files, now).await
}

/// Unknown tables are reported, not guessed at.
fn drop_unknown(t: &mut Rows, report: &mut Report, files: &Files) {
    let file = |table: &str| files.of(table);
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
}

/// Types, ids and duplicates.
fn check_rows(t: &mut Rows, report: &mut Report, files: &Files, accepted: &mut Accepted) {
    let file = |table: &str| files.of(table);
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
}

/// Links, in dependency order: a link to a row that is missing (or was not imported)
/// is dropped; a row left with nowhere to belong is not imported.
fn check_links(t: &mut Rows, report: &mut Report, files: &Files, accepted: &mut Accepted) {
    let file = |table: &str| files.of(table);
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
            let homeless = homeless(table, &r, accepted);
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
}

/// Why a row of `table` has nowhere to belong, as (field, message); `None` when it has.
fn homeless(
    table: &str,
    r: &Map<String, Value>,
    accepted: &Accepted,
) -> Option<(&'static str, String)> {
    match table {
        "attributes" | "metadata" => {
            let col = if table == "attributes" {
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
                        if table == "attributes" {
                            "attribute"
                        } else {
                            "metadata record"
                        }
                    ),
                )
            })
        }
        _ => {
            let parents: Vec<&str> = tables::children()
                .filter(|c| c.2 == table)
                .map(|c| c.3)
                .collect();
            let root = matches!(
                table,
                "organizations"
                    | "services"
                    | "locations"
                    | "taxonomies"
                    | "taxonomy_terms"
                    | "meta_table_descriptions"
            );
            let linked = parents.iter().any(|p| r.contains_key(*p))
                || (table == "programs" && r.contains_key("organization_id"));
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
    }
}

/// Counts the accepted rows per file and stores the nested objects.
async fn store(
    tx: &mut AuditTx<'_>,
    report: &mut Report,
    ids: &mut Vec<String>,
    t: &Rows,
    files: &Files<'_>,
    now: i64,
) -> Result<()> {
    let file = |table: &str| files.of(table);
    for (table, rows) in t {
        if !rows.is_empty() {
            report.imported.insert(tables::file_of(table), rows.len());
        }
    }
    let nest = Nester::new(t);
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
            match publish_entry(tx, kind, &e, now, None).await {
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
        let link_cols: HashSet<(&str, &str)> = tables::children()
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
            for (_, key, child, col) in tables::children().filter(|c| c.0 == table) {
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
