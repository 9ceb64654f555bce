//! Keys and encryption.
//!
//! * Each person has a random 256-bit **data key**. Their sensitive fields are sealed with it
//!   (XChaCha20-Poly1305, the person id as associated data, so a ciphertext moved to another
//!   row does not open).
//! * Data keys are stored only **wrapped** by a key-encryption key (KEK). KEKs live in the
//!   key file (or the `HAVEN_KEYS` environment variable), never in the database, so a copy of
//!   the database alone reveals nothing. Several KEKs may be present during a rotation; each
//!   wrapped value names the KEK that sealed it. A keyring loaded from a file reads it again
//!   when it changes (checked before wrapping, and when a value names a KEK it lacks), so
//!   running servers follow an online rotation (`rotation.rs`) without a restart.
//! * Exact-match lookups use **blind indexes**: HMAC-SHA256 under the index key, truncated to
//!   16 bytes, with a domain label so a name token and a phone number never collide.
//! * The **audit key** authenticates the audit chain (HMAC), so someone who can edit the
//!   database but not read the key file cannot rebuild a valid chain. An Ed25519 key
//!   derived from it signs anchors and archives, which its public key alone checks.
//!
//! Destroying a person's wrapped data key makes every sealed field of theirs unreadable.
//!
//! Unwrapped data keys are kept in memory for at most [`DEK_CACHE_TTL`] (at most
//! [`DEK_CACHE_MAX`] of them), so that a list of 200 cases does not unwrap 200 keys on every
//! view; see [`Keyring::data_key`]. A cached key is found only with the exact wrapped value
//! read from the database, so a destroyed or rewrapped key is never served from the cache,
//! and erasing a person evicts theirs at once ([`Keyring::forget_data_key`]).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{Error, Result};

const NONCE_LEN: usize = 24;

/// A 256-bit secret key. Its `Debug` never shows the bytes, and it is wiped when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; 32]);

impl Key {
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        Self(k)
    }

    fn from_b64(s: &str) -> Result<Self> {
        let bytes = STANDARD
            .decode(s.trim())
            .map_err(|_| anyhow::anyhow!("a key in the key file is not valid base64"))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("a key in the key file is not 32 bytes long"))?;
        Ok(Self(arr))
    }

    fn to_b64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Seals `plaintext`; the output is `nonce || ciphertext+tag`.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce cannot fail for in-memory buffers.
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    /// Opens what [`Key::seal`] produced; fails if the key, the data or the aad differ.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN + 16 {
            return Err(anyhow::anyhow!("sealed value too short").into());
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
            .map_err(|_| anyhow::anyhow!("decryption failed: wrong key or tampered data").into())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// The key file's contents as stored on disk (JSON, mode 0600).
#[derive(Serialize, Deserialize)]
struct KeyFile {
    version: u32,
    /// The KEK used for new wrapping.
    active: String,
    keks: BTreeMap<String, String>,
    index_key: String,
    audit_key: String,
}

/// How long an unwrapped data key stays in memory after it was unwrapped.
pub const DEK_CACHE_TTL: Duration = Duration::from_secs(60);
/// The most unwrapped data keys kept at once.
pub const DEK_CACHE_MAX: usize = 4096;

/// Unwrapped data keys by their wrapped value, with their owner and when they were
/// unwrapped. The map is allocated at its full size once, so it never moves (copies) keys
/// while growing; every key is wiped when it leaves the map.
struct DekCache {
    keys: HashMap<String, (String, Key, Instant)>,
}

impl DekCache {
    fn new() -> Self {
        Self {
            keys: HashMap::with_capacity(DEK_CACHE_MAX),
        }
    }

    fn get(&self, wrapped: &str, owner: &str, now: Instant) -> Option<Key> {
        match self.keys.get(wrapped) {
            Some((o, k, at)) if o == owner && now.duration_since(*at) < DEK_CACHE_TTL => {
                Some(k.clone())
            }
            _ => None,
        }
    }

