//! E-mail about notifications: a small SMTP sink in the test receives what Haven sends.
//! Configured, a referral mails each receiving user who has an address and wants it, and
//! nothing in the message names the person or repeats the referral's text; not configured,
//! nothing is sent; an SMTP server that is down or hangs neither fails nor slows a
//! referral, and a full queue drops at once. The address on the account form and API is
//! checked, staff can turn the e-mail off themselves, and a wrong setting stops the start.

use crate::helpers::*;
use haven::mail::{MailConfig, MailStats};
use haven_core::people::PersonInput;
use haven_core::referrals::{Mailing, NotificationKind, Outbox};
use haven_core::users::{self, UserUpdate};
use haven_core::{Actor, Clock};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const NAME: &str = "Mailcanary Personname";
const NOTE: &str = "Mailcanary private note";
const REASON: &str = "Mailcanary needs a doctor";

/// One message as the sink received it.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// An SMTP server just big enough for lettre: greeting, EHLO, MAIL, RCPT, DATA, QUIT.
struct Sink {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    connections: Arc<Mutex<usize>>,
}

impl Sink {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(Mutex::new(0));
        let (g, c) = (got.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                *c.lock().unwrap() += 1;
                let g = g.clone();
                tokio::spawn(async move {
                    let _ = converse(stream, g).await;
                });
            }
        });
        Self {
            port,
            got,
            connections,
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits until `n` messages have arrived (at most ten seconds).
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.got.lock().unwrap().clone();
            if got.len() >= n || Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn converse(
    stream: tokio::net::TcpStream,
    got: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink ESMTP\r\n").await?;
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
            w.write_all(b"250-sink\r\n250 8BITMIME\r\n").await?;
        } else if cmd.starts_with("MAIL FROM") {
            rcpt.clear();
            w.write_all(b"250 OK\r\n").await?;
        } else if cmd.starts_with("RCPT TO") {
            let addr = line.trim_end()[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned();
            rcpt.push(addr);
            w.write_all(b"250 OK\r\n").await?;
        } else if cmd == "DATA" {
            w.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(&line);
            }
            got.lock().unwrap().push(Received {
                rcpt: std::mem::take(&mut rcpt),
                data,
            });
            w.write_all(b"250 queued\r\n").await?;
        } else if cmd == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            w.write_all(b"250 OK\r\n").await?;
        }
    }
}

fn config(url: &str) -> MailConfig {
    MailConfig::new(
        Some(url),
        Some("Haven <haven@example.org>"),
        Some("https://haven.example.org"),
    )
    .unwrap()
    .unwrap()
}

/// Saves the account as it is, with `change` made to it (as an administrator would).
async fn edit_user(app: &TestApp, u: &TestUser, change: impl FnOnce(&mut UserUpdate)) {
    let cur = users::get(&app.ctx, &Actor::system(), u.id).await.unwrap();
    let mut upd = UserUpdate {
        display_name: cur.display_name,
        org_id: cur.org_id.to_string(),
        roles: cur.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        email: cur.email,
        email_notify: cur.email_notify,
    };
    change(&mut upd);
    users::update(&app.ctx, &Actor::system(), u.id, &upd)
        .await
        .unwrap();
}

async fn set_email(app: &TestApp, u: &TestUser, email: &str, notify: bool) {
    edit_user(app, u, |upd| {
        upd.email = Some(email.to_owned());
        upd.email_notify = notify;
    })
    .await;
}

/// A sender (case manager) and a person of theirs, and a receiving organisation's service.
struct Setup {
    s_token: String,
    receiving_org: String,
    service: String,
    person: String,
}

async fn setup(app: &TestApp, sender: TestUser) -> Setup {
    let receiving_org = app.org("Mail Receiving Org", "ngo").await;
    let service = app.dir_service(receiving_org, "Mail clinic").await;
    let person = app
        .person(
            &sender,
            PersonInput {
                name: Some(NAME.into()),
                notes: Some(NOTE.into()),
                ..Default::default()
            },
        )
        .await;
    let s_token = app.token(&sender).await;
    Setup {
        s_token,
        receiving_org: receiving_org.to_string(),
        service,
        person,
    }
}

