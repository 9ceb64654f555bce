//! Opening a case, and giving it a case manager under the programme's caseload cap.

use std::fmt::Display;

use super::input::{AssignInput, OpenInput};
use super::model::{CaseSummary, StaffRef};
use super::notes;
use super::store::{
    case_org, finish_head, load, load_open, managers_of, programme_facts, today, CaseRow,
};
use crate::audit::AuditTx;
use crate::ids::{CaseId, OrgId, UserId};
use crate::{dates, people, Actor, Ctx, Error, Permission, Result};

/// Staff of the actor's organisation who can hold cases, for choosing a case manager or a
/// goal's owner.
pub async fn case_managers(ctx: &Ctx, actor: &Actor) -> Result<Vec<StaffRef>> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    managers_of(&mut conn, org).await
}

/// Makes `manager` the case manager of an open case, refusing one who is not a case
/// holder of the organisation or who is at the programme's caseload cap.
async fn set_manager(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    org: OrgId,
    c: &CaseRow,
    manager: UserId,
) -> Result<()> {
    let managers = managers_of(&mut tx.tx, org).await?;
    if !managers.iter().any(|m| m.id == manager) {
        return Err(Error::invalid("case_manager_id", "err-not-case-manager"));
    }
    if c.case_manager_id == Some(manager) {
        return Ok(());
    }
    let p = programme_facts(&mut tx.tx, c.programme_id).await?;
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases WHERE case_manager_id = $1 AND programme_id = $2 \
         AND status = 'open' AND id <> $3",
    )
    .bind(manager)
    .bind(c.programme_id)
    .bind(c.id)
    .fetch_one(&mut *tx.tx)
    .await?;
    if held >= p.caseload_cap {
        return Err(Error::Conflict("err-caseload-cap"));
    }
    let now = ctx.clock.now_ts();
    sqlx::query(
        "UPDATE cases SET case_manager_id = $1, manager_assigned_at = COALESCE(manager_assigned_at, $2), \
         version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(manager)
    .bind(now)
    .bind(c.id)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

/// Opens a case in a programme for a person the actor's organisation may see.
pub async fn open_case(ctx: &Ctx, actor: &Actor, input: &OpenInput) -> Result<CaseSummary> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    let v = input.parse(today(ctx))?;
    if let Some(m) = v.manager {
        if Some(m) != actor.user_id {
            actor.require(Permission::CaseAssign)?;
        }
    }
    let now = ctx.clock.now_ts();
    let id = CaseId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    if !people::visible_to(ctx, &mut tx.tx, org, v.person).await? {
        return Err(Error::invalid("person_id", "err-choice"));
    }
    match programme_facts(&mut tx.tx, v.programme).await {
        Ok(f) if f.active.0 => {}
        Ok(_) | Err(Error::NotFound) => return Err(Error::invalid("programme_id", "err-choice")),
        Err(e) => return Err(e),
    }
    sqlx::query(
        "INSERT INTO cases (id, person_id, programme_id, org_id, case_manager_id, status, \
         intake_at, manager_assigned_at, start_date, perspective, last_contact_at, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, NULL, 'open', $5, NULL, $6, $7, $5, 1, $5, $5)",
    )
    .bind(id)
    .bind(v.person)
    .bind(v.programme)
    .bind(org)
    .bind(now)
    .bind(dates::format(v.start))
    .bind(v.perspective.as_str())
    .execute(&mut *tx.tx)
    .await?;
    if let Some(text) = v.screening_note {
        let key = people::data_key(ctx, &mut tx.tx, v.person).await?;
        notes::insert(&mut tx, ctx, actor, &key, id, &text).await?;
    }
    if let Some(m) = v.manager {
        let c = load(&mut tx, ctx, org, id).await?;
        set_manager(&mut tx, ctx, org, &c, m).await?;
    }
    let ids: [&(dyn Display + Sync); 2] = [&id, &v.person];
    finish_head(tx, ctx, actor, org, id, "case.open", &ids).await
}

/// (Re)assigns the case manager: the team lead's work. Refused at the programme's cap.
pub async fn assign(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &AssignInput,
) -> Result<CaseSummary> {
    actor.require(Permission::CaseAssign)?;
    let org = case_org(ctx, actor, id).await?;
    let manager = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    set_manager(&mut tx, ctx, org, &c, manager).await?;
    let ids: [&(dyn Display + Sync); 2] = [&id, &manager];
    finish_head(tx, ctx, actor, org, id, "case.assign", &ids).await
}
