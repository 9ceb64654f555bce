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
