//! `TestApp::spawn()` starts Haven on a free port with its own database and keys.

use haven_core::crypto::Keyring;
use haven_core::db::{Backend, Db};
use haven_core::ids::{OrgId, UserId};
use haven_core::people::{self, PersonInput};
use haven_core::users::{self, NewUser, Stage};
use haven_core::{orgs, Actor, Clock, Ctx, FixedClock, Role};
use haven_web::{AppState, WebConfig};
use serde_json::Value;
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

/// What a query helper binds: text, a number or a typed id.
pub trait Arg<'q>: sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'q {}

impl<'q, A> Arg<'q> for A where A: sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'q {}

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

pub async fn database(data: &std::path::Path) -> String {
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
        Self::spawn_in(data, cfg, mail).await
    }

    /// An app whose data directory (keys and, on SQLite, the database) is `data`.
    pub async fn spawn_in(
        data: PathBuf,
        cfg: WebConfig,
        mail: Option<haven::mail::MailConfig>,
    ) -> Self {
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
        let mut cfg = cfg;
        cfg.public_url.get_or_insert_with(|| addr.clone());
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
        .bind(org)
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

    /// A person registered in the core directly (no HTTP) by `u` acting as case manager:
    /// the id.
    pub async fn person(&self, u: &TestUser, person: PersonInput) -> String {
        let actor = Actor::staff(u.id, u.org, vec![Role::CaseManager]);
        people::register(&self.ctx, &actor, &person)
            .await
            .expect("register a person")
            .id
            .to_string()
    }

    /// A user with a second factor, in the named organisation (an NGO if it is new).
    pub async fn user(&self, org: &str, roles: &[&str]) -> TestUser {
        self.user_in(org, "ngo", roles).await
    }

    /// A user with a second factor, in the named organisation of the given kind (created
    /// with that kind if missing): for the firewall by organisation kind.
    pub async fn user_in(&self, org: &str, kind: &str, roles: &[&str]) -> TestUser {
        let org_id = self.org(org, kind).await;
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

    // Requests. Every test reaches the app through these: the API with a bearer token and
    // JSON, the pages through a browser-like client with its cookies and CSRF token.

    /// One API request with a bearer token and an optional JSON body: the status and the
    /// JSON answer (`Null` when the body is empty). A body that is not JSON fails the test:
    /// the API answers in JSON, errors included.
    pub async fn api(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = Self::client()
            .request(method.clone(), self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        let text = r.text().await.expect("body");
        if text.is_empty() {
            return (status, Value::Null);
        }
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path} ({status}) is not JSON: {e}: {text}"));
        (status, v)
    }

    /// An API GET.
    pub async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        self.api(token, reqwest::Method::GET, path, None).await
    }

    /// An API POST with a JSON body.
    pub async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.api(token, reqwest::Method::POST, path, Some(body))
            .await
    }

    /// An API PUT with a JSON body.
    pub async fn put(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        self.api(token, reqwest::Method::PUT, path, Some(body))
            .await
    }

    /// An API DELETE.
    pub async fn delete(&self, token: &str, path: &str) -> (u16, Value) {
        self.api(token, reqwest::Method::DELETE, path, None).await
    }

    /// A person registered through the API (which must answer 201): the answer.
    pub async fn register(&self, token: &str, person: Value) -> Value {
        let (status, v) = self.post(token, "/api/v1/persons", person).await;
        assert_eq!(status, 201, "{v}");
        v
    }

    /// An API POST of a body exactly as given (labelled JSON, whatever it holds), with
    /// extra headers: for what a JSON value cannot say, such as malformed JSON.
    pub async fn post_raw(
        &self,
        token: &str,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut req = Self::client()
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_owned());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.expect("a JSON answer"))
    }

    /// A GET through a client (signed in or not), whatever the status.
    pub async fn visit(&self, c: &reqwest::Client, path: &str) -> reqwest::Response {
        self.visit_with(c, path, &[]).await
    }

    /// A GET through a client with extra headers (a language, an ETag, gzip).
    pub async fn visit_with(
        &self,
        c: &reqwest::Client,
        path: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = c.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.expect("request")
    }

    /// A GET with a fresh client: no cookies, no token.
    pub async fn fetch(&self, path: &str) -> reqwest::Response {
        self.visit(&Self::client(), path).await
    }

    /// A GET with a fresh client and extra headers.
    pub async fn fetch_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        self.visit_with(&Self::client(), path, headers).await
    }

    /// A page's HTML through a client; the page must answer 200.
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let r = self.visit(c, path).await;
        assert_eq!(r.status(), 200, "{path}");
        r.text().await.expect("body")
    }

    /// A request to any route with nothing in it, as a session (token and CSRF token) or as
    /// nobody: an API route with its bearer token and an empty JSON body, a page with the
    /// session cookie and a form holding only the CSRF token. The route matrix and the
    /// data-flow test call every route this way.
    pub async fn bare_request(
        &self,
        method: &reqwest::Method,
        path: &str,
        session: Option<&(String, String)>,
    ) -> reqwest::Response {
        let api = path.starts_with("/api/");
        let c = TestApp::client();
        let mut req = c.request(method.clone(), self.url(path));
        let mut csrf = "";
        if let Some((token, c)) = session {
            csrf = c;
            req = if api {
                req.bearer_auth(token)
            } else {
                req.header("cookie", format!("{}={token}", haven_web::auth::COOKIE))
            };
        }
        if *method != reqwest::Method::GET {
            req = if api {
                req.json(&serde_json::json!({}))
            } else {
                req.form(&[("csrf", csrf)])
            };
        }
        req.send().await.expect("request")
    }

    /// A form sent as a browser sends it: the CSRF token first, then the fields.
    pub async fn submit(
        &self,
        c: &reqwest::Client,
        csrf: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut body = vec![("csrf", csrf)];
        body.extend_from_slice(fields);
        self.post_form(c, path, &body).await
    }

    /// A form that must be accepted (303): where it leads.
    pub async fn submit_ok(
        &self,
        c: &reqwest::Client,
        csrf: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> String {
        let r = self.submit(c, csrf, path, fields).await;
        assert_eq!(r.status(), 303, "{path}");
        location(&r)
    }

    /// A form that must be refused as invalid (422): the page that says what to fix.
    pub async fn submit_refused(
        &self,
        c: &reqwest::Client,
        csrf: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> String {
        self.submit_expect(c, csrf, path, fields, 422).await
    }

    /// A form whose answer must have `status` (a refusal, a conflict): the page.
    pub async fn submit_expect(
        &self,
        c: &reqwest::Client,
        csrf: &str,
        path: &str,
        fields: &[(&str, &str)],
        status: u16,
    ) -> String {
        let r = self.submit(c, csrf, path, fields).await;
        assert_eq!(r.status(), status, "{path}");
        r.text().await.expect("body")
    }

    /// A form with exactly these fields (sign-in, or a form without its token).
    pub async fn post_form(
        &self,
        c: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        c.post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("request")
    }

    /// The password step of signing in, through the page.
    pub async fn sign_in(
        &self,
        c: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let fields = [("username", username), ("password", password)];
        self.post_form(c, "/staff/login", &fields).await
    }

    /// Signs in through the pages, with password and TOTP code.
    pub async fn login(&self, u: &TestUser) -> reqwest::Client {
        let c = Self::client();
        let r = self.sign_in(&c, &u.username, PASSWORD).await;
        assert_eq!(r.status(), 303, "password step");
        assert_eq!(location(&r), "/staff/login/totp");
        let csrf = csrf_of(&self.page(&c, "/staff/login/totp").await);
        let code = self.code(u);
        let r = self
            .submit(&c, &csrf, "/staff/login/totp", &[("code", &code)])
            .await;
        assert_eq!(r.status(), 303, "code step");
        assert_eq!(location(&r), "/staff/");
        c
    }

    /// Signs in through the pages: the client and its CSRF token, ready to send forms.
    pub async fn browser(&self, u: &TestUser) -> (reqwest::Client, String) {
        let c = self.login(u).await;
        let csrf = self.csrf(&c).await;
        (c, csrf)
    }

    /// A user with a second factor in the named organisation, and their API token.
    pub async fn staff(&self, org: &str, roles: &[&str]) -> (TestUser, String) {
        let u = self.user(org, roles).await;
        let token = self.token(&u).await;
        (u, token)
    }

    /// Sets an organisation's retention period by hand, past the API's checks.
    pub async fn keep_persons_for(&self, org: OrgId, months: i64) {
        sqlx::query("UPDATE organisations SET retention_months = $1 WHERE id = $2")
            .bind(months)
            .bind(org)
            .execute(&self.ctx.db.pool)
            .await
            .expect("set the retention period");
    }

    /// Whether a person's record has been erased (their data key is gone).
    pub async fn is_erased(&self, person: &str) -> bool {
        let key: Option<String> = self
            .scalar("SELECT data_key FROM persons WHERE id = $1", person)
            .await;
        key.is_none()
    }

    /// Whether a person's row is there but keeps neither their data key nor their sealed
    /// data: what erasing leaves.
    pub async fn keeps_nothing_of(&self, person: impl Arg<'_>) -> bool {
        let emptied: i64 = self
            .scalar(
                "SELECT COUNT(*) FROM persons WHERE id = $1 AND data_key IS NULL \
                 AND sealed IS NULL",
                person,
            )
            .await;
        emptied == 1
    }

    /// Every byte the database holds: the SQLite file with its WAL and shared memory, or
    /// every row of every table as JSON text (a line each) on PostgreSQL.
    pub async fn stored_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.is_postgres() {
            for table in self.ctx.db.table_names().await.unwrap() {
                let rows: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM {table} t"))
                        .fetch_all(&self.ctx.db.pool)
                        .await
                        .unwrap();
                for r in rows {
                    out.extend_from_slice(r.as_bytes());
                    out.push(b'\n');
                }
            }
        } else {
            for f in ["haven.db", "haven.db-wal", "haven.db-shm"] {
                if let Ok(bytes) = std::fs::read(self.data.join(f)) {
                    out.extend(bytes);
                }
            }
        }
        out
    }

    /// The real binary's `haven serve` on this app's data and database, on a free loopback
    /// port, once it answers: the process and its base URL. `log` is its `HAVEN_LOG`.
    pub async fn serve(
        &self,
        log: &str,
        stdout: std::process::Stdio,
        stderr: std::process::Stdio,
    ) -> (std::process::Child, String) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .arg("--data")
            .arg(&self.data)
            .arg("--database-url")
            .arg(&self.db_url)
            .env("HAVEN_LOG", log)
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("start haven serve");
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            let up = reqwest::get(format!("{base}/healthz")).await;
            if up.is_ok_and(|r| r.status() == 200) {
                return (child, base);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("haven serve did not start");
    }

    /// An outreach contact ten minutes ago with one person called Yonas, sent by the app of
    /// the outreach worker whose bearer token is `token` and stored: its id.
    pub async fn street_contact(&self, token: &str) -> String {
        let contact = uuid::Uuid::now_v7().to_string();
        let (status, v) = self
            .post(
                token,
                "/api/v1/outreach/sync",
                serde_json::json!({"records": [{"id": contact, "contact": {
                    "contact_at": self.clock.now_ts() - 600, "area": "city_park",
                    "people_count": 1, "activities": ["contacted"],
                    "persons": [{"alias": "Yonas"}]}}]}),
            )
            .await;
        assert_eq!(
            (status, v["results"][0]["status"].as_str()),
            (200, Some("stored")),
            "{v}"
        );
        contact
    }

    /// This app's context with an outbox that keeps the mailings handed to it, for use
    /// cases called directly: the context and the outbox to read.
    pub fn keeping_mail(&self) -> (Ctx, Arc<KeptMail>) {
        let kept = Arc::new(KeptMail::default());
        let mut ctx = self.ctx.clone();
        ctx.outbox = Some(kept.clone());
        (ctx, kept)
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
        let page = self.visit(c, "/staff/").await.text().await.expect("body");
        csrf_of(&page)
    }

    // The database, read directly: what the app stored, beside what it answered.

    /// One value: the first column of the one row `sql` finds, with `$1` bound to `arg`
    /// (text, a number or a typed id).
    pub async fn scalar<'q, T>(&self, sql: &'q str, arg: impl Arg<'q>) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        sqlx::query_scalar(sql)
            .bind(arg)
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// One value: the first column of the one row `sql` finds (no parameters).
    pub async fn value<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        sqlx::query_scalar(sql)
            .fetch_one(&self.ctx.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every row `sql` finds, read into a `FromRow` struct (no parameters).
    pub async fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        sqlx::query_as(sql)
            .fetch_all(&self.ctx.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs one statement with `$1`, `$2`, … bound to `args` in order, all as text.
    pub async fn exec(&self, sql: &str, args: &[&str]) {
        let mut q = sqlx::query(sql);
        for a in args {
            q = q.bind((*a).to_owned());
        }
        q.execute(&self.ctx.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// How many rows `from` holds: a table, and any condition after it (`t WHERE …`).
    pub async fn count(&self, from: &str) -> i64 {
        self.value(&format!("SELECT COUNT(*) FROM {from}")).await
    }

    /// How many audit events of one action there are.
    pub async fn audit_count(&self, action: &str) -> i64 {
        self.scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = $1",
            action,
        )
        .await
    }

    /// The object ids of the latest audit event of one action.
    pub async fn last_event_ids(&self, action: &str) -> String {
        self.scalar(
            "SELECT object_ids FROM audit_events WHERE action = $1 ORDER BY seq DESC LIMIT 1",
            action,
        )
        .await
    }

    /// A consent as the consent form sends it once the person agreed: to organisation `to`,
    /// for `purpose` (a referral type), valid for `days` more days, with or without their
    /// residence status.
    pub fn consent_input(
        &self,
        to: OrgId,
        purpose: &str,
        days: i64,
        share_residence_status: bool,
    ) -> haven_core::referrals::ConsentInput {
        haven_core::referrals::ConsentInput {
            to_org: Some(to.to_string()),
            purpose: Some(purpose.into()),
            valid_until: Some(self.in_days(days)),
            share_residence_status: Some(share_residence_status),
            person_agreed: Some(true),
        }
    }

    /// The day `days` after the test clock's today, as the API writes dates.
    pub fn in_days(&self, days: i64) -> String {
        (self.clock.now().date() + time::Duration::days(days)).to_string()
    }

    /// One retention sweep, as the server runs it (erasing what is due).
    pub async fn sweep(&self) -> haven_core::retention::Report {
        haven_core::retention::sweep(&self.ctx, false)
            .await
            .expect("sweep")
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

/// Mailings handed to the outbox, kept for the test to read ([`TestApp::keeping_mail`]).
#[derive(Default)]
pub struct KeptMail(std::sync::Mutex<Vec<haven_core::outbox::Mailing>>);

impl haven_core::outbox::Outbox for KeptMail {
    fn post(&self, mailings: Vec<haven_core::outbox::Mailing>) {
        self.0.lock().unwrap().extend(mailings);
    }
}

impl KeptMail {
    /// Every mailing handed over so far.
    pub fn mailings(&self) -> Vec<haven_core::outbox::Mailing> {
        self.0.lock().unwrap().clone()
    }
}

/// The text under `key` of every element of a JSON array, in order.
pub fn texts<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|e| e[key].as_str().unwrap_or_else(|| panic!("no {key} in {e}")))
        .collect()
}

/// The message a validation error gives for the first field it names.
pub fn first_message(v: &Value) -> &str {
    v["fields"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message in {v}"))
}

/// The fields a validation error names, in order.
pub fn fields_of(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {v}"))
        .iter()
        .map(|f| f["field"].as_str().expect("field").to_owned())
        .collect()
}
