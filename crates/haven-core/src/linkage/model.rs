//! The linkage area's shared types: a table of text records, scored pairs, clusters, the
//! progress a long step reports, and the errors that name what is wrong with an input.

use std::fmt;

/// Records as text, one row per record, cells in the order of `columns`. Every reader
/// (CSV, Parquet, a database query) produces this; nothing here knows about files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The position of a column, or an error that names it and the columns there are.
    pub fn column(&self, name: &str) -> Result<usize, LinkageError> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| LinkageError::MissingColumn {
                column: name.to_owned(),
                available: self.columns.clone(),
            })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A candidate or accepted pair: a record of the left set, one of the right set (the same
/// set when deduplicating, with `left < right`) and their score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    pub left: u32,
    pub right: u32,
    pub score: f64,
}

/// Which record set a record of a cluster comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// Reports the progress of a long step (encoding, comparing, training). The command line
/// draws a bar from it; a server leaves it at [`NoProgress`].
pub trait Progress: Sync {
    /// A new step begins with `total` units of work (0: unknown).
    fn start(&self, step: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _step: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// What is wrong with an input to record linkage. Each message names the problem so that
/// the person who prepared the file can fix it.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkageError {
    /// A column the schema, the configuration or `--id` names is not in the data.
    MissingColumn {
        column: String,
        available: Vec<String>,
    },
    /// The linkage schema is not a valid clkhash v3 schema, or uses something Haven cannot
    /// encode identically.
    Schema(String),
    /// A value does not fit its field's format (row numbers count data rows from 1).
    Entry {
        row: usize,
        column: String,
        message: String,
    },
    /// CLK data that cannot be read (not base64, lengths that differ, …).
    Clks(String),
    /// A linkage configuration that cannot be used.
    Config(String),
}

impl fmt::Display for LinkageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkageError::MissingColumn { column, available } => write!(
                f,
                "there is no column '{column}' (the columns are: {})",
                available.join(", ")
            ),
            LinkageError::Schema(m) => write!(f, "invalid linkage schema: {m}"),
            LinkageError::Entry {
                row,
                column,
                message,
            } => write!(f, "row {row}, column '{column}': {message}"),
            LinkageError::Clks(m) => write!(f, "invalid CLKs: {m}"),
            LinkageError::Config(m) => write!(f, "invalid linkage configuration: {m}"),
        }
    }
}

impl std::error::Error for LinkageError {}