    fn put(&mut self, wrapped: &str, owner: &str, key: &Key, now: Instant) {
        if self.keys.len() >= DEK_CACHE_MAX {
            self.keys
                .retain(|_, (_, _, at)| now.duration_since(*at) < DEK_CACHE_TTL);
        }
        if self.keys.len() >= DEK_CACHE_MAX {
            // Still full of fresh keys: start again rather than grow.
            self.keys.clear();
        }
        self.keys
            .insert(wrapped.to_owned(), (owner.to_owned(), key.clone(), now));
    }
}

/// The key-encryption keys: the active one (for new wrapping) and every one still held.
struct Keks {
    active: String,
    keys: BTreeMap<String, Key>,
}

/// The key file a keyring came from, and its modification time and length when read.
struct Source {
    path: PathBuf,
    stamp: Mutex<Option<(SystemTime, u64)>>,
}

/// All keys Haven holds in memory. Loaded at start-up; the KEKs again when the key file
/// changes (see the module doc).
pub struct Keyring {
    keks: RwLock<Keks>,
    index_key: Key,
    audit_key: Key,
    deks: Mutex<DekCache>,
    source: Option<Source>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keks = self.keks();
        f.debug_struct("Keyring")
            .field("active", &keks.active)
            .field("keks", &keks.keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn file_stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn new_kek_id() -> String {
    let mut b = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!("kek-{}", hex::encode(b))
}

impl Keyring {
    /// A fresh keyring with one KEK.
    pub fn generate() -> Self {
        let id = new_kek_id();
        let mut keks = BTreeMap::new();
        keks.insert(id.clone(), Key::generate());
        Self {
            keks: RwLock::new(Keks {
                active: id,
                keys: keks,
            }),
            index_key: Key::generate(),
            audit_key: Key::generate(),
            deks: Mutex::new(DekCache::new()),
            source: None,
        }
    }

    pub fn from_json(json: &str) -> Result<Self> {
        let f: KeyFile = serde_json::from_str(json)
            .map_err(|e| anyhow::anyhow!("the key file is not valid: {e}"))?;
        if f.version != 1 {
            return Err(anyhow::anyhow!("unsupported key file version {}", f.version).into());
        }
        let mut keks = BTreeMap::new();
        for (id, k) in &f.keks {
            keks.insert(id.clone(), Key::from_b64(k)?);
        }
        if !keks.contains_key(&f.active) {
            return Err(anyhow::anyhow!("the key file's active key is missing").into());
        }
        Ok(Self {
            keks: RwLock::new(Keks {
                active: f.active,
                keys: keks,
            }),
            index_key: Key::from_b64(&f.index_key)?,
            audit_key: Key::from_b64(&f.audit_key)?,
            deks: Mutex::new(DekCache::new()),
            source: None,
        })
    }

    pub fn to_json(&self) -> String {
        let keks = self.keks();
        let f = KeyFile {
            version: 1,
            active: keks.active.clone(),
            keks: keks
                .keys
                .iter()
                .map(|(id, k)| (id.clone(), k.to_b64()))
                .collect(),
            index_key: self.index_key.to_b64(),
            audit_key: self.audit_key.to_b64(),
        };
        serde_json::to_string_pretty(&f).unwrap_or_default()
    }

    /// Loads from `HAVEN_KEYS` (the file's JSON) if set, else from `path`.
    pub fn load(path: &Path) -> Result<Self> {
        if let Ok(json) = std::env::var("HAVEN_KEYS") {
            return Self::from_json(&json);
        }
        let stamp = file_stamp(path);
        let json = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the key file {}: {e}. Create it with `haven keys create`.",
                path.display()
            )
        })?;
        let mut ring = Self::from_json(&json)?;
        ring.source = Some(Source {
            path: path.to_owned(),
            stamp: Mutex::new(stamp),
        });
        Ok(ring)
    }

    /// Reads the KEKs again if the key file changed since it was read (a rotation added,
    /// activated or retired one); returns whether it did. A file that does not parse, or
    /// whose index or audit key differ (another installation's), is refused with a warning
    /// and the keys in memory stay.
    pub fn refresh(&self) -> bool {
        let Some(src) = &self.source else {
            return false;
        };
        let now = file_stamp(&src.path);
        let mut seen = src.stamp.lock().unwrap_or_else(|e| e.into_inner());
        if now.is_none() || *seen == now {
            return false;
        }
        *seen = now;
        let read = std::fs::read_to_string(&src.path)
            .map_err(|e| Error::Internal(e.into()))
            .and_then(|json| Self::from_json(&json));
        let new = match read {
            Ok(r) if r.index_key.0 == self.index_key.0 && r.audit_key.0 == self.audit_key.0 => r,
            Ok(_) => {
                tracing::error!(
                    "the key file {} now holds other index or audit keys; not reloaded",
                    src.path.display()
                );
                return false;
            }
            Err(e) => {
                tracing::warn!(
                    "the key file {} changed but cannot be read: {e:#}",
                    src.path.display()
                );
                return false;
            }
        };
        let keks = new.keks.into_inner().unwrap_or_else(|e| e.into_inner());
        tracing::info!(
            "key file reloaded: active key {}, {} keys held",
            keks.active,
            keks.keys.len()
        );
        *self.keks.write().unwrap_or_else(|e| e.into_inner()) = keks;
        true
    }

    fn keks(&self) -> std::sync::RwLockReadGuard<'_, Keks> {
        // Replaced whole under the lock, so a panic elsewhere cannot leave it half-changed.
        self.keks.read().unwrap_or_else(|e| e.into_inner())
    }

    fn keks_mut(&mut self) -> &mut Keks {
        self.keks.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the key file atomically (temporary file, then rename), readable by the owner only.
    pub fn save(&self, path: &Path) -> Result<()> {
        let tmp = path.with_extension("tmp");
        {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp).map_err(anyhow::Error::from)?;
            f.write_all(self.to_json().as_bytes())
                .map_err(anyhow::Error::from)?;
            f.sync_all().map_err(anyhow::Error::from)?;
        }
        std::fs::rename(&tmp, path).map_err(anyhow::Error::from)?;
        Ok(())
    }

    pub fn active_kek_id(&self) -> String {
        self.keks().active.clone()
    }

    pub fn kek_ids(&self) -> Vec<String> {
        self.keks().keys.keys().cloned().collect()
    }

    /// Adds a new KEK and makes it the active one; the old ones stay until dropped.
    pub fn add_kek(&mut self) -> String {
        let id = new_kek_id();
        let keks = self.keks_mut();
        keks.keys.insert(id.clone(), Key::generate());
        keks.active = id.clone();
        self.cached_keys().keys.clear();
        id
    }

    /// Forgets every KEK but the active one (after everything was rewrapped).
    pub fn drop_inactive_keks(&mut self) {
        let keks = self.keks_mut();
        let active = keks.active.clone();
        keks.keys.retain(|id, _| *id == active);
        self.cached_keys().keys.clear();
    }

    fn cached_keys(&self) -> std::sync::MutexGuard<'_, DekCache> {
        // The cache holds no invariant a panic elsewhere could break.
        self.deks.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Like [`Keyring::unwrap_data_key`], through the short-lived cache of unwrapped data
    /// keys: a key unwrapped in the last [`DEK_CACHE_TTL`] from the same wrapped value for
    /// the same owner is returned without unwrapping it again.
    pub fn data_key(&self, wrapped: &str, owner: &str) -> Result<Key> {
        let now = Instant::now();
        if let Some(k) = self.cached_keys().get(wrapped, owner, now) {
            return Ok(k);
        }
        let k = self.unwrap_data_key(wrapped, owner)?;
        self.cached_keys().put(wrapped, owner, &k, now);
        Ok(k)
    }

    /// Whether an unwrapped data key of `owner` is in the cache (for tests).
    pub fn holds_data_key(&self, owner: &str) -> bool {
        self.cached_keys().keys.values().any(|(o, _, _)| o == owner)
    }

    /// Removes every cached unwrapped data key of `owner` (when their key is destroyed).
    pub fn forget_data_key(&self, owner: &str) {
        self.cached_keys().keys.retain(|_, (o, _, _)| o != owner);
    }

    /// Seals a small secret with the active KEK: `"<kek id>.<base64url>"`.
    /// The key file is checked for a change first, so a rotation's new KEK is used at once.
    pub fn wrap(&self, secret: &[u8], aad: &[u8]) -> String {
        self.refresh();
        let keks = self.keks();
        // `from_json` and `add_kek` keep the active KEK among the keys.
        let sealed = keks
            .keys
            .get(&keks.active)
            .map(|kek| kek.seal(secret, aad))
            .unwrap_or_default();
        format!("{}.{}", keks.active, URL_SAFE_NO_PAD.encode(sealed))
    }

    /// Opens with the KEK the value names; one this keyring lacks sends it to the key file
    /// first (a rotation may have added it since).
    pub fn unwrap(&self, wrapped: &str, aad: &[u8]) -> Result<Vec<u8>> {
        let (id, b64) = wrapped
            .split_once('.')
            .ok_or_else(|| anyhow::anyhow!("malformed wrapped key"))?;
        let sealed = URL_SAFE_NO_PAD
            .decode(b64)
            .map_err(|_| anyhow::anyhow!("malformed wrapped key"))?;
        if !self.keks().keys.contains_key(id) {
            self.refresh();
        }
        let keks = self.keks();
        let kek = keks
            .keys
            .get(id)
            .ok_or_else(|| anyhow::anyhow!("wrapped with unknown key {id}"))?;
        kek.open(&sealed, aad)
    }

    /// Which KEK sealed a wrapped value.
    pub fn wrapped_by(wrapped: &str) -> Option<&str> {
        wrapped.split_once('.').map(|(id, _)| id)
    }

    pub fn wrap_data_key(&self, dek: &Key, owner: &str) -> String {
        self.wrap(&dek.0, owner.as_bytes())
    }

    pub fn unwrap_data_key(&self, wrapped: &str, owner: &str) -> Result<Key> {
        let mut bytes = self.unwrap(wrapped, owner.as_bytes())?;
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| Error::Internal(anyhow::anyhow!("data key has the wrong length")))?;
        bytes.zeroize();
        Ok(Key(arr))
    }

    /// A keyed blind index of `value` in the given domain (e.g. `"name"`, `"phone"`).
    pub fn blind_index(&self, domain: &str, value: &str) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key.0)
            .unwrap_or_else(|_| unreachable_hmac());
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes()[..16].to_vec()
    }

    /// The key that seals audit archives (`audit_archive`): derived from the audit key
    /// (HKDF-SHA256), so the key file needs no new entry and the same file opens them.
    pub fn audit_archive_key(&self) -> Key {
        let hk = hkdf::Hkdf::<Sha256>::new(None, &self.audit_key.0);
        let mut k = [0u8; 32];
        // 32 bytes is far below HKDF's limit (255 hash lengths), so this cannot fail.
        let _ = hk.expand(b"haven audit archive v1", &mut k);
        Key(k)
    }

    /// The Ed25519 key that signs audit anchors and archives (`audit_sign`): derived from
    /// the audit key (HKDF-SHA256, its own label), so the key file needs no new entry; its
    /// public half (`haven audit public-key`) checks signatures without the key file.
    pub fn audit_signing_key(&self) -> ed25519_dalek::SigningKey {
        let hk = hkdf::Hkdf::<Sha256>::new(None, &self.audit_key.0);
        let mut seed = [0u8; 32];
        // 32 bytes is far below HKDF's limit, so this cannot fail.
        let _ = hk.expand(b"haven audit signing ed25519 v1", &mut seed);
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        seed.zeroize();
        key
    }

    /// HMAC-SHA256 under the audit key.
    pub fn audit_mac(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.audit_key.0)
            .unwrap_or_else(|_| unreachable_hmac());
        for p in parts {
            mac.update(&(p.len() as u64).to_be_bytes());
            mac.update(p);
        }
        mac.finalize().into_bytes().to_vec()
    }
}

