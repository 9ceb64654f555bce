//! The second factor: accepting a TOTP code once and enrolling a secret. The secrets are
//! wrapped by the key-encryption key and re-wrapped by `rotation` (listed in its `WRAPPED`).

use super::model::Session;
use super::totp;
use crate::audit::AuditTx;
use crate::ids::UserId;
use crate::{Ctx, Error, Result};

/// The associated data a user's TOTP secret is wrapped with, so that a secret copied to
/// another account does not unwrap.
/// What a wrapped TOTP secret is bound to: its user's id (also for key rotation).
pub(crate) fn totp_aad(user: impl std::fmt::Display) -> Vec<u8> {
    format!("totp:{user}").into_bytes()
}

#[derive(sqlx::FromRow)]
struct TotpState {
    totp_secret: Option<String>,
    totp_last_step: i64,
}

/// Checks a TOTP code for an enrolled user; a code is accepted once only.
pub async fn check_totp(ctx: &Ctx, user: UserId, code: &str) -> Result<bool> {
    let row: Option<TotpState> = sqlx::query_as(
        "SELECT totp_secret, totp_last_step FROM users WHERE id = $1 AND disabled = 0",
    )
    .bind(user)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some(TotpState {
        totp_secret: Some(wrapped),
        totp_last_step: last_step,
    }) = row
    else {
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
            .bind(user)
            .execute(&ctx.db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a confirmed TOTP secret for a user.
pub(super) async fn store_totp(
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
    .bind(user)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
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
    tx.log(ctx, &s.actor, "user.totp_enrol", "user", &[s.user.id])
        .await?;
    tx.commit().await
}