/// Records a consent and refers; returns the referral id and how long the referral took.
async fn refer(app: &TestApp, s: &Setup) -> (String, Duration) {
    let until = (app.clock.now().date() + time::Duration::days(30)).to_string();
    let (status, v) = app
        .post(
            &s.s_token,
            &format!("/api/v1/persons/{}/consents", s.person),
            json!({"to_org": s.receiving_org, "purpose": "health_care", "valid_until": until,
               "share_residence_status": false, "person_agreed": true}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let consent = v["id"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let (status, v) = app
        .post(
            &s.s_token,
            "/api/v1/referrals",
            json!({"consent_id": consent, "service_id": s.service, "reason": REASON}),
        )
        .await;
    let took = started.elapsed();
    assert_eq!(status, 201, "{v}");
    (v["id"].as_str().unwrap().to_owned(), took)
}

fn stat(m: &haven::mail::Mailer, f: impl Fn(&MailStats) -> &std::sync::atomic::AtomicU64) -> u64 {
    MailStats::get(f(&m.stats))
}

#[tokio::test]
async fn a_referral_mails_each_receiver_with_an_address_and_names_nobody() {
    let sink = Sink::start().await;
    let app = TestApp::spawn_mail(config(&sink.url())).await;
    let sender = app.user("Mail Sending Org", &["case_manager"]).await;
    let with = app.user("Mail Receiving Org", &["partner_staff"]).await;
    let without = app.user("Mail Receiving Org", &["partner_staff"]).await;
    let opted_out = app.user("Mail Receiving Org", &["partner_staff"]).await;
    // Has an address but may not receive referrals, so gets no notification at all.
    let analyst = app.user("Mail Receiving Org", &["analyst"]).await;
    set_email(&app, &with, "receiver@example.org", true).await;
    set_email(&app, &opted_out, "quiet@example.org", false).await;
    set_email(&app, &analyst, "analyst@example.org", true).await;
    set_email(&app, &sender, "sender@example.org", true).await;
    users::set_locale(&app.ctx, sender.id, "nl").await.unwrap();
    let s = setup(&app, sender).await;
    let _ = without;

    let (referral, _) = refer(&app, &s).await;
    let mailer = app.mailer.clone().unwrap();
    // Mailings are queued at the commit, before the answer: exactly one, for `with`.
    assert_eq!(stat(&mailer, |s| &s.queued), 1);
    let got = sink.wait_for(1).await;
    assert_eq!(got.len(), 1, "one message");
    assert_eq!(got[0].rcpt, vec!["receiver@example.org".to_owned()]);
    let raw = &got[0].data;
    assert!(raw.contains("Subject: Haven: New referral"), "{raw}");
    assert!(
        raw.contains("https://haven.example.org/staff/notifications"),
        "{raw}"
    );
    for secret in [
        "Mailcanary",
        "Personname",
        "doctor",
        referral.as_str(),
        s.person.as_str(),
    ] {
        assert!(
            !raw.to_lowercase().contains(&secret.to_lowercase()),
            "the message must not contain {secret}: {raw}"
        );
    }

    // Accepting notifies the sender, who reads Dutch.
    let r_token = app.token(&with).await;
    let (status, v) = app
        .post(
            &r_token,
            &format!("/api/v1/referrals/received/{referral}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204, "{v}");
    let got = sink.wait_for(2).await;
    assert_eq!(got.len(), 2, "a second message");
    assert_eq!(got[1].rcpt, vec!["sender@example.org".to_owned()]);
    assert!(
        got[1]
            .data
            .contains("Subject: Haven: Verwijzing aangenomen"),
        "{}",
        got[1].data
    );
    assert!(!got[1].data.contains("Mailcanary"));
    assert_eq!(stat(&mailer, |s| &s.queued), 2);
    assert_eq!(stat(&mailer, |s| &s.dropped), 0);
    // Nothing else was sent, and the sink saw no other recipient.
    let until = Instant::now() + Duration::from_secs(10);
    while stat(&mailer, |s| &s.sent) < 2 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(stat(&mailer, |s| &s.sent), 2);
    assert_eq!(stat(&mailer, |s| &s.failed), 0);
    assert_eq!(sink.got.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn without_smtp_settings_nothing_is_sent() {
    assert!(
        MailConfig::new(None, None, Some("https://haven.example.org"))
            .unwrap()
            .is_none()
    );
    let sink = Sink::start().await;
    let app = TestApp::spawn().await;
    assert!(app.ctx.outbox.is_none());
    let sender = app.user("Mail Sending Org", &["case_manager"]).await;
    let with = app.user("Mail Receiving Org", &["partner_staff"]).await;
    set_email(&app, &with, "receiver@example.org", true).await;
    let s = setup(&app, sender).await;
    refer(&app, &s).await;
    // The notification exists in Haven ...
    let n: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1",
            with.id,
        )
        .await;
    assert_eq!(n, 1);
    // ... and nobody connected to the SMTP sink.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(*sink.connections.lock().unwrap(), 0);
}

#[tokio::test]
async fn an_smtp_server_that_is_down_or_hangs_does_not_hold_up_a_referral() {
    // Down: a port nobody listens on.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let app = TestApp::spawn_mail(config(&format!("smtp://127.0.0.1:{closed}"))).await;
    let sender = app.user("Mail Sending Org", &["case_manager"]).await;
    let with = app.user("Mail Receiving Org", &["partner_staff"]).await;
    set_email(&app, &with, "receiver@example.org", true).await;
    let s = setup(&app, sender).await;
    let (_, took) = refer(&app, &s).await;
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let mailer = app.mailer.clone().unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    while stat(&mailer, |s| &s.failed) < 1 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(stat(&mailer, |s| &s.failed), 1, "the failure is counted");
    assert_eq!(stat(&mailer, |s| &s.sent), 0);

    // Hanging: a server that accepts and never answers. Two referrals, both quick.
    let hang = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = hang.local_addr().unwrap().port();
    let held = Arc::new(Mutex::new(Vec::new()));
    let h = held.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = hang.accept().await {
            h.lock().unwrap().push(stream);
        }
    });
    let app = TestApp::spawn_mail(config(&format!("smtp://127.0.0.1:{port}"))).await;
    let sender = app.user("Mail Sending Org", &["case_manager"]).await;
    let with = app.user("Mail Receiving Org", &["partner_staff"]).await;
    set_email(&app, &with, "receiver@example.org", true).await;
    let s = setup(&app, sender).await;
    for _ in 0..2 {
        let (_, took) = refer(&app, &s).await;
        assert!(took < Duration::from_secs(3), "took {took:?}");
    }
    let mailer = app.mailer.clone().unwrap();
    assert_eq!(stat(&mailer, |s| &s.queued), 2);
    assert_eq!(stat(&mailer, |s| &s.sent), 0);
    // The sender is stuck on the first message; the queue fills up and then drops, at once.
    let started = Instant::now();
    let extra = haven::mail::QUEUE as u64 + 2;
    mailer.post(
        (0..extra)
            .map(|_| Mailing {
                to: "receiver@example.org".into(),
                locale: None,
                kind: NotificationKind::Received,
            })
            .collect(),
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    let dropped = stat(&mailer, |s| &s.dropped);
    assert!(dropped >= 3, "dropped {dropped}");
    assert_eq!(stat(&mailer, |s| &s.queued) + dropped, 2 + extra);
}

#[tokio::test]
async fn an_email_address_is_checked_on_the_form_and_the_api() {
    let app = TestApp::spawn().await;
    let (admin, token) = app.staff("Mail Admin Org", &["administrator"]).await;
    let base = json!({"username": "mailtest", "display_name": "Mail Test",
        "org_id": admin.org.to_string(), "roles": ["case_manager"],
        "password": "a long enough password"});
    for bad in [
        "no-at-sign.org",
        "two@@example.org",
        "a@b@example.org",
        "@example.org",
        "name@nodot",
        "name@.example.org",
        "with space@example.org",
        "a<b>@example.org",
    ] {
        let mut body = base.clone();
        body["email"] = json!(bad);
        let (status, v) = app.post(&token, "/api/v1/users", body).await;
        assert_eq!(status, 422, "{bad}: {v}");
        let fields: Vec<&str> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        assert_eq!(fields, vec!["email"], "{bad}");
    }
    let mut body = base.clone();
    body["email"] = json!(format!("{}@example.org", "x".repeat(250)));
    assert_eq!(app.post(&token, "/api/v1/users", body).await.0, 422);
    // Every problem at once: the address and the username together.
    let mut body = base.clone();
    body["email"] = json!("nope");
    body["username"] = json!("x");
    let (status, v) = app.post(&token, "/api/v1/users", body).await;
    assert_eq!(status, 422);
    assert_eq!(v["fields"].as_array().unwrap().len(), 2, "{v}");

    // A good address is stored, with the choice defaulting to yes.
    let mut body = base.clone();
    body["email"] = json!("  mail.test@example.org ");
    let (status, v) = app.post(&token, "/api/v1/users", body).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["email"], "mail.test@example.org");
    assert_eq!(v["email_notify"], true);
    let id = v["id"].as_str().unwrap().to_owned();
    // PUT replaces the account: a bad address is refused, none removes it.
    let put = |email: Value| {
        let token = token.clone();
        let url = app.url(&format!("/api/v1/users/{id}"));
        let org = admin.org.to_string();
        async move {
            let r = TestApp::client()
                .put(url)
                .bearer_auth(token)
                .json(&json!({"display_name": "Mail Test", "org_id": org,
                    "roles": ["case_manager"], "email": email, "email_notify": false}))
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, v) = put(json!("bad address@example.org")).await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["fields"][0]["field"], "email");
    let (status, v) = put(json!("other@example.org")).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["email"], "other@example.org");
    assert_eq!(v["email_notify"], false);
    let (status, v) = put(Value::Null).await;
    assert_eq!(status, 200, "{v}");
    assert!(v["email"].is_null());

    // The page form shows the error on the field and keeps what was typed.
    let (c, csrf) = app.browser(&admin).await;
    let form = format!("/staff/admin/users/{id}");
    let org = admin.org.to_string();
    let account = |email| {
        vec![
            ("display_name", "Mail Test"),
            ("org_id", org.as_str()),
            ("roles", "case_manager"),
            ("email", email),
        ]
    };
    let page = app
        .submit_refused(&c, &csrf, &form, &account("not-an-address"))
        .await;
    assert!(page.contains("id=\"e-email\""), "{page}");
    assert!(page.contains("Write an e-mail address such as name@example.org"));
    assert!(page.contains("value=\"not-an-address\""));
    // And a good one is saved and shown on the list.
    let mut fields = account("form@example.org");
    fields.push(("email_notify", "1"));
    app.submit_ok(&c, &csrf, &form, &fields).await;
    let u = users::get(&app.ctx, &Actor::system(), id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(u.email.as_deref(), Some("form@example.org"));
    assert!(u.email_notify);
    let list = app.page(&c, "/staff/admin/users").await;
    assert!(list.contains("form@example.org"));
    let edit = app.page(&c, &format!("/staff/admin/users/{id}")).await;
    assert!(edit.contains("value=\"form@example.org\""));
    assert!(edit.contains("name=\"email_notify\" type=\"checkbox\" value=\"1\" checked"));
}

#[test]
fn a_wrong_smtp_setting_stops_the_start_with_a_clear_message() {
    let data = std::env::temp_dir().join(format!("haven-mail-{}", uuid::Uuid::new_v4()));
    for (url, from, says) in [
        ("http://mail.example.org", "a@example.org", "HAVEN_SMTP_URL"),
        ("smtp://u:secret@mail.example.org", "a@example.org", "TLS"),
        ("smtp://mail.example.org", "", "HAVEN_SMTP_FROM"),
        (
            "smtp://mail.example.org",
            "not an address",
            "HAVEN_SMTP_FROM",
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg("--data")
            .arg(&data)
            .env("HAVEN_SMTP_URL", url)
            .env("HAVEN_SMTP_FROM", from)
            .env_remove("DATABASE_URL")
            .env_remove("HAVEN_PUBLIC_URL")
            .env("HAVEN_LOG", "error")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(err.contains(says), "{url}: {err}");
        assert!(!err.contains("secret"), "{err}");
    }
    let _ = std::fs::remove_dir_all(&data);
    // The demo has no e-mail settings at all, so it never sends e-mail.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["demo", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_lowercase();
    assert!(help.contains("--bind"), "{help}");
    assert!(!help.contains("smtp"), "{help}");
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("HAVEN_SMTP_URL"));
}

#[tokio::test]
async fn a_user_can_turn_notification_email_off_and_on_again() {
    let app = TestApp::spawn().await;
    let u = app.user("Mail Own Org", &["partner_staff"]).await;
    // Without an address, the account page offers no choice.
    let c = app.login(&u).await;
    let page = app.page(&c, "/staff/account").await;
    assert!(page.contains("has no e-mail address"), "{page}");
    assert!(!page.contains("name=\"email_notify\""));
    set_email(&app, &u, "own@example.org", true).await;
    // A new address does not sign the user out: the same session reads the page.
    let page = app.page(&c, "/staff/account").await;
    assert!(page.contains("own@example.org"));
    assert!(page.contains("name=\"email_notify\" type=\"checkbox\" value=\"1\" aria-describedby=\"h-email_notify\" checked"));
    let csrf = app.csrf(&c).await;
    let r = app.submit(&c, &csrf, "/staff/account/email", &[]).await;
    assert_eq!(r.status(), 303);
    let now = users::get(&app.ctx, &Actor::system(), u.id).await.unwrap();
    assert!(!now.email_notify);
    assert_eq!(now.email.as_deref(), Some("own@example.org"));
    let r = app
        .submit(&c, &csrf, "/staff/account/email", &[("email_notify", "1")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(
        users::get(&app.ctx, &Actor::system(), u.id)
            .await
            .unwrap()
            .email_notify
    );
}

#[tokio::test]
async fn the_command_line_can_give_the_first_account_an_address() {
    let app = TestApp::spawn().await;
    let add = |name: &str, email: &str| {
        app.haven(&[
            "user",
            "add",
            "--username",
            name,
            "--display-name",
            "Cli Admin",
            "--org",
            "Cli Org",
            "--role",
            "administrator",
            "--email",
            email,
        ])
    };
    let out = add("cli-bad", "not an address");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("email (err-email)"));
    let out = add("cli-good", "cli@example.org");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let u = users::find_by_username(&app.ctx, &Actor::system(), "cli-good")
        .await
        .unwrap();
    assert_eq!(u.email.as_deref(), Some("cli@example.org"));
    assert!(u.email_notify);
}

async fn signed_in(app: &TestApp, c: &reqwest::Client) -> bool {
    let r = app.visit(c, "/staff/account").await;
    r.status() == 200 && r.url().path() == "/staff/account"
}

#[tokio::test]
async fn an_account_edit_ends_the_sessions_only_when_organisation_or_roles_change() {
    let app = TestApp::spawn().await;
    let u = app.user("Mail Session Org", &["partner_staff"]).await;
    let c = app.login(&u).await;
    assert!(signed_in(&app, &c).await);
    // Name and e-mail: the session stays.
    set_email(&app, &u, "stays@example.org", false).await;
    assert!(signed_in(&app, &c).await);
    // Another role: the session ends.
    edit_user(&app, &u, |upd| {
        upd.roles = vec!["partner_staff".into(), "case_manager".into()];
    })
    .await;
    assert!(!signed_in(&app, &c).await);
}

#[tokio::test]
async fn the_holder_of_an_account_being_guessed_at_is_told_once() {
    let sink = Sink::start().await;
    let app = TestApp::spawn_mail(config(&sink.url())).await;
    let u = app.user("Guessed Org", &["case_manager"]).await;
    set_email(&app, &u, "holder@example.org", true).await;
    let c = TestApp::client();
    // Wrong passwords from one address, more than its free tries: one message, and one
    // audit event naming the account.
    for _ in 0..haven_web::throttle::FREE_PER_ACCOUNT_AND_ADDRESS + 2 {
        let r = app.sign_in(&c, &u.username, "wrong password").await;
        assert!(matches!(r.status().as_u16(), 401 | 429), "{}", r.status());
        app.clock.advance(60);
    }
    let got = sink.wait_for(1).await;
    assert_eq!(got.len(), 1, "one message");
    assert_eq!(got[0].rcpt, vec!["holder@example.org".to_owned()]);
    assert!(got[0].data.contains("slowed down"), "{}", got[0].data);
    assert!(
        got[0]
            .data
            .contains("https://haven.example.org/staff/account"),
        "{}",
        got[0].data
    );
    assert!(
        !got[0].data.contains("127.0.0.1"),
        "no address in the message"
    );
    assert_eq!(app.audit_count("user.sign_in_slowed").await, 1);
    assert_eq!(
        app.last_event_ids("user.sign_in_slowed").await,
        u.id.to_string()
    );
    // An unknown username tells nobody and answers as a wrong password does.
    for _ in 0..haven_web::throttle::FREE_PER_ACCOUNT_AND_ADDRESS + 1 {
        let r = app.sign_in(&c, "nobody-here", "wrong password").await;
        assert!(matches!(r.status().as_u16(), 401 | 429));
    }
    assert_eq!(app.audit_count("user.sign_in_slowed").await, 1);
}
