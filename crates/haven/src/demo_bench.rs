//! Bulk casework for benchmarks (`haven demo --cases N`, after
//! [`crate::demo_cases::fill_caseload`] has filled the demo case manager's caseload): sixty
//! more case managers with caseloads of their own, years of closed cases, two more shelter
//! sites (500 places in all) and those places taken.
//!
//! The demo case manager's cases and every placement go through the application's use cases.
//! The other case managers' cases (tens of thousands) are inserted directly, a thousand per
//! audited transaction, each with its own `case.open` (and `case.close`) audit event, so the
//! audit chain stays valid; they have no notes, procedures or goals.

use crate::demo_cases::PROGRAMMES;
use haven_core::audit::AuditTx;
use haven_core::ids::{CaseId, OrgId, UserId};
use haven_core::shelters::{self, AdmitInput};

use haven_core::{dates, orgs, Actor, Ctx, Error, FixedClock, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use time::{Date, Duration};

const DAY: i64 = 86_400;
const ORG: &str = "Rivierstad Social Support Department";
/// Case managers created for the benchmark, besides the demo's own.
const MANAGERS: usize = 60;
/// Two more sites, so that the demo's six (378 places) become eight with 500.
const SITES: &[(&str, &str, i64, &str)] = &[
    ("Parkzicht", "Westerpark", 62, "LVV participants"),
    ("De Werf", "Havenkwartier", 60, "Dublin claimants"),
];
/// Cases per audited transaction.
const BATCH: usize = 1000;

/// How far back a programme's open cases started, in days.
const OPEN_SPAN: [i64; 4] = [540, 180, 1000, 300];
const PERSPECTIVES: [&str; 4] = [
    "undecided",
    "regularisation",
    "onward_migration",
    "voluntary_return",
];

fn date_of(ts: i64) -> Date {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|d| d.date())
        .unwrap_or(Date::MIN)
}

fn at(ctx: &Ctx, ts: i64) -> Ctx {
    Ctx {
        clock: Arc::new(FixedClock::at(ts)),
        ..ctx.clone()
    }
}

struct Spec {
    person: String,
    kind: usize,
    manager: usize,
    start: i64,
    closed_on: Option<i64>,
}

/// Brings the database to `target` cases (the demo case manager's caseload is filled
/// before, by [`crate::demo_cases::fill_caseload`]). Returns the number of cases created.
pub async fn seed(ctx: &Ctx, target: usize) -> anyhow::Result<usize> {
    let e = |e: Error| anyhow::anyhow!("seeding benchmark cases failed: {e:?}");
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&ctx.db.pool)
        .await?;
    let existing = existing as usize;
    let mut created = 0;
    let org: OrgId = orgs::find_by_name(ctx, ORG)
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow::anyhow!("the demo organisation {ORG} is missing"))?
        .id;
    let mut progs: Vec<String> = Vec::new();
    let mut outcomes: Vec<Vec<&'static str>> = Vec::new();
    for (name, _, _, _, _, out) in PROGRAMMES {
        let id: String = sqlx::query_scalar("SELECT id FROM programmes WHERE name = $1")
            .bind(*name)
            .fetch_one(&ctx.db.pool)
            .await?;
        progs.push(id);
        outcomes.push(out.split(',').collect());
    }
    let mut managers: Vec<(UserId, Actor)> = Vec::new();
    for m in 0..MANAGERS {
        let id = crate::demo::create_account(
            ctx,
            &format!("bench-cm-{:02}", m + 1),
            &format!("Bench Case Manager {:02}", m + 1),
            org,
            Role::CaseManager,
        )
        .await
        .map_err(e)?;
        managers.push((id, Actor::staff(id, org, vec![Role::CaseManager])));
    }
    let cm = crate::demo::existing_user(ctx, "casemanager").await?;
    managers.push((cm, Actor::staff(cm, org, vec![Role::CaseManager])));
    let demo_cm = managers.len() - 1;

    // Persons the organisation may see and who have no case yet.
    let pool: Vec<String> = sqlx::query_scalar(
        "SELECT p.id FROM persons p WHERE p.data_key IS NOT NULL \
         AND EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = p.id AND a.org_id = $1 \
           AND a.expires_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id) \
         ORDER BY p.created_at, p.id",
    )
    .bind(org)
    .fetch_all(&ctx.db.pool)
    .await?;
    anyhow::ensure!(
        !pool.is_empty(),
        "no persons without a case to open cases for"
    );
    let now = ctx.clock.now_ts();
    let mut rng = StdRng::seed_from_u64(5);
    let mut specs: Vec<Spec> = Vec::new();
    let wanted = target.saturating_sub(existing);
    // Open cases: every bench case manager holds 10 to 50 in each programme, one person each.
    let mut next = 0;
    'open: for m in 0..MANAGERS {
        for (kind, span) in OPEN_SPAN.iter().enumerate() {
            for _ in 0..rng.gen_range(10..=50) {
                if specs.len() >= wanted || next >= pool.len() {
                    break 'open;
                }
                let start = now - rng.gen_range(1..*span) * DAY;
                specs.push(Spec {
                    person: pool[next].clone(),
                    kind,
                    manager: m,
                    start,
                    closed_on: None,
                });
                next += 1;
            }
        }
    }
    // The rest: closed cases from the past six years, some of them earlier cases of the
    // same persons; one in 200 was the demo case manager's.
    let mut k = 0;
    while specs.len() < wanted {
        let days_ago = rng.gen_range(60..2200);
        let start = now - days_ago * DAY;
        let length = rng.gen_range(30..540).min(days_ago - 1);
        specs.push(Spec {
            person: pool[k % pool.len()].clone(),
            kind: [0usize, 0, 2, 0, 1, 2, 3, 0][k % 8],
            manager: if k % 200 == 0 {
                demo_cm
            } else {
                rng.gen_range(0..MANAGERS)
            },
            start,
            closed_on: Some(start + length * DAY),
        });
        k += 1;
    }

    let mut open_shelter: [Vec<(String, i64)>; 2] = [Vec::new(), Vec::new()];
    for chunk in specs.chunks(BATCH) {
        let mut tx = AuditTx::begin(ctx).await.map_err(e)?;
        for s in chunk {
            let id = CaseId::new().to_string();
            let (manager, actor) = &managers[s.manager];
            let intake = s.start + rng.gen_range(8..16) * 3600;
            let assigned = (intake + rng.gen_range(1..30) * DAY).min(now - 3600);
            let contact = match s.closed_on {
                Some(c) => c,
                None => (now - rng.gen_range(1..60) * DAY).max(intake),
            };
            let outcome = s
                .closed_on
                .map(|_| outcomes[s.kind][rng.gen_range(0..outcomes[s.kind].len())]);
            sqlx::query(
                "INSERT INTO cases (id, person_id, programme_id, org_id, case_manager_id, status, \
                 intake_at, manager_assigned_at, start_date, perspective, last_contact_at, \
                 closed_on, outcome, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $7, $14)",
            )
            .bind(&id)
            .bind(&s.person)
            .bind(&progs[s.kind])
            .bind(org)
            .bind(manager)
            .bind(if s.closed_on.is_some() {
                "closed"
            } else {
                "open"
            })
            .bind(intake)
            .bind(assigned)
            .bind(dates::format(date_of(s.start)))
            .bind(PERSPECTIVES[rng.gen_range(0..PERSPECTIVES.len())])
            .bind(contact)
            .bind(s.closed_on.map(|c| dates::format(date_of(c))))
            .bind(outcome)
            .bind(s.closed_on.unwrap_or(contact))
            .execute(&mut *tx.tx)
            .await?;
            tx.log(
                ctx,
                actor,
                "case.open",
                "case",
                &[id.clone(), s.person.clone()],
            )
            .await
            .map_err(e)?;
            if s.closed_on.is_some() {
                tx.log(ctx, actor, "case.close", "case", std::slice::from_ref(&id))
                    .await
                    .map_err(e)?;
            } else if s.kind <= 1 {
                open_shelter[s.kind].push((id, s.start));
            }
        }
        tx.commit().await.map_err(e)?;
        created += chunk.len();
    }

    fill_places(ctx, org, &open_shelter, &mut rng).await?;
    Ok(created)
}

