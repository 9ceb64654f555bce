//! The safe-reporting hub's work (issue 15, part 2): casework, the police hand-over with
//! consent and allowlist, repeat perpetrators by keyed blind index, figures with small
//! counts withheld. Each refusal is tried: other roles, other kinds of organisation, the
//! police of another unit, a hand-over without consent, status without the reporter's
//! explicit choice, a field outside the allowlist.

use crate::helpers::*;
use haven_core::hub::{self, ReportInput};
use haven_core::ids::ReportId;
use haven_core::{Actor, Role};
use serde_json::{json, Value};

/// A report recorded in person by a hub officer `u` (of a reporting hub).
pub async fn report(app: &TestApp, u: &TestUser, category: &str, what: &str) -> ReportId {
    let actor = Actor::staff(u.id, u.org, vec![Role::HubOfficer]);
    let (id, _code) = hub::record(
        &app.ctx,
        &actor,
        &ReportInput {
            category: Some(category.into()),
            occurred: Some("2026-11".into()),
            what: Some(what.into()),
            place: Some("Near the station".into()),
            reporter_role: Some("victim".into()),
            may_contact: Some("yes".into()),
            contact: Some("0612345678".into()),
            language: Some("en".into()),
            ..Default::default()
        },
        &Some("in_person".to_owned()),
    )
    .await
    .unwrap();
    id
}

