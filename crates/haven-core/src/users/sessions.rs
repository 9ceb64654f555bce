//! Sessions: a random token for the client, its SHA-256 in the database, and timeouts.

use rand::RngCore;
use sha2::{Digest, Sha256};

use super::model::{Session, Stage};
use super::store;
use crate::ids::UserId;
use crate::{Actor, Ctx, Error, Result};

/// How long a session may sit unused, and how long it may live at most.
pub const IDLE_TIMEOUT: i64 = 30 * 60;
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 60 * 60;
/// A half-finished sign-in (password checked, second factor pending) expires sooner.
pub const PENDING_TIMEOUT: i64 = 5 * 60;

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
    .bind(user)
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
    let Some(row) = store::session_row(ctx, &th).await? else {
        return Ok(None);
    };
    let now = ctx.clock.now_ts();
    let stage = Stage::parse(&row.stage).unwrap_or(Stage::Totp);
    let expired = if stage == Stage::Full {
        now - row.last_seen_at > IDLE_TIMEOUT || now - row.created_at > ABSOLUTE_TIMEOUT
    } else {
        now - row.created_at > PENDING_TIMEOUT
    };
    if expired {
        end_session(ctx, token).await?;
        return Ok(None);
    }
    // Touch at most once a minute: the idle timeout does not need more precision, and it
    // spares the database a write per request.
    if now - row.last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&th)
            .execute(&ctx.db.pool)
            .await?;
    }
    let kind = row.org_kind.parse().unwrap_or(crate::orgs::OrgKind::Other);
    let user = store::users_from_rows(ctx, vec![row.user])
        .await?
        .pop()
        .ok_or(Error::Unauthenticated)?;
    // Only the roles the organisation's kind may hold, whatever the rows say.
    let roles = crate::firewall::effective_roles(kind, user.roles.clone());
    let actor = Actor::staff(user.id, user.org_id, roles);
    Ok(Some(Session {
        token_hash: th,
        stage,
        csrf_token: row.csrf_token,
        user,
        actor,
        pending_totp: row.pending_totp,
        unread_notifications: row.unread,
    }))
}
