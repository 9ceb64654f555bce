//! The hub's figures: reports per category and month (the month the report was made),
//! the share handed to the police, accompaniments, protective permits applied for and
//! granted. Read from plain columns only, which the purge keeps, so counts survive it.
//!
//! **Small counts.** A count from 1 to 4 is withheld ([`Count::FewerThan`], as
//! `stats::MIN_COUNT` says). A total is shown only when it cannot give a withheld count
//! away: when none of the counts that add up to it is withheld. Otherwise the total is
//! [`Count::Withheld`] (one withheld cell beside shown ones would be the total minus the
//! others). Showing it when several withheld counts could be split many ways does not
//! hold: a reader who knows the rule learns from a withheld total that the split was the
//! only one (two withheld fours beside 6), as `stats::table` explains. The share handed to the police is shown only when both its counts are.

use serde::Serialize;
use std::collections::BTreeMap;

use super::access::hub_of;
use crate::stats::{Count, MIN_COUNT};
use crate::{Actor, Ctx, Permission, Result};

/// The total of `cells`, shown only when it gives no withheld cell away: withheld as
/// soon as one of the cells is (a single count goes through [`Count::of`]).
fn total(cells: &[i64]) -> Count {
    let sum: i64 = cells.iter().sum();
    let small = cells.iter().any(|n| *n > 0 && *n < MIN_COUNT);
    if sum > 0 && sum < MIN_COUNT {
        Count::FewerThan(MIN_COUNT)
    } else if small {
        Count::Withheld
    } else {
        Count::Exact(sum)
    }
}

/// One month's line: reports per category, and the month's total.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthLine {
    /// `YYYY-MM`
    pub month: String,
    /// Per category code, in the order of [`Figures::categories`].
    pub counts: Vec<Count>,
    pub total: Count,
}

/// Per protective measure: applied for, and granted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureLine {
    pub measure: super::Measure,
    pub applied: Count,
    pub granted: Count,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// The category codes of the columns.
    pub categories: Vec<String>,
    pub months: Vec<MonthLine>,
    /// Per category over all months.
    pub category_totals: Vec<Count>,
    pub reports: Count,
    /// Reports handed (at least once) to the police.
    pub handed_over: Count,
    /// Percent of reports handed to the police, rounded; only when both counts are shown.
    pub handed_share: Option<i64>,
    pub accompaniments: Count,
    pub measures: Vec<MeasureLine>,
}

