//! The hub works only in the hub (issue 15): a hub officer is refused the person registry
//! (its form asks for residence status), and its start page and menu do not offer it.

use crate::helpers::*;
use haven_core::Clock;
use serde_json::json;

#[tokio::test]
async fn a_hub_officer_is_refused_the_person_registry_by_api_and_page() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Scope Hub", "reporting_hub", &["hub_officer"])
        .await;
    let token = app.token(&officer).await;

    // API: register, search, read (of a person someone else registered), update.
    let (_, cm_token) = app.staff("Scope NGO", &["case_manager"]).await;
    let person = app.register(&cm_token, json!({"name": "Amal Scope"})).await;
    let pid = person["id"].as_str().unwrap().to_owned();
    let (s, _) = app
        .post(&token, "/api/v1/persons", json!({"name": "Amal Scope"}))
        .await;
    assert_eq!(s, 403, "register");
    let (s, _) = app.get(&token, "/api/v1/persons?q=Scope").await;
    assert_eq!(s, 403, "search");
    let (s, _) = app.get(&token, &format!("/api/v1/persons/{pid}")).await;
    assert_eq!(s, 403, "read");
    assert_eq!(app.count("persons").await, 1, "nothing registered");

    // Pages: the registry is refused, and neither the start page nor the menu offers it.
    let c = app.login(&officer).await;
    for path in ["/staff/persons", "/staff/persons/new"] {
        let r = app.visit(&c, path).await;
        assert_eq!(r.status(), 403, "{path}");
    }
    let home = app.page(&c, "/staff/").await;
    assert!(!home.contains("/staff/persons"), "{home}");
    assert!(home.contains("href=\"/staff/hub/reports\""), "{home}");
}

/// The receipt code on the page shown after submitting.
fn code_on(page: &str) -> String {
    let start = page.find("<bdi>").expect("the code is shown") + 5;
    let end = start + page[start..].find("</bdi>").unwrap();
    page[start..end].to_owned()
}

