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
    for _ in 0..haven_web::throttle::FREE_PER_ACCOUNT_AND_ADDRESS {
        let r = app.sign_in(&c, &u.username, "wrong password").await;
        assert_eq!(r.status(), 401);
    }
    // Now even the right password waits, from this address.
    let r = app.sign_in(&c, &u.username, PASSWORD).await;
    assert_eq!(r.status(), 429);
    // The wait grows with each failure and ends: a second later the owner is in.
    app.clock.advance(2);
    let r = app.sign_in(&c, &u.username, PASSWORD).await;
    assert_eq!(r.status(), 303);
}

/// A browser-like client whose requests come from another loopback address.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_stranger_guessing_a_password_does_not_lock_the_owner_out() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let stranger = client_from("127.0.0.2");
    let mut refused = 0;
    for _ in 0..12 {
        let r = app.sign_in(&stranger, &u.username, "guess").await;
        if r.status() == 429 {
            refused += 1;
        }
    }
    assert!(refused > 0, "the stranger was never slowed down");
    // The owner, from their own address, signs in at once.
    let owner = client_from("127.0.0.1");
    let r = app.sign_in(&owner, &u.username, PASSWORD).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn the_right_password_does_not_reset_the_count_of_wrong_codes() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let mut codes = Vec::new();
    // Alternate the right password with wrong codes, from two addresses.
    for round in 0..4 {
        let c = client_from(if round % 2 == 0 {
            "127.0.0.1"
        } else {
            "127.0.0.3"
        });
        let r = app.sign_in(&c, &u.username, PASSWORD).await;
        assert_eq!(location(&r), "/staff/login/totp");
        let csrf = csrf_of(&app.page(&c, "/staff/login/totp").await);
        for _ in 0..2 {
            let r = app
                .submit(&c, &csrf, "/staff/login/totp", &[("code", "000000")])
                .await;
            codes.push(r.status().as_u16());
        }
    }
    let wrong = codes.iter().filter(|s| **s == 401).count();
    assert_eq!(
        wrong as u32,
        haven_web::throttle::FREE_CODES,
        "wrong codes let through: {codes:?}"
    );
    assert!(codes[wrong..].iter().all(|s| *s == 429), "{codes:?}");
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
        "/outreach/team",
        "/outreach/app.js",
        "/nowhere",
    ] {
        let r = app.visit(&c, path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        let personal = ["/staff", "/api/v1", "/outreach/team"];
        if personal.iter().any(|p| path.starts_with(p)) {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        } else {
            assert_ne!(
                h.get("cache-control").map(|v| v.as_bytes()),
                Some(&b"no-store"[..]),
                "{path}"
            );
        }
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS without TLS"
        );
    }
    let tls = TestApp::spawn_with(WebConfig {
        demo: false,
        tls: true,
        ..Default::default()
    })
    .await;
    let r = tls.fetch("/staff/login").await;
    assert!(r.headers().contains_key("strict-transport-security"));
    // Behind TLS the session cookie is a __Host- cookie, and only that name is read.
    let u = tls.user("Org A", &["case_manager"]).await;
    let r = tls.sign_in(&TestApp::client(), &u.username, PASSWORD).await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-haven_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    for (name, signed_in) in [("haven_session", false), ("__Host-haven_session", true)] {
        let r = tls
            .fetch_with(
                "/staff/login/totp",
                &[("cookie", &format!("{name}={token}"))],
            )
            .await;
        assert_eq!(r.status() == 200, signed_in, "{name}");
    }
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
        ..Default::default()
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
