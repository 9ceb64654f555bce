//! Outreach: the sync rules (idempotent by client id, conflicts never overwrite), the
//! returning-person thread, consent to registration, the team lead's figures, and the
//! app's cookie + CSRF header access. A property test throws random orders, repeats and
//! conflicting edits at the sync endpoint.

use crate::helpers::*;
use haven_core::Clock;
use proptest::prelude::*;
use serde_json::{json, Value};

fn v7() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn contact(app: &TestApp, area: &str, alias: Option<&str>, people: i64) -> Value {
    json!({
        "contact_at": app.clock.now_ts() - 600,
        "area": area,
        "people_count": people,
        "activities": ["contacted", "informed"],
        "persons": [{
            "alias": alias,
            "age_band": "26_35",
            "gender": "male",
            "origin": "Eritrea",
            "language": "Tigrinya",
            "situations": ["sleeping_rough", "transit_uk"],
            "needs": ["shelter"],
            "topics": ["asylum", "dublin"],
            "project": "Wants to reach his brother in Leeds",
            "decision": "exploring",
        }],
        "followup_at": app.clock.now_ts() + 3 * 86_400,
        "followup_place": "Behind the station, near the kiosk",
    })
}

/// Sends records to the sync endpoint (which must answer 200): the answer for each.
async fn sync(app: &TestApp, token: &str, records: Value) -> Vec<Value> {
    let body = json!({ "records": records });
    let (status, v) = app.post(token, "/api/v1/outreach/sync", body).await;
    assert_eq!(status, 200, "{v}");
    v["results"].as_array().unwrap().clone()
}

/// A new record of one contact in `area` with one person called `alias`.
async fn sync_new(app: &TestApp, token: &str, id: &str, area: &str, alias: Option<&str>) {
    let contact = contact(app, area, alias, 1);
    sync(app, token, json!([{"id": id, "contact": contact}])).await;
}

