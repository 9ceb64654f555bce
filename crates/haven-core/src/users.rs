//! Staff accounts: passwords, second factors (TOTP), sessions, and their administration.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

use crate::audit::AuditTx;
use crate::error::Errors;
use crate::ids::{parse_db, OrgId, UserId};
use crate::{Actor, Ctx, Error, FieldError, Permission, Result, Role};

/// How long a session may sit unused, and how long it may live at most.
pub const IDLE_TIMEOUT: i64 = 30 * 60;
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 60 * 60;
/// A half-finished sign-in (password checked, second factor pending) expires sooner.
pub const PENDING_TIMEOUT: i64 = 5 * 60;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    #[schema(value_type = String, format = Uuid)]
    pub org_id: OrgId,
    pub org_name: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub totp_enrolled: bool,
    pub locale: Option<String>,
    /// Where Haven e-mails that a notification is waiting (when e-mail is configured).
    pub email: Option<String>,
    /// Whether the user wants those e-mails.
    pub email_notify: bool,
}

// ---------------------------------------------------------------------------------------
// Input parsing

pub fn parse_username(s: &str) -> std::result::Result<String, FieldError> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return Err(FieldError::new("username", "err-required"));
    }
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !(3..=64).contains(&s.len()) || !ok_chars {
        return Err(FieldError::new("username", "err-username"));
    }
    Ok(s)
}

pub fn parse_display_name(s: &str) -> std::result::Result<String, FieldError> {
    let s = s.trim();
    match s.chars().count() {
        0 => Err(FieldError::new("display_name", "err-required")),
        1..=120 => Ok(s.to_owned()),
        _ => Err(FieldError::new("display_name", "err-too-long")),
    }
}

/// An e-mail address, or `None` when left empty. A plain check, not RFC 5322: one `@`, a
/// local part and a domain with a dot, no spaces, no characters that mean something in a
/// mail header, at most 254 characters.
pub fn parse_email(s: &str) -> std::result::Result<Option<String>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new("email", "err-email");
    if s.chars().count() > 254 {
        return Err(bad());
    }
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c))
    {
        return Err(bad());
    }
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || !domain_ok {
        return Err(bad());
    }
    Ok(Some(s.to_owned()))
}

fn default_true() -> bool {
    true
}

pub fn parse_password(s: &str) -> std::result::Result<String, FieldError> {
    match s.chars().count() {
        0 => Err(FieldError::new("password", "err-required")),
        1..=9 => Err(FieldError::new("password", "err-password-short")),
        10..=1024 => Ok(s.to_owned()),
        _ => Err(FieldError::new("password", "err-too-long")),
    }
}

pub fn parse_roles(items: &[String]) -> std::result::Result<Vec<Role>, FieldError> {
    let mut roles = Vec::new();
    for s in items {
        let r: Role = s
            .parse()
            .map_err(|_| FieldError::new("roles", "err-choice"))?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    if roles.is_empty() {
        return Err(FieldError::new("roles", "err-role-required"));
    }
    roles.sort();
    Ok(roles)
}

// ---------------------------------------------------------------------------------------
// Passwords

fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes a password with Argon2id, off the async runtime.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(Error::Internal)
}

