//! Registering, finding, reading and changing persons; object-level access.

use crate::helpers::*;
use serde_json::json;

async fn register(app: &TestApp, token: &str, body: serde_json::Value) -> serde_json::Value {
    let r = TestApp::client()
        .post(app.url("/api/v1/persons"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let r = TestApp::client()
        .get(app.url("/api/v1/persons"))
        .query(&[("q", q)])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{q}");
    let v: Vec<serde_json::Value> = r.json().await.unwrap();
    v.iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_person_is_registered_through_the_form_and_found_by_spelling_variants() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = app.login(&u).await;
    let csrf = app.csrf(&c).await;
    let r = c
        .post(app.url("/staff/persons"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Mohammed Abd al-Rahman"),
            ("alias", "أبو علي"),
            ("birth_year", "1990"),
            ("gender", "male"),
            ("nationalities", "Sudan"),
            ("languages", "Arabic, English"),
            ("phone", "+31 6 1234 5678"),
            ("residence_status", "rejected_asylum_seeker"),
            ("notes", "Needs a doctor."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page_url = location(&r);
    assert!(page_url.starts_with("/staff/persons/"));
    let page = c
        .get(app.url(&page_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Mohammed Abd al-Rahman"));
    assert!(page.contains("Rejected asylum seeker"));

    let token = app.token(&u).await;
    let id = page_url.trim_start_matches("/staff/persons/").to_owned();
    for q in [
        "Muhammad",
        "Mohamed",
        "abdelrahman",
        "Abdulrahman Mohamed",
        "ابو علي",
        "+31612345678",
        "+31 6-1234-5678",
    ] {
        assert_eq!(
            search(&app, &token, q).await,
            vec![id.clone()],
            "search for {q}"
        );
    }
    assert!(search(&app, &token, "Ahmed").await.is_empty());
    let page = c
        .get(app.url("/staff/persons?q=muhammad"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&page_url));
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = app.login(&u).await;
    let csrf = app.csrf(&c).await;
    let persons = app.count("persons").await;
    let events = app.count("audit_events").await;
    let r = c
        .post(app.url("/staff/persons"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Valid Name"),
            ("birth_date", "1994-02-30"),
            ("phone", "call me"),
            ("residence_status", "illegal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("role=\"alert\""));
    assert!(page.contains("href=\"#f-birth_date\""));
    assert!(page.contains("href=\"#f-phone\""));
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(
        page.contains("value=\"Valid Name\""),
        "typed values are kept"
    );
    assert_eq!(app.count("persons").await, persons);
    assert_eq!(app.count("audit_events").await, events);
}

#[tokio::test]
async fn another_organisation_neither_finds_nor_reads_the_person() {
    let app = TestApp::spawn().await;
    let a = app.user("Org A", &["case_manager"]).await;
    let b = app.user("Org B", &["case_manager"]).await;
    let ta = app.token(&a).await;
    let tb = app.token(&b).await;
    let p = register(&app, &ta, json!({"name": "Semhar Tekle"})).await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(search(&app, &ta, "Semhar").await, vec![id.to_owned()]);
    assert!(search(&app, &tb, "Semhar").await.is_empty());
    for (method, body) in [("GET", None), ("PUT", Some(json!({"name": "Changed"})))] {
        let req = TestApp::client().request(
            method.parse().unwrap(),
            app.url(&format!("/api/v1/persons/{id}")),
        );
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        let r = req.bearer_auth(&tb).send().await.unwrap();
        assert_eq!(r.status(), 404, "{method}");
    }
    let c = app.login(&b).await;
    let r = c
        .get(app.url(&format!("/staff/persons/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_change_based_on_an_old_version_is_a_conflict() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let t = app.token(&u).await;
    let p = register(&app, &t, json!({"alias": "Blue"})).await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(p["version"], 1);
    let put = |body: serde_json::Value| {
        TestApp::client()
            .put(app.url(&format!("/api/v1/persons/{id}")))
            .bearer_auth(&t)
            .json(&body)
            .send()
    };
    let r = put(json!({"alias": "Blue", "notes": "first", "version": 1}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["version"], 2);
    let r = put(json!({"alias": "Blue", "notes": "second", "version": 1}))
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let got: serde_json::Value = TestApp::client()
        .get(app.url(&format!("/api/v1/persons/{id}")))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["notes"], "first");
}

#[tokio::test]
async fn destroying_the_data_key_makes_the_person_unreadable() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let t = app.token(&u).await;
    let p = register(
        &app,
        &t,
        json!({"name": "Aster Haile", "phone": "+32 470 11 22 33"}),
    )
    .await;
    let id: haven_core::ids::PersonId = p["id"].as_str().unwrap().parse().unwrap();
    // Reading the person leaves their unwrapped data key in the short-lived cache …
    let r = TestApp::client()
        .get(app.url(&format!("/api/v1/persons/{id}")))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(app.ctx.keys.holds_data_key(&id.to_string()));
    let actor = haven_core::Actor::staff(u.id, u.org, vec![haven_core::Role::CaseManager]);
    haven_core::people::erase(&app.ctx, &actor, id)
        .await
        .unwrap();
    // … and erasing them evicts it at once.
    assert!(!app.ctx.keys.holds_data_key(&id.to_string()));
    let r = TestApp::client()
        .get(app.url(&format!("/api/v1/persons/{id}")))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert!(search(&app, &t, "Aster").await.is_empty());
    assert!(search(&app, &t, "+32470112233").await.is_empty());
    let (key, sealed): (Option<String>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT data_key, sealed FROM persons WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&app.ctx.db.pool)
            .await
            .unwrap();
    assert!(key.is_none() && sealed.is_none());
}

#[tokio::test]
async fn search_stays_correct_with_many_similar_names() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let actor = haven_core::Actor::staff(u.id, u.org, vec![haven_core::Role::CaseManager]);
    for i in 0..30 {
        let input = haven_core::people::PersonInput {
            name: Some(if i % 3 == 0 {
                format!("Mohamed Osman {i}")
            } else {
                format!("Yonas Kidane {i}")
            }),
            ..Default::default()
        };
        haven_core::people::register(&app.ctx, &actor, &input)
            .await
            .unwrap();
    }
    let t = app.token(&u).await;
    assert_eq!(search(&app, &t, "Muhammad Osman").await.len(), 10);
    assert_eq!(search(&app, &t, "Osman Mohammed").await.len(), 10);
    assert_eq!(search(&app, &t, "Yonas").await.len(), 20);
    assert_eq!(search(&app, &t, "Yonas Osman").await.len(), 0);
}

#[tokio::test]
async fn the_registering_organisation_erases_a_person_through_the_page_or_the_api() {
    let app = TestApp::spawn().await;
    let a = app.user("Erasing Org", &["case_manager"]).await;
    let b = app.user("Other Erasing Org", &["case_manager"]).await;
    let ta = app.token(&a).await;
    let tb = app.token(&b).await;

    // Through the page: the form is offered; without the box ticked nothing is erased.
    let p = register(
        &app,
        &ta,
        json!({"name": "Tesfay Gebre", "phone": "+31 6 1111 2222"}),
    )
    .await;
    let id = p["id"].as_str().unwrap().to_owned();
    let c = app.login(&a).await;
    let html = page(&c, &app, &format!("/staff/persons/{id}")).await;
    assert!(
        html.contains(&format!("action=\"/staff/persons/{id}/erase\"")),
        "{html}"
    );
    let csrf = app.csrf(&c).await;
    let path = format!("/staff/persons/{id}/erase");
    let r = c
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Tick the box"));
    assert_eq!(search(&app, &ta, "Tesfay").await, vec![id.clone()]);
    let r = c
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("confirm", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = c
        .get(app.url(&format!("/staff/persons/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("has been erased"));
    assert!(search(&app, &ta, "Tesfay").await.is_empty());
    let (key, sealed): (Option<Vec<u8>>, Option<Vec<u8>>) =
        sqlx::query_as("SELECT data_key, sealed FROM persons WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.ctx.db.pool)
            .await
            .unwrap();
    assert!(key.is_none() && sealed.is_none());
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'person.erase' AND object_ids = $1",
    )
    .bind(&id)
    .fetch_one(&app.ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(n, 1);

    // Through the API: another organisation cannot; the registering one gets 204, then 410.
    let p = register(&app, &ta, json!({"name": "Mulu Haile"})).await;
    let id = p["id"].as_str().unwrap().to_owned();
    let url = app.url(&format!("/api/v1/persons/{id}"));
    let r = TestApp::client()
        .delete(&url)
        .bearer_auth(&tb)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(search(&app, &ta, "Mulu").await, vec![id.clone()]);
    let r = TestApp::client()
        .delete(&url)
        .bearer_auth(&ta)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = TestApp::client()
        .get(&url)
        .bearer_auth(&ta)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    // Partner staff hold no erase permission at all.
    let partner = app.user("Erasing Org", &["partner_staff"]).await;
    let tp = app.token(&partner).await;
    let r = TestApp::client()
        .delete(&url)
        .bearer_auth(&tp)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
