//! Retention: persons are erased when their organisation's period has passed since
//! anything last happened with them and nothing of theirs is still open; the period is set
//! by an administrator through the page or the API; the server sweeps on its own.

use crate::cases::{desk_in, open_case, person, programme, Desk};
use crate::helpers::*;
use haven_core::people::{self, PersonInput};
use haven_core::{retention, Actor, Clock, Role};
use serde_json::{json, Value};

const DAY: i64 = 86_400;

/// Closes a case today, with contact lost.
async fn close_today(app: &TestApp, token: &str, case: &str) {
    let today = app.clock.now().date().to_string();
    let (status, v) = app
        .post(
            token,
            &format!("/api/v1/cases/{case}/close"),
            json!({"outcome": "lost_contact", "closed_on": today}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
}

async fn put_org(app: &TestApp, token: &str, org: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/organisations/{org}");
    app.api(token, reqwest::Method::PUT, &path, Some(body))
        .await
}

async fn due_now(app: &TestApp, token: &str, org: &str) -> i64 {
    let path = format!("/api/v1/organisations/{org}/retention");
    let (status, v) = app.api(token, reqwest::Method::GET, &path, None).await;
    assert_eq!(status, 200, "{v}");
    v["due_now"].as_i64().unwrap()
}

#[tokio::test]
async fn a_person_is_erased_once_the_period_has_passed_since_anything_last_happened() {
    let app = TestApp::spawn().await;
    let cm = app.user("Keeping Org", &["case_manager"]).await;
    let admin = app.user("Keeping Org", &["administrator"]).await;
    let longer = app.user("Longer Keeping Org", &["case_manager"]).await;
    let prog = programme(&app, "Retention programme", 50, &[]).await;
    let tc = app.token(&cm).await;
    let lone = person(&app, &cm, "Lone Wanderer").await;
    let open = person(&app, &cm, "Open Casefile").await;
    let closed = person(&app, &cm, "Closed Casefile").await;
    let edited = person(&app, &cm, "Edited Later").await;
    let met = person(&app, &cm, "Met Outside").await;
    let elsewhere = person(&app, &longer, "Kept Elsewhere").await;
    open_case(&app, &tc, &open, &prog, json!({})).await;
    let c = open_case(&app, &tc, &closed, &prog, json!({})).await;
    close_today(&app, &tc, &c).await;

    // The administrator sets six months; a wrong period says what to fix and changes nothing.
    let ta = app.token(&admin).await;
    let org = cm.org.to_string();
    for bad in ["0", "121", "six"] {
        let (status, v) = put_org(
            &app,
            &ta,
            &org,
            json!({"name": "Keeping Org", "kind": "ngo", "retention_months": bad}),
        )
        .await;
        assert_eq!(status, 422, "{v}");
        assert_eq!(v["fields"][0]["field"], "retention_months");
        assert!(first_message(&v).contains("1 to 120"), "{v}");
    }
    let (status, v) = put_org(
        &app,
        &ta,
        &org,
        json!({"name": "Keeping Org", "kind": "ngo", "retention_months": "6"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["retention_months"], 6);
    // Left out, the period stays as it is.
    let (status, v) = put_org(
        &app,
        &ta,
        &org,
        json!({"name": "Keeping Org", "kind": "ngo"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["retention_months"], 6);
    assert_eq!(due_now(&app, &ta, &org).await, 0);

    // Three months on, one record is edited: that counts as something happening.
    app.clock.advance(92 * DAY);
    let actor = Actor::staff(cm.id, cm.org, vec![Role::CaseManager]);
    people::update(
        &app.ctx,
        &actor,
        edited.parse().unwrap(),
        &PersonInput {
            name: Some("Edited Later".into()),
            alias: Some("Blue".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // The same day an outreach worker's contact names another one.
    met_on_the_street(&app, &met).await;

    // Five months after the start: nobody is due yet, and a sweep erases nobody.
    app.clock.advance(58 * DAY);
    let ta = app.token(&admin).await;
    assert_eq!(due_now(&app, &ta, &org).await, 0);
    assert_eq!(app.sweep().await.total(), 0);

    // Six months and a few days after: the lone person and the closed case's person are due;
    // the dry run counts them and changes nothing.
    app.clock.advance(40 * DAY);
    let ta = app.token(&admin).await;
    assert_eq!(due_now(&app, &ta, &org).await, 2);
    let dry = retention::sweep(&app.ctx, true).await.unwrap();
    assert_eq!(dry.erased, vec![(cm.org, 2)]);
    assert!(!app.is_erased(&lone).await);
    let events = app.count("audit_events").await;

    let report = app.sweep().await;
    assert_eq!(report.erased, vec![(cm.org, 2)]);
    assert!(app.is_erased(&lone).await);
    assert!(app.is_erased(&closed).await);
    assert!(!app.is_erased(&open).await, "an open case keeps its person");
    assert!(!app.is_erased(&edited).await, "edited three months in");
    assert!(!app.is_erased(&met).await, "met three months in");
    assert!(
        !app.is_erased(&elsewhere).await,
        "another organisation keeps 24 months"
    );
    // One event for the batch, by the system, naming exactly the two; no name tokens left.
    assert_eq!(app.count("audit_events").await, events + 1);
    let actor_id: String = app
        .scalar(
            "SELECT actor_id FROM audit_events WHERE action = $1",
            "person.erase_expired",
        )
        .await;
    assert_eq!(actor_id, "system");
    let ids = app.last_event_ids("person.erase_expired").await;
    let mut named: Vec<&str> = ids.split(',').collect();
    named.sort_unstable();
    let mut want = vec![lone.as_str(), closed.as_str()];
    want.sort_unstable();
    assert_eq!(named, want);
    let tokens: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM person_name_tokens WHERE person_id IN ($1, $2)")
            .bind(&lone)
            .bind(&closed)
            .fetch_one(&app.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(tokens, 0);
    // The case manager finds an erased person gone: the page says so.
    let c = app.login(&cm).await;
    let r = app.visit(&c, &format!("/staff/persons/{lone}")).await;
    assert_eq!(r.status(), 410);
    // A second sweep finds nothing more; the edited person follows three months later.
    assert_eq!(app.sweep().await.total(), 0);
    app.clock.advance(92 * DAY);
    let report = app.sweep().await;
    assert_eq!(report.erased, vec![(cm.org, 2)]);
    assert!(app.is_erased(&edited).await);
    assert!(app.is_erased(&met).await);
    assert!(!app.is_erased(&open).await);
    assert!(audit_ok(&app).await);
}

/// An outreach contact of the person's organisation, now, naming the person.
async fn met_on_the_street(app: &TestApp, person: &str) {
    let org: String = app
        .scalar("SELECT owner_org FROM persons WHERE id = $1", person)
        .await;
    let id = uuid::Uuid::now_v7().to_string();
    let now = app.clock.now_ts();
    sqlx::query(
        "INSERT INTO outreach_contacts (id, org_id, version, payload_mac, contact_at, area, \
         people, contacted, informed, referred, counselling, created_at, created_by, \
         updated_at, updated_by) VALUES ($1, $2, 1, 'mac', $3, 'city_park', 1, 1, 0, 0, 0, \
         $3, 'test', $3, 'test')",
    )
    .bind(&id)
    .bind(&org)
    .bind(now)
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO outreach_contact_persons (contact_id, ordinal, org_id, contact_at, \
         person_id, consent_at, consent_by) VALUES ($1, 0, $2, $3, $4, $3, 'test')",
    )
    .bind(&id)
    .bind(&org)
    .bind(now)
    .bind(person)
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
}

async fn audit_ok(app: &TestApp) -> bool {
    haven_core::audit::verify(&app.ctx)
        .await
        .unwrap()
        .problems
        .is_empty()
}

#[tokio::test]
async fn the_period_is_counted_in_calendar_months_across_month_ends_and_leap_years() {
    let ts = |s: &str| {
        time::PrimitiveDateTime::parse(s, &time::format_description::well_known::Iso8601::DEFAULT)
            .unwrap()
            .assume_utc()
            .unix_timestamp()
    };
    for (now, months, want) in [
        // 31 March less one month is 29 February in a leap year, 28 February otherwise.
        ("2024-03-31T10:00:00", 1, "2024-02-29T10:00:00"),
        ("2025-03-31T10:00:00", 1, "2025-02-28T10:00:00"),
        // 29 February less twelve months: 28 February of the year before.
        ("2024-02-29T23:59:59", 12, "2023-02-28T23:59:59"),
        ("2026-01-15T00:00:00", 24, "2024-01-15T00:00:00"),
        // A period outside 1-120 written into the database by hand is held to that range.
        ("2026-01-15T00:00:00", 0, "2025-12-15T00:00:00"),
        ("2026-01-15T00:00:00", -5, "2025-12-15T00:00:00"),
        ("2026-01-15T00:00:00", 100_000, "2016-01-15T00:00:00"),
    ] {
        assert_eq!(
            retention::cutoff(ts(now), months),
            ts(want),
            "{now} less {months}"
        );
    }
}

#[tokio::test]
async fn the_server_sweeps_by_itself() {
    let app = TestApp::spawn().await;
    let cm = app.user("Sweeping Org", &["case_manager"]).await;
    let p = person(&app, &cm, "Swept Away").await;
    app.keep_persons_for(cm.org, 1).await;
    let task = haven::start_retention(app.ctx.clone(), std::time::Duration::from_millis(50), None);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!app.is_erased(&p).await, "not due yet");
    app.clock.advance(32 * DAY);
    let mut done = false;
    for _ in 0..100 {
        if app.is_erased(&p).await {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    task.abort();
    assert!(
        done,
        "the background sweep erased the person within five seconds"
    );
}

#[tokio::test]
async fn the_administrator_sets_the_period_on_the_organisation_page() {
    let app = TestApp::spawn().await;
    let cm = app.user("Paged Org", &["case_manager"]).await;
    let admin = app.user("Paged Org", &["administrator"]).await;
    person(&app, &cm, "Due Soon").await;
    let c = app.login(&admin).await;
    let path = format!("/staff/admin/organisations/{}", cm.org);
    let html = app.page(&c, &path).await;
    assert!(html.contains("name=\"retention_months\""), "{html}");
    assert!(html.contains("value=\"24\""), "{html}");
    assert!(
        html.contains("No person of this organisation is due for erasure now."),
        "{html}"
    );
    let csrf = app.csrf(&c).await;
    let org = |months| {
        [
            ("name", "Paged Org"),
            ("kind", "ngo"),
            ("active", "on"),
            ("retention_months", months),
        ]
    };
    let body = app.submit_refused(&c, &csrf, &path, &org("200")).await;
    assert!(
        body.contains("Write a whole number of months from 1 to 120."),
        "{body}"
    );
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    app.submit_ok(&c, &csrf, &path, &org("1")).await;
    // Two months on (signed in afresh), the page counts the person as due.
    app.clock.advance(62 * DAY);
    let c = app.login(&admin).await;
    let html = app.page(&c, &path).await;
    assert!(html.contains("value=\"1\""), "{html}");
    assert!(
        html.contains("One person of this organisation is due for erasure now"),
        "{html}"
    );
    let index = app.page(&c, "/staff/admin/organisations").await;
    assert!(index.contains("<td>1</td>"), "{index}");
}

#[tokio::test]
async fn a_long_backlog_goes_in_batches_that_walk_past_the_persons_kept() {
    let Desk { app, cm, prog, tc } = desk_in("Backlog Org", "Backlog programme", 500).await;
    // 450 persons registered in the same second (so their order is by id alone); every
    // 50th keeps an open case and must be passed over by each batch, not stop it.
    let mut kept = Vec::new();
    for i in 0..450 {
        let p = person(&app, &cm, &format!("Backlog Person {i}")).await;
        if i % 50 == 25 {
            open_case(&app, &tc, &p, &prog, json!({})).await;
            kept.push(p);
        }
    }
    app.keep_persons_for(cm.org, 1).await;
    app.clock.advance(40 * DAY);
    let report = app.sweep().await;
    assert_eq!(report.erased, vec![(cm.org, 441)]);
    for p in &kept {
        assert!(!app.is_erased(p).await);
    }
    let left: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM persons WHERE owner_org = $1 AND data_key IS NOT NULL",
            cm.org,
        )
        .await;
    assert_eq!(left, 9);
    // Three events: two full batches and the rest, each naming its persons.
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT object_ids FROM audit_events WHERE action = 'person.erase_expired' ORDER BY seq",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap();
    let sizes: Vec<usize> = events.iter().map(|e| e.split(',').count()).collect();
    assert_eq!(sizes, vec![200, 200, 41]);
    assert!(audit_ok(&app).await);
}

/// How long an organisation keeps personal data.
#[derive(sqlx::FromRow)]
struct Kept {
    name: String,
    retention_months: i64,
}

#[tokio::test]
async fn the_demo_hub_keeps_data_for_a_year_and_the_others_for_two() {
    let app = TestApp::spawn().await;
    haven::demo::seed_if_empty(&app.ctx, 3, 0, 0).await.unwrap();
    let rows: Vec<Kept> =
        sqlx::query_as("SELECT name, retention_months FROM organisations ORDER BY name")
            .fetch_all(&app.ctx.db.pool)
            .await
            .unwrap();
    assert!(rows.len() > 5);
    for org in rows {
        let want = if org.name == haven::demo::HUB { 12 } else { 24 };
        assert_eq!(org.retention_months, want, "{}", org.name);
    }
}

#[tokio::test]
async fn a_case_closed_later_keeps_its_person_for_the_period_from_the_closing() {
    let Desk { app, cm, prog, tc } = desk_in("Closing Org", "Closing programme", 50).await;
    let p = person(&app, &cm, "Closed In Spring").await;
    let c = open_case(&app, &tc, &p, &prog, json!({})).await;
    app.keep_persons_for(cm.org, 1).await;
    // Three months with the case open: kept.
    app.clock.advance(92 * DAY);
    assert_eq!(app.sweep().await.total(), 0);
    // Closed now: the month counts from the closing, not from the registration.
    let tc = app.token(&cm).await;
    close_today(&app, &tc, &c).await;
    app.clock.advance(20 * DAY);
    assert_eq!(app.sweep().await.total(), 0);
    assert!(!app.is_erased(&p).await);
    app.clock.advance(20 * DAY);
    assert_eq!(app.sweep().await.total(), 1);
    assert!(app.is_erased(&p).await);
}

/// Several servers on one PostgreSQL database: while one runs the retention sweep, the
/// others' turn is skipped, so the sweep runs once; when it ends, the next turn runs. On
/// SQLite (one server per file) every turn runs.
#[tokio::test]
async fn the_sweep_runs_on_one_server_at_a_time() {
    let app = TestApp::spawn().await;
    if !app.is_postgres() {
        assert!(haven::sweep_turn(&app.ctx, None).await.unwrap().is_some());
        return;
    }
    // Another server's sweep: the same lock, held on a connection of its own.
    let mut other = app.ctx.db.pool.acquire().await.unwrap();
    let key = haven_core::db::Job::RetentionSweep as i32;
    let held: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext(current_schema()))")
            .bind(key)
            .fetch_one(&mut *other)
            .await
            .unwrap();
    assert!(held);
    assert!(
        haven::sweep_turn(&app.ctx, None).await.unwrap().is_none(),
        "a second server swept at the same time"
    );
    sqlx::query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))")
        .bind(key)
        .execute(&mut *other)
        .await
        .unwrap();
    assert!(haven::sweep_turn(&app.ctx, None).await.unwrap().is_some());
    // And it let go: the other server can take its turn.
    let again: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_lock($1, hashtext(current_schema()))")
            .bind(key)
            .fetch_one(&mut *other)
            .await
            .unwrap();
    assert!(again);
}
