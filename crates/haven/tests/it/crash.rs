//! A server killed at any moment (`kill -9`) loses no write it acknowledged and leaves none
//! half-applied: the `haven` binary serves concurrent writers of two kinds (registering a
//! person, changing one), is killed at a random moment, restarted, and checked, several
//! rounds in a row; at the end the database's integrity check and the audit chain pass.

use crate::helpers::*;
use serde_json::json;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: usize = 6;
const WRITERS: usize = 6;

/// What the killed servers acknowledged: persons registered, and the version each change
/// of a person answered with.
#[derive(Default)]
struct Acknowledged {
    registered: Vec<String>,
    versions: HashMap<String, i64>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `haven serve` on this app's data and database, and waits until it answers.
async fn serve(app: &TestApp, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .arg("--data")
        .arg(&app.data)
        .arg("--database-url")
        .arg(&app.db_url)
        .env("HAVEN_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start haven serve");
    let url = format!("http://127.0.0.1:{port}/healthz");
    for _ in 0..200 {
        if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("haven serve did not start");
}

/// One writer: registers a person, then changes them, until the server stops answering.
async fn write(base: String, token: String, w: usize, acked: Arc<Mutex<Acknowledged>>) {
    let client = TestApp::client();
    for i in 0.. {
        let r = client
            .post(format!("{base}/api/v1/persons"))
            .bearer_auth(&token)
            .json(&json!({"name": format!("Crash {w} {i}"), "notes": "before"}))
            .send()
            .await;
        let Ok(r) = r else { return };
        if r.status() != 201 {
            return;
        }
        let Ok(v) = r.json::<serde_json::Value>().await else {
            return;
        };
        let id = v["id"].as_str().expect("id").to_owned();
        acked.lock().unwrap().registered.push(id.clone());
        let r = client
            .put(format!("{base}/api/v1/persons/{id}"))
            .bearer_auth(&token)
            .json(&json!({"name": format!("Crash {w} {i} changed"), "notes": "after"}))
            .send()
            .await;
        let Ok(r) = r else { return };
        if r.status() != 200 {
            return;
        }
        let Ok(v) = r.json::<serde_json::Value>().await else {
            return;
        };
        let version = v["version"].as_i64().expect("version");
        acked.lock().unwrap().versions.insert(id, version);
    }
}

#[tokio::test]
async fn a_server_killed_at_random_moments_loses_no_acknowledged_write() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let token = app.token(&u).await;
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    for round in 0..ROUNDS {
        let port = free_port();
        let mut server = serve(&app, port).await;
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let base = format!("http://127.0.0.1:{port}");
                tokio::spawn(write(base, token.clone(), w, acked.clone()))
            })
            .collect();
        // A moment that varies from round to round, while every writer is busy.
        let at = 150 + (uuid::Uuid::new_v4().as_u128() % 500) as u64;
        tokio::time::sleep(Duration::from_millis(at)).await;
        server.kill().expect("kill -9"); // SIGKILL: no shutdown of any kind
        server.wait().expect("reap");
        for w in writers {
            w.await.expect("writer");
        }
        assert!(
            !acked.lock().unwrap().registered.is_empty(),
            "round {round}: nothing was written"
        );
    }
    // What a restarted server reads: every acknowledged write, nothing half-applied.
    let mut server = serve(&app, free_port()).await;
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    eprintln!(
        "{ROUNDS} kills: {} registrations and {} changes acknowledged",
        acked.registered.len(),
        acked.versions.len()
    );
    for id in &acked.registered {
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM persons WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&app.ctx.db.pool)
            .await
            .unwrap();
        let version = version.unwrap_or_else(|| panic!("acknowledged person {id} is lost"));
        if let Some(v) = acked.versions.get(id) {
            assert!(version >= *v, "the acknowledged change of {id} is lost");
        }
    }
    // Each person registered has its audit event, and no event names a person who is not
    // there: the work and its event commit together.
    let persons = app.count("persons").await;
    let events = app.audit_count("person.register").await;
    assert_eq!(persons, events, "a registration is half-applied");
    if !app.is_postgres() {
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&app.ctx.db.pool)
            .await
            .unwrap();
        assert_eq!(ok, "ok");
    }
    server.kill().expect("stop the server");
    server.wait().expect("reap");
    let out = app.haven(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "the audit chain does not verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
