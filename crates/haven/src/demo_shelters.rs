//! Demo shelters: six small sites run by the city's social support department, run full,
//! the stays of the demo's open shelter cases over the past years, and a waiting list that
//! moves. Everything goes through the same use cases as the application, with the clock
//! set to the day of each event, so the history (and the occupancy figures) are consistent.

use haven_core::dates;
use haven_core::ids::{CaseId, OrgId, PlacementId, SiteId, WaitingId};
use haven_core::orgs;
use haven_core::shelters::{self, AdmitWaitingInput, DischargeInput, SiteInput, WaitingInput};
use haven_core::{Actor, Ctx, Error, FixedClock, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::Arc;
use time::{Date, Duration};

const OPERATOR: &str = "Rivierstad Social Support Department";

/// (name, neighbourhood, share of its programme's places in percent, target group, for
/// Dublin claimants)
const SITES: &[(&str, &str, i64, &str, bool)] = &[
    ("De Kade", "Oude Haven", 28, "LVV participants", false),
    ("Lindenhof", "Lindenwijk", 30, "LVV participants", false),
    ("Het Baken", "Noordoever", 20, "LVV participants", false),
    (
        "Zonnehuis",
        "Zuidpark",
        22,
        "LVV participants (women and families)",
        false,
    ),
    ("De Overkant", "Spoorzone", 55, "Dublin claimants", true),
    ("Wilgenhof", "Rietlanden", 45, "Dublin claimants", true),
];

const REFERRERS: &[&str] = &[
    "Crossroads Outreach Team",
    "St. Martin Day Centre",
    "Open Door Legal Aid",
    "Harbour Street Clinic",
    "Rivierstad Safe Reporting Hub",
    "Case manager, Social Support Department",
];

/// A site run by `org`, open from the start: the demo's and the benchmark's sites alike.
pub(crate) async fn open_site(
    ctx: &Ctx,
    org: OrgId,
    name: &str,
    neighbourhood: &str,
    places: i64,
    target_group: &str,
) -> Result<shelters::Site, Error> {
    let input = SiteInput {
        name: Some(name.to_owned()),
        neighbourhood: Some(neighbourhood.to_owned()),
        capacity: Some(places.to_string()),
        operator_org: Some(org.to_string()),
        target_group: Some(target_group.to_owned()),
        active: Some(true),
    };
    shelters::create_site(ctx, &Actor::system(), &input).await
}

fn at(ctx: &Ctx, day: Date) -> Ctx {
    let ts = day.midnight().assume_utc().unix_timestamp() + 10 * 3600;
    Ctx {
        clock: Arc::new(FixedClock::at(ts)),
        ..ctx.clone()
    }
}

/// An open case of a programme with a shelter place.
#[derive(sqlx::FromRow)]
struct ShelterCase {
    id: CaseId,
    start_date: String,
    programme: String,
    max_months: Option<i64>,
}

/// Seeds the sites, the stays and the waiting list; returns how many stays it created.
/// Without open shelter cases in the operator's organisation it creates the sites only.
///
/// The history is played day by day through the use cases, as a coordinator lives it:
/// every new case goes on the waiting list a few days after intake; whenever a place is
/// free, the longest-waiting person of the right programme is admitted from the list;
/// stays end early (a solution found, or the person left) or the day after their limit.
/// The sites are sized below the demand, as a real city's are, so they run full and the
/// list moves but never empties.
pub async fn seed(ctx: &Ctx) -> anyhow::Result<usize> {
    let e = |e: Error| anyhow::anyhow!("seeding shelters failed: {e:?}");
    let org: OrgId = orgs::find_by_name(ctx, OPERATOR)
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow::anyhow!("the demo organisation {OPERATOR} is missing"))?
        .id;
    // The organisation's open cases in programmes with a shelter place, oldest first.
    let cases: Vec<ShelterCase> = sqlx::query_as(
        "SELECT c.id, c.start_date, pr.name AS programme, pr.max_months FROM cases c \
         JOIN programmes pr ON pr.id = c.programme_id \
         WHERE c.org_id = $1 AND c.status = 'open' AND pr.includes_shelter = 1 \
         ORDER BY c.start_date, c.id",
    )
    .bind(org)
    .fetch_all(&ctx.db.pool)
    .await?;
    let demand = |dublin: bool| {
        cases
            .iter()
            .filter(|c| is_dublin(&c.programme) == dublin)
            .count() as i64
    };
    let mut sites: Vec<(SiteId, bool, i64)> = Vec::new();
    for (name, hood, share, group, dublin) in SITES {
        // About seven places for every ten people who need one; never fewer than four.
        let places = (demand(*dublin) * share * 7 / 1000).max(4);
        let site = open_site(ctx, org, name, hood, places, group)
            .await
            .map_err(e)?;
        sites.push((site.id, *dublin, places));
    }
    let Some(coordinator) = crate::demo::user_id(ctx, "shelter").await? else {
        return Ok(0);
    };
    let actor = Actor::staff(coordinator, org, vec![Role::ShelterCoordinator]);
    let today = haven_core::Clock::now(ctx.clock.as_ref()).date();
    let mut rng = StdRng::seed_from_u64(2027);

    // Who joins the list when.
    let mut joins: Vec<(Date, usize)> = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        if let Some(start) = dates::parse_stored(&c.start_date) {
            // A few days after intake, and today at the latest.
            let day = (start + Duration::days(rng.gen_range(1..4))).min(today);
            joins.push((day, i));
        }
    }
    joins.sort();
    // (entry, case index), longest-waiting first.
    let mut waiting: Vec<(WaitingId, usize)> = Vec::new();
    let mut staying: Vec<(PlacementId, SiteId, Date, &'static str)> = Vec::new();
    let mut taken: HashMap<SiteId, i64> = HashMap::new();
    let mut stays = 0;
    let mut next_join = 0;
    loop {
        let next_leave = staying.iter().map(|s| s.2).min();
        let day = match (joins.get(next_join).map(|j| j.0), next_leave) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        if day > today {
            break;
        }
        let ctx = at(ctx, day);
        // Stays ending today free their places first.
        let (ending, rest): (Vec<_>, Vec<_>) = staying.into_iter().partition(|s| s.2 == day);
        staying = rest;
        for (placement, site, _, reason) in ending {
            let input = DischargeInput {
                reason: Some(reason.to_owned()),
            };
            shelters::discharge(&ctx, &actor, placement, &input)
                .await
                .map_err(e)?;
            *taken.entry(site).or_default() -= 1;
        }
        while let Some(&(d, i)) = joins.get(next_join) {
            if d != day {
                break;
            }
            next_join += 1;
            let input = WaitingInput {
                case_id: Some(cases[i].id.to_string()),
                site_id: None,
                priority: Some(rng.gen_range(1..=3).to_string()),
                referral_source: Some(REFERRERS[rng.gen_range(0..REFERRERS.len())].to_owned()),
            };
            let w = shelters::add_to_waiting_list(&ctx, &actor, &input)
                .await
                .map_err(e)?;
            waiting.push((w.id, i));
        }
        // Every free place goes to the longest-waiting person it suits.
        let mut k = 0;
        while k < waiting.len() {
            let c = &cases[waiting[k].1];
            let free = sites.iter().find(|(id, dublin, places)| {
                *dublin == is_dublin(&c.programme) && taken.get(id).copied().unwrap_or(0) < *places
            });
            let Some(&(site, ..)) = free else {
                k += 1;
                continue;
            };
            let (entry, _) = waiting.remove(k);
            let input = AdmitWaitingInput {
                site_id: Some(site.to_string()),
            };
            let p = shelters::admit_from_waiting_list(&ctx, &actor, entry, &input)
                .await
                .map_err(e)?;
            *taken.entry(site).or_default() += 1;
            stays += 1;
            if let Some((leave, reason)) = leaving(&mut rng, day, c.max_months) {
                staying.push((p.id, site, leave, reason));
            }
        }
    }
    Ok(stays)
}

fn is_dublin(programme: &str) -> bool {
    programme.to_lowercase().contains("dublin")
}

/// When a stay that starts on `admitted` ends, and why: a third end early (a solution
/// found, or the person left); the others the day after their limit. `None`: it lasts.
fn leaving(rng: &mut StdRng, admitted: Date, months: Option<i64>) -> Option<(Date, &'static str)> {
    let end = months.map(|m| dates::stay_end(admitted, m));
    let early = rng
        .gen_bool(0.33)
        .then(|| admitted + Duration::days(rng.gen_range(30..300)));
    match (early, end) {
        (Some(d), Some(end)) if d <= end => Some((d, pick_reason(rng))),
        (Some(d), None) => Some((d, pick_reason(rng))),
        (_, Some(end)) => Some((end + Duration::days(1), "stay_limit")),
        (None, None) => None,
    }
}

fn pick_reason(rng: &mut StdRng) -> &'static str {
    match rng.gen_range(0..10) {
        0..=4 => "outcome",
        5..=7 => "left",
        8 => "rule_breach",
        _ => "other",
    }
}
