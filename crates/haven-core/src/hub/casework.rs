//! The hub's casework on a report: triage (urgency, needs, follow-up, notes), legal
//! counselling given, protective measures explored and applied for, accompaniment to the
//! police. Hub officers of a reporting hub only, on their own hub's reports; writes only
//! while the report is open (closing is `hub::close`). Every read and change is audited.

use super::work_model::{ActionInput, ActionKind, Casework, MeasureUpdate, TriageInput};
use super::work_store::{self as ws, seal, ActionRow, OnReport, TriageData, ACTION_COLS};
use crate::audit::AuditTx;
use crate::ids::{HubActionId, ReportId};
use crate::{Actor, Ctx, Error, Result};

/// Everything the hub did on one of its reports; audited.
pub async fn casework(ctx: &Ctx, actor: &Actor, id: ReportId) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let r = OnReport::open(ctx, &mut tx, actor, id, false).await?;
    r.answer(ctx, tx, actor, "hub.casework.read", "report", &[id])
        .await
}

/// Records or changes the triage at `version` (0 for the first).
pub async fn triage(
    ctx: &Ctx,
    actor: &Actor,
    id: ReportId,
    input: &TriageInput,
) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let r = OnReport::open(ctx, &mut tx, actor, id, true).await?;
    let t = input.parse()?;
    let now = ctx.clock.now_ts();
    let sealed = seal(&r.dek, &TriageData { notes: t.notes }, &ws::triage_aad(id))?;
    let needs: Vec<&str> = t.needs.iter().map(|n| n.as_str()).collect();
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM hub_triage WHERE report_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    match current {
        None if t.version == 0 => {
            sqlx::query(
                "INSERT INTO hub_triage (report_id, hub_org, urgency, needs, follow_up, sealed, \
                 updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(r.hub)
            .bind(t.urgency.as_str())
            .bind(needs.join(","))
            .bind(t.follow_up)
            .bind(sealed)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut *tx.tx)
            .await?;
        }
        Some(v) if v == t.version => {
            sqlx::query(
                "UPDATE hub_triage SET urgency = $1, needs = $2, follow_up = $3, sealed = $4, \
                 updated_by = $5, updated_at = $6, version = version + 1 \
                 WHERE report_id = $7 AND version = $8",
            )
            .bind(t.urgency.as_str())
            .bind(needs.join(","))
            .bind(t.follow_up)
            .bind(sealed)
            .bind(actor.user_id)
            .bind(now)
            .bind(id)
            .bind(v)
            .execute(&mut *tx.tx)
            .await?;
        }
        _ => return Err(Error::Conflict("err-stale")),
    }
    r.answer(ctx, tx, actor, "hub.casework.triage", "report", &[id])
        .await
}

/// Records counselling given, a protective measure or an accompaniment to the police.
pub async fn add_action(
    ctx: &Ctx,
    actor: &Actor,
    id: ReportId,
    kind: ActionKind,
    input: &ActionInput,
) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let r = OnReport::open(ctx, &mut tx, actor, id, true).await?;
    let now = ctx.clock.now_ts();
    let a = input.parse(kind, now)?;
    let action = HubActionId::new();
    let sealed = seal(&r.dek, &a.data, &ws::action_aad(id, action))?;
    let applied = matches!(
        a.state,
        Some(super::MeasureState::Applied | super::MeasureState::Granted)
    );
    sqlx::query(
        "INSERT INTO hub_actions (id, report_id, hub_org, kind, measure, state, day, month, \
         applied, sealed, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(action)
    .bind(id)
    .bind(r.hub)
    .bind(kind.as_str())
    .bind(a.measure.map(|m| m.as_str()))
    .bind(a.state.map(|s| s.as_str()))
    .bind(a.day)
    .bind(super::work_model::month_of(a.day))
    .bind(crate::db::Flag(applied))
    .bind(sealed)
    .bind(actor.user_id)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    let event = format!("hub.casework.{}", kind.as_str());
    r.answer(ctx, tx, actor, &event, "hub_action", &[action])
        .await
}

/// Moves a protective measure to a new state at `version` (granted, refused, …).
pub async fn update_measure(
    ctx: &Ctx,
    actor: &Actor,
    action: HubActionId,
    input: &MeasureUpdate,
) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let found: Option<ActionRow> = sqlx::query_as(&format!("SELECT {ACTION_COLS} WHERE id = $1"))
        .bind(action)
        .fetch_optional(&mut *tx.tx)
        .await?;
    // The report's hub is checked by `OnReport::open`: another hub's measure is not found.
    let report = found.as_ref().map(|r| r.report_id);
    let r = match report {
        Some(report) => OnReport::open(ctx, &mut tx, actor, report, true).await?,
        None => {
            super::access::hub_of(&mut tx.tx, actor, crate::Permission::HubReportWrite).await?;
            return Err(Error::NotFound);
        }
    };
    let Some(found) = found.filter(|r| r.kind == ActionKind::Measure) else {
        return Err(Error::NotFound);
    };
    let (state, day, version) = input.parse(ctx.clock.now_ts())?;
    if version != found.version {
        return Err(Error::Conflict("err-stale"));
    }
    let applied = matches!(
        state,
        super::MeasureState::Applied | super::MeasureState::Granted
    );
    sqlx::query(
        "UPDATE hub_actions SET state = $1, day = $2, month = $3, \
         applied = CASE WHEN $4 = 1 THEN 1 ELSE applied END, updated_at = $5, \
         version = version + 1 WHERE id = $6 AND version = $7",
    )
    .bind(state.as_str())
    .bind(day)
    .bind(super::work_model::month_of(day))
    .bind(i64::from(applied))
    .bind(ctx.clock.now_ts())
    .bind(action)
    .bind(version)
    .execute(&mut *tx.tx)
    .await?;
    r.answer(
        ctx,
        tx,
        actor,
        "hub.casework.measure_state",
        "hub_action",
        &[action],
    )
    .await
}
