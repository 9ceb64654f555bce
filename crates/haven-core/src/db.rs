//! The database: SQLite (embedded, the default) or PostgreSQL, chosen by URL at run time.
//!
//! Both go through sqlx's `Any` driver with portable SQL: `$1` placeholders, BIGINT times,
//! TEXT ids. The few dialect differences are handled here and nowhere else.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite allows one writer at a time and makes the others sleep and retry (1, 2, 5 …
    /// 100 ms), which turns contention into long tails. Audited transactions on SQLite
    /// therefore queue here first, in order, without sleeping. One process owns an SQLite
    /// file, so an in-process lock suffices; PostgreSQL needs none.
    pub write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// PostgreSQL: a later vacuum after an erasure is already scheduled (see
    /// [`Db::purge_erased`]), so many erasures in a row schedule one, not one each.
    pub later_vacuum: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The erasure list beside the database (`backup::erased`): every erasure appends its
    /// ids before it commits. `None` (tests of the core, tools): not kept.
    pub erasure_log: Option<std::sync::Arc<crate::backup::ErasureLog>>,
}

/// Background jobs that one server of several on a PostgreSQL database runs at a time
/// ([`Db::once_in_cluster`]); the number is the advisory lock's key, the same in every
/// Haven process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Job {
    /// The retention sweep (erasures, purges, audit archival).
    RetentionSweep = 484_176_657,
}

/// Migrations, in order. Only ever append to this list.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/0001_foundation.sql"),
    ),
    (
        2,
        "casework",
        include_str!("../migrations/0002_casework.sql"),
    ),
    (
        3,
        "person_indexes",
        include_str!("../migrations/0003_person_indexes.sql"),
    ),
    (
        4,
        "stay_extension_requests",
        include_str!("../migrations/0004_stay_extension_requests.sql"),
    ),
    (
        5,
        "casework_indexes",
        include_str!("../migrations/0005_casework_indexes.sql"),
    ),
    (
        6,
        "directory",
        include_str!("../migrations/0006_directory.sql"),
    ),
    (
        7,
        "referrals",
        include_str!("../migrations/0007_referrals.sql"),
    ),
    (
        8,
        "public_content",
        include_str!("../migrations/0008_public_content.sql"),
    ),
    (
        9,
        "outreach",
        include_str!("../migrations/0009_outreach.sql"),
    ),
    (
        10,
        "directory_review",
        include_str!("../migrations/0010_directory_review.sql"),
    ),
    (
        12,
        "referral_fields",
        include_str!("../migrations/0012_referral_fields.sql"),
    ),
    (
        13,
        "directory_listing",
        include_str!("../migrations/0013_directory_listing.sql"),
    ),
    (
        14,
        "user_email",
        include_str!("../migrations/0014_user_email.sql"),
    ),
    (
        15,
        "retention",
        include_str!("../migrations/0015_retention.sql"),
    ),
    (
        16,
        "role_notices",
        include_str!("../migrations/0016_role_notices.sql"),
    ),
    (17, "hub", include_str!("../migrations/0017_hub.sql")),
    (
        18,
        "audit_checkpoint",
        include_str!("../migrations/0018_audit_checkpoint.sql"),
    ),
    (
        19,
        "hub_work",
        include_str!("../migrations/0019_hub_work.sql"),
    ),
    (
        20,
        "hub_categories_and_coarse_times",
        include_str!("../migrations/0020_hub_categories_and_coarse_times.sql"),
    ),
];

/// The environment variable that sets the most connections a process opens to its database.
pub const CONNECTIONS_VAR: &str = "HAVEN_DB_CONNECTIONS";

