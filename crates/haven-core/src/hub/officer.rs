//! A hub officer's work on reports: the list, one report with its conversation, an
//! answer to the reporter, closing. Every use case checks the permission and that the
//! officer's organisation is a reporting hub, and finds only that hub's reports.

use super::access::hub_of;
use super::model::{MessageInput, Report, ReportStatus, ReportSummary};
use super::store::{self, SummaryRow, SUMMARY_SQL};
use crate::audit::AuditTx;
use crate::ids::ReportId;
use crate::{dates, Actor, Ctx, Error, Permission, Result};

/// The hub's reports, newest first: open ones, or closed ones (`closed`). Plain codes
/// only; the ids shown are audited before anything is returned.
pub async fn list(ctx: &Ctx, actor: &Actor, closed: bool) -> Result<Vec<ReportSummary>> {
    let rows: Vec<SummaryRow> = {
        let mut conn = ctx.db.pool.acquire().await?;
        let hub = hub_of(&mut conn, actor, Permission::HubReportRead).await?;
        sqlx::query_as(&format!(
            "{SUMMARY_SQL} AND r.status = $2 ORDER BY r.created_at DESC, r.id DESC LIMIT 500"
        ))
        .bind(hub)
        .bind(if closed { "closed" } else { "open" })
        .fetch_all(&mut *conn)
        .await?
    };
    let ids: Vec<ReportId> = rows.iter().map(|r| r.id).collect();
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "hub.report.list", "report", &ids)
        .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
}

/// One report of the hub with its conversation; audited. A purged report is
/// [`Error::Erased`]; another hub's is not found.
pub async fn get(ctx: &Ctx, actor: &Actor, id: ReportId) -> Result<Report> {
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = hub_of(&mut tx.tx, actor, Permission::HubReportRead).await?;
    let report = load(ctx, &mut tx, hub, id).await?;
    tx.log(ctx, actor, "hub.report.read", "report", &[id])
        .await?;
    tx.commit().await?;
    Ok(report)
}

async fn load(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    hub: crate::ids::OrgId,
    id: ReportId,
) -> Result<Report> {
    let row = store::report_of_hub(&mut tx.tx, hub, id)
        .await?
        .ok_or(Error::NotFound)?;
    let dek = store::key_of(ctx, &row)?;
    let data = store::open_report(&dek, &row)?;
    let messages = store::messages(&mut tx.tx, &dek, id).await?;
    let summary: SummaryRow = sqlx::query_as(&format!("{SUMMARY_SQL} AND r.id = $2"))
        .bind(hub)
        .bind(id)
        .fetch_one(&mut *tx.tx)
        .await?;
    Ok(Report {
        summary: summary.into_summary(),
        data,
        recorded_by: row.recorded_by,
        version: row.version,
        messages,
    })
}

/// The hub answers the reporter (who reads it with their code). Only while open.
pub async fn answer(
    ctx: &Ctx,
    actor: &Actor,
    id: ReportId,
    input: &MessageInput,
) -> Result<Report> {
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = hub_of(&mut tx.tx, actor, Permission::HubReportWrite).await?;
    let row = store::report_of_hub(&mut tx.tx, hub, id)
        .await?
        .ok_or(Error::NotFound)?;
    let text = input.parse()?;
    if row.status != ReportStatus::Open {
        return Err(Error::Conflict("err-report-closed"));
    }
    let dek = store::key_of(ctx, &row)?;
    let now = ctx.clock.now_ts();
    store::insert_message(&mut tx.tx, &dek, id, actor.user_id, text, now).await?;
    let report = load(ctx, &mut tx, hub, id).await?;
    tx.log(ctx, actor, "hub.report.answer", "report", &[id])
        .await?;
    tx.commit().await?;
    Ok(report)
}

/// Closes an open report at `version` (the one the officer saw; required). Its purge is
/// set to the closing plus the hub's retention period; until then the reporter can still
/// read the conversation.
pub async fn close(ctx: &Ctx, actor: &Actor, id: ReportId, version: Option<i64>) -> Result<()> {
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = hub_of(&mut tx.tx, actor, Permission::HubReportWrite).await?;
    let version = version.ok_or_else(|| Error::invalid("version", "err-required"))?;
    let row = store::report_of_hub(&mut tx.tx, hub, id)
        .await?
        .ok_or(Error::NotFound)?;
    if row.status != ReportStatus::Open {
        return Err(Error::Conflict("err-report-closed"));
    }
    if row.version != version {
        return Err(Error::Conflict("err-stale"));
    }
    let months: i64 =
        sqlx::query_scalar("SELECT retention_months FROM organisations WHERE id = $1")
            .bind(hub)
            .fetch_one(&mut *tx.tx)
            .await?;
    let now = ctx.clock.now_ts();
    let purge_after = purge_moment(now, months);
    sqlx::query(
        "UPDATE hub_reports SET status = 'closed', closed_at = $1, purge_after = $2, \
         updated_at = $1, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(now)
    .bind(purge_after)
    .bind(id)
    .bind(version)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "hub.report.close", "report", &[id])
        .await?;
    tx.commit().await
}

/// `now` plus `months` calendar months (held to the retention range).
fn purge_moment(now: i64, months: i64) -> i64 {
    let months = months.clamp(
        *crate::retention::MONTHS.start(),
        *crate::retention::MONTHS.end(),
    );
    match time::OffsetDateTime::from_unix_timestamp(now) {
        Ok(t) => t
            .replace_date(dates::add_months(t.date(), months))
            .unix_timestamp(),
        Err(_) => i64::MAX,
    }
}
