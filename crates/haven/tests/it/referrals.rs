//! Referrals: consent first, the allowlist, the residence status, the steps on both sides,
//! access that ends at the next request, notifications, the network view, and a property
//! test of who may read a person through a referral.

use crate::helpers::*;
use haven_core::ids::{ConsentId, PersonId, ReferralId};
use haven_core::people::{self, PersonInput};
use haven_core::referrals::{self, ConsentInput, ReferInput};
use haven_core::{Actor, Clock, Error, Role};
use serde_json::{json, Value};

/// Two organisations: the sender with a case manager, the receiver with partner staff and
/// a service; and a person of the sender with every field filled.
struct Net {
    sender: TestUser,
    receiver: TestUser,
    s_token: String,
    r_token: String,
    service: String,
    person: String,
}

async fn net(app: &TestApp) -> Net {
    let sender = app.user("Sending Org", &["case_manager"]).await;
    let receiver = app.user("Receiving Org", &["partner_staff"]).await;
    let service = app.dir_service(receiver.org, "Walk-in clinic").await;
    let person = app
        .person(
            &sender,
            PersonInput {
                name: Some("Referral Canary Name".into()),
                alias: Some("Canary".into()),
                birth_year: Some("1990".into()),
                gender: Some("female".into()),
                nationalities: vec!["Eritrea".into()],
                languages: vec!["Tigrinya".into()],
                phone: Some("+31 6 1234 5678".into()),
                residence_status: Some("undocumented".into()),
                notes: Some("Private canary note".into()),
                ..Default::default()
            },
        )
        .await;
    let s_token = app.token(&sender).await;
    let r_token = app.token(&receiver).await;
    Net {
        sender,
        receiver,
        s_token,
        r_token,
        service,
        person,
    }
}

/// Records a consent for `person` as the holder of `token`.
async fn give_consent(app: &TestApp, token: &str, person: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/persons/{person}/consents");
    app.post(token, &path, body).await
}

/// Sends a referral as the holder of `token`.
async fn refer_with(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.post(token, "/api/v1/referrals", body).await
}

/// Withdraws a consent or a referral (`what`: "consents" or "referrals").
async fn withdraw(app: &TestApp, token: &str, what: &str, id: &str) -> (u16, Value) {
    let path = format!("/api/v1/{what}/{id}/withdraw");
    app.post(token, &path, json!({})).await
}

/// A step of the receiving side on a referral: accept, decline or result.
async fn step(app: &TestApp, token: &str, r: &str, what: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/referrals/received/{r}/{what}");
    app.post(token, &path, body).await
}

/// A referral as its sender reads it.
async fn sent(app: &TestApp, n: &Net, r: &str) -> Value {
    app.get(&n.s_token, &format!("/api/v1/referrals/{r}"))
        .await
        .1
}

/// What a consent to the receiver for `purpose`, valid `days` days, says (the person
/// agreed).
fn consent_to(app: &TestApp, n: &Net, purpose: &str, days: i64) -> Value {
    json!({"to_org": n.receiver.org.to_string(), "purpose": purpose,
           "valid_until": app.in_days(days), "person_agreed": true})
}

