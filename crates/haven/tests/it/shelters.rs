//! Shelter sites, placements, the waiting list, stay limits and extensions.

use crate::helpers::*;
use haven_core::ids::{CaseId, PlacementId, UserId};
use haven_core::people::{self, PersonInput};
use haven_core::{Actor, Clock, Role};
use serde_json::{json, Value};
use time::macros::datetime;

/// A shelter organisation with a coordinator, a site and what tests need to place people.
pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) coord: TestUser,
    pub(crate) token: String,
    site: String,
    pub(crate) places: Vec<String>,
}

impl World {
    /// An API POST as the coordinator.
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.app.post(&self.token, path, body).await
    }

    /// An API GET as the coordinator.
    async fn get(&self, path: &str) -> (u16, Value) {
        self.app.get(&self.token, path).await
    }

    /// A new token for the coordinator, once the clock has moved past the old one's life.
    async fn sign_in_again(&mut self) {
        self.token = self.app.token(&self.coord).await;
    }

    async fn admit(&self, case_id: &str, place: &str) -> (u16, Value) {
        let body = json!({"case_id": case_id, "place_id": place});
        self.post("/api/v1/shelters/placements", body).await
    }

    /// Ends a stay, as the holder of `token`.
    async fn discharge(&self, token: &str, placement: &str, reason: &str) -> (u16, Value) {
        let path = format!("/api/v1/shelters/placements/{placement}/discharge");
        self.app.post(token, &path, json!({"reason": reason})).await
    }

    /// Puts a case on the waiting list.
    async fn wait(&self, case_id: &str, priority: &str, source: &str) -> (u16, Value) {
        let body = json!({"case_id": case_id, "priority": priority, "referral_source": source});
        self.post("/api/v1/shelters/waiting-list", body).await
    }

    /// The case's current stay, as the holder of `token`.
    async fn stay(&self, token: &str, case_id: &str) -> (u16, Value) {
        let path = format!("/api/v1/shelters/cases/{case_id}/placement");
        self.app.get(token, &path).await
    }

    /// The board, as the coordinator sees it (200).
    async fn board(&self) -> Value {
        let (s, board) = self.get("/api/v1/shelters/board").await;
        assert_eq!(s, 200, "{board}");
        board
    }

    fn site_path(&self) -> String {
        format!("/api/v1/shelters/sites/{}", self.site)
    }

    /// The site's staff page.
    fn page_path(&self) -> String {
        format!("/staff/shelters/{}", self.site)
    }

    /// The name of the coordinator's organisation.
    async fn org_name(&self) -> String {
        let org = self.coord.org.to_string();
        self.app
            .scalar("SELECT name FROM organisations WHERE id = $1", &org)
            .await
    }
}

