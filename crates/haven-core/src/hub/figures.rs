//! The hub's figures: reports per category and month (the month the report was made),
//! the share handed to the police, accompaniments, protective permits applied for and
//! granted. Read from plain columns only, which the purge keeps, so counts survive it.
//!
//! **Small counts** go through [`crate::stats::disclosure`], the one mechanism every
//! published table uses: the months × categories grid is one table whose figures are each
//! cell, each month's total, each category's total and the grand total; a figure is shown
//! only when every cell in it is 0 or at least k, so no total, margin or difference gives a
//! withheld count away. The share handed to the police is shown only when both its counts
//! are.

use serde::Serialize;
use std::collections::BTreeMap;

use super::access::hub_of;
use crate::stats::disclosure::{Disclosure, Table};
use crate::stats::Count;
use crate::{Actor, Ctx, Permission, Result};

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
    let (months, category_totals, reports) =
        grid_figures(Disclosure::configured(), &grid, &categories);
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
    let k = Disclosure::configured();
    let handed_over = k.count(handed);
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
        accompaniments: k.count(accompaniments),
        measures: super::Measure::ALL
            .iter()
            .map(|m| {
                let r = measure_rows
                    .iter()
                    .find(|r| r.measure.as_deref() == Some(m.as_str()));
                MeasureLine {
                    measure: *m,
                    applied: k.count(r.map_or(0, |r| r.applied)),
                    granted: k.count(r.map_or(0, |r| r.granted)),
                }
            })
            .collect(),
    })
}

/// The months × categories grid as one table: `(month lines, category totals, all
/// reports)`, every figure published through `k`.
fn grid_figures(
    k: Disclosure,
    grid: &BTreeMap<String, BTreeMap<String, i64>>,
    categories: &[String],
) -> (Vec<MonthLine>, Vec<Count>, Count) {
    let (m, c) = (grid.len(), categories.len());
    let cells: Vec<i64> = grid
        .values()
        .flat_map(|row| {
            categories
                .iter()
                .map(|cat| row.get(cat).copied().unwrap_or(0))
        })
        .collect();
    let mut figures: Vec<Vec<usize>> = (0..m * c).map(|i| vec![i]).collect();
    figures.extend((0..m).map(|r| (r * c..(r + 1) * c).collect()));
    figures.extend((0..c).map(|col| (0..m).map(|r| r * c + col).collect()));
    figures.push((0..m * c).collect());
    let shown = k.publish(&Table { cells, figures });
    let months = grid
        .keys()
        .enumerate()
        .map(|(r, month)| MonthLine {
            month: month.clone(),
            counts: shown[r * c..(r + 1) * c].to_vec(),
            total: shown[m * c + r],
        })
        .collect();
    let category_totals = shown[m * c + m..m * c + m + c].to_vec();
    let reports = shown[m * c + m + c];
    (months, category_totals, reports)
}

#[cfg(test)]
mod tests {
    use super::{grid_figures, Count, Disclosure};
    use std::collections::BTreeMap;

    /// One month of the given counts per category: (cells, month total).
    fn month(counts: &[i64]) -> (Vec<Count>, Count) {
        let cats: Vec<String> = (0..counts.len()).map(|i| format!("c{i}")).collect();
        let row: BTreeMap<String, i64> = cats.iter().cloned().zip(counts.iter().copied()).collect();
        let grid = BTreeMap::from([("2026-11".to_owned(), row)]);
        let (months, _, _) = grid_figures(Disclosure::default(), &grid, &cats);
        (months[0].counts.clone(), months[0].total)
    }

    #[test]
    fn a_total_never_gives_a_withheld_cell_away() {
        // 3 beside 6: the total 9 minus 6 would say 3.
        assert_eq!(month(&[3, 6]).1, Count::Withheld);
        assert_eq!(month(&[3, 2, 6]).1, Count::Withheld);
        assert_eq!(month(&[6, 7]).1, Count::Exact(13));
        // Four reports, one in each of four categories: a total "fewer than 5" beside four
        // "fewer than 5" would say each was exactly one.
        assert_eq!(month(&[1, 1, 1, 1]).1, Count::Withheld);
        assert_eq!(month(&[2, 1]).1, Count::Withheld);
        // One small count beside zeros: the total is that count, and says no more.
        assert_eq!(month(&[0, 3]).1, Count::FewerThan(5));
        assert_eq!(month(&[4, 4, 6]).1, Count::Withheld);
    }

    /// Every month of three counts from 0 to 9: with the rule known, the shown counts and
    /// the total never leave a withheld count only one possible value.
    #[test]
    fn no_withheld_count_follows_from_the_total() {
        let mut seen: BTreeMap<String, (Vec<Count>, Vec<[i64; 3]>)> = BTreeMap::new();
        for t in 0..1000i64 {
            let cells = [t / 100, t / 10 % 10, t % 10];
            let shown = month(&cells);
            let key = format!("{shown:?}");
            seen.entry(key)
                .or_insert_with(|| (shown.0, Vec::new()))
                .1
                .push(cells);
        }
        for (shown, tables) in seen.values() {
            for i in 0..3 {
                if matches!(shown[i], Count::Exact(_)) {
                    continue;
                }
                let values: std::collections::BTreeSet<i64> = tables.iter().map(|t| t[i]).collect();
                assert!(
                    values.len() >= 2,
                    "{tables:?} give cell {i} away: {values:?}"
                );
            }
        }
    }
}
