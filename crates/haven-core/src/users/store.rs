//! The rows of `users`, `user_roles` and `sessions`, and the queries more than one use case
//! of the area shares.

use sqlx::AnyConnection;

use super::model::User;
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::ids::{OrgId, UserId};
use crate::{Ctx, Result, Role};

/// What a sign-in checks a password against.
#[derive(sqlx::FromRow)]
pub(super) struct Credentials {
    pub id: UserId,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub disabled: Flag,
}

/// An account with its organisation's name; its roles are read separately.
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    id: UserId,
    org_id: OrgId,
    org_name: String,
    username: String,
    display_name: String,
    totp_secret: Option<String>,
    disabled: Flag,
    locale: Option<String>,
    email: Option<String>,
    email_notify: Flag,
}

/// A session's own columns and its account, read together on every signed-in request.
#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    pub stage: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub pending_totp: Option<String>,
    #[sqlx(flatten)]
    pub user: UserRow,
    pub unread: i64,
    /// The organisation's kind, for the roles it may hold (`firewall::effective_roles`).
    pub org_kind: String,
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    user_id: UserId,
    role: String,
}

const USER_SELECT: &str = "SELECT u.id, u.org_id, o.name AS org_name, u.username, \
     u.display_name, u.totp_secret, u.disabled, u.locale, u.email, u.email_notify \
     FROM users u JOIN organisations o ON o.id = u.org_id";

pub(super) async fn credentials(ctx: &Ctx, username: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, password_hash, totp_secret, disabled FROM users WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(&ctx.db.pool)
    .await?)
}

pub(super) async fn session_row(ctx: &Ctx, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT s.stage, s.csrf_token, s.created_at, s.last_seen_at, s.pending_totp, \
           u.id, u.org_id, o.name AS org_name, u.username, u.display_name, u.totp_secret, \
           u.disabled, u.locale, u.email, u.email_notify, \
           (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) \
             AS unread, o.kind AS org_kind \
         FROM sessions s JOIN users u ON u.id = s.user_id \
           JOIN organisations o ON o.id = u.org_id \
         WHERE s.token_hash = $1 AND u.disabled = 0",
    )
    .bind(token_hash)
    .fetch_optional(&ctx.db.pool)
    .await?)
}

async fn roles_of(ctx: &Ctx, ids: &[UserId]) -> Result<Vec<RoleRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY role",
        crate::db::placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, RoleRow>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&ctx.db.pool).await?)
}

/// Accounts with their roles, in the order of `rows`.
pub(super) async fn users_from_rows(ctx: &Ctx, rows: Vec<UserRow>) -> Result<Vec<User>> {
    let ids: Vec<UserId> = rows.iter().map(|r| r.id).collect();
    let roles = roles_of(ctx, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| User {
            roles: roles
                .iter()
                .filter(|x| x.user_id == r.id)
                .filter_map(|x| x.role.parse().ok())
                .collect(),
            id: r.id,
            org_id: r.org_id,
            org_name: r.org_name,
            username: r.username,
            display_name: r.display_name,
            totp_enrolled: r.totp_secret.is_some(),
            disabled: r.disabled.0,
            locale: r.locale,
            email: r.email,
            email_notify: r.email_notify.0,
        })
        .collect())
}

/// Every account, by organisation and username.
pub(super) async fn all_users(ctx: &Ctx) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_SELECT} ORDER BY o.name, u.username"))
        .fetch_all(&ctx.db.pool)
        .await?;
    users_from_rows(ctx, rows).await
}

pub(super) async fn load_user(ctx: &Ctx, id: UserId) -> Result<Option<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok(users_from_rows(ctx, rows).await?.pop())
}

pub(super) async fn user_by_username(ctx: &Ctx, username: &str) -> Result<Option<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!("{USER_SELECT} WHERE u.username = $1"))
        .bind(username)
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok(users_from_rows(ctx, rows).await?.pop())
}

pub(super) async fn username_taken(tx: &mut AuditTx<'_>, username: &str) -> Result<bool> {
    let found: Option<UserId> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(found.is_some())
}

/// An account's organisation and sorted role names, to tell whether a change alters what
/// it may do; `None` for an unknown account.
pub(super) async fn powers(
    conn: &mut AnyConnection,
    id: UserId,
) -> Result<Option<(OrgId, Vec<String>)>> {
    let org: Option<OrgId> = sqlx::query_scalar("SELECT org_id FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(org.map(|o| (o, roles)))
}

/// Replaces an account's roles.
pub(super) async fn set_roles(conn: &mut AnyConnection, id: UserId, roles: &[Role]) -> Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for r in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Ends every session of an account, on every device.
pub(super) async fn end_sessions_of(conn: &mut AnyConnection, id: UserId) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
