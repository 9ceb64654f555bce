//! Legal procedures followed in a case: application, decision, appeal and deadline. The
//! kinds are the country's configured `procedure_type` list; notes are sealed.

use super::input::ProcedureInput;
use super::model::Procedure;
use super::programmes;
use super::store::{case_org, finish_change, load_open, seal, FileReader, ProcedureRow};
use crate::audit::AuditTx;
use crate::ids::{CaseId, ProcedureId};
use crate::{people, Actor, Ctx, Error, Permission, Result};

/// Records a legal procedure (application, decision, appeal, deadline).
pub async fn add_procedure(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &ProcedureInput,
) -> Result<ProcedureId> {
    actor.require(Permission::CaseWrite)?;
    let pid = ProcedureId::new();
    save(ctx, actor, id, pid, input, Save::Add).await?;
    Ok(pid)
}

/// Changes a procedure: its decision, appeal and deadline as they happen.
pub async fn update_procedure(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    pid: ProcedureId,
    input: &ProcedureInput,
) -> Result<()> {
    actor.require(Permission::CaseWrite)?;
    save(ctx, actor, id, pid, input, Save::Update).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Save {
    Add,
    Update,
}

/// Adding and changing a procedure check and write the same fields; both statements take
/// the same parameters, in the same order.
async fn save(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    pid: ProcedureId,
    input: &ProcedureInput,
    how: Save,
) -> Result<()> {
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    if !programmes::in_list(&mut tx.tx, "procedure_type", &v.kind).await? {
        return Err(Error::invalid("kind", "err-choice"));
    }
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    let sealed = match &v.notes {
        Some(n) => Some(seal(&key, &Some(n.clone()), &format!("procedure:{pid}"))?),
        None => None,
    };
    let sql = match how {
        Save::Add => {
            "INSERT INTO legal_procedures (kind, filed_on, decision, decision_on, \
             appeal_filed_on, deadline, sealed, created_at, updated_at, id, case_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)"
        }
        Save::Update => {
            "UPDATE legal_procedures SET kind = $1, filed_on = $2, decision = $3, \
             decision_on = $4, appeal_filed_on = $5, deadline = $6, sealed = $7, \
             updated_at = $8 WHERE id = $9 AND case_id = $10"
        }
    };
    let done = sqlx::query(sql)
        .bind(&v.kind)
        .bind(&v.filed_on)
        .bind(v.decision.as_str())
        .bind(&v.decision_on)
        .bind(&v.appeal_filed_on)
        .bind(&v.deadline)
        .bind(sealed)
        .bind(ctx.clock.now_ts())
        .bind(pid)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    let action = match how {
        Save::Add => "case.procedure.add",
        Save::Update => "case.procedure.update",
    };
    finish_change(tx, ctx, actor, id, action, &pid, false).await
}

const PROCEDURES: &str = "SELECT lp.id, lp.kind, k.label AS kind_label, lp.filed_on, lp.decision, \
     lp.decision_on, lp.appeal_filed_on, lp.deadline, lp.sealed, lp.updated_at \
     FROM legal_procedures lp LEFT JOIN config_lists k \
     ON k.list = 'procedure_type' AND k.code = lp.kind AND k.active = 1 \
     WHERE lp.case_id = $1 ORDER BY lp.created_at, lp.id";

/// The procedures of a case in the order they were recorded, each also a line of the
/// case's history (at its last change).
pub(super) async fn read(f: &mut FileReader<'_>) -> Result<Vec<Procedure>> {
    let rows: Vec<ProcedureRow> = f.rows(PROCEDURES).await?;
    let mut procedures = Vec::with_capacity(rows.len());
    for r in rows {
        let notes: Option<String> = match &r.sealed {
            Some(s) => f.open(s, &format!("procedure:{}", r.id))?,
            None => None,
        };
        f.record(r.updated_at, "procedure", None);
        procedures.push(Procedure {
            id: r.id,
            kind_label: r.kind_label.unwrap_or_else(|| r.kind.clone()),
            kind: r.kind,
            filed_on: r.filed_on,
            decision: r.decision,
            decision_on: r.decision_on,
            appeal_filed_on: r.appeal_filed_on,
            deadline: r.deadline,
            notes,
            updated_at: r.updated_at,
        });
    }
    Ok(procedures)
}
