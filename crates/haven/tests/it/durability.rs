//! A storage that fails never costs an acknowledged write: when the disk is full or a
//! commit fails, Haven answers 503 and saves nothing, every write it acknowledged (201) is
//! there after a restart, and it serves again by itself once the storage recovers.

use crate::helpers::*;
use haven_core::db::Db;
use haven_web::WebConfig;
use serde_json::json;
use std::path::Path;
use std::process::Command;

/// Writers at once, and persons each tries to register.
const WRITERS: usize = 8;
const EACH: usize = 30;

/// The outcome of many concurrent registrations: the ids acknowledged with 201 and the
/// number of 503 answers. Any other status fails the test.
struct Outcome {
    acknowledged: Vec<String>,
    unavailable: usize,
}

async fn register_many(app: &TestApp, token: &str, label: &str) -> Outcome {
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (addr, token, label) = (app.addr.clone(), token.to_owned(), label.to_owned());
        tasks.push(tokio::spawn(async move {
            let client = TestApp::client();
            let mut out = Vec::new();
            for i in 0..EACH {
                let r = client
                    .post(format!("{addr}/api/v1/persons"))
                    .bearer_auth(&token)
                    .json(&json!({
                        "name": format!("Durability {label} {w} {i}"),
                        "notes": "x".repeat(400),
                    }))
                    .send()
                    .await
                    .expect("request");
                let status = r.status().as_u16();
                let retry = r.headers().get("retry-after").is_some();
                let text = r.text().await.expect("body");
                let v: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|_| panic!("{status} is not a JSON answer: {text}"));
                out.push((status, retry, v));
            }
            out
        }));
    }
    let mut outcome = Outcome {
        acknowledged: Vec::new(),
        unavailable: 0,
    };
    for t in tasks {
        for (status, retry, v) in t.await.expect("writer") {
            match status {
                201 => outcome
                    .acknowledged
                    .push(v["id"].as_str().expect("id").to_owned()),
                503 => {
                    assert!(retry, "a 503 says when to retry: {v}");
                    assert_eq!(v["error"], "err-unavailable", "{v}");
                    assert!(
                        v["message"]
                            .as_str()
                            .unwrap_or("")
                            .contains("Nothing was saved"),
                        "{v}"
                    );
                    outcome.unavailable += 1;
                }
                s => panic!("a failing storage answered {s}, not 201 or 503: {v}"),
            }
        }
    }
    outcome
}

/// Every acknowledged person is in the database as a new connection sees it (what a
/// restarted server reads), and no registration that was refused left a person behind.
async fn assert_all_saved(url: &str, acknowledged: &[String], label: &str) {
    let db = Db::connect(url).await.expect("reopen the database");
    let mut missing = Vec::new();
    for id in acknowledged {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE id = $1")
            .bind(id.as_str())
            .fetch_one(&db.pool)
            .await
            .expect("count");
        if n != 1 {
            missing.push(id.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes are lost ({label})",
        missing.len(),
        acknowledged.len()
    );
    let integrity: String = if db.backend == haven_core::db::Backend::Sqlite {
        sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&db.pool)
            .await
            .expect("integrity check")
    } else {
        "ok".to_owned()
    };
    assert_eq!(integrity, "ok");
    db.pool.close().await;
}

/// Sets SQLite's `max_page_count` on every connection of the pool, a little above what
/// the database holds now, so the next writes find the database full. A connection Haven
/// replaces after a failure does not have the limit, which is how space "returns".
async fn fill_sqlite(app: &TestApp, spare_pages: i64) {
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    let mut held = Vec::new();
    for _ in 0..app.ctx.db.pool.options().get_max_connections() {
        let mut c = app.ctx.db.pool.acquire().await.unwrap();
        sqlx::query(&format!("PRAGMA max_page_count = {}", pages + spare_pages))
            .execute(&mut *c)
            .await
            .unwrap();
        held.push(c);
    }
}

#[tokio::test]
async fn a_full_sqlite_database_answers_503_and_loses_no_acknowledged_write() {
    let app = TestApp::spawn().await;
    if app.is_postgres() {
        return; // The PostgreSQL form of this test fails the commit instead.
    }
    let u = app.user("Org A", &["case_manager"]).await;
    let token = app.token(&u).await;
    fill_sqlite(&app, 24).await;
    let first = register_many(&app, &token, "full").await;
    assert!(first.unavailable > 0, "the database never filled up");
    // Every connection that failed was replaced: the service is back without a restart.
    let after = register_many(&app, &token, "after").await;
    assert_eq!(after.unavailable, 0, "service did not resume");
    app.ctx.db.pool.close().await;
    let all: Vec<String> = first
        .acknowledged
        .into_iter()
        .chain(after.acknowledged)
        .collect();
    assert_all_saved(&app.db_url, &all, "max_page_count").await;
}

/// Mounts a tmpfs of `size` at `dir` (or resizes it); false where this test may not mount.
fn mount_tmpfs(dir: &Path, size: &str, remount: bool) -> bool {
    let opts = if remount {
        format!("remount,size={size}")
    } else {
        format!("size={size},mode=0700")
    };
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &opts, "tmpfs"])
        .arg(dir)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The kilobytes in use on the file system at `dir`.
