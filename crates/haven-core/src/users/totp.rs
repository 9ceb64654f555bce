//! TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits): the arithmetic only; storing a
//! secret and accepting a code are in `second_factor`.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

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

#[cfg(test)]
mod tests {
    use super::*;

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
