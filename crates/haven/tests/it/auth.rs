//! Signing in and out, sessions, throttling, CSRF and security headers.
use haven_core::Clock as _;

use crate::helpers::*;
use haven_web::WebConfig;

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let app = TestApp::spawn().await;
    let r = app.fetch("/healthz").await;
    assert_eq!(r.status(), 200);
    app.ctx.db.pool.close().await;
    let r = app.fetch("/healthz").await;
    assert_eq!(r.status(), 503);
}

#[tokio::test]
async fn sign_in_needs_password_and_code_and_rotates_the_session() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = TestApp::client();
    // The password step gives only a pending session: staff pages stay closed.
    let r = app.sign_in(&c, &u.username, PASSWORD).await;
    assert_eq!(location(&r), "/staff/login/totp");
    let pending_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let r = app.visit(&c, "/staff/persons").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/staff/login");
    // A wrong code is refused with a message.
    let csrf = csrf_of(&app.page(&c, "/staff/login/totp").await);
    let r = app
        .submit(&c, &csrf, "/staff/login/totp", &[("code", "000000")])
        .await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    // The right code opens a new session with a new token.
    let code = app.code(&u);
    let r = app
        .submit(&c, &csrf, "/staff/login/totp", &[("code", &code)])
        .await;
    assert_eq!(r.status(), 303);
    let full_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert_ne!(
        pending_cookie, full_cookie,
        "the session token changes at sign-in"
    );
    let r = app.visit(&c, "/staff/persons").await;
    assert_eq!(r.status(), 200);
    // The same code cannot be used again.
    let c2 = TestApp::client();
    app.sign_in(&c2, &u.username, PASSWORD).await;
    let csrf2 = csrf_of(&app.page(&c2, "/staff/login/totp").await);
    let r = app
        .submit(&c2, &csrf2, "/staff/login/totp", &[("code", &code)])
        .await;
    assert_eq!(r.status(), 401, "a TOTP code is accepted once only");
}

#[tokio::test]
async fn unknown_user_and_wrong_password_look_the_same() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = TestApp::client();
    let wrong = app.sign_in(&c, &u.username, "not the password").await;
    let unknown = app.sign_in(&c, "nobody-here", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let a = wrong.text().await.unwrap().replace(&u.username, "X");
    let b = unknown.text().await.unwrap().replace("nobody-here", "X");
    assert_eq!(a, b);
}

#[tokio::test]
async fn repeated_failures_are_throttled() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = TestApp::client();
    for _ in 0..haven_web::auth::MAX_PER_ACCOUNT {
        let r = app.sign_in(&c, &u.username, "wrong password").await;
        assert_eq!(r.status(), 401);
    }
    // Now even the right password waits.
    let r = app.sign_in(&c, &u.username, PASSWORD).await;
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn sessions_end_by_logout_idle_timeout_and_disabling() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;

    let (c, csrf) = app.browser(&u).await;
    let r = app.submit(&c, &csrf, "/staff/logout", &[]).await;
    assert_eq!(location(&r), "/staff/login");
    let r = app.visit(&c, "/staff/").await;
    assert_eq!(location(&r), "/staff/login");

    let c = app.login(&u).await;
    app.clock.advance(haven_core::users::IDLE_TIMEOUT + 1);
    let r = app.visit(&c, "/staff/").await;
    assert_eq!(location(&r), "/staff/login", "idle timeout");

    let c = app.login(&u).await;
    assert_eq!(app.visit(&c, "/staff/").await.status(), 200);
    haven_core::users::set_disabled(&app.ctx, &haven_core::Actor::system(), u.id, true)
        .await
        .unwrap();
    let r = app.visit(&c, "/staff/").await;
    assert_eq!(location(&r), "/staff/login", "disabled account");
}

