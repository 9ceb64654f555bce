//! Making a report: online without an account, or recorded by a hub officer from a visit
//! or a call. Either way the reporter gets a receipt code, shown once.

use super::access::hub_of;
use super::model::{Category, Channel, ReceiptCode, ReportInput, ReportStatus};
use super::store::{self, ReportRow};
use crate::audit::AuditTx;
use crate::content::LANGUAGES;
use crate::ids::{OrgId, ReportId};
use crate::{Actor, Ctx, Error, Permission, Result};

/// The categories a reporter chooses from. Public: the list holds no personal data.
pub async fn categories(ctx: &Ctx) -> Result<Vec<Category>> {
    let mut conn = ctx.db.pool.acquire().await?;
    store::categories(&mut conn).await
}

/// Whether a hub takes reports online now (an active organisation of kind
/// `reporting_hub` exists). Public.
pub async fn accepting(ctx: &Ctx) -> Result<bool> {
    let mut conn = ctx.db.pool.acquire().await?;
    Ok(store::public_hub(&mut conn).await?.is_some())
}

/// A report made on the public site. Nothing about the request is stored but what the
/// reporter wrote: the caller passes no address, no user agent, no time finer than the
/// clock's. Returns the report's id and its receipt code, which exists nowhere else.
pub async fn submit(ctx: &Ctx, input: &ReportInput) -> Result<(ReportId, ReceiptCode)> {
    let actor = Actor::public();
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = store::public_hub(&mut tx.tx)
        .await?
        .ok_or(Error::Conflict("err-report-no-hub"))?;
    let made = store_new(ctx, &mut tx, hub, input, Channel::Online, &actor).await?;
    tx.log(ctx, &actor, "hub.report.submit", "report", &[made.0])
        .await?;
    tx.commit().await?;
    Ok(made)
}

/// A report made in person or by phone, recorded by a hub officer of the hub.
pub async fn record(
    ctx: &Ctx,
    actor: &Actor,
    input: &ReportInput,
    channel: Channel,
) -> Result<(ReportId, ReceiptCode)> {
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = hub_of(&mut tx.tx, actor, Permission::HubReportWrite).await?;
    if channel == Channel::Online {
        return Err(Error::invalid("channel", "err-report-choice"));
    }
    let made = store_new(ctx, &mut tx, hub, input, channel, actor).await?;
    tx.log(ctx, actor, "hub.report.record", "report", &[made.0])
        .await?;
    tx.commit().await?;
    Ok(made)
}

/// Parses, seals and stores a report inside `tx`, with a fresh receipt code.
async fn store_new(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    hub: OrgId,
    input: &ReportInput,
    channel: Channel,
    actor: &Actor,
) -> Result<(ReportId, ReceiptCode)> {
    let now = ctx.clock.now_ts();
    let codes: Vec<String> = store::categories(&mut tx.tx)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let languages: Vec<&str> = LANGUAGES.iter().map(|(c, _)| *c).collect();
    let new = input.parse(now, &codes, &languages)?;
    let id = ReportId::new();
    let (dek, wrapped) = store::new_key(ctx, id);
    let code = ReceiptCode::generate();
    let row = ReportRow {
        id,
        hub_org: hub,
        category: new.category,
        occurred: new.occurred,
        language: new.language,
        reporter_role: new.reporter_role,
        channel,
        status: ReportStatus::Open,
        recorded_by: actor.user_id,
        data_key: Some(wrapped),
        sealed: Some(store::seal_report(&dek, id, &new.data)?),
        receipt_bidx: Some(code.index(&ctx.keys)),
        created_at: now,
        closed_at: None,
        version: 1,
    };
    store::insert_report(&mut tx.tx, &row, now).await?;
    Ok((id, code))
}
