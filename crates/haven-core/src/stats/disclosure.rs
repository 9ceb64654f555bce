//! Disclosure control: the one place that decides which counts Haven publishes.
//!
//! A published table is a set of **cells** that split what is counted into parts (every
//! person, referral or line in exactly one cell, including parts that are not shown, such as
//! referrals still waiting) and the **figures** shown from them, each the sum of some cells: a
//! cell on its own, a margin, a total. [`Disclosure::publish`] shows a figure exactly only when
//! every cell in it is *safe*, and withholds it otherwise. A cell is safe when its count is
//! 0 or at least `k` (default [`DEFAULT_K`], configurable upward only by [`K_VAR`]).
//!
//! **Why this holds against a reader who knows the rule.** Each shown figure is a sum of safe
//! cells only, so no shown figure, margin or total, and no difference of them, involves an
//! unsafe cell: subtraction recovers only safe counts. What the reader learns of an unsafe
//! cell is that it is unsafe, from 1 to `k - 1`, and each of those values is possible.
//! Withholding a second, larger count instead of the total (cell suppression) fails here:
//! whatever rule picks it, its smallest possible value beside a withheld 1 can leave one way
//! to make the sum. The price is that totals are withheld more often.
//!
//! **Two releases.** A cumulative table published again next month (persons per organisation,
//! referrals per link) gives a reader who knows by how much the total grew an equation across
//! the releases: a cell that was 0 last month and is withheld now holds exactly the growth
//! nobody else shows, and a cell withheld last month and shown now held its value minus the
//! growth. A monthly release is therefore published with the previous one
//! ([`Disclosure::publish_after`]): a cell is safe only when it is at least `k` in both,
//! zeros included, and every withheld figure is the same mark ([`Count::Withheld`]), since
//! "fewer than 5" would tell a cell withheld for last month from a small one. The test
//! (`disclosure_attack.rs`) attacks random tables, their margins and pairs of successive
//! releases knowing the rule.
//!
//! **Limits.** The pages that show live counts (Figures, the network view, the outreach
//! team page) are one release each time they are read: they are safe against one reading,
//! not against two readings and a known growth in between; only tables released per period
//! with [`Disclosure::publish_after`] are. Three releases with a known growth from the first
//! to the third (a cell withheld in October and November, shown in December) are not covered:
//! a withheld cell would have to stay withheld for as long as releases may be compared.

use super::Count;
use crate::{Error, Result};

/// The smallest count shown, and the least the threshold may be set to.
pub const DEFAULT_K: i64 = 5;

/// The environment variable that raises the threshold: a whole number from 5 to 1000.
pub const K_VAR: &str = "HAVEN_MIN_COUNT";

/// The threshold in force; see the module doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disclosure {
    k: i64,
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure { k: DEFAULT_K }
    }
}

/// The cells of one table and the figures shown from them (each a list of cell indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub cells: Vec<i64>,
    pub figures: Vec<Vec<usize>>,
}

impl Table {
    /// A list of counts shown one by one, with their total as the last figure.
    pub fn line(cells: &[i64]) -> Self {
        let mut figures: Vec<Vec<usize>> = (0..cells.len()).map(|i| vec![i]).collect();
        figures.push((0..cells.len()).collect());
        Table {
            cells: cells.to_vec(),
            figures,
        }
    }
}

impl Disclosure {
    /// A threshold of `k`; below [`DEFAULT_K`] is refused.
    pub fn new(k: i64) -> Result<Self> {
        if (DEFAULT_K..=1000).contains(&k) {
            Ok(Disclosure { k })
        } else {
            Err(Error::Internal(anyhow::anyhow!(
                "{K_VAR} must be a whole number from {DEFAULT_K} to 1000, not {k}"
            )))
        }
    }

    /// The threshold from [`K_VAR`], or the default when it is not set.
    pub fn from_setting(setting: Option<&str>) -> Result<Self> {
        match setting {
            None => Ok(Disclosure::default()),
            Some(raw) => Disclosure::new(raw.trim().parse().unwrap_or(0)),
        }
    }

    /// The threshold of this process: [`K_VAR`] read once (`haven` checks it at start, so a
    /// bad value stops the server instead of falling back here to the default).
    pub fn configured() -> Self {
        static K: std::sync::OnceLock<Disclosure> = std::sync::OnceLock::new();
        *K.get_or_init(|| {
            Disclosure::from_setting(std::env::var(K_VAR).ok().as_deref()).unwrap_or_default()
        })
    }

    pub fn k(&self) -> i64 {
        self.k
    }

    /// One count on its own, shown when it is 0 or at least `k`.
    pub fn count(&self, n: i64) -> Count {
        self.publish(&Table::line(&[n]))[0]
    }

    /// A list of counts and their total: `(cells, total)`.
    pub fn line(&self, cells: &[i64]) -> (Vec<Count>, Count) {
        let mut out = self.publish(&Table::line(cells));
        let total = out.pop().unwrap_or(Count::Exact(0));
        (out, total)
    }

    /// The figures of `table`, one [`Count`] each, for a table published once or live.
    pub fn publish(&self, table: &Table) -> Vec<Count> {
        let safe: Vec<bool> = table.cells.iter().map(|&n| n == 0 || n >= self.k).collect();
        table
            .figures
            .iter()
            .map(|f| {
                let unsafe_cells: Vec<usize> = f.iter().copied().filter(|&i| !safe[i]).collect();
                let value: i64 = f.iter().map(|&i| table.cells[i]).sum();
                match unsafe_cells.len() {
                    0 => Count::Exact(value),
                    // One small cell and zeros: the figure is that cell, "fewer than k".
                    1 if value == table.cells[unsafe_cells[0]] => Count::FewerThan(self.k),
                    _ => Count::Withheld,
                }
            })
            .collect()
    }

    /// The figures of `table` as this period's release of a cumulative table whose release
    /// for the previous period had the cells `previous` (same cells, same order).
    pub fn publish_after(&self, table: &Table, previous: &[i64]) -> Vec<Count> {
        let safe: Vec<bool> = table
            .cells
            .iter()
            .zip(previous.iter().chain(std::iter::repeat(&0)))
            .map(|(&now, &before)| now >= self.k && before >= self.k)
            .collect();
        table
            .figures
            .iter()
            .map(|f| {
                if f.iter().all(|&i| safe[i]) {
                    Count::Exact(f.iter().map(|&i| table.cells[i]).sum())
                } else {
                    Count::Withheld
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "disclosure_attack.rs"]
mod attack;
