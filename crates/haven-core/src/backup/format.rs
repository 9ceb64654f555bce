//! The backup's plaintext: JSON lines, engine-neutral.
//!
//! ```text
//! {"format":"haven-backup","version":1,"made_at":…,"source":"sqlite","migrations":[…],…}
//! {"table":"organisations","columns":[{"name":"id","type":"text"},…],"rows":3}
//! ["0193…","Stichting …",…]            one JSON array per row, in the columns' order
//! …
//! {"end":true,"tables":50,"rows":12345}
//! ```
//!
//! Values: integers and reals as JSON numbers, text as strings, blobs as base64 strings,
//! NULL as null. The header names the applied migrations; a restore needs the same.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::schema::{Column, Type};

pub const FORMAT: &str = "haven-backup";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// When the snapshot was taken (Unix seconds).
    pub made_at: i64,
    /// `sqlite` or `postgres`: the engine it was taken from.
    pub source: String,
    /// The migrations applied to the source.
    pub migrations: Vec<i64>,
    /// The audit chain's head in the snapshot.
    pub audit_seq: i64,
    /// How many tables follow, and how many rows in all.
    pub tables: usize,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableHead {
    pub table: String,
    pub columns: Vec<Column>,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trailer {
    pub end: bool,
    pub tables: usize,
    pub rows: u64,
}

/// One row as a JSON array, read by the columns' types.
pub(crate) fn encode_row(row: &AnyRow, columns: &[Column], table: &str) -> anyhow::Result<Value> {
    let mut out = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        let bad = |e: sqlx::Error| {
            anyhow::anyhow!("{table}.{}: a value that is not {:?}: {e}", c.name, c.ty)
        };
        out.push(match c.ty {
            Type::Int => row.try_get::<Option<i64>, _>(i).map_err(bad)?.into(),
            Type::Real => row.try_get::<Option<f64>, _>(i).map_err(bad)?.into(),
            Type::Text => row.try_get::<Option<String>, _>(i).map_err(bad)?.into(),
            Type::Blob => row
                .try_get::<Option<Vec<u8>>, _>(i)
                .map_err(bad)?
                .map(|b| STANDARD.encode(b))
                .into(),
        });
    }
    Ok(Value::Array(out))
}

/// A value of a row, ready to bind with the column's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
}

impl Cell {
    pub(crate) fn null(ty: Type) -> Self {
        match ty {
            Type::Int => Cell::Int(None),
            Type::Real => Cell::Real(None),
            Type::Text => Cell::Text(None),
            Type::Blob => Cell::Blob(None),
        }
    }

    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => t.as_deref(),
            _ => None,
        }
    }
}

/// A row read back: each value checked against its column's type.
pub(crate) fn decode_row(v: Value, columns: &[Column], table: &str) -> anyhow::Result<Vec<Cell>> {
    let Value::Array(values) = v else {
        anyhow::bail!("a row of {table} is not a list of values");
    };
    if values.len() != columns.len() {
        anyhow::bail!(
            "a row of {table} has {} values for {} columns",
            values.len(),
            columns.len()
        );
    }
    values
        .into_iter()
        .zip(columns)
        .map(|(v, c)| {
            let bad = || anyhow::anyhow!("{table}.{}: a value that is not {:?}", c.name, c.ty);
            Ok(match (c.ty, v) {
                (ty, Value::Null) => Cell::null(ty),
                (Type::Int, Value::Number(n)) => Cell::Int(Some(n.as_i64().ok_or_else(bad)?)),
                (Type::Real, Value::Number(n)) => Cell::Real(Some(n.as_f64().ok_or_else(bad)?)),
                (Type::Text, Value::String(s)) => Cell::Text(Some(s)),
                (Type::Blob, Value::String(s)) => {
                    Cell::Blob(Some(STANDARD.decode(s).map_err(|_| bad())?))
                }
                _ => return Err(bad()),
            })
        })
        .collect()
}