async fn reporter_says(app: &TestApp, code: &str, text: &str) -> String {
    let r = TestApp::client()
        .post(app.url("/en/report/return/message"))
        .form(&[("code", code), ("text", text)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_reporters_times_are_kept_to_the_day_and_the_conversation_keeps_its_order() {
    let app = TestApp::spawn().await;
    let officer = app
        .user_in("Times Hub", "reporting_hub", &["hub_officer"])
        .await;
    let token = app.token(&officer).await;
    let form = [
        ("category", "fraud"),
        ("occurred", "2026-10"),
        (
            "what",
            "A fake agency took a fee for work that never existed zqx-times",
        ),
        ("reporter_role", "victim"),
        ("may_contact", "no"),
        ("language", "en"),
    ];
    let r = TestApp::client()
        .post(app.url("/en/report"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let code = code_on(&r.text().await.unwrap());
    reporter_says(&app, &code, "first from the reporter zqx-1").await;
    let (_, list) = app.get(&token, "/api/v1/hub/reports").await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/hub/reports/{id}/messages");
    let (s, _) = app
        .post(&token, &path, json!({"text": "the hub answers zqx-2"}))
        .await;
    assert_eq!(s, 200);
    let page = reporter_says(&app, &code, "second from the reporter zqx-3").await;

    // Stored: every time of the reporter's is a day; nothing finer.
    let finer = "hub_report_messages WHERE from_hub = 0 AND created_at % 86400 <> 0";
    assert_eq!(app.count(finer).await, 0);
    assert_eq!(app.count("hub_report_messages WHERE from_hub = 0").await, 2);
    // (The report's `updated_at` moves to the minute only with what the hub does.)
    let finer = "hub_reports WHERE channel = 'online' AND created_at % 86400 <> 0";
    assert_eq!(app.count(finer).await, 0);

    // Nor do their ids hold a time: random (UUIDv4), never time-ordered (UUIDv7).
    #[derive(sqlx::FromRow)]
    struct IdRow {
        id: String,
    }
    let ids: Vec<IdRow> = app
        .rows(
            "SELECT id FROM hub_report_messages WHERE from_hub = 0 \
             UNION ALL SELECT id FROM hub_reports WHERE channel = 'online'",
        )
        .await;
    assert_eq!(ids.len(), 3);
    for IdRow { id } in ids {
        assert_eq!(
            uuid::Uuid::parse_str(&id).unwrap().get_version_num(),
            4,
            "{id}"
        );
    }

    // Shown in the conversation's order, to both sides, the reporter's with the day only.
    let (_, r) = app.get(&token, &format!("/api/v1/hub/reports/{id}")).await;
    let texts = texts(&r["messages"], "text");
    assert_eq!(texts.len(), 3, "{r}");
    assert!(
        texts[0].ends_with("zqx-1") && texts[1].ends_with("zqx-2"),
        "{texts:?}"
    );
    assert!(texts[2].ends_with("zqx-3"), "{texts:?}");
    let (a, b, c) = (
        page.find("zqx-1").unwrap(),
        page.find("zqx-2").unwrap(),
        page.find("zqx-3").unwrap(),
    );
    assert!(a < b && b < c, "{page}");
    let c = app.login(&officer).await;
    let staff = app.page(&c, &format!("/staff/hub/reports/{id}")).await;
    let now = time::OffsetDateTime::from_unix_timestamp(app.clock.now_ts()).unwrap();
    let day = now.date().to_string();
    for page in [&page, &staff] {
        assert!(page.contains(&format!("{day}<")), "the day alone: {page}");
        assert!(
            !page.contains(&format!("{day} 00:00")),
            "no made-up minute: {page}"
        );
    }
}

/// A published organisation with a location and a service: (organisation, service).
async fn published_service(app: &TestApp, key: &str) -> (String, String) {
    use haven_core::directory::{self, hsds, Entry, Kind};
    let id = |s: &str| hsds::derived_uuid(&format!("listed-test:{key}:{s}"));
    let (org, loc, svc) = (id("org"), id("loc"), id("svc"));
    let entries = vec![
        (
            Kind::Organization,
            Entry::new(
                json!({"id": org, "name": format!("Zqxorg {key}"),
                       "description": "Advice on work and wages."}),
                "en",
            ),
        ),
        (
            Kind::Location,
            Entry::new(
                json!({"id": loc, "organization_id": org, "location_type": "physical",
                       "name": format!("Zqxloc {key}"),
                       "addresses": [{"id": id("addr"), "address_1": "Kade 1",
                         "city": "Rivierstad", "postal_code": "3011 AB", "country": "NL",
                         "address_type": "physical"}]}),
                "en",
            ),
        ),
        (
            Kind::Service,
            Entry::new(
                json!({"id": svc, "organization_id": org, "name": format!("Zqxsvc {key}"),
                       "description": "Free advice, no documents needed.", "status": "active",
                       "service_at_locations": [{"id": id("sal"), "location_id": loc}]}),
                "en",
            ),
        ),
    ];
    directory::publish_entries(&app.ctx, &haven_core::Actor::system(), entries)
        .await
        .unwrap();
    (org, svc)
}

/// Every public read of the directory, as text: the HSDS API's lists, search and single
/// entries, the public site's help pages, and both exports.
async fn public_reads(app: &TestApp, org: &str, svc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in [
        "/api/hsds/services".to_owned(),
        "/api/hsds/services?search=zqxsvc".to_owned(),
        format!("/api/hsds/services/{svc}"),
        "/api/hsds/organizations?full_service=true".to_owned(),
        "/api/hsds/organizations?search=zqxorg".to_owned(),
        format!("/api/hsds/organizations/{org}"),
        "/api/hsds/service_at_locations".to_owned(),
        "/en/help".to_owned(),
        "/ar/help?need=legal-advice".to_owned(),
    ] {
        let r = app.fetch(&path).await;
        out.push((path, r.text().await.unwrap()));
    }
    let json = haven_core::directory::export::to_json(&app.ctx)
        .await
        .unwrap();
    out.push(("export json".into(), json.to_string()));
    let tables = haven_core::directory::export::to_tables(&app.ctx)
        .await
        .unwrap();
    out.push(("export tables".into(), format!("{tables:?}")));
    out
}

#[tokio::test]
async fn no_public_read_of_the_directory_shows_an_organisation_whose_kind_may_not_be_listed() {
    let app = TestApp::spawn().await;
    let police = app.org("Listed Police Unit", "police_liaison").await;
    let policy = app.org("Listed Policy Unit", "policy_unit").await;
    let ngo = app.org("Listed NGO", "ngo").await;
    let (shown_org, shown_svc) = published_service(&app, "shown").await;
    let (police_org, police_svc) = published_service(&app, "police").await;
    let (policy_org, _) = published_service(&app, "policy").await;
    // Behind Haven's back: links its own checks refuse.
    for (dir_org, org) in [
        (&shown_org, ngo),
        (&police_org, police),
        (&policy_org, policy),
    ] {
        app.exec(
            "UPDATE dir_organizations SET haven_org_id = $1 WHERE id = $2",
            &[&org.to_string(), dir_org],
        )
        .await;
    }
    for (what, body) in public_reads(&app, &police_org, &police_svc).await {
        for hidden in [
            "Zqxorg police",
            "Zqxsvc police",
            "Zqxloc police",
            "Zqxorg policy",
        ] {
            assert!(!body.contains(hidden), "{what} shows {hidden}: {body}");
        }
        assert!(!body.contains("Zqxsvc policy"), "{what}: {body}");
    }
    // The same reads show the organisation of a kind that may be listed.
    let reads = public_reads(&app, &shown_org, &shown_svc).await;
    for (what, body) in &reads {
        if !what.contains("need=") {
            assert!(
                body.contains("Zqx") && body.contains("shown"),
                "{what}: {body}"
            );
        }
    }
    let r = app.fetch(&format!("/api/hsds/services/{police_svc}")).await;
    assert_eq!(r.status(), 404);
    let r = app
        .fetch(&format!("/api/hsds/organizations/{police_org}"))
        .await;
    assert_eq!(r.status(), 404);
}