#[tokio::test]
async fn the_same_record_any_number_of_times_is_one_record_with_the_same_answer() {
    let app = TestApp::spawn().await;
    let (_, token) = app.staff("Crossroads", &["outreach_worker"]).await;
    let id = v7();
    let rec = json!({"id": id, "base_version": 0, "contact": contact(&app, "city_park", Some("Yonas"), 2)});
    let first = sync(&app, &token, json!([rec.clone()])).await;
    assert_eq!(first[0]["status"], "stored");
    assert_eq!(first[0]["version"], 1);
    for _ in 0..3 {
        // Also twice in one batch.
        let again = sync(&app, &token, json!([rec.clone(), rec.clone()])).await;
        assert_eq!(again[0], first[0]);
        assert_eq!(again[1], first[0]);
    }
    assert_eq!(app.count("outreach_contacts").await, 1);
    assert_eq!(app.count("outreach_contact_versions").await, 1);
    // One audit event names the record; the repeats wrote nothing and logged nothing.
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT object_ids FROM audit_events WHERE action = 'outreach.contact.sync'",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(events, vec![id.clone()]);

    // The same id with a different payload: 409 with a reason, nothing overwritten.
    let other = json!({"id": id, "base_version": 0, "contact": contact(&app, "day_centre", Some("Yonas"), 2)});
    let r = sync(&app, &token, json!([other])).await;
    assert_eq!(r[0]["status"], "conflict");
    assert_eq!(r[0]["reason"], "err-outreach-different-payload");
    assert!(r[0]["message"].as_str().unwrap().contains("overwritten"));
    let path = format!("/api/v1/outreach/contacts/{id}");
    let again =
        json!({"base_version": 0, "contact": contact(&app, "day_centre", Some("Yonas"), 2)});
    assert_eq!(app.put(&token, &path, again).await.0, 409);
    let area: String = app
        .scalar("SELECT area FROM outreach_contacts WHERE id = $1", &id)
        .await;
    assert_eq!(area, "city_park");

    // A body that is JSON but not a contact gets this operation's own 422 answer (found by
    // schemathesis: it used to be the generic error body the API description did not list).
    let (status, a) = app
        .put(&token, &path, json!({"contact": {"workers": "not a list"}}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(a["id"], id.as_str(), "{a}");
    assert_eq!(a["status"], "invalid", "{a}");
    assert_eq!(a["fields"][0]["field"], "contact", "{a}");
    assert_eq!(a["fields"][0]["code"], "err-json", "{a}");
    assert!(first_message(&a).contains("workers"), "{a}");
    assert_eq!(app.count("outreach_contact_versions").await, 1);
}

#[tokio::test]
async fn edits_carry_their_base_version_and_a_stale_one_is_a_conflict() {
    let app = TestApp::spawn().await;
    let (_, token) = app.staff("Crossroads", &["outreach_worker"]).await;
    let id = v7();
    let v1 = contact(&app, "city_park", Some("Amina"), 1);
    sync(&app, &token, json!([{"id": id, "contact": v1}])).await;
    let edit = json!({"id": id, "base_version": 1, "contact": contact(&app, "city_park", Some("Amina"), 3)});
    let r = sync(&app, &token, json!([edit.clone()])).await;
    assert_eq!(r[0]["status"], "stored");
    assert_eq!(r[0]["version"], 2);
    // The edit repeated (its answer was lost): the same answer.
    assert_eq!(sync(&app, &token, json!([edit])).await, r);
    // Another device's edit based on version 1: stale, never an overwrite.
    let stale =
        json!({"id": id, "base_version": 1, "contact": contact(&app, "harbour", Some("Amina"), 1)});
    let r = sync(&app, &token, json!([stale])).await;
    assert_eq!(r[0]["status"], "conflict");
    assert_eq!(r[0]["reason"], "err-outreach-stale");
    assert_eq!(r[0]["server_version"], 2);
    let (_, got) = app
        .get(&token, &format!("/api/v1/outreach/contacts/{id}"))
        .await;
    assert_eq!(got["version"], 2);
    assert_eq!(got["data"]["people_count"], 3);
    assert_eq!(got["data"]["area"], "city_park");
    // An edit of a record the server never had.
    let r = sync(
        &app,
        &token,
        json!([{"id": v7(), "base_version": 4, "contact": contact(&app, "harbour", None, 1)}]),
    )
    .await;
    assert_eq!(r[0]["reason"], "err-outreach-missing");
}

#[tokio::test]
async fn invalid_records_and_other_teams_ids_get_their_own_answers() {
    let app = TestApp::spawn().await;
    let (_, ta) = app.staff("Crossroads", &["outreach_worker"]).await;
    let (_, tb) = app.staff("Other Team", &["outreach_worker"]).await;
    let id = v7();
    sync_new(&app, &ta, &id, "city_park", None).await;
    let mut bad = contact(&app, "the_moon", None, 1);
    bad["persons"][0]["topics"] = json!(["astrology"]);
    let r = sync(
        &app,
        &tb,
        json!([
            {"id": id, "contact": contact(&app, "city_park", None, 1)},
            {"id": "not-a-uuid", "contact": contact(&app, "city_park", None, 1)},
            {"id": uuid::Uuid::new_v4().to_string(), "contact": contact(&app, "city_park", None, 1)},
            {"id": v7(), "contact": bad},
            {"id": v7(), "contact": contact(&app, "harbour", None, 1)},
        ]),
    )
    .await;
    assert_eq!(r[0]["reason"], "err-outreach-id-taken");
    assert_eq!(r[1]["status"], "invalid");
    assert_eq!(
        r[2]["status"], "invalid",
        "a v4 id is refused: ids are UUIDv7"
    );
    assert_eq!(r[3]["status"], "invalid");
    let fields = fields_of(&r[3]);
    assert!(
        fields.contains(&"area".into()) && fields.contains(&"topics".into()),
        "{fields:?}"
    );
    assert_eq!(r[4]["status"], "stored");
    assert_eq!(app.count("outreach_contacts").await, 2);
}

#[tokio::test]
async fn the_app_may_sync_with_its_cookie_only_with_the_csrf_header() {
    let app = TestApp::spawn().await;
    let u = app.user("Crossroads", &["outreach_worker"]).await;
    let c = app.login(&u).await;
    let s: Value = app
        .visit(&c, "/api/v1/outreach/session")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["user_id"], u.id.to_string());
    assert_eq!(
        base64_len(s["device_key"].as_str().unwrap()),
        32,
        "an AES-256 key"
    );
    let body = json!({"records": [{"id": v7(), "contact": contact(&app, "city_park", None, 1)}]});
    let r = c
        .post(app.url("/api/v1/outreach/sync"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no CSRF header");
    let r = c
        .post(app.url("/api/v1/outreach/sync"))
        .header("x-csrf-token", s["csrf"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The cookie opens no other part of the API.
    let r = app.visit(&c, "/api/v1/me").await;
    assert_eq!(r.status(), 401);
    // The app's shell and its files: scripts from Haven only, no inline script.
    let r = app.visit(&c, "/outreach/").await;
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let page = r.text().await.unwrap();
    assert!(page.contains("/outreach/app.js") && page.contains("manifest.webmanifest"));
    // Signing out tells the browser to clear the device store.
    let csrf = app.csrf(&c).await;
    let r = app.submit(&c, &csrf, "/staff/logout", &[]).await;
    assert!(r.headers()["clear-site-data"]
        .to_str()
        .unwrap()
        .contains("storage"));
}

/// The contacts of people known by an alias (URL-encoded), as the API lists them.
async fn thread(app: &TestApp, token: &str, alias: &str) -> Vec<Value> {
    let (status, v) = app
        .get(token, &format!("/api/v1/outreach/thread?alias={alias}"))
        .await;
    assert_eq!(status, 200, "{v}");
    v.as_array().unwrap().clone()
}

fn base64_len(s: &str) -> usize {
    data_encoding::BASE64
        .decode(s.as_bytes())
        .map(|v| v.len())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_returning_person_is_found_by_alias_spelled_differently_and_sealed_at_rest() {
    let app = TestApp::spawn().await;
    let u = app.user("Crossroads", &["outreach_worker"]).await;
    let other = app.user("Other Team", &["outreach_worker"]).await;
    let token = app.token(&u).await;
    let first = v7();
    sync_new(&app, &token, &first, "city_park", Some("Mohammed Q")).await;
    app.clock.advance(120);
    let second = v7();
    sync_new(&app, &token, &second, "harbour", Some("Muhamad Q")).await;
    sync_new(&app, &token, &v7(), "harbour", Some("Yonas")).await;
    let thread = thread(&app, &token, "mohamed%20q").await;
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[0]["contact_id"], second, "newest first");
    assert_eq!(thread[1]["person"]["alias"], "Mohammed Q");
    // Another team finds nothing.
    let t2 = app.token(&other).await;
    let none = self::thread(&app, &t2, "mohammed").await;
    assert!(none.is_empty());
    // The reads were audited with the contacts' ids.
    let ids = app.last_event_ids("outreach.contact.read").await;
    assert!(ids.contains(&first) && ids.contains(&second));
    // No alias or free text in any table.
    for table in app.ctx.db.table_names().await.unwrap() {
        let rows: Vec<sqlx::any::AnyRow> = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&app.ctx.db.pool)
            .await
            .unwrap();
        for row in rows {
            use sqlx::Row;
            for i in 0..row.len() {
                let text = row
                    .try_get::<String, _>(i)
                    .ok()
                    .or_else(|| {
                        row.try_get::<Vec<u8>, _>(i)
                            .ok()
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                    })
                    .unwrap_or_default();
                for canary in ["Mohammed", "Leeds", "kiosk", "Yonas"] {
                    assert!(!text.contains(canary), "{canary} readable in {table}");
                }
            }
        }
    }
}

#[tokio::test]
async fn consent_turns_a_thread_into_a_registered_person_with_a_case() {
    let app = TestApp::spawn().await;
    let worker = app.user("Crossroads", &["outreach_worker"]).await;
    let lead = app.user("Crossroads", &["team_lead"]).await;
    let token = app.token(&worker).await;
    let id = v7();
    sync_new(&app, &token, &id, "city_park", Some("Saba")).await;
    let register = |token: String, body: Value| {
        let app = &app;
        async move { app.post(&token, "/api/v1/outreach/register", body).await }
    };
    let links = json!([{"contact_id": id, "ordinal": 0}]);
    // Without consent: nothing is kept.
    let (status, _) = register(
        token.clone(),
        json!({"consent": false, "links": links, "person": {"name": "Saba Tesfay"}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("persons").await, 0);
    // An outreach worker may not open a case.
    let programme: String = {
        sqlx::query("INSERT INTO programmes (id, name, target_group, outcomes, created_at, updated_at) VALUES ($1, 'Return counselling', 'all', 'voluntary_return', 0, 0)")
            .bind(v7())
            .execute(&app.ctx.db.pool)
            .await
            .ok();
        app.value("SELECT id FROM programmes LIMIT 1").await
    };
    let (status, _) = register(token.clone(), json!({"consent": true, "links": links, "person": {"name": "Saba Tesfay"}, "programme_id": programme})).await;
    assert_eq!(status, 403);
    assert_eq!(app.count("persons").await, 0);
    // With consent, by the team lead: a person and a case; the contact is linked.
    let lt = app.token(&lead).await;
    let (status, v) = register(lt.clone(), json!({"consent": true, "links": links, "person": {"name": "Saba Tesfay", "alias": "Saba"}, "programme_id": programme})).await;
    assert_eq!(status, 201, "{v}");
    assert!(v["case_id"].is_string());
    let pid: Option<String> = app
        .scalar(
            "SELECT person_id FROM outreach_contact_persons WHERE contact_id = $1",
            &id,
        )
        .await;
    assert_eq!(pid.as_deref(), v["person_id"].as_str());
    // Twice is a conflict, not a second person.
    let (status, _) = register(
        lt,
        json!({"consent": true, "links": links, "person": {"name": "Saba Tesfay"}}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(app.count("persons").await, 1);
}

#[tokio::test]
async fn the_team_lead_sees_areas_weeks_followups_counselling_and_referrals() {
    let app = TestApp::spawn().await;
    let worker = app.user("Crossroads", &["outreach_worker"]).await;
    let lead = app.user("Crossroads", &["team_lead"]).await;
    let token = app.token(&worker).await;
    let target = app.org("Open Door Legal Aid", "legal_aid").await;
    let mut c = contact(&app, "city_park", None, 2);
    c["persons"][0]["referrals"] = json!([{"kind": "organisation", "id": target.to_string()}]);
    c["activities"] = json!(["contacted", "referred"]);
    let mut plain = contact(&app, "harbour", None, 1);
    plain["persons"][0]["topics"] = json!([]);
    plain["persons"][0]["decision"] = Value::Null;
    plain["followup_at"] = Value::Null;
    sync(
        &app,
        &token,
        json!([{"id": v7(), "contact": c}, {"id": v7(), "contact": plain}]),
    )
    .await;
    // A worker may not see the team view.
    assert_eq!(app.get(&token, "/api/v1/outreach/team").await.0, 403);
    let lt = app.token(&lead).await;
    let (_, v) = app.get(&lt, "/api/v1/outreach/team").await;
    assert_eq!(v["contacts_this_year"], 2);
    assert_eq!(v["counselling_this_year"], 1);
    assert_eq!(v["people_this_year"], 3);
    assert_eq!(v["followups"].as_array().unwrap().len(), 1);
    assert_eq!(v["referrals"][0]["name"], "Open Door Legal Aid");
    assert_eq!(
        v["referrals"][0]["referrals"],
        json!({"kind": "fewer_than", "value": 5})
    );
    let areas = texts(&v["weeks"], "area");
    assert!(areas.contains(&"City park") && areas.contains(&"Harbour and industrial area"));
    // The page shows the same.
    let c = app.login(&lead).await;
    let page = app.page(&c, "/outreach/team").await;
    assert!(page.contains("Open Door Legal Aid") && page.contains("City park"));
}

// ---------------------------------------------------------------------------------------
// Property test

#[derive(Debug, Clone)]
enum Op {
    /// Create record `id` with payload `p` (base version 0).
    Create { id: usize, p: usize },
    /// Edit `id` to payload `p`, based on the last version this client was told.
    Edit { id: usize, p: usize },
    /// Edit based on a version one older than the last known: must be a conflict
    /// unless it repeats exactly what was applied.
    Stale { id: usize, p: usize },
    /// Send an earlier request again (its answer was lost).
    Repeat { nth: usize },
}

/// What the server keeps of a contact, for comparing with what it acknowledged.
#[derive(sqlx::FromRow)]
struct Stored {
    version: i64,
    area: String,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..3usize).prop_map(|(id, p)| Op::Create { id, p }),
        (0..4usize, 0..3usize).prop_map(|(id, p)| Op::Edit { id, p }),
        (0..4usize, 0..3usize).prop_map(|(id, p)| Op::Stale { id, p }),
        (0..40usize).prop_map(|nth| Op::Repeat { nth }),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_orders_repeats_and_conflicting_edits_never_lose_or_duplicate() {
    let app = TestApp::spawn().await;
    let (_, token) = app.staff("Crossroads", &["outreach_worker"]).await;
    let handle = tokio::runtime::Handle::current();
    let cases = if std::env::var("PROPTEST_CASES").is_ok() {
        0
    } else {
        12
    };
    let mut config = ProptestConfig::default();
    if cases > 0 {
        config.cases = cases;
    }
    config.failure_persistence = None;
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let areas = ["city_park", "harbour", "day_centre"];
    let result = runner.run(
        &(proptest::collection::vec(op(), 1..30), 1..6usize),
        |(ops, batch)| {
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let ids: Vec<String> = (0..4).map(|_| v7()).collect();
                    let payload = |p: usize| contact(&app, areas[p], Some("Ali"), 1);
                    // What the client was told: id → (version, payload index).
                    let mut acked: std::collections::HashMap<usize, (i64, usize)> =
                        Default::default();
                    let mut sent: Vec<(usize, usize, i64)> = Vec::new();
                    let mut reqs: Vec<(usize, usize, i64)> = Vec::new();
                    for o in &ops {
                        let r = match *o {
                            Op::Create { id, p } => (id, p, 0),
                            Op::Edit { id, p } => (id, p, acked.get(&id).map(|a| a.0).unwrap_or(0)),
                            Op::Stale { id, p } => {
                                (id, p, (acked.get(&id).map(|a| a.0).unwrap_or(1) - 1).max(0))
                            }
                            Op::Repeat { nth } if !sent.is_empty() => sent[nth % sent.len()],
                            Op::Repeat { .. } => continue,
                        };
                        reqs.push(r);
                        sent.push(r);
                        if reqs.len() >= batch {
                            send(&app, &token, &ids, &payload, &mut reqs, &mut acked).await?;
                        }
                    }
                    send(&app, &token, &ids, &payload, &mut reqs, &mut acked).await?;
                    // Every acknowledged record is on the server, once, at the last
                    // version acknowledged, with the payload of that version.
                    for (id, (version, p)) in &acked {
                        let rows: Vec<Stored> = sqlx::query_as(
                            "SELECT version, area FROM outreach_contacts WHERE id = $1",
                        )
                        .bind(&ids[*id])
                        .fetch_all(&app.ctx.db.pool)
                        .await
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                        prop_assert_eq!(rows.len(), 1);
                        prop_assert_eq!(rows[0].version, *version);
                        prop_assert_eq!(&rows[0].area, areas[*p]);
                    }
                    let ph: Vec<String> = ids.iter().map(|i| format!("'{i}'")).collect();
                    let n: i64 = sqlx::query_scalar(&format!(
                        "SELECT COUNT(*) FROM outreach_contacts WHERE id IN ({})",
                        ph.join(",")
                    ))
                    .fetch_one(&app.ctx.db.pool)
                    .await
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(n as usize, acked.len(), "no record without an ack");
                    Ok(())
                })
            })
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

async fn send(
    app: &TestApp,
    token: &str,
    ids: &[String],
    payload: &impl Fn(usize) -> Value,
    reqs: &mut Vec<(usize, usize, i64)>,
    acked: &mut std::collections::HashMap<usize, (i64, usize)>,
) -> Result<(), TestCaseError> {
    if reqs.is_empty() {
        return Ok(());
    }
    let records: Vec<Value> = reqs
        .iter()
        .map(|(id, p, base)| json!({"id": ids[*id], "base_version": base, "contact": payload(*p)}))
        .collect();
    let results = sync(app, token, Value::Array(records)).await;
    for ((id, p, base), r) in reqs.drain(..).zip(results) {
        match r["status"].as_str() {
            Some("stored") => {
                let v = r["version"].as_i64().unwrap_or(-1);
                prop_assert_eq!(v, base + 1, "a stored record is at base + 1");
                // Answers for an older version (a repeat) do not move the client back.
                let e = acked.entry(id).or_insert((v, p));
                if v >= e.0 {
                    *e = (v, p);
                }
            }
            Some("conflict") => {
                prop_assert!(r["reason"].is_string());
            }
            other => prop_assert!(false, "unexpected answer {:?}: {}", other, r),
        }
    }
    Ok(())
}

#[tokio::test]
async fn retention_erases_old_contacts_sealed_part_and_keeps_their_counts() {
    let app = TestApp::spawn().await;
    let u = app.user("Crossroads", &["outreach_worker"]).await;
    app.keep_persons_for(u.org, 1).await;
    let token = app.token(&u).await;
    let old = v7();
    sync_new(&app, &token, &old, "city_park", Some("Mohammed Q")).await;
    app.clock.advance(40 * 86_400);
    let token = app.token(&u).await;
    // A later contact whose follow-up is still ahead stays whole.
    let recent = v7();
    sync_new(&app, &token, &recent, "harbour", Some("Yonas")).await;
    let tokens_before = app.count("outreach_alias_tokens").await;
    let report = app.sweep().await;
    assert_eq!(report.contacts, vec![(u.org, 1)]);
    let erased: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM outreach_contacts WHERE id = $1 \
             AND data_key IS NULL AND sealed IS NULL AND people = 1",
            &old,
        )
        .await;
    assert_eq!(erased, 1, "the sealed part goes, the counts stay");
    let kept: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM outreach_contacts WHERE id = $1 AND data_key IS NOT NULL",
            &recent,
        )
        .await;
    assert_eq!(kept, 1);
    assert!(app.count("outreach_alias_tokens").await < tokens_before);
    assert_eq!(app.audit_count("outreach.contact.erase_expired").await, 1);
    // An erased contact cannot be brought back by a device that still has it.
    let again = sync(
        &app,
        &token,
        json!([{"id": old, "base_version": 1,
                "contact": contact(&app, "city_park", Some("Mohammed Q"), 1)}]),
    )
    .await;
    assert_eq!(again[0]["status"], "conflict", "{again:?}");
    assert_eq!(again[0]["reason"], "err-outreach-erased", "{again:?}");
    let still: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM outreach_contacts WHERE id = $1 AND data_key IS NULL",
            &old,
        )
        .await;
    assert_eq!(still, 1);
}