/// A report with a protective measure and a hand-over of `fields` to `police`, made by
/// the hub officer `u`: (report, measure, hand-over) ids as text.
pub async fn handed_over(
    app: &TestApp,
    u: &TestUser,
    police: haven_core::ids::OrgId,
    what: &str,
    fields: &[&str],
) -> (String, String, String) {
    let token = app.token(u).await;
    let r = report(app, u, "labour_exploitation", what).await;
    let base = format!("/api/v1/hub/reports/{r}");
    let on = OnReport {
        app,
        token: &token,
        base: &base,
    };
    let (s, v) = on
        .post(
            "measures",
            json!({"measure": "permit_trafficking", "state": "applied", "day": "2026-12-01"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let measure = v["actions"][0]["id"].as_str().unwrap().to_owned();
    let consent = json!({"police_org": police.to_string(), "given_how": "in_person",
                         "given_on": "2026-12-02"});
    let (s, v) = on.post("handover-consents", consent).await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = on.post("handovers", json!({"fields": fields})).await;
    assert_eq!(s, 201, "{v}");
    let handover: String = app
        .scalar("SELECT id FROM hub_handovers WHERE report_id = $1", r)
        .await;
    (r.to_string(), measure, handover)
}

/// The hub's API on one report (`base`), as the officer whose bearer token it holds.
struct OnReport<'a> {
    app: &'a TestApp,
    token: &'a str,
    base: &'a str,
}

impl OnReport<'_> {
    /// `POST` `body` to the report's `what` (`counselling`, `handovers`, …).
    async fn post(&self, what: &str, body: Value) -> (u16, Value) {
        let path = format!("{}/{what}", self.base);
        self.app.post(self.token, &path, body).await
    }

    /// `PUT` `body` to the report's `what` (`triage`).
    async fn put(&self, what: &str, body: Value) -> (u16, Value) {
        let path = format!("{}/{what}", self.base);
        self.app.put(self.token, &path, body).await
    }
}

fn codes(v: &Value) -> Vec<String> {
    fields_of(v)
}

#[tokio::test]
async fn casework_is_the_hubs_own_and_every_refusal_holds() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Work Hub", "reporting_hub", &["hub_officer"])
        .await;
    let token = app.token(&officer).await;
    let r = report(&app, &officer, "trafficking", "Held at a farm").await;
    let base = format!("/api/v1/hub/reports/{r}");
    let on = OnReport {
        app: &app,
        token: &token,
        base: &base,
    };

    // Triage, counselling, a measure and an accompaniment with its police reference.
    let triage = json!({"urgency": "urgent", "needed": ["shelter", "legal_advice"],
                        "follow_up": "2026-12-20", "notes": "Sealed triage note", "version": 0});
    let (s, v) = on.put("triage", triage).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["triage"]["urgency"], "urgent");
    let (s, v) = on
        .put("triage", json!({"urgency": "soon", "version": 0}))
        .await;
    assert_eq!(s, 409, "a stale triage is a conflict: {v}");
    let (s, v) = on.post("counselling", json!({"day": "2026-12-01"})).await;
    assert_eq!((s, codes(&v)), (422, vec!["topic".to_owned()]), "{v}");
    let (s, _) = on
        .post(
            "counselling",
            json!({"day": "2026-12-01", "topic": "Residence permit B8"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, v) = on
        .post(
            "measures",
            json!({"measure": "permit_trafficking", "state": "applied", "day": "2026-12-02"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let measure = v["actions"][1]["id"].as_str().unwrap().to_owned();
    let (s, v) = app
        .put(
            &token,
            &format!("/api/v1/hub/measures/{measure}"),
            json!({"state": "granted", "day": "2026-12-03", "version": 1}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["actions"][1]["state"], "granted");
    let accompaniment = json!({"day": "2026-12-04", "station": "Bureau Centrum",
                               "outcome": "Report taken", "police_reference": "PL-2026-0042"});
    let (s, v) = on.post("accompaniments", accompaniment).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["actions"][2]["data"]["police_reference"], "PL-2026-0042");
    // Sealed: the note and the reference are not in the database as text.
    let sealed: Vec<u8> = app
        .scalar("SELECT sealed FROM hub_triage WHERE report_id = $1", r)
        .await;
    assert!(!String::from_utf8_lossy(&sealed).contains("Sealed triage note"));
    assert!(app.audit_count("hub.casework.read").await == 0);
    let (s, _) = app.get(&token, &format!("{base}/casework")).await;
    assert_eq!(s, 200);
    assert_eq!(app.audit_count("hub.casework.read").await, 1);

    // Other roles of the hub, hub officers of other kinds of organisation, another hub.
    let cm = app
        .user_in("Work Hub", "reporting_hub", &["case_manager"])
        .await;
    let ngo_officer = app.user("Work NGO", &["hub_officer"]).await;
    let other_hub = app
        .user_in("Other Hub", "reporting_hub", &["hub_officer"])
        .await;
    let police = app
        .user_in("Work Police", "police_liaison", &["police_liaison"])
        .await;
    for (who, u, want) in [
        ("a case manager of the hub", &cm, 403),
        ("a hub officer of an NGO", &ngo_officer, 403),
        ("a hub officer of another hub", &other_hub, 404),
        ("a police liaison", &police, 403),
    ] {
        let t = app.token(u).await;
        let (s, _) = app.get(&t, &format!("{base}/casework")).await;
        assert_eq!(s, want, "{who} reads the casework");
        let (s, _) = app
            .post(
                &t,
                &format!("{base}/counselling"),
                json!({"day": "2026-12-01", "topic": "x"}),
            )
            .await;
        assert_eq!(s, want, "{who} records counselling");
        let (s, _) = app.get(&t, "/api/v1/hub/figures").await;
        assert_eq!(
            s,
            if want == 404 { 200 } else { 403 },
            "{who} reads figures"
        );
    }
}

#[tokio::test]
async fn a_hand_over_needs_consent_keeps_to_the_allowlist_and_reaches_only_its_unit() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Hand Hub", "reporting_hub", &["hub_officer"])
        .await;
    let token = app.token(&officer).await;
    let unit = app
        .user_in("Unit A", "police_liaison", &["police_liaison"])
        .await;
    let other_unit = app
        .user_in("Unit B", "police_liaison", &["police_liaison"])
        .await;
    let ngo = app.org("Hand NGO", "ngo").await;
    let r = report(
        &app,
        &officer,
        "labour_exploitation",
        "Wages kept by the farm",
    )
    .await;
    let base = format!("/api/v1/hub/reports/{r}");
    let on = OnReport {
        app: &app,
        token: &token,
        base: &base,
    };

    // No consent yet: refused.
    let (s, v) = on.post("handovers", json!({"fields": ["what"]})).await;
    assert_eq!(s, 409, "{v}");
    // A consent names only a police liaison unit.
    let consent = json!({"police_org": ngo.to_string(), "given_how": "in_person",
                         "given_on": "2026-12-01"});
    let (s, v) = on.post("handover-consents", consent).await;
    assert_eq!((s, codes(&v)), (422, vec!["police_org".to_owned()]), "{v}");
    let consent = json!({"police_org": unit.org.to_string(), "given_how": "phone",
                         "given_on": "2026-12-01", "with_nationality": true});
    let (s, v) = on.post("handover-consents", consent).await;
    assert_eq!(s, 201, "{v}");
    // Status without the reporter's explicit choice; a field outside the allowlist.
    let (s, v) = on
        .post(
            "handovers",
            json!({"fields": ["what", "residence_status"], "residence_status": "undocumented"}),
        )
        .await;
    assert_eq!(
        (s, codes(&v)),
        (422, vec!["residence_status".to_owned()]),
        "{v}"
    );
    let (s, v) = on
        .post("handovers", json!({"fields": ["what", "notes"]}))
        .await;
    assert_eq!((s, codes(&v)), (422, vec!["fields".to_owned()]), "{v}");
    assert_eq!(app.count("hub_handovers").await, 0, "nothing half-written");
    // Chosen: what happened, the category and the nationality (which the reporter chose).
    let (s, v) = on
        .post(
            "handovers",
            json!({"fields": ["what", "category", "nationality"], "nationality": "Eritrean"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let id: String = app
        .scalar("SELECT id FROM hub_handovers WHERE report_id = $1", r)
        .await;

    // The receiving unit sees exactly these fields, audited; the other unit nothing.
    let t = app.token(&unit).await;
    let (s, list) = app.get(&t, "/api/v1/police/handovers").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (s, h) = app.get(&t, &format!("/api/v1/police/handovers/{id}")).await;
    assert_eq!(s, 200, "{h}");
    let got: Vec<(&str, &str)> = h["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("what", "Wages kept by the farm"),
            ("category", "labour_exploitation"),
            ("nationality", "Eritrean")
        ]
    );
    let text = h.to_string();
    for withheld in ["Near the station", "0612345678", "victim"] {
        assert!(!text.contains(withheld), "{withheld} in {text}");
    }
    assert_eq!(app.audit_count("hub.handover.read").await, 1);
    assert_eq!(app.audit_count("hub.handover.list").await, 1);
    let t2 = app.token(&other_unit).await;
    let (s, list) = app.get(&t2, "/api/v1/police/handovers").await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 0));
    let (s, _) = app
        .get(&t2, &format!("/api/v1/police/handovers/{id}"))
        .await;
    assert_eq!(s, 404, "another unit's hand-over is not found");
    // Nobody else reads hand-overs: not the hub, not other roles.
    for u in [&officer, &app.user("Hand NGO", &["case_manager"]).await] {
        let t = app.token(u).await;
        let (s, _) = app.get(&t, &format!("/api/v1/police/handovers/{id}")).await;
        assert_eq!(s, 403);
    }
    // The police page shows the same, and the list links it.
    let (c, _) = app.browser(&unit).await;
    let page = app.page(&c, &format!("/staff/police/handovers/{id}")).await;
    assert!(page.contains("Wages kept by the farm") && page.contains("Eritrean"));
    assert!(!page.contains("Near the station"));
}

#[tokio::test]
async fn two_reports_naming_one_employer_are_flagged_to_the_hub_only() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Perp Hub", "reporting_hub", &["hub_officer"])
        .await;
    let token = app.token(&officer).await;
    let a = report(&app, &officer, "labour_exploitation", "First").await;
    let b = report(&app, &officer, "labour_exploitation", "Second").await;
    let c = report(&app, &officer, "labour_exploitation", "Third").await;
    let name = |r: ReportId, n: &str| {
        let app = &app;
        let token = token.clone();
        let n = n.to_owned();
        async move {
            let (s, v) = app
                .post(
                    &token,
                    &format!("/api/v1/hub/reports/{r}/perpetrators"),
                    json!({"name": n}),
                )
                .await;
            assert_eq!(s, 201, "{v}");
            v
        }
    };
    name(a, "Kwekerij De Groot B.V.").await;
    name(c, "Kwekerij De Vries BV").await;
    let v = name(b, "  kwekerij de GRÓÓT bv ").await;
    assert_eq!(v["perpetrators"][0]["also_in"], json!([a.to_string()]));
    let (_, v) = app
        .get(&token, &format!("/api/v1/hub/reports/{a}/casework"))
        .await;
    assert_eq!(v["perpetrators"][0]["also_in"], json!([b.to_string()]));
    let (_, v) = app
        .get(&token, &format!("/api/v1/hub/reports/{c}/casework"))
        .await;
    assert_eq!(
        v["perpetrators"][0]["also_in"],
        json!([]),
        "a different name"
    );
    // Another hub naming the same employer learns nothing, and flags nothing here.
    let other = app
        .user_in("Perp Hub 2", "reporting_hub", &["hub_officer"])
        .await;
    let d = report(&app, &other, "fraud", "Elsewhere").await;
    let t = app.token(&other).await;
    let (_, v) = app
        .post(
            &t,
            &format!("/api/v1/hub/reports/{d}/perpetrators"),
            json!({"name": "Kwekerij de Groot Ltd"}),
        )
        .await;
    assert_eq!(v["perpetrators"][0]["also_in"], json!([]));
    // The name is not stored beside its index, nor as text anywhere.
    let names: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM hub_perpetrators WHERE report_id = $1",
            &a.to_string(),
        )
        .await;
    assert_eq!(names, 1);
    let sealed: Vec<u8> = app
        .scalar(
            "SELECT sealed FROM hub_perpetrators WHERE report_id = $1",
            a,
        )
        .await;
    assert!(!String::from_utf8_lossy(&sealed)
        .to_lowercase()
        .contains("groot"));
}

#[tokio::test]
async fn figures_withhold_small_counts_and_totals_that_would_reveal_them() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Fig Hub", "reporting_hub", &["hub_officer"])
        .await;
    let token = app.token(&officer).await;
    for i in 0..3 {
        report(&app, &officer, "fraud", &format!("Fraud {i}")).await;
    }
    for i in 0..6 {
        report(&app, &officer, "assault", &format!("Assault {i}")).await;
    }
    let (s, v) = app.get(&token, "/api/v1/hub/figures").await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["categories"], json!(["assault", "fraud"]));
    let month = &v["months"][0];
    assert_eq!(month["counts"][0], json!({"kind": "exact", "value": 6}));
    assert_eq!(
        month["counts"][1],
        json!({"kind": "fewer_than", "value": 5})
    );
    // 9 in the month would say 9 − 6 = 3 fraud reports: withheld, and so the grand total.
    assert_eq!(month["total"], json!({"kind": "withheld"}));
    assert_eq!(v["reports"], json!({"kind": "withheld"}));
    assert_eq!(
        v["category_totals"][1],
        json!({"kind": "fewer_than", "value": 5})
    );
    assert!(v["handed_share"].is_null());
    let text = v.to_string();
    assert!(
        !text.contains("\"value\":9") && !text.contains("\"value\":3"),
        "{text}"
    );
    // The page says the same in words.
    let (c, _) = app.browser(&officer).await;
    let page = app.page(&c, "/staff/hub/figures").await;
    assert!(
        page.contains("fewer than 5") && page.contains("withheld"),
        "{page}"
    );
    assert!(!page.contains(">9<") && !page.contains(">3<"));
    // Two more fraud reports: 5 and 6, every count and total shown.
    report(&app, &officer, "fraud", "Fraud 3").await;
    report(&app, &officer, "fraud", "Fraud 4").await;
    let (_, v) = app.get(&token, "/api/v1/hub/figures").await;
    assert_eq!(v["reports"], json!({"kind": "exact", "value": 11}));
}

