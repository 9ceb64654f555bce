//! The hub's report categories, configured without SQL by the hub's administrator (an
//! administrator of an organisation of kind `reporting_hub`): add with a label in every
//! public language, rename, retire; audited; bad input named field by field in the
//! reader's language; the public form offers a new category in all twelve languages.

use crate::helpers::*;
use serde_json::{json, Value};

const LANGS: [&str; 12] = [
    "en", "nl", "fr", "de", "es", "ar", "fa", "ps", "ti", "so", "uk", "ru",
];

/// A label per language: `<word> <lang>`, and the English one `word`.
fn labels(word: &str) -> Value {
    let mut v = json!({});
    for l in LANGS {
        let label = if l == "en" {
            word.to_owned()
        } else {
            format!("{word} {l}")
        };
        v[format!("label_{l}")] = json!(label);
    }
    v
}

async fn staff_in(app: &TestApp, org: &str, kind: &str, roles: &[&str]) -> (TestUser, String) {
    let u = app.user_in(org, kind, roles).await;
    let t = app.token(&u).await;
    (u, t)
}

async fn public_form(app: &TestApp, lang: &str) -> String {
    app.fetch(&format!("/{lang}/report"))
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_hubs_administrator_adds_renames_and_retires_a_category_in_every_language() {
    let app = TestApp::spawn().await;
    let (_, admin) = staff_in(&app, "Cat Hub", "reporting_hub", &["administrator"]).await;
    let (_, officer) = staff_in(&app, "Cat Hub", "reporting_hub", &["hub_officer"]).await;

    // The ten defaults.
    let (s, list) = app.get(&admin, "/api/v1/hub/admin/categories").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 10);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["builtin"] == true));

    // Missing labels: every one named, in the reader's language; nothing written.
    let mut some = labels("Zqx domestic work");
    some["label_ti"] = json!("");
    some.as_object_mut().unwrap().remove("label_ps");
    let (s, body) = app
        .post_raw(
            &admin,
            "/api/v1/hub/admin/categories",
            &some.to_string(),
            &[("accept-language", "nl")],
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields_of(&body), ["label_ps", "label_ti"]);
    assert!(first_message(&body).contains("verplicht"), "{body}");
    assert_eq!(app.count("hub_categories").await, 10);

    // Added, audited; its code comes from the English label.
    let (s, made) = app
        .post(
            &admin,
            "/api/v1/hub/admin/categories",
            labels("Zqx domestic work"),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["code"], "zqx_domestic_work");
    assert_eq!(made["builtin"], false);
    assert_eq!(
        app.last_event_ids("hub.category.add").await,
        "zqx_domestic_work"
    );
    let (s, again) = app
        .post(
            &admin,
            "/api/v1/hub/admin/categories",
            labels("Zqx Domestic  work!"),
        )
        .await;
    assert_eq!(s, 422, "{again}");
    assert_eq!(fields_of(&again), ["label_en"]);

    // The public form offers it in all twelve languages, each with its own label.
    for l in LANGS {
        let page = public_form(&app, l).await;
        let label = if l == "en" {
            "Zqx domestic work".to_owned()
        } else {
            format!("Zqx domestic work {l}")
        };
        assert!(page.contains("value=\"zqx_domestic_work\""), "{l}");
        assert!(page.contains(&format!(">{label}</label>")), "{l}: {page}");
    }

    // A report in it; then renamed (a stale version is a conflict) and retired.
    let r = TestApp::client()
        .post(app.url("/en/report"))
        .form(&[
            ("category", "zqx_domestic_work"),
            ("occurred", "2026-10"),
            ("what", "The family keeps my passport"),
            ("reporter_role", "victim"),
            ("may_contact", "no"),
            ("language", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let path = "/api/v1/hub/admin/categories/zqx_domestic_work";
    let mut renamed = labels("Zqx work in households");
    renamed["version"] = json!(1);
    let (s, r) = app.put(&admin, path, renamed.clone()).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["version"], 2);
    let (s, _) = app.put(&admin, path, renamed).await;
    assert_eq!(s, 409);
    assert!(public_form(&app, "ar")
        .await
        .contains(">Zqx work in households ar</label>"));
    let (s, r) = app
        .post(&admin, &format!("{path}/retire"), json!({"version": 2}))
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["active"], false);
    assert_eq!(app.audit_count("hub.category.retire").await, 1);
    assert!(!public_form(&app, "en").await.contains("zqx_domestic_work"));

    // Retired: refused for a new report, but the old report and the figures keep it.
    let (s, body) = app
        .post(
            &officer,
            "/api/v1/hub/reports",
            json!({"category": "zqx_domestic_work", "occurred": "2026-10",
                   "what": "x", "reporter_role": "victim", "may_contact": "no",
                   "language": "en", "channel": "phone"}),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields_of(&body), ["category"]);
    let c = app
        .login(
            &app.user_in("Cat Hub", "reporting_hub", &["hub_officer"])
                .await,
        )
        .await;
    let page = app.page(&c, "/staff/hub/reports").await;
    assert!(page.contains("Zqx work in households"), "{page}");
}

#[tokio::test]
async fn only_an_administrator_of_a_reporting_hub_configures_categories() {
    let app = TestApp::spawn().await;
    let (_, ngo_admin) = app.staff("Cat NGO", &["administrator"]).await;
    let (_, officer) = staff_in(&app, "Cat Hub 2", "reporting_hub", &["hub_officer"]).await;
    for token in [&ngo_admin, &officer] {
        let (s, _) = app.get(token, "/api/v1/hub/admin/categories").await;
        assert_eq!(s, 403);
        let (s, _) = app
            .post(token, "/api/v1/hub/admin/categories", labels("Zqx refused"))
            .await;
        assert_eq!(s, 403);
    }
    assert_eq!(app.count("hub_categories").await, 10);

    // Pages: the hub's administrator finds the list from the start page, adds through
    // the form, and is told in Arabic what to fix.
    let admin = app
        .user_in("Cat Hub 2", "reporting_hub", &["administrator"])
        .await;
    let (c, csrf) = app.browser(&admin).await;
    let home = app.page(&c, "/staff/").await;
    assert!(home.contains("href=\"/staff/hub/categories\""), "{home}");
    let list = app.page(&c, "/staff/hub/categories").await;
    assert!(list.contains("Labour exploitation"), "{list}");
    let r = app
        .visit_with(
            &c,
            "/staff/hub/categories/new",
            &[("accept-language", "ar")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = c
        .post(app.url("/staff/hub/categories"))
        .header("accept-language", "ar")
        .form(&[("csrf", csrf.as_str()), ("label_en", "Zqx page")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("الاسم بالهولندية"), "{page}");
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    for l in LANGS {
        form.push((format!("label_{l}"), format!("Zqx page {l}")));
    }
    let r = c
        .post(app.url("/staff/hub/categories"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(app
        .page(&c, "/staff/hub/categories")
        .await
        .contains("Zqx page en"));
    let ngo_c = app
        .login(&app.user("Cat NGO", &["administrator"]).await)
        .await;
    assert!(!app
        .page(&ngo_c, "/staff/")
        .await
        .contains("/staff/hub/categories"));
    assert_eq!(
        app.visit(&ngo_c, "/staff/hub/categories").await.status(),
        403
    );
}