/// The case ids the board offers as candidates, in order.
fn candidates(board: &Value) -> Vec<String> {
    board["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Moves the injected clock to a moment (forwards or backwards).
fn set_clock(app: &TestApp, to: time::OffsetDateTime) {
    let now = app.clock.now_ts();
    app.clock.advance(to.unix_timestamp() - now);
}

/// Sets up an organisation operating one site of `capacity` places. The clock is set
/// first, so that tokens are valid at the test's time.
pub(crate) async fn world(capacity: i64, at: Option<time::OffsetDateTime>) -> World {
    let app = TestApp::spawn().await;
    if let Some(at) = at {
        set_clock(&app, at);
    }
    let org_name = format!("Shelter Org {}", uuid::Uuid::new_v4().simple());
    let coord = app.user(&org_name, &["shelter_coordinator"]).await;
    let (_, admin_token) = app.staff("City Administration", &["administrator"]).await;
    let (status, site) = app
        .post(
            &admin_token,
            "/api/v1/shelters/sites",
            json!({
                "name": "Havenhuis", "neighbourhood": "Oostelijk Havengebied",
                "capacity": capacity.to_string(), "operator_org": coord.org.to_string(),
                "target_group": "LVV"
            }),
        )
        .await;
    assert_eq!(status, 201, "{site}");
    let token = app.token(&coord).await;
    let mut w = World {
        app,
        coord,
        token,
        site: site["id"].as_str().unwrap().to_owned(),
        places: Vec::new(),
    };
    let (status, detail) = w.get(&w.site_path()).await;
    assert_eq!(status, 200, "{detail}");
    w.places = detail["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(w.places.len() as i64, capacity);
    assert_eq!(detail["places"][0]["label"], "1");
    w
}

/// A shelter programme with the given stay limit, written directly and named `name` and
/// its id; returns the id.
async fn programme(
    app: &TestApp,
    name: &str,
    target_group: &str,
    max_months: Option<i64>,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO programmes (id, name, target_group, max_months, caseload_cap, \
         includes_shelter, outcomes, alert_days, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 50, 1, 'regularised', '90,30', 1, $5, $5)",
    )
    .bind(&id)
    .bind(format!("{name} {id}"))
    .bind(target_group)
    .bind(max_months)
    .bind(app.clock.now_ts())
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
    id
}

/// A person registered by the coordinator with an open case in `programme`, which took
/// them in now and started on `start`; returns the case id.
async fn open_case(
    app: &TestApp,
    coord: &TestUser,
    name: &str,
    programme: &str,
    start: time::Date,
) -> String {
    let actor = Actor::staff(coord.id, coord.org, vec![Role::ShelterCoordinator]);
    let input = PersonInput {
        name: Some(name.to_owned()),
        ..PersonInput::default()
    };
    let person = people::register(&app.ctx, &actor, &input).await.unwrap();
    let now = app.clock.now_ts();
    let case_id = CaseId::new();
    // Dates are stored as their ISO text.
    let start_date = start.to_string();
    sqlx::query(
        "INSERT INTO cases (id, person_id, programme_id, org_id, status, intake_at, start_date, \
         perspective, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, 'undecided', 1, $5, $5)",
    )
    .bind(case_id)
    .bind(person.id)
    .bind(programme)
    .bind(coord.org)
    .bind(now)
    .bind(start_date)
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
    case_id.to_string()
}

/// A person with an open case of the coordinator's organisation in a shelter programme
/// of its own with the given limit; returns the case id.
pub(crate) async fn case(w: &World, name: &str, max_months: Option<i64>) -> String {
    let programme = programme(&w.app, "LVV shelter", "LVV", max_months).await;
    let today = w.app.clock.now().date();
    open_case(&w.app, &w.coord, name, &programme, today).await
}

async fn current_placements(app: &TestApp) -> i64 {
    app.count("placements WHERE discharged_on IS NULL").await
}

/// Two admissions (case, place) at the same moment, of which exactly one succeeds.
async fn exactly_one_admitted(w: &World, first: (&str, &str), second: (&str, &str)) {
    let (r1, r2) = tokio::join!(w.admit(first.0, first.1), w.admit(second.0, second.1));
    let mut codes = [r1.0, r2.0];
    codes.sort_unstable();
    assert_eq!(codes, [201, 409], "{r1:?} {r2:?}");
}

#[tokio::test]
async fn two_people_cannot_have_one_place_even_at_the_same_moment() {
    let w = world(2, None).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    let (s, p) = w.admit(&a, &w.places[0]).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["person_label"], "Amina Yusuf");
    let (s, e) = w.admit(&b, &w.places[0]).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-place-taken");
    assert!(e["message"].as_str().unwrap().contains("already taken"));

    // Two more people race for the one remaining place: exactly one gets it.
    let c = case(&w, "Chidi Okafor", Some(18)).await;
    let d = case(&w, "Dana Petrova", Some(18)).await;
    exactly_one_admitted(&w, (&c, &w.places[1]), (&d, &w.places[1])).await;
    assert_eq!(current_placements(&w.app).await, 2);
}

#[tokio::test]
async fn one_person_cannot_hold_two_places() {
    let w = world(3, None).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let (s, _) = w.admit(&a, &w.places[0]).await;
    assert_eq!(s, 201);
    let (s, e) = w.admit(&a, &w.places[1]).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-person-placed");
    // At the same moment, to two different places: still one place at most.
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    exactly_one_admitted(&w, (&b, &w.places[1]), (&b, &w.places[2])).await;
    assert_eq!(current_placements(&w.app).await, 2);
}

#[tokio::test]
async fn discharge_frees_the_place_and_a_move_keeps_the_stay_limit() {
    let w = world(2, None).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    let (_, p) = w.admit(&a, &w.places[0]).await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let until = p["stay_until"].clone();

    // A move ends the old stay as "moved" and keeps the limit.
    let (s, moved) = w
        .post(
            &format!("/api/v1/shelters/placements/{pid}/move"),
            json!({"place_id": w.places[1]}),
        )
        .await;
    assert_eq!(s, 201, "{moved}");
    assert_eq!(moved["stay_until"], until);
    assert_eq!(moved["place_label"], "2");
    let moved_id = moved["id"].as_str().unwrap().to_owned();

    // Discharge needs a reason from the list.
    let path = format!("/api/v1/shelters/placements/{moved_id}/discharge");
    let (s, e) = w.post(&path, json!({})).await;
    assert_eq!(s, 422);
    assert_eq!(e["fields"][0]["field"], "reason");
    let (s, e) = w.post(&path, json!({"reason": "vanished"})).await;
    assert_eq!(s, 422, "{e}");
    let (s, d) = w.post(&path, json!({"reason": "outcome"})).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["discharge_reason"], "outcome");
    let (s, e) = w.post(&path, json!({"reason": "left"})).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-already-discharged");

    // Both places are free again.
    let (s, _) = w.admit(&b, &w.places[1]).await;
    assert_eq!(s, 201);
    assert_eq!(current_placements(&w.app).await, 1);
    let steps = "audit_events WHERE action IN \
                 ('placement.admit', 'placement.move', 'placement.discharge')";
    assert_eq!(w.app.count(steps).await, 4);
}

