//! Retention: personal data is deleted when its time is up.
//!
//! Each organisation keeps the persons it registered for `retention_months` (24 unless an
//! administrator sets 1–120) after **anything last happened with them**: the person record
//! changed, a case of theirs changed (opening, closing), a shelter stay of theirs ended, a
//! referral or consent of theirs was made or changed, or an outreach contact named them. A
//! person is **due** when that time has passed and nothing is still going on: no open
//! case, no current shelter stay, no referral waiting for or in the receiver's hands. The sweep then erases them as
//! [`crate::people::erase`] does by hand: the data key is destroyed (everything sealed
//! with it, the case file included, can never be read again) and the blind indexes go.
//! The rows stay, holding codes and dates only, so counts and cohorts remain.
//!
//! Outreach contacts go the same way, on their own clock: once the period has passed since
//! the contact (and any follow-up planned), their sealed part (aliases, details, notes) and
//! alias tokens are erased; their counts stay for the figures, and a device that still
//! holds one is told so when it syncs an edit.
//!
//! The audit log has a legal period of its own: when it is configured, the sweep then
//! archives older events into signed, sealed files and removes them, the chain continuing
//! from a checkpoint ([`sweep_with_audit`], `audit_archive`).
//!
//! The server runs [`sweep`] every hour; `haven retention run` runs it at once. Each
//! batch is one audited transaction naming the persons erased, by the system actor. Due
//! persons are found again inside that transaction, which holds the audit chain's head
//! like every change of casework, so a case opened a moment earlier keeps its person.

use serde::Serialize;
use std::ops::RangeInclusive;

use crate::audit::AuditTx;
use crate::ids::{OrgId, PersonId};
use crate::{dates, Actor, Ctx, FieldError, Permission, Result};

/// The period of a new organisation, in months.
pub const DEFAULT_MONTHS: i64 = 24;
/// The periods an administrator may choose, in months.
pub const MONTHS: RangeInclusive<i64> = 1..=120;
/// Persons erased per audited transaction.
const BATCH: i64 = 200;

/// An organisation's retention period, validated: whole months in [`MONTHS`]. Empty means
/// "unchanged" (the caller's default).
pub fn parse_months(v: &Option<String>) -> std::result::Result<Option<i64>, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if MONTHS.contains(&n) => Ok(Some(n)),
            _ => Err(FieldError::new("retention_months", "err-retention-months")),
        },
    }
}

/// The moment before which a person's last activity must lie for them to be due: `now`
/// less `months` calendar months (the day clamped to the month's end, as for stays).
/// `months` is held to [`MONTHS`] here too, so that a period written into the database by
/// hand (0, or a negative number) can never make everybody due at once.
pub fn cutoff(now: i64, months: i64) -> i64 {
    let months = months.clamp(*MONTHS.start(), *MONTHS.end());
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(now) else {
        return i64::MIN;
    };
    let day = dates::add_months(t.date(), -months);
    t.replace_date(day).unix_timestamp()
}

/// The cutoff as the two values [`DUE`] binds: the moment, and its day for stays.
fn cut(now: i64, months: i64) -> (i64, String) {
    let at = cutoff(now, months);
    let day = time::OffsetDateTime::from_unix_timestamp(at)
        .map(|t| dates::format(t.date()))
        .unwrap_or_default();
    (at, day)
}

async fn count_due(ctx: &Ctx, org: OrgId, months: i64) -> Result<i64> {
    let (at, day) = cut(ctx.clock.now_ts(), months);
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {DUE}"))
        .bind(org)
        .bind(at)
        .bind(day)
        .fetch_one(&ctx.db.pool)
        .await?;
    Ok(n)
}

/// The persons of `org` whose time is up; see the module's description. `$1` is the
/// organisation, `$2` the cutoff and `$3` its date (`YYYY-MM-DD`, for stays' dates).
const DUE: &str = "FROM persons p WHERE p.owner_org = $1 AND p.data_key IS NOT NULL \
     AND p.updated_at < $2 \
     AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id \
         AND (c.status = 'open' OR c.updated_at >= $2)) \
     AND NOT EXISTS (SELECT 1 FROM placements pl WHERE pl.person_id = p.id \
         AND (pl.discharged_on IS NULL OR pl.discharged_on >= $3)) \
     AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = p.id \
         AND (r.status IN ('sent', 'accepted') OR r.updated_at >= $2)) \
     AND NOT EXISTS (SELECT 1 FROM referral_consents rc WHERE rc.person_id = p.id \
         AND (rc.recorded_at >= $2 OR rc.withdrawn_at >= $2)) \
     AND NOT EXISTS (SELECT 1 FROM outreach_contact_persons o WHERE o.person_id = p.id \
         AND o.contact_at >= $2)";

