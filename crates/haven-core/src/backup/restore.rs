//! Restoring a snapshot into an empty database: all of it in one transaction, or nothing.

use anyhow::{bail, Context};
use sqlx::any::AnyArguments;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use std::collections::BTreeSet;
use std::io::BufRead;

use super::erased::Erased;
use super::format::{decode_row, Cell, Header, TableHead, Trailer, FORMAT, VERSION};
use super::schema;
use super::scrub::{Scrub, Which};
use crate::db::{Backend, Db};
use crate::{Actor, Ctx};

/// Tables a fresh migration fills: the chain's head at zero and the default lists.
const SEEDED: &[&str] = &[
    "audit_head",
    "config_lists",
    "hub_categories",
    "referral_types",
];

/// Tables whose rows are read and checked but not restored: sessions, so that everyone
/// signs in again and a session ended after the backup does not come back.
const NOT_RESTORED: &[&str] = &["sessions"];

/// Most values bound in one INSERT (well below SQLite's and PostgreSQL's limits).
const VALUES_PER_INSERT: usize = 2000;

/// What a restore brought back.
#[derive(Debug, Clone)]
pub struct Restored {
    pub header: Header,
    /// Rows written per table, in the order restored: the backup's, less the sessions
    /// and the name and alias tokens of those erased again.
    pub tables: Vec<(String, u64)>,
    /// Audit events in the restored chain (verified), before the restore's own.
    pub audit_events: i64,
    /// Persons restored, and of them those whose data key opens with this key file.
    pub persons: i64,
    pub persons_readable: i64,
    /// Persons and outreach contacts readable in the backup but on the erasure list, whose
    /// data key and sealed data were therefore left out.
    pub persons_erased_again: Vec<String>,
    pub contacts_erased_again: Vec<String>,
    /// Stories withdrawn and hub reports purged after the backup was made, taken back again.
    pub stories_withdrawn_again: Vec<String>,
    pub reports_purged_again: Vec<String>,
    /// Referral consents withdrawn after the backup was made, withdrawn again.
    pub consents_withdrawn_again: Vec<String>,
    /// Referrals withdrawn by their senders after the backup was made, withdrawn again.
    pub referrals_withdrawn_again: Vec<String>,
}

impl Restored {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Refuses a database that holds anything beyond what a fresh migration writes, saying
/// what it holds. Reads only; run it before migrating a target.
pub async fn check_empty(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.pool.acquire().await?;
    check_empty_on(&mut conn, db.backend).await
}

async fn check_empty_on(conn: &mut AnyConnection, backend: Backend) -> anyhow::Result<()> {
    let mut held = Vec::new();
    for t in schema::tables(&mut *conn, backend).await? {
        if t == "audit_head" {
            let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM audit_head")
                .fetch_one(&mut *conn)
                .await?;
            if seq.unwrap_or(0) > 0 {
                held.push(format!("an audit chain of {} events", seq.unwrap_or(0)));
            }
        }
        if SEEDED.contains(&t.as_str()) {
            continue;
        }
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut *conn)
            .await?;
        if n > 0 {
            held.push(format!("{t}: {n} rows"));
        }
    }
    if !held.is_empty() {
        bail!(
            "the target database is not empty ({}); restore only into an empty database or \
             a new data directory, so that nothing is mixed or overwritten",
            held.join(", ")
        );
    }
    Ok(())
}

