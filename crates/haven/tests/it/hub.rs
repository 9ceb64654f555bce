//! The safe-reporting hub: reporting online without an account, coming back with the
//! receipt code, the conversation both ways, reports recorded by a hub officer, who may
//! read reports (role and kind of organisation), purge, and that nothing about the
//! reporter's connection is stored or logged.

use crate::helpers::*;
use serde_json::{json, Value};

const HUB: &str = "Safe Reporting Hub";

/// The form a reporter sends; `what` is unique per test, to search for it.
fn report_form(what: &str) -> Vec<(&'static str, String)> {
    vec![
        ("category", "labour_exploitation".into()),
        ("occurred", "2026-10".into()),
        ("when_detail", "every night shift".into()),
        ("place", "the greenhouses near the canal".into()),
        ("what", what.into()),
        ("reporter_role", "victim".into()),
        ("may_contact", "yes".into()),
        ("contact", "via the day centre on Tuesdays".into()),
        ("language", "ar".into()),
    ]
}

/// The receipt code on the page shown after submitting.
pub(crate) fn code_on(page: &str) -> String {
    let start = page.find("<bdi>").expect("the code is shown") + 5;
    let end = start + page[start..].find("</bdi>").unwrap();
    page[start..end].to_owned()
}

pub(crate) async fn submit(
    app: &TestApp,
    base: &str,
    what: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let mut req = TestApp::client()
        .post(format!("{base}/en/report"))
        .form(&report_form(what));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    assert!(r.headers().get("set-cookie").is_none(), "no cookie");
    let _ = app;
    (status, r.text().await.unwrap())
}