#[tokio::test]
async fn sessions_have_an_absolute_limit() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = app.login(&u).await;
    // Active every 20 minutes, which keeps the idle timeout away, until 12 hours pass.
    let mut elapsed = 0;
    while elapsed < haven_core::users::ABSOLUTE_TIMEOUT - 1200 {
        app.clock.advance(1200);
        elapsed += 1200;
        assert_eq!(app.visit(&c, "/staff/").await.status(), 200);
    }
    app.clock.advance(1300);
    assert_eq!(location(&app.visit(&c, "/staff/").await), "/staff/login");
}

#[tokio::test]
async fn forms_without_the_csrf_token_or_from_another_site_are_refused() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = app.login(&u).await;
    let before = app.count("persons").await;
    let r = app
        .post_form(&c, "/staff/persons", &[("name", "Nobody")])
        .await;
    assert_eq!(r.status(), 403);
    let csrf = app.csrf(&c).await;
    let r = c
        .post(app.url("/staff/persons"))
        .header("origin", "https://evil.example")
        .form(&[("name", "Nobody"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(app.count("persons").await, before);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let c = app.login(&u).await;
    for path in [
        "/staff/",
        "/staff/persons",
        "/staff/login",
        "/en/",
        "/healthz",
        "/api/v1/me",
        "/nowhere",
    ] {
        let r = app.visit(&c, path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        if path.starts_with("/staff") {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS without TLS"
        );
    }
    let tls = TestApp::spawn_with(WebConfig {
        demo: false,
        tls: true,
    })
    .await;
    let r = tls.fetch("/staff/login").await;
    assert!(r.headers().contains_key("strict-transport-security"));
}

/// A case manager of "Org A" whose account has no second factor yet.
async fn without_second_factor(app: &TestApp, username: &str) -> haven_core::ids::UserId {
    let org = app.org("Org A", "ngo").await;
    haven_core::users::create(
        &app.ctx,
        &haven_core::Actor::system(),
        &haven_core::users::NewUser {
            username: username.into(),
            display_name: format!("Test {username}"),
            org_id: org.to_string(),
            roles: vec!["case_manager".into()],
            password: PASSWORD.into(),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn a_user_without_a_second_factor_must_enrol_one_unless_in_demo_mode() {
    let app = TestApp::spawn().await;
    let created = without_second_factor(&app, "newcomer").await;
    let c = TestApp::client();
    let r = app.sign_in(&c, "newcomer", PASSWORD).await;
    assert_eq!(location(&r), "/staff/login/enrol");
    let page = app.page(&c, "/staff/login/enrol").await;
    assert!(page.contains("<svg"), "a QR code is shown");
    // Read the offered secret from the page, as an authenticator app would.
    let start = page.find("class=\"secret\" dir=\"ltr\">").unwrap() + 25;
    let secret_text: String =
        page[start..page[start..].find('<').unwrap() + start].replace(' ', "");
    let secret = data_encoding::BASE32_NOPAD
        .decode(secret_text.as_bytes())
        .unwrap();
    let code = format!(
        "{:06}",
        haven_core::users::totp::code_at_step(&secret, app.clock.now_ts() / 30)
    );
    let r = app
        .submit(
            &c,
            &csrf_of(&page),
            "/staff/login/enrol",
            &[("code", &code)],
        )
        .await;
    assert_eq!(location(&r), "/staff/");
    let u = haven_core::users::get(&app.ctx, &haven_core::Actor::system(), created)
        .await
        .unwrap();
    assert!(u.totp_enrolled);

    // In demo mode the same kind of account goes straight in, and the page says so.
    let demo = TestApp::spawn_with(WebConfig {
        demo: true,
        tls: false,
    })
    .await;
    without_second_factor(&demo, "demo-user").await;
    let c = TestApp::client();
    let page = demo.page(&c, "/staff/login").await;
    assert!(page.contains("without a second factor"));
    let r = demo.sign_in(&c, "demo-user", PASSWORD).await;
    assert_eq!(location(&r), "/staff/");
    let page = app.page(&TestApp::client(), "/staff/login").await;
    assert!(
        !page.contains("without a second factor"),
        "a real installation never offers it"
    );
}
