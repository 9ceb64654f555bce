//! Signatures on what leaves the database to vouch for the audit log: anchors
//! ([`crate::audit::Anchor`]) and archive files ([`crate::audit_archive::ArchiveFile`]).
//!
//! They are Ed25519 signatures under a key derived from the audit key
//! ([`crate::crypto::Keyring::audit_signing_key`]). Whoever holds only the public key
//! ([`PublicKey`], printed by `haven audit public-key`) can check them but cannot make one,
//! so an auditor, a notary or another machine checks anchors and archives without the key
//! file, and a signature is evidence against everyone who lacks the key file.
//!
//! A signed message is a domain label and the signed fields, each preceded by its length,
//! so that no two different lists of fields sign the same bytes. Each signature names the
//! key that made it ([`PublicKey::id`]): a verifier holding several published keys (an old
//! key file's and a new one's) picks the right one, and a file signed by another key is
//! named as such.
//!
//! The key is bound to the audit key, which is not rotated: the audit chain's MACs are made
//! with it. A new key file (a new installation) has a new public key, to be published
//! again; what the old one signed stays checkable with the old public key.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::Signer;
use sha2::{Digest, Sha256};

use crate::crypto::Keyring;

/// How a public key is written: `ed25519:` and the 32 bytes in base64.
const PREFIX: &str = "ed25519:";

/// The public half of the audit signing key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// The public key of this keyring's signing key.
    pub fn of(keys: &Keyring) -> Self {
        Self(keys.audit_signing_key().verifying_key())
    }

    /// Reads a key written by [`PublicKey`]'s `Display` (`ed25519:<base64>`).
    pub fn parse(text: &str) -> Option<Self> {
        let b64 = text.trim().strip_prefix(PREFIX)?;
        let bytes: [u8; 32] = STANDARD.decode(b64).ok()?.try_into().ok()?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .ok()
            .map(Self)
    }

    /// A short name of the key: the first 8 bytes of its SHA-256, in hex.
    pub fn id(&self) -> String {
        hex::encode(&Sha256::digest(self.0.as_bytes())[..8])
    }

    /// Whether `sig` (base64) is this key's signature over `label` and `parts`.
    pub fn verifies(&self, label: &str, parts: &[&[u8]], sig: &str) -> bool {
        let Ok(bytes) = STANDARD.decode(sig) else {
            return false;
        };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(&bytes) else {
            return false;
        };
        self.0.verify_strict(&message(label, parts), &sig).is_ok()
    }
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{PREFIX}{}", STANDARD.encode(self.0.as_bytes()))
    }
}

/// Signs `label` and `parts` with the keyring's signing key; returns the key's id and the
/// signature (base64).
pub fn sign(keys: &Keyring, label: &str, parts: &[&[u8]]) -> (String, String) {
    let key = keys.audit_signing_key();
    let sig = key.sign(&message(label, parts));
    (
        PublicKey(key.verifying_key()).id(),
        STANDARD.encode(sig.to_bytes()),
    )
}

fn message(label: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut m = Vec::new();
    for p in std::iter::once(label.as_bytes()).chain(parts.iter().copied()) {
        m.extend_from_slice(&(p.len() as u64).to_be_bytes());
        m.extend_from_slice(p);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_checks_with_the_public_key_alone_and_fails_on_any_change() {
        let keys = Keyring::generate();
        let public = PublicKey::parse(&PublicKey::of(&keys).to_string()).unwrap();
        let (id, sig) = sign(&keys, "test", &[b"one", b"two"]);
        assert_eq!(id, public.id());
        assert!(public.verifies("test", &[b"one", b"two"], &sig));
        assert!(!public.verifies("test", &[b"one", b"twp"], &sig));
        assert!(
            !public.verifies("test", &[b"onet", b"wo"], &sig),
            "lengths bound"
        );
        assert!(!public.verifies("other", &[b"one", b"two"], &sig));
        let other = PublicKey::of(&Keyring::generate());
        assert!(!other.verifies("test", &[b"one", b"two"], &sig));
        assert_ne!(other.id(), public.id());
        assert!(PublicKey::parse("ed25519:AAAA").is_none());
        assert!(PublicKey::parse(&public.to_string()[PREFIX.len()..]).is_none());
    }
}
