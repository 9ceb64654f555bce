//! The directory's editing and review workflow (issue 5): partner staff draft, a
//! municipal editor reviews, the public sees only what was approved; "last checked".

use crate::helpers::*;
use haven_core::directory::{query, review};
use haven_core::Clock;
use serde_json::{json, Value};

/// What the directory stores of a location: its published HSDS record and any draft.
#[derive(sqlx::FromRow)]
struct Location {
    hsds: Option<String>,
    draft: Option<String>,
    confidential: i64,
}

struct World {
    app: TestApp,
    partner_user: TestUser,
    partner: String,
    other: String,
    editor: String,
    org_id: String,
    service_id: String,
}

fn service_input(org: &str, description: &str) -> Value {
    json!({
        "organization_id": org,
        "source_lang": "en",
        "name": "Walk-in clinic",
        "description": description,
        "translations": {"ar": {"name": "عيادة بدون موعد", "description": ""}},
        "status": "active",
        "phones": ["+31 20 555 0101"],
        "hours": [{"day": "MO", "opens": "09:00", "closes": "17:00"}],
        "languages": ["en", "ar", "ti"],
        "free": true,
        "no_documents": true,
        "eligibility": "Everyone",
        "service_area": "Rivierstad",
    })
}

/// A new directory entry of one kind (`organization`, `service`, `location`): its id.
async fn create(app: &TestApp, token: &str, kind: &str, body: Value) -> String {
    let (s, v) = app
        .post(token, &format!("/api/v1/directory/{kind}"), body)
        .await;
    assert_eq!(s, 201, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

/// The editor approves the draft of an entry.
async fn approve(app: &TestApp, editor: &str, kind: &str, id: &str) {
    let path = format!("/api/v1/directory/review/{kind}/{id}/approve");
    let (s, v) = app.post(editor, &path, json!({})).await;
    assert_eq!(s, 204, "{v}");
}

/// A partner organisation whose directory organisation and one service are published.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let clinic = format!("Clinic {}", uuid::Uuid::new_v4().simple());
    let partner = app.user(&clinic, &["partner_staff"]).await;
    let other = app.user("Other Partner", &["partner_staff"]).await;
    let editor = app.user("City Content", &["editor"]).await;
    let partner_user = partner;
    let (partner, other, editor) = (
        app.token(&partner_user).await,
        app.token(&other).await,
        app.token(&editor).await,
    );
    let organization = json!({"source_lang": "en", "name": "Harbour Clinic",
        "description": "A clinic.", "email": "info@example.org", "url": "https://example.org"});
    let org_id = create(&app, &partner, "organization", organization).await;
    approve(&app, &editor, "organization", &org_id).await;
    let service = service_input(&org_id, "Open every Monday.");
    let service_id = create(&app, &partner, "service", service).await;
    approve(&app, &editor, "service", &service_id).await;
    World {
        app,
        partner_user,
        partner,
        other,
        editor,
        org_id,
        service_id,
    }
}

async fn public_description(app: &TestApp, id: &str) -> String {
    let v = query::get_service(&app.ctx, id, None).await.unwrap();
    v["description"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_edit_is_a_draft_until_the_editor_approves_it() {
    let w = world().await;
    let path = format!("/api/v1/directory/service/{}", w.service_id);
    assert_eq!(
        public_description(&w.app, &w.service_id).await,
        "Open every Monday."
    );
    let drafts_before = w.app.audit_count("directory.draft").await;
    let (s, v) = w
        .app
        .put(
            &w.partner,
            &path,
            service_input(&w.org_id, "Open Monday and Thursday."),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        w.app.audit_count("directory.draft").await,
        drafts_before + 1
    );
    // The public still sees the old text, through the core and the public API alike.
    assert_eq!(
        public_description(&w.app, &w.service_id).await,
        "Open every Monday."
    );
    let (s, v) = w.app.get(&w.partner, &path).await;
    assert_eq!(s, 200);
    assert_eq!(v["status"], "pending");
    assert_eq!(v["draft"]["description"], "Open Monday and Thursday.");
    assert_eq!(v["published"]["description"], "Open every Monday.");
    let changed = texts(&v["changes"], "field");
    assert_eq!(changed, vec!["description"], "only what changed is listed");

    // The queue shows it with its change; partner staff have no queue.
    let (s, q) = w.app.get(&w.editor, "/api/v1/directory/review").await;
    assert_eq!(s, 200);
    assert!(q
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == w.service_id.as_str() && e["changes"][0]["field"] == "description"));
    let (s, _) = w.app.get(&w.partner, "/api/v1/directory/review").await;
    assert_eq!(s, 403);
    let approve = format!("/api/v1/directory/review/service/{}/approve", w.service_id);
    let (s, _) = w.app.post(&w.partner, &approve, json!({})).await;
    assert_eq!(s, 403, "partner staff cannot publish their own change");

    w.app.clock.advance(60);
    let approves_before = w.app.audit_count("directory.approve").await;
    let (s, _) = w.app.post(&w.editor, &approve, json!({})).await;
    assert_eq!(s, 204);
    assert_eq!(
        w.app.audit_count("directory.approve").await,
        approves_before + 1
    );
    assert_eq!(
        w.app.audit_count("directory.publish").await,
        0,
        "approval logs once, as directory.approve"
    );
    assert_eq!(
        public_description(&w.app, &w.service_id).await,
        "Open Monday and Thursday."
    );
    let (_, v) = w.app.get(&w.partner, &path).await;
    assert_eq!(v["status"], "published");
    assert_eq!(v["last_review"]["approved"], true);
    assert!(v["last_review"]["reviewer"]
        .as_str()
        .unwrap()
        .starts_with("Test "));
    let now = w.app.clock.now_ts();
    assert_eq!(v["last_review"]["reviewed_at"], now);
    assert_eq!(v["last_checked_at"], now, "publishing counts as checked");
}

#[tokio::test]
async fn another_organisations_staff_cannot_see_or_edit_an_entry() {
    let w = world().await;
    let path = format!("/api/v1/directory/service/{}", w.service_id);
    let (s, _) = w.app.get(&w.other, &path).await;
    assert_eq!(s, 404);
    let (s, _) = w
        .app
        .put(&w.other, &path, service_input(&w.org_id, "Hijacked."))
        .await;
    assert_eq!(s, 404);
    let (s, _) = w
        .app
        .post(&w.other, &format!("{path}/checked"), json!({}))
        .await;
    assert_eq!(s, 404);
    // Nor can they attach a new service to that organisation.
    let (s, v) = w
        .app
        .post(
            &w.other,
            "/api/v1/directory/service",
            service_input(&w.org_id, "Hijacked."),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(v["fields"][0]["field"], "organization_id");
    let (_, list) = w.app.get(&w.other, "/api/v1/directory/entries").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    assert_eq!(
        public_description(&w.app, &w.service_id).await,
        "Open every Monday."
    );
}

#[tokio::test]
async fn a_rejected_draft_shows_its_reason_and_leaves_the_public_entry() {
    let w = world().await;
    let path = format!("/api/v1/directory/service/{}", w.service_id);
    let (s, _) = w
        .app
        .put(
            &w.partner,
            &path,
            service_input(&w.org_id, "Closed forever?"),
        )
        .await;
    assert_eq!(s, 200);
    let reject = format!("/api/v1/directory/review/service/{}/reject", w.service_id);
    let (s, v) = w
        .app
        .post(&w.editor, &reject, json!({"reason": "  "}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(v["fields"][0]["field"], "reason");
    let (s, _) = w
        .app
        .post(
            &w.editor,
            &reject,
            json!({"reason": "Please give the new opening hours."}),
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(w.app.audit_count("directory.reject").await, 1);
    assert_eq!(
        public_description(&w.app, &w.service_id).await,
        "Open every Monday."
    );
    let (_, v) = w.app.get(&w.partner, &path).await;
    assert_eq!(v["status"], "rejected");
    assert_eq!(
        v["last_review"]["reason"],
        "Please give the new opening hours."
    );
    assert_eq!(
        v["draft"]["description"], "Closed forever?",
        "to correct it"
    );
    let (_, list) = w.app.get(&w.partner, "/api/v1/directory/entries").await;
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == w.service_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["status"], "rejected");
    assert_eq!(
        row["last_review"]["reason"],
        "Please give the new opening hours."
    );
    let (_, q) = w.app.get(&w.editor, "/api/v1/directory/review").await;
    assert!(q.as_array().unwrap().is_empty(), "nothing left to review");
    // And on the staff page, in Arabic too.
    let c = w.app.login(&w.partner_user).await;
    let page = w
        .app
        .visit_with(&c, "/staff/directory", &[("accept-language", "ar")])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Please give the new opening hours."));
}

#[tokio::test]
async fn a_confidential_location_never_stores_or_shows_an_address() {
    let w = world().await;
    let address =
        json!({"street": "Secret Lane 7", "postal_code": "1234 AB", "city": "Rivierstad"});
    let mut input = json!({
        "organization_id": w.org_id, "source_lang": "en", "name": "Safe house",
        "confidential": true, "address": address,
    });
    let (s, v) = w
        .app
        .post(&w.partner, "/api/v1/directory/location", input.clone())
        .await;
    assert_eq!(s, 422, "an address with confidential is refused");
    assert_eq!(v["fields"][0]["field"], "address_street");
    // A location first saved with an address, then made confidential, keeps none.
    input["confidential"] = json!(false);
    let id = create(&w.app, &w.partner, "location", input.clone()).await;
    input["confidential"] = json!(true);
    input["address"] = json!({});
    let (s, v) = w
        .app
        .put(
            &w.partner,
            &format!("/api/v1/directory/location/{id}"),
            input,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    approve(&w.app, &w.editor, "location", &id).await;
    let stored: Location =
        sqlx::query_as("SELECT hsds, draft, confidential FROM dir_locations WHERE id = $1")
            .bind(&id)
            .fetch_one(&w.app.ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(stored.confidential, 1);
    assert!(stored.draft.is_none());
    assert!(!stored.hsds.unwrap().contains("Secret Lane"));
    let (_, v) = w
        .app
        .get(&w.partner, &format!("/api/v1/directory/location/{id}"))
        .await;
    assert!(!v.to_string().contains("Secret Lane"));
    assert_eq!(v["published"]["confidential"], true);
}

#[tokio::test]
async fn last_checked_warns_after_six_months_and_confirming_resets_it() {
    let w = world().await;
    let stale = |l: &Value, id: &str| {
        l.as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["stale"]
            .as_bool()
            .unwrap()
    };
    let (_, list) = w.app.get(&w.partner, "/api/v1/directory/entries").await;
    assert!(!stale(&list, &w.service_id));
    w.app.clock.advance(review::STALE_AFTER_SECS - 3600);
    let token = w.app.token(&w.partner_user).await;
    let (_, list) = w.app.get(&token, "/api/v1/directory/entries").await;
    assert!(!stale(&list, &w.service_id), "not yet six months");
    w.app.clock.advance(7200);
    let token = w.app.token(&w.partner_user).await;
    let (_, list) = w.app.get(&token, "/api/v1/directory/entries").await;
    assert!(stale(&list, &w.service_id), "older than six months");
    // The staff list shows the warning.
    let c = w.app.login(&w.partner_user).await;
    let page = w.app.page(&c, "/staff/directory").await;
    assert!(page.contains("Not checked for more than six months"));
    let (s, _) = w
        .app
        .post(
            &token,
            &format!("/api/v1/directory/service/{}/checked", w.service_id),
            json!({}),
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(w.app.audit_count("directory.check").await, 1);
    let (_, list) = w.app.get(&token, "/api/v1/directory/entries").await;
    assert!(!stale(&list, &w.service_id));
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == w.service_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["last_checked_at"], w.app.clock.now_ts());
}

#[tokio::test]
async fn the_staff_form_shows_every_problem_and_saves_a_draft() {
    let w = world().await;
    let c = w.app.login(&w.partner_user).await;
    let form_url = w
        .app
        .url(&format!("/staff/directory/service/{}", w.service_id));
    let page = c.get(&form_url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Open every Monday."));
    let csrf = csrf_of(&page);
    let bad = [
        ("csrf", csrf.as_str()),
        ("organization_id", w.org_id.as_str()),
        ("source_lang", "en"),
        ("name", ""),
        ("description", "New text"),
        ("status", "active"),
        ("email", "not-an-address"),
        ("opens_MO", "18:00"),
        ("closes_MO", "08:00"),
    ];
    let r = c.post(&form_url).form(&bad).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    for anchor in ["#f-name", "#f-email", "#f-hours"] {
        assert!(html.contains(anchor), "{anchor} in the error summary");
    }
    assert!(html.contains("New text"), "the typed text comes back");
    let good = [
        ("csrf", csrf.as_str()),
        ("organization_id", w.org_id.as_str()),
        ("source_lang", "en"),
        ("name", "Walk-in clinic"),
        ("description", "New text"),
        ("name_ar", "عيادة"),
        ("status", "active"),
        ("languages", "ar"),
        ("languages", "ti"),
        ("free", "on"),
        ("opens_MO", "09:00"),
        ("closes_MO", "17:00"),
    ];
    let r = c.post(&form_url).form(&good).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, v) = w
        .app
        .get(
            &w.partner,
            &format!("/api/v1/directory/service/{}", w.service_id),
        )
        .await;
    assert_eq!(v["status"], "pending");
    assert_eq!(v["draft"]["languages"], json!(["ar", "ti"]));
    assert_eq!(v["draft"]["translations"]["ar"]["name"], "عيادة");
    assert_eq!(
        public_description(&w.app, &w.service_id).await,
        "Open every Monday."
    );
}

#[tokio::test]
async fn every_problem_is_reported_at_once() {
    let w = world().await;
    let (s, v) = w
        .app
        .put(
            &w.partner,
            &format!("/api/v1/directory/service/{}", w.service_id),
            json!({
                "organization_id": w.org_id, "source_lang": "en", "name": "",
                "status": "maybe", "phones": ["call me"], "email": "nope", "url": "ftp://x",
                "hours": [{"day": "MO", "opens": "17:00", "closes": "09:00"}],
                "no_documents": true, "documents": ["passport"],
            }),
        )
        .await;
    assert_eq!(s, 422);
    let mut fields = texts(&v["fields"], "field");
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "documents",
            "email",
            "hours",
            "name",
            "phones",
            "status",
            "url"
        ]
    );
    // Nothing half-written: no draft.
    let (_, e) = w
        .app
        .get(
            &w.partner,
            &format!("/api/v1/directory/service/{}", w.service_id),
        )
        .await;
    assert_eq!(e["status"], "published");
}
