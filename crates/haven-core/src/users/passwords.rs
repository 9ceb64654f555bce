//! Passwords: Argon2id hashes, checked off the async runtime.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use std::sync::OnceLock;

use super::model::PasswordOk;
use super::store;
use crate::{Ctx, Error, Result};

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

/// Checks a username and password. `None` for an unknown user, a wrong password and a
/// disabled account alike, all after one Argon2 verification.
pub async fn check_password(
    ctx: &Ctx,
    username: &str,
    password: &str,
) -> Result<Option<PasswordOk>> {
    let username = username.trim().to_lowercase();
    match store::credentials(ctx, &username).await? {
        None => {
            verify_hash(dummy_hash().to_owned(), password.to_owned()).await;
            Ok(None)
        }
        Some(c) => {
            let ok = verify_hash(c.password_hash, password.to_owned()).await;
            Ok((ok && !c.disabled.0).then(|| PasswordOk {
                user_id: c.id,
                totp_enrolled: c.totp_secret.is_some(),
            }))
        }
    }
}

#[derive(sqlx::FromRow)]
struct Holder {
    id: crate::ids::UserId,
    email: Option<String>,
    email_notify: crate::db::Flag,
    locale: Option<String>,
}

/// Tells an account's holder that sign-in to it is being slowed down after wrong passwords
/// or codes (the web layer's throttle calls this once per window): an audit event
/// `user.sign_in_slowed`, and an e-mail of kind `sign_in_slowed` when the account has an
/// address and wants e-mail. The holder learns that someone may be guessing; nothing says
/// from where. An unknown or disabled username does nothing, and the caller's answer does
/// not change either way, so this tells a guesser nothing about which accounts exist.
pub async fn sign_in_slowed(ctx: &Ctx, username: &str) -> Result<()> {
    let username = username.trim().to_lowercase();
    let holder: Option<Holder> = sqlx::query_as(
        "SELECT id, email, email_notify, locale FROM users WHERE username = $1 AND disabled = 0",
    )
    .bind(&username)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some(h) = holder else {
        return Ok(());
    };
    let mut tx = crate::audit::AuditTx::begin(ctx).await?;
    let system = crate::Actor::system();
    tx.log(ctx, &system, "user.sign_in_slowed", "user", &[h.id])
        .await?;
    if let (true, Some(to), true) = (tx.mails_wanted(), h.email, h.email_notify.0) {
        tx.mail(crate::outbox::Mailing {
            to,
            locale: h.locale,
            kind: crate::outbox::NotificationKind::SignInSlowed,
        });
    }
    tx.commit().await
}