/// What an administrator sees of an organisation's retention.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = RetentionStatus)]
pub struct Status {
    pub retention_months: i64,
    /// Persons whose time is up now: the next sweep (within the hour) erases them.
    pub due_now: i64,
}

/// The organisation's period and how many of its persons are due. Counts ids only, so it
/// reads no personal data and writes no audit event.
pub async fn status(ctx: &Ctx, actor: &Actor, org: OrgId) -> Result<Status> {
    actor.require(Permission::OrgManage)?;
    let months: Option<i64> =
        sqlx::query_scalar("SELECT retention_months FROM organisations WHERE id = $1")
            .bind(org)
            .fetch_optional(&ctx.db.pool)
            .await?;
    let months = months.ok_or(crate::Error::NotFound)?;
    Ok(Status {
        retention_months: months,
        due_now: count_due(ctx, org, months).await?,
    })
}

/// What one sweep erased, per organisation that had anyone due.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Persons erased, per organisation.
    pub erased: Vec<(OrgId, i64)>,
    /// Outreach contacts whose sealed part was erased, per organisation.
    pub contacts: Vec<(OrgId, i64)>,
    /// Closed reports of the safe-reporting hub purged, per hub (see `hub::purge_due`).
    pub reports: Vec<(OrgId, i64)>,
    /// Audit events archived and removed (when the audit log's retention is configured).
    pub audit_events: i64,
}

impl Report {
    /// Persons and contacts erased.
    pub fn total(&self) -> i64 {
        self.erased
            .iter()
            .chain(&self.contacts)
            .chain(&self.reports)
            .map(|(_, n)| n)
            .sum()
    }
}

#[derive(sqlx::FromRow)]
struct Period {
    id: OrgId,
    retention_months: i64,
}

/// A due person, with the place in the sweep's `(updated_at, id)` order.
#[derive(sqlx::FromRow)]
struct Due {
    id: PersonId,
    updated_at: i64,
}

/// Erases every person whose time is up, in every organisation. With `dry_run`, counts
/// them and changes nothing.
pub async fn sweep(ctx: &Ctx, dry_run: bool) -> Result<Report> {
    sweep_with_audit(ctx, dry_run, None).await
}

/// [`sweep`], and then, when `audit` is configured, the audit log's own retention: the
/// events older than its legal period move into signed, sealed files in its directory,
/// in batches ([`crate::audit_archive::archive_due`]). A dry run archives nothing.
pub async fn sweep_with_audit(
    ctx: &Ctx,
    dry_run: bool,
    audit: Option<&crate::audit_archive::Archival>,
) -> Result<Report> {
    let mut report = sweep_records(ctx, dry_run).await?;
    if let Some(a) = audit.filter(|_| !dry_run) {
        let files = crate::audit_archive::archive_due(ctx, a).await?;
        report.audit_events = files.iter().map(|f| f.last_seq - f.first_seq + 1).sum();
    }
    Ok(report)
}

async fn sweep_records(ctx: &Ctx, dry_run: bool) -> Result<Report> {
    let orgs: Vec<Period> =
        sqlx::query_as("SELECT id, retention_months FROM organisations ORDER BY name")
            .fetch_all(&ctx.db.pool)
            .await?;
    let actor = Actor::system();
    let mut report = Report::default();
    for Period {
        id: org,
        retention_months: months,
    } in orgs
    {
        let n = if dry_run {
            count_due(ctx, org, months).await?
        } else {
            let mut n = 0i64;
            let mut after = None;
            loop {
                let (done, last) = erase_batch(ctx, &actor, org, months, after).await?;
                n += done;
                match last {
                    Some(last) if done == BATCH => after = Some(last),
                    _ => break n,
                }
            }
        };
        if n > 0 {
            report.erased.push((org, n));
        }
        let c = if dry_run {
            count_contacts_due(ctx, org, months).await?
        } else {
            let mut c = 0;
            loop {
                let done = erase_contacts_batch(ctx, &actor, org, months).await?;
                c += done;
                if done < BATCH {
                    break c;
                }
            }
        };
        if c > 0 {
            report.contacts.push((org, c));
        }
    }
    report.reports = if dry_run {
        crate::hub::count_due(ctx).await?
    } else {
        crate::hub::purge_due(ctx, &actor).await?
    };
    if report.total() > 0 {
        ctx.db.purge_erased().await;
    }
    Ok(report)
}