#[tokio::test]
async fn admitting_from_the_waiting_list_is_one_action_that_leaves_nothing_half_done() {
    let w = world(1, None).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    let (s, e) = w.wait(&a, "4", "").await;
    assert_eq!(s, 422);
    assert_eq!(fields_of(&e), ["priority", "referral_source"]);
    let mut entries = Vec::new();
    for (c, prio) in [(&b, "3"), (&a, "1")] {
        let (s, entry) = w.wait(c, prio, "Crossroads Outreach Team").await;
        assert_eq!(s, 201, "{entry}");
        entries.push(entry["id"].as_str().unwrap().to_owned());
    }
    let (s, e) = w.wait(&a, "2", "Again").await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-already-waiting");
    // Most urgent first.
    let (_, list) = w.get("/api/v1/shelters/waiting-list").await;
    assert_eq!(list[0]["case_id"].as_str().unwrap(), a);
    assert_eq!(list[0]["person_label"], "Amina Yusuf");

    // Through the board's button: one POST admits.
    let (c, csrf) = w.app.browser(&w.coord).await;
    let board = w.app.page(&c, "/staff/shelters").await;
    assert!(board.contains("Havenhuis"));
    assert!(board.contains("Amina Yusuf"));
    assert!(board.contains(&format!("/staff/waiting-list/{}/admit", entries[1])));
    let admit = format!("/staff/waiting-list/{}/admit", entries[1]);
    let r = w
        .app
        .submit(&c, &csrf, &admit, &[("site_id", &w.site)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), w.page_path());
    let status = |entry| {
        w.app
            .scalar::<String>("SELECT status FROM waiting_list WHERE id = $1", entry)
    };
    assert_eq!(status(&entries[1]).await, "admitted");
    assert_eq!(current_placements(&w.app).await, 1);

    // The site is now full: admitting the next entry fails and changes nothing.
    let before_events = w.app.count("audit_events").await;
    let (s, e) = w
        .post(
            &format!("/api/v1/shelters/waiting-list/{}/admit", entries[0]),
            json!({"site_id": w.site}),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-site-full");
    assert_eq!(status(&entries[0]).await, "waiting");
    assert_eq!(current_placements(&w.app).await, 1);
    assert_eq!(w.app.count("placements").await, 1);
    assert_eq!(w.app.count("audit_events").await, before_events);

    // The site page shows who holds the place, by name.
    let page = w.app.page(&c, &w.page_path()).await;
    assert!(page.contains("Amina Yusuf"));
}

#[tokio::test]
async fn the_stay_limit_counts_down_across_month_ends_and_leap_years() {
    let mut w = world(2, Some(datetime!(2027-08-31 10:00 UTC))).await;
    let a = case(&w, "Amina Yusuf", Some(6)).await;
    let (s, p) = w.admit(&a, &w.places[0]).await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["admitted_on"], "2027-08-31");
    // 31 August plus six months is 29 February 2028 (a leap year); the stay ends the
    // day before.
    assert_eq!(p["stay_until"], "2028-02-28");
    assert_eq!(p["days_left"], 181);
    assert_eq!(p["alert"], Value::Null);

    for (at, days, alert) in [
        (datetime!(2027-11-29 09:00 UTC), 91, Value::Null),
        (datetime!(2027-11-30 09:00 UTC), 90, json!(90)),
        (datetime!(2028-01-29 09:00 UTC), 30, json!(30)),
        (datetime!(2028-02-28 09:00 UTC), 0, json!(30)),
    ] {
        set_clock(&w.app, at);
        w.sign_in_again().await;
        let (s, p) = w.stay(&w.token, &a).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(p["days_left"], days, "{p}");
        assert_eq!(p["alert"], alert, "{p}");
        let (_, board) = w.get("/api/v1/shelters/board").await;
        let ending = board["ending"].as_array().unwrap().len();
        assert_eq!(ending, usize::from(alert != Value::Null), "{board}");
    }

    // After a discharge, a new admission of the same case keeps the first limit.
    let pid = p["id"].as_str().unwrap();
    let (s, _) = w.discharge(&w.token, pid, "left").await;
    assert_eq!(s, 200);
    let (s, again) = w.admit(&a, &w.places[1]).await;
    assert_eq!(s, 201);
    assert_eq!(again["stay_until"], "2028-02-28");
    // Once the limit has passed, nobody is admitted on it without an extension.
    let again_id = again["id"].as_str().unwrap();
    w.discharge(&w.token, again_id, "stay_limit").await;
    set_clock(&w.app, datetime!(2028-02-29 09:00 UTC));
    w.sign_in_again().await;
    let (s, e) = w.admit(&a, &w.places[0]).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-stay-limit-reached");

    // A programme without a limit has no countdown.
    let b = case(&w, "Bilal Haddad", None).await;
    let (s, p) = w.admit(&b, &w.places[0]).await;
    assert_eq!(s, 201);
    assert_eq!(p["stay_until"], Value::Null);
    assert_eq!(p["days_left"], Value::Null);
}

/// Who asked for an extension, and who approved it.
#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Extension {
    requested_by: UserId,
    approved_by: UserId,
}