/// Restores the backup read from `input` (the plaintext, see `format`) into the empty
/// database of `ctx`, leaving out the data keys and sealed data of everyone on `erased`.
/// One transaction: the chain is verified and every data key checked against the key file
/// before it commits; any failure (a damaged or foreign backup, another key file, a schema
/// of another version) leaves the target as it was. `progress(done, total)` counts rows.
pub async fn restore(
    ctx: &Ctx,
    input: &mut dyn BufRead,
    erased: &Erased,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<Restored> {
    let header: Header = read_line(input)?
        .ok_or_else(|| anyhow::anyhow!("the backup is empty"))
        .and_then(|v| Ok(serde_json::from_value(v)?))
        .context("this is not a Haven backup")?;
    if header.format != FORMAT || header.version != VERSION {
        bail!(
            "this is not a Haven backup of format version {VERSION} ({} {})",
            header.format,
            header.version
        );
    }
    let _queue = match ctx.db.backend {
        Backend::Sqlite => Some(ctx.db.write_lock.clone().lock_owned().await),
        Backend::Postgres => None,
    };
    let mut conn = ctx.db.pool.acquire().await?;
    let begin = match ctx.db.backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    sqlx::query(begin).execute(&mut *conn).await?;
    let done = load(ctx, &mut conn, header, input, erased, progress).await;
    let done = match done {
        Ok(r) => sqlx::query("COMMIT")
            .execute(&mut *conn)
            .await
            .map(|_| r)
            .context("the restore could not be saved"),
        Err(e) => Err(e),
    };
    if done.is_err() {
        // Closing the connection rolls everything back, whatever state it is in.
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        close(conn);
    } else {
        drop(conn); // before the purge, which takes a connection of its own
    }
    let r = done?;
    if !(r.persons_erased_again.is_empty()
        && r.contacts_erased_again.is_empty()
        && r.stories_withdrawn_again.is_empty()
        && r.reports_purged_again.is_empty()
        && r.consents_withdrawn_again.is_empty()
        && r.referrals_withdrawn_again.is_empty())
    {
        ctx.db.purge_erased().await;
    }
    Ok(r)
}

fn close(conn: PoolConnection<Any>) {
    let mut conn = conn;
    conn.close_on_drop();
}

async fn load(
    ctx: &Ctx,
    conn: &mut PoolConnection<Any>,
    header: Header,
    input: &mut dyn BufRead,
    erased: &Erased,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<Restored> {
    let backend = ctx.db.backend;
    check_empty_on(conn, backend).await?;
    let here = schema::migrations(conn).await?;
    if here != header.migrations {
        bail!(
            "the backup was made by a Haven with migrations up to {}, this Haven has them up \
             to {}: restore with the version that made the backup, then upgrade",
            header.migrations.last().unwrap_or(&0),
            here.last().unwrap_or(&0)
        );
    }
    let order = schema::tables(conn, backend).await?;
    for t in order.iter().rev() {
        sqlx::query(&format!("DELETE FROM {t}"))
            .execute(&mut **conn)
            .await?;
    }
    let mut scrub = Scrub::new(erased);
    let mut seen = BTreeSet::new();
    let mut tables = Vec::new();
    let (mut done, total) = (0u64, header.rows);
    for _ in 0..header.tables {
        let head: TableHead = read_line(input)?
            .ok_or_else(|| anyhow::anyhow!("the backup ends before its last table"))
            .and_then(|v| Ok(serde_json::from_value(v)?))
            .context("the backup is damaged: a table heading cannot be read")?;
        if !order.contains(&head.table) || !seen.insert(head.table.clone()) {
            bail!(
                "the backup holds a table this Haven does not have: {}",
                head.table
            );
        }
        let here = schema::columns(conn, backend, &head.table).await?;
        if here != head.columns {
            bail!(
                "the columns of {} differ between the backup and this Haven",
                head.table
            );
        }
        let (read, written) = insert_table(conn, &head, input, &mut scrub, &mut |k| {
            done += k;
            progress(done, total);
        })
        .await?;
        debug_assert_eq!(read, head.rows);
        tables.push((head.table, written));
    }
    let trailer: Trailer = read_line(input)?
        .ok_or_else(|| anyhow::anyhow!("the backup is cut short: its end is missing"))
        .and_then(|v| Ok(serde_json::from_value(v)?))
        .context("the backup is damaged: its end cannot be read")?;
    if !trailer.end || trailer.tables != tables.len() || trailer.rows != done || done != total {
        bail!("the backup is damaged: its end does not match what it held");
    }
    if read_line(input)?.is_some() {
        bail!("the backup is damaged: something follows its end");
    }
    if let Some(missing) = order.iter().find(|t| !seen.contains(*t)) {
        bail!("the backup lacks the table {missing}");
    }
    let now = ctx.clock.now_ts();
    let consents = super::scrub::withdraw_consents_again(conn, erased, now).await?;
    let referrals = super::scrub::withdraw_referrals_again(conn, erased, now).await?;
    let again = [consents.clone(), referrals.clone()];
    let checked = check_and_record(ctx, conn, &header, &scrub, &again).await?;
    Ok(Restored {
        header,
        tables,
        audit_events: checked.events,
        persons: checked.persons,
        persons_readable: checked.persons_readable,
        persons_erased_again: scrub.found(Which::Persons),
        contacts_erased_again: scrub.found(Which::Contacts),
        stories_withdrawn_again: scrub.found(Which::Stories),
        reports_purged_again: scrub.found(Which::Reports),
        consents_withdrawn_again: consents,
        referrals_withdrawn_again: referrals,
    })
}

/// What the checks before the commit found.
struct Checked {
    events: i64,
    persons: i64,
    persons_readable: i64,
}

/// Before the commit: the loaded chain must verify with the key file and every data key
/// must open with it; then the restore and the erasures it re-applied join the chain.
async fn check_and_record(
    ctx: &Ctx,
    conn: &mut AnyConnection,
    header: &Header,
    scrub: &Scrub<'_>,
    [consents, referrals]: &[Vec<String>; 2],
) -> anyhow::Result<Checked> {
    let report = crate::audit::verify_on(ctx, conn).await?;
    if !report.problems.is_empty() {
        let list: Vec<String> = report
            .problems
            .iter()
            .take(5)
            .map(|p| p.to_string())
            .collect();
        bail!(
            "the restored audit chain does not verify with this key file ({}{}): is it the \
             key file of the installation that made the backup?",
            list.join("; "),
            if report.problems.len() > 5 {
                "; …"
            } else {
                ""
            }
        );
    }
    let (persons, persons_readable) = readable(ctx, conn, "persons").await?;
    let (contacts, contacts_readable) = readable(ctx, conn, "outreach_contacts").await?;
    if persons_readable < persons || contacts_readable < contacts {
        bail!(
            "{} of {persons} persons' and {} of {contacts} outreach contacts' data keys do not \
             open with this key file: use the key file that was in use when the backup was \
             made (after a key rotation, the old one)",
            persons - persons_readable,
            contacts - contacts_readable
        );
    }
    let system = Actor::system();
    let log = |action: &'static str, kind: &'static str, ids: Vec<String>| (action, kind, ids);
    for (action, kind, ids) in [
        log("backup.restore", "backup", vec![header.made_at.to_string()]),
        log(
            "person.erase_reapplied",
            "person",
            scrub.found(Which::Persons),
        ),
        log(
            "outreach.contact.erase_reapplied",
            "outreach_contact",
            scrub.found(Which::Contacts),
        ),
        log(
            "content.withdraw_reapplied",
            "content",
            scrub.found(Which::Stories),
        ),
        log(
            "hub.report.purge_reapplied",
            "report",
            scrub.found(Which::Reports),
        ),
        log(
            "referral.consent_withdraw_reapplied",
            "consent",
            consents.clone(),
        ),
        log("referral.withdraw_reapplied", "referral", referrals.clone()),
    ] {
        if !ids.is_empty() {
            crate::audit::append_on(ctx, conn, &system, action, kind, &ids).await?;
        }
    }
    Ok(Checked {
        events: report.events,
        persons,
        persons_readable,
    })
}

/// Inserts the rows of one table, many to a statement; returns how many it read and how
/// many it wrote.
async fn insert_table(
    conn: &mut AnyConnection,
    head: &TableHead,
    input: &mut dyn BufRead,
    scrub: &mut Scrub<'_>,
    progress: &mut dyn FnMut(u64),
) -> anyhow::Result<(u64, u64)> {
    let names: Vec<&str> = head.columns.iter().map(|c| c.name.as_str()).collect();
    let per = (VALUES_PER_INSERT / names.len().max(1)).max(1);
    let keep = !NOT_RESTORED.contains(&head.table.as_str());
    let mut batch: Vec<Vec<Cell>> = Vec::with_capacity(per);
    let (mut n, mut since, mut written) = (0u64, 0u64, 0u64);
    while n < head.rows {
        let v = read_line(input)?.ok_or_else(|| {
            anyhow::anyhow!("the backup is cut short in the rows of {}", head.table)
        })?;
        n += 1;
        since += 1;
        let row = decode_row(v, &head.columns, &head.table)?;
        if let Some(row) = scrub.row(&head.table, &head.columns, row).filter(|_| keep) {
            batch.push(row);
        }
        if batch.len() == per || n == head.rows {
            written += batch.len() as u64;
            insert(conn, &head.table, &names, std::mem::take(&mut batch)).await?;
            progress(std::mem::take(&mut since));
        }
    }
    Ok((n, written))
}

async fn insert(
    conn: &mut AnyConnection,
    table: &str,
    names: &[&str],
    rows: Vec<Vec<Cell>>,
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut values = Vec::with_capacity(rows.len());
    for r in 0..rows.len() {
        values.push(format!(
            "({})",
            crate::db::placeholders(1 + r * names.len(), names.len())
        ));
    }
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES {}",
        names.join(", "),
        values.join(", ")
    );
    let mut q = sqlx::query::<Any>(&sql);
    for row in rows {
        for cell in row {
            q = bind(q, cell);
        }
    }
    q.execute(&mut *conn)
        .await
        .with_context(|| format!("cannot restore the rows of {table}"))?;
    Ok(())
}

fn bind<'q>(
    q: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    cell: Cell,
) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
    match cell {
        Cell::Int(v) => q.bind(v),
        Cell::Real(v) => q.bind(v),
        Cell::Text(v) => q.bind(v),
        Cell::Blob(v) => q.bind(v),
    }
}