/// Erases up to [`BATCH`] due persons of one organisation in one audited transaction,
/// taking them in `(updated_at, id)` order after `after`, so that a sweep walks past
/// persons who are kept (an open case) once instead of at every batch (`None`: from the
/// start). Returns how many it erased and the last one's place in that order.
async fn erase_batch(
    ctx: &Ctx,
    actor: &Actor,
    org: OrgId,
    months: i64,
    after: Option<(i64, PersonId)>,
) -> Result<(i64, Option<(i64, PersonId)>)> {
    let mut tx = AuditTx::begin(ctx).await?;
    // The clock is read inside the transaction, which holds the chain head: whatever
    // committed before it is seen, whatever comes after waits.
    let (at, day) = cut(ctx.clock.now_ts(), months);
    // Before the first batch `$6` is NULL, which no id follows; `$5` is then the least
    // time, which every person follows.
    let rows: Vec<Due> = sqlx::query_as(&format!(
        "SELECT p.id, p.updated_at {DUE} \
         AND (p.updated_at > $5 OR (p.updated_at = $5 AND p.id > $6)) \
         ORDER BY p.updated_at, p.id LIMIT $4"
    ))
    .bind(org)
    .bind(at)
    .bind(day)
    .bind(BATCH)
    .bind(after.map_or(i64::MIN, |a| a.0))
    .bind(after.map(|a| a.1))
    .fetch_all(&mut *tx.tx)
    .await?;
    let Some(last) = rows.last().map(|r| (r.updated_at, r.id)) else {
        tx.commit().await?; // nothing written: commits at once, and keeps the connection
        return Ok((0, None));
    };
    let ids: Vec<PersonId> = rows.into_iter().map(|r| r.id).collect();
    crate::people::destroy(&mut tx, ctx, actor, &ids).await?;
    tx.log(ctx, actor, "person.erase_expired", "person", &ids)
        .await?;
    ctx.db
        .note_erased(crate::backup::Kind::Person, &ids, ctx.clock.now_ts())?;
    tx.commit().await?;
    // Again after the commit, as for an erasure by hand.
    for id in &ids {
        ctx.keys.forget_data_key(&id.to_string());
    }
    Ok((ids.len() as i64, Some(last)))
}

/// An organisation's outreach contacts whose time is up: met before the cutoff, with no
/// follow-up planned after it, and not erased yet. `$1` the organisation, `$2` the cutoff.
/// Their counts (people met, informed, referred …) stay for the figures; what was sealed
/// (aliases, notes, the people's details) and the alias tokens go.
const CONTACTS_DUE: &str = "FROM outreach_contacts WHERE org_id = $1 AND data_key IS NOT NULL \
     AND contact_at < $2 AND (followup_at IS NULL OR followup_at < $2)";

async fn count_contacts_due(ctx: &Ctx, org: OrgId, months: i64) -> Result<i64> {
    let (at, _) = cut(ctx.clock.now_ts(), months);
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {CONTACTS_DUE}"))
        .bind(org)
        .bind(at)
        .fetch_one(&ctx.db.pool)
        .await?;
    Ok(n)
}

/// Erases the sealed part of up to [`BATCH`] due contacts of one organisation in one
/// audited transaction; returns how many.
async fn erase_contacts_batch(ctx: &Ctx, actor: &Actor, org: OrgId, months: i64) -> Result<i64> {
    let mut tx = AuditTx::begin(ctx).await?;
    let (at, _) = cut(ctx.clock.now_ts(), months);
    let ids: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT id {CONTACTS_DUE} ORDER BY contact_at, id LIMIT $3"
    ))
    .bind(org)
    .bind(at)
    .bind(BATCH)
    .fetch_all(&mut *tx.tx)
    .await?;
    if ids.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let list = crate::db::placeholders(1, ids.len());
    for sql in [
        format!("DELETE FROM outreach_alias_tokens WHERE contact_id IN ({list})"),
        format!("UPDATE outreach_contacts SET data_key = NULL, sealed = NULL WHERE id IN ({list})"),
    ] {
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(id);
        }
        q.execute(&mut *tx.tx).await?;
    }
    tx.log(
        ctx,
        actor,
        "outreach.contact.erase_expired",
        "outreach_contact",
        &ids,
    )
    .await?;
    ctx.db.note_erased(
        crate::backup::Kind::OutreachContact,
        &ids,
        ctx.clock.now_ts(),
    )?;
    tx.commit().await?;
    Ok(ids.len() as i64)
}