async fn come_back(app: &TestApp, code: &str) -> (u16, String) {
    let r = TestApp::client()
        .post(app.url("/en/report/return"))
        .form(&[("code", code)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    (r.status().as_u16(), r.text().await.unwrap())
}

pub(crate) async fn hub_officer(app: &TestApp) -> (TestUser, String) {
    let u = app.user_in(HUB, "reporting_hub", &["hub_officer"]).await;
    let t = app.token(&u).await;
    (u, t)
}

#[tokio::test]
async fn a_report_made_online_opens_a_conversation_both_ways_with_its_code() {
    let app = TestApp::spawn().await;
    let (_, officer) = hub_officer(&app).await;
    let what = "The farmer kept our wages for three months zqx-hub-1";
    let (status, page) = submit(&app, &app.addr, what, &[]).await;
    assert_eq!(status, 200, "{page}");
    let code = code_on(&page);
    assert_eq!(code.split(' ').count(), 5, "{code}");

    // Sealed: neither the text nor the code is in the database as written.
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    for needle in [what, "greenhouses", "day centre", &digits, &code] {
        let n: i64 = app
            .scalar(
                "SELECT COUNT(*) FROM hub_reports WHERE category LIKE $1 OR occurred LIKE $1 \
                 OR language LIKE $1",
                format!("%{needle}%"),
            )
            .await;
        assert_eq!(n, 0, "{needle}");
    }
    assert_eq!(app.count("hub_reports WHERE data_key IS NOT NULL").await, 1);
    assert_eq!(app.audit_count("hub.report.submit").await, 1);

    // The officer reads it (audited) and answers.
    let (s, list) = app.get(&officer, "/api/v1/hub/reports").await;
    assert_eq!(s, 200, "{list}");
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(list[0]["category"], "labour_exploitation");
    assert_eq!(list[0]["channel"], "online");
    let (s, r) = app
        .get(&officer, &format!("/api/v1/hub/reports/{id}"))
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["data"]["what"], what);
    assert_eq!(r["data"]["contact"], "via the day centre on Tuesdays");
    assert_eq!(app.last_event_ids("hub.report.read").await, id);
    let answer = "Thank you. Can you come to the hub on Monday? zqx-answer";
    let (s, r) = app
        .post(
            &officer,
            &format!("/api/v1/hub/reports/{id}/messages"),
            json!({"text": answer}),
        )
        .await;
    assert_eq!(s, 200, "{r}");

    // The reporter comes back with the code, however it is typed, and reads the answer.
    let typed: String = code.replace(' ', "-");
    let (s, page) = come_back(&app, &typed).await;
    assert_eq!(s, 200, "{page}");
    assert!(page.contains("zqx-answer"), "{page}");
    assert!(!page.contains(what), "the report itself is not shown back");
    // … and adds information, which the officer then reads.
    let r = TestApp::client()
        .post(app.url("/en/report/return/message"))
        .form(&[
            ("code", code.as_str()),
            ("text", "It was the farm on the north side zqx-more"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("zqx-more"));
    let (_, r) = app
        .get(&officer, &format!("/api/v1/hub/reports/{id}"))
        .await;
    let texts: Vec<&str> = r["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 2);
    assert!(texts[1].contains("zqx-more"));
    assert_eq!(r["messages"][0]["from_hub"], true);
    assert_eq!(r["messages"][1]["from_hub"], false);
    let (_, list) = app.get(&officer, "/api/v1/hub/reports").await;
    assert_eq!(list[0]["awaiting_hub"], true);

    // A wrong code finds nothing and says what to fix.
    let wrong = if digits.starts_with('1') { "2" } else { "1" }.to_owned() + &digits[1..];
    let (s, page) = come_back(&app, &wrong).await;
    assert_eq!(s, 422);
    assert!(page.contains("No report has this code"), "{page}");
    let (s, page) = come_back(&app, "12345").await;
    assert_eq!(s, 422);
    assert!(page.contains("25 digits"), "{page}");
}

#[tokio::test]
async fn the_form_names_every_missing_answer_and_never_asks_for_status() {
    let app = TestApp::spawn().await;
    hub_officer(&app).await;
    let page = app.fetch("/ar/report").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(!html.contains("residence_status") && !html.contains("<script"));
    let r = TestApp::client()
        .post(app.url("/en/report"))
        .form(&[("category", "deportation"), ("may_contact", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for id in [
        "f-category",
        "f-occurred",
        "f-what",
        "f-reporter_role",
        "f-contact",
    ] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "{id}");
    }
    assert_eq!(app.count("hub_reports").await, 0, "nothing half-written");
}

#[tokio::test]
async fn an_officer_records_a_report_made_by_phone_and_only_hub_officers_of_a_hub_read_reports() {
    let app = TestApp::spawn().await;
    let (_, officer) = hub_officer(&app).await;
    let mut body = json!({"channel": "phone"});
    for (k, v) in report_form("A man shouted at me on the tram zqx-phone") {
        body[k] = Value::String(v);
    }
    body["category"] = json!("hate_crime");
    let (s, made) = app
        .post(&officer, "/api/v1/hub/reports", body.clone())
        .await;
    assert_eq!(s, 201, "{made}");
    let id = made["id"].as_str().unwrap().to_owned();
    let code = made["receipt_code"].as_str().unwrap().to_owned();
    let (s, _) = come_back(&app, &code).await;
    assert_eq!(s, 200);
    let (_, r) = app
        .get(&officer, &format!("/api/v1/hub/reports/{id}"))
        .await;
    assert_eq!(r["summary"]["channel"], "phone");
    let mut online = body.clone();
    online["channel"] = json!("online");
    let (s, e) = app.post(&officer, "/api/v1/hub/reports", online).await;
    assert_eq!(s, 422, "{e}");

    // Other roles, a hub officer outside a reporting hub, the police: refused.
    let (_, case_manager) = app.staff("Day Centre", &["case_manager"]).await;
    let ngo_officer = app
        .user_in("Neighbourhood NGO", "ngo", &["hub_officer"])
        .await;
    let ngo_officer = app.token(&ngo_officer).await;
    let police = app
        .user_in("Police Unit", "police_liaison", &["police_liaison"])
        .await;
    let police = app.token(&police).await;
    let hub_admin = app.user_in(HUB, "reporting_hub", &["administrator"]).await;
    let hub_admin = app.token(&hub_admin).await;
    for token in [&case_manager, &ngo_officer, &police, &hub_admin] {
        for path in [
            "/api/v1/hub/reports".to_owned(),
            format!("/api/v1/hub/reports/{id}"),
        ] {
            let (s, _) = app.get(token, &path).await;
            assert_eq!(s, 403, "{path}");
        }
        let (s, _) = app
            .post(
                token,
                &format!("/api/v1/hub/reports/{id}/messages"),
                json!({"text": "x"}),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = app.post(token, "/api/v1/hub/reports", body.clone()).await;
        assert_eq!(s, 403);
    }
    // Another hub's officer does not find this hub's report.
    let other = app
        .user_in("Second Hub", "reporting_hub", &["hub_officer"])
        .await;
    let other = app.token(&other).await;
    let (s, _) = app.get(&other, &format!("/api/v1/hub/reports/{id}")).await;
    assert_eq!(s, 404);
    let (_, list) = app.get(&other, "/api/v1/hub/reports").await;
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_closed_report_is_purged_after_the_period_its_code_stops_working_and_counts_remain() {
    let app = TestApp::spawn().await;
    let (u, officer) = hub_officer(&app).await;
    app.keep_persons_for(u.org, 1).await;
    let (_, page) = submit(&app, &app.addr, "zqx-purge", &[]).await;
    let code = code_on(&page);
    let (_, list) = app.get(&officer, "/api/v1/hub/reports").await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    app.post(
        &officer,
        &format!("/api/v1/hub/reports/{id}/messages"),
        json!({"text": "zqx-reply"}),
    )
    .await;
    let (s, e) = app
        .post(
            &officer,
            &format!("/api/v1/hub/reports/{id}/close"),
            json!({"version": 99}),
        )
        .await;
    assert_eq!(s, 409, "{e}");
    let (s, e) = app
        .post(
            &officer,
            &format!("/api/v1/hub/reports/{id}/close"),
            json!({"version": 1}),
        )
        .await;
    assert_eq!(s, 204, "{e}");
    // Closed, not yet purged: the reporter still reads the answer but cannot add.
    let (s, page) = come_back(&app, &code).await;
    assert_eq!(s, 200);
    assert!(page.contains("zqx-reply"));
    let r = TestApp::client()
        .post(app.url("/en/report/return/message"))
        .form(&[("code", code.as_str()), ("text", "more")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(app.sweep().await.reports, vec![], "not due yet");

    app.clock.advance(32 * 86_400);
    let officer = app.token(&u).await;
    let report = app.sweep().await;
    assert_eq!(report.reports, vec![(u.org, 1)]);
    let (s, page) = come_back(&app, &code).await;
    assert_eq!(s, 422, "{page}");
    let (s, _) = app
        .get(&officer, &format!("/api/v1/hub/reports/{id}"))
        .await;
    assert_eq!(s, 410);
    assert_eq!(app.count("hub_report_messages").await, 0);
    assert_eq!(
        app.count(
            "hub_reports WHERE data_key IS NULL AND sealed IS NULL AND receipt_bidx IS NULL \
             AND category = 'labour_exploitation' AND occurred = '2026-10' AND status = 'closed'"
        )
        .await,
        1,
        "the counts remain"
    );
    assert_eq!(app.last_event_ids("hub.report.purge").await, id);
}

#[tokio::test]
async fn the_flood_budget_answers_429_with_a_message_and_identifies_nobody() {
    let app = TestApp::spawn_with(haven_web::WebConfig {
        report_limits: haven_web::site::budget::ReportLimits {
            submissions: 2,
            attempts: 3,
            free_failures: 1,
        },
        ..Default::default()
    })
    .await;
    hub_officer(&app).await;
    for _ in 0..2 {
        assert_eq!(submit(&app, &app.addr, "zqx-flood", &[]).await.0, 200);
    }
    let (s, page) = submit(&app, &app.addr, "zqx-flood", &[]).await;
    assert_eq!(s, 429);
    assert!(page.contains("Please try again in 10 minutes"), "{page}");
    assert_eq!(
        app.count("hub_reports").await,
        2,
        "the refused one was not saved"
    );
    let wrong = "1".repeat(25);
    assert_eq!(come_back(&app, &wrong).await.0, 422);
    assert_eq!(
        come_back(&app, &wrong).await.0,
        429,
        "a growing delay after failures"
    );
}

/// A port that was free a moment ago.
#[tokio::test]
async fn the_reporting_path_stores_and_logs_no_address_and_no_user_agent() {
    let app = TestApp::spawn().await;
    let (_, officer) = hub_officer(&app).await;
    // The real binary, logging everything it can, on this app's data and database.
    let log = app.data.join("server.log");
    let stdout = std::fs::File::create(app.data.join("stdout.log")).unwrap();
    let stderr = std::fs::File::create(&log).unwrap();
    let (mut child, base) = app.serve("trace", stdout.into(), stderr.into()).await;
    // From a known connection address (another loopback address) and a forwarded one.
    let forwarded = "198.51.100.73";
    let source = "127.0.0.73";
    let agent = "Mozilla/5.0 (HavenProbe zqx-ua-4711)";
    let client = reqwest::Client::builder()
        .local_address(source.parse::<std::net::IpAddr>().unwrap())
        .user_agent(agent)
        .build()
        .unwrap();
    let r = client
        .post(format!("{base}/en/report"))
        .header("x-forwarded-for", forwarded)
        .header("x-real-ip", forwarded)
        .form(&report_form("zqx-no-trace"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let code = code_on(&r.text().await.unwrap());
    let r = client
        .post(format!("{base}/en/report/return/message"))
        .header("x-forwarded-for", forwarded)
        .form(&[("code", code.as_str()), ("text", "zqx-added")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let _ = child.kill();
    let _ = child.wait();
    let (_, list) = app.get(&officer, "/api/v1/hub/reports").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "the report was stored");

    let mut hay = std::fs::read(&log).unwrap();
    hay.extend(std::fs::read(app.data.join("stdout.log")).unwrap());
    assert!(!hay.is_empty(), "the server logged at trace level");
    hay.extend(app.stored_bytes().await);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    for needle in [
        forwarded,
        source,
        agent,
        "zqx-ua-4711",
        "HavenProbe",
        &digits,
        "zqx-no-trace",
    ] {
        assert!(
            !hay.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} was found"
        );
    }
}