#[derive(sqlx::FromRow)]
struct ReportCell {
    category: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct MeasureRow {
    measure: Option<String>,
    applied: i64,
    granted: i64,
}

/// The hub's figures (hub officers of the hub).
pub async fn figures(ctx: &Ctx, actor: &Actor) -> Result<Figures> {
    let mut conn = ctx.db.pool.acquire().await?;
    let hub = hub_of(&mut conn, actor, Permission::HubReportRead).await?;
    let rows: Vec<ReportCell> =
        sqlx::query_as("SELECT category, created_at FROM hub_reports WHERE hub_org = $1")
            .bind(hub)
            .fetch_all(&mut *conn)
            .await?;
    let mut grid: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut categories: Vec<String> = Vec::new();
    for r in &rows {
        if !categories.contains(&r.category) {
            categories.push(r.category.clone());
        }
        *grid
            .entry(super::work_model::month_of(r.created_at))
            .or_default()
            .entry(r.category.clone())
            .or_default() += 1;
    }
    categories.sort();
    let cells = |m: &BTreeMap<String, i64>| -> Vec<i64> {
        categories
            .iter()
            .map(|c| m.get(c).copied().unwrap_or(0))
            .collect()
    };
    let months: Vec<MonthLine> = grid
        .iter()
        .map(|(month, m)| {
            let row = cells(m);
            MonthLine {
                month: month.clone(),
                counts: row.iter().map(|n| Count::of(*n)).collect(),
                total: total(&row),
            }
        })
        .collect();
    let category_totals = categories
        .iter()
        .map(|c| {
            let col: Vec<i64> = grid
                .values()
                .map(|m| m.get(c).copied().unwrap_or(0))
                .collect();
            total(&col)
        })
        .collect();
    let all: Vec<i64> = grid.values().flat_map(cells).collect();
    let reports = total(&all);
    let handed: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT report_id) FROM hub_handovers WHERE hub_org = $1",
    )
    .bind(hub)
    .fetch_one(&mut *conn)
    .await?;
    let accompaniments: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hub_actions WHERE hub_org = $1 AND kind = 'accompaniment'",
    )
    .bind(hub)
    .fetch_one(&mut *conn)
    .await?;
    let measure_rows: Vec<MeasureRow> = sqlx::query_as(
        "SELECT measure, CAST(SUM(applied) AS BIGINT) AS applied, \
         CAST(SUM(CASE WHEN state = 'granted' THEN 1 ELSE 0 END) AS BIGINT) AS granted \
         FROM hub_actions WHERE hub_org = $1 AND kind = 'measure' GROUP BY measure",
    )
    .bind(hub)
    .fetch_all(&mut *conn)
    .await?;
    let handed_over = Count::of(handed);
    let handed_share = match (handed_over, reports) {
        (Count::Exact(h), Count::Exact(n)) if n > 0 => Some((h * 100 + n / 2) / n),
        _ => None,
    };
    Ok(Figures {
        categories,
        months,
        category_totals,
        reports,
        handed_over,
        handed_share,
        accompaniments: Count::of(accompaniments),
        measures: super::Measure::ALL
            .iter()
            .map(|m| {
                let r = measure_rows
                    .iter()
                    .find(|r| r.measure.as_deref() == Some(m.as_str()));
                MeasureLine {
                    measure: *m,
                    applied: Count::of(r.map_or(0, |r| r.applied)),
                    granted: Count::of(r.map_or(0, |r| r.granted)),
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::{total, Count};

    #[test]
    fn a_total_never_gives_a_withheld_cell_away() {
        assert_eq!(Count::of(3), Count::FewerThan(5));
        assert_eq!(Count::of(0), Count::Exact(0));
        // 3 beside 6: the total 9 minus 6 would say 3.
        assert_eq!(total(&[3, 6]), Count::Withheld);
        // Two withheld cells beside a shown one: withheld too, or a withheld total would
        // mark the cases with one split only (4 + 4).
        assert_eq!(total(&[3, 2, 6]), Count::Withheld);
        // Two withheld cells making fewer than 5: their sum would be a small count.
        assert_eq!(total(&[1, 2, 6]), Count::Withheld);
        assert_eq!(total(&[6, 7]), Count::Exact(13));
        assert_eq!(total(&[2, 1]), Count::FewerThan(5));
        assert_eq!(total(&[]), Count::Exact(0));
        // The only splits: 4 + 4 beside 6, or five ones beside 6.
        assert_eq!(total(&[4, 4, 6]), Count::Withheld);
        assert_eq!(total(&[1, 1, 1, 1, 1, 6]), Count::Withheld);
    }

    /// Every table of three counts from 0 to 9: with the rule known, the shown counts and
    /// the total never leave a withheld count only one possible value.
    #[test]
    fn no_withheld_count_follows_from_the_total() {
        let published = |c: &[i64]| {
            let cells: Vec<Count> = c.iter().map(|&n| Count::of(n)).collect();
            (cells, total(c))
        };
        for t in 0..1000i64 {
            let cells = [t / 100, t / 10 % 10, t % 10];
            let shown = published(&cells);
            for i in 0..3 {
                if matches!(shown.0[i], Count::Exact(_)) {
                    continue;
                }
                let mut values = std::collections::BTreeSet::new();
                for g in 0..1000i64 {
                    let guess = [g / 100, g / 10 % 10, g % 10];
                    if published(&guess) == shown {
                        values.insert(guess[i]);
                    }
                }
                assert!(
                    values.len() >= 2,
                    "{cells:?} gives cell {i} away: {values:?}"
                );
            }
        }
    }
}
