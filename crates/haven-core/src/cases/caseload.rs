//! Lists of cases: a case manager's caseload ordered by what needs attention, the team
//! lead's overview of every caseload against the programmes' caps, and a person's cases.
//!
//! The caseload and the overview read their rows before the audit transaction, so a long
//! list does not hold the head of the audit chain; nothing is returned unless the event
//! naming every case shown has committed.

use std::collections::HashMap;

use super::attention::{attention, first_alert, urgency, Signals};
use super::model::{
    CaseLine, CaseSummary, Load, ManagerLoad, PersonCase, ProgrammeRef, StaffRef, TeamOverview,
};
use super::store::{
    end_date, managers_of, staff_ref, today, LineRow, LoadCountRow, OverdueRow, WaitRow,
    PERSON_VISIBLE,
};
use crate::audit::AuditTx;
use crate::ids::{CaseId, OrgId, PersonId, UserId};
use crate::{dates, Actor, Ctx, Error, Permission, Result};

/// The open cases of the organisation held by `manager`, or without a case manager when
/// `manager` is `None`, as lines with what needs attention, most urgent first.
async fn lines(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx,
    org: OrgId,
    manager: Option<UserId>,
) -> Result<Vec<CaseLine>> {
    let filter = match manager {
        Some(_) => "c.case_manager_id = $3",
        None => "c.case_manager_id IS NULL",
    };
    let sql = format!(
        "SELECT c.id, c.person_id, p.data_key, p.sealed, c.programme_id, \
         g.name AS programme_name, g.max_months, c.start_date, c.intake_at, \
         c.manager_assigned_at, c.last_contact_at, c.perspective, c.case_manager_id, \
         u.display_name AS manager_name, g.alert_days, \
         (SELECT MIN(lp.deadline) FROM legal_procedures lp WHERE lp.case_id = c.id \
            AND lp.deadline IS NOT NULL AND lp.decision IN ('pending', 'refused')) AS next_deadline, \
         (SELECT MIN(pl.stay_until) FROM placements pl WHERE pl.case_id = c.id \
            AND pl.discharged_on IS NULL AND pl.stay_until IS NOT NULL) AS stay_until \
         FROM cases c JOIN persons p ON p.id = c.person_id JOIN programmes g ON g.id = c.programme_id \
         LEFT JOIN users u ON u.id = c.case_manager_id \
         WHERE c.org_id = $1 AND {PERSON_VISIBLE} AND c.status = 'open' AND {filter} \
         ORDER BY c.intake_at"
    );
    let mut q = sqlx::query_as::<_, LineRow>(&sql)
        .bind(org)
        .bind(ctx.clock.now_ts());
    if let Some(m) = manager {
        q = q.bind(m);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let today = today(ctx);
    let ids: Vec<CaseId> = rows.iter().map(|r| r.id).collect();
    let mut overdue = overdue_goals(conn, &ids, today).await?;
    let now = ctx.clock.now_ts();
    let mut out: Vec<CaseLine> = rows
        .into_iter()
        .map(|r| {
            let goal = overdue.remove(&r.id);
            line(ctx, r, goal, today, now)
        })
        .collect();
    out.sort_by_key(|l| urgency(&l.attention));
    Ok(out)
}

/// The earliest due date of an overdue goal of each of these cases, in one query.
async fn overdue_goals(
    conn: &mut sqlx::AnyConnection,
    ids: &[CaseId],
    today: time::Date,
) -> Result<HashMap<CaseId, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT case_id, MIN(due_on) AS due_on FROM goals WHERE status IN ('open', 'in_progress') \
         AND due_on < $1 AND case_id IN ({}) GROUP BY case_id",
        crate::db::placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as::<_, OverdueRow>(&sql).bind(dates::format(today));
    for id in ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.case_id, r.due_on?)))
        .collect())
}

/// A line of a list: an open case's head (without its version, which lists do not need)
/// and what needs attention.
fn line(
    ctx: &Ctx,
    r: LineRow,
    overdue_goal: Option<String>,
    today: time::Date,
    now: i64,
) -> CaseLine {
    let attention = attention(
        Signals {
            next_deadline: r.next_deadline,
            stay_until: r.stay_until,
            alert_days: first_alert(&r.alert_days),
            overdue_goal,
            last_contact_at: r.last_contact_at.unwrap_or(r.intake_at),
        },
        today,
        now,
    );
    CaseLine {
        case: CaseSummary {
            id: r.id,
            person_id: r.person.id,
            // A list shows the line even when the label cannot be read.
            person_label: r.person.label(ctx).ok().flatten(),
            programme_id: r.programme_id,
            programme_name: r.programme_name,
            case_manager: r.case_manager_id.map(|id| staff_ref(id, r.manager_name)),
            status: "open".into(),
            intake_at: r.intake_at,
            manager_assigned_at: r.manager_assigned_at,
            wait_seconds: r.manager_assigned_at.map(|a| a - r.intake_at),
            end_date: end_date(&r.start_date, r.max_months),
            start_date: r.start_date,
            perspective: r.perspective,
            last_contact_at: r.last_contact_at,
            closed_on: None,
            outcome: None,
            version: 0,
        },
        attention,
    }
}