/// A hash of a random password, verified against when the account does not exist, so that
/// neither the answer nor its timing tells whether a username is taken.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let mut pw = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut pw);
        argon2()
            .hash_password(&pw, &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

async fn verify_hash(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// What a correct password tells the sign-in flow.
#[derive(Debug, Clone)]
pub struct PasswordOk {
    pub user_id: UserId,
    pub totp_enrolled: bool,
}

/// Checks a username and password. `None` for an unknown user, a wrong password and a
/// disabled account alike, all after one Argon2 verification.
pub async fn check_password(
    ctx: &Ctx,
    username: &str,
    password: &str,
) -> Result<Option<PasswordOk>> {
    let username = username.trim().to_lowercase();
    let row: Option<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, password_hash, totp_secret, disabled FROM users WHERE username = $1",
    )
    .bind(&username)
    .fetch_optional(&ctx.db.pool)
    .await?;
    match row {
        None => {
            verify_hash(dummy_hash().to_owned(), password.to_owned()).await;
            Ok(None)
        }
        Some((id, hash, totp, disabled)) => {
            let ok = verify_hash(hash, password.to_owned()).await;
            if ok && disabled == 0 {
                Ok(Some(PasswordOk {
                    user_id: parse_db(&id)?,
                    totp_enrolled: totp.is_some(),
                }))
            } else {
                Ok(None)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits)

pub mod totp {
    use super::*;

    pub const STEP: i64 = 30;

    pub fn generate_secret() -> Vec<u8> {
        let mut s = vec![0u8; 20];
        rand::rngs::OsRng.fill_bytes(&mut s);
        s
    }

    pub fn base32(secret: &[u8]) -> String {
        data_encoding::BASE32_NOPAD.encode(secret)
    }

    /// The `otpauth://` URL authenticator apps read from a QR code.
    pub fn otpauth_url(secret: &[u8], username: &str) -> String {
        format!(
            "otpauth://totp/Haven:{}?secret={}&issuer=Haven&algorithm=SHA1&digits=6&period=30",
            username,
            base32(secret)
        )
    }

    pub fn code_at_step(secret: &[u8], step: i64) -> u32 {
        let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(&step.to_be_bytes());
        let h = mac.finalize().into_bytes();
        let off = (h[19] & 0x0f) as usize;
        let bin = (u32::from(h[off] & 0x7f) << 24)
            | (u32::from(h[off + 1]) << 16)
            | (u32::from(h[off + 2]) << 8)
            | u32::from(h[off + 3]);
        bin % 1_000_000
    }

    /// The time step a code matches, allowing one step of clock drift either way.
    pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
        let code = code.trim().replace(' ', "");
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let want: u32 = code.parse().ok()?;
        let step = now / STEP;
        [step - 1, step, step + 1]
            .into_iter()
            .find(|s| code_at_step(secret, *s) == want)
    }
}

fn totp_aad(user: UserId) -> Vec<u8> {
    format!("totp:{user}").into_bytes()
}

/// Checks a TOTP code for an enrolled user; a code is accepted once only.
pub async fn check_totp(ctx: &Ctx, user: UserId, code: &str) -> Result<bool> {
    let row: Option<(Option<String>, i64)> = sqlx::query_as(
        "SELECT totp_secret, totp_last_step FROM users WHERE id = $1 AND disabled = 0",
    )
    .bind(user.to_string())
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some((Some(wrapped), last_step)) = row else {
        return Ok(false);
    };
    let secret = ctx.keys.unwrap(&wrapped, &totp_aad(user))?;
    let Some(step) = totp::matching_step(&secret, code, ctx.clock.now_ts()) else {
        return Ok(false);
    };
    if step <= last_step {
        return Ok(false);
    }
    // The conditional update makes two racing uses of one code accept only one.
    let done =
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user.to_string())
            .execute(&ctx.db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a confirmed TOTP secret for a user.
async fn store_totp(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    user: UserId,
    secret: &[u8],
    step: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_last_step = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(ctx.keys.wrap(secret, &totp_aad(user)))
    .bind(step)
    .bind(ctx.clock.now_ts())
    .bind(user.to_string())
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Sessions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Signed in.
    Full,
    /// Password accepted; TOTP code pending.
    Totp,
    /// Password accepted; must enrol a second factor first.
    Enrol,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Totp => "totp",
            Stage::Enrol => "enrol",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(Stage::Full),
            "totp" => Some(Stage::Totp),
            "enrol" => Some(Stage::Enrol),
            _ => None,
        }
    }
}

/// A session as seen by a request.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub stage: Stage,
    pub csrf_token: String,
    pub user: User,
    pub actor: Actor,
    pub pending_totp: Option<String>,
    /// Unread notifications, for the count in the page header.
    pub unread_notifications: i64,
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    data_encoding::BASE64URL_NOPAD.encode(&b)
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session and returns its token (to be sent to the client, never stored).
pub async fn start_session(ctx: &Ctx, user: UserId, stage: Stage, kind: &str) -> Result<String> {
    let token = random_token();
    let now = ctx.clock.now_ts();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, stage, kind, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(hash_token(&token))
    .bind(user.to_string())
    .bind(stage.as_str())
    .bind(kind)
    .bind(random_token())
    .bind(now)
    .execute(&ctx.db.pool)
    .await?;
    Ok(token)
}

/// Ends a session (logout), or a half-finished sign-in.
pub async fn end_session(ctx: &Ctx, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash_token(token))
        .execute(&ctx.db.pool)
        .await?;
    Ok(())
}

/// Replaces a session with a new, fully signed-in one: the token changes at every sign-in.
pub async fn promote_session(
    ctx: &Ctx,
    old_token: &str,
    user: UserId,
    kind: &str,
) -> Result<String> {
    end_session(ctx, old_token).await?;
    start_session(ctx, user, Stage::Full, kind).await
}

/// Finds the session for a token, enforcing timeouts and disabled accounts.
pub async fn session(ctx: &Ctx, token: &str) -> Result<Option<Session>> {
    let th = hash_token(token);
    // Session and user in one query: this runs on every signed-in request.
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.stage, s.csrf_token, s.created_at, s.last_seen_at, s.pending_totp, \
           u.id, u.org_id, o.name, u.username, u.display_name, u.totp_secret, u.disabled, \
           u.locale, u.email, u.email_notify, \
           (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) \
         FROM sessions s JOIN users u ON u.id = s.user_id \
           JOIN organisations o ON o.id = u.org_id \
         WHERE s.token_hash = $1 AND u.disabled = 0",
    )
    .bind(&th)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some((
        stage,
        csrf,
        created,
        last_seen,
        pending,
        u0,
        u1,
        u2,
        u3,
        u4,
        u5,
        u6,
        u7,
        u8,
        u9,
        unread,
    )) = row
    else {
        return Ok(None);
    };
    let now = ctx.clock.now_ts();
    let stage = Stage::parse(&stage).unwrap_or(Stage::Totp);
    let expired = if stage == Stage::Full {
        now - last_seen > IDLE_TIMEOUT || now - created > ABSOLUTE_TIMEOUT
    } else {
        now - created > PENDING_TIMEOUT
    };
    if expired {
        end_session(ctx, token).await?;
        return Ok(None);
    }
    // Touch at most once a minute: the idle timeout does not need more precision, and it
    // spares the database a write per request.
    if now - last_seen >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&th)
            .execute(&ctx.db.pool)
            .await?;
    }
    let user = users_from_rows(ctx, vec![(u0, u1, u2, u3, u4, u5, u6, u7, u8, u9)])
        .await?
        .pop()
        .ok_or(Error::Unauthenticated)?;
    let actor = Actor::staff(user.id, user.org_id, user.roles.clone());
    Ok(Some(Session {
        token_hash: th,
        stage,
        csrf_token: csrf,
        user,
        actor,
        pending_totp: pending,
        unread_notifications: unread,
    }))
}

