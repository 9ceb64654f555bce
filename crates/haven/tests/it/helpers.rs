//! `TestApp::spawn()` starts Haven on a free port with its own database and keys.

use haven_core::crypto::Keyring;
use haven_core::db::{Backend, Db};
use haven_core::ids::{OrgId, UserId};
use haven_core::users::{self, NewUser, Stage};
use haven_core::{orgs, Actor, Clock, Ctx, FixedClock};
use haven_web::{AppState, WebConfig};
use std::path::PathBuf;
use std::sync::Arc;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub addr: String,
    pub ctx: Ctx,
    pub clock: Arc<FixedClock>,
    pub data: PathBuf,
    /// The database URL, for running the binary against the same database.
    pub db_url: String,
    /// The e-mail sender, when the app was started with e-mail configured.
    pub mailer: Option<Arc<haven::mail::Mailer>>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

pub struct TestUser {
    pub id: UserId,
    pub org: OrgId,
    pub username: String,
    pub secret: Vec<u8>,
}

fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

pub fn backend() -> &'static str {
    match std::env::var("HAVEN_TEST_DB").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

async fn database(data: &std::path::Path) -> String {
    if backend() == "postgres" {
        let base = std::env::var("HAVEN_TEST_DATABASE_URL")
            .expect("HAVEN_TEST_DB=postgres needs HAVEN_TEST_DATABASE_URL");
        // Each test gets its own schema, so tests run in parallel on one server.
        let schema = format!("t_{}", unique());
        let admin = Db::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&admin.pool)
            .await
            .expect("create schema");
        admin.pool.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}options=-c%20search_path%3D{schema}")
    } else {
        format!("sqlite://{}?mode=rwc", data.join("haven.db").display())
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(WebConfig::default()).await
    }

    pub async fn spawn_with(cfg: WebConfig) -> Self {
        Self::spawn_full(cfg, None).await
    }

    /// An app that e-mails notifications through the given SMTP settings.
    pub async fn spawn_mail(mail: haven::mail::MailConfig) -> Self {
        Self::spawn_full(WebConfig::default(), Some(mail)).await
    }

    async fn spawn_full(cfg: WebConfig, mail: Option<haven::mail::MailConfig>) -> Self {
        let data = std::env::temp_dir().join(format!("haven-test-{}", unique()));
        std::fs::create_dir_all(&data).expect("temp dir");
        Keyring::generate()
            .save(&haven::key_path(&data))
            .expect("keys");
        let db_url = database(&data).await;
        let clock = Arc::new(FixedClock::at(
            time::OffsetDateTime::now_utc().unix_timestamp(),
        ));
        let mut ctx = haven::open_with_clock(&data, Some(&db_url), clock.clone())
            .await
            .expect("open");
        let mailer = mail.map(|m| haven::mail::start(m).expect("mailer"));
        if let Some(m) = &mailer {
            let outbox: Arc<dyn haven_core::referrals::Outbox> = m.clone();
            ctx.outbox = Some(outbox);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(ctx.clone(), cfg).expect("state");
        tokio::spawn(async move {
            let _ = haven_web::serve(listener, state, async {
                let _ = rx.await;
            })
            .await;
        });
        Self {
            addr,
            ctx,
            clock,
            data,
            db_url,
            mailer,
            _shutdown: tx,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.addr, path)
    }

    pub fn is_postgres(&self) -> bool {
        self.ctx.db.backend == Backend::Postgres
    }

    /// An organisation, created if missing.
    pub async fn org(&self, name: &str, kind: &str) -> OrgId {
        if let Some(o) = orgs::find_by_name(&self.ctx, name).await.expect("find org") {
            return o.id;
        }
        orgs::create(
            &self.ctx,
            &Actor::system(),
            &orgs::OrgInput {
                name: name.to_owned(),
                kind: kind.to_owned(),
                active: true,
                retention_months: None,
            },
        )
        .await
        .expect("create org")
        .id
    }

    /// A directory service of a network organisation, which can receive referrals. The one
    /// place tests create directory rows: switch it to the directory's own use cases once
    /// they exist.
    pub async fn dir_service(&self, org: OrgId, name: &str) -> String {
        let now = self.clock.now_ts();
        let dir_org = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO dir_organizations (id, haven_org_id, name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(&dir_org)
        .bind(org.to_string())
        .bind(format!("{name} (organisation)"))
        .bind(now)
        .execute(&self.ctx.db.pool)
        .await
        .expect("directory organisation");
        let service = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO dir_services (id, organization_id, name, status, created_at, \
             updated_at) VALUES ($1, $2, $3, 'active', $4, $4)",
        )
        .bind(&service)
        .bind(&dir_org)
        .bind(name)
        .bind(now)
        .execute(&self.ctx.db.pool)
        .await
        .expect("directory service");
        service
    }

    /// A user with a second factor, in the named organisation.
    pub async fn user(&self, org: &str, roles: &[&str]) -> TestUser {
        let org_id = self.org(org, "ngo").await;
        let username = format!("u{}", unique());
        let secret = users::totp::generate_secret();
        let u = users::create(
            &self.ctx,
            &Actor::system(),
            &NewUser {
                username: username.clone(),
                display_name: format!("Test {username}"),
                org_id: org_id.to_string(),
                roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                password: PASSWORD.to_owned(),
                ..Default::default()
            },
            Some(&secret),
        )
        .await
        .expect("create user");
        TestUser {
            id: u.id,
            org: org_id,
            username,
            secret,
        }
    }

    /// The current TOTP code. Moves the clock on one step first, so that codes are never
    /// reused within a test (replay protection would refuse them).
    pub fn code(&self, u: &TestUser) -> String {
        self.clock.advance(30);
        format!(
            "{:06}",
            users::totp::code_at_step(&u.secret, self.clock.now_ts() / 30)
        )
    }

    /// A browser-like client (cookies kept, redirects not followed).
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// One API request with a bearer token and an optional JSON body: the status and the
    /// JSON answer (`Null` when there is none).
    pub async fn api(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = Self::client()
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        let text = r.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    /// Signs in through the pages, with password and TOTP code.
    pub async fn login(&self, u: &TestUser) -> reqwest::Client {
        let c = Self::client();
        let r = c
            .post(self.url("/staff/login"))
            .form(&[("username", u.username.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 303, "password step");
        assert_eq!(location(&r), "/staff/login/totp");
        let page = c
            .get(self.url("/staff/login/totp"))
            .send()
            .await
            .expect("totp page")
            .text()
            .await
            .expect("body");
        let csrf = csrf_of(&page);
        let r = c
            .post(self.url("/staff/login/totp"))
            .form(&[("code", self.code(u).as_str()), ("csrf", csrf.as_str())])
            .send()
            .await
            .expect("totp");
        assert_eq!(r.status(), 303, "code step");
        assert_eq!(location(&r), "/staff/");
        c
    }

    /// Sets an organisation's retention period by hand, past the API's checks.
    pub async fn keep_persons_for(&self, org: OrgId, months: i64) {
        sqlx::query("UPDATE organisations SET retention_months = $1 WHERE id = $2")
            .bind(months)
            .bind(org.to_string())
            .execute(&self.ctx.db.pool)
            .await
            .expect("set the retention period");
    }

    /// Whether a person's record has been erased (their data key is gone).
    pub async fn is_erased(&self, person: &str) -> bool {
        let (key,): (Option<String>,) =
            sqlx::query_as("SELECT data_key FROM persons WHERE id = $1")
                .bind(person)
                .fetch_one(&self.ctx.db.pool)
                .await
                .expect("the person's row");
        key.is_none()
    }

    /// A bearer token for the API.
    pub async fn token(&self, u: &TestUser) -> String {
        let r = Self::client()
            .post(self.url("/api/v1/auth/token"))
            .json(&serde_json::json!({
                "username": u.username, "password": PASSWORD, "code": self.code(u)
            }))
            .send()
            .await
            .expect("token");
        assert_eq!(r.status(), 201);
        let v: serde_json::Value = r.json().await.expect("json");
        v["token"].as_str().expect("token").to_owned()
    }

    /// A signed-in session made directly, without the sign-in pages: (cookie token, csrf).
    pub async fn session(&self, u: &TestUser, kind: &str) -> (String, String) {
        let token = users::start_session(&self.ctx, u.id, Stage::Full, kind)
            .await
            .expect("session");
        let s = users::session(&self.ctx, &token)
            .await
            .expect("lookup")
            .expect("exists");
        (token, s.csrf_token)
    }

    /// The CSRF token of a signed-in client, read from its start page.
    pub async fn csrf(&self, c: &reqwest::Client) -> String {
        let page = c
            .get(self.url("/staff/"))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("body");
        csrf_of(&page)
    }

    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.ctx.db.pool)
            .await
            .expect("count");
        n
    }

    /// Runs the `haven` binary against this app's data directory and database.
    pub fn haven(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(args)
            .arg("--data")
            .arg(&self.data)
            .arg("--database-url")
            .arg(&self.db_url)
            .env_remove("HAVEN_KEYS")
            .env("HAVEN_LOG", "error")
            .output()
            .expect("run haven")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The keys and the SQLite file of this test go with it.
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// A page's HTML through a signed-in client; the page must answer 200.
pub async fn page(c: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = c.get(app.url(path)).send().await.expect("request");
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.expect("body")
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    page.find(marker)
        .map(|i| {
            let rest = &page[i + marker.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .unwrap_or_default()
}
