//! Aggregate figures for analysts and administrators. No person, no id: counts only.
//!
//! Every published count goes through [`disclosure`], the one mechanism that withholds
//! counts below `k` (5 unless raised) and every figure, margin or total that would give one
//! away, alone or across two monthly releases; its module doc says why it holds and its test
//! attacks it.

use serde::Serialize;

use crate::{Actor, Ctx, Permission, Result};

pub mod disclosure;
pub mod indicators;
pub use disclosure::{Disclosure, Table};
pub use indicators::{indicators, Indicator};

/// The default threshold; the one in force is [`Disclosure::configured`].
pub const MIN_COUNT: i64 = disclosure::DEFAULT_K;

/// A published figure: shown exactly, or withheld by [`disclosure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Count {
    Exact(i64),
    /// A count from 1 to `value - 1`, withheld.
    FewerThan(i64),
    /// A figure withheld so that no small count can be worked out from it (a total or a
    /// figure holding a small count, or any figure of a monthly release).
    Withheld,
}

impl Count {
    /// One count on its own, through the configured threshold.
    pub fn of(n: i64) -> Self {
        Disclosure::configured().count(n)
    }
}

/// The counts of one table and its published total, through [`Disclosure::line`]: the total
/// is withheld as soon as a count is.
pub fn table(cells: &[i64]) -> (Vec<Count>, Count) {
    Disclosure::configured().line(cells)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgCount {
    pub organisation: String,
    pub kind: String,
    pub persons: Count,
    pub staff: Count,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub persons: Count,
    pub organisations: i64,
    pub staff: Count,
    pub by_organisation: Vec<OrgCount>,
    /// Persons registered per calendar month, oldest first (`YYYY-MM`).
    pub registrations_by_month: Vec<(String, Count)>,
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    name: String,
    kind: String,
    persons: i64,
    staff: i64,
}

async fn count(ctx: &Ctx, sql: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(&ctx.db.pool).await?)
}

