//! Casework: intake, the caseload cap, closure, employment follow-up, the caseload order,
//! access across organisations and auditing.

use crate::helpers::*;
use haven_core::cases::programmes::{self, ProgrammeInput};
use haven_core::people::PersonInput;
use haven_core::{Actor, Clock};
use serde_json::{json, Value};

pub(crate) async fn programme(app: &TestApp, name: &str, cap: i64, outcomes: &[&str]) -> String {
    programmes::create(
        &app.ctx,
        &Actor::system(),
        &ProgrammeInput {
            name: Some(name.to_owned()),
            target_group: Some("Test group".into()),
            max_months: Some("18".into()),
            caseload_cap: Some(cap.to_string()),
            includes_shelter: Some("false".into()),
            outcomes: outcomes.iter().map(|s| (*s).to_owned()).collect(),
            alert_days: None,
            active: None,
        },
    )
    .await
    .unwrap()
    .id
    .to_string()
}

/// A person of `u`'s organisation with only a name.
pub(crate) async fn person(app: &TestApp, u: &TestUser, name: &str) -> String {
    let input = PersonInput {
        name: Some(name.to_owned()),
        ..Default::default()
    };
    app.person(u, input).await
}

pub(crate) async fn open_case(
    app: &TestApp,
    token: &str,
    person: &str,
    prog: &str,
    extra: Value,
) -> String {
    let mut body = json!({"person_id": person, "programme_id": prog});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let (status, v) = app.post(token, "/api/v1/cases", body).await;
    assert_eq!(status, 201, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

/// The first value of an attribute starting with `marker` (`href`, `<option value`) on a
/// page that `wanted` accepts.
fn first_attr(page: &str, marker: &str, wanted: impl Fn(&str) -> bool) -> String {
    page.split(&format!("{marker}=\""))
        .map(|s| &s[..s.find('"').unwrap_or(0)])
        .find(|v| wanted(v))
        .unwrap_or_else(|| panic!("no {marker} as wanted"))
        .to_owned()
}

/// An app with a case manager, their token and a programme: where most case tests start.
pub(crate) struct Desk {
    pub app: TestApp,
    pub cm: TestUser,
    pub prog: String,
    pub tc: String,
}

/// A case manager of Org A with an LVV programme (cap 50).
async fn desk() -> Desk {
    desk_in("Org A", "LVV", 50).await
}

/// A case manager of `org` with a programme of that name and caseload cap.
pub(crate) async fn desk_in(org: &str, programme_name: &str, cap: i64) -> Desk {
    let app = TestApp::spawn().await;
    let cm = app.user(org, &["case_manager"]).await;
    let prog = programme(&app, programme_name, cap, &[]).await;
    let tc = app.token(&cm).await;
    Desk { app, cm, prog, tc }
}

/// Moves the test clock to midday UTC of `date` (forward only: sessions and codes rely on it).
fn set_date(app: &TestApp, date: &str) {
    let d = haven_core::dates::parse_stored(date).unwrap();
    let target = d.midnight().assume_utc().unix_timestamp() + 12 * 3600;
    let now = app.clock.now_ts();
    assert!(target >= now, "the clock only moves forward in these tests");
    app.clock.advance(target - now);
}

#[tokio::test]
async fn assigning_a_case_manager_at_the_programme_cap_is_refused() {
    let app = TestApp::spawn().await;
    let cm = app.user("Org A", &["case_manager"]).await;
    let lead = app.user("Org A", &["team_lead"]).await;
    let prog = programme(&app, "Capped programme", 1, &[]).await;
    let tc = app.token(&cm).await;
    let p1 = person(&app, &cm, "Aster Tekle").await;
    let p2 = person(&app, &cm, "Yonas Haile").await;
    let c1 = open_case(&app, &tc, &p1, &prog, json!({})).await;
    let c2 = open_case(&app, &tc, &p2, &prog, json!({})).await;

    app.clock.advance(3 * 86_400);
    let tl = app.token(&lead).await;
    let (status, v) = app
        .post(
            &tl,
            &format!("/api/v1/cases/{c1}/assign"),
            json!({"case_manager_id": cm.id.to_string()}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let wait = v["wait_seconds"].as_i64().unwrap();
    assert!((3 * 86_400..3 * 86_400 + 120).contains(&wait), "{wait}");

    let (status, v) = app
        .post(
            &tl,
            &format!("/api/v1/cases/{c2}/assign"),
            json!({"case_manager_id": cm.id.to_string()}),
        )
        .await;
    assert_eq!(status, 409, "{v}");
    assert_eq!(v["error"], "err-caseload-cap");
    assert!(v["message"].as_str().unwrap().contains("caseload cap"));

    // The same refusal on the team lead's page, in words.
    let (c, csrf) = app.browser(&lead).await;
    let r = app
        .submit(
            &c,
            &csrf,
            &format!("/staff/cases/{c2}/assign"),
            &[("case_manager_id", &cm.id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("caseload cap"));

    // The team lead sees the load at the cap, and the case still waiting.
    let (status, team) = app.get(&tl, "/api/v1/cases/team").await;
    assert_eq!(status, 200);
    let me = team["managers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["manager"]["id"] == cm.id.to_string())
        .unwrap();
    assert_eq!(me["total"], 1);
    assert_eq!(team["unassigned"][0]["id"], c2);
    let page = app.page(&c, "/staff/cases/team").await;
    assert!(page.contains("1 / 1"));
}

#[tokio::test]
async fn closing_needs_an_outcome_and_accepts_one() {
    let Desk { app, cm, prog, tc } = desk().await;
    let p = person(&app, &cm, "Bogdan Popescu").await;
    let id = open_case(&app, &tc, &p, &prog, json!({})).await;
    let today = app.clock.now().date().to_string();
    let events = app.count("audit_events").await;

    let close_path = format!("/api/v1/cases/{id}/close");
    let close = |body| app.post(&tc, &close_path, body);
    let (status, v) = close(json!({"closed_on": today})).await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["fields"][0]["field"], "outcome");
    let (status, v) = close(json!({"outcome": "regularised", "closed_on": today})).await;
    assert_eq!(status, 422);
    assert_eq!(v["fields"][0]["field"], "permit_type");
    assert_eq!(app.count("audit_events").await, events, "nothing written");

    // Through the page too: the form comes back naming the field.
    let (c, csrf) = app.browser(&cm).await;
    let page = app
        .submit_refused(
            &c,
            &csrf,
            &format!("/staff/cases/{id}/close"),
            &[("closed_on", today.as_str())],
        )
        .await;
    assert!(page.contains("href=\"#f-outcome\""));

    let (status, v) =
        close(json!({"outcome": "regularised", "permit_type": "no_fault", "closed_on": today}))
            .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "closed");
    assert_eq!(v["outcome"], "regularised");
    let (_, file) = app.get(&tc, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(file["outcome_details"]["permit_type"], "no_fault");
    let (status, v) = close(json!({"outcome": "other", "closed_on": today})).await;
    assert_eq!(status, 409);
    assert_eq!(v["error"], "err-case-closed");
    // A return needs its country and supporting organisation.
    let p2 = person(&app, &cm, "Ionut Dumitru").await;
    let id2 = open_case(&app, &tc, &p2, &prog, json!({})).await;
    let (status, v) = app
        .post(
            &tc,
            &format!("/api/v1/cases/{id2}/close"),
            json!({"outcome": "returned_voluntarily", "closed_on": today}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["country", "supporting_org"]);
}

fn follow_up(file: &Value) -> Vec<(String, String, String)> {
    file["employment"]["follow_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["date"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
                f["contract"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The case file as its manager reads it through the API at midday of `date`.
async fn file_on(app: &TestApp, cm: &TestUser, case: &str, date: &str) -> Value {
    set_date(app, date);
    let token = app.token(cm).await;
    app.get(&token, &format!("/api/v1/cases/{case}")).await.1
}

#[tokio::test]
async fn employment_status_is_computed_across_month_ends_and_a_leap_year() {
    let app = TestApp::spawn().await;
    let cm = app.user("Org A", &["case_manager"]).await;
    let prog = programme(&app, "Refugee coaching", 50, &["employment"]).await;
    let p = person(&app, &cm, "Selam Berhane").await;
    set_date(&app, "2027-09-01");
    let tc = app.token(&cm).await;
    let id = open_case(&app, &tc, &p, &prog, json!({"start_date": "2027-08-31"})).await;
    for (start, end, contract) in [
        ("2028-01-10", Some("2028-02-29"), "temporary"),
        ("2028-09-01", None, "fixed"),
    ] {
        let (status, v) = app
            .post(
                &tc,
                &format!("/api/v1/cases/{id}/employment"),
                json!({"start_on": start, "end_on": end, "contract": contract,
                   "sector": "Hospitality", "hours_per_week": "24"}),
            )
            .await;
        assert_eq!(status, 201, "{v}");
    }
    let (_, f) = app.get(&tc, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(
        follow_up(&f),
        [
            ("2028-02-29".into(), "not_yet_reached".into(), "".into()),
            ("2028-08-31".into(), "not_yet_reached".into(), "".into()),
            ("2029-08-31".into(), "not_yet_reached".into(), "".into()),
        ]
    );
    let f = file_on(&app, &cm, &id, "2028-02-28").await;
    assert_eq!(follow_up(&f)[0].1, "not_yet_reached");
    let f = file_on(&app, &cm, &id, "2028-02-29").await;
    assert_eq!(
        follow_up(&f)[0],
        ("2028-02-29".into(), "employed".into(), "temporary".into())
    );
    let f = file_on(&app, &cm, &id, "2028-09-01").await;
    assert_eq!(follow_up(&f)[1].1, "not_employed", "the job ended before");
    let f = file_on(&app, &cm, &id, "2029-08-31").await;
    assert_eq!(
        follow_up(&f)[2],
        ("2029-08-31".into(), "employed".into(), "fixed".into())
    );
    // The case page shows the same, computed.
    let c = app.login(&cm).await;
    let page = app.page(&c, &format!("/staff/cases/{id}")).await;
    assert!(page.contains("2028-02-29"));
    assert!(page.contains("Permanent contract"));
}

#[tokio::test]
async fn the_caseload_puts_passed_and_near_deadlines_first() {
    let Desk { app, cm, prog, tc } = desk().await;
    let today = app.clock.now().date();
    let day = |n: i64| (today + time::Duration::days(n)).to_string();
    let mut ids = Vec::new();
    // name, deadline
    for (name, deadline) in [
        ("Calm Case", None),
        ("Near Deadline", Some(day(10))),
        ("Passed Deadline", Some(day(-2))),
        ("Far Deadline", Some(day(30))),
        ("Nearer Deadline", Some(day(3))),
    ] {
        let p = person(&app, &cm, name).await;
        let id = open_case(
            &app,
            &tc,
            &p,
            &prog,
            json!({"case_manager_id": cm.id.to_string()}),
        )
        .await;
        if let Some(d) = deadline {
            let (status, v) = app
                .post(
                    &tc,
                    &format!("/api/v1/cases/{id}/procedures"),
                    json!({"kind": "asylum_repeat", "filed_on": day(-40), "deadline": d}),
                )
                .await;
            assert_eq!(status, 201, "{v}");
        }
        ids.push(id);
    }
    let (status, list) = app.get(&tc, "/api/v1/cases").await;
    assert_eq!(status, 200);
    let order = texts(&list, "id");
    assert_eq!(order[..3], [&ids[2], &ids[4], &ids[1]]);
    assert_eq!(list[0]["attention"][0]["kind"], "deadline_passed");
    assert_eq!(list[1]["attention"][0]["kind"], "deadline_near");
    assert!(list[3]["attention"].as_array().unwrap().is_empty());

    let c = app.login(&cm).await;
    let page = app.page(&c, "/staff/cases").await;
    let at = |id: &str| page.find(&format!("data-case=\"{id}\"")).unwrap();
    assert!(at(&ids[2]) < at(&ids[4]));
    assert!(at(&ids[4]) < at(&ids[1]));
    assert!(at(&ids[1]) < at(&ids[0]));
    assert!(page.contains("Procedure deadline passed"));
    assert!(page.contains("Procedure deadline near"));

    // Four weeks without contact also counts; a note is a contact.
    app.clock.advance(29 * 86_400);
    let tc = app.token(&cm).await;
    let (_, list) = app.get(&tc, "/api/v1/cases").await;
    let calm = list
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == ids[0].as_str())
        .unwrap();
    assert_eq!(calm["attention"][0]["kind"], "no_contact");
    let (status, _) = app
        .post(
            &tc,
            &format!("/api/v1/cases/{}/notes", ids[0]),
            json!({"text": "Called; doing well."}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, list) = app.get(&tc, "/api/v1/cases").await;
    let calm = list
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == ids[0].as_str())
        .unwrap();
    assert!(calm["attention"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn another_organisation_gets_404_on_case_pages_and_api() {
    let app = TestApp::spawn().await;
    let a = app.user("Org A", &["case_manager"]).await;
    let b = app.user("Partner B", &["case_manager"]).await;
    let prog = programme(&app, "LVV", 50, &[]).await;
    let ta = app.token(&a).await;
    let tb = app.token(&b).await;
    let p = person(&app, &a, "Hawa Diallo").await;
    let id = open_case(&app, &ta, &p, &prog, json!({})).await;
    // Even when a referral lets the partner see the person, the case stays Org A's.
    sqlx::query(
        "INSERT INTO person_access (person_id, org_id, basis, granted_at) \
         VALUES ($1, $2, 'referral', 0)",
    )
    .bind(&p)
    .bind(b.org)
    .execute(&app.ctx.db.pool)
    .await
    .unwrap();
    let (status, _) = app.get(&tb, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, 404);
    for (path, body) in [
        (format!("/api/v1/cases/{id}/notes"), json!({"text": "x"})),
        (
            format!("/api/v1/cases/{id}/close"),
            json!({"outcome": "other", "closed_on": app.clock.now().date().to_string()}),
        ),
        (
            format!("/api/v1/cases/{id}/perspectives"),
            json!({"perspective": "undecided", "decision_stage": "exploring"}),
        ),
    ] {
        let (status, _) = app.post(&tb, &path, body).await;
        assert_eq!(status, 404, "{path}");
    }
    let (_, list) = app.get(&tb, "/api/v1/cases").await;
    assert!(list.as_array().unwrap().is_empty());
    let c = app.login(&b).await;
    for path in [
        format!("/staff/cases/{id}"),
        format!("/staff/cases/{id}/goals/new"),
        format!("/staff/cases/{id}/close"),
    ] {
        let r = app.visit(&c, &path).await;
        assert_eq!(r.status(), 404, "{path}");
    }
    // Org A's own staff still read it; an unknown id is 404 too.
    let (status, _) = app.get(&ta, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, 200);
    let (status, _) = app.get(&ta, "/api/v1/cases/not-an-id").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn every_case_read_writes_an_audit_event() {
    let Desk { app, cm, prog, tc } = desk().await;
    let p = person(&app, &cm, "Farid Rahimi").await;
    let id = open_case(
        &app,
        &tc,
        &p,
        &prog,
        json!({"case_manager_id": cm.id.to_string()}),
    )
    .await;
    assert_eq!(app.audit_count("case.open").await, 1);
    let before = app.audit_count("case.read").await;
    let (status, _) = app.get(&tc, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(app.audit_count("case.read").await, before + 1);
    let c = app.login(&cm).await;
    let r = app.visit(&c, &format!("/staff/cases/{id}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.audit_count("case.read").await, before + 2);
    let lists = app.audit_count("case.list").await;
    let r = app.visit(&c, "/staff/cases").await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.audit_count("case.list").await, lists + 1);
    let n: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'case.list' AND object_ids LIKE $1",
            &format!("%{id}%"),
        )
        .await;
    assert!(n >= 1, "the list event names the cases shown");
    // A refused read (another organisation) is not a read.
    let (_, to) = app.staff("Org B", &["case_manager"]).await;
    let (status, _) = app.get(&to, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, 404);
    assert_eq!(app.audit_count("case.read").await, before + 2);
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let Desk { app, cm, prog, tc } = desk().await;
    let p = person(&app, &cm, "Amina Osman").await;
    let id = open_case(&app, &tc, &p, &prog, json!({})).await;
    let (c, csrf) = app.browser(&cm).await;
    let goals = app.count("goals").await;
    let events = app.count("audit_events").await;
    let page = app
        .submit_refused(
            &c,
            &csrf,
            &format!("/staff/cases/{id}/goals"),
            &[
                ("title", ""),
                ("domain", "deportation"),
                ("due_on", "2027-02-30"),
                ("progress", "Started the course"),
            ],
        )
        .await;
    assert!(page.contains("role=\"alert\""));
    for f in ["title", "domain", "due_on"] {
        assert!(page.contains(&format!("href=\"#f-{f}\"")), "{f}");
    }
    assert!(page.contains("Started the course"), "typed values are kept");
    assert_eq!(app.count("goals").await, goals);
    assert_eq!(app.count("audit_events").await, events);

    let cases = app.count("cases").await;
    let (status, v) = app
        .post(
            &tc,
            "/api/v1/cases",
            json!({"person_id": p, "programme_id": "nope", "start_date": "yesterday"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["programme_id", "start_date"]);
    assert_eq!(app.count("cases").await, cases);
    assert_eq!(app.count("audit_events").await, events);

    // And a good goal goes through, then shows on the page with its progress note.
    app.submit_ok(
        &c,
        &csrf,
        &format!("/staff/cases/{id}/goals"),
        &[
            ("title", "Dutch course A2"),
            ("domain", "language"),
            ("term", "short"),
            ("status", "in_progress"),
            ("progress", "Enrolled"),
        ],
    )
    .await;
    let page = app.page(&c, &format!("/staff/cases/{id}")).await;
    assert!(page.contains("Dutch course A2") && page.contains("Enrolled"));
}

#[tokio::test]
async fn a_programme_and_a_case_are_worked_through_the_pages() {
    let app = TestApp::spawn().await;
    let admin = app.user("Org A", &["administrator"]).await;
    let cm = app.user("Org A", &["case_manager"]).await;
    let (a, a_csrf) = app.browser(&admin).await;
    app.submit_ok(
        &a,
        &a_csrf,
        "/staff/admin/programmes",
        &[
            ("name", "Refugee coaching"),
            ("target_group", "Status holders"),
            ("max_months", "36"),
            ("caseload_cap", ""),
            ("outcomes", "employment"),
            ("outcomes", "moved_on"),
            ("alert_days", "60, 30"),
            ("active", "on"),
        ],
    )
    .await;
    let list = app.page(&a, "/staff/admin/programmes").await;
    assert!(list.contains("Refugee coaching") && list.contains("36 months"));
    // Refused forms name their fields: missing or malformed, and a name that is taken.
    for (fields, named) in [
        (
            [("name", "Refugee coaching"), ("alert_days", "soon")],
            &["target_group", "alert_days"][..],
        ),
        (
            [("name", "Refugee coaching"), ("target_group", "Others")],
            &["name"][..],
        ),
    ] {
        let page = app
            .submit_refused(&a, &a_csrf, "/staff/admin/programmes", &fields)
            .await;
        for f in named {
            assert!(page.contains(&format!("href=\"#f-{f}\"")), "{f}");
        }
    }

    let (c, c_csrf) = app.browser(&cm).await;
    let p = person(&app, &cm, "Mariam Hussein").await;
    let person_page = app.page(&c, &format!("/staff/persons/{p}")).await;
    assert!(person_page.contains(&format!("/staff/cases/new?person={p}")));
    let intake = app.page(&c, &format!("/staff/cases/new?person={p}")).await;
    let prog = first_attr(&intake, "<option value", |v| v.len() == 36);
    let me = cm.id.to_string();
    let case = app
        .submit_ok(
            &c,
            &c_csrf,
            "/staff/cases",
            &[
                ("person_id", &p),
                ("programme_id", &prog),
                ("start_date", &app.clock.now().date().to_string()),
                ("perspective", "regularisation"),
                ("screening_note", "Recognised in March; two children."),
                ("case_manager_id", &me),
            ],
        )
        .await;
    app.submit_ok(
        &c,
        &c_csrf,
        &format!("{case}/perspective"),
        &[
            ("perspective", "regularisation"),
            ("decision_stage", "decided"),
            ("migration_project", "Stay and work as a nurse"),
            ("decision", "Wants family reunification for her mother"),
        ],
    )
    .await;
    app.submit_ok(
        &c,
        &c_csrf,
        &format!("{case}/goals"),
        &[
            ("title", "Work placement in a care home"),
            ("domain", "work"),
            ("term", "short"),
            ("owner_id", &me),
        ],
    )
    .await;
    let file = app.page(&c, &case).await;
    let goal = first_attr(&file, "href", |h| {
        h.contains("/goals/") && !h.ends_with("/new")
    });
    let edit = app.page(&c, &goal).await;
    assert!(edit.contains("Work placement in a care home"));
    app.submit_ok(
        &c,
        &c_csrf,
        &goal,
        &[
            ("status", "achieved"),
            ("progress", "Started on Monday"),
            ("owner_id", &me),
        ],
    )
    .await;
    app.submit_ok(
        &c,
        &c_csrf,
        &format!("{case}/appointments"),
        &[
            ("kind", "appointment"),
            ("title", "Meet the employer"),
            ("due_on", "2031-05-01"),
            ("due_time", "14:30"),
        ],
    )
    .await;
    let file = app.page(&c, &case).await;
    for s in [
        "Wants family reunification for her mother",
        "Decided",
        "Achieved",
        "Started on Monday",
        "Meet the employer",
        "2031-05-01 14:30",
        "Recognised in March; two children.",
        "Case manager appointed",
    ] {
        assert!(file.contains(s), "{s}");
    }
    let done = first_attr(&file, "action", |h| h.ends_with("/done"));
    app.submit_ok(&c, &c_csrf, &done, &[]).await;
    let file = app.page(&c, &case).await;
    assert!(!file.contains("/done\""), "nothing left to mark done");
    let caseload = app.page(&c, "/staff/cases").await;
    assert!(caseload.contains("Mariam Hussein"));
}
