//! Registering, finding, reading and changing persons; object-level access.

use crate::helpers::*;
use serde_json::json;

/// The ids of the persons a search finds (which must answer 200).
async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let query = reqwest::Url::parse_with_params("http://x/", &[("q", q)]).unwrap();
    let path = format!("/api/v1/persons?{}", query.query().unwrap());
    let (status, v) = app.get(token, &path).await;
    assert_eq!(status, 200, "{q}");
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_person_is_registered_through_the_form_and_found_by_spelling_variants() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let (c, csrf) = app.browser(&u).await;
    let page_url = app
        .submit_ok(
            &c,
            &csrf,
            "/staff/persons",
            &[
                ("name", "Mohammed Abd al-Rahman"),
                ("alias", "أبو علي"),
                ("birth_year", "1990"),
                ("gender", "male"),
                ("nationalities", "Sudan"),
                ("languages", "Arabic, English"),
                ("phone", "+31 6 1234 5678"),
                ("residence_status", "rejected_asylum_seeker"),
                ("notes", "Needs a doctor."),
            ],
        )
        .await;
    assert!(page_url.starts_with("/staff/persons/"));
    let page = app.page(&c, &page_url).await;
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
    let page = app.page(&c, "/staff/persons?q=muhammad").await;
    assert!(page.contains(&page_url));
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let (c, csrf) = app.browser(&u).await;
    let persons = app.count("persons").await;
    let events = app.count("audit_events").await;
    let page = app
        .submit_refused(
            &c,
            &csrf,
            "/staff/persons",
            &[
                ("name", "Valid Name"),
                ("birth_date", "1994-02-30"),
                ("phone", "call me"),
                ("residence_status", "illegal"),
            ],
        )
        .await;
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
    let (_, ta) = app.staff("Org A", &["case_manager"]).await;
    let (b, tb) = app.staff("Org B", &["case_manager"]).await;
    let p = app.register(&ta, json!({"name": "Semhar Tekle"})).await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(search(&app, &ta, "Semhar").await, vec![id.to_owned()]);
    assert!(search(&app, &tb, "Semhar").await.is_empty());
    let path = format!("/api/v1/persons/{id}");
    assert_eq!(app.get(&tb, &path).await.0, 404, "GET");
    let (status, _) = app.put(&tb, &path, json!({"name": "Changed"})).await;
    assert_eq!(status, 404, "PUT");
    let c = app.login(&b).await;
    let r = app.visit(&c, &format!("/staff/persons/{id}")).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_change_based_on_an_old_version_is_a_conflict() {
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let p = app.register(&t, json!({"alias": "Blue"})).await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(p["version"], 1);
    let path = format!("/api/v1/persons/{id}");
    let first = json!({"alias": "Blue", "notes": "first", "version": 1});
    let (status, v) = app.put(&t, &path, first).await;
    assert_eq!(status, 200);
    assert_eq!(v["version"], 2);
    let second = json!({"alias": "Blue", "notes": "second", "version": 1});
    assert_eq!(app.put(&t, &path, second).await.0, 409);
    let (_, got) = app.get(&t, &path).await;
    assert_eq!(got["notes"], "first");
}

