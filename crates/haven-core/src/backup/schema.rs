//! What the backup needs to know of the schema, read from the database itself: the tables
//! in an order where every table comes after the tables it refers to, and each table's
//! columns with their portable type.

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};

use crate::db::Backend;

/// The tables a backup leaves out: the list of applied migrations travels in the header
/// (the target applies its own), and SQLite's own bookkeeping is not Haven's.
pub(crate) fn skipped(table: &str) -> bool {
    table == "schema_migrations" || table.starts_with("sqlite_")
}

/// A column's type as the backup carries it: the portable types of Haven's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    Int,
    Real,
    Text,
    Blob,
}

impl Type {
    fn of(table: &str, column: &str, declared: &str) -> anyhow::Result<Self> {
        let d = declared.to_ascii_uppercase();
        Ok(if d.contains("INT") {
            Type::Int
        } else if d.contains("BLOB") || d.contains("BYTEA") {
            Type::Blob
        } else if d.contains("REAL") || d.contains("DOUB") || d.contains("FLOA") {
            Type::Real
        } else if d.contains("TEXT") || d.contains("CHAR") {
            Type::Text
        } else {
            bail!("{table}.{column} has the type {declared:?}, which is not one of Haven's portable types")
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
}

#[derive(sqlx::FromRow)]
struct Declared {
    name: String,
    decl: String,
}

#[derive(sqlx::FromRow)]
struct Reference {
    child: String,
    parent: String,
}

/// The columns of `table` in their order.
pub(crate) async fn columns(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
) -> anyhow::Result<Vec<Column>> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name, type AS decl FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT column_name::text AS name, data_type::text AS decl \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows: Vec<Declared> = sqlx::query_as(sql)
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .with_context(|| format!("cannot read the columns of {table}"))?;
    rows.into_iter()
        .map(|r| {
            Ok(Column {
                ty: Type::of(table, &r.name, &r.decl)?,
                name: r.name,
            })
        })
        .collect()
}

/// Every Haven table, parents before the tables that refer to them (by foreign key), and
/// by name among equals, so the order is the same on every engine.
pub(crate) async fn tables(
    conn: &mut AnyConnection,
    backend: Backend,
) -> anyhow::Result<Vec<String>> {
    let (names, refs) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            "SELECT m.name AS child, f.\"table\" AS parent FROM sqlite_master m, \
             pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
        ),
        Backend::Postgres => (
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY table_name",
            "SELECT c.relname::text AS child, p.relname::text AS parent FROM pg_constraint k \
             JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE k.contype = 'f' AND n.nspname = current_schema()",
        ),
    };
    let names: Vec<String> = sqlx::query_scalar(names).fetch_all(&mut *conn).await?;
    let refs: Vec<Reference> = sqlx::query_as(refs).fetch_all(&mut *conn).await?;
    let names: BTreeSet<String> = names.into_iter().filter(|t| !skipped(t)).collect();
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = names
        .iter()
        .map(|n| (n.as_str(), BTreeSet::new()))
        .collect();
    for r in &refs {
        if r.child != r.parent && names.contains(&r.parent) {
            if let Some(p) = parents.get_mut(r.child.as_str()) {
                p.insert(r.parent.as_str());
            }
        }
    }
    let mut order: Vec<String> = Vec::with_capacity(names.len());
    while order.len() < names.len() {
        let ready: Vec<&str> = parents
            .iter()
            .filter(|(t, ps)| {
                !order.iter().any(|o| o == *t) && ps.iter().all(|p| order.iter().any(|o| o == p))
            })
            .map(|(t, _)| *t)
            .collect();
        if ready.is_empty() {
            bail!("the tables' foreign keys form a cycle; the backup cannot order them");
        }
        order.extend(ready.into_iter().map(str::to_owned));
    }
    Ok(order)
}

/// The migrations applied to this database, in order.
pub(crate) async fn migrations(conn: &mut AnyConnection) -> anyhow::Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?,
    )
}
