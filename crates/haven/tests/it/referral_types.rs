//! Referral types as configuration: the administrator lists them, edits the allowlist from
//! the fixed field set, deactivates one; bad input is refused field by field; each change
//! is audited; a narrower allowlist reaches open referrals at once, a wider one does not.

use crate::helpers::*;
use haven_core::Clock;
use serde_json::{json, Value};

#[tokio::test]
async fn an_administrator_edits_the_allowlist_and_deactivates_a_type() {
    let app = TestApp::spawn().await;
    let (admin, token) = app.staff("City", &["administrator"]).await;
    let (_, cm_token) = app.staff("City", &["case_manager"]).await;
    use reqwest::Method as M;
    let (status, v) = app
        .api(&token, M::GET, "/api/v1/config/referral-types", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert_eq!(v[4]["code"], "day_centre");
    assert_eq!(v[4]["fields"], json!(["alias", "languages"]));
    // A case manager configures nothing.
    let (status, _) = app
        .api(&cm_token, M::GET, "/api/v1/config/referral-types", None)
        .await;
    assert_eq!(status, 403);
    // Every problem at once; nothing written, nothing audited.
    let path = "/api/v1/config/referral-types/day_centre";
    let (status, v) = app
        .api(
            &token,
            M::PUT,
            path,
            Some(json!({"label": "", "fields": ["alias", "notes"], "position": 5000})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["label", "fields", "position"], "{v}");
    let (status, v) = app
        .api(
            &token,
            M::PUT,
            path,
            Some(json!({"label": "Day centre", "fields": ["residence_status"]})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&v), ["fields"], "{v}");
    let (status, v) = app
        .api(
            &token,
            M::PUT,
            path,
            Some(json!({"label": "Day centre", "fields": []})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(v["fields"][0]["code"], "err-referral-fields-required");
    assert_eq!(app.audit_count("referral_type.update").await, 0);
    // A good change, stored in the fixed order, audited by code.
    let (status, v) = app.api(&token, M::PUT,
        path,
        Some(json!({"label": "Day centre", "fields": ["languages", "alias", "name", "alias"], "position": 7})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["fields"], json!(["name", "alias", "languages"]));
    assert_eq!(v["active"], true);
    let ids = app.last_event_ids("referral_type.update").await;
    assert!(ids.contains("day_centre"));
    // Deactivated: no longer offered for new consents.
    let (status, _) = app
        .api(
            &token,
            M::PUT,
            path,
            Some(json!({"label": "Day centre", "fields": ["alias"], "active": false})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, offered) = app
        .api(&cm_token, M::GET, "/api/v1/referral-types", None)
        .await;
    assert!(offered
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["code"] != "day_centre"));
    let (status, _) = app
        .api(
            &token,
            M::PUT,
            "/api/v1/config/referral-types/nope",
            Some(json!({"label": "X", "fields": ["alias"]})),
        )
        .await;
    assert_eq!(status, 404);
    // The pages: the list, the form with checkboxes, a refused and an accepted change.
    let web = app.login(&admin).await;
    let page = app.page(&web, "/staff/admin/referral-types").await;
    assert!(page.contains("/staff/admin/referral-types/health_care"));
    let form = app
        .page(&web, "/staff/admin/referral-types/health_care")
        .await;
    assert!(form.contains("type=\"checkbox\"") && form.contains("value=\"phone\""));
    assert!(!form.contains("value=\"residence_status\""));
    let csrf = csrf_of(&form);
    let page = app
        .submit_refused(
            &web,
            &csrf,
            "/staff/admin/referral-types/health_care",
            &[("label", "Health care")],
        )
        .await;
    assert!(page.contains("Tick at least one field"));
    let r = app
        .submit(
            &web,
            &csrf,
            "/staff/admin/referral-types/health_care",
            &[
                ("label", "Health care"),
                ("fields", "name"),
                ("fields", "languages"),
                ("position", "2"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, v) = app
        .api(
            &token,
            M::GET,
            "/api/v1/config/referral-types/health_care",
            None,
        )
        .await;
    assert_eq!(v["fields"], json!(["name", "languages"]));
}

#[tokio::test]
async fn a_narrower_allowlist_reaches_open_referrals_a_wider_one_does_not() {
    let app = TestApp::spawn().await;
    let (_, a_token) = app.staff("City", &["administrator"]).await;
    let sender = app.user("Sending Org", &["case_manager"]).await;
    let receiver = app.user("Receiving Org", &["partner_staff"]).await;
    let service = app.dir_service(receiver.org, "Day centre").await;
    let s_token = app.token(&sender).await;
    let r_token = app.token(&receiver).await;
    use reqwest::Method as M;
    let (_, p) = app
        .api(
            &s_token,
            M::POST,
            "/api/v1/persons",
            Some(
                json!({"name": "Allowlist Person", "alias": "Ally", "languages": ["Arabic"],
                    "phone": "+31 6 0000 1111"}),
            ),
        )
        .await;
    let person = p["id"].as_str().unwrap().to_owned();
    let until = (app.clock.now().date() + time::Duration::days(30)).to_string();
    let (status, c) = app
        .api(
            &s_token,
            M::POST,
            &format!("/api/v1/persons/{person}/consents"),
            Some(
                json!({"to_org": receiver.org.to_string(), "purpose": "day_centre",
                    "valid_until": until, "person_agreed": true}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    let (status, r) = app
        .api(
            &s_token,
            M::POST,
            "/api/v1/referrals",
            Some(json!({"consent_id": c["id"], "service_id": service})),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let view = format!(
        "/api/v1/referrals/received/{}/person",
        r["id"].as_str().unwrap()
    );
    let (_, v) = app.api(&r_token, M::GET, &view, None).await;
    assert_eq!(v["alias"], "Ally");
    assert_eq!(v["phone"], Value::Null);
    // Widened to the phone: the open referral still does not show it.
    let put = |fields: Value| {
        app.api(
            &a_token,
            M::PUT,
            "/api/v1/config/referral-types/day_centre",
            Some(json!({"label": "Day centre", "fields": fields})),
        )
    };
    let (status, _) = put(json!(["alias", "languages", "phone"])).await;
    assert_eq!(status, 200);
    let (_, v) = app.api(&r_token, M::GET, &view, None).await;
    assert_eq!(v["phone"], Value::Null, "{v}");
    assert_eq!(v["alias"], "Ally");
    // Narrowed to the languages: the alias goes at once.
    let (status, _) = put(json!(["languages"])).await;
    assert_eq!(status, 200);
    let (_, v) = app.api(&r_token, M::GET, &view, None).await;
    assert_eq!(v["alias"], Value::Null, "{v}");
    assert_eq!(v["languages"], json!(["Arabic"]));
}