#[tokio::test]
async fn destroying_the_data_key_makes_the_person_unreadable() {
    let app = TestApp::spawn().await;
    let (u, t) = app.staff("Org A", &["case_manager"]).await;
    let p = app
        .register(
            &t,
            json!({"name": "Aster Haile", "phone": "+32 470 11 22 33"}),
        )
        .await;
    let id: haven_core::ids::PersonId = p["id"].as_str().unwrap().parse().unwrap();
    // Reading the person leaves their unwrapped data key in the short-lived cache …
    let path = format!("/api/v1/persons/{id}");
    assert_eq!(app.get(&t, &path).await.0, 200);
    assert!(app.ctx.keys.holds_data_key(&id.to_string()));
    let actor = haven_core::Actor::staff(u.id, u.org, vec![haven_core::Role::CaseManager]);
    haven_core::people::erase(&app.ctx, &actor, id)
        .await
        .unwrap();
    // … and erasing them evicts it at once.
    assert!(!app.ctx.keys.holds_data_key(&id.to_string()));
    assert_eq!(app.get(&t, &path).await.0, 410);
    assert!(search(&app, &t, "Aster").await.is_empty());
    assert!(search(&app, &t, "+32470112233").await.is_empty());
    assert!(app.keeps_nothing_of(id).await);
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
    let (a, ta) = app.staff("Erasing Org", &["case_manager"]).await;
    let (_, tb) = app.staff("Other Erasing Org", &["case_manager"]).await;

    // Through the page: the form is offered; without the box ticked nothing is erased.
    let p = app
        .register(
            &ta,
            json!({"name": "Tesfay Gebre", "phone": "+31 6 1111 2222"}),
        )
        .await;
    let id = p["id"].as_str().unwrap().to_owned();
    let c = app.login(&a).await;
    let html = app.page(&c, &format!("/staff/persons/{id}")).await;
    assert!(
        html.contains(&format!("action=\"/staff/persons/{id}/erase\"")),
        "{html}"
    );
    let csrf = app.csrf(&c).await;
    let path = format!("/staff/persons/{id}/erase");
    let page = app.submit_refused(&c, &csrf, &path, &[]).await;
    assert!(page.contains("Tick the box"));
    assert_eq!(search(&app, &ta, "Tesfay").await, vec![id.clone()]);
    let r = app.submit(&c, &csrf, &path, &[("confirm", "1")]).await;
    assert_eq!(r.status(), 303);
    let r = app.visit(&c, &format!("/staff/persons/{id}")).await;
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("has been erased"));
    assert!(search(&app, &ta, "Tesfay").await.is_empty());
    assert!(app.keeps_nothing_of(&id).await);
    let erasures: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'person.erase' AND object_ids = $1",
            &id,
        )
        .await;
    assert_eq!(erasures, 1);

    // Through the API: another organisation cannot; the registering one gets 204, then 410.
    let p = app.register(&ta, json!({"name": "Mulu Haile"})).await;
    let id = p["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/persons/{id}");
    assert_eq!(app.delete(&tb, &path).await.0, 404);
    assert_eq!(search(&app, &ta, "Mulu").await, vec![id.clone()]);
    assert_eq!(app.delete(&ta, &path).await.0, 204);
    assert_eq!(app.get(&ta, &path).await.0, 410);
    // Partner staff hold no erase permission at all.
    let (_, tp) = app.staff("Erasing Org", &["partner_staff"]).await;
    assert_eq!(app.delete(&tp, &path).await.0, 403);
}

#[tokio::test]
async fn figures_withhold_a_total_that_would_reveal_a_small_count() {
    let app = TestApp::spawn().await;
    let small = app.user("Figures Small Org", &["case_manager"]).await;
    let large = app.user("Figures Large Org", &["case_manager"]).await;
    for (u, n) in [(&small, 3), (&large, 7)] {
        for i in 0..n {
            let input = haven_core::people::PersonInput {
                name: Some(format!("Counted {i}")),
                ..Default::default()
            };
            app.person(u, input).await;
        }
    }
    let (analyst, token) = app.staff("Figures Policy Unit", &["analyst"]).await;
    let (status, v) = app.get(&token, "/api/v1/stats/overview").await;
    assert_eq!(status, 200, "{v}");
    let org = |name: &str| {
        v["by_organisation"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["organisation"] == name)
            .unwrap()["persons"]
            .clone()
    };
    assert_eq!(
        org("Figures Small Org"),
        json!({"kind": "fewer_than", "value": 5})
    );
    assert_eq!(
        org("Figures Large Org"),
        json!({"kind": "exact", "value": 7})
    );
    // 10 persons in all, 7 of them in one organisation: the total would give the 3 away.
    assert_eq!(v["persons"], json!({"kind": "withheld"}), "{v}");
    let web = app.login(&analyst).await;
    let page = app.page(&web, "/staff/stats").await;
    assert!(page.contains("withheld (it would reveal a small count)"));
}
