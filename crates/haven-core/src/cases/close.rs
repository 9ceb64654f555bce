//! Closing a case, always with an outcome. The outcome's details are sealed.

use super::input::CloseInput;
use super::model::CaseSummary;
use super::programmes;
use super::store::{case_org, finish_head, load_open, seal, today};
use crate::audit::AuditTx;
use crate::ids::CaseId;
use crate::{dates, people, Actor, Ctx, Error, Permission, Result};

/// Closes a case with its outcome. Closing without an outcome is refused.
pub async fn close(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &CloseInput,
) -> Result<CaseSummary> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse(today(ctx))?;
    let mut tx = AuditTx::begin(ctx).await?;
    if let Some(p) = &v.details.permit_type {
        if !programmes::in_list(&mut tx.tx, "permit_type", p).await? {
            return Err(Error::invalid("permit_type", "err-choice"));
        }
    }
    let c = load_open(&mut tx, ctx, org, id).await?;
    if let Some(start) = dates::parse_stored(&c.start_date) {
        if v.closed_on < start {
            return Err(Error::invalid("closed_on", "err-date-before-start"));
        }
    }
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    sqlx::query(
        "UPDATE cases SET status = 'closed', outcome = $1, closed_on = $2, outcome_sealed = $3, \
         version = version + 1, updated_at = $4 WHERE id = $5",
    )
    .bind(v.outcome.as_str())
    .bind(dates::format(v.closed_on))
    .bind(seal(&key, &v.details, &format!("outcome:{id}"))?)
    .bind(ctx.clock.now_ts())
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    finish_head(tx, ctx, actor, org, id, "case.close", &[&id]).await
}