/// Offers a new TOTP secret to a session in the enrolment stage (or a signed-in user who
/// re-enrols); it is kept wrapped in the session until confirmed with a code.
pub async fn offer_totp(ctx: &Ctx, s: &Session) -> Result<Vec<u8>> {
    if let Some(w) = &s.pending_totp {
        return ctx.keys.unwrap(w, &totp_aad(s.user.id));
    }
    let secret = totp::generate_secret();
    sqlx::query("UPDATE sessions SET pending_totp = $1 WHERE token_hash = $2")
        .bind(ctx.keys.wrap(&secret, &totp_aad(s.user.id)))
        .bind(&s.token_hash)
        .execute(&ctx.db.pool)
        .await?;
    Ok(secret)
}

/// Confirms the offered secret with a code from the authenticator app.
pub async fn confirm_totp(ctx: &Ctx, s: &Session, code: &str) -> Result<()> {
    let wrapped = s
        .pending_totp
        .as_ref()
        .ok_or(Error::Conflict("err-enrol-restart"))?;
    let secret = ctx.keys.unwrap(wrapped, &totp_aad(s.user.id))?;
    let step = totp::matching_step(&secret, code, ctx.clock.now_ts())
        .ok_or_else(|| Error::invalid("code", "err-code-wrong"))?;
    let mut tx = AuditTx::begin(ctx).await?;
    store_totp(ctx, &mut tx, s.user.id, &secret, step).await?;
    sqlx::query("UPDATE sessions SET pending_totp = NULL WHERE token_hash = $1")
        .bind(&s.token_hash)
        .execute(&mut *tx.tx)
        .await?;
    tx.log(
        ctx,
        &s.actor,
        "user.totp_enrol",
        "user",
        &[s.user.id.to_string()],
    )
    .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------
// Administration

type UserRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    i64,
);

/// A session's own columns followed by a [`UserRow`].
type SessionRow = (
    String,
    String,
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

const USER_SELECT: &str = "SELECT u.id, u.org_id, o.name, u.username, u.display_name, \
     u.totp_secret, u.disabled, u.locale, u.email, u.email_notify \
     FROM users u JOIN organisations o ON o.id = u.org_id";

async fn roles_of(ctx: &Ctx, ids: &[String]) -> Result<Vec<(String, Role)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY role",
        crate::db::placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&ctx.db.pool)
        .await?
        .into_iter()
        .filter_map(|(u, r)| r.parse().ok().map(|r| (u, r)))
        .collect())
}

