//! The firewall by organisation kind (`haven_core::firewall`): each refusal through the
//! API (422 naming the field and the message) and the pages (the form again, with the
//! message), the roles a session holds in effect, and the notice of a role grant.

use crate::helpers::*;
use haven_core::outbox::NotificationKind;
use haven_core::people::PersonInput;
use haven_core::referrals;
use haven_core::{users, Actor, Error, Role};
use serde_json::{json, Value};

/// The one field error of a 422 answer: (field, code), and its message is not empty.
fn refusal(status: u16, v: &Value) -> (String, String) {
    assert_eq!(status, 422, "{v}");
    let f = &v["fields"][0];
    assert!(!f["message"].as_str().unwrap_or_default().is_empty(), "{v}");
    (
        f["field"].as_str().unwrap_or_default().to_owned(),
        f["code"].as_str().unwrap_or_default().to_owned(),
    )
}

fn codes(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn new_user(org: &haven_core::ids::OrgId, roles: &[&str]) -> Value {
    json!({
        "username": format!("x{}", &uuid::Uuid::new_v4().simple().to_string()[..10]),
        "display_name": "New Account",
        "org_id": org.to_string(),
        "roles": roles,
        "password": "a long enough password",
    })
}

#[tokio::test]
async fn police_liaison_accounts_exist_only_alone_and_only_in_a_police_unit() {
    let app = TestApp::spawn().await;
    let admin = app.user("City", &["administrator"]).await;
    let token = app.token(&admin).await;
    let police = app.org("Police Unit", "police_liaison").await;
    let ngo = app.org("Day Centre", "ngo").await;
    let policy = app.org("Policy Unit", "policy_unit").await;
    let cases: &[(&haven_core::ids::OrgId, &[&str], &str)] = &[
        (&ngo, &["police_liaison"], "err-role-police-org"),
        (
            &police,
            &["police_liaison", "case_manager"],
            "err-role-police-alone",
        ),
        (&police, &["partner_staff"], "err-role-org-kind"),
        (&police, &["administrator"], "err-role-org-kind"),
        (&policy, &["case_manager"], "err-role-org-kind"),
    ];
    for (org, roles, code) in cases {
        let (status, v) = app
            .post(&token, "/api/v1/users", new_user(org, roles))
            .await;
        assert_eq!(
            refusal(status, &v),
            ("roles".to_owned(), (*code).to_owned()),
            "{roles:?}"
        );
    }
    let before = app.count("users").await;
    assert_eq!(before, 1, "nothing half-written");
    for (org, roles) in [
        (&police, &["police_liaison"][..]),
        (&policy, &["analyst"]),
        (&ngo, &["case_manager"]),
    ] {
        let (status, v) = app
            .post(&token, "/api/v1/users", new_user(org, roles))
            .await;
        assert_eq!(status, 201, "{v}");
    }
    // The page shows the message in the form.
    let web = app.login(&admin).await;
    let csrf = app.csrf(&web).await;
    let page = app
        .submit_refused(
            &web,
            &csrf,
            "/staff/admin/users",
            &[
                ("username", "pagepolice"),
                ("display_name", "Page Police"),
                ("org_id", &ngo.to_string()),
                ("roles", "police_liaison"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert!(
        page.contains("A police liaison account can only belong"),
        "{page}"
    );
    assert!(page.contains("Page Police"), "what was typed stays");
}

#[tokio::test]
async fn no_account_changes_its_own_organisation_or_roles() {
    let app = TestApp::spawn().await;
    let admin = app.user("City", &["administrator"]).await;
    let token = app.token(&admin).await;
    let other = app.org("Elsewhere", "ngo").await;
    let put = |org: &haven_core::ids::OrgId, roles: &[&str]| json!({"display_name": "Me", "org_id": org.to_string(), "roles": roles});
    let path = format!("/api/v1/users/{}", admin.id);
    // The case: an administrator gives itself case_manager in another organisation.
    let (status, v) = app
        .put(
            &token,
            &path,
            put(&other, &["administrator", "case_manager"]),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(fields_of(&v), ["org_id", "roles"]);
    assert_eq!(codes(&v), ["err-self-org", "err-self-roles"]);
    let (status, v) = app
        .put(
            &token,
            &path,
            put(&admin.org, &["administrator", "case_manager"]),
        )
        .await;
    assert_eq!(
        refusal(status, &v),
        ("roles".into(), "err-self-roles".into())
    );
    let (status, v) = app
        .put(&token, &path, put(&other, &["administrator"]))
        .await;
    assert_eq!(
        refusal(status, &v),
        ("org_id".into(), "err-self-org".into())
    );
    // Still an administrator of its own organisation, and nothing else.
    let (_, me) = app.get(&token, &path).await;
    assert_eq!(me["roles"], json!(["administrator"]));
    assert_eq!(me["org_id"], json!(admin.org.to_string()));
    // A new display name is its own to change.
    let (status, v) = app
        .put(&token, &path, put(&admin.org, &["administrator"]))
        .await;
    assert_eq!(status, 200, "{v}");
    // The page refuses likewise, in the form.
    let web = app.login(&admin).await;
    let csrf = app.csrf(&web).await;
    let page = app
        .submit_refused(
            &web,
            &csrf,
            &format!("/staff/admin/users/{}", admin.id),
            &[
                ("display_name", "Me"),
                ("org_id", &admin.org.to_string()),
                ("roles", "administrator"),
                ("roles", "case_manager"),
            ],
        )
        .await;
    assert!(page.contains("You cannot change your own roles"), "{page}");
}

#[tokio::test]
async fn no_consent_or_referral_reaches_an_organisation_that_may_not_receive_it() {
    let app = TestApp::spawn().await;
    let cm = app.user("Sender", &["case_manager"]).await;
    let token = app.token(&cm).await;
    let person = app
        .person(
            &cm,
            PersonInput {
                name: Some("Firewall Person".into()),
                ..Default::default()
            },
        )
        .await;
    let until = app.in_days(30);
    let consent = |org: &haven_core::ids::OrgId| {
        json!({"to_org": org.to_string(), "purpose": "legal_advice", "valid_until": until,
               "share_residence_status": true, "person_agreed": true})
    };
    for (name, kind) in [
        ("Police Unit", "police_liaison"),
        ("Policy Unit", "policy_unit"),
        ("Reporting Hub", "reporting_hub"),
    ] {
        let org = app.org(name, kind).await;
        let service = app.dir_service(org, &format!("{name} desk")).await;
        let path = format!("/api/v1/persons/{person}/consents");
        let (status, v) = app.post(&token, &path, consent(&org)).await;
        assert_eq!(
            refusal(status, &v),
            ("to_org".into(), "err-org-kind-no-consent".into()),
            "{kind}"
        );
        // Its services are not offered to refer to.
        let (_, services) = app.get(&token, "/api/v1/referral-services").await;
        assert!(!services.to_string().contains(&service), "{kind}");
    }
    assert_eq!(app.count("referral_consents").await, 0);
    // A consent recorded before the organisation became a police unit (written past the
    // kind change's check, as old data would be) carries no referral there.
    let legal = app.org("Legal Aid", "legal_aid").await;
    let service = app.dir_service(legal, "Advice").await;
    let path = format!("/api/v1/persons/{person}/consents");
    let (status, c) = app.post(&token, &path, consent(&legal)).await;
    assert_eq!(status, 201, "{c}");
    app.exec(
        "UPDATE organisations SET kind = 'police_liaison' WHERE id = $1",
        &[&legal.to_string()],
    )
    .await;
    let body = json!({"consent_id": c["id"], "service_id": service});
    let (status, v) = app.post(&token, "/api/v1/referrals", body).await;
    assert_eq!(
        refusal(status, &v),
        ("service_id".into(), "err-org-kind-no-referral".into())
    );
    assert_eq!(app.count("referrals").await, 0);
    // The consent page shows the refusal in the form.
    let police = app.org("Police Unit", "police_liaison").await;
    let web = app.login(&cm).await;
    let csrf = app.csrf(&web).await;
    let page = app
        .submit_refused(
            &web,
            &csrf,
            &format!("/staff/persons/{person}/consents"),
            &[
                ("to_org", &police.to_string()),
                ("purpose", "legal_advice"),
                ("valid_until", &until),
                ("person_agreed", "on"),
            ],
        )
        .await;
    assert!(page.contains("no consent can name it"), "{page}");
}

#[tokio::test]
async fn an_organisation_becomes_a_police_unit_only_with_nothing_the_rule_forbids() {
    let app = TestApp::spawn().await;
    let admin = app.user("City", &["administrator"]).await;
    let token = app.token(&admin).await;
    let cm = app.user("Sender", &["case_manager"]).await;
    let target = app.user("Target", &["partner_staff"]).await;
    let service = app.dir_service(target.org, "Clinic").await;
    let person = app.person(&cm, PersonInput::default()).await;
    let actor = Actor::staff(cm.id, cm.org, vec![Role::CaseManager]);
    let c = referrals::record_consent(
        &app.ctx,
        &actor,
        person.parse().unwrap(),
        &app.consent_input(target.org, "health_care", 30, false),
    )
    .await
    .unwrap();
    referrals::refer(
        &app.ctx,
        &actor,
        &referrals::ReferInput {
            consent_id: Some(c.id.to_string()),
            service_id: Some(service),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let path = format!("/api/v1/organisations/{}", target.org);
    let body = json!({"name": "Target", "kind": "police_liaison"});
    let (status, v) = app.put(&token, &path, body.clone()).await;
    assert_eq!(status, 422, "{v}");
    assert!(fields_of(&v).iter().all(|f| f == "kind"));
    assert_eq!(
        codes(&v),
        [
            "err-org-kind-has-roles",
            "err-org-kind-has-consents",
            "err-org-kind-has-referrals",
            "err-org-kind-has-directory",
        ]
    );
    let kind: String = app
        .scalar(
            "SELECT kind FROM organisations WHERE id = $1",
            &target.org.to_string(),
        )
        .await;
    assert_eq!(kind, "ngo", "nothing changed");
    // The page shows it in the form.
    let web = app.login(&admin).await;
    let csrf = app.csrf(&web).await;
    let page = app
        .submit_refused(
            &web,
            &csrf,
            &format!("/staff/admin/organisations/{}", target.org),
            &[
                ("name", "Target"),
                ("kind", "police_liaison"),
                ("active", "on"),
                ("retention_months", "24"),
            ],
        )
        .await;
    assert!(
        page.contains("Referrals were sent to this organisation"),
        "{page}"
    );
    // An organisation with only police liaison accounts and nothing else may become one.
    let fresh = app.user_in("Fresh", "ngo", &["analyst"]).await;
    app.exec(
        "UPDATE user_roles SET role = 'police_liaison' WHERE user_id = $1",
        &[&fresh.id.to_string()],
    )
    .await;
    let path = format!("/api/v1/organisations/{}", fresh.org);
    let body = json!({"name": "Fresh", "kind": "police_liaison"});
    let (status, v) = app.put(&token, &path, body).await;
    assert_eq!(status, 200, "{v}");
}

#[tokio::test]
async fn a_police_unit_is_never_linked_into_the_public_directory() {
    let app = TestApp::spawn().await;
    use haven_core::directory::{self, form::EntryInput, review, Kind};
    let sys = Actor::system();
    let police = app.org("Police Unit", "police_liaison").await;
    let entry = EntryInput {
        source_lang: "en".into(),
        name: "Police Unit".into(),
        description: "Should never be public.".into(),
        ..Default::default()
    };
    let dir_org = review::save(&app.ctx, &sys, Kind::Organization, None, &entry)
        .await
        .unwrap();
    let e = directory::link_network_org(&app.ctx, &sys, &dir_org, Some(police))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid(f) if f[0].field == "haven_org_id" && f[0].code == "err-org-kind-no-directory"),
        "{e:?}"
    );
    let linked = app
        .count("dir_organizations WHERE haven_org_id IS NOT NULL")
        .await;
    assert_eq!(linked, 0);
}

#[tokio::test]
async fn a_session_holds_only_the_roles_its_organisation_kind_may_hold() {
    let app = TestApp::spawn().await;
    let police = app
        .user_in("Police Unit", "police_liaison", &["police_liaison"])
        .await;
    let cm = app.user("Sender", &["case_manager"]).await;
    app.person(&cm, PersonInput::default()).await;
    // A role row written past the checks (old data, or a hand-edited database).
    app.exec(
        "INSERT INTO user_roles (user_id, role) VALUES ($1, 'case_manager')",
        &[&police.id.to_string()],
    )
    .await;
    let token = app.token(&police).await;
    for path in ["/api/v1/persons/recent", "/api/v1/cases"] {
        assert_eq!(app.get(&token, path).await.0, 403, "{path}");
    }
}

#[tokio::test]
async fn granting_a_role_that_reads_persons_is_audited_and_shown_to_the_other_administrators() {
    let app = TestApp::spawn().await;
    let a = app.user("City", &["administrator"]).await;
    let b = app.user("City", &["administrator"]).await;
    app.exec(
        "UPDATE users SET email = 'b@example.org' WHERE id = $1",
        &[&b.id.to_string()],
    )
    .await;
    let (ctx, kept) = app.keeping_mail();
    let actor_a = Actor::staff(a.id, a.org, vec![Role::Administrator]);
    let u = users::create(
        &ctx,
        &actor_a,
        &users::NewUser {
            username: "newanalyst".into(),
            display_name: "New Analyst".into(),
            org_id: a.org.to_string(),
            roles: vec!["analyst".into()],
            password: "a long enough password".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        app.audit_count("user.role_grant").await,
        0,
        "analysts read no person"
    );
    assert_eq!(app.last_event_ids("user.create").await, u.id.to_string());
    users::update(
        &ctx,
        &actor_a,
        u.id,
        &users::UserUpdate {
            display_name: "New Analyst".into(),
            org_id: a.org.to_string(),
            roles: vec!["analyst".into(), "case_manager".into()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        app.audit_count("user.role_grant").await,
        1,
        "one event, not two"
    );
    assert_eq!(app.audit_count("user.update").await, 0);
    let ids = app.last_event_ids("user.role_grant").await;
    assert_eq!(
        ids,
        format!(
            "{},before={}/analyst,after={}/analyst+case_manager",
            u.id, a.org, a.org
        )
    );
    let mails = kept.mailings();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "b@example.org");
    assert_eq!(mails[0].kind, NotificationKind::RoleGranted);
    // B sees it on the accounts page; A, who made the change, does not.
    let web_b = app.login(&b).await;
    let page = app.page(&web_b, "/staff/admin/users").await;
    assert!(page.contains("Roles that read persons, given recently"));
    assert!(page.contains("newanalyst") && page.contains("Case manager"));
    let web_a = app.login(&a).await;
    let page = app.page(&web_a, "/staff/admin/users").await;
    assert!(!page.contains("Roles that read persons, given recently"));
    // The same through the API.
    let (status, notices) = app.get(&app.token(&b).await, "/api/v1/role-notices").await;
    assert_eq!(status, 200, "{notices}");
    assert_eq!(notices[0]["username"], "newanalyst", "{notices}");
    assert_eq!(notices[0]["roles_before"], json!(["analyst"]));
    assert_eq!(
        notices[0]["roles_after"],
        json!(["analyst", "case_manager"])
    );
    let (status, notices) = app.get(&app.token(&a).await, "/api/v1/role-notices").await;
    assert_eq!((status, notices), (200, json!([])));
}
