//! A server killed at any moment (`kill -9`) loses no write it acknowledged and leaves none
//! half-applied: the `haven` binary serves concurrent writers of four kinds (registering
//! and changing persons, adding case notes, syncing outreach contacts, admitting to and
//! discharging from a shelter place), is killed at a random moment, restarted, and checked,
//! several rounds in a row; at the end every kind's rows match its audit events, the
//! database's integrity check passes and the audit chain verifies.

use crate::helpers::*;
use crate::shelters::{case, world};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ROUNDS: usize = 6;
/// Two writers of each kind.
const WRITERS: usize = 8;

/// What the killed servers acknowledged.
#[derive(Default)]
struct Acknowledged {
    /// Persons registered, and the version each change of a person answered with.
    registered: Vec<String>,
    versions: HashMap<String, i64>,
    /// Case notes acknowledged, per case.
    notes: HashMap<String, i64>,
    /// Outreach contacts stored.
    contacts: Vec<String>,
    /// Placements admitted, and those discharged.
    admitted: Vec<String>,
    discharged: Vec<String>,
}

/// What each writer works on: tokens of the three roles, a case per notes writer, a case
/// and a place per shelter writer.
#[derive(Clone)]
struct Desk {
    cm: String,
    worker: String,
    coord: String,
    note_cases: Vec<String>,
    stays: Vec<(String, String)>,
}

/// A POST or PUT answered with `status`: its body; `None` once the server stops answering.
async fn send(
    req: reqwest::RequestBuilder,
    token: &str,
    body: Value,
    status: u16,
) -> Option<Value> {
    let r = req.bearer_auth(token).json(&body).send().await.ok()?;
    if r.status() != status {
        return None;
    }
    r.json::<Value>().await.ok()
}

/// One writer, of the kind its number says, until the server stops answering.
async fn write(base: String, desk: Desk, w: usize, acked: Arc<Mutex<Acknowledged>>) {
    let client = TestApp::client();
    let url = |p: &str| format!("{base}{p}");
    for i in 0.. {
        match w % 4 {
            0 => {
                let body = json!({"name": format!("Crash {w} {i}"), "notes": "before"});
                let Some(v) = send(client.post(url("/api/v1/persons")), &desk.cm, body, 201).await
                else {
                    return;
                };
                let id = v["id"].as_str().expect("id").to_owned();
                acked.lock().unwrap().registered.push(id.clone());
                let body = json!({"name": format!("Crash {w} {i} changed"), "notes": "after"});
                let put = client.put(url(&format!("/api/v1/persons/{id}")));
                let Some(v) = send(put, &desk.cm, body, 200).await else {
                    return;
                };
                let version = v["version"].as_i64().expect("version");
                acked.lock().unwrap().versions.insert(id, version);
            }
            1 => {
                let case = &desk.note_cases[w / 4];
                let post = client.post(url(&format!("/api/v1/cases/{case}/notes")));
                let body = json!({"text": format!("Note {i} of writer {w}")});
                if send(post, &desk.cm, body, 201).await.is_none() {
                    return;
                }
                *acked.lock().unwrap().notes.entry(case.clone()).or_default() += 1;
            }
            2 => {
                let id = uuid::Uuid::now_v7().to_string();
                let put = client.put(url(&format!("/api/v1/outreach/contacts/{id}")));
                let body = json!({"base_version": 0, "contact": {
                    "contact_at": time::OffsetDateTime::now_utc().unix_timestamp() - 60,
                    "area": "city_park", "people_count": 1, "activities": ["contacted"],
                    "persons": [{"alias": format!("Crash {w} {i}"), "needs": ["shelter"]}],
                }});
                if send(put, &desk.worker, body, 200).await.is_none() {
                    return;
                }
                acked.lock().unwrap().contacts.push(id);
            }
            _ => {
                let (case, place) = &desk.stays[w / 4];
                let body = json!({"case_id": case, "place_id": place});
                let post = client.post(url("/api/v1/shelters/placements"));
                let Some(v) = send(post, &desk.coord, body, 201).await else {
                    return;
                };
                let id = v["id"].as_str().expect("id").to_owned();
                acked.lock().unwrap().admitted.push(id.clone());
                let post = client.post(url(&format!("/api/v1/shelters/placements/{id}/discharge")));
                if send(post, &desk.coord, json!({"reason": "left"}), 200)
                    .await
                    .is_none()
                {
                    return;
                }
                acked.lock().unwrap().discharged.push(id);
            }
        }
    }
}

/// Ends a stay that a killed server committed without answering, so that the next round's
/// admission of the same case is not refused.
async fn end_open_stays(app: &TestApp, desk: &Desk) {
    let token = &desk.coord;
    for (case, _) in &desk.stays {
        let open: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM placements WHERE case_id = $1 AND discharged_on IS NULL",
        )
        .bind(case.as_str())
        .fetch_all(&app.ctx.db.pool)
        .await
        .unwrap();
        for id in open {
            let path = format!("/api/v1/shelters/placements/{id}/discharge");
            let (status, v) = app.post(token, &path, json!({"reason": "left"})).await;
            assert_eq!(status, 200, "{v}");
        }
    }
}

