//! Outreach contacts refer through the consented-referral mechanism (issue 5): an
//! anonymous person's line stays signposting; a registered person's line to a directory
//! service becomes a consented referral made by the referrals module (source `outreach`),
//! recorded on the line, once; the receiving side sees only the allowlist and "street
//! outreach"; withdrawing the consent ends its access; the team lead sees outcomes as
//! aggregates with small counts withheld.

use crate::helpers::*;
use haven_core::Clock;
use serde_json::{json, Value};

struct Setup {
    worker: TestUser,
    token: String,
    receiver: TestUser,
    r_token: String,
    service: String,
}

async fn setup(app: &TestApp) -> Setup {
    let worker = app.user("Street Team", &["outreach_worker"]).await;
    let receiver = app.user("Clinic Org", &["partner_staff"]).await;
    let service = app.dir_service(receiver.org, "Walk-in clinic").await;
    let token = app.token(&worker).await;
    let r_token = app.token(&receiver).await;
    Setup {
        worker,
        token,
        receiver,
        r_token,
        service,
    }
}

/// A contact with `n` people, each signposted to `service`; returns its id.
async fn contact(app: &TestApp, token: &str, service: &str, n: usize) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let persons: Vec<Value> = (0..n)
        .map(|i| {
            json!({"alias": format!("Canary Alias {i}"), "gender": "female",
                   "project": "Outreach canary project",
                   "referrals": [{"kind": "service", "id": service}]})
        })
        .collect();
    let (status, v) = app
        .post(
            token,
            "/api/v1/outreach/sync",
            json!({"records": [{"id": id, "contact": {
            "contact_at": app.clock.now_ts() - 600, "area": "city_park",
            "people_count": n, "activities": ["contacted", "referred"], "persons": persons,
            "followup_at": app.clock.now_ts() + 86_400}}]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(v["results"][0]["status"], "stored", "{v}");
    id
}

async fn register(app: &TestApp, token: &str, contact: &str, ordinal: i64) -> String {
    let (status, v) = app
        .post(
            token,
            "/api/v1/outreach/register",
            json!({"consent": true, "links": [{"contact_id": contact, "ordinal": ordinal}],
               "person": {"name": "Outreach Canary Name", "alias": "Canary",
                          "residence_status": "undocumented", "phone": "+31 6 5555 0000",
                          "notes": "Private outreach canary note"}}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    v["person_id"].as_str().unwrap().to_owned()
}

fn refer_body(app: &TestApp, s: &Setup, ordinal: i64) -> Value {
    json!({"ordinal": ordinal, "service_id": s.service, "purpose": "health_care",
           "valid_until": app.in_days(30), "share_residence_status": false,
           "person_agreed": true, "reason": "Needs a doctor"})
}

async fn refer(app: &TestApp, s: &Setup, contact: &str, ordinal: i64) -> (u16, Value) {
    refer_as(app, &s.token, s, contact, ordinal).await
}

/// A referral from a contact's line, asked for with any token.
async fn refer_as(
    app: &TestApp,
    token: &str,
    s: &Setup,
    contact: &str,
    ordinal: i64,
) -> (u16, Value) {
    let path = format!("/api/v1/outreach/contacts/{contact}/referrals");
    app.post(token, &path, refer_body(app, s, ordinal)).await
}

async fn line_referral(app: &TestApp, contact: &str, ordinal: i64) -> Option<String> {
    sqlx::query_scalar(
        "SELECT referral_id FROM outreach_referrals WHERE contact_id = $1 AND ordinal = $2",
    )
    .bind(contact)
    .bind(ordinal)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap()
}

/// Where a referral came from.
#[derive(sqlx::FromRow)]
struct Source {
    source_type: String,
    source_id: String,
    person_id: String,
}

/// An audit event: what was done, to which ids.
#[derive(sqlx::FromRow)]
struct Event {
    action: String,
    object_ids: String,
}

#[tokio::test]
async fn an_anonymous_contact_stays_signposting() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let c = contact(&app, &s.token, &s.service, 1).await;
    let (status, v) = app
        .get(
            &s.token,
            &format!("/api/v1/outreach/contacts/{c}/referrals"),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["lines"][0]["kind"], "signposted");
    assert_eq!(v["lines"][0]["can_refer"], false);
    assert_eq!(
        v["lines"][0]["target_name"],
        "Walk-in clinic (organisation): Walk-in clinic"
    );
    let (status, v) = refer(&app, &s, &c, 0).await;
    assert_eq!(status, 409, "{v}");
    assert_eq!(v["error"], "err-outreach-anonymous-referral");
    assert!(v["message"].as_str().unwrap().contains("anonymous"), "{v}");
    assert_eq!(app.count("referrals").await, 0);
    assert_eq!(app.count("referral_consents").await, 0);
    assert_eq!(line_referral(&app, &c, 0).await, None);
}

#[tokio::test]
async fn a_registered_contact_is_referred_with_consent_once_and_the_receiver_sees_the_minimum() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let c = contact(&app, &s.token, &s.service, 1).await;
    let person = register(&app, &s.token, &c, 0).await;
    // Every problem at once, nothing written.
    let (status, v) = app
        .post(
            &s.token,
            &format!("/api/v1/outreach/contacts/{c}/referrals"),
            json!({"ordinal": 0, "service_id": s.service, "reason": "x".repeat(3000)}),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    let fields = texts(&v["fields"], "field");
    assert_eq!(
        fields,
        ["purpose", "valid_until", "person_agreed", "reason"],
        "{v}"
    );
    assert_eq!(app.count("referral_consents").await, 0);
    // The consented referral.
    let (status, v) = refer(&app, &s, &c, 0).await;
    assert_eq!(status, 201, "{v}");
    let rid = v["id"].as_str().unwrap().to_owned();
    assert_eq!(
        line_referral(&app, &c, 0).await.as_deref(),
        Some(rid.as_str())
    );
    let source: Source =
        sqlx::query_as("SELECT source_type, source_id, person_id FROM referrals WHERE id = $1")
            .bind(&rid)
            .fetch_one(&app.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (source.source_type.as_str(), source.source_id.as_str()),
        ("outreach", c.as_str())
    );
    assert_eq!(source.person_id, person);
    // Twice: refused, one referral.
    let (status, v) = refer(&app, &s, &c, 0).await;
    assert_eq!(status, 409, "{v}");
    assert_eq!(v["error"], "err-outreach-already-referred");
    assert_eq!(app.count("referrals").await, 1);
    assert_eq!(app.count("referral_consents").await, 1);
    // Both steps audited, with ids only.
    let events: Vec<Event> = sqlx::query_as(
        "SELECT action, object_ids FROM audit_events WHERE action IN \
         ('referral.consent_record', 'referral.send', 'outreach.contact.refer') ORDER BY seq",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "referral.consent_record",
            "referral.send",
            "outreach.contact.refer"
        ]
    );
    assert!(events.iter().all(|e| !e.object_ids.contains("Canary")));
    // The lines say so.
    let (_, v) = app
        .get(
            &s.token,
            &format!("/api/v1/outreach/contacts/{c}/referrals"),
        )
        .await;
    assert_eq!(v["lines"][0]["kind"], "referred_with_consent");
    assert_eq!(v["lines"][0]["referral"]["status"], "sent");
    assert_eq!(v["lines"][0]["can_refer"], false);
    // The receiving organisation: in its list, only the allowlist, "outreach" as source.
    let (status, v) = app.get(&s.r_token, "/api/v1/referrals/received").await;
    assert_eq!(status, 200);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["id"], rid.as_str());
    let (status, v) = app
        .get(&s.r_token, &format!("/api/v1/referrals/received/{rid}"))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["source_type"], "outreach");
    let text = v.to_string();
    assert!(!text.contains(&c), "no contact id: {text}");
    assert!(!text.contains("Canary Alias") && !text.contains("canary project"));
    assert!(!text.contains("Private outreach canary note"));
    assert!(
        !text.contains("undocumented"),
        "residence status not shared"
    );
    // health_care shares name, birth, gender, languages, phone; not the alias.
    assert_eq!(v["person"]["name"], "Outreach Canary Name");
    assert_eq!(v["person"]["alias"], Value::Null);
    assert_eq!(v["person"]["residence_status"], Value::Null);
    let receiver = app.login(&s.receiver).await;
    let page = app
        .page(&receiver, &format!("/staff/referrals/received/{rid}"))
        .await;
    assert!(page.contains("street outreach"), "source on the page");
    assert!(!page.contains(&c));
    // An edit of the contact on the device keeps the line's referral.
    let (status, v) = app
        .post(
            &s.token,
            "/api/v1/outreach/sync",
            json!({"records": [{"id": c, "base_version": 1, "contact": {
            "contact_at": app.clock.now_ts() - 600, "area": "harbour", "people_count": 1,
            "activities": ["contacted", "referred"],
            "persons": [{"alias": "Canary Alias 0",
                         "referrals": [{"kind": "service", "id": s.service}]}]}}]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(v["results"][0]["status"], "stored", "{v}");
    assert_eq!(
        line_referral(&app, &c, 0).await.as_deref(),
        Some(rid.as_str())
    );
}

#[tokio::test]
async fn withdrawing_the_consent_ends_the_receivers_access() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let c = contact(&app, &s.token, &s.service, 1).await;
    register(&app, &s.token, &c, 0).await;
    let (_, v) = refer(&app, &s, &c, 0).await;
    let rid = v["id"].as_str().unwrap().to_owned();
    let person_path = format!("/api/v1/referrals/received/{rid}/person");
    let (status, _) = app.get(&s.r_token, &person_path).await;
    assert_eq!(status, 200);
    let (_, sent) = app.get(&s.token, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(sent["source_type"], "outreach");
    let consent = sent["consent"]["id"].as_str().unwrap().to_owned();
    let (status, v) = app
        .post(
            &s.token,
            &format!("/api/v1/consents/{consent}/withdraw"),
            json!({}),
        )
        .await;
    assert!(status == 200 || status == 204, "{status} {v}");
    let (status, _) = app.get(&s.r_token, &person_path).await;
    assert_eq!(status, 404);
    let (_, v) = app
        .get(&s.r_token, &format!("/api/v1/referrals/received/{rid}"))
        .await;
    assert_eq!(v["person"], Value::Null);
    let (_, v) = app
        .get(
            &s.token,
            &format!("/api/v1/outreach/contacts/{c}/referrals"),
        )
        .await;
    assert_eq!(v["lines"][0]["referral"]["status"], "withdrawn");
}

#[tokio::test]
async fn another_organisations_worker_cannot_refer_the_contact() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let c = contact(&app, &s.token, &s.service, 1).await;
    register(&app, &s.token, &c, 0).await;
    let (_, o_token) = app.staff("Other Street Team", &["outreach_worker"]).await;
    let (status, _) = refer_as(&app, &o_token, &s, &c, 0).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .get(
            &o_token,
            &format!("/api/v1/outreach/contacts/{c}/referrals"),
        )
        .await;
    assert_eq!(status, 404);
    // A case manager without outreach may not use the outreach route at all.
    let (_, cm_token) = app.staff("Street Team", &["case_manager"]).await;
    let (status, _) = refer_as(&app, &cm_token, &s, &c, 0).await;
    assert_eq!(status, 403);
    assert_eq!(app.count("referrals").await, 0);
}

#[tokio::test]
async fn the_team_lead_sees_outcomes_through_the_join_with_small_counts_withheld() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let (lead, l_token) = app.staff("Street Team", &["team_lead"]).await;
    let team = |app: &TestApp| {
        let url = app.url("/api/v1/outreach/team");
        let tok = l_token.clone();
        async move {
            let v: Value = TestApp::client()
                .get(url)
                .bearer_auth(tok)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["referrals"][0].clone()
        }
    };
    // Six people met, each signposted to the clinic; five registered and referred.
    let c = contact(&app, &s.token, &s.service, 6).await;
    let mut rids = Vec::new();
    for i in 0..5 {
        register(&app, &s.token, &c, i).await;
        let (status, v) = refer(&app, &s, &c, i).await;
        assert_eq!(status, 201, "{v}");
        rids.push(v["id"].as_str().unwrap().to_owned());
    }
    let v = team(&app).await;
    // Six lines, one signposted: 6 beside the 5 referred would give the 1 away.
    assert_eq!(v["referrals"], json!({"kind": "withheld"}));
    assert_eq!(v["signposted"], json!({"kind": "fewer_than", "value": 5}));
    assert_eq!(
        v["referred_with_consent"],
        json!({"kind": "exact", "value": 5})
    );
    assert_eq!(v["accepted"], json!({"kind": "exact", "value": 0}));
    // One accepted and helped: withheld as "fewer than 5".
    let (status, _) = app
        .post(
            &s.r_token,
            &format!("/api/v1/referrals/received/{}/accept", rids[0]),
            json!({}),
        )
        .await;
    assert!(status < 300);
    let (status, v) = app
        .post(
            &s.r_token,
            &format!("/api/v1/referrals/received/{}/result", rids[0]),
            json!({"result": "helped"}),
        )
        .await;
    assert!(status < 300, "{v}");
    let v = team(&app).await;
    assert_eq!(v["accepted"], json!({"kind": "fewer_than", "value": 5}));
    assert_eq!(v["helped"], json!({"kind": "fewer_than", "value": 5}));
    // All five accepted and helped: shown exactly.
    for rid in &rids[1..] {
        app.post(
            &s.r_token,
            &format!("/api/v1/referrals/received/{rid}/accept"),
            json!({}),
        )
        .await;
        app.post(
            &s.r_token,
            &format!("/api/v1/referrals/received/{rid}/result"),
            json!({"result": "helped"}),
        )
        .await;
    }
    let v = team(&app).await;
    assert_eq!(v["accepted"], json!({"kind": "exact", "value": 5}));
    assert_eq!(
        v["referred_with_consent"],
        json!({"kind": "exact", "value": 5})
    );
    assert_eq!(v["helped"], json!({"kind": "exact", "value": 5}));
    assert_eq!(v["declined"], json!({"kind": "exact", "value": 0}));
    assert_eq!(v["no_show"], json!({"kind": "exact", "value": 0}));
    // The page shows the same, without names.
    let page = app.page(&app.login(&lead).await, "/outreach/team").await;
    assert!(page.contains("Outcomes of referrals with consent"));
    assert!(
        page.contains(&format!("/staff/outreach/contacts/{c}")),
        "follow-up links"
    );
    assert!(page.contains("fewer than 5"), "signposted withheld");
    assert!(!page.contains("Canary"));
}

#[tokio::test]
async fn the_staff_page_refers_with_consent_through_a_form() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let c = contact(&app, &s.token, &s.service, 2).await;
    register(&app, &s.token, &c, 0).await;
    let web = app.login(&s.worker).await;
    let page = app
        .page(&web, &format!("/staff/outreach/contacts/{c}"))
        .await;
    assert!(page.contains("Signposted"));
    assert!(page.contains("Anonymous: this stays signposting"));
    let href = format!(
        "/staff/outreach/contacts/{c}/refer?ordinal=0&#38;service={}",
        s.service
    );
    assert!(page.contains(&href), "refer link: {page}");
    // The anonymous person's line has no form.
    let r = app
        .visit(
            &web,
            &format!(
                "/staff/outreach/contacts/{c}/refer?ordinal=1&service={}",
                s.service
            ),
        )
        .await;
    assert_eq!(r.status(), 409);
    let form = app.page(&web, &href.replace("&#38;", "&")).await;
    assert!(form.contains("Walk-in clinic"));
    let csrf = csrf_of(&form);
    let action = format!("/staff/outreach/contacts/{c}/refer");
    let until = app.in_days(20);
    let consented = [
        ("ordinal", "0"),
        ("service_id", s.service.as_str()),
        ("purpose", "health_care"),
        ("valid_until", until.as_str()),
        ("person_agreed", "on"),
    ];
    // Without the person's yes (nor a date): the form again, nothing written.
    app.submit_refused(&web, &csrf, &action, &consented[..3])
        .await;
    assert_eq!(app.count("referrals").await, 0);
    let to = app.submit_ok(&web, &csrf, &action, &consented).await;
    assert_eq!(to, format!("/staff/outreach/contacts/{c}"));
    assert_eq!(app.count("referrals").await, 1);
    let page = app
        .page(&web, &format!("/staff/outreach/contacts/{c}"))
        .await;
    assert!(page.contains("Referred with consent"));
    // Twice: a clear message, no second referral.
    let page = app
        .submit_expect(&web, &csrf, &action, &consented, 409)
        .await;
    assert!(page.contains("already made from this line"));
    assert_eq!(app.count("referrals").await, 1);
}