fn used_kib(dir: &Path) -> u64 {
    let out = Command::new("df")
        .args(["--output=used", "-k"])
        .arg(dir)
        .output()
        .expect("df");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .expect("df's figure")
}

#[tokio::test]
async fn a_full_file_system_answers_503_loses_nothing_and_recovers_when_space_returns() {
    if backend() == "postgres" {
        return; // PostgreSQL's files are the server's; see the commit-failure test.
    }
    let dir = std::env::temp_dir().join(format!("haven-full-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    if !mount_tmpfs(&dir, "64m", false) {
        eprintln!("cannot mount a tmpfs here (not root?): the max_page_count test covers this");
        return;
    }
    let data = dir.join("data");
    let app = TestApp::spawn_in(data, WebConfig::default(), None).await;
    let u = app.user("Org A", &["case_manager"]).await;
    let token = app.token(&u).await;
    // Leave room for a few dozen persons, then fill it.
    let size = format!("{}k", used_kib(&dir) + 160);
    assert!(mount_tmpfs(&dir, &size, true), "shrink the tmpfs");
    let full = register_many(&app, &token, "full").await;
    assert!(full.unavailable > 0, "the file system never filled up");
    assert!(mount_tmpfs(&dir, "64m", true), "give the space back");
    let after = register_many(&app, &token, "after").await;
    assert_eq!(
        after.unavailable, 0,
        "service did not resume when space returned"
    );
    app.ctx.db.pool.close().await;
    let all: Vec<String> = full
        .acknowledged
        .into_iter()
        .chain(after.acknowledged)
        .collect();
    assert_all_saved(&app.db_url, &all, "full file system").await;
    drop(app);
    let _ = Command::new("umount").args(["-l"]).arg(&dir).status();
}

#[tokio::test]
async fn a_failed_commit_on_postgresql_answers_503_and_saves_nothing() {
    let app = TestApp::spawn().await;
    if !app.is_postgres() {
        return; // SQLite's commit failures are the full-disk tests above.
    }
    let u = app.user("Org A", &["case_manager"]).await;
    let token = app.token(&u).await;
    // A deferred constraint trigger fails every commit that registers a person while the
    // switch is on: the statements succeed, only the COMMIT fails, as with a full disk.
    for sql in [
        "CREATE TABLE fail_commits (on_ BIGINT NOT NULL)",
        "CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF EXISTS (SELECT 1 FROM fail_commits WHERE on_ = 1) THEN \
         RAISE EXCEPTION 'commit refused'; END IF; RETURN NULL; END $$",
        "CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON persons \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_commit()",
        "INSERT INTO fail_commits VALUES (1)",
    ] {
        sqlx::query(sql).execute(&app.ctx.db.pool).await.unwrap();
    }
    let before = app.count("persons").await;
    let failing = register_many(&app, &token, "refused").await;
    assert!(
        failing.acknowledged.is_empty(),
        "a failed commit was acknowledged"
    );
    assert_eq!(failing.unavailable, WRITERS * EACH);
    assert_eq!(
        app.count("persons").await,
        before,
        "a refused commit left a person"
    );
    sqlx::query("UPDATE fail_commits SET on_ = 0")
        .execute(&app.ctx.db.pool)
        .await
        .unwrap();
    let after = register_many(&app, &token, "after").await;
    assert_eq!(after.unavailable, 0, "service did not resume");
    assert_all_saved(&app.db_url, &after.acknowledged, "commit failure").await;
}
