//! Online key rotation for `scripts/bench-rotation`: how many wrapped keys per second
//! `haven keys rotate` re-wraps (`haven_core::rotation::rewrap`, batches of 500) while
//! readers read persons through the core's audited read (`people::get`, the use case behind
//! `GET /api/v1/persons/{id}`), against a ceiling measured in the same run on the same rows:
//! a plain batched `UPDATE persons SET data_key = …` of the same values, no reads, no
//! crypto.
//!
//!   cargo run --release -p haven --example bench_rotation -- \
//!       --url 'sqlite:///tmp/rot/haven.db?mode=rwc' --data /tmp/rot --persons 5000 --readers 4
//!
//! Needs an empty database (it registers the persons). Every read during the rotation must
//! answer the person's own name; a failed or wrong read is counted and makes it exit 1.
//! Prints one line of `key=value` pairs.

use haven_core::ids::{PersonId, UserId};
use haven_core::people::{self, PersonInput};
use haven_core::{orgs, rotation, Actor, Role};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

struct Opts {
    url: String,
    data: std::path::PathBuf,
    persons: usize,
    readers: usize,
}

fn parse_args() -> anyhow::Result<Opts> {
    let mut o = Opts {
        url: String::new(),
        data: std::path::PathBuf::new(),
        persons: 5000,
        readers: 4,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{a} needs a value"))
        };
        match a.as_str() {
            "--url" => o.url = val()?,
            "--data" => o.data = val()?.into(),
            "--persons" => o.persons = val()?.parse()?,
            "--readers" => o.readers = val()?.parse()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    anyhow::ensure!(
        !o.url.is_empty() && !o.data.as_os_str().is_empty(),
        "--url and --data are required"
    );
    Ok(o)
}

#[derive(sqlx::FromRow)]
struct Wrapped {
    id: String,
    data_key: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = parse_args()?;
    haven::ensure_keys(&o.data)?;
    let ctx = haven::open(&o.data, Some(&o.url)).await?;
    let sys = Actor::system();
    let org = orgs::create(
        &ctx,
        &sys,
        &orgs::OrgInput {
            name: format!("Bench {}", uuid::Uuid::new_v4()),
            kind: "ngo".into(),
            active: true,
            retention_months: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let actor = Actor::staff(UserId::new(), org.id, vec![Role::CaseManager]);
    let mut ids: Vec<(PersonId, String)> = Vec::with_capacity(o.persons);
    for i in 0..o.persons {
        let name = format!("Bench Person {i}");
        let input = PersonInput {
            name: Some(name.clone()),
            ..Default::default()
        };
        let p = people::register(&ctx, &actor, &input)
            .await
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
        ids.push((p.id, name));
    }

    // The ceiling: the same rows, the same batch size, a plain UPDATE of each value.
    let rows: Vec<Wrapped> = sqlx::query_as("SELECT id, data_key FROM persons ORDER BY id")
        .fetch_all(&ctx.db.pool)
        .await?;
    let t0 = Instant::now();
    for chunk in rows.chunks(500) {
        let mut tx = ctx.db.pool.begin().await?;
        for r in chunk {
            sqlx::query("UPDATE persons SET data_key = $1 WHERE id = $2 AND data_key = $3")
                .bind(&r.data_key)
                .bind(&r.id)
                .bind(&r.data_key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    let raw_s = t0.elapsed().as_secs_f64();

    // A new KEK, as `haven keys rotate` adds it; the open keyring follows the file.
    let path = haven::key_path(&o.data);
    let mut ring =
        haven_core::crypto::Keyring::load(&path).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    ring.add_kek();
    ring.save(&path).map_err(|e| anyhow::anyhow!("{e:#}"))?;

    let ids = Arc::new(ids);
    let stop = Arc::new(AtomicBool::new(false));
    let (reads, bad) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut tasks = Vec::new();
    for r in 0..o.readers {
        let (ctx, actor, ids) = (ctx.clone(), actor.clone(), ids.clone());
        let (stop, reads, bad) = (stop.clone(), reads.clone(), bad.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = r * 7919;
            while !stop.load(Ordering::Relaxed) {
                let (id, name) = &ids[i % ids.len()];
                match people::get(&ctx, &actor, *id).await {
                    Ok(p) if p.data.name.as_deref() == Some(name) => {}
                    _ => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
                reads.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        }));
    }
    let t0 = Instant::now();
    let done = rotation::rewrap(&ctx, &rotation::Options::default(), &mut |_| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let rot_s = t0.elapsed().as_secs_f64();
    let reads_during = reads.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await?;
    }
    let persons_done = rotation::status(&ctx)
        .await
        .map_err(|e| anyhow::anyhow!("{e:#}"))?[0]
        .by_kek
        .get(&ctx.keys.active_kek_id())
        .copied()
        .unwrap_or(0);
    let rate = done.rewrapped as f64 / rot_s;
    let ceiling = rows.len() as f64 / raw_s;
    println!(
        "backend={:?} persons={} rewrapped={} persons_on_new_kek={persons_done} rotate_s={rot_s:.3} \
         rewrap_per_s={rate:.0} raw_update_s={raw_s:.3} raw_update_per_s={ceiling:.0} \
         ratio={:.2} readers={} reads_during={reads_during} reads_per_s={:.0} bad_reads={}",
        ctx.db.backend,
        o.persons,
        done.rewrapped,
        rate / ceiling,
        o.readers,
        reads_during as f64 / rot_s,
        bad.load(Ordering::Relaxed),
    );
    if bad.load(Ordering::Relaxed) > 0 || persons_done != o.persons as i64 {
        std::process::exit(1);
    }
    Ok(())
}
