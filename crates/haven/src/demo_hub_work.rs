//! The demo's safe-reporting hub at work: reports recorded by the demo hub officer, with
//! triage, legal counselling, a protective-measure application, an accompaniment with a
//! police reference, one hand-over to the demo police unit (which the `police` account
//! sees), and two reports naming the same employer (a repeat-perpetrator flag).

use haven_core::hub::{self, ActionInput, ActionKind, ReportInput};
use haven_core::ids::ReportId;
use haven_core::{Actor, Ctx, Role};

use crate::demo::{existing_user, HUB};

fn e(err: haven_core::Error) -> anyhow::Error {
    anyhow::anyhow!("demo hub work: {err:?}")
}

/// A report made in person, recorded by the hub officer.
async fn report(ctx: &Ctx, actor: &Actor, category: &str, what: &str) -> anyhow::Result<ReportId> {
    let now = ctx.clock.now_ts();
    let month = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| format!("{:04}-{:02}", t.year(), u8::from(t.month())))
        .unwrap_or_else(|_| "2026-01".into());
    let (id, _code) = hub::record(
        ctx,
        actor,
        &ReportInput {
            category: Some(category.into()),
            occurred: Some(month),
            what: Some(what.into()),
            place: Some("Greenhouses east of Rivierstad".into()),
            reporter_role: Some("victim".into()),
            may_contact: Some("yes".into()),
            contact: Some("Through the day centre on Havenstraat".into()),
            language: Some("ar".into()),
            ..Default::default()
        },
        &Some("in_person".to_owned()),
    )
    .await
    .map_err(e)?;
    Ok(id)
}

fn today(ctx: &Ctx, days_ago: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ctx.clock.now_ts() - days_ago * 86_400)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

pub async fn seed(ctx: &Ctx) -> anyhow::Result<()> {
    let officer = existing_user(ctx, "hub").await?;
    let Some(hub_org) = haven_core::orgs::find_by_name(ctx, HUB).await? else {
        return Ok(());
    };
    let Some(police) =
        haven_core::orgs::find_by_name(ctx, "Rivierstad Police Liaison Unit").await?
    else {
        return Ok(());
    };
    let actor = Actor::staff(officer, hub_org.id, vec![Role::HubOfficer]);
    let a = report(
        ctx,
        &actor,
        "labour_exploitation",
        "I picked tomatoes for three months and was paid for one. The boss keeps our passports.",
    )
    .await?;
    let b = report(
        ctx,
        &actor,
        "labour_exploitation",
        "We work twelve hours a day in the greenhouses and sleep in a container.",
    )
    .await?;
    report(
        ctx,
        &actor,
        "assault",
        "A man hit me at the tram stop and took my phone.",
    )
    .await?;
    hub::triage(
        ctx,
        &actor,
        a,
        &hub::TriageInput {
            urgency: Some("urgent".into()),
            needed: vec![
                "legal_advice".into(),
                "shelter".into(),
                "police_report".into(),
            ],
            follow_up: Some(today(ctx, -7)),
            notes: Some("Afraid of losing the room the employer provides.".into()),
            version: Some(0),
        },
    )
    .await
    .map_err(e)?;
    let action = |day: i64| ActionInput {
        day: Some(today(ctx, day)),
        ..Default::default()
    };
    hub::add_action(
        ctx,
        &actor,
        a,
        ActionKind::Counselling,
        &ActionInput {
            topic: Some("The residence permit for victims of trafficking".into()),
            ..action(6)
        },
    )
    .await
    .map_err(e)?;
    hub::add_action(
        ctx,
        &actor,
        a,
        ActionKind::Measure,
        &ActionInput {
            measure: Some("permit_trafficking".into()),
            state: Some("applied".into()),
            ..action(4)
        },
    )
    .await
    .map_err(e)?;
    hub::add_action(
        ctx,
        &actor,
        a,
        ActionKind::Accompaniment,
        &ActionInput {
            station: Some("Bureau Rivierstad-Centrum".into()),
            outcome: Some("Report taken; free to leave".into()),
            police_reference: Some("PL-2026-10417".into()),
            ..action(3)
        },
    )
    .await
    .map_err(e)?;
    for (r, name) in [(a, "Kwekerij Van Dam B.V."), (b, "kwekerij van dam bv")] {
        hub::add_perpetrator(
            ctx,
            &actor,
            r,
            &hub::PerpetratorInput {
                name: Some(name.into()),
            },
        )
        .await
        .map_err(e)?;
    }
    hub::record_consent(
        ctx,
        &actor,
        a,
        &hub::ConsentInput {
            police_org: Some(police.id.to_string()),
            given_how: Some("in_person".into()),
            given_on: Some(today(ctx, 3)),
            ..Default::default()
        },
    )
    .await
    .map_err(e)?;
    hub::hand_over(
        ctx,
        &actor,
        a,
        &hub::HandoverInput {
            fields: [
                "category",
                "occurred",
                "what",
                "perpetrators",
                "accompaniments",
            ]
            .map(String::from)
            .to_vec(),
            ..Default::default()
        },
    )
    .await
    .map_err(e)?;
    Ok(())
}
