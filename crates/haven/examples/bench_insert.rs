//! The raw database write ceiling for `scripts/bench`: how many one-row transactions per
//! second the database takes through the same pool Haven uses (`Db::connect`: the same
//! pool size, pragmas and timeouts), with as many concurrent writers as wrk has connections.
//!
//!   cargo run --release -p haven --example bench_insert -- \
//!       --url 'sqlite:///tmp/scratch.db?mode=rwc' --concurrency 16 --seconds 15 --mode insert
//!
//! Modes:
//! * `insert`: BEGIN; INSERT one row into a scratch table; COMMIT. The ceiling that
//!   registration is compared with.
//! * `serial`: BEGIN; UPDATE a single "head" row (locks it, as Haven's audit chain does with
//!   `audit_head`); INSERT one row; UPDATE the head again; COMMIT. The ceiling for any
//!   transaction that is serialised on one row, such as every audited read.
//!
//! The scratch tables (`bench_scratch_rows`, `bench_scratch_head`) are created on start and
//! dropped at the end. Never point this at a production database. Prints one line of
//! `key=value` pairs.

use haven_core::db::Db;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Opts {
    url: String,
    concurrency: usize,
    seconds: u64,
    mode: String,
}

fn parse_args() -> anyhow::Result<Opts> {
    let mut o = Opts {
        url: String::new(),
        concurrency: 16,
        seconds: 15,
        mode: "insert".to_owned(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{a} needs a value"))
        };
        match a.as_str() {
            "--url" => o.url = val()?,
            "--concurrency" => o.concurrency = val()?.parse()?,
            "--seconds" => o.seconds = val()?.parse()?,
            "--mode" => o.mode = val()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    anyhow::ensure!(!o.url.is_empty(), "--url is required");
    anyhow::ensure!(
        o.mode == "insert" || o.mode == "serial",
        "--mode is insert or serial"
    );
    Ok(o)
}

const PAYLOAD_LEN: usize = 600; // about the size of a sealed person row

async fn one(db: &Db, serial: bool, id: &str, payload: &str, now: i64) -> anyhow::Result<()> {
    let mut tx = db.pool.begin().await?;
    if serial {
        let _seq: i64 = sqlx::query_scalar(
            "UPDATE bench_scratch_head SET seq = seq WHERE id = 1 RETURNING seq",
        )
        .fetch_one(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO bench_scratch_rows (id, payload, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(payload)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if serial {
        sqlx::query("UPDATE bench_scratch_head SET seq = seq + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = parse_args()?;
    let db = Db::connect(&o.url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect: {e:?}"))?;
    for stmt in [
        "DROP TABLE IF EXISTS bench_scratch_rows",
        "DROP TABLE IF EXISTS bench_scratch_head",
        "CREATE TABLE bench_scratch_rows (id TEXT PRIMARY KEY, payload TEXT NOT NULL, \
         created_at BIGINT NOT NULL)",
        "CREATE TABLE bench_scratch_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL)",
        "INSERT INTO bench_scratch_head (id, seq) VALUES (1, 0)",
    ] {
        sqlx::query(stmt).execute(&db.pool).await?;
    }
    let serial = o.mode == "serial";
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..o.concurrency {
        let db = db.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let payload: String = "x".repeat(PAYLOAD_LEN);
            let mut lat_us: Vec<u32> = Vec::new();
            let mut errors = 0u64;
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let id = format!("{w}-{i}-{}", uuid::Uuid::new_v4());
                let t0 = Instant::now();
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                match one(&db, serial, &id, &payload, now).await {
                    Ok(()) => lat_us.push(t0.elapsed().as_micros().min(u32::MAX as u128) as u32),
                    Err(e) => {
                        errors += 1;
                        if errors <= 3 {
                            eprintln!("bench_insert: error: {e:#}");
                        }
                    }
                }
            }
            (lat_us, errors)
        }));
    }
    tokio::time::sleep(Duration::from_secs(o.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return 0.0;
        }
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        f64::from(all[i]) / 1000.0
    };
    println!(
        "mode={} backend={:?} concurrency={} seconds={:.1} ok={} errors={} per_s={:.0} p50_ms={:.2} p99_ms={:.2}",
        o.mode,
        db.backend,
        o.concurrency,
        elapsed,
        all.len(),
        errors,
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
    );
    for stmt in [
        "DROP TABLE IF EXISTS bench_scratch_rows",
        "DROP TABLE IF EXISTS bench_scratch_head",
    ] {
        sqlx::query(stmt).execute(&db.pool).await?;
    }
    db.pool.close().await;
    Ok(())
}
