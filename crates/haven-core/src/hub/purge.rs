//! Purging closed reports whose time is up, called by the retention sweep.

use crate::audit::AuditTx;
use crate::db::placeholders;
use crate::ids::{OrgId, ReportId};
use crate::{Actor, Ctx, Result};

/// Reports purged per audited transaction.
const BATCH: i64 = 200;

#[derive(sqlx::FromRow)]
struct Due {
    id: ReportId,
    hub_org: OrgId,
}

/// The closed reports past their `purge_after`, not purged yet.
const DUE: &str = "FROM hub_reports WHERE status = 'closed' AND purge_after IS NOT NULL \
     AND purge_after <= $1 AND data_key IS NOT NULL";

#[derive(sqlx::FromRow)]
struct PerHub {
    hub_org: OrgId,
    n: i64,
}

/// How many reports a sweep would purge now, per hub.
pub async fn count_due(ctx: &Ctx) -> Result<Vec<(OrgId, i64)>> {
    let rows: Vec<PerHub> = sqlx::query_as(&format!(
        "SELECT hub_org, COUNT(*) AS n {DUE} GROUP BY hub_org ORDER BY hub_org"
    ))
    .bind(ctx.clock.now_ts())
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.hub_org, r.n)).collect())
}

/// Purges every due report: its wrapped key, sealed text, receipt index and messages go
/// (the code then finds nothing); category, month, language, role, channel and status
/// stay for the figures. Batches of [`BATCH`], each one audited transaction by `actor`
/// (the system). Returns the reports purged per hub. The caller purges old row versions
/// (`Db::purge_erased`) once afterwards.
pub async fn purge_due(ctx: &Ctx, actor: &Actor) -> Result<Vec<(OrgId, i64)>> {
    let mut per_hub: Vec<(OrgId, i64)> = Vec::new();
    loop {
        let mut tx = AuditTx::begin(ctx).await?;
        let now = ctx.clock.now_ts();
        let rows: Vec<Due> = sqlx::query_as(&format!(
            "SELECT id, hub_org {DUE} ORDER BY purge_after, id LIMIT $2"
        ))
        .bind(now)
        .bind(BATCH)
        .fetch_all(&mut *tx.tx)
        .await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(per_hub);
        }
        let ids: Vec<ReportId> = rows.iter().map(|r| r.id).collect();
        let sql = format!(
            "DELETE FROM hub_report_messages WHERE report_id IN ({})",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        q.execute(&mut *tx.tx).await?;
        let sql = format!(
            "UPDATE hub_reports SET data_key = NULL, sealed = NULL, receipt_bidx = NULL, \
             purged_at = $1, updated_at = $1 WHERE id IN ({})",
            placeholders(2, ids.len())
        );
        let mut q = sqlx::query(&sql).bind(now);
        for id in &ids {
            q = q.bind(*id);
        }
        q.execute(&mut *tx.tx).await?;
        super::work_store::purge_work(&mut tx.tx, &ids).await?;
        tx.log(ctx, actor, "hub.report.purge", "report", &ids)
            .await?;
        // On the erasure list before the commit, so a restore purges them again.
        ctx.db
            .note_erased(crate::backup::Kind::HubReport, &ids, now)?;
        tx.commit().await?;
        for r in &rows {
            ctx.keys.forget_data_key(&r.id.to_string());
            match per_hub.iter_mut().find(|(o, _)| *o == r.hub_org) {
                Some((_, n)) => *n += 1,
                None => per_hub.push((r.hub_org, 1)),
            }
        }
        if (rows.len() as i64) < BATCH {
            return Ok(per_hub);
        }
    }
}
