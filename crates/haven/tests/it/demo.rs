//! The demo is how a city first meets Haven: these tests hold its data to what a real
//! city's looks like (believable opening hours, no two services a reader cannot tell
//! apart, shelters running full with a waiting list that moves, caseloads near the cap)
//! and sign in as every demo account to see that its working page shows real work.

use crate::helpers::*;
use haven_core::Clock;
use haven_web::WebConfig;
use serde_json::Value;
use std::collections::HashMap;

async fn demo() -> TestApp {
    let app = TestApp::spawn_with(WebConfig {
        demo: true,
        ..WebConfig::default()
    })
    .await;
    haven::demo::seed_if_empty(&app.ctx, 200, 0, 0)
        .await
        .unwrap();
    app
}

async fn texts_of(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(&app.ctx.db.pool)
        .await
        .unwrap()
}

/// "HH:MM:SS" as minutes after midnight.
fn minutes(t: &str) -> Option<u32> {
    let mut p = t.split(':').map(|x| x.parse::<u32>().ok());
    let (h, m) = (p.next()??, p.next()??);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

#[tokio::test]
async fn the_demo_looks_like_a_real_city() {
    let app = demo().await;

    // Every published service keeps believable hours, and no two cards in one district
    // read the same (name and hours).
    let services: Vec<String> = texts_of(
        &app,
        "SELECT hsds FROM dir_services WHERE published = 1 AND hsds IS NOT NULL",
    )
    .await;
    assert!(services.len() > 60, "{} services", services.len());
    let mut cards: HashMap<(String, String, String), usize> = HashMap::new();
    let mut night_shelters = 0;
    for s in &services {
        let v: Value = serde_json::from_str(s).unwrap();
        let name = v["name"].as_str().unwrap().to_owned();
        let schedules = v["schedules"].as_array().unwrap();
        assert!(!schedules.is_empty(), "{name} has no opening hours");
        let mut hours = String::new();
        for sch in schedules {
            let (opens, closes) = (
                sch["opens_at"].as_str().unwrap(),
                sch["closes_at"].as_str().unwrap(),
            );
            let (o, c) = (minutes(opens).unwrap(), minutes(closes).unwrap());
            assert!(o < c, "{name} closes ({closes}) before it opens ({opens})");
            assert!(c - o >= 90, "{name} is open only {opens}–{closes}");
            if name == "Night shelter" {
                assert!(o >= 17 * 60, "a night shelter opening at {opens}");
                night_shelters += 1;
            }
            hours.push_str(&format!("{} {opens}-{closes};", sch["byday"]));
        }
        let location: String = app
            .scalar(
                "SELECT l.hsds FROM dir_service_at_locations sl \
                 JOIN dir_locations l ON l.id = sl.location_id WHERE sl.service_id = $1",
                v["id"].as_str().unwrap(),
            )
            .await;
        let location: Value = serde_json::from_str(&location).unwrap();
        let district = location["description"].as_str().unwrap_or_default();
        let district = district.rsplit(", ").next().unwrap_or_default().to_owned();
        *cards.entry((name, hours, district)).or_default() += 1;
    }
    assert!(night_shelters > 0);
    let twins: Vec<_> = cards.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twins.is_empty(),
        "cards a reader cannot tell apart: {twins:?}"
    );

    // The shelters run full, and the waiting list moves: people wait weeks, and people
    // are admitted from it.
    let capacity: i64 = app
        .value("SELECT CAST(SUM(capacity) AS BIGINT) FROM shelter_sites")
        .await;
    let taken = app.count("placements WHERE discharged_on IS NULL").await;
    assert!(
        taken * 100 > capacity * 80,
        "{taken} of {capacity} places taken"
    );
    let now = app.clock.now_ts();
    let waiting: Vec<i64> =
        sqlx::query_scalar("SELECT $1 - added_at FROM waiting_list WHERE status = 'waiting'")
            .bind(now)
            .fetch_all(&app.ctx.db.pool)
            .await
            .unwrap();
    assert!(waiting.len() >= 5, "{} waiting", waiting.len());
    assert!(
        waiting.iter().any(|s| *s > 14 * 86_400),
        "nobody has waited two weeks: {waiting:?}"
    );
    let admitted_after_a_wait = app
        .count("waiting_list WHERE status = 'admitted' AND closed_at - added_at > 7 * 86400")
        .await;
    assert!(
        admitted_after_a_wait > 0,
        "nobody was admitted after waiting"
    );

    // The demo case manager's shelter caseload is near the programme's cap.
    let held = app
        .count(
            "cases c JOIN programmes pr ON pr.id = c.programme_id \
             JOIN users u ON u.id = c.case_manager_id \
             WHERE u.username = 'casemanager' AND c.status = 'open' AND pr.name = 'LVV shelter'",
        )
        .await;
    let cap: i64 = app
        .value("SELECT caseload_cap FROM programmes WHERE name = 'LVV shelter'")
        .await;
    assert!(held * 100 >= cap * 80, "{held} of a cap of {cap}");
}

/// Each demo account's working page, and what must appear on it at least `n` times.
const WORK: &[(&str, &str, &str, usize)] = &[
    ("admin", "/staff/admin/users", "<tr", 10),
    ("casemanager", "/staff/cases", "<tr", 30),
    ("casemanager2", "/staff/cases", "<tr", 20),
    ("teamlead", "/staff/cases/team", "<tr", 3),
    ("shelter", "/staff/shelters", "<tr", 5),
    ("outreachlead", "/outreach/team", "<tr", 5),
    ("hub", "/staff/hub/reports", "<tr", 5),
    ("police", "/staff/police/handovers", "<tr", 1),
    ("partner", "/staff/referrals/received", "<tr", 2),
    ("analyst", "/staff/stats", "<td", 10),
    ("editor", "/staff/content", "<tr", 10),
];

#[tokio::test]
async fn every_demo_account_signs_in_to_real_work() {
    let app = demo().await;
    for (username, path, marker, n) in WORK {
        let c = TestApp::client();
        let r = app.sign_in(&c, username, haven::demo::DEMO_PASSWORD).await;
        assert_eq!(r.status(), 303, "{username} signs in");
        let home = app.visit(&c, "/staff/").await;
        assert_eq!(home.status(), 200, "{username}'s start page");
        let page = app.visit(&c, path).await;
        assert_eq!(page.status(), 200, "{username}: {path}");
        let html = page.text().await.unwrap();
        if *username == "casemanager" {
            // A deadline passed reads apart from one coming near.
            assert!(
                html.contains("<li class=\"past\"><strong>"),
                "no passed moment marked"
            );
            assert!(html.contains("deadline near") || html.contains("stay ending"));
        }
        let found = html.matches(marker).count();
        assert!(
            found > *n,
            "{username}: {path} shows {found} × {marker}, want more than {n}"
        );
    }
}
