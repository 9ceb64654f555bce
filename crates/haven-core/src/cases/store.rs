//! The rows casework reads, and the queries its use cases share: loading a case the actor
//! may see, the frame of every change to a case, the head of a case, and the staff who can
//! hold cases.
//!
//! Staff appear in case rows by the audit id of whoever did the work (`recorded_by`,
//! `written_by`, `created_by`: a user id, or `system`); queries join `users` to show a
//! name, and fall back to the id itself for an account that is gone.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Display;
use time::Date;

use super::model::*;
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::db::Flag;
use crate::ids::{
    AppointmentId, CaseId, GoalId, NoteId, OrgId, PersonId, PerspectiveId, ProcedureId,
    ProgrammeId, UserId,
};
use crate::people::PersonPart;
use crate::{dates, people, Actor, Ctx, Error, Permission, Result, Role};

pub(super) fn today(ctx: &Ctx) -> Date {
    ctx.clock.now().date()
}

/// Seals a value with the person's data key; `aad` names the row it belongs to, so a
/// sealed value cannot be moved to another row.
pub(super) fn seal<T: Serialize>(key: &Key, v: &T, aad: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(v).map_err(anyhow::Error::from)?;
    Ok(key.seal(&json, aad.as_bytes()))
}

pub(super) fn open<T: DeserializeOwned>(key: &Key, sealed: &[u8], aad: &str) -> Result<T> {
    let json = key.open(sealed, aad.as_bytes())?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

/// A staff member's name, or their audit id when the account is gone (or was `system`).
pub(super) fn name_or_id(name: Option<String>, id: &str) -> String {
    name.unwrap_or_else(|| id.to_owned())
}

/// A staff member by id, with the name a query joined, or the id when the account is gone.
pub(super) fn staff_ref(id: UserId, name: Option<String>) -> StaffRef {
    StaffRef {
        id,
        name: name.unwrap_or_else(|| id.to_string()),
    }
}

/// The persons' visibility condition (`people::visible_sql`) for a case's person: referral
/// grants open only the referral view, never a case. Its parameters are `$1` (the
/// organisation) and `$2` (now).
pub(super) const PERSON_VISIBLE: &str = crate::people::visible_sql!("c.person_id");

// ---------------------------------------------------------------------------------------
// A case

#[derive(sqlx::FromRow)]
pub(super) struct CaseRow {
    pub id: CaseId,
    pub person_id: PersonId,
    pub programme_id: ProgrammeId,
    pub case_manager_id: Option<UserId>,
    /// `open` or `closed`.
    pub status: String,
    pub intake_at: i64,
    pub manager_assigned_at: Option<i64>,
    pub start_date: String,
    pub perspective: Perspective,
    pub last_contact_at: Option<i64>,
    pub closed_on: Option<String>,
    pub outcome: Option<Outcome>,
    pub outcome_sealed: Option<Vec<u8>>,
    pub version: i64,
}

impl CaseRow {
    pub(super) fn is_open(&self) -> bool {
        self.status == "open"
    }
}

const CASE_COLS: &str = "c.id, c.person_id, c.programme_id, c.case_manager_id, c.status, \
    c.intake_at, c.manager_assigned_at, c.start_date, c.perspective, c.last_contact_at, \
    c.closed_on, c.outcome, c.outcome_sealed, c.version";

/// Loads a case the actor's organisation holds and may see the person of.
pub(super) async fn load(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    org: OrgId,
    id: CaseId,
) -> Result<CaseRow> {
    let row: Option<CaseRow> = sqlx::query_as(&format!(
        "SELECT {CASE_COLS} FROM cases c WHERE c.id = $3 AND c.org_id = $1 AND {PERSON_VISIBLE}"
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.ok_or(Error::NotFound)
}

/// Loads an open case for a change.
pub(super) async fn load_open(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    org: OrgId,
    id: CaseId,
) -> Result<CaseRow> {
    let c = load(tx, ctx, org, id).await?;
    if !c.is_open() {
        return Err(Error::Conflict("err-case-closed"));
    }
    Ok(c)
}

/// The actor's organisation, once it is known to hold case `id` and to see its person.
/// Anything else is "not found" before the input is looked at: another organisation
/// learns nothing from a 422.
pub(super) async fn case_org(ctx: &Ctx, actor: &Actor, id: CaseId) -> Result<OrgId> {
    let org = actor.require_org()?;
    let found: Option<CaseId> = sqlx::query_scalar(&format!(
        "SELECT c.id FROM cases c WHERE c.id = $3 AND c.org_id = $1 AND {PERSON_VISIBLE}"
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    found.map(|_| org).ok_or(Error::NotFound)
}

/// Ends a change to an item of a case: the case's version moves on (and its last contact,
/// when the change was a contact with the person), and the event naming the case and the
/// item commits with the change.
pub(super) async fn finish_change(
    mut tx: AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    action: &str,
    item: &(dyn Display + Sync),
    contact: bool,
) -> Result<()> {
    let sql = if contact {
        "UPDATE cases SET version = version + 1, updated_at = $1, last_contact_at = $1 WHERE id = $2"
    } else {
        "UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2"
    };
    sqlx::query(sql)
        .bind(ctx.clock.now_ts())
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    tx.log(
        ctx,
        actor,
        action,
        "case",
        &[&id as &(dyn Display + Sync), item],
    )
    .await?;
    tx.commit().await
}

/// Ends a change to the case itself (opening, assignment, closure): the case is read
/// again and its head returned once the event naming `ids` has committed with the change.
pub(super) async fn finish_head(
    mut tx: AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    org: OrgId,
    id: CaseId,
    action: &str,
    ids: &[&(dyn Display + Sync)],
) -> Result<CaseSummary> {
    let c = load(&mut tx, ctx, org, id).await?;
    let s = summary_of(&mut tx, ctx, &c).await?;
    tx.log(ctx, actor, action, "case", ids).await?;
    tx.commit().await?;
    Ok(s)
}

/// What every subject needs to read its part of a case file: the connection of the
/// reading transaction, the case, the person's data key, and the case's history, to which
/// each part adds its lines.
pub(super) struct FileReader<'a> {
    pub conn: &'a mut sqlx::AnyConnection,
    pub case: CaseId,
    pub key: Key,
    pub history: Vec<HistoryEntry>,
}

impl FileReader<'_> {
    /// The rows of one table of the case: `sql` takes the case as `$1`.
    pub(super) async fn rows<R>(&mut self, sql: &str) -> Result<Vec<R>>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        Ok(sqlx::query_as(sql)
            .bind(self.case)
            .fetch_all(&mut *self.conn)
            .await?)
    }

    /// Opens a value sealed with the person's data key.
    pub(super) fn open<T: DeserializeOwned>(&self, sealed: &[u8], aad: &str) -> Result<T> {
        open(&self.key, sealed, aad)
    }

    /// Adds a line to the case's history.
    pub(super) fn record(&mut self, at: i64, what: &str, by: Option<String>) {
        self.history.push(HistoryEntry::new(at, what, by));
    }
}

// ---------------------------------------------------------------------------------------
// The programme of a case

#[derive(sqlx::FromRow)]
pub(super) struct ProgrammeFacts {
    pub caseload_cap: i64,
    /// Comma-separated outcome codes the programme counts.
    pub outcomes: String,
    /// Comma-separated days before the end of a stay at which to alert.
    pub alert_days: String,
    pub active: Flag,
}

pub(super) async fn programme_facts(
    conn: &mut sqlx::AnyConnection,
    id: ProgrammeId,
) -> Result<ProgrammeFacts> {
    let row: Option<ProgrammeFacts> = sqlx::query_as(
        "SELECT caseload_cap, outcomes, alert_days, active FROM programmes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(Error::NotFound)
}

/// The end under the programme's maximum duration, if it has one.
pub(super) fn end_date(start: &str, max_months: Option<i64>) -> Option<String> {
    let start = dates::parse_stored(start)?;
    max_months.map(|m| dates::format(dates::stay_end(start, m)))
}

// ---------------------------------------------------------------------------------------
// The head of a case

/// A person's name or alias, when recorded and readable.
pub(super) fn person_label(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Option<String> {
    people::label_from_stored(ctx, id, wrapped, sealed)
        .ok()
        .flatten()
}

/// What the head of a case shows beside the case row itself.
#[derive(sqlx::FromRow)]
struct HeadRow {
    programme_name: String,
    max_months: Option<i64>,
    data_key: Option<String>,
    sealed: Option<Vec<u8>>,
    manager_name: Option<String>,
}

/// Builds the head of a case inside the transaction that loaded it.
pub(super) async fn summary_of(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    c: &CaseRow,
) -> Result<CaseSummary> {
    let head: Option<HeadRow> = sqlx::query_as(
        "SELECT g.name AS programme_name, g.max_months, p.data_key, p.sealed, \
         u.display_name AS manager_name FROM cases c \
         JOIN programmes g ON g.id = c.programme_id \
         LEFT JOIN persons p ON p.id = c.person_id \
         LEFT JOIN users u ON u.id = c.case_manager_id WHERE c.id = $1",
    )
    .bind(c.id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let h = head.ok_or(Error::NotFound)?;
    Ok(CaseSummary {
        id: c.id,
        person_id: c.person_id,
        person_label: person_label(ctx, c.person_id, h.data_key.as_deref(), h.sealed.as_deref()),
        programme_id: c.programme_id,
        programme_name: h.programme_name,
        case_manager: c.case_manager_id.map(|id| staff_ref(id, h.manager_name)),
        status: c.status.clone(),
        intake_at: c.intake_at,
        manager_assigned_at: c.manager_assigned_at,
        wait_seconds: c.manager_assigned_at.map(|a| a - c.intake_at),
        start_date: c.start_date.clone(),
        end_date: end_date(&c.start_date, h.max_months),
        perspective: c.perspective,
        last_contact_at: c.last_contact_at,
        closed_on: c.closed_on.clone(),
        outcome: c.outcome,
        version: c.version,
    })
}

// ---------------------------------------------------------------------------------------
// Staff who can hold cases

#[derive(sqlx::FromRow)]
struct StaffRoleRow {
    id: UserId,
    display_name: String,
    role: String,
}

fn holds_cases(role: &str) -> bool {
    role.parse::<Role>()
        .is_ok_and(|r| r.permissions().contains(&Permission::CaseWrite))
}

/// Active staff of `org` with a role that may hold cases, by name.
pub(super) async fn managers_of(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
) -> Result<Vec<StaffRef>> {
    let rows: Vec<StaffRoleRow> = sqlx::query_as(
        "SELECT u.id, u.display_name, r.role FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<StaffRef> = Vec::new();
    for r in rows {
        if holds_cases(&r.role) && !out.iter().any(|s| s.id == r.id) {
            out.push(StaffRef {
                id: r.id,
                name: r.display_name,
            });
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct NameRow {
    id: String,
    display_name: String,
}

/// The names of staff by audit id, for ids kept inside sealed text (a goal's progress
/// notes), which a query cannot join.
pub(super) async fn names_of(
    conn: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<HashMap<String, String>> {
    let mut ids: Vec<&String> = ids.iter().filter(|i| *i != "system").collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, display_name FROM users WHERE id IN ({})",
        crate::db::placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, NameRow>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.display_name)).collect())
}

// ---------------------------------------------------------------------------------------
// The rows of a case file, one struct a table; each subject's module reads its own.

#[derive(sqlx::FromRow)]
pub(super) struct PerspectiveRow {
    pub id: PerspectiveId,
    pub at: i64,
    /// The name of whoever recorded it, or their audit id.
    pub recorded_by: String,
    pub perspective: Perspective,
    pub decision_stage: DecisionStage,
    pub sealed: Vec<u8>,
}

#[derive(sqlx::FromRow)]
pub(super) struct ProcedureRow {
    pub id: ProcedureId,
    pub kind: String,
    /// The label of `kind` in the configured list, while it is active there.
    pub kind_label: Option<String>,
    pub filed_on: Option<String>,
    pub decision: Decision,
    pub decision_on: Option<String>,
    pub appeal_filed_on: Option<String>,
    pub deadline: Option<String>,
    pub sealed: Option<Vec<u8>>,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct GoalRow {
    pub id: GoalId,
    pub domain: Domain,
    pub term: Term,
    pub owner_id: Option<UserId>,
    pub owner_name: Option<String>,
    pub due_on: Option<String>,
    pub status: GoalStatus,
    pub sealed: Vec<u8>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a change to a goal keeps when a field is left empty.
#[derive(sqlx::FromRow)]
pub(super) struct GoalEditRow {
    pub domain: Domain,
    pub term: Term,
    pub owner_id: Option<UserId>,
    pub due_on: Option<String>,
    pub status: GoalStatus,
    pub sealed: Vec<u8>,
}

#[derive(sqlx::FromRow)]
pub(super) struct ItemRow {
    pub id: AppointmentId,
    pub kind: ItemKind,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub sealed: Vec<u8>,
    /// The name of whoever planned it, or their audit id.
    pub created_by: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct NoteRow {
    pub id: NoteId,
    pub at: i64,
    /// The name of whoever wrote it, or their audit id.
    pub written_by: String,
    pub sealed: Vec<u8>,
}

/// An episode, and when it was recorded (for the case's history).
#[derive(sqlx::FromRow)]
pub(super) struct EpisodeRow {
    #[sqlx(flatten)]
    pub episode: Episode,
    pub created_at: i64,
}

/// Whether an appointment or task is done, for marking it done.
#[derive(sqlx::FromRow)]
pub(super) struct DoneRow {
    pub kind: ItemKind,
    pub done_at: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// The rows of lists of cases

/// An open case as a line of a list, with what its attention is computed from.
#[derive(sqlx::FromRow)]
pub(super) struct LineRow {
    pub id: CaseId,
    #[sqlx(flatten)]
    pub person: PersonPart,
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub max_months: Option<i64>,
    pub start_date: String,
    pub intake_at: i64,
    pub manager_assigned_at: Option<i64>,
    pub last_contact_at: Option<i64>,
    pub perspective: Perspective,
    pub case_manager_id: Option<UserId>,
    pub manager_name: Option<String>,
    pub alert_days: String,
    pub next_deadline: Option<String>,
    pub stay_until: Option<String>,
}

/// The earliest due date of a case's overdue goals.
#[derive(sqlx::FromRow)]
pub(super) struct OverdueRow {
    pub case_id: CaseId,
    pub due_on: Option<String>,
}

/// How many open cases a manager holds in a programme.
#[derive(sqlx::FromRow)]
pub(super) struct LoadCountRow {
    pub case_manager_id: UserId,
    pub programme_id: ProgrammeId,
    pub open_cases: i64,
}

/// When a case came in and when it got its case manager.
#[derive(sqlx::FromRow)]
pub(super) struct WaitRow {
    pub intake_at: i64,
    pub manager_assigned_at: i64,
}
