//! One device syncing a queue of outreach contacts, and the app's transfer size.
//!
//!   cargo run --release -p haven --example bench_outreach -- [--contacts 10000] [--batch 500] \
//!       [--url postgres://…]   (default: SQLite in a temporary directory)
//!
//! Starts Haven in-process on a free port with fresh keys and database, makes an outreach
//! worker and a session, and sends `--contacts` realistic contacts (one or two people each,
//! with aliases, topics, a migration project, a referral and a follow-up) to
//! `POST /api/v1/outreach/sync` in batches of `--batch`, one request after the other as one
//! device would. Then, in the same database, the raw ceiling for the same shape: the same
//! number of rows of the same size inserted in transactions of `--batch` rows each, without
//! Haven. It also measures the app's first load (shell, scripts, styles, manifest, icon and
//! the session and configuration calls, compressed as served) and a cached load (only the
//! shell and the two API calls go over the network; the service worker has the rest).
//! Both loads also fetch show mode's information cards, as the app does whenever it starts
//! online: the list of languages and each language's cards (the demo's published content
//! in English, French, Arabic and Tigrinya is seeded for this). Prints `key=value` lines.

use haven_core::users::{self, NewUser, Stage};
use haven_core::{orgs, Actor, SystemClock};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == name {
            return args.next();
        }
    }
    None
}

