//! Demo shelters: six small sites run by the city's social support department, stays of
//! the demo's open shelter cases over the past years, and a waiting list. Everything goes
//! through the same use cases as the application, with the clock set to the day of each
//! event, so the history (and the occupancy figures) are consistent.

use haven_core::dates;
use haven_core::ids::{CaseId, OrgId, PlaceId, PlacementId, SiteId};
use haven_core::orgs;
use haven_core::shelters::{self, AdmitInput, DischargeInput, SiteInput, WaitingInput};
use haven_core::{Actor, Ctx, Error, FixedClock, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use time::{Date, Duration};

const OPERATOR: &str = "Rivierstad Social Support Department";

/// (name, neighbourhood, places, target group, for Dublin claimants)
const SITES: &[(&str, &str, i64, &str, bool)] = &[
    ("De Kade", "Oude Haven", 64, "LVV participants", false),
    ("Lindenhof", "Lindenwijk", 72, "LVV participants", false),
    ("Het Baken", "Noordoever", 58, "LVV participants", false),
    (
        "Zonnehuis",
        "Zuidpark",
        80,
        "LVV participants (women and families)",
        false,
    ),
    ("De Overkant", "Spoorzone", 50, "Dublin claimants", true),
    ("Wilgenhof", "Rietlanden", 54, "Dublin claimants", true),
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

enum Event {
    Admit(CaseId, bool),
    Discharge(CaseId, &'static str),
}

/// An open case of a programme with a shelter place.
#[derive(sqlx::FromRow)]
struct ShelterCase {
    id: CaseId,
    start_date: String,
    programme: String,
    max_months: Option<i64>,
}

/// Seeds the sites, stays and waiting list; returns how many stays it created. Without
/// open shelter cases in the operator's organisation it creates the sites only.
pub async fn seed(ctx: &Ctx) -> anyhow::Result<usize> {
    let e = |e: Error| anyhow::anyhow!("seeding shelters failed: {e:?}");
    let org: OrgId = orgs::find_by_name(ctx, OPERATOR)
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow::anyhow!("the demo organisation {OPERATOR} is missing"))?
        .id;
    let mut lvv = Vec::new();
    let mut dublin = Vec::new();
    for (name, hood, places, group, is_dublin) in SITES {
        let site = open_site(ctx, org, name, hood, *places, group)
            .await
            .map_err(e)?;
        if *is_dublin {
            dublin.push(site.id);
        } else {
            lvv.push(site.id);
        }
    }

    let Some(coordinator) = crate::demo::user_id(ctx, "shelter").await? else {
        return Ok(0);
    };
    let actor = Actor::staff(coordinator, org, vec![Role::ShelterCoordinator]);

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
    let today = haven_core::Clock::now(ctx.clock.as_ref()).date();
    let mut rng = StdRng::seed_from_u64(2027);
    let mut events: Vec<(Date, usize, Event)> = Vec::new();
    let mut waiting = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let (case_id, months) = (c.id, c.max_months);
        let is_dublin = c.programme.to_lowercase().contains("dublin");
        let Some(start) = dates::parse_stored(&c.start_date) else {
            continue;
        };
        let admitted = start + Duration::days(rng.gen_range(0..21));
        // Recent cases partly wait for a place.
        if admitted > today || (dates::days_between(start, today) < 60 && rng.gen_bool(0.5)) {
            waiting.push((case_id, is_dublin));
            continue;
        }
        events.push((admitted, i * 2, Event::Admit(case_id, is_dublin)));
        let end = months.map(|m| dates::stay_end(admitted, m));
        // Some stays end early; stays past their limit end the day after it.
        let early = rng
            .gen_bool(0.25)
            .then(|| admitted + Duration::days(rng.gen_range(30..400)));
        let leave = match (early, end) {
            (Some(d), Some(end)) if d <= end => Some((d, pick_reason(&mut rng))),
            (Some(d), None) => Some((d, pick_reason(&mut rng))),
            (_, Some(end)) => Some((end + Duration::days(1), "stay_limit")),
            (None, None) => None,
        };
        if let Some((d, reason)) = leave {
            if d <= today {
                events.push((d, i * 2 + 1, Event::Discharge(case_id, reason)));
            }
        }
    }
    events.sort_by_key(|(d, n, _)| (*d, *n));

    let mut stays = 0;
    let mut current: std::collections::HashMap<CaseId, PlacementId> =
        std::collections::HashMap::new();
    for (day, _, ev) in events {
        let ctx = at(ctx, day);
        match ev {
            Event::Admit(case_id, is_dublin) => {
                let sites = if is_dublin { &dublin } else { &lvv };
                let Some(place) = first_free_place(&ctx, sites, stays).await? else {
                    continue;
                };
                let input = AdmitInput {
                    case_id: Some(case_id.to_string()),
                    place_id: Some(place.to_string()),
                };
                match shelters::admit(&ctx, &actor, &input).await {
                    Ok(p) => {
                        current.insert(case_id, p.id);
                        stays += 1;
                    }
                    // A rule refused it (e.g. the person already holds a place): skip.
                    Err(Error::Conflict(_)) => {}
                    Err(other) => return Err(e(other)),
                }
            }
            Event::Discharge(case_id, reason) => {
                if let Some(p) = current.remove(&case_id) {
                    let input = DischargeInput {
                        reason: Some(reason.to_owned()),
                    };
                    shelters::discharge(&ctx, &actor, p, &input)
                        .await
                        .map_err(e)?;
                }
            }
        }
    }

    // The waiting list, in the past few weeks.
    for (n, (case_id, is_dublin)) in waiting.into_iter().enumerate() {
        let ctx = at(ctx, today - Duration::days(rng.gen_range(0..28)));
        let sites = if is_dublin { &dublin } else { &lvv };
        let preferred = if rng.gen_bool(0.4) {
            sites.get(n % sites.len().max(1)).map(|s| s.to_string())
        } else {
            None
        };
        let input = WaitingInput {
            case_id: Some(case_id.to_string()),
            site_id: preferred,
            priority: Some(rng.gen_range(1..=3).to_string()),
            referral_source: Some(REFERRERS[rng.gen_range(0..REFERRERS.len())].to_owned()),
        };
        match shelters::add_to_waiting_list(&ctx, &actor, &input).await {
            Ok(_) | Err(Error::Conflict(_)) => {}
            Err(other) => return Err(e(other)),
        }
    }
    Ok(stays)
}

fn pick_reason(rng: &mut StdRng) -> &'static str {
    match rng.gen_range(0..10) {
        0..=4 => "outcome",
        5..=7 => "left",
        8 => "rule_breach",
        _ => "other",
    }
}

/// The first free place, trying the sites in turn from a rotating start so that stays
/// spread over them.
async fn first_free_place(
    ctx: &Ctx,
    sites: &[SiteId],
    turn: usize,
) -> anyhow::Result<Option<PlaceId>> {
    let n = sites.len();
    for k in 0..n {
        let site = &sites[(turn + k) % n];
        let row: Option<String> = sqlx::query_scalar(
            "SELECT sp.id FROM shelter_places sp WHERE sp.site_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM placements x WHERE x.place_id = sp.id AND x.discharged_on IS NULL) \
             ORDER BY LENGTH(sp.label), sp.label LIMIT 1",
        )
        .bind(site)
        .fetch_optional(&ctx.db.pool)
        .await?;
        if let Some(id) = row {
            return Ok(Some(
                id.parse()
                    .map_err(|_| anyhow::anyhow!("malformed place id"))?,
            ));
        }
    }
    Ok(None)
}