pub async fn overview(ctx: &Ctx, actor: &Actor) -> Result<Overview> {
    actor.require(Permission::StatsRead)?;
    let persons = count(
        ctx,
        "SELECT COUNT(*) FROM persons WHERE data_key IS NOT NULL",
    )
    .await?;
    let orgs = count(ctx, "SELECT COUNT(*) FROM organisations").await?;
    let rows: Vec<OrgRow> = sqlx::query_as(
        "SELECT o.name, o.kind, \
           (SELECT COUNT(*) FROM persons p WHERE p.owner_org = o.id AND p.data_key IS NOT NULL) \
             AS persons, \
           (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id AND u.disabled = 0) AS staff \
         FROM organisations o ORDER BY o.name",
    )
    .fetch_all(&ctx.db.pool)
    .await?;
    // Months are computed here, not in SQL, to stay portable across both backends.
    let times: Vec<i64> = sqlx::query_scalar(
        "SELECT created_at FROM persons WHERE data_key IS NOT NULL AND created_at >= $1",
    )
    .bind(ctx.clock.now_ts() - 366 * 86_400)
    .fetch_all(&ctx.db.pool)
    .await?;
    let mut months: std::collections::BTreeMap<String, i64> = Default::default();
    for t in times {
        if let Ok(d) = time::OffsetDateTime::from_unix_timestamp(t) {
            *months
                .entry(format!("{:04}-{:02}", d.year(), u8::from(d.month())))
                .or_default() += 1;
        }
    }
    // Every person belongs to one organisation, so the organisations' counts add up to the
    // persons' total, and the staff counts to the staff total: each table is protected with
    // its total. The months and the persons registered before them (a part not shown) add
    // up to the same total: that table is protected with it too, and the total is shown only
    // when both tables allow it.
    let (org_persons, persons_total) = table(&rows.iter().map(|r| r.persons).collect::<Vec<_>>());
    let (org_staff, staff_total) = table(&rows.iter().map(|r| r.staff).collect::<Vec<_>>());
    let mut month_cells: Vec<i64> = months.values().copied().collect();
    let shown_months = month_cells.len();
    month_cells.push((persons - month_cells.iter().sum::<i64>()).max(0));
    let mut figures: Vec<Vec<usize>> = (0..shown_months).map(|i| vec![i]).collect();
    figures.push((0..month_cells.len()).collect());
    let mut month_counts = Disclosure::configured().publish(&Table {
        cells: month_cells,
        figures,
    });
    let months_total = month_counts.pop().unwrap_or(Count::Withheld);
    let persons = if months_total == persons_total {
        persons_total
    } else {
        Count::Withheld
    };
    Ok(Overview {
        persons,
        organisations: orgs,
        staff: staff_total,
        by_organisation: rows
            .into_iter()
            .zip(org_persons.into_iter().zip(org_staff))
            .map(|(r, (persons, staff))| OrgCount {
                organisation: r.name,
                kind: r.kind,
                persons,
                staff,
            })
            .collect(),
        registrations_by_month: months.into_keys().zip(month_counts).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table the attacker could be looking at: the published cells and total, and
    /// for each withheld cell every value that some table published the same way allows.
    fn possible_values(published: &(Vec<Count>, Count), cap: i64) -> Vec<Vec<i64>> {
        let (cells, total) = published;
        let hidden: Vec<usize> = (0..cells.len())
            .filter(|&i| !matches!(cells[i], Count::Exact(_)))
            .collect();
        let upper = match total {
            Count::Exact(t) => *t,
            _ => cap,
        };
        let mut seen = vec![Vec::new(); cells.len()];
        let mut guess: Vec<i64> = cells
            .iter()
            .map(|c| if let Count::Exact(n) = c { *n } else { 0 })
            .collect();
        // Odometer over the hidden cells' values 0..=upper.
        loop {
            if table(&guess) == *published {
                for &i in &hidden {
                    if !seen[i].contains(&guess[i]) {
                        seen[i].push(guess[i]);
                    }
                }
            }
            let mut k = 0;
            while k < hidden.len() {
                let i = hidden[k];
                if guess[i] < upper {
                    guess[i] += 1;
                    break;
                }
                guess[i] = 0;
                k += 1;
            }
            if k == hidden.len() {
                break;
            }
        }
        seen
    }

    #[test]
    fn no_withheld_count_follows_from_the_others() {
        // Every table of three counts from 0 to 10, and of four from 0 to 6: the attacker
        // knows the rule, the shown counts and the total, and must never find one value
        // for a withheld count.
        let mut tables: Vec<Vec<i64>> = Vec::new();
        for a in 0..=10 {
            for b in 0..=10 {
                for c in 0..=10 {
                    tables.push(vec![a, b, c]);
                }
            }
        }
        for a in 0..=6 {
            for b in 0..=6 {
                for c in 0..=6 {
                    for d in 0..=6 {
                        tables.push(vec![a, b, c, d]);
                    }
                }
            }
        }
        let mut protected = 0;
        for cells in tables {
            let published = table(&cells);
            // Without a total, candidates up to 9 are enough to find a second value.
            let values = possible_values(&published, 9);
            for (i, c) in published.0.iter().enumerate() {
                if !matches!(c, Count::Exact(_)) {
                    protected += 1;
                    assert!(
                        values[i].len() >= 2,
                        "{cells:?} published as {published:?} gives cell {i} away: {:?}",
                        values[i]
                    );
                }
            }
        }
        assert!(protected > 1000, "the tables withheld too little to test");
    }

    #[test]
    fn a_lone_small_count_does_not_follow_from_the_total() {
        // Shown, 7 and 12 with the total 22 would give the 3 away.
        let (cells, total) = table(&[3, 7, 12]);
        assert_eq!(
            cells,
            [Count::FewerThan(5), Count::Exact(7), Count::Exact(12)]
        );
        assert_eq!(total, Count::Withheld);
        // Nothing small: nothing withheld; a small total alone is "fewer than 5".
        assert_eq!(
            table(&[5, 9, 0]),
            (
                vec![Count::Exact(5), Count::Exact(9), Count::Exact(0)],
                Count::Exact(14)
            )
        );
        assert_eq!(table(&[0, 0]).1, Count::Exact(0));
    }
}
