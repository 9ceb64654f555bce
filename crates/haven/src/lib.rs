//! The pieces of the `haven` binary that tests use too: start-up and the demo data.

pub mod backup;
pub mod demo;
pub mod demo_bench;
pub mod demo_cases;
pub mod demo_content;
pub mod demo_directory;
pub mod demo_hub;
pub mod demo_hub_work;
pub mod demo_outreach;
pub mod demo_referrals;
pub mod demo_shelters;
pub mod mail;

use anyhow::Context;
use haven_core::crypto::Keyring;
use haven_core::db::Db;
use haven_core::{Clock, Ctx, SystemClock};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an installation keeps its files.
pub fn key_path(data: &Path) -> PathBuf {
    data.join("haven.keys")
}

/// Where the erasure list is kept: `HAVEN_ERASED_LOG` if set, else `erased.log` in the data
/// directory, beside the key file (`haven_core::backup::erased`).
pub fn erased_log_path(data: &Path) -> PathBuf {
    match std::env::var_os("HAVEN_ERASED_LOG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => data.join("erased.log"),
    }
}

/// The database URL: `DATABASE_URL` if given, else an SQLite file in the data directory.
pub fn database_url(data: &Path, explicit: Option<&str>) -> String {
    match explicit {
        Some(u) if !u.trim().is_empty() => u.to_owned(),
        _ => format!("sqlite://{}?mode=rwc", data.join("haven.db").display()),
    }
}

/// Opens the database, brings its schema up to date and loads the keys.
pub async fn open(data: &Path, db_url: Option<&str>) -> anyhow::Result<Ctx> {
    open_with_clock(data, db_url, Arc::new(SystemClock)).await
}

pub async fn open_with_clock(
    data: &Path,
    db_url: Option<&str>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Ctx> {
    create_data_dir(data)?;
    check_key_file(&key_path(data))?;
    // A bad small-count threshold (below 5, or not a number) stops the start.
    haven_core::stats::Disclosure::from_setting(
        std::env::var(haven_core::stats::disclosure::K_VAR)
            .ok()
            .as_deref(),
    )
    .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let keys = Keyring::load(&key_path(data)).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let url = database_url(data, db_url);
    let mut db = Db::connect(&url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e:#}"))?;
    let erased = haven_core::backup::ErasureLog::open(&erased_log_path(data))?;
    db.erasure_log = Some(Arc::new(erased));
    db.migrate()
        .await
        .map_err(|e| anyhow::anyhow!("migrations failed: {e:#}"))?;
    Ok(Ctx {
        db,
        keys: Arc::new(keys),
        clock,
        outbox: None,
    })
}

/// How often a running server erases the persons whose retention time is up.
pub const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Runs the retention sweep (`haven_core::retention`) at once and then every `every`, for
/// as long as the process runs, with the audit log's archival when `audit` is configured.
/// A failed sweep is logged and tried again at the next turn.
pub fn start_retention(
    ctx: Ctx,
    every: std::time::Duration,
    audit: Option<haven_core::audit_archive::Archival>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sweep_turn(&ctx, audit.as_ref()).await {
                // Another server on the same database is sweeping.
                Ok(None) => {}
                Ok(Some(r)) => {
                    if r.total() > 0 {
                        tracing::info!(
                            "retention: erased {} persons and contacts whose time was up",
                            r.total()
                        )
                    }
                    if r.audit_events > 0 {
                        tracing::info!("retention: archived {} audit events", r.audit_events)
                    }
                }
                Err(e) => tracing::warn!("retention sweep failed, next try in {every:?}: {e:#}"),
            }
        }
    })
}

/// One turn of the running server's retention sweep; `None` when another server on the
/// same PostgreSQL database is sweeping at this moment, so a sweep runs once, not once per
/// server.
pub async fn sweep_turn(
    ctx: &Ctx,
    audit: Option<&haven_core::audit_archive::Archival>,
) -> haven_core::Result<Option<haven_core::retention::Report>> {
    ctx.db
        .once_in_cluster(
            haven_core::db::Job::RetentionSweep,
            haven_core::retention::sweep_with_audit(ctx, false, audit),
        )
        .await
}

/// Creates the data directory, if missing, readable by its owner only (0700): it holds the
/// key file and, on SQLite, the database.
pub fn create_data_dir(data: &Path) -> anyhow::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(data)
        .with_context(|| format!("cannot create the data directory {}", data.display()))
}

/// Refuses a key file that other users may read or write: whoever reads it can read every
/// sealed field. The message says how to fix it.
pub fn check_key_file(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                anyhow::bail!(
                    "the key file {} can be read or changed by other users (mode {mode:o}); \
                     make it readable by its owner only: chmod 600 {}",
                    path.display(),
                    path.display()
                );
            }
        }
    }
    Ok(())
}

/// Creates a key file unless one exists; returns whether it created one.
pub fn ensure_keys(data: &Path) -> anyhow::Result<bool> {
    create_data_dir(data)?;
    let path = key_path(data);
    if path.exists() {
        return Ok(false);
    }
    Keyring::generate()
        .save(&path)
        .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    Ok(true)
}