/// The signed-in case manager's open cases, ordered by what needs attention. Audited.
pub async fn caseload(ctx: &Ctx, actor: &Actor) -> Result<Vec<CaseLine>> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let me = actor.user_id.ok_or(Error::Forbidden)?;
    // The list is read before the audit transaction, so a long caseload does not hold the
    // chain head; nothing is returned unless the event naming every case shown committed.
    let mut conn = ctx.db.pool.acquire().await?;
    let out = lines(&mut conn, ctx, org, Some(me)).await?;
    drop(conn);
    let mut tx = AuditTx::begin(ctx).await?;
    let ids: Vec<CaseId> = out.iter().map(|l| l.case.id).collect();
    tx.log(ctx, actor, "case.list", "case", &ids).await?;
    tx.commit().await?;
    Ok(out)
}

/// Every case manager's caseload per programme, the cases waiting for one, and how long
/// appointing one took. Audited (the lists show persons).
pub async fn team(ctx: &Ctx, actor: &Actor, manager: Option<UserId>) -> Result<TeamOverview> {
    actor.require(Permission::CaseAssign)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    let programmes: Vec<ProgrammeRef> = sqlx::query_as(
        "SELECT id, name, caseload_cap AS cap FROM programmes WHERE active = 1 OR id IN \
         (SELECT programme_id FROM cases WHERE org_id = $1 AND status = 'open') ORDER BY name",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let counts: Vec<LoadCountRow> = sqlx::query_as(
        "SELECT case_manager_id, programme_id, COUNT(*) AS open_cases FROM cases WHERE org_id = $1 \
         AND status = 'open' AND case_manager_id IS NOT NULL GROUP BY case_manager_id, programme_id",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let staff = managers_of(&mut conn, org).await?;
    let managers = staff
        .into_iter()
        .map(|m| manager_load(m, &programmes, &counts))
        .collect();
    let mut unassigned = lines(&mut conn, ctx, org, None).await?;
    unassigned.sort_by_key(|l| l.case.intake_at);
    let manager_cases = match manager {
        Some(m) => lines(&mut conn, ctx, org, Some(m)).await?,
        None => Vec::new(),
    };
    let waits: Vec<WaitRow> = sqlx::query_as(
        "SELECT intake_at, manager_assigned_at FROM cases WHERE org_id = $1 \
         AND manager_assigned_at IS NOT NULL",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let mut ids: Vec<CaseId> = unassigned.iter().map(|l| l.case.id).collect();
    ids.extend(manager_cases.iter().map(|l| l.case.id));
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "case.team", "case", &ids).await?;
    tx.commit().await?;
    let n = waits.len() as i64;
    let wait = |w: &WaitRow| (w.manager_assigned_at - w.intake_at).max(0);
    let sum: i64 = waits.iter().map(wait).sum();
    Ok(TeamOverview {
        programmes,
        managers,
        unassigned,
        manager_cases,
        assigned_cases: n,
        average_wait_seconds: (n > 0).then(|| sum / n),
        longest_wait_seconds: waits.iter().map(wait).max(),
    })
}

/// One manager's open cases in each programme of the overview, in the same order.
fn manager_load(
    manager: StaffRef,
    programmes: &[ProgrammeRef],
    counts: &[LoadCountRow],
) -> ManagerLoad {
    let loads: Vec<Load> = programmes
        .iter()
        .map(|p| Load {
            programme_id: p.id,
            open_cases: counts
                .iter()
                .find(|c| c.case_manager_id == manager.id && c.programme_id == p.id)
                .map(|c| c.open_cases)
                .unwrap_or(0),
            cap: p.cap,
        })
        .collect();
    ManagerLoad {
        total: loads.iter().map(|l| l.open_cases).sum(),
        manager,
        loads,
    }
}

/// The actor's organisation's cases of a person. Audited.
pub async fn of_person(ctx: &Ctx, actor: &Actor, person: PersonId) -> Result<Vec<PersonCase>> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let cases: Vec<PersonCase> = sqlx::query_as(&format!(
        "SELECT c.id, g.name AS programme_name, c.status, c.start_date FROM cases c \
         JOIN programmes g ON g.id = c.programme_id \
         WHERE c.org_id = $1 AND {PERSON_VISIBLE} AND c.person_id = $3 \
         ORDER BY c.status DESC, c.intake_at DESC"
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(person)
    .fetch_all(&mut *tx.tx)
    .await?;
    let ids: Vec<CaseId> = cases.iter().map(|c| c.id).collect();
    if !ids.is_empty() {
        tx.log(ctx, actor, "case.list", "case", &ids).await?;
    }
    tx.commit().await?;
    Ok(cases)
}
