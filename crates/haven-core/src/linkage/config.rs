//! The configuration of plaintext linkage, read from a JSON or TOML file. Everything is
//! optional: without comparisons they are chosen from the columns' values, without
//! blocking rules they are generated from the comparisons.
//!
//! ```toml
//! threshold = 0.9            # match probability a pair needs
//! one_to_one = false         # link: keep each record in at most one pair
//! blocking = ["surname", "initial(given_name) & year(date_of_birth)", "postcode"]
//!
//! [[comparisons]]
//! column = "surname"
//! kind = "name"              # name | date | exact | code
//! levels = [0.92, 0.8]       # Jaro–Winkler thresholds below exact agreement (names)
//!
//! [[comparisons]]
//! column = "date_of_birth"
//! kind = "date"
//! format = "%Y%m%d"          # strptime; tried formats are guessed when absent
//! ```

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkConfig {
    /// The columns compared and how; `None`: chosen from the values.
    pub comparisons: Option<Vec<ComparisonSpec>>,
    /// Blocking rules (`column`, `initial(column)`, `year(column)`, `prefix(column, n)`,
    /// joined by `&`); `None`: generated.
    pub blocking: Option<Vec<String>>,
    /// The match probability a pair needs (default 0.9).
    pub threshold: Option<f64>,
    /// Link only: keep each record in at most one pair (greedy by score).
    #[serde(default)]
    pub one_to_one: bool,
    /// EM's iteration limit (default 100).
    pub max_iterations: Option<usize>,
    /// The largest number of pairs one generated blocking rule may produce before it is
    /// left out (default 50 × the number of records, at least 1,000,000).
    pub max_pairs_per_rule: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSpec {
    pub column: String,
    pub kind: ComparisonKind,
    /// Names: Jaro–Winkler thresholds of the levels below exact agreement, highest first
    /// (default `[0.92, 0.88, 0.7]`).
    pub levels: Option<Vec<f64>>,
    /// Dates: the strptime format (default: guessed from the values).
    pub format: Option<String>,
}

/// How a column is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonKind {
    /// Exact, then Jaro–Winkler levels (names, free-text addresses).
    Name,
    /// Exact, one of day/month/year differs (or day and month swapped), same year, else.
    Date,
    /// Exact or not (places, categories).
    Exact,
    /// Exact or not, compared without spaces and punctuation (postcodes, phone numbers,
    /// identity numbers).
    Code,
}

impl ComparisonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonKind::Name => "name",
            ComparisonKind::Date => "date",
            ComparisonKind::Exact => "exact",
            ComparisonKind::Code => "code",
        }
    }
}

pub const DEFAULT_THRESHOLD: f64 = 0.9;
pub const DEFAULT_NAME_LEVELS: [f64; 3] = [0.92, 0.88, 0.7];
