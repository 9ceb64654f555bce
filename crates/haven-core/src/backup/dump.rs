//! Taking the snapshot: one read-only transaction, every table written out as rows.

use anyhow::Context;
use futures_util::TryStreamExt;
use std::io::Write;

use super::format::{encode_row, Header, TableHead, Trailer, FORMAT, VERSION};
use super::schema;
use crate::db::{Backend, Db};

/// What a backup holds.
#[derive(Debug, Clone)]
pub struct Dumped {
    pub header: Header,
    /// Rows per table, in the order written.
    pub tables: Vec<(String, u64)>,
}

impl Dumped {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Writes a consistent snapshot of every Haven table to `out`, while the server goes on
/// writing. `progress(done, total)` is told the rows written so far. `now` is the time
/// recorded in the header.
pub async fn dump(
    db: &Db,
    now: i64,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64),
) -> anyhow::Result<Dumped> {
    let mut tx = db.pool.begin().await?;
    if db.backend == Backend::Postgres {
        // The first statement of the transaction: every read below sees one snapshot.
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    // On SQLite the snapshot begins with this first read and holds until the end (WAL).
    let migrations = schema::migrations(&mut tx).await?;
    let audit_seq: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
        .fetch_one(&mut *tx)
        .await
        .context("no audit chain head: is this a Haven database?")?;
    let tables = schema::tables(&mut tx, db.backend).await?;
    let mut heads = Vec::with_capacity(tables.len());
    for t in &tables {
        let columns = schema::columns(&mut tx, db.backend, t).await?;
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut *tx)
            .await?;
        heads.push(TableHead {
            table: t.clone(),
            columns,
            rows: u64::try_from(rows).unwrap_or(0),
        });
    }
    let total: u64 = heads.iter().map(|h| h.rows).sum();
    let header = Header {
        format: FORMAT.to_owned(),
        version: VERSION,
        made_at: now,
        source: match db.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
        .to_owned(),
        migrations,
        audit_seq,
        tables: heads.len(),
        rows: total,
    };
    line(out, &serde_json::to_value(&header)?)?;
    let mut done = 0u64;
    let mut written = Vec::with_capacity(heads.len());
    for head in heads {
        line(out, &serde_json::to_value(&head)?)?;
        let names: Vec<&str> = head.columns.iter().map(|c| c.name.as_str()).collect();
        let sql = format!("SELECT {} FROM {}", names.join(", "), head.table);
        let mut rows = sqlx::query(&sql).fetch(&mut *tx);
        let mut n = 0u64;
        while let Some(row) = rows.try_next().await? {
            line(out, &encode_row(&row, &head.columns, &head.table)?)?;
            n += 1;
            done += 1;
            if done.is_multiple_of(512) {
                progress(done, total);
            }
        }
        drop(rows);
        // Within one snapshot the count cannot change; if it did, the snapshot is not one.
        anyhow::ensure!(
            n == head.rows,
            "{} changed during the backup ({} rows counted, {n} read): the snapshot is not consistent",
            head.table,
            head.rows
        );
        written.push((head.table, n));
    }
    let trailer = Trailer {
        end: true,
        tables: written.len(),
        rows: done,
    };
    line(out, &serde_json::to_value(&trailer)?)?;
    progress(done, total);
    tx.rollback().await?;
    Ok(Dumped {
        header,
        tables: written,
    })
}

fn line(out: &mut dyn Write, v: &serde_json::Value) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, v).context("cannot write the backup")?;
    out.write_all(b"\n").context("cannot write the backup")?;
    Ok(())
}

/// Records in the audit chain that a backup was made (after it, so not in it): the
/// snapshot's time and the chain's head it holds.
pub async fn record(ctx: &crate::Ctx, dumped: &Dumped) -> crate::Result<()> {
    let mut tx = crate::audit::AuditTx::begin(ctx).await?;
    let ids = [
        dumped.header.made_at.to_string(),
        dumped.header.audit_seq.to_string(),
    ];
    tx.log(ctx, &crate::Actor::system(), "backup.make", "backup", &ids)
        .await?;
    tx.commit().await
}