async fn consent(app: &TestApp, n: &Net, purpose: &str, share_status: bool) -> String {
    let mut body = consent_to(app, n, purpose, 30);
    body["share_residence_status"] = json!(share_status);
    let (status, v) = give_consent(app, &n.s_token, &n.person, body).await;
    assert_eq!(status, 201, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

async fn refer(app: &TestApp, n: &Net, consent: &str) -> String {
    let (status, v) = refer_with(
        app,
        &n.s_token,
        json!({"consent_id": consent, "service_id": n.service, "reason": "Needs a doctor"}),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

async fn person_view(app: &TestApp, n: &Net, referral: &str) -> (u16, Value) {
    app.get(
        &n.r_token,
        &format!("/api/v1/referrals/received/{referral}/person"),
    )
    .await
}

#[tokio::test]
async fn consent_comes_first_and_is_checked() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    // No referral without a consent.
    let (status, v) = refer_with(&app, &n.s_token, json!({"service_id": n.service})).await;
    assert_eq!(status, 422);
    assert!(fields_of(&v).contains(&"consent_id".to_owned()), "{v}");
    // Every problem of a consent at once.
    let (status, v) = give_consent(&app, &n.s_token, &n.person, json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(
        fields_of(&v),
        ["to_org", "purpose", "valid_until", "person_agreed"],
        "{v}"
    );
    // Not to one's own organisation, not beyond a year, not without the person's yes.
    let (status, v) = give_consent(
        &app,
        &n.s_token,
        &n.person,
        json!({"to_org": n.sender.org.to_string(), "purpose": "health_care",
               "valid_until": app.in_days(400), "person_agreed": false}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields_of(&v),
        ["to_org", "valid_until", "person_agreed"],
        "{v}"
    );
    // Another organisation's person is not found.
    let (other, o_token) = app.staff("Third Org", &["case_manager"]).await;
    let body = consent_to(&app, &n, "health_care", 30);
    let (status, _) = give_consent(&app, &o_token, &n.person, body).await;
    assert_eq!(status, 404);
    // A consent of another organisation cannot be used, nor a service of another one.
    let c = consent(&app, &n, "health_care", false).await;
    let (status, v) = refer_with(
        &app,
        &o_token,
        json!({"consent_id": c, "service_id": n.service}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    let elsewhere = app.dir_service(other.org, "Other service").await;
    let (status, v) = refer_with(
        &app,
        &n.s_token,
        json!({"consent_id": c, "service_id": elsewhere}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["service_id"]);
    assert_eq!(app.count("referrals").await, 0, "nothing half-written");
    // A withdrawn consent refers nobody.
    let (status, _) = withdraw(&app, &n.s_token, "consents", &c).await;
    assert_eq!(status, 204);
    let (status, v) = refer_with(
        &app,
        &n.s_token,
        json!({"consent_id": c, "service_id": n.service}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["consent_id"]);
    // The consent says who recorded it and until when: the end of its last day.
    let (_, v) = app
        .get(
            &n.s_token,
            &format!("/api/v1/persons/{}/referrals", n.person),
        )
        .await;
    let c0 = &v["consents"][0];
    assert!(c0["recorded_by"].as_str().unwrap().starts_with("Test "));
    assert_eq!(c0["valid"], false);
    assert_eq!(c0["expires_at"].as_i64().unwrap() % 86_400, 0);
}

#[tokio::test]
async fn the_receiving_side_sees_only_the_allowlist_and_never_the_whole_record() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    // Day centre: alias and languages only; no residence status without agreement.
    let c = consent(&app, &n, "day_centre", false).await;
    let r = refer(&app, &n, &c).await;
    let (status, v) = person_view(&app, &n, &r).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["alias"], "Canary");
    assert_eq!(v["languages"], json!(["Tigrinya"]));
    for absent in [
        "name",
        "phone",
        "birth_year",
        "gender",
        "nationalities",
        "residence_status",
    ] {
        assert!(v[absent].is_null(), "{absent} shared: {v}");
    }
    let text = v.to_string();
    assert!(!text.contains("Private canary note") && !text.contains("undocumented"));
    // Legal advice with the person's agreement to share the residence status.
    let c2 = consent(&app, &n, "legal_advice", true).await;
    let r2 = refer(&app, &n, &c2).await;
    let (_, v) = person_view(&app, &n, &r2).await;
    assert_eq!(v["name"], "Referral Canary Name");
    assert_eq!(v["residence_status"], "undocumented");
    assert!(v["gender"].is_null() && v["alias"].is_null());
    // The received referral carries the same minimum and the reason.
    let (_, v) = app
        .get(&n.r_token, &format!("/api/v1/referrals/received/{r}"))
        .await;
    assert_eq!(v["reason"], "Needs a doctor");
    assert!(v["person"]["name"].is_null());
    assert!(!v.to_string().contains("Private canary note"));
    // The whole record stays closed to the receiving organisation, whatever its role.
    let (_, cm_token) = app.staff("Receiving Org", &["case_manager"]).await;
    for token in [&n.r_token, &cm_token] {
        let (status, _) = app
            .get(token, &format!("/api/v1/persons/{}", n.person))
            .await;
        assert_eq!(status, 404);
        let (_, found) = app.get(token, "/api/v1/persons?q=Canary").await;
        assert_eq!(
            found,
            json!([]),
            "a referral does not make a person findable"
        );
    }
    // Another organisation sees nothing of the referral.
    let (_, o_token) = app.staff("Third Org", &["partner_staff"]).await;
    let (status, _) = app
        .get(&o_token, &format!("/api/v1/referrals/received/{r}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .get(&o_token, &format!("/api/v1/referrals/received/{r}/person"))
        .await;
    assert_eq!(status, 404);
    // The reads are audited, without personal data.
    let actions: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'referral.person_read' \
         AND object_ids LIKE $1",
            &format!("%{r}%"),
        )
        .await;
    assert!(actions >= 2);
}

#[tokio::test]
async fn accept_then_result_and_the_sender_sees_every_step() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    let c = consent(&app, &n, "health_care", false).await;
    let r = refer(&app, &n, &c).await;
    // The receiver is notified.
    let (_, list) = app.get(&n.r_token, "/api/v1/notifications").await;
    assert_eq!(list[0]["kind"], "referral_received");
    assert_eq!(list[0]["read"], false);
    // A result needs an accepted referral; a decline needs a reason.
    let (status, _) = step(&app, &n.r_token, &r, "result", json!({"result": "helped"})).await;
    assert_eq!(status, 409);
    let (status, v) = step(&app, &n.r_token, &r, "decline", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["reason"]);
    // The sender cannot act for the receiver.
    let (status, _) = step(&app, &n.s_token, &r, "accept", json!({})).await;
    assert_eq!(
        status, 404,
        "a case manager may receive, but not this referral"
    );
    let (status, _) = step(&app, &n.r_token, &r, "accept", json!({})).await;
    assert_eq!(status, 204);
    let (status, _) = step(&app, &n.r_token, &r, "accept", json!({})).await;
    assert_eq!(status, 409);
    let (status, _) = step(&app, &n.r_token, &r, "decline", json!({"reason": "Full"})).await;
    assert_eq!(status, 409, "declining comes before accepting");
    let (status, v) = step(&app, &n.r_token, &r, "result", json!({"result": "maybe"})).await;
    assert_eq!(status, 422, "{v}");
    let (status, _) = step(&app, &n.r_token, &r, "result", json!({"result": "helped"})).await;
    assert_eq!(status, 204);
    // The sender sees each step, when and by whom, and was notified of each.
    let v = sent(&app, &n, &r).await;
    assert_eq!(v["status"], "completed");
    assert_eq!(v["result"], "helped");
    let steps = v["steps"].as_array().unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["sent", "accepted", "completed"]);
    assert_eq!(steps[1]["org"], "Receiving Org");
    assert!(steps[1]["by"].as_str().unwrap().starts_with("Test "));
    assert!(steps[0]["at"].as_i64().unwrap() <= steps[2]["at"].as_i64().unwrap());
    let (_, list) = app.get(&n.s_token, "/api/v1/notifications").await;
    let kinds = texts(&list, "kind");
    assert_eq!(kinds, ["referral_completed", "referral_accepted"]);
    // The count in the header, and marking read.
    let c_web = app.login(&n.sender).await;
    let page = app.page(&c_web, "/staff/").await;
    assert!(page.contains("2 new notifications"), "header count");
    let (status, _) = app
        .post(&n.s_token, "/api/v1/notifications/read", json!({}))
        .await;
    assert_eq!(status, 204);
    let (_, list) = app.get(&n.s_token, "/api/v1/notifications").await;
    assert!(list.as_array().unwrap().iter().all(|x| x["read"] == true));
    let page = app.page(&c_web, "/staff/").await;
    assert!(page.contains("0 new notifications"));
    // Closed: nothing of the person any more.
    let (status, _) = person_view(&app, &n, &r).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn decline_and_withdraw_close_the_referral_and_the_sender_sees_why() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    let c = consent(&app, &n, "shelter", false).await;
    let r = refer(&app, &n, &c).await;
    let (status, _) = step(
        &app,
        &n.r_token,
        &r,
        "decline",
        json!({"reason": "No place this week"}),
    )
    .await;
    assert_eq!(status, 204);
    let v = sent(&app, &n, &r).await;
    assert_eq!(v["status"], "declined");
    assert_eq!(v["decline_reason"], "No place this week");
    assert_eq!(
        v["reason"], "Needs a doctor",
        "the reason survives the reseal"
    );
    let (status, _) = withdraw(&app, &n.s_token, "referrals", &r).await;
    assert_eq!(status, 409, "a closed referral cannot be withdrawn");
    // Withdrawn by the sender while open: the receiver is told and loses access.
    let r2 = refer(&app, &n, &c).await;
    assert_eq!(person_view(&app, &n, &r2).await.0, 200);
    let (status, _) = withdraw(&app, &n.s_token, "referrals", &r2).await;
    assert_eq!(status, 204);
    assert_eq!(person_view(&app, &n, &r2).await.0, 404);
    let (_, list) = app.get(&n.r_token, "/api/v1/notifications").await;
    assert_eq!(list[0]["kind"], "referral_withdrawn");
    // The receiver still sees the referral's steps, but nothing of the person.
    let (status, v) = app
        .get(&n.r_token, &format!("/api/v1/referrals/received/{r2}"))
        .await;
    assert_eq!(status, 200);
    assert!(v["person"].is_null() && v["reason"].is_null());
    // Another organisation cannot withdraw it.
    let (_, o_token) = app.staff("Third Org", &["case_manager"]).await;
    let (status, _) = withdraw(&app, &o_token, "referrals", &r).await;
    assert_eq!(status, 404);
}

async fn live_rows(app: &TestApp, n: &Net) -> i64 {
    live_access(app, &n.person, &n.receiver.org.to_string()).await
}

/// How many unexpired access rows an organisation holds to a person through referrals.
async fn live_access(app: &TestApp, person: &str, org: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM person_access WHERE person_id = $1 AND org_id = $2 \
         AND basis = 'referral' AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(person)
    .bind(org)
    .bind(app.clock.now_ts())
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn access_ends_at_the_next_request_after_withdrawal_closure_or_expiry() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    // Two open referrals of one person to one organisation share one access row.
    let c1 = consent(&app, &n, "health_care", false).await;
    let r1 = refer(&app, &n, &c1).await;
    let c2 = consent(&app, &n, "legal_advice", false).await;
    let r2 = refer(&app, &n, &c2).await;
    assert_eq!(live_rows(&app, &n).await, 1);
    assert_eq!(person_view(&app, &n, &r1).await.0, 200);
    assert_eq!(person_view(&app, &n, &r2).await.0, 200);
    // Withdrawing one consent closes only its referral; the other keeps the access.
    let (status, _) = withdraw(&app, &n.s_token, "consents", &c1).await;
    assert_eq!(status, 204);
    assert_eq!(person_view(&app, &n, &r1).await.0, 404);
    assert_eq!(person_view(&app, &n, &r2).await.0, 200);
    let v = sent(&app, &n, &r1).await;
    assert_eq!(v["status"], "withdrawn");
    assert_eq!(v["steps"][1]["kind"], "consent_withdrawn");
    // Recording the result of the other closes the last one: no access row remains.
    for what in ["accept", "result"] {
        let (status, _) = step(
            &app,
            &n.r_token,
            &r2,
            what,
            json!({"result": "referred_on"}),
        )
        .await;
        assert_eq!(status, 204);
    }
    assert_eq!(person_view(&app, &n, &r2).await.0, 404);
    assert_eq!(live_rows(&app, &n).await, 0);
    // Expiry: the consent holds to the end of its last day, and not a second longer.
    let body = consent_to(&app, &n, "health_care", 1);
    let (status, v) = give_consent(&app, &n.s_token, &n.person, body).await;
    assert_eq!(status, 201);
    let expires = v["expires_at"].as_i64().unwrap();
    let r3 = refer(&app, &n, v["id"].as_str().unwrap()).await;
    assert_eq!(person_view(&app, &n, &r3).await.0, 200);
    // A fresh token (signing in moves the clock on by one TOTP step, 30 seconds).
    app.clock.advance(expires - app.clock.now_ts() - 31);
    let token = app.token(&n.receiver).await;
    let path = format!("/api/v1/referrals/received/{r3}/person");
    assert_eq!(app.clock.now_ts(), expires - 1);
    assert_eq!(app.get(&token, &path).await.0, 200);
    app.clock.advance(1);
    assert_eq!(app.get(&token, &path).await.0, 404);
    assert_eq!(live_rows(&app, &n).await, 0, "the row has expired");
    let (_, v) = app
        .get(&token, &format!("/api/v1/referrals/received/{r3}"))
        .await;
    assert!(v["person"].is_null());
}

#[tokio::test]
async fn a_case_refers_through_the_same_mechanism() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    let prog = haven_core::cases::programmes::create(
        &app.ctx,
        &Actor::system(),
        &haven_core::cases::programmes::ProgrammeInput {
            name: Some("Referral programme".into()),
            target_group: Some("Everyone".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (status, v) = app
        .post(
            &n.s_token,
            "/api/v1/cases",
            json!({"person_id": n.person, "programme_id": prog.id.to_string()}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let case = v["id"].as_str().unwrap().to_owned();
    let c = consent(&app, &n, "legal_advice", false).await;
    let (status, v) = refer_with(
        &app,
        &n.s_token,
        json!({"consent_id": c, "service_id": n.service, "source_type": "case",
               "source_id": case}),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let (_, v) = app
        .get(
            &n.s_token,
            &format!("/api/v1/referrals/{}", v["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(v["source_type"], "case");
    assert_eq!(v["source_id"], case.as_str());
    // A case that is not this person's, or an unknown kind of source, is refused.
    for (t, id) in [
        ("case", uuid::Uuid::now_v7().to_string()),
        ("outreach", case.clone()),
    ] {
        let (status, _) = refer_with(
            &app,
            &n.s_token,
            json!({"consent_id": c, "service_id": n.service, "source_type": t,
                   "source_id": id}),
        )
        .await;
        assert_eq!(status, 422);
    }
    // The case page offers "Refer", leading to the consent form with the case.
    let web = app.login(&n.sender).await;
    let page = app.page(&web, &format!("/staff/cases/{case}")).await;
    let href = format!("/staff/persons/{}/consents/new?case={case}", n.person);
    assert!(page.contains(&href), "refer link on the case page");
    let form = app.visit(&web, &href).await;
    assert_eq!(form.status(), 200);
}

#[tokio::test]
async fn the_network_view_is_aggregates_only_with_small_counts_withheld() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    let (analyst, a_token) = app.staff("Policy Office", &["analyst"]).await;
    let c = consent(&app, &n, "health_care", false).await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(refer(&app, &n, &c).await);
    }
    let (status, v) = app.get(&a_token, "/api/v1/network").await;
    assert_eq!(status, 200);
    let link = &v["links"][0];
    assert_eq!(link["from_org"], "Sending Org");
    assert_eq!(link["referrals"], json!({"kind": "exact", "value": 6}));
    assert_eq!(link["accepted"], json!({"kind": "exact", "value": 0}));
    assert!(link["acceptance_percent"].is_null());
    // Three accepted: a count below 5 is withheld, and so is the rate it would reveal.
    for r in &ids[..3] {
        step(&app, &n.r_token, r, "accept", json!({})).await;
    }
    let (_, v) = app.get(&a_token, "/api/v1/network").await;
    let link = &v["links"][0];
    assert_eq!(link["accepted"], json!({"kind": "fewer_than", "value": 5}));
    assert!(link["acceptance_percent"].is_null());
    assert!(link["median_hours_to_accept"].is_null());
    // 3 accepted and 3 waiting: the link's 6 and the network's 6 hold small parts, and
    // beside another link's figures they would give them away: both withheld.
    assert_eq!(link["referrals"], json!({"kind": "withheld"}));
    assert_eq!(v["referrals"], json!({"kind": "withheld"}));
    for r in &ids[3..] {
        step(&app, &n.r_token, r, "accept", json!({})).await;
    }
    let (_, v) = app.get(&a_token, "/api/v1/network").await;
    let link = &v["links"][0];
    assert_eq!(link["accepted"], json!({"kind": "exact", "value": 6}));
    assert_eq!(link["referrals"], json!({"kind": "exact", "value": 6}));
    assert_eq!(v["referrals"], json!({"kind": "exact", "value": 6}));
    assert_eq!(link["acceptance_percent"], 100);
    assert!(link["median_hours_to_accept"].is_i64());
    let text = v.to_string();
    assert!(!text.contains(&n.person) && !text.contains("Canary"));
    // Police liaison and partner staff do not see it; analysts see no person.
    let police = app
        .user_in("Police Org", "police_liaison", &["police_liaison"])
        .await;
    let p_token = app.token(&police).await;
    assert_eq!(app.get(&p_token, "/api/v1/network").await.0, 403);
    assert_eq!(app.get(&n.r_token, "/api/v1/network").await.0, 403);
    assert_eq!(
        app.get(&a_token, &format!("/api/v1/referrals/received/{}", ids[0]))
            .await
            .0,
        403
    );
    // The page says "fewer than 5" in words.
    let web = app.login(&analyst).await;
    let page = app.page(&web, "/staff/network").await;
    assert!(page.contains("Sending Org") && page.contains("100%"));
}

// ---------------------------------------------------------------------------------------
// Property test: another organisation reads a person only through an open, consented
// referral, and loses that access when the referral closes or the consent ends.

#[derive(Debug, Clone)]
enum Op {
    Consent(i64),
    Refer(usize),
    Accept(usize),
    Decline(usize),
    Result(usize),
    Withdraw(usize),
    WithdrawConsent(usize),
    Advance(i64),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        (0i64..3).prop_map(Op::Consent),
        (0usize..4).prop_map(Op::Refer),
        (0usize..4).prop_map(Op::Accept),
        (0usize..4).prop_map(Op::Decline),
        (0usize..4).prop_map(Op::Result),
        (0usize..4).prop_map(Op::Withdraw),
        (0usize..4).prop_map(Op::WithdrawConsent),
        (1i64..60).prop_map(|h| Op::Advance(h * 3600)),
    ]
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum St {
    Sent,
    Accepted,
    Closed,
}

struct ModelConsent {
    id: ConsentId,
    expires_at: i64,
    withdrawn: bool,
}

struct ModelReferral {
    id: ReferralId,
    consent: usize,
    st: St,
}

struct World {
    sender: Actor,
    receiver: Actor,
    service: String,
}

async fn run_case(app: &TestApp, w: &World, ops: &[Op]) -> Result<(), String> {
    let person: PersonId = people::register(&app.ctx, &w.sender, &PersonInput::default())
        .await
        .map_err(|e| e.to_string())?
        .id;
    let mut consents: Vec<ModelConsent> = Vec::new();
    let mut refs: Vec<ModelReferral> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let now = app.clock.now_ts();
        let valid = |c: &ModelConsent| !c.withdrawn && c.expires_at > now;
        match op {
            Op::Consent(days) => {
                let c = referrals::record_consent(
                    &app.ctx,
                    &w.sender,
                    person,
                    &ConsentInput {
                        to_org: w.receiver.org_id.map(|o| o.to_string()),
                        purpose: Some("health_care".into()),
                        valid_until: Some(
                            (app.clock.now().date() + time::Duration::days(*days)).to_string(),
                        ),
                        share_residence_status: Some(false),
                        person_agreed: Some(true),
                    },
                )
                .await
                .map_err(|e| format!("step {step}: consent {e:?}"))?;
                consents.push(ModelConsent {
                    id: c.id,
                    expires_at: c.expires_at,
                    withdrawn: false,
                });
            }
            Op::Refer(k) => {
                let Some(c) = consents.get(*k) else { continue };
                let res = referrals::refer(
                    &app.ctx,
                    &w.sender,
                    &ReferInput {
                        consent_id: Some(c.id.to_string()),
                        service_id: Some(w.service.clone()),
                        ..Default::default()
                    },
                )
                .await;
                match (valid(c), res) {
                    (true, Ok(id)) => refs.push(ModelReferral {
                        id,
                        consent: *k,
                        st: St::Sent,
                    }),
                    (false, Err(Error::Invalid(_))) => {}
                    (v, r) => return Err(format!("step {step}: refer valid={v} got {r:?}")),
                }
            }
            Op::Accept(k) | Op::Decline(k) | Op::Result(k) | Op::Withdraw(k) => {
                let Some(r) = refs.get_mut(*k) else { continue };
                let (res, allowed, next) = match op {
                    Op::Accept(_) => (
                        referrals::accept(&app.ctx, &w.receiver, r.id).await,
                        r.st == St::Sent,
                        St::Accepted,
                    ),
                    Op::Decline(_) => (
                        referrals::decline(
                            &app.ctx,
                            &w.receiver,
                            r.id,
                            &referrals::DeclineInput {
                                reason: Some("Full".into()),
                            },
                        )
                        .await,
                        r.st == St::Sent,
                        St::Closed,
                    ),
                    Op::Result(_) => (
                        referrals::record_result(
                            &app.ctx,
                            &w.receiver,
                            r.id,
                            &referrals::ResultInput {
                                result: Some("helped".into()),
                            },
                        )
                        .await,
                        r.st == St::Accepted,
                        St::Closed,
                    ),
                    _ => (
                        referrals::withdraw(&app.ctx, &w.sender, r.id).await,
                        r.st != St::Closed,
                        St::Closed,
                    ),
                };
                match (allowed, res) {
                    (true, Ok(())) => r.st = next,
                    (false, Err(Error::Conflict(_))) => {}
                    (a, res) => return Err(format!("step {step}: {op:?} allowed={a} got {res:?}")),
                }
            }
            Op::WithdrawConsent(k) => {
                let Some(c) = consents.get_mut(*k) else {
                    continue;
                };
                let res = referrals::withdraw_consent(&app.ctx, &w.sender, c.id).await;
                match (c.withdrawn, res) {
                    (false, Ok(_)) => {
                        c.withdrawn = true;
                        for r in refs.iter_mut().filter(|r| r.consent == *k) {
                            if r.st != St::Closed {
                                r.st = St::Closed;
                            }
                        }
                    }
                    (true, Err(Error::Conflict(_))) => {}
                    (wd, res) => return Err(format!("step {step}: withdraw consent {wd} {res:?}")),
                }
            }
            Op::Advance(s) => app.clock.advance(*s),
        }
        // After every step: the model and Haven agree on what the receiver may read.
        let now = app.clock.now_ts();
        let mut any = false;
        for r in &refs {
            let c = &consents[r.consent];
            let expect = r.st != St::Closed && !c.withdrawn && c.expires_at > now;
            any |= expect;
            let got = referrals::referred_person(&app.ctx, &w.receiver, r.id).await;
            match (expect, &got) {
                (true, Ok(_)) | (false, Err(Error::NotFound)) => {}
                _ => {
                    return Err(format!(
                        "after step {step} ({op:?}): referral read expected {expect}, got {got:?}"
                    ))
                }
            }
        }
        let receiver = w.receiver.org_id.map(|o| o.to_string()).unwrap_or_default();
        let rows = live_access(app, &person.to_string(), &receiver).await;
        if rows != i64::from(any) {
            return Err(format!(
                "after step {step} ({op:?}): live access rows {rows}, model {any}"
            ));
        }
        // Never the whole record.
        match people::get(&app.ctx, &w.receiver, person).await {
            Err(Error::NotFound) => {}
            other => return Err(format!("after step {step}: full read {other:?}")),
        }
    }
    Ok(())
}

#[test]
fn another_organisation_reads_a_person_only_through_an_open_consented_referral() {
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, world) = rt.block_on(async {
        let app = TestApp::spawn().await;
        let s = app.user("Prop Sender", &["case_manager"]).await;
        let r = app.user("Prop Receiver", &["partner_staff"]).await;
        let service = app.dir_service(r.org, "Prop service").await;
        let world = World {
            sender: Actor::staff(s.id, s.org, vec![Role::CaseManager]),
            receiver: Actor::staff(r.id, r.org, vec![Role::PartnerStaff]),
            service,
        };
        (app, world)
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = proptest::collection::vec(op(), 1..14);
    let result = runner.run(&strategy, |ops| {
        rt.block_on(run_case(&app, &world, &ops))
            .map_err(proptest::test_runner::TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[tokio::test]
async fn an_open_referral_keeps_its_person_past_the_retention_period() {
    let app = TestApp::spawn().await;
    let n = net(&app).await;
    let c = consent(&app, &n, "health_care", false).await;
    let r = refer(&app, &n, &c).await;
    app.keep_persons_for(n.sender.org, 1).await;
    let erased = || app.is_erased(&n.person);
    app.clock.advance(40 * 86_400);
    app.sweep().await;
    assert!(
        !erased().await,
        "a referral waiting for the receiver keeps its person"
    );
    // Withdrawn today: the period counts from then.
    let token = app.token(&n.sender).await;
    let (status, v) = withdraw(&app, &token, "referrals", &r).await;
    assert_eq!(status, 204, "{v}");
    app.sweep().await;
    assert!(!erased().await, "withdrawn a moment ago");
    app.clock.advance(40 * 86_400);
    let report = app.sweep().await;
    assert_eq!(report.erased, vec![(n.sender.org, 1)]);
    assert!(erased().await);
}

#[tokio::test]
async fn a_consent_recorded_or_withdrawn_keeps_its_person_for_the_period() {
    let app = TestApp::spawn().await;
    let mut n = net(&app).await;
    app.keep_persons_for(n.sender.org, 1).await;
    let erased = || app.is_erased(&n.person);
    let sweep = || async { app.sweep().await.total() };
    // Forty days after registering, the person agrees to share: that keeps them.
    app.clock.advance(40 * 86_400);
    n.s_token = app.token(&n.sender).await;
    let mut body = consent_to(&app, &n, "health_care", 120);
    body["share_residence_status"] = json!(false);
    let (status, v) = give_consent(&app, &n.s_token, &n.person, body).await;
    assert_eq!(status, 201, "{v}");
    let c = v["id"].as_str().unwrap().to_owned();
    assert_eq!(sweep().await, 0);
    assert!(!erased().await, "consent recorded a moment ago");
    // Forty days on, the consent is withdrawn: that keeps them again for the period.
    app.clock.advance(40 * 86_400);
    let token = app.token(&n.sender).await;
    let (status, v) = withdraw(&app, &token, "consents", &c).await;
    assert_eq!(status, 204, "{v}");
    assert_eq!(sweep().await, 0);
    assert!(!erased().await, "consent withdrawn a moment ago");
    app.clock.advance(40 * 86_400);
    assert_eq!(sweep().await, 1);
    assert!(erased().await);
}
