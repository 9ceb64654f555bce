//! Rotation of the key-encryption key (KEK) while servers run.
//!
//! Every value sealed with a KEK names it: `"<kek id>.<base64>"` ([`crate::crypto`]). A
//! server unwraps with whichever KEK a value names and wraps new values with the key file's
//! active one; it reads the key file again when it changes. A rotation therefore needs no
//! stop, also with several servers on one database:
//!
//! 1. `haven keys add` puts a new KEK in the key file and makes it active; the old one
//!    stays. Every server must hold this file (copy it to each machine) before anything is
//!    re-wrapped: a server that meets a KEK it lacks reads its key file again, and a value
//!    it still cannot open is an error, never wrong data.
//! 2. [`rewrap`] (`haven keys rotate`) re-wraps every value that names another KEK, table by
//!    table in the order of the rows' ids, in short transactions of a batch each. A value
//!    is replaced only if it is still the one read (compare-and-swap), so a concurrent
//!    erasure or new second factor is never overwritten. The data keys themselves do not
//!    change, so nothing sealed with them is touched and readers see the same data
//!    throughout. An interrupted run loses nothing: running it again finds what is left.
//! 3. [`status`] (`haven keys status`) counts the values per KEK; once no row names an old
//!    KEK, `haven keys retire` removes it from the key file.
//!
//! [`WRAPPED`] is the one list of columns that hold KEK-wrapped values. **A new area that
//! stores such a value (a per-report key, a secret) joins rotation with one entry there**;
//! a value missing from the list would become unreadable when its KEK is retired.

use std::collections::BTreeMap;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::Any;
use zeroize::Zeroize;

use crate::audit::AuditTx;
use crate::db::Backend;
use crate::{Actor, Ctx, Result};

/// A column whose values are wrapped by a KEK.
pub struct Wrapped {
    /// What the values are, for the operator's report.
    pub what: &'static str,
    pub table: &'static str,
    /// The table's primary key (TEXT): the order of a rotation and its resumption point.
    pub id: &'static str,
    /// The wrapped values; NULL (nothing held, or destroyed) is skipped.
    pub column: &'static str,
    /// The column whose text the wrapping binds as associated data, through `aad`.
    pub aad_column: &'static str,
    pub aad: fn(&str) -> Vec<u8>,
}

fn id_bytes(id: &str) -> Vec<u8> {
    id.as_bytes().to_vec()
}

fn totp_aad(user: &str) -> Vec<u8> {
    crate::users::totp_aad(user)
}

/// Every column holding KEK-wrapped values. Add a line for a new one.
pub const WRAPPED: &[Wrapped] = &[
    Wrapped {
        what: "persons' data keys",
        table: "persons",
        id: "id",
        column: "data_key",
        aad_column: "id",
        aad: id_bytes,
    },
    Wrapped {
        what: "outreach contacts' data keys",
        table: "outreach_contacts",
        id: "id",
        column: "data_key",
        aad_column: "id",
        aad: id_bytes,
    },
    Wrapped {
        what: "the hub's reports' data keys",
        table: "hub_reports",
        id: "id",
        column: "data_key",
        aad_column: "id",
        aad: id_bytes,
    },
    Wrapped {
        what: "second-factor secrets",
        table: "users",
        id: "id",
        column: "totp_secret",
        aad_column: "id",
        aad: totp_aad,
    },
    Wrapped {
        what: "second-factor secrets offered at sign-in",
        table: "sessions",
        id: "token_hash",
        column: "pending_totp",
        aad_column: "user_id",
        aad: totp_aad,
    },
];

/// How a rotation runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Values re-wrapped per transaction.
    pub batch: i64,
    /// A pause after each batch, to leave the database to the servers.
    pub pause: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            batch: 500,
            pause: Duration::ZERO,
        }
    }
}

/// How far a rotation got, reported after each batch and at the end.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The table of the last batch.
    pub table: &'static str,
    /// Values re-wrapped with the active KEK.
    pub rewrapped: u64,
    /// Values that did not open (a KEK the key file lacks, or tampered): left as they are.
    pub unreadable: Vec<(&'static str, String)>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    aad: String,
    wrapped: String,
}

/// Re-wraps every value in [`WRAPPED`] that names another KEK than the active one, in
/// batches of `opts.batch`, calling `report` after each. Ends with an audit event
/// `keys.rotate` naming the active KEK.
pub async fn rewrap(
    ctx: &Ctx,
    opts: &Options,
    report: &mut dyn FnMut(&Progress),
) -> Result<Progress> {
    let mut p = Progress::default();
    for w in WRAPPED {
        p.table = w.table;
        rewrap_column(ctx, w, opts, &mut p, report).await?;
    }
    let active = ctx.keys.active_kek_id();
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, &Actor::system(), "keys.rotate", "kek", &[active])
        .await?;
    tx.commit().await?;
    Ok(p)
}

