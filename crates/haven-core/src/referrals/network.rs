//! The referral network for policy advisors: which organisations refer to which, how
//! often, how many are accepted, and how fast. Aggregates only, no person and no referral
//! id; every count below [`MIN_COUNT`] is shown as "fewer than 5", and a rate or a median
//! is given only when it rests on at least [`MIN_COUNT`] referrals.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::stats::{Count, MIN_COUNT};
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

fn median(v: &mut [i64]) -> Option<i64> {
    if (v.len() as i64) < MIN_COUNT {
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

#[derive(Default)]
struct Acc {
    total: i64,
    accepted: Vec<i64>,
    declined: i64,
    completed: Vec<i64>,
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
    let mut total = 0;
    let mut pairs: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for r in rows {
        total += 1;
        let hours = |t: i64| (t - r.created_at).max(0) / 3600;
        let a = pairs.entry((r.from_org, r.to_org)).or_default();
        a.total += 1;
        if let Some(t) = r.accepted_at {
            a.accepted.push(hours(t));
        }
        match (r.status.as_str(), r.closed_at) {
            ("declined", _) => a.declined += 1,
            ("completed", Some(t)) => a.completed.push(hours(t)),
            _ => {}
        }
    }
    let links = pairs
        .into_iter()
        .map(|((from_org, to_org), mut a)| {
            let accepted = a.accepted.len() as i64;
            let decided = accepted + a.declined;
            NetworkLink {
                from_org,
                to_org,
                referrals: Count::of(a.total),
                accepted: Count::of(accepted),
                declined: Count::of(a.declined),
                completed: Count::of(a.completed.len() as i64),
                // A rate would give away a withheld count, so it needs both parts to be
                // shown exactly (zero or at least five).
                acceptance_percent: (decided >= MIN_COUNT
                    && !(1..MIN_COUNT).contains(&accepted)
                    && !(1..MIN_COUNT).contains(&a.declined))
                .then(|| (accepted * 100 + decided / 2) / decided),
                median_hours_to_accept: median(&mut a.accepted),
                median_hours_to_complete: median(&mut a.completed),
            }
        })
        .collect();
    Ok(Network {
        referrals: Count::of(total),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians_need_five_values() {
        assert_eq!(median(&mut [1, 2, 3, 4]), None);
        assert_eq!(median(&mut [5, 1, 3, 2, 4]), Some(3));
        assert_eq!(median(&mut [6, 1, 3, 2, 4, 5]), Some(3));
    }
}
