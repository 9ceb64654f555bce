//! Demo referrals: a few directory services of network members, and referrals from the
//! city's case manager to them in every state, spread over the past weeks, so that both
//! sides, the notifications and the network view have something to show.

use haven_core::ids::{OrgId, PersonId};
use haven_core::referrals::{self, ConsentInput, DeclineInput, ReferInput, ResultInput};
use haven_core::{orgs, Actor, Ctx, Error, FixedClock, Role};
use std::sync::Arc;

/// The one place the demo creates directory rows (the directory module fills the rest of
/// the demo directory); switch it to the directory's own use cases once they exist.
pub async fn dir_service(
    ctx: &Ctx,
    org: OrgId,
    org_name: &str,
    name: &str,
) -> anyhow::Result<String> {
    let now = ctx.clock.now_ts();
    let dir_org: Option<String> =
        sqlx::query_scalar("SELECT id FROM dir_organizations WHERE haven_org_id = $1")
            .bind(org)
            .fetch_optional(&ctx.db.pool)
            .await?;
    let dir_org = match dir_org {
        Some(id) => id,
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO dir_organizations (id, haven_org_id, name, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(&id)
            .bind(org)
            .bind(org_name)
            .bind(now)
            .execute(&ctx.db.pool)
            .await?;
            id
        }
    };
    // The demo directory (seeded first) already publishes the organisation's services:
    // refer to the one of that name, or else to its first published service.
    let published: Option<String> = sqlx::query_scalar(
        "SELECT id FROM dir_services WHERE organization_id = $1 AND published = 1 \
         ORDER BY CASE WHEN name = $2 THEN 0 ELSE 1 END, name, id LIMIT 1",
    )
    .bind(&dir_org)
    .bind(name)
    .fetch_optional(&ctx.db.pool)
    .await?;
    if let Some(id) = published {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO dir_services (id, organization_id, name, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'active', $4, $4)",
    )
    .bind(&id)
    .bind(&dir_org)
    .bind(name)
    .bind(now)
    .execute(&ctx.db.pool)
    .await?;
    Ok(id)
}

#[derive(Clone, Copy)]
enum End {
    Open,
    Accepted,
    Declined,
    Result(&'static str),
    Withdrawn,
}

/// (organisation, service, referral type, receiving user, outcomes)
type Plan = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [End],
);

const PLAN: &[Plan] = &[
    (
        "Harbour Street Clinic",
        "Walk-in consultation hour",
        "health_care",
        Some("partner"),
        &[
            End::Result("helped"),
            End::Result("helped"),
            End::Result("helped"),
            End::Result("no_show"),
            End::Result("helped"),
            End::Accepted,
            End::Accepted,
            End::Declined,
            End::Open,
        ],
    ),
    (
        "Open Door Legal Aid",
        "Legal advice on residence",
        "legal_advice",
        Some("legal"),
        &[
            End::Result("helped"),
            End::Result("referred_on"),
            End::Result("helped"),
            End::Result("not_eligible"),
            End::Result("helped"),
            End::Accepted,
            End::Withdrawn,
            End::Open,
        ],
    ),
    (
        "St. Martin Day Centre",
        "Day centre: meals and showers",
        "day_centre",
        None,
        &[End::Open, End::Open],
    ),
];

pub async fn seed(ctx: &Ctx) -> anyhow::Result<usize> {
    let e = |e: Error| anyhow::anyhow!("seeding referrals failed: {e:?}");
    let sender_org = orgs::find_by_name(ctx, "Rivierstad Social Support Department")
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow::anyhow!("the demo's social support department is missing"))?
        .id;
    let Some(cm) = crate::demo::user_id(ctx, "casemanager").await? else {
        return Ok(0);
    };
    let sender = Actor::staff(cm, sender_org, vec![Role::CaseManager]);
    let persons = crate::demo::registered_persons(ctx, sender_org, 40).await?;
    let now = ctx.clock.now_ts();
    let mut n = 0usize;
    for (org_name, service_name, kind, receiver, ends) in PLAN {
        let Some(org) = orgs::find_by_name(ctx, org_name).await.map_err(e)? else {
            continue;
        };
        let service = dir_service(ctx, org.id, org_name, service_name).await?;
        let receiver = match receiver {
            Some(u) => crate::demo::user_id(ctx, u).await?.map(|id| {
                let role = if *u == "legal" {
                    Role::LegalCounsellor
                } else {
                    Role::PartnerStaff
                };
                Actor::staff(id, org.id, vec![role])
            }),
            None => None,
        };
        for (i, end) in ends.iter().enumerate() {
            let Some(person) = persons.get(n % persons.len().max(1)) else {
                return Ok(n);
            };
            let person: PersonId = person
                .parse()
                .map_err(|_| anyhow::anyhow!("malformed person id"))?;
            // Sent between five weeks and a few days ago; answered a day or two later.
            let sent_at = now - (35 - 3 * i as i64).max(2) * 86_400 - (n as i64 % 7) * 3600;
            let at = |t: i64| Ctx {
                clock: Arc::new(FixedClock::at(t)),
                ..ctx.clone()
            };
            let then = at(sent_at);
            let consent = referrals::record_consent(
                &then,
                &sender,
                person,
                &ConsentInput {
                    to_org: Some(org.id.to_string()),
                    purpose: Some((*kind).to_owned()),
                    valid_until: Some(
                        (then.clock.now().date() + time::Duration::days(90)).to_string(),
                    ),
                    share_residence_status: Some(*kind == "legal_advice"),
                    person_agreed: Some(true),
                },
            )
            .await
            .map_err(e)?;
            let id = referrals::refer(
                &then,
                &sender,
                &ReferInput {
                    consent_id: Some(consent.id.to_string()),
                    service_id: Some(service.clone()),
                    reason: Some("Invented demo referral.".into()),
                    ..Default::default()
                },
            )
            .await
            .map_err(e)?;
            n += 1;
            let accepted = at(sent_at + 86_400 + (i as i64 % 3) * 7200);
            let done = at(sent_at + 6 * 86_400);
            match (end, &receiver) {
                (End::Open, _) | (_, None) => {}
                (End::Withdrawn, _) => referrals::withdraw(&accepted, &sender, id)
                    .await
                    .map_err(e)?,
                (End::Declined, Some(r)) => referrals::decline(
                    &accepted,
                    r,
                    id,
                    &DeclineInput {
                        reason: Some("No capacity this month (demo).".into()),
                    },
                )
                .await
                .map_err(e)?,
                (End::Accepted, Some(r)) => referrals::accept(&accepted, r, id).await.map_err(e)?,
                (End::Result(res), Some(r)) => {
                    referrals::accept(&accepted, r, id).await.map_err(e)?;
                    referrals::record_result(
                        &done,
                        r,
                        id,
                        &ResultInput {
                            result: Some((*res).to_owned()),
                        },
                    )
                    .await
                    .map_err(e)?;
                }
            }
        }
    }
    Ok(n)
}