/// HMAC accepts keys of any length, so creating one cannot fail.
fn unreachable_hmac() -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(&[0u8; 32]).unwrap_or_else(|_| unreachable!())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_round_trip_and_bind_the_aad() {
        let k = Key::generate();
        let s = k.seal(b"Amina", b"person-1");
        assert_eq!(k.open(&s, b"person-1").unwrap(), b"Amina");
        assert!(k.open(&s, b"person-2").is_err());
        assert!(Key::generate().open(&s, b"person-1").is_err());
    }

    #[test]
    fn cached_data_keys_need_the_same_wrapped_value_and_owner_and_can_be_forgotten() {
        let ring = Keyring::generate();
        let dek = Key::generate();
        let wrapped = ring.wrap_data_key(&dek, "p");
        assert_eq!(ring.data_key(&wrapped, "p").unwrap().0, dek.0);
        assert_eq!(ring.cached_keys().keys.len(), 1);
        // Served from the cache, still bound to its owner.
        assert_eq!(ring.data_key(&wrapped, "p").unwrap().0, dek.0);
        assert!(ring.data_key(&wrapped, "q").is_err());
        // Another wrapped value of the same key is a miss, and unwraps on its own.
        let rewrapped = ring.wrap_data_key(&dek, "p");
        assert_eq!(ring.data_key(&rewrapped, "p").unwrap().0, dek.0);
        assert_eq!(ring.cached_keys().keys.len(), 2);
        ring.forget_data_key("p");
        assert!(ring.cached_keys().keys.is_empty());
    }

    #[test]
    fn the_data_key_cache_expires_and_stays_bounded() {
        let mut c = DekCache::new();
        let t0 = Instant::now();
        let k = Key::generate();
        c.put("w", "p", &k, t0);
        assert!(c.get("w", "p", t0 + DEK_CACHE_TTL / 2).is_some());
        assert!(c.get("w", "p", t0 + DEK_CACHE_TTL).is_none());
        for i in 0..DEK_CACHE_MAX + 10 {
            c.put(&format!("w{i}"), "p", &k, t0);
        }
        assert!(c.keys.len() <= DEK_CACHE_MAX);
        assert!(c.keys.capacity() >= DEK_CACHE_MAX);
    }

    #[test]
    fn keyring_survives_a_rotation_and_a_round_trip_through_json() {
        let mut ring = Keyring::generate();
        let dek = Key::generate();
        let old = ring.wrap_data_key(&dek, "p");
        ring.add_kek();
        let ring = Keyring::from_json(&ring.to_json()).unwrap();
        assert_eq!(ring.unwrap_data_key(&old, "p").unwrap().0, dek.0);
        let new = ring.wrap_data_key(&dek, "p");
        assert_ne!(Keyring::wrapped_by(&old), Keyring::wrapped_by(&new));
    }

    #[test]
    fn blind_indexes_are_keyed_and_domain_separated() {
        let a = Keyring::generate();
        let b = Keyring::generate();
        assert_eq!(a.blind_index("name", "mhmd"), a.blind_index("name", "mhmd"));
        assert_ne!(a.blind_index("name", "mhmd"), b.blind_index("name", "mhmd"));
        assert_ne!(
            a.blind_index("name", "mhmd"),
            a.blind_index("phone", "mhmd")
        );
    }

    #[test]
    fn debug_never_shows_key_material() {
        let ring = Keyring::generate();
        let s = format!("{ring:?} {:?}", Key::generate());
        assert!(!s.contains(&ring.index_key.to_b64()));
        assert!(s.contains("redacted"));
    }
}