#[tokio::test]
async fn the_purge_erases_the_hubs_work_and_keeps_its_counts() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Purge Hub", "reporting_hub", &["hub_officer"])
        .await;
    let unit = app
        .user_in("Purge Unit", "police_liaison", &["police_liaison"])
        .await;
    let (report, _measure, handover) =
        handed_over(&app, &officer, unit.org, "Purged in time", &["what"]).await;
    let token = app.token(&officer).await;
    let (s, _) = app
        .post(
            &token,
            &format!("/api/v1/hub/reports/{report}/perpetrators"),
            json!({"name": "Purge Employer BV"}),
        )
        .await;
    assert_eq!(s, 201);
    let actor = Actor::staff(officer.id, officer.org, vec![Role::HubOfficer]);
    hub::close(&app.ctx, &actor, report.parse().unwrap(), Some(1))
        .await
        .unwrap();
    app.clock.advance(40 * 31 * 86_400);
    app.sweep().await;
    let police = app.token(&unit).await;
    let token = app.token(&officer).await;
    let (s, list) = app.get(&police, "/api/v1/police/handovers").await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 0));
    let (s, _) = app
        .get(&police, &format!("/api/v1/police/handovers/{handover}"))
        .await;
    assert_eq!(s, 410, "the hand-over went with the report's key");
    let (s, _) = app
        .get(&token, &format!("/api/v1/hub/reports/{report}/casework"))
        .await;
    assert_eq!(s, 410);
    assert_eq!(app.count("hub_perpetrator_index").await, 0);
    let sealed: i64 = app
        .value(
            "SELECT COUNT(*) FROM hub_actions WHERE sealed IS NOT NULL \
             UNION ALL SELECT COUNT(*) FROM hub_handovers WHERE sealed IS NOT NULL \
             ORDER BY 1 DESC LIMIT 1",
        )
        .await;
    assert_eq!(sealed, 0, "no sealed part is left");
    // The counts remain: one report, one handed over, one permit applied for.
    let (_, v) = app.get(&token, "/api/v1/hub/figures").await;
    assert_eq!(v["reports"], json!({"kind": "fewer_than", "value": 5}));
    assert_eq!(v["handed_over"], json!({"kind": "fewer_than", "value": 5}));
    assert_eq!(
        v["measures"][0]["applied"],
        json!({"kind": "fewer_than", "value": 5})
    );
}