async fn users_from_rows(ctx: &Ctx, rows: Vec<UserRow>) -> Result<Vec<User>> {
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let roles = roles_of(ctx, &ids).await?;
    rows.into_iter()
        .map(|r| {
            Ok(User {
                roles: roles
                    .iter()
                    .filter(|(u, _)| *u == r.0)
                    .map(|(_, role)| *role)
                    .collect(),
                id: parse_db(&r.0)?,
                org_id: parse_db(&r.1)?,
                org_name: r.2,
                username: r.3,
                display_name: r.4,
                totp_enrolled: r.5.is_some(),
                disabled: r.6 != 0,
                locale: r.7,
                email: r.8,
                email_notify: r.9 != 0,
            })
        })
        .collect()
}

async fn load_user(ctx: &Ctx, id: UserId) -> Result<Option<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_SELECT} WHERE u.id = $1"))
        .bind(id.to_string())
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok(users_from_rows(ctx, rows).await?.pop())
}

pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<User>> {
    actor.require(Permission::UserManage)?;
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_SELECT} ORDER BY o.name, u.username"))
        .fetch_all(&ctx.db.pool)
        .await?;
    users_from_rows(ctx, rows).await
}

pub async fn get(ctx: &Ctx, actor: &Actor, id: UserId) -> Result<User> {
    actor.require(Permission::UserManage)?;
    load_user(ctx, id).await?.ok_or(Error::NotFound)
}

pub async fn find_by_username(ctx: &Ctx, actor: &Actor, username: &str) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_SELECT} WHERE u.username = $1"))
        .bind(username.trim().to_lowercase())
        .fetch_all(&ctx.db.pool)
        .await?;
    users_from_rows(ctx, rows)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<String>,
    pub password: String,
    /// Optional; empty or absent: no e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// E-mail this user about new notifications (default: yes, if an address is set).
    #[serde(default = "default_true")]
    #[schema(default = true)]
    pub email_notify: bool,
}

async fn org_exists(tx: &mut AuditTx<'_>, org: &str) -> Result<bool> {
    let r: Option<(String,)> = sqlx::query_as("SELECT id FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(r.is_some())
}

/// Creates an account. Unless `totp_secret` is given, the user enrols a second factor at
/// first sign-in.
pub async fn create(
    ctx: &Ctx,
    actor: &Actor,
    input: &NewUser,
    totp_secret: Option<&[u8]>,
) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let mut errs = Errors::default();
    let username = errs.take(parse_username(&input.username));
    let display = errs.take(parse_display_name(&input.display_name));
    let org: Option<OrgId> = errs.take(
        input
            .org_id
            .trim()
            .parse()
            .map_err(|_| FieldError::new("org_id", "err-choice")),
    );
    let roles = errs.take(parse_roles(&input.roles));
    let password = errs.take(parse_password(&input.password));
    let email = errs.take(parse_email(input.email.as_deref().unwrap_or_default()));
    errs.finish()?;
    let (Some(username), Some(display), Some(org), Some(roles), Some(password)) =
        (username, display, org, roles, password)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let hash = hash_password(password).await?;
    let id = UserId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    if !org_exists(&mut tx, &org.to_string()).await? {
        return Err(Error::invalid("org_id", "err-choice"));
    }
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(&mut *tx.tx)
        .await?;
    if taken.is_some() {
        return Err(Error::invalid("username", "err-username-taken"));
    }
    sqlx::query(
        "INSERT INTO users (id, org_id, username, display_name, password_hash, created_at, \
         updated_at, email, email_notify) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(&username)
    .bind(&display)
    .bind(&hash)
    .bind(now)
    .bind(email.flatten())
    .bind(i64::from(input.email_notify))
    .execute(&mut *tx.tx)
    .await?;
    for r in &roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(r.as_str())
            .execute(&mut *tx.tx)
            .await?;
    }
    if let Some(secret) = totp_secret {
        store_totp(ctx, &mut tx, id, secret, 0).await?;
    }
    tx.log(ctx, actor, "user.create", "user", &[id.to_string()])
        .await?;
    tx.commit().await?;
    load_user(ctx, id).await?.ok_or(Error::NotFound)
}