async fn rewrap_column(
    ctx: &Ctx,
    w: &Wrapped,
    opts: &Options,
    p: &mut Progress,
    report: &mut dyn FnMut(&Progress),
) -> Result<()> {
    let select = format!(
        "SELECT {id} AS id, {aad} AS aad, {col} AS wrapped FROM {t} \
         WHERE {id} > $1 AND {col} IS NOT NULL AND {col} NOT LIKE $2 ORDER BY {id} LIMIT $3",
        id = w.id,
        aad = w.aad_column,
        col = w.column,
        t = w.table
    );
    let mut after = String::new();
    loop {
        // The key file is read again for every batch: `haven keys add` may run meanwhile.
        ctx.keys.refresh();
        let active = format!("{}.%", ctx.keys.active_kek_id());
        let rows: Vec<Row> = sqlx::query_as(&select)
            .bind(&after)
            .bind(&active)
            .bind(opts.batch.max(1))
            .fetch_all(&ctx.db.pool)
            .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.id.clone();
        let mut changes = Vec::with_capacity(rows.len());
        for r in rows {
            let aad = (w.aad)(&r.aad);
            match ctx.keys.unwrap(&r.wrapped, &aad) {
                Ok(mut secret) => {
                    changes.push((ctx.keys.wrap(&secret, &aad), r));
                    secret.zeroize();
                }
                Err(_) => p.unreadable.push((w.table, r.id)),
            }
        }
        p.rewrapped += write_batch(ctx, w, &changes).await?;
        report(p);
        if !opts.pause.is_zero() {
            tokio::time::sleep(opts.pause).await;
        }
    }
}

/// Writes one batch in one short transaction; returns how many values it replaced. A
/// value changed since it was read (erased, a new secret) is left to its new state.
async fn write_batch(ctx: &Ctx, w: &Wrapped, changes: &[(String, Row)]) -> Result<u64> {
    if changes.is_empty() {
        return Ok(0);
    }
    // On SQLite, queue with the server's own writers in this process (see `Db::write_lock`).
    let _queue = match ctx.db.backend {
        Backend::Sqlite => Some(ctx.db.write_lock.clone().lock_owned().await),
        Backend::Postgres => None,
    };
    let mut conn = ctx.db.pool.acquire().await?;
    let done = write_in(ctx, &mut conn, w, changes).await;
    if done.is_err() {
        // Closing rolls back; a connection inside a transaction never goes back to the pool.
        conn.close_on_drop();
    }
    done
}

async fn write_in(
    ctx: &Ctx,
    conn: &mut PoolConnection<Any>,
    w: &Wrapped,
    changes: &[(String, Row)],
) -> Result<u64> {
    let begin = match ctx.db.backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    sqlx::query(begin).execute(&mut **conn).await?;
    let update = format!(
        "UPDATE {t} SET {col} = $1 WHERE {id} = $2 AND {col} = $3",
        t = w.table,
        col = w.column,
        id = w.id
    );
    let mut n = 0;
    for (new, r) in changes {
        n += sqlx::query(&update)
            .bind(new)
            .bind(&r.id)
            .bind(&r.wrapped)
            .execute(&mut **conn)
            .await?
            .rows_affected();
    }
    if let Err(e) = sqlx::query("COMMIT").execute(&mut **conn).await {
        return Err(crate::Error::Unavailable(e.into()));
    }
    Ok(n)
}

/// How many values of one column each KEK wraps.
#[derive(Debug, Clone)]
pub struct ColumnStatus {
    pub what: &'static str,
    pub table: &'static str,
    /// Per KEK of the key file.
    pub by_kek: BTreeMap<String, i64>,
    /// Values naming a KEK the key file does not hold: unreadable.
    pub unknown: i64,
}

/// Counts the wrapped values of every column in [`WRAPPED`] by the KEK they name.
pub async fn status(ctx: &Ctx) -> Result<Vec<ColumnStatus>> {
    ctx.keys.refresh();
    let keks = ctx.keys.kek_ids();
    let mut out = Vec::new();
    for w in WRAPPED {
        let count = |cond: &str| {
            format!(
                "SELECT COUNT(*) FROM {t} WHERE {col} IS NOT NULL{cond}",
                t = w.table,
                col = w.column
            )
        };
        let total: i64 = sqlx::query_scalar(&count(""))
            .fetch_one(&ctx.db.pool)
            .await?;
        let mut by_kek = BTreeMap::new();
        let per_kek = count(&format!(" AND {} LIKE $1", w.column));
        for k in &keks {
            let n: i64 = sqlx::query_scalar(&per_kek)
                .bind(format!("{k}.%"))
                .fetch_one(&ctx.db.pool)
                .await?;
            by_kek.insert(k.clone(), n);
        }
        let known: i64 = by_kek.values().sum();
        out.push(ColumnStatus {
            what: w.what,
            table: w.table,
            by_kek,
            unknown: total - known,
        });
    }
    Ok(out)
}

/// The KEKs of the key file, other than the active one, that no value names any more.
pub fn retirable(status: &[ColumnStatus], active: &str) -> Vec<String> {
    let Some(first) = status.first() else {
        return Vec::new();
    };
    first
        .by_kek
        .keys()
        .filter(|k| *k != active)
        .filter(|k| status.iter().all(|c| c.by_kek.get(*k).copied() == Some(0)))
        .cloned()
        .collect()
}

/// Records that the KEKs `retired` left the key file (after `haven keys retire` saved it).
pub async fn log_retired(ctx: &Ctx, retired: &[String]) -> Result<()> {
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, &Actor::system(), "keys.retire", "kek", retired)
        .await?;
    tx.commit().await
}