fn contact(i: usize, now: i64, target: &str) -> Value {
    let aliases = [
        "Yonas", "Abdi", "Mariam", "Kofi", "Ionut", "Samir", "Hawa", "Tesfay",
    ];
    let areas = [
        "central_station",
        "city_park",
        "day_centre",
        "harbour",
        "camp",
    ];
    json!({
        "contact_at": now - (i as i64 % 5000) * 60,
        "area": areas[i % 5],
        "people_count": 1 + i % 3,
        "activities": ["contacted", "informed", "referred"],
        "persons": [{
            "alias": format!("{} {}", aliases[i % aliases.len()], i % 97),
            "age_band": "26_35",
            "gender": "male",
            "origin": "Eritrea",
            "language": "Tigrinya",
            "situations": ["sleeping_rough", "transit_uk"],
            "needs": ["shelter", "health"],
            "topics": ["asylum", "dublin", "voluntary_return"],
            "project": "Wants to reach his cousin in Birmingham; considering asylum here instead",
            "decision": "exploring",
            "referrals": [{"kind": "organisation", "id": target}],
        }],
        "followup_at": now + 3 * 86_400,
        "followup_place": "At the kiosk behind the station",
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = arg("--contacts")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let batch: usize = arg("--batch")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(500);
    let data = std::env::temp_dir().join(format!("haven-bench-outreach-{}", std::process::id()));
    std::fs::create_dir_all(&data)?;
    haven::ensure_keys(&data)?;
    let url = arg("--url");
    let ctx = haven::open_with_clock(&data, url.as_deref(), Arc::new(SystemClock)).await?;
    let system = Actor::system();
    let org = orgs::create(
        &ctx,
        &system,
        &orgs::OrgInput {
            name: "Bench Outreach".into(),
            kind: "ngo".into(),
            active: true,
            retention_months: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let target = orgs::create(
        &ctx,
        &system,
        &orgs::OrgInput {
            name: "Bench Legal Aid".into(),
            kind: "legal_aid".into(),
            active: true,
            retention_months: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?
    .id
    .to_string();
    let user = users::create(
        &ctx,
        &system,
        &NewUser {
            username: "bench-outreach".into(),
            display_name: "Bench Worker".into(),
            org_id: org.id.to_string(),
            roles: vec!["outreach_worker".into()],
            password: "bench password 123".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let token = users::start_session(&ctx, user.id, Stage::Full, "api")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let web = users::start_session(&ctx, user.id, Stage::Full, "web")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Show mode's cards: the public site's demo content, published.
    haven::demo_content::seed(&ctx).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = haven_web::AppState::new(ctx.clone(), haven_web::WebConfig::default())?;
    tokio::spawn(async move {
        let _ = haven_web::serve(listener, state, std::future::pending()).await;
    });
    let client = reqwest::Client::new();

    // The app's transfer size, compressed as served (reqwest here does not decompress).
    let mut first = 0usize;
    let mut cached = 0usize;
    let mut cards = 0usize;
    let mut cards_ar = (0usize, String::new());
    for (path, is_cached) in [
        ("/outreach/", true),
        ("/outreach/app.js", false),
        ("/outreach/store.js", false),
        ("/outreach/sw.js", false),
        ("/outreach/outreach.css", false),
        ("/outreach/manifest.webmanifest", false),
        ("/outreach/icon.svg", false),
        ("/api/v1/outreach/session", true),
        ("/api/v1/outreach/config", true),
        ("/api/v1/outreach/cards", true),
        ("/api/v1/outreach/cards?lang=en", true),
        ("/api/v1/outreach/cards?lang=fr", true),
        ("/api/v1/outreach/cards?lang=ar", true),
        ("/api/v1/outreach/cards?lang=ti", true),
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .header("accept-encoding", "br, gzip")
            .header("cookie", format!("{}={web}", haven_web::auth::COOKIE))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
        let encoding = r
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap_or("?").to_owned());
        let len = r.bytes().await?.len();
        if path.starts_with("/api/v1/outreach/cards") {
            cards += len;
        }
        if path == "/api/v1/outreach/cards?lang=ar" {
            cards_ar = (len, encoding.unwrap_or_else(|| "identity".into()));
        }
        first += len;
        if is_cached {
            cached += len;
        }
    }

    // The Arabic cards alone, uncompressed and with gzip only.
    let mut cards_ar_by = Vec::new();
    for encoding in ["identity", "gzip"] {
        let r = client
            .get(format!("{base}/api/v1/outreach/cards?lang=ar"))
            .header("accept-encoding", encoding)
            .header("cookie", format!("{}={web}", haven_web::auth::COOKIE))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "cards: {}", r.status());
        cards_ar_by.push(format!(
            "cards_ar_{encoding}_bytes={}",
            r.bytes().await?.len()
        ));
    }

    // One device, one request after the other.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let records: Vec<Value> = (0..n)
        .map(|i| json!({"id": uuid::Uuid::now_v7().to_string(), "contact": contact(i, now, &target)}))
        .collect();
    let started = Instant::now();
    for chunk in records.chunks(batch) {
        let r: Value = client
            .post(format!("{base}/api/v1/outreach/sync"))
            .bearer_auth(&token)
            .json(&json!({ "records": chunk }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let stored = r["results"]
            .as_array()
            .map(|a| a.iter().filter(|x| x["status"] == "stored").count())
            .unwrap_or(0);
        anyhow::ensure!(stored == chunk.len(), "not all stored: {r}");
    }
    let sync_secs = started.elapsed().as_secs_f64();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outreach_contacts")
        .fetch_one(&ctx.db.pool)
        .await?;
    anyhow::ensure!(rows as usize == n, "{rows} rows for {n} contacts");
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'outreach.contact.sync'",
    )
    .fetch_one(&ctx.db.pool)
    .await?;

    // The raw ceiling in the same database: rows of the same size, `batch` per transaction.
    sqlx::query("CREATE TABLE bench_outreach_raw (id TEXT PRIMARY KEY, payload TEXT NOT NULL)")
        .execute(&ctx.db.pool)
        .await?;
    let payload = "x".repeat(900);
    let started = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(batch) {
        let mut tx = ctx.db.pool.begin().await?;
        for _ in chunk {
            sqlx::query("INSERT INTO bench_outreach_raw (id, payload) VALUES ($1, $2)")
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(&payload)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    let raw_secs = started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_outreach_raw")
        .execute(&ctx.db.pool)
        .await?;
    let _ = std::fs::remove_dir_all(&data);

    println!("backend={:?}", ctx.db.backend);
    println!("contacts={n} batch={batch} audit_events={events}");
    println!(
        "sync_seconds={sync_secs:.2} sync_per_second={:.0}",
        n as f64 / sync_secs
    );
    println!(
        "raw_insert_seconds={raw_secs:.2} raw_per_second={:.0}",
        n as f64 / raw_secs
    );
    println!("ratio_to_raw={:.2}", raw_secs / sync_secs);
    println!("first_load_bytes={first} cached_load_bytes={cached}");
    println!(
        "cards_bytes={cards} cards_ar_bytes={} cards_ar_encoding={}",
        cards_ar.0, cards_ar.1
    );
    println!("{}", cards_ar_by.join(" "));
    Ok(())
}
