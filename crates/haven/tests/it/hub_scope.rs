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
