//! The perspective: the direction being worked on and where the person stands with their
//! own decision. Each change is a new entry; earlier entries stay as history.

use super::input::PerspectiveInput;
use super::model::{PerspectiveEntry, PerspectiveText};
use super::store::{case_org, finish_change, load_open, seal, FileReader, PerspectiveRow};
use crate::audit::AuditTx;
use crate::ids::{CaseId, PerspectiveId};
use crate::{people, Actor, Ctx, Permission, Result};

/// Records the perspective as it stands now; earlier entries stay as history.
pub async fn record_perspective(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &PerspectiveInput,
) -> Result<PerspectiveEntry> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse()?;
    let pid = PerspectiveId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    sqlx::query(
        "INSERT INTO case_perspectives (id, case_id, at, recorded_by, perspective, decision_stage, \
         sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(pid)
    .bind(id)
    .bind(now)
    .bind(actor.audit_id())
    .bind(v.perspective.as_str())
    .bind(v.stage.as_str())
    .bind(seal(&key, &v.text, &format!("perspective:{pid}"))?)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query("UPDATE cases SET perspective = $1 WHERE id = $2")
        .bind(v.perspective.as_str())
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    finish_change(tx, ctx, actor, id, "case.perspective", &pid, true).await?;
    Ok(PerspectiveEntry {
        id: pid,
        at: now,
        recorded_by: actor.audit_id(),
        perspective: v.perspective,
        decision_stage: v.stage,
        text: v.text,
    })
}

const ENTRIES: &str =
    "SELECT p.id, p.at, COALESCE(u.display_name, p.recorded_by) AS recorded_by, p.perspective, \
     p.decision_stage, p.sealed FROM case_perspectives p \
     LEFT JOIN users u ON u.id = p.recorded_by \
     WHERE p.case_id = $1 ORDER BY p.at DESC, p.id DESC";

/// The perspective history of a case, newest first, each entry also a line of the case's
/// history.
pub(super) async fn read(f: &mut FileReader<'_>) -> Result<Vec<PerspectiveEntry>> {
    let rows: Vec<PerspectiveRow> = f.rows(ENTRIES).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        let text: PerspectiveText = f.open(&r.sealed, &format!("perspective:{}", r.id))?;
        f.record(r.at, "perspective", Some(r.recorded_by.clone()));
        entries.push(PerspectiveEntry {
            id: r.id,
            at: r.at,
            recorded_by: r.recorded_by,
            perspective: r.perspective,
            decision_stage: r.decision_stage,
            text,
        });
    }
    Ok(entries)
}