/// The app, its users and what each writer works on: a shelter organisation's world with a
/// place per shelter writer, a case manager with a case per notes writer, an outreach worker.
async fn desk() -> (TestApp, Desk) {
    let writers_of_a_kind = WRITERS / 4;
    let w = world(writers_of_a_kind as i64, None).await;
    let mut stays = Vec::new();
    for (n, place) in w.places.iter().enumerate() {
        stays.push((case(&w, &format!("Stay {n}"), None).await, place.clone()));
    }
    let coord = w.token.clone();
    let app = w.app;
    let (cm_user, cm) = app.staff("Crash Casework", &["case_manager"]).await;
    let prog = crate::cases::programme(&app, "Crash programme", 500, &["regularised"]).await;
    let mut note_cases = Vec::new();
    for n in 0..writers_of_a_kind {
        let person = crate::cases::person(&app, &cm_user, &format!("Noted {n}")).await;
        note_cases.push(crate::cases::open_case(&app, &cm, &person, &prog, json!({})).await);
    }
    let (_, worker) = app.staff("Crash Outreach", &["outreach_worker"]).await;
    let desk = Desk {
        cm,
        worker,
        coord,
        note_cases,
        stays,
    };
    (app, desk)
}

#[tokio::test]
async fn a_server_killed_at_random_moments_loses_no_acknowledged_write() {
    let (app, desk) = desk().await;
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    for round in 0..ROUNDS {
        end_open_stays(&app, &desk).await;
        let (mut server, base) = app.serve("error", Stdio::null(), Stdio::null()).await;
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| tokio::spawn(write(base.clone(), desk.clone(), w, acked.clone())))
            .collect();
        // A moment that varies from round to round, while every writer is busy.
        let at = 150 + (uuid::Uuid::new_v4().as_u128() % 500) as u64;
        tokio::time::sleep(Duration::from_millis(at)).await;
        server.kill().expect("kill -9"); // SIGKILL: no shutdown of any kind
        server.wait().expect("reap");
        for w in writers {
            w.await.expect("writer");
        }
        let a = acked.lock().unwrap();
        assert!(
            !a.registered.is_empty() && !a.notes.is_empty() && !a.contacts.is_empty(),
            "round {round}: a kind of writer wrote nothing"
        );
    }
    // What a restarted server reads: every acknowledged write, nothing half-applied.
    let (mut server, _) = app.serve("error", Stdio::null(), Stdio::null()).await;
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    eprintln!(
        "{ROUNDS} kills acknowledged: {} registrations, {} changes, {} notes, {} contacts, \
         {} admissions, {} discharges",
        acked.registered.len(),
        acked.versions.len(),
        acked.notes.values().sum::<i64>(),
        acked.contacts.len(),
        acked.admitted.len(),
        acked.discharged.len(),
    );
    assert!(!acked.admitted.is_empty(), "no admission was acknowledged");
    let db = &app.ctx.db.pool;
    for id in &acked.registered {
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM persons WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(db)
            .await
            .unwrap();
        let version = version.unwrap_or_else(|| panic!("acknowledged person {id} is lost"));
        if let Some(v) = acked.versions.get(id) {
            assert!(version >= *v, "the acknowledged change of {id} is lost");
        }
    }
    for (case, n) in &acked.notes {
        let stored: i64 = app
            .scalar("SELECT COUNT(*) FROM case_notes WHERE case_id = $1", case)
            .await;
        assert!(
            stored >= *n,
            "case {case}: {n} notes acknowledged, {stored} stored"
        );
    }
    for id in &acked.contacts {
        let n: i64 = app
            .scalar("SELECT COUNT(*) FROM outreach_contacts WHERE id = $1", id)
            .await;
        assert_eq!(n, 1, "acknowledged contact {id} is lost");
    }
    for id in &acked.admitted {
        let n: i64 = app
            .scalar("SELECT COUNT(*) FROM placements WHERE id = $1", id)
            .await;
        assert_eq!(n, 1, "acknowledged admission {id} is lost");
    }
    for id in &acked.discharged {
        let n: i64 = app
            .scalar(
                "SELECT COUNT(*) FROM placements WHERE id = $1 AND discharged_on IS NOT NULL",
                id,
            )
            .await;
        assert_eq!(n, 1, "acknowledged discharge of {id} is lost");
    }
    // Every row has its audit event and no event names a row that is not there: the work
    // and its event commit together. No place holds two stays at once.
    let pairs = [
        ("persons", "person.register"),
        ("case_notes", "case.note.add"),
        ("outreach_contacts", "outreach.contact.sync"),
        ("placements", "placement.admit"),
        (
            "placements WHERE discharged_on IS NOT NULL",
            "placement.discharge",
        ),
    ];
    for (rows, action) in pairs {
        assert_eq!(
            app.count(rows).await,
            app.audit_count(action).await,
            "{rows} and {action} differ: a write is half-applied"
        );
    }
    let doubled = app
        .count("(SELECT place_id FROM placements WHERE discharged_on IS NULL GROUP BY place_id HAVING COUNT(*) > 1) AS d")
        .await;
    assert_eq!(doubled, 0, "a place holds two stays");
    if !app.is_postgres() {
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(db)
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
