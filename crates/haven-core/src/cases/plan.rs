//! The action plan: goals in several domains at once, each with an owner, a due date and
//! progress notes, and the appointments and tasks of a case. Titles and progress notes are
//! sealed. An appointment, planned or done, counts as contact with the person.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::input::{AppointmentInput, GoalInput};
use super::model::{Appointment, Goal, GoalStatus, ItemKind, ProgressNote};
use super::store::{
    case_org, finish_change, load_open, managers_of, name_or_id, names_of, open, seal, staff_ref,
    DoneRow, FileReader, GoalEditRow, GoalRow, ItemRow,
};
use crate::audit::AuditTx;
use crate::ids::{AppointmentId, CaseId, GoalId, OrgId, UserId};
use crate::{dates, people, Actor, Ctx, Error, Permission, Result};

/// The sealed part of a goal.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct GoalText {
    title: String,
    progress: Vec<ProgressNote>,
}

/// The owner a goal form chose: empty for none, otherwise one of the organisation's staff
/// who can hold cases, by the id as the staff list shows it.
async fn check_owner(
    tx: &mut AuditTx<'_>,
    org: OrgId,
    owner: &Option<String>,
) -> Result<Option<UserId>> {
    let Some(o) = owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) else {
        return Ok(None);
    };
    let staff = managers_of(&mut tx.tx, org).await?;
    match staff.iter().find(|s| s.id.to_string() == o) {
        Some(s) => Ok(Some(s.id)),
        None => Err(Error::invalid("owner_id", "err-choice")),
    }
}

fn progress_note(actor: &Actor, at: i64, text: String) -> ProgressNote {
    ProgressNote {
        at,
        by: actor.audit_id(),
        text,
    }
}

/// Adds a goal to the action plan; goals in several domains run in parallel.
pub async fn add_goal(ctx: &Ctx, actor: &Actor, id: CaseId, input: &GoalInput) -> Result<GoalId> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse_new()?;
    let gid = GoalId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let owner = check_owner(&mut tx, org, &input.owner_id).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    let text = GoalText {
        title: v.title,
        progress: v
            .progress
            .map(|t| progress_note(actor, now, t))
            .into_iter()
            .collect(),
    };
    sqlx::query(
        "INSERT INTO goals (id, case_id, domain, term, owner_id, due_on, status, sealed, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(gid)
    .bind(id)
    .bind(v.domain.as_str())
    .bind(v.term.as_str())
    .bind(owner)
    .bind(v.due.map(dates::format))
    .bind(v.status.as_str())
    .bind(seal(&key, &text, &format!("goal:{gid}"))?)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    finish_change(tx, ctx, actor, id, "case.goal.add", &gid, false).await?;
    Ok(gid)
}

/// Changes a goal (status, due date, owner, title) and adds a progress note if given.
/// Empty fields keep their current value.
pub async fn update_goal(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    gid: GoalId,
    input: &GoalInput,
) -> Result<()> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse_change()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let row: Option<GoalEditRow> = sqlx::query_as(
        "SELECT domain, term, owner_id, due_on, status, sealed FROM goals \
         WHERE id = $1 AND case_id = $2",
    )
    .bind(gid)
    .bind(id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    // An absent owner keeps the current one; an empty one removes it.
    let owner = match input.owner_id {
        None => row.owner_id,
        Some(_) => check_owner(&mut tx, org, &input.owner_id).await?,
    };
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    let aad = format!("goal:{gid}");
    let mut text: GoalText = open(&key, &row.sealed, &aad)?;
    if let Some(t) = v.title {
        text.title = t;
    }
    if let Some(p) = v.progress {
        text.progress.push(progress_note(actor, now, p));
    }
    sqlx::query(
        "UPDATE goals SET domain = $1, term = $2, owner_id = $3, due_on = $4, status = $5, \
         sealed = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(v.domain.unwrap_or(row.domain).as_str())
    .bind(v.term.unwrap_or(row.term).as_str())
    .bind(owner)
    .bind(v.due.map(dates::format).or(row.due_on))
    .bind(v.status.unwrap_or(row.status).as_str())
    .bind(seal(&key, &text, &aad)?)
    .bind(now)
    .bind(gid)
    .execute(&mut *tx.tx)
    .await?;
    finish_change(tx, ctx, actor, id, "case.goal.update", &gid, false).await
}

/// Plans an appointment with the person, or a task. An appointment counts as contact.
pub async fn add_appointment(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &AppointmentInput,
) -> Result<AppointmentId> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse()?;
    let aid = AppointmentId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    sqlx::query(
        "INSERT INTO appointments (id, case_id, kind, due_at, done_at, sealed, created_by, \
         created_at) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
    )
    .bind(aid)
    .bind(id)
    .bind(v.kind.as_str())
    .bind(v.due_at)
    .bind(seal(&key, &v.title, &format!("appointment:{aid}"))?)
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    let contact = v.kind == ItemKind::Appointment;
    finish_change(tx, ctx, actor, id, "case.appointment.add", &aid, contact).await?;
    Ok(aid)
}