/// A shelter place nobody holds, with its site's target group and the day it was last
/// left.
#[derive(sqlx::FromRow)]
struct FreePlace {
    id: String,
    target_group: String,
    last_discharged: Option<String>,
}

/// Adds the two sites and gives every free place but one in twenty to an open LVV or Dublin
/// case of the bench case managers, admitted on a day after the case started.
async fn fill_places(
    ctx: &Ctx,
    org: OrgId,
    open_shelter: &[Vec<(String, i64)>; 2],
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let e = |e: Error| anyhow::anyhow!("seeding benchmark placements failed: {e:?}");
    for (name, hood, places, group) in SITES {
        crate::demo_shelters::open_site(ctx, org, name, hood, *places, group)
            .await
            .map_err(e)?;
    }
    let coordinator = crate::demo::existing_user(ctx, "shelter").await?;
    let actor = Actor::staff(coordinator, org, vec![Role::ShelterCoordinator]);
    let free: Vec<FreePlace> = sqlx::query_as(
        "SELECT sp.id, s.target_group, \
         (SELECT MAX(x.discharged_on) FROM placements x WHERE x.place_id = sp.id) \
           AS last_discharged \
         FROM shelter_places sp JOIN shelter_sites s ON s.id = sp.site_id \
         WHERE s.operator_org = $1 AND s.active = 1 AND NOT EXISTS \
         (SELECT 1 FROM placements x WHERE x.place_id = sp.id AND x.discharged_on IS NULL) \
         ORDER BY s.name, LENGTH(sp.label), sp.label",
    )
    .bind(org)
    .fetch_all(&ctx.db.pool)
    .await?;
    let now = ctx.clock.now_ts();
    let today = date_of(now);
    let mut next = [0usize, 0];
    for (
        n,
        FreePlace {
            id: place,
            target_group: group,
            last_discharged: last,
        },
    ) in free.iter().enumerate()
    {
        if n % 20 == 19 {
            continue;
        }
        let kind = usize::from(group.contains("Dublin"));
        let Some((case_id, start)) = open_shelter[kind].get(next[kind]) else {
            continue;
        };
        next[kind] += 1;
        let mut day = date_of(*start) + Duration::days(rng.gen_range(0..14));
        if let Some(last) = last.as_deref().and_then(dates::parse_stored) {
            day = day.max(last + Duration::days(1));
        }
        let day = day.min(today);
        let ts = day.midnight().assume_utc().unix_timestamp() + 10 * 3600;
        let input = AdmitInput {
            case_id: Some(case_id.clone()),
            place_id: Some(place.clone()),
        };
        match shelters::admit(&at(ctx, ts.min(now)), &actor, &input).await {
            Ok(_) | Err(Error::Conflict(_)) => {}
            Err(other) => return Err(e(other)),
        }
    }
    Ok(())
}