/// The most connections to open: `HAVEN_DB_CONNECTIONS` when set (1–256), else 8 on SQLite
/// (readers beside the one writer) and 16 on PostgreSQL.
///
/// On SQLite every audited commit empties the page cache of every other connection, so the
/// number trades a view's own latency against views in parallel; BENCHMARKS.md ("Casework",
/// "Fewer SQLite connections") has 1, 2 and 8 measured against each other.
///
/// No task holds two connections at once (the test suite runs once with one connection to
/// show it), so any number from 1 up is free of pool deadlocks.
pub fn max_connections(backend: Backend, setting: Option<&str>) -> Result<u32> {
    let Some(raw) = setting else {
        return Ok(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        });
    };
    match raw.trim().parse::<u32>() {
        Ok(n @ 1..=256) => Ok(n),
        _ => Err(anyhow::anyhow!(
            "{CONNECTIONS_VAR} must be a whole number from 1 to 256, not {raw:?}"
        )
        .into()),
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), with at most
    /// [`max_connections`] connections.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(anyhow::anyhow!(
                "unsupported database URL: use sqlite://PATH or postgres://…"
            )
            .into());
        };
        let setting = std::env::var(CONNECTIONS_VAR).ok();
        let connections = max_connections(backend, setting.as_deref())?;
        let opts = AnyConnectOptions::from_str(url)
            .map_err(anyhow::Error::from)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(connections)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers run beside the writer; NORMAL sync is durable
                            // across application crashes and fast; the busy timeout makes a
                            // writer wait for another instead of failing. An 8 MiB page
                            // cache per connection (SQLite's default is 2 MiB) holds the
                            // public directory's hot pages: a search page reads a few
                            // hundred, each service being about a page long. Secure delete
                            // overwrites what a change removes (an erased person's wrapped
                            // key) instead of leaving it in free space; see
                            // `Db::purge_erased`.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA cache_size = -8192; PRAGMA secure_delete = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(opts)
                    .await
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
            }
        }
        .map_err(anyhow::Error::from)?;
        Ok(Self {
            pool,
            backend,
            write_lock: Default::default(),
            later_vacuum: Default::default(),
            erasure_log: None,
        })
    }

    /// Brings the schema up to date. Safe to run at every start.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut applied = Vec::new();
        let mut tx = self.pool.begin().await?;
        self.migration_lock(&mut tx).await?;
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
        )
        .await?;
        tx.commit().await?;
        for (version, name, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            self.migration_lock(&mut tx).await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            let sql = self.dialect(sql);
            for stmt in split_statements(&sql) {
                tx.execute(stmt.as_str()).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                .bind(*version)
                .bind(*name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            applied.push(*version);
        }
        Ok(applied)
    }

    /// Runs `work` unless another Haven server on the same PostgreSQL database is running
    /// the same `job` right now (a session advisory lock, held on a connection of its own
    /// for as long as `work` runs, and released when it ends or the connection drops). The
    /// lock is keyed by the job and the schema, so installations in other schemas of the
    /// same database do not wait for each other.
    /// `None`: skipped, the other server does it. SQLite has one server per file: always run.
    pub async fn once_in_cluster<T, F>(&self, job: Job, work: F) -> Result<Option<T>>
    where
        F: std::future::Future<Output = Result<T>>,
    {
        if self.backend != Backend::Postgres {
            return work.await.map(Some);
        }
        // A connection of its own, outside the pool: holding a pooled one for the whole
        // job would leave the job's own work (and the requests waiting on its audit chain)
        // one connection short, which can deadlock a small pool.
        let opts = self.pool.connect_options();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect_with(&opts).await?;
        let got: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext(current_schema()))")
                .bind(job as i32)
                .fetch_one(&mut conn)
                .await?;
        if !got {
            return Ok(None);
        }
        let out = work.await;
        let released = sqlx::query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))")
            .bind(job as i32)
            .execute(&mut conn)
            .await;
        if released.is_ok() {
            let _ = sqlx::Connection::close(conn).await;
        }
        // Otherwise dropping the connection ends it, and the lock goes with it.
        out.map(Some)
    }

    /// Several servers starting at once on one PostgreSQL database take turns: each
    /// migration's transaction first takes a transaction-level advisory lock, so the second
    /// server finds the migration done instead of running it again and failing half-way.
    /// (One process owns an SQLite file, and its transactions already take turns.)
    async fn migration_lock(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
        if self.backend == Backend::Postgres {
            // "Haven", as a number: the same key in every Haven process.
            sqlx::query("SELECT pg_advisory_xact_lock(4841766574)")
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The migrations this database has not run yet, as `(version, name)`, in order
    /// (`haven migrate --check`). Reads only.
    pub async fn pending_migrations(&self) -> Result<Vec<(i64, &'static str)>> {
        let table = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
                 AND name = 'schema_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            }
        };
        let exists: i64 = sqlx::query_scalar(table).fetch_one(&self.pool).await?;
        let done: Vec<i64> = if exists > 0 {
            sqlx::query_scalar("SELECT version FROM schema_migrations")
                .fetch_all(&self.pool)
                .await?
        } else {
            Vec::new()
        };
        Ok(MIGRATIONS
            .iter()
            .filter(|(v, _, _)| !done.contains(v))
            .map(|(v, name, _)| (*v, *name))
            .collect())
    }

    fn dialect(&self, sql: &str) -> String {
        match self.backend {
            Backend::Sqlite => sql.replace("{BLOB}", "BLOB"),
            Backend::Postgres => sql.replace("{BLOB}", "BYTEA"),
        }
    }

    /// Makes what an erasure removed unrecoverable from the live database files. The
    /// erasing transaction overwrote the wrapped data keys and sealed records (SQLite's
    /// secure delete zeroes the freed space), but the pages as they were before stay in
    /// SQLite's write-ahead log until a checkpoint copies the new pages back and truncates
    /// it, and in PostgreSQL's heap as dead row versions until a vacuum. Called once after
    /// each erasure by hand and once per retention sweep (the batch). A checkpoint that
    /// readers hold up is retried for a few seconds; a failure is logged, not fatal: the
    /// erasure itself has committed, and the next erasure or checkpoint completes it.
    pub async fn purge_erased(&self) {
        const VACUUM_ERASED: &str =
            "VACUUM persons, person_name_tokens, hub_reports, hub_report_messages";
        let done = match self.backend {
            Backend::Sqlite => self.checkpoint_truncate().await,
            Backend::Postgres => {
                // A vacuum cannot remove a row version that a transaction running elsewhere
                // may still see; on a busy server, two more passes catch what the first
                // had to leave. One pair of passes serves every erasure made before its
                // last pass starts (the flag is cleared just before it), so a run of
                // erasures does not pile up vacuums.
                use std::sync::atomic::Ordering;
                if !self.later_vacuum.swap(true, Ordering::SeqCst) {
                    let pool = self.pool.clone();
                    let pending = self.later_vacuum.clone();
                    tokio::spawn(async move {
                        for (wait, last) in [(2, false), (30, true)] {
                            tokio::time::sleep(Duration::from_secs(wait)).await;
                            if last {
                                pending.store(false, Ordering::SeqCst);
                            }
                            if let Err(e) = pool.execute(VACUUM_ERASED).await {
                                tracing::warn!("erasure: a later vacuum failed: {e:#}");
                            }
                        }
                    });
                }
                sqlx::query(VACUUM_ERASED)
                    .execute(&self.pool)
                    .await
                    .map(|_| true)
                    .map_err(anyhow::Error::from)
            }
        };
        match done {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                "erasure: the write-ahead log is still in use; the next checkpoint truncates it"
            ),
            Err(e) => tracing::warn!("erasure: purging old row versions failed: {e:#}"),
        }
    }

    /// Appends erased ids to the erasure list, if one is kept: called inside the erasing
    /// transaction, before its commit, which must not happen if this fails.
    pub fn note_erased(
        &self,
        kind: crate::backup::Kind,
        ids: &[impl std::fmt::Display],
        at: i64,
    ) -> Result<()> {
        match &self.erasure_log {
            Some(log) => log.append(kind, ids, at),
            None => Ok(()),
        }
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)` until it completes (true) or about five seconds pass.
    async fn checkpoint_truncate(&self) -> anyhow::Result<bool> {
        for _ in 0..50 {
            let busy: i64 = sqlx::query_scalar("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await?;
            if busy == 0 {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(false)
    }

    /// Whether the database answers; for `/healthz`.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The names of all tables Haven created; used by tests that dump the database.
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() ORDER BY table_name"
            }
        };
        Ok(sqlx::query_scalar(sql).fetch_all(&self.pool).await?)
    }
}

/// Splits a migration into statements at semicolons that end a line, dropping comments.
fn split_statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("--") || line.trim().is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if line.ends_with(';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// A flag as both backends store it: `BIGINT` 0 or 1. sqlx's `Any` driver decodes `bool`
/// only from a boolean column, so row structs read flags as this type (`active: Flag`,
/// then `row.active.0`) and bind them as `Flag(b)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for Flag {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> std::result::Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <i64 as sqlx::Encode<'q, sqlx::Any>>::encode(i64::from(self.0), buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(
        value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        <i64 as sqlx::Decode<sqlx::Any>>::decode(value).map(|v| Flag(v != 0))
    }
}

/// Renders `n` placeholders starting at `$start`: `$3, $4, $5`.
pub fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_of_connections_is_a_default_or_a_whole_number_from_1_to_256() {
        assert_eq!(max_connections(Backend::Sqlite, None).unwrap(), 8);
        assert_eq!(max_connections(Backend::Postgres, None).unwrap(), 16);
        for (raw, n) in [("1", 1), (" 4 ", 4), ("256", 256)] {
            assert_eq!(max_connections(Backend::Sqlite, Some(raw)).unwrap(), n);
            assert_eq!(max_connections(Backend::Postgres, Some(raw)).unwrap(), n);
        }
        for raw in ["0", "257", "-1", "eight", "", "2.5"] {
            let e = max_connections(Backend::Sqlite, Some(raw))
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("HAVEN_DB_CONNECTIONS must be a whole number from 1 to 256"),
                "{raw}: {e}"
            );
            assert!(
                e.contains(&format!("{raw:?}")),
                "the message names the value: {e}"
            );
        }
    }
}