/// Who asked for the one extension there is, and who approved it.
async fn extension_by(app: &TestApp) -> Extension {
    sqlx::query_as("SELECT requested_by, approved_by FROM stay_extensions")
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_extension_needs_a_reason_and_an_approver() {
    let w = world(1, Some(datetime!(2027-03-01 10:00 UTC))).await;
    let a = case(&w, "Amina Yusuf", Some(6)).await;
    let (_, p) = w.admit(&a, &w.places[0]).await;
    assert_eq!(p["stay_until"], "2027-08-31");
    let pid = p["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/shelters/placements/{pid}/extensions");

    // The coordinator is no approver.
    let body = json!({"new_until": "2027-11-30", "reason": "Waiting for the decision on a medical-grounds application."});
    let (s, e) = w.post(&path, body.clone()).await;
    assert_eq!(s, 403, "{e}");

    // The team lead is, but not without a reason.
    let (lead, lead_token) = w.app.staff(&w.org_name().await, &["team_lead"]).await;
    let extend = |body| w.app.post(&lead_token, &path, body);
    let (s, e) = extend(json!({"new_until": "2027-11-30", "reason": "  "})).await;
    assert_eq!(s, 422);
    assert_eq!(e["fields"][0]["field"], "reason");
    let (s, e) = extend(json!({"new_until": "2027-08-01", "reason": "Earlier"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["fields"][0]["code"], "err-extension-not-later");
    assert_eq!(w.app.count("stay_extensions").await, 0);

    // With both, and on the coordinator's request.
    let mut body = body;
    body["requested_by"] = json!(w.coord.id.to_string());
    let before = w.app.clock.now().date();
    let (s, p) = extend(body).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["stay_until"], "2027-11-30");
    let expected = (time::macros::date!(2027 - 11 - 30) - before).whole_days();
    assert_eq!(p["days_left"], expected);
    assert_eq!(p["extensions"][0]["old_until"], "2027-08-31");
    assert_eq!(
        p["extensions"][0]["reason"],
        "Waiting for the decision on a medical-grounds application."
    );
    assert_eq!(
        extension_by(&w.app).await,
        Extension {
            requested_by: w.coord.id,
            approved_by: lead.id,
        }
    );
    // The reason is sealed.
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM stay_extensions")
        .fetch_one(&w.app.ctx.db.pool)
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("medical"));

    // The case page's view shows the new countdown.
    let (_, cp) = w.stay(&w.token, &a).await;
    assert_eq!(cp["stay_until"], "2027-11-30");
    assert_eq!(cp["extensions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn another_organisation_sees_nothing_of_a_site() {
    let w = world(2, None).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let (_, p) = w.admit(&a, &w.places[0]).await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let other = w
        .app
        .user("Other Shelter Org", &["shelter_coordinator"])
        .await;
    let token = w.app.token(&other).await;
    let (s, _) = w.app.get(&token, &w.site_path()).await;
    assert_eq!(s, 404);
    let (_, board) = w.app.get(&token, "/api/v1/shelters/board").await;
    assert_eq!(board["sites"].as_array().unwrap().len(), 0);
    let (s, _) = w.discharge(&token, &pid, "left").await;
    assert_eq!(s, 404);
    let (s, _) = w.stay(&token, &a).await;
    assert_eq!(s, 404);
    let c = w.app.login(&other).await;
    let r = w.app.visit(&c, &w.page_path()).await;
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(!page.contains("Amina"));
    // A partner organisation's staff may not even open the board.
    let (_, token) = w.app.staff("Partner Org", &["partner_staff"]).await;
    let (s, _) = w.app.get(&token, "/api/v1/shelters/board").await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn occupancy_now_and_per_month() {
    let mut w = world(2, Some(datetime!(2027-02-27 10:00 UTC))).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    let (_, p) = w.admit(&a, &w.places[0]).await;
    let pid = p["id"].as_str().unwrap().to_owned();
    // Discharged on 10 March: nights of 27 February to 9 March.
    set_clock(&w.app, datetime!(2027-03-10 10:00 UTC));
    w.sign_in_again().await;
    let (s, _) = w.discharge(&w.token, &pid, "outcome").await;
    assert_eq!(s, 200);
    let (s, _) = w.admit(&b, &w.places[1]).await;
    assert_eq!(s, 201);
    let (_, d) = w.get(&w.site_path()).await;
    let load = &d["load"];
    assert_eq!(load["taken"], 1);
    assert_eq!(load["free"], 1);
    assert_eq!(load["arrivals_today"], 1);
    assert_eq!(load["departures_today"], 1);
    let months = d["occupancy"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let feb = &months[10];
    assert_eq!(feb["month"], "2027-02");
    assert_eq!(feb["place_days"], 2);
    assert_eq!(feb["capacity_days"], 56);
    assert_eq!(feb["rate_percent"], 4);
    let mar = &months[11];
    assert_eq!(mar["month"], "2027-03");
    assert_eq!(mar["days"], 10);
    // Amina 1–9 March, Bilal from 10 March.
    assert_eq!(mar["place_days"], 10);
    assert_eq!(mar["capacity_days"], 20);
    assert_eq!(mar["rate_percent"], 50);
    assert_eq!(mar["average_taken"], 1.0);
    assert_eq!(months[0]["month"], "2026-04");
    assert_eq!(months[0]["place_days"], 0);
}

#[tokio::test]
async fn the_demo_fills_sites_stays_and_a_waiting_list() {
    let app = TestApp::spawn().await;
    let coord = app
        .user(
            "Rivierstad Social Support Department",
            &["shelter_coordinator"],
        )
        .await;
    sqlx::query("UPDATE users SET username = 'shelter' WHERE id = $1")
        .bind(coord.id)
        .execute(&app.ctx.db.pool)
        .await
        .unwrap();
    let coord = TestUser {
        username: "shelter".to_owned(),
        ..coord
    };
    let programmes = [
        programme(&app, "LVV shelter", "test", Some(18)).await,
        programme(&app, "Dublin-claimant shelter pilot", "test", Some(6)).await,
    ];
    let today = app.clock.now().date();
    for i in 0..40i64 {
        // Most came in the past weeks, more than the places free up.
        let start = today - time::Duration::days(if i < 30 { i } else { i * 18 });
        let programme = &programmes[(i % 2) as usize];
        open_case(&app, &coord, &format!("Person {i}"), programme, start).await;
    }
    let stays = haven::demo_shelters::seed(&app.ctx).await.unwrap();
    assert!(stays > 0);
    assert_eq!(app.count("shelter_sites").await, 6);
    assert_eq!(app.count("placements").await as usize, stays);
    assert!(app.count("waiting_list WHERE status = 'waiting'").await > 0);
    let token = app.token(&coord).await;
    let (s, board) = app.get(&token, "/api/v1/shelters/board").await;
    assert_eq!(s, 200);
    assert_eq!(board["sites"].as_array().unwrap().len(), 6);
    let taken: i64 = board["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["taken"].as_i64().unwrap())
        .sum();
    assert_eq!(taken, current_placements(&app).await);
    assert!(taken > 0);
}

#[tokio::test]
async fn the_database_refuses_a_second_open_stay_if_the_checks_were_bypassed() {
    let w = world(2, None).await;
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    let (_, p) = w.admit(&a, &w.places[0]).await;
    let person_b = person_of(&w.app, &b).await;
    let insert = |case_id: String, person: String, place: String| {
        let pool = w.app.ctx.db.pool.clone();
        let site = w.site.clone();
        async move {
            sqlx::query(
                "INSERT INTO placements (id, case_id, person_id, site_id, place_id, admitted_on, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, '2026-01-01', 'test', 0)",
            )
            .bind(PlacementId::new())
            .bind(case_id)
            .bind(person)
            .bind(site)
            .bind(place)
            .execute(&pool)
            .await
        }
    };
    // Same place, another person.
    assert!(insert(b.clone(), person_b, w.places[0].clone())
        .await
        .is_err());
    // Same person, another place.
    let person_a = p["person_id"].as_str().unwrap().to_owned();
    assert!(insert(a, person_a, w.places[1].clone()).await.is_err());
    assert_eq!(current_placements(&w.app).await, 1);
}

#[tokio::test]
async fn the_pages_configure_a_site_admit_move_discharge_and_extend() {
    let w = world(2, Some(datetime!(2027-05-03 09:00 UTC))).await;
    let app = &w.app;
    // An administrator adds a site through the form; a wrong capacity is explained.
    let admin = app.user("City Administration", &["administrator"]).await;
    let (c, csrf) = app.browser(&admin).await;
    let org = w.coord.org.to_string();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("name", "Lindenhof"),
        ("neighbourhood", "Lindenwijk"),
        ("capacity", "many"),
        ("operator_org", org.as_str()),
        ("target_group", "Dublin claimants"),
        ("active", "on"),
    ];
    let r = app.post_form(&c, "/staff/admin/shelter-sites", &form).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("whole number of places"));
    form[3] = ("capacity", "3");
    let r = app.post_form(&c, "/staff/admin/shelter-sites", &form).await;
    assert_eq!(r.status(), 303);
    let list = app.page(&c, "/staff/admin/shelter-sites").await;
    assert!(list.contains("Lindenhof") && list.contains("Havenhuis"));

    // The coordinator admits through the site page.
    let a = case(&w, "Amina Yusuf", Some(18)).await;
    let b = case(&w, "Bilal Haddad", Some(18)).await;
    let (c, csrf) = app.browser(&w.coord).await;
    let site_url = w.page_path();
    let admit = format!("{site_url}/admit");
    let place = w.places[0].as_str();
    app.submit_ok(&c, &csrf, &admit, &[("case_id", &a), ("place_id", place)])
        .await;
    // The same place again: the page says why, with 409.
    let page = app
        .submit_expect(
            &c,
            &csrf,
            &admit,
            &[("case_id", &b), ("place_id", place)],
            409,
        )
        .await;
    assert!(page.contains("This place is already taken"));
    let page = app.page(&c, &site_url).await;
    assert!(page.contains("Amina Yusuf"));
    assert!(page.contains("2028-11-02"));
    let open_stay = "SELECT id FROM placements WHERE case_id = $1 AND discharged_on IS NULL";
    let pid: String = app.scalar(open_stay, &a).await;
    assert!(page.contains(&format!("/staff/placements/{pid}/discharge")));
    // The coordinator sees no extension form; the route refuses them.
    assert!(!page.contains("/extend"));
    let r = app
        .submit(
            &c,
            &csrf,
            &format!("/staff/placements/{pid}/extend"),
            &[
                ("site", w.site.as_str()),
                ("new_until", "2029-01-31"),
                ("reason", "Appeal pending"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Move to place 2.
    let r = app
        .submit(
            &c,
            &csrf,
            &format!("{site_url}/move"),
            &[
                ("placement_id", pid.as_str()),
                ("place_id", w.places[1].as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let pid: String = app.scalar(open_stay, &a).await;

    // The team lead extends with a reason, through the same page.
    let lead = app.user(&w.org_name().await, &["team_lead"]).await;
    let (lc, lcsrf) = app.browser(&lead).await;
    let page = app.page(&lc, &site_url).await;
    let extend_path = format!("/staff/placements/{pid}/extend");
    assert!(page.contains(&extend_path));
    let extend = |reason| {
        let fields = [
            ("site", w.site.as_str()),
            ("new_until", "2029-01-31"),
            ("reason", reason),
        ];
        let (lc, lcsrf, extend_path) = (&lc, &lcsrf, &extend_path);
        async move { app.submit(lc, lcsrf, extend_path, &fields).await }
    };
    let r = extend("").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("This is required"));
    let r = extend("Appeal pending at the Council of State").await;
    assert_eq!(r.status(), 303);

    // Discharge; the place is free again.
    let r = app
        .submit(
            &c,
            &csrf,
            &format!("/staff/placements/{pid}/discharge"),
            &[("site", w.site.as_str()), ("reason", "outcome")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(current_placements(app).await, 0);
    assert_eq!(stay_until(app, &pid).await.as_deref(), Some("2029-01-31"));
}

/// The day a stay ends, as stored.
async fn stay_until(app: &TestApp, placement: &str) -> Option<String> {
    app.scalar("SELECT stay_until FROM placements WHERE id = $1", placement)
        .await
}

#[tokio::test]
async fn a_coordinator_asks_for_an_extension_and_a_team_lead_decides() {
    let w = world(1, Some(datetime!(2027-03-01 10:00 UTC))).await;
    let a = case(&w, "Amina Yusuf", Some(6)).await;
    let (_, p) = w.admit(&a, &w.places[0]).await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/shelters/placements/{pid}/extension-requests");
    let (s, e) = w.post(&path, json!({"new_until": "2027-10-31"})).await;
    assert_eq!(s, 422);
    assert_eq!(e["fields"][0]["field"], "reason");
    let body = json!({"new_until": "2027-10-31", "reason": "Medical treatment until October."});
    let (s, r) = w.post(&path, body.clone()).await;
    assert_eq!(s, 201, "{r}");
    let rid = r["id"].as_str().unwrap().to_owned();
    let (s, e) = w.post(&path, body).await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-extension-pending");
    // Nothing changes until an approver decides; the coordinator is none.
    let (s, _) = w
        .post(
            &format!("/api/v1/shelters/extension-requests/{rid}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(w.app.count("stay_extensions").await, 0);

    let lead = w.app.user(&w.org_name().await, &["team_lead"]).await;
    let lc = w.app.login(&lead).await;
    let board = w.app.page(&lc, "/staff/shelters").await;
    assert!(board.contains("Medical treatment until October."));
    assert!(board.contains(&format!("/staff/extension-requests/{rid}/approve")));
    let csrf = w.app.csrf(&lc).await;
    let approve = format!("/staff/extension-requests/{rid}/approve");
    let r = w.app.submit(&lc, &csrf, &approve, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        stay_until(&w.app, &pid).await.as_deref(),
        Some("2027-10-31")
    );
    assert_eq!(
        extension_by(&w.app).await,
        Extension {
            requested_by: w.coord.id,
            approved_by: lead.id,
        }
    );
    // Decided once only.
    let lead_token = w.app.token(&lead).await;
    let (s, e) = w
        .app
        .post(
            &lead_token,
            &format!("/api/v1/shelters/extension-requests/{rid}/refuse"),
            json!({}),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(e["error"], "err-extension-decided");
    let (_, cp) = w.stay(&w.token, &a).await;
    assert_eq!(
        cp["extensions"][0]["reason"],
        "Medical treatment until October."
    );
    assert_eq!(cp["days_left"], 244);
}

#[tokio::test]
async fn the_board_offers_open_shelter_cases_without_a_place_newest_intake_first() {
    let w = world(2, None).await;
    let mut ids = Vec::new();
    for name in [
        "Amina Yusuf",
        "Bilal Haddad",
        "Chidi Okafor",
        "Dana Petrova",
        "Efe Nwosu",
        "Farah Said",
        "Gita Rai",
    ] {
        ids.push(case(&w, name, Some(18)).await);
        w.app.clock.advance(60);
    }
    let [placed, waiting, older, newer, no_shelter, closed, erased] = &ids[..] else {
        unreachable!()
    };
    let (s, p) = w.admit(placed, &w.places[0]).await;
    assert_eq!(s, 201, "{p}");
    let (s, e) = w.wait(waiting, "2", "Crossroads Outreach Team").await;
    assert_eq!(s, 201, "{e}");
    let app = &w.app;
    app.exec(
        "UPDATE programmes SET includes_shelter = 0 \
         WHERE id = (SELECT programme_id FROM cases WHERE id = $1)",
        &[no_shelter],
    )
    .await;
    app.exec(
        "UPDATE cases SET status = 'closed' WHERE id = $1",
        &[closed],
    )
    .await;
    app.exec(
        "UPDATE persons SET data_key = NULL, sealed = NULL \
         WHERE id = (SELECT person_id FROM cases WHERE id = $1)",
        &[erased],
    )
    .await;

    let board = w.board().await;
    let offered: Vec<(&str, &str, &str)> = board["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["case_id"].as_str().unwrap(),
                c["person_label"].as_str().unwrap(),
                c["programme"].as_str().unwrap(),
            )
        })
        .collect();
    let names: Vec<(&str, &str)> = offered.iter().map(|(id, n, _)| (*id, *n)).collect();
    assert_eq!(
        names,
        [
            (newer.as_str(), "Dana Petrova"),
            (older.as_str(), "Chidi Okafor")
        ]
    );
    // Each named with its own programme.
    for (id, _, programme) in &offered {
        let expected: String = app
            .scalar(
                "SELECT g.name FROM cases c JOIN programmes g ON g.id = c.programme_id \
                 WHERE c.id = $1",
                id,
            )
            .await;
        assert_eq!(*programme, expected);
    }
}

/// The person of a case.
async fn person_of(app: &TestApp, case_id: &str) -> String {
    app.scalar("SELECT person_id FROM cases WHERE id = $1", case_id)
        .await
}

#[tokio::test]
async fn the_board_and_site_events_name_every_person_shown_candidates_included() {
    let w = world(2, None).await;
    let placed = case(&w, "Amina Yusuf", Some(18)).await;
    let waiting = case(&w, "Bilal Haddad", Some(18)).await;
    let candidate = case(&w, "Chidi Okafor", Some(18)).await;
    let (s, p) = w.admit(&placed, &w.places[0]).await;
    assert_eq!(s, 201, "{p}");
    let (s, e) = w.wait(&waiting, "2", "Crossroads Outreach Team").await;
    assert_eq!(s, 201, "{e}");

    let board = w.board().await;
    assert_eq!(
        board["candidates"][0]["case_id"],
        candidate.as_str(),
        "{board}"
    );
    assert_eq!(board["waiting"][0]["case_id"], waiting.as_str(), "{board}");
    let ids = w.app.last_event_ids("shelter.board").await;
    assert!(ids.contains(&person_of(&w.app, &candidate).await), "{ids}");
    assert!(ids.contains(&person_of(&w.app, &waiting).await), "{ids}");

    // The site page offers the same candidates and names them too, with the occupant.
    let (s, site) = w.get(&w.site_path()).await;
    assert_eq!(s, 200, "{site}");
    assert_eq!(
        site["candidates"][0]["case_id"],
        candidate.as_str(),
        "{site}"
    );
    let ids = w.app.last_event_ids("shelter.site").await;
    assert!(ids.contains(&person_of(&w.app, &candidate).await), "{ids}");
    assert!(ids.contains(&person_of(&w.app, &placed).await), "{ids}");
    // Ids only: no names.
    assert!(!ids.contains("Chidi"), "{ids}");
}

#[tokio::test]
async fn the_board_shows_no_one_the_organisation_may_not_see() {
    let w = world(2, None).await;
    let visible = case(&w, "Amina Yusuf", Some(18)).await;
    let hidden = case(&w, "Bilal Haddad", Some(18)).await;
    let hidden_waiting = case(&w, "Chidi Okafor", Some(18)).await;
    let (s, e) = w
        .wait(&hidden_waiting, "1", "Crossroads Outreach Team")
        .await;
    assert_eq!(s, 201, "{e}");
    let board = w.board().await;
    assert_eq!(board["candidates"].as_array().unwrap().len(), 2, "{board}");
    assert_eq!(board["waiting"].as_array().unwrap().len(), 1, "{board}");

    // The organisation's own cases, but it may no longer see these persons.
    for c in [&hidden, &hidden_waiting] {
        let person = person_of(&w.app, c).await;
        w.app
            .exec("DELETE FROM person_access WHERE person_id = $1", &[&person])
            .await;
    }
    let board = w.board().await;
    assert_eq!(candidates(&board), [visible.as_str()], "{board}");
    assert_eq!(board["waiting"].as_array().unwrap().len(), 0, "{board}");
    assert!(!board.to_string().contains("Bilal"), "{board}");
    assert!(!board.to_string().contains("Chidi"), "{board}");
    let ids = w.app.last_event_ids("shelter.board").await;
    assert!(!ids.contains(&person_of(&w.app, &hidden).await), "{ids}");
}

#[tokio::test]
async fn candidates_with_the_same_intake_time_come_in_case_id_order() {
    let w = world(1, None).await;
    let at = w.app.clock.now_ts();
    // Cases created in one order get ids in the opposite order, all with one intake time,
    // so that neither insertion order nor chance can pass for the tie-breaker.
    let mut expected = Vec::new();
    for (i, name) in [
        "Amina Yusuf",
        "Bilal Haddad",
        "Chidi Okafor",
        "Dana Petrova",
    ]
    .iter()
    .enumerate()
    {
        let old = case(&w, name, Some(18)).await;
        let new = format!("0000000{}-0000-7000-8000-000000000000", 9 - i);
        sqlx::query("UPDATE cases SET id = $1, intake_at = $2 WHERE id = $3")
            .bind(&new)
            .bind(at)
            .bind(&old)
            .execute(&w.app.ctx.db.pool)
            .await
            .unwrap();
        expected.push(new);
        w.app.clock.advance(60);
    }
    // Newest intake first; among equal intakes, the largest case id first.
    expected.sort_unstable_by(|a, b| b.cmp(a));
    for _ in 0..3 {
        let board = w.board().await;
        assert_eq!(candidates(&board), expected, "{board}");
    }
}

/// The board shows only persons the organisation sees as its own: access that came only
/// through a referral opens the referral's minimum view, never the shelter board (the one
/// visibility rule, `people::visible_sql!`, which the board once had a copy of without
/// this exclusion). An expired access row hides the person too.
/// Leaves the coordinator's organisation seeing the person of `referred` only through a
/// referral, and the person of `expired` no longer at all.
async fn end_own_access(w: &World, referred: &str, expired: &str) {
    let access = |case_id: &str, set: &str| {
        format!(
            "UPDATE person_access SET {set} WHERE org_id = $1 AND person_id = \
             (SELECT person_id FROM cases WHERE id = '{case_id}')"
        )
    };
    let org = w.coord.org.to_string();
    w.app
        .exec(&access(referred, "basis = 'referral'"), &[&org])
        .await;
    sqlx::query(&access(expired, "expires_at = $2"))
        .bind(org)
        .bind(w.app.clock.now_ts() - 1)
        .execute(&w.app.ctx.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_board_leaves_out_persons_seen_only_through_a_referral() {
    let w = world(3, None).await;
    let kept = case(&w, "Kept On Board", Some(6)).await;
    let referred = case(&w, "Referral Only", Some(6)).await;
    let expired = case(&w, "Access Ended", Some(6)).await;
    let board = w.board().await;
    for c in [&kept, &referred, &expired] {
        assert!(candidates(&board).contains(c), "{c} missing: {board}");
    }
    end_own_access(&w, &referred, &expired).await;
    let board = w.board().await;
    assert_eq!(candidates(&board), std::slice::from_ref(&kept), "{board}");
    // Nor can such a person be admitted.
    let (s, body) = w.admit(&referred, &w.places[0]).await;
    assert_eq!(s, 404, "{body}");
}

#[tokio::test]
async fn a_site_shows_a_place_as_taken_but_not_by_whom_once_access_ends() {
    let w = world(3, None).await;
    let kept = case(&w, "Kept In Place", Some(6)).await;
    let referred = case(&w, "Referral Only Occupant", Some(6)).await;
    let expired = case(&w, "Access Ended Occupant", Some(6)).await;
    let mut stays = Vec::new();
    for (c, place) in [&kept, &referred, &expired].into_iter().zip(&w.places) {
        let (s, p) = w.admit(c, place).await;
        assert_eq!(s, 201, "{p}");
        stays.push(p["id"].as_str().unwrap().to_owned());
    }
    let (s, site) = w.get(&w.site_path()).await;
    assert_eq!(s, 200, "{site}");
    assert!(
        site.to_string().contains("Referral Only Occupant"),
        "{site}"
    );

    end_own_access(&w, &referred, &expired).await;

    // The API: the three places are taken; only the first says by whom.
    let (s, site) = w.get(&w.site_path()).await;
    assert_eq!(s, 200, "{site}");
    let places = site["places"].as_array().unwrap();
    assert!(places.iter().all(|p| p["taken"] == true), "{site}");
    assert_eq!(places[0]["occupant"]["case_id"], kept.as_str(), "{site}");
    assert!(places[1]["occupant"].is_null(), "{site}");
    assert!(places[2]["occupant"].is_null(), "{site}");
    let text = site.to_string();
    assert!(
        !text.contains("Referral Only") && !text.contains("Access Ended"),
        "{text}"
    );
    let ids = w.app.last_event_ids("shelter.site").await;
    assert!(!ids.contains(&person_of(&w.app, &referred).await), "{ids}");

    // The page says the same, in words.
    let c = w.app.login(&w.coord).await;
    let page = w.app.page(&c, &w.page_path()).await;
    assert!(page.contains("Kept In Place"), "{page}");
    assert_eq!(
        page.matches("your organisation may not see by whom")
            .count(),
        2
    );
    assert!(!page.contains("Referral Only") && !page.contains("Access Ended"));

    // Nor can the stay be read through the case, moved, discharged or extended.
    for c in [&referred, &expired] {
        let (s, body) = w.stay(&w.token, c).await;
        assert_eq!(s, 404, "{body}");
    }
    let (s, body) = w.stay(&w.token, &kept).await;
    assert_eq!(s, 200, "{body}");
    for stay in &stays[1..] {
        let (s, body) = w.discharge(&w.token, stay, "outcome").await;
        assert_eq!(s, 404, "{body}");
    }
    assert_eq!(current_placements(&w.app).await, 3);

    // But the operator can end such a stay by its place, without learning whose it was:
    // through the API (a reason is needed; the answer is empty) ...
    let free = |place: &str| format!("/api/v1/shelters/places/{place}/free");
    let (s, body) = w.post(&free(&w.places[1]), json!({})).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "reason");
    let events = w.app.count("audit_events").await;
    let r = TestApp::client()
        .post(w.app.url(&free(&w.places[1])))
        .bearer_auth(&w.token)
        .json(&json!({"reason": "left"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(r.text().await.unwrap().is_empty());
    assert_eq!(w.app.count("audit_events").await, events + 1);
    assert_eq!(w.app.last_event_ids("placement.discharge").await, stays[1]);
    let (s, body) = w.post(&free(&w.places[1]), json!({"reason": "left"})).await;
    assert_eq!(s, 409, "a free place has no stay to end: {body}");
    // ... and from the site page, where the form sits in the place's row.
    assert!(page.contains(&format!("/staff/shelters/places/{}/free", w.places[2])));
    assert!(!page.contains(&format!("/staff/shelters/places/{}/free", w.places[0])));
    let csrf = w.app.csrf(&c).await;
    let free_page = format!("/staff/shelters/places/{}/free", w.places[2]);
    let fields = [("site", w.site.as_str()), ("reason", "stay_limit")];
    let r = w.app.submit(&c, &csrf, &free_page, &fields).await;
    assert_eq!(r.status(), 303);
    assert_eq!(current_placements(&w.app).await, 1);
    let reason: Option<String> = w
        .app
        .scalar(
            "SELECT discharge_reason FROM placements WHERE id = $1",
            &stays[2],
        )
        .await;
    assert_eq!(reason.as_deref(), Some("stay_limit"));
    // Both places can be given again; another organisation's coordinator cannot free any.
    let again = case(&w, "Next In Line", Some(6)).await;
    let (s, body) = w.admit(&again, &w.places[1]).await;
    assert_eq!(s, 201, "{body}");
    let stranger = w
        .app
        .user("Another Shelter Org", &["shelter_coordinator"])
        .await;
    let st = w.app.token(&stranger).await;
    let (s, body) = w
        .app
        .post(&st, &free(&w.places[0]), json!({"reason": "left"}))
        .await;
    assert_eq!(s, 404, "{body}");
    assert_eq!(current_placements(&w.app).await, 2);
}

#[tokio::test]
async fn a_current_stay_keeps_its_person_past_the_retention_period() {
    let mut w = world(1, None).await;
    let case_id = case(&w, "Staying Put", None).await;
    let person = person_of(&w.app, &case_id).await;
    let (s, p) = w.admit(&case_id, &w.places[0]).await;
    assert_eq!(s, 201, "{p}");
    let pid = p["id"].as_str().unwrap().to_owned();
    // The case is closed while the stay stays open, so only the stay keeps the person.
    w.app
        .exec(
            "UPDATE cases SET status = 'closed', outcome = 'other' WHERE id = $1",
            &[&case_id],
        )
        .await;
    w.app.keep_persons_for(w.coord.org, 1).await;
    w.app.clock.advance(40 * 86_400);
    w.app.sweep().await;
    assert!(
        !w.app.is_erased(&person).await,
        "an open stay keeps its person"
    );
    // Discharged today: the period counts from the discharge.
    w.sign_in_again().await;
    let (s, d) = w.discharge(&w.token, &pid, "left").await;
    assert_eq!(s, 200, "{d}");
    w.app.sweep().await;
    assert!(!w.app.is_erased(&person).await, "discharged a moment ago");
    w.app.clock.advance(40 * 86_400);
    assert_eq!(w.app.sweep().await.total(), 1);
    assert!(w.app.is_erased(&person).await);
}
