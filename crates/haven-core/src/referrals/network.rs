//! The referral network for policy advisors: which organisations refer to which, how
//! often, how many are accepted, and how fast. Aggregates only, no person and no referral
//! id. The counts are one table for [`Disclosure`]: each link's referrals split into waiting,
//! accepted, completed and declined, with each link's count and the network's total as sums
//! of those parts, so a total that would give a withheld count away is withheld too. A rate
//! or a median is given only when the counts it rests on are shown and at least `k`.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::stats::{Count, Disclosure, Table};
use crate::{Actor, Ctx, Permission, Result};

/// One sending → receiving pair of organisations.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkLink {
    pub from_org: String,
    pub to_org: String,
    pub referrals: Count,
    pub accepted: Count,
    pub declined: Count,
    pub completed: Count,
    /// Accepted as a share of those decided (accepted or declined), in whole percent.
    pub acceptance_percent: Option<i64>,
    /// Median hours from sending to acceptance.
    pub median_hours_to_accept: Option<i64>,
    /// Median hours from sending to the recorded result.
    pub median_hours_to_complete: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Network {
    pub referrals: Count,
    pub links: Vec<NetworkLink>,
}

fn median(v: &mut [i64], k: i64) -> Option<i64> {
    if (v.len() as i64) < k {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    })
}

/// One referral, by the names of its two organisations.
#[derive(sqlx::FromRow)]
struct NetworkRow {
    from_org: String,
    to_org: String,
    status: String,
    created_at: i64,
    accepted_at: Option<i64>,
    closed_at: Option<i64>,
}

/// One link's referrals, each in one part: waiting (sent, or withdrawn before acceptance),
/// accepted (not completed), completed, declined; with the hours to acceptance and result.
#[derive(Default)]
struct Acc {
    waiting: i64,
    accepted_open: i64,
    declined: i64,
    accepted: Vec<i64>,
    completed: Vec<i64>,
}

/// The figures of one link in the table: its count, accepted, declined, completed.
const LINK_FIGURES: [&[usize]; 4] = [&[0, 1, 2, 3], &[1, 2], &[3], &[2]];

/// The network as one table: four cells per link, four figures per link, the total last.
fn network_table(accs: &[Acc]) -> Table {
    let mut cells = Vec::with_capacity(accs.len() * 4);
    let mut figures = Vec::with_capacity(accs.len() * 4 + 1);
    for (n, a) in accs.iter().enumerate() {
        cells.extend([
            a.waiting,
            a.accepted_open,
            a.completed.len() as i64,
            a.declined,
        ]);
        figures.extend(
            LINK_FIGURES
                .iter()
                .map(|f| f.iter().map(|i| n * 4 + i).collect()),
        );
    }
    figures.push((0..cells.len()).collect());
    Table { cells, figures }
}

/// The network view. Durations are computed in Rust to keep the SQL portable.
pub async fn network(ctx: &Ctx, actor: &Actor) -> Result<Network> {
    actor.require(Permission::NetworkRead)?;
    let rows: Vec<NetworkRow> = sqlx::query_as(
        "SELECT fo.name AS from_org, too.name AS to_org, r.status, r.created_at, r.accepted_at, \
           r.closed_at \
         FROM referrals r JOIN organisations fo ON fo.id = r.from_org \
           JOIN organisations too ON too.id = r.to_org",
    )
    .fetch_all(&ctx.db.pool)
    .await?;
    let mut pairs: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for r in rows {
        let hours = |t: i64| (t - r.created_at).max(0) / 3600;
        let a = pairs.entry((r.from_org, r.to_org)).or_default();
        if let Some(t) = r.accepted_at {
            a.accepted.push(hours(t));
        }
        match (r.status.as_str(), r.closed_at, r.accepted_at) {
            ("declined", _, _) => a.declined += 1,
            ("completed", Some(t), _) => a.completed.push(hours(t)),
            (_, _, Some(_)) => a.accepted_open += 1,
            _ => a.waiting += 1,
        }
    }
    let (names, mut accs): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    let disclosure = Disclosure::configured();
    let k = disclosure.k();
    let mut shown = disclosure.publish(&network_table(&accs)).into_iter();
    let mut links = Vec::with_capacity(names.len());
    for ((from_org, to_org), a) in names.into_iter().zip(accs.iter_mut()) {
        let (Some(referrals), Some(accepted), Some(declined), Some(completed)) =
            (shown.next(), shown.next(), shown.next(), shown.next())
        else {
            break;
        };
        let at_least_k = |c: Count| matches!(c, Count::Exact(n) if n >= k);
        // A rate or median rests on shown counts only, so it gives nothing withheld away.
        let acceptance_percent = match (accepted, declined) {
            (Count::Exact(yes), Count::Exact(no)) if yes + no >= k => {
                Some((yes * 100 + (yes + no) / 2) / (yes + no))
            }
            _ => None,
        };
        links.push(NetworkLink {
            from_org,
            to_org,
            referrals,
            accepted,
            declined,
            completed,
            acceptance_percent,
            median_hours_to_accept: if at_least_k(accepted) {
                median(&mut a.accepted, k)
            } else {
                None
            },
            median_hours_to_complete: if at_least_k(completed) {
                median(&mut a.completed, k)
            } else {
                None
            },
        });
    }
    Ok(Network {
        referrals: shown.next().unwrap_or(Count::Withheld),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::{median, network_table, Acc};
    use crate::stats::{Count, Disclosure};

    #[test]
    fn medians_need_five_values() {
        assert_eq!(median(&mut [1, 2, 3, 4], 5), None);
        assert_eq!(median(&mut [5, 1, 3, 2, 4], 5), Some(3));
        assert_eq!(median(&mut [6, 1, 3, 2, 4, 5], 5), Some(3));
    }

    /// Main published the network's total exactly beside a link's "fewer than 5": with two
    /// links of 3 and 10 referrals, 13 − 10 gave the 3 away. Now the total is withheld.
    #[test]
    fn the_total_does_not_give_a_small_link_away() {
        let link = |waiting: i64| Acc {
            waiting,
            ..Acc::default()
        };
        let shown = Disclosure::default().publish(&network_table(&[link(3), link(10)]));
        assert_eq!(shown[0], Count::FewerThan(5));
        assert_eq!(shown[4], Count::Exact(10));
        assert_eq!(shown[8], Count::Withheld);
    }
}