/// How many rows of `table` hold a data key, and how many of those open with the key file.
async fn readable(ctx: &Ctx, conn: &mut AnyConnection, table: &str) -> anyhow::Result<(i64, i64)> {
    #[derive(sqlx::FromRow)]
    struct Keyed {
        id: String,
        data_key: Option<String>,
    }
    let rows: Vec<Keyed> = sqlx::query_as(&format!("SELECT id, data_key FROM {table}"))
        .fetch_all(&mut *conn)
        .await?;
    let total = rows.len() as i64;
    let open = rows
        .iter()
        .filter(|r| match &r.data_key {
            None => true, // erased: nothing to open, nothing lost
            Some(k) => ctx.keys.unwrap_data_key(k, &r.id).is_ok(),
        })
        .count() as i64;
    Ok((total, open))
}

/// The next line as JSON, or `None` at the end. A read error here is age refusing the
/// ciphertext: the file was changed or cut short.
fn read_line(input: &mut dyn BufRead) -> anyhow::Result<Option<serde_json::Value>> {
    let mut line = String::new();
    let n = input.read_line(&mut line).map_err(|e| {
        anyhow::anyhow!(
            "the backup cannot be read: it was changed, damaged or cut short ({e}); nothing \
             was restored"
        )
    })?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(
        serde_json::from_str(&line).context("the backup is damaged: a line is not JSON")?,
    ))
}