impl Default for NewUser {
    fn default() -> Self {
        Self {
            username: String::new(),
            display_name: String::new(),
            org_id: String::new(),
            roles: Vec::new(),
            password: String::new(),
            email: None,
            email_notify: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct UserUpdate {
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<String>,
    /// The whole account is replaced: an absent or empty address removes it.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default = "default_true")]
    #[schema(default = true)]
    pub email_notify: bool,
}

impl Default for UserUpdate {
    fn default() -> Self {
        Self {
            display_name: String::new(),
            org_id: String::new(),
            roles: Vec::new(),
            email: None,
            email_notify: true,
        }
    }
}

pub async fn update(ctx: &Ctx, actor: &Actor, id: UserId, input: &UserUpdate) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let mut errs = Errors::default();
    let display = errs.take(parse_display_name(&input.display_name));
    let org: Option<OrgId> = errs.take(
        input
            .org_id
            .trim()
            .parse()
            .map_err(|_| FieldError::new("org_id", "err-choice")),
    );
    let roles = errs.take(parse_roles(&input.roles));
    let email = errs.take(parse_email(input.email.as_deref().unwrap_or_default()));
    errs.finish()?;
    let (Some(display), Some(org), Some(roles), Some(email)) = (display, org, roles, email) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let mut tx = AuditTx::begin(ctx).await?;
    if !org_exists(&mut tx, &org.to_string()).await? {
        return Err(Error::invalid("org_id", "err-choice"));
    }
    // What the account could do before, to end its sessions only when that changes.
    let before: Option<(String,)> = sqlx::query_as("SELECT org_id FROM users WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
    let roles_before: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(id.to_string())
            .fetch_all(&mut *tx.tx)
            .await?;
    let mut roles_after: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    roles_after.sort_unstable();
    roles_after.dedup();
    let powers_changed = before.as_ref().map(|(o,)| o.as_str()) != Some(org.to_string().as_str())
        || roles_before
            .iter()
            .map(|(r,)| r.as_str())
            .ne(roles_after.iter().copied());
    let done = sqlx::query(
        "UPDATE users SET display_name = $1, org_id = $2, updated_at = $3, email = $5, \
         email_notify = $6 WHERE id = $4",
    )
    .bind(&display)
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .bind(email)
    .bind(i64::from(input.email_notify))
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    for r in &roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(r.as_str())
            .execute(&mut *tx.tx)
            .await?;
    }
    // A change of organisation or roles ends the user's sessions, so that no device keeps
    // what the old ones allowed (the outreach app's store among them); a new name or
    // e-mail address does not sign anybody out.
    if powers_changed {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.to_string())
            .execute(&mut *tx.tx)
            .await?;
    }
    tx.log(ctx, actor, "user.update", "user", &[id.to_string()])
        .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Disables or re-enables an account; disabling ends all its sessions at once.
pub async fn set_disabled(ctx: &Ctx, actor: &Actor, id: UserId, disabled: bool) -> Result<User> {
    actor.require(Permission::UserManage)?;
    if actor.user_id == Some(id) && disabled {
        return Err(Error::Conflict("err-disable-self"));
    }
    let mut tx = AuditTx::begin(ctx).await?;
    let done = sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(ctx.clock.now_ts())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    tx.log(ctx, actor, action, "user", &[id.to_string()])
        .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Removes a user's second factor; they enrol a new one at their next sign-in.
pub async fn reset_totp(ctx: &Ctx, actor: &Actor, id: UserId) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let done = sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_last_step = 0, updated_at = $1 WHERE id = $2",
    )
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    tx.log(ctx, actor, "user.totp_reset", "user", &[id.to_string()])
        .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Sets a user's interface language (a code from the translation files).
pub async fn set_locale(ctx: &Ctx, user: UserId, locale: &str) -> Result<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(user.to_string())
        .execute(&ctx.db.pool)
        .await?;
    Ok(())
}

/// Sets whether a user is e-mailed about new notifications: their own choice, like their
/// language (the address itself is set by an administrator).
pub async fn set_email_notify(ctx: &Ctx, user: UserId, on: bool) -> Result<()> {
    sqlx::query("UPDATE users SET email_notify = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(ctx.clock.now_ts())
        .bind(user.to_string())
        .execute(&ctx.db.pool)
        .await?;
    Ok(())
}

/// Rewraps every TOTP secret with the active KEK (key rotation).
pub async fn rewrap_totp_secrets(
    ctx: &Ctx,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<u64> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
            .fetch_all(&mut **tx)
            .await?;
    let mut n = 0;
    for (id, wrapped) in rows {
        let uid: UserId = parse_db(&id)?;
        let secret = ctx.keys.unwrap(&wrapped, &totp_aad(uid))?;
        sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2")
            .bind(ctx.keys.wrap(&secret, &totp_aad(uid)))
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::totp::*;

    #[test]
    fn totp_matches_the_rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); 6 digits: 287082.
        let secret = b"12345678901234567890";
        assert_eq!(code_at_step(secret, 59 / STEP), 287_082);
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        assert_eq!(matching_step(secret, "287083", 59), None);
        assert_eq!(matching_step(secret, "28708", 59), None);
    }
}