/// Marks an appointment or task done. A done appointment counts as contact. Marking it
/// done again changes nothing.
pub async fn complete_appointment(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    aid: AppointmentId,
) -> Result<()> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let mut tx = AuditTx::begin(ctx).await?;
    load_open(&mut tx, ctx, org, id).await?;
    let row: Option<DoneRow> =
        sqlx::query_as("SELECT kind, done_at FROM appointments WHERE id = $1 AND case_id = $2")
            .bind(aid)
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let item = row.ok_or(Error::NotFound)?;
    if item.done_at.is_some() {
        return Ok(());
    }
    sqlx::query("UPDATE appointments SET done_at = $1 WHERE id = $2")
        .bind(ctx.clock.now_ts())
        .bind(aid)
        .execute(&mut *tx.tx)
        .await?;
    let contact = item.kind == ItemKind::Appointment;
    finish_change(tx, ctx, actor, id, "case.appointment.done", &aid, contact).await
}

// ---------------------------------------------------------------------------------------
// Reading the plan for the case file

const GOALS: &str =
    "SELECT g.id, g.domain, g.term, g.owner_id, u.display_name AS owner_name, g.due_on, \
     g.status, g.sealed, g.created_at, g.updated_at FROM goals g \
     LEFT JOIN users u ON u.id = g.owner_id \
     WHERE g.case_id = $1 ORDER BY g.created_at, g.id";

/// The goals of a case in the order they were set, each also a line of the case's
/// history (when it was set). A goal still open or in progress after its due date is
/// overdue.
pub(super) async fn read_goals(f: &mut FileReader<'_>, today: &str) -> Result<Vec<Goal>> {
    let rows: Vec<GoalRow> = f.rows(GOALS).await?;
    let texts: Vec<GoalText> = rows
        .iter()
        .map(|r| f.open(&r.sealed, &format!("goal:{}", r.id)))
        .collect::<Result<_>>()?;
    // Progress notes name their writer inside the sealed text.
    let writers: Vec<String> = texts
        .iter()
        .flat_map(|t| t.progress.iter().map(|p| p.by.clone()))
        .collect();
    let names = names_of(f.conn, &writers).await?;
    let mut goals = Vec::with_capacity(rows.len());
    for (r, t) in rows.into_iter().zip(texts) {
        f.record(r.created_at, "goal", None);
        goals.push(goal(r, t, &names, today));
    }
    Ok(goals)
}

fn goal(r: GoalRow, t: GoalText, names: &HashMap<String, String>, today: &str) -> Goal {
    Goal {
        id: r.id,
        domain: r.domain,
        term: r.term,
        owner: r.owner_id.map(|id| staff_ref(id, r.owner_name)),
        overdue: matches!(r.status, GoalStatus::Open | GoalStatus::InProgress)
            && r.due_on.as_deref().is_some_and(|d| d < today),
        due_on: r.due_on,
        status: r.status,
        title: t.title,
        progress: t
            .progress
            .into_iter()
            .map(|p| ProgressNote {
                by: name_or_id(names.get(&p.by).cloned(), &p.by),
                ..p
            })
            .collect(),
        updated_at: r.updated_at,
    }
}

const ITEMS: &str = "SELECT a.id, a.kind, a.due_at, a.done_at, a.sealed, \
     COALESCE(u.display_name, a.created_by) AS created_by, a.created_at FROM appointments a \
     LEFT JOIN users u ON u.id = a.created_by \
     WHERE a.case_id = $1 ORDER BY a.due_at, a.id";

/// The appointments and tasks of a case by due time, each also a line of the case's
/// history (when it was planned, and by whom). One not done by `now` is overdue.
pub(super) async fn read_appointments(
    f: &mut FileReader<'_>,
    now: i64,
) -> Result<Vec<Appointment>> {
    let rows: Vec<ItemRow> = f.rows(ITEMS).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let title: String = f.open(&r.sealed, &format!("appointment:{}", r.id))?;
        let by = Some(r.created_by.clone());
        f.record(r.created_at, "appointment", by);
        items.push(Appointment {
            id: r.id,
            kind: r.kind,
            due_at: r.due_at,
            done_at: r.done_at,
            title,
            created_by: r.created_by,
            overdue: r.done_at.is_none() && r.due_at < now,
        });
    }
    Ok(items)
}
