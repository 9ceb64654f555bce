//! CLK encoding, byte for byte as clkhash's `bloomfilter.py`.
//!
//! Every non-ignored feature's value is validated and formatted, cut into tokens, and
//! each token sets `k` bits (from the strategy) of a Bloom filter of `l × 2^xor_folds`
//! bits with the feature's own keys:
//! - `blakeHash`: BLAKE2b keyed with the feature's first key and salted with the decimal
//!   text of `i`, for `i` in `0..ceil(k / 32)`; each 64-byte digest is read as 32
//!   little-endian 16-bit numbers, and the first `k` numbers modulo the length are the bits.
//! - `doubleHash` (Schnell et al.): `h1` = HMAC-SHA1 (first key) and `h2` = HMAC-MD5
//!   (second key) of the token, each read as a big-endian number modulo the length; the
//!   bits are `(h1 + i·h2) mod length` for `i` in `0..k`. With `prevent_singularity`, an
//!   `h2` of 0 is replaced by HMAC-MD5 of the token followed by the UTF-8 of `chr(j)` for
//!   `j = 0, 1, …` until it is not 0.
//!
//! The filters of all features are OR-ed, then XOR-folded.

use super::bits::Bits;
use super::model::{LinkageError, Progress, Table};
use super::schema::{HashKind, Hashing, Schema, Strategy};
use blake2::digest::{FixedOutput, Mac, Update};
use blake2::Blake2bMac512;
use hmac::Hmac;
use md5::Md5;
use sha1::Sha1;
use std::collections::HashMap;

/// A schema with its keys derived, ready to encode records.
pub struct Encoder {
    schema: Schema,
    hashers: Vec<Option<Hasher>>,
}

enum Hasher {
    /// One prepared MAC per salt `0..n`.
    Blake(Vec<Blake2bMac512>),
    Double {
        sha1: Box<Hmac<Sha1>>,
        md5: Box<Hmac<Md5>>,
    },
}

impl Hasher {
    fn new(h: &Hashing, k0: &[u8], k1: &[u8]) -> Result<Self, LinkageError> {
        let bad_key = |_| LinkageError::Schema("a derived key does not fit the hash".into());
        Ok(match h.hash {
            HashKind::Blake => {
                // One digest gives 32 bits; a token never needs more than the largest k.
                let (Strategy::BitsPerToken(max_k) | Strategy::BitsPerFeature(max_k)) = h.strategy;
                let macs = (0..max_k.div_ceil(32))
                    .map(|i| {
                        Blake2bMac512::new_with_salt_and_personal(k0, i.to_string().as_bytes(), &[])
                            .map_err(bad_key)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Hasher::Blake(macs)
            }
            HashKind::Double { .. } => Hasher::Double {
                sha1: Box::new(<Hmac<Sha1> as Mac>::new_from_slice(k0).map_err(bad_key)?),
                md5: Box::new(<Hmac<Md5> as Mac>::new_from_slice(k1).map_err(bad_key)?),
            },
        })
    }
}

impl Encoder {
    /// Derives the keys from the shared secret (its UTF-8 bytes, as clkhash).
    pub fn new(schema: Schema, secret: &str) -> Result<Self, LinkageError> {
        let keys = schema.derive_keys(secret.as_bytes())?;
        let hashers = schema
            .features
            .iter()
            .zip(&keys)
            .map(|(f, [k0, k1])| {
                f.hashing
                    .as_ref()
                    .map(|h| Hasher::new(h, k0, k1))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Encoder { schema, hashers })
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Encodes one record. `values[i]` is the value of feature `i` (`None` for an ignored
    /// feature). An error names the feature's position and what is wrong.
    pub fn encode(&self, values: &[Option<&str>]) -> Result<Bits, (usize, String)> {
        self.encode_cached(values, &mut TokenCache::default())
    }

    /// [`Encoder::encode`] with a cache of the bit positions of tokens seen before.
    pub fn encode_cached(
        &self,
        values: &[Option<&str>],
        cache: &mut TokenCache,
    ) -> Result<Bits, (usize, String)> {
        let len = self.schema.hash_len();
        let mut filter = Bits::new(len);
        let mut bytes = Vec::new();
        for (i, (feature, hasher)) in self.schema.features.iter().zip(&self.hashers).enumerate() {
            let (Some(h), Some(hasher)) = (&feature.hashing, hasher) else {
                continue;
            };
            let value = values.get(i).copied().flatten().unwrap_or("");
            let tokens = tokens_of(h, value).map_err(|m| (i, m))?;
            if tokens.is_empty() {
                continue;
            }
            let ks = h.strategy.ks(tokens.len());
            for (token, k) in tokens.iter().zip(ks) {
                h.encoding.encode(token, &mut bytes);
                let positions = cache.positions(i, &bytes, k, |bytes| match (hasher, h.hash) {
                    (Hasher::Blake(macs), _) => Ok(blake_bits(macs, bytes, k, len)),
                    (
                        Hasher::Double { sha1, md5 },
                        HashKind::Double {
                            prevent_singularity,
                        },
                    ) => double_bits(sha1, md5, bytes, k, len, prevent_singularity),
                    (Hasher::Double { .. }, HashKind::Blake) => Ok(Vec::new()),
                });
                for &p in positions.map_err(|m| (i, m))? {
                    filter.set(p as usize);
                }
            }
        }
        Ok(filter.fold_xor(self.schema.xor_folds))
    }

    /// Encodes every row of a table, in order, on `threads` threads. The schema's
    /// identifiers name the columns; ignored features need none.
    pub fn encode_table(
        &self,
        table: &Table,
        threads: usize,
        progress: &dyn Progress,
    ) -> Result<Vec<Bits>, LinkageError> {
        let cols = self
            .schema
            .features
            .iter()
            .map(|f| {
                f.hashing
                    .as_ref()
                    .map(|_| table.column(&f.identifier))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        progress.start("encoding", table.len() as u64);
        let mut out: Vec<Option<Bits>> = vec![None; table.len()];
        let chunk = table.len().div_ceil(threads.max(1)).max(1);
        let results: Vec<Result<(), LinkageError>> = std::thread::scope(|s| {
            let handles: Vec<_> = out
                .chunks_mut(chunk)
                .zip(table.rows.chunks(chunk))
                .enumerate()
                .map(|(c, (out, rows))| {
                    let cols = &cols;
                    s.spawn(move || {
                        let mut values: Vec<Option<&str>> = Vec::with_capacity(cols.len());
                        let mut cache = TokenCache::default();
                        for (j, (slot, row)) in out.iter_mut().zip(rows).enumerate() {
                            values.clear();
                            values.extend(
                                cols.iter()
                                    .map(|c| c.map(|c| row.get(c).map_or("", String::as_str))),
                            );
                            let bits = self.encode_cached(&values, &mut cache).map_err(
                                |(f, message)| LinkageError::Entry {
                                    row: c * chunk + j + 1,
                                    column: self.schema.features[f].identifier.clone(),
                                    message,
                                },
                            )?;
                            *slot = Some(bits);
                            if j % 1024 == 1023 {
                                progress.advance(1024);
                            }
                        }
                        progress.advance((rows.len() % 1024) as u64);
                        Ok(())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(LinkageError::Clks("an encoding thread failed".into()))
                    })
                })
                .collect()
        });
        // The first error in row order, as a single thread would have found it.
        let mut errors: Vec<LinkageError> = results.into_iter().filter_map(Result::err).collect();
        errors.sort_by_key(|e| {
            if let LinkageError::Entry { row, .. } = e {
                *row
            } else {
                0
            }
        });
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }
}

impl Default for Bits {
    fn default() -> Self {
        Bits::new(0)
    }
}

/// clkhash's `crypto_bloom_filter` for one feature up to the tokens: a missing value is
/// replaced (and not validated or formatted); anything else is validated, then formatted.
fn tokens_of(h: &Hashing, value: &str) -> Result<Vec<String>, String> {
    let text = match &h.missing {
        Some((sentinel, replace)) if sentinel == value => replace.clone(),
        _ => {
            h.format.validate(value, h.encoding)?;
            h.format.format(value)?
        }
    };
    h.tokenizer.tokenize(&text)
}

fn blake_bits(macs: &[Blake2bMac512], token: &[u8], k: u32, len: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(k as usize);
    let mut left = k as usize;
    for mac in macs {
        if left == 0 {
            break;
        }
        let mut m = mac.clone();
        Update::update(&mut m, token);
        let digest = m.finalize_fixed();
        for pair in digest.chunks(2).take(left.min(32)) {
            let short = u16::from_le_bytes([pair[0], pair[1]]) as usize;
            out.push((short % len) as u32);
        }
        left = left.saturating_sub(32);
    }
    out
}

/// A digest read as a big-endian number, modulo `len`.
fn mod_len(digest: &[u8], len: usize) -> u64 {
    let l = len as u128;
    digest
        .iter()
        .fold(0u128, |r, b| (r * 256 + u128::from(*b)) % l) as u64
}

fn double_bits(
    sha1: &Hmac<Sha1>,
    md5: &Hmac<Md5>,
    token: &[u8],
    k: u32,
    len: usize,
    prevent_singularity: bool,
) -> Result<Vec<u32>, String> {
    let mac = |m: &Hmac<Md5>, data: &[&[u8]]| {
        let mut m = m.clone();
        for d in data {
            Mac::update(&mut m, d);
        }
        m.finalize().into_bytes()
    };
    let mut s = sha1.clone();
    Mac::update(&mut s, token);
    let h1 = mod_len(&s.finalize().into_bytes(), len);
    let mut h2 = mod_len(&mac(md5, &[token]), len);
    let mut j = 0u32;
    while prevent_singularity && h2 == 0 {
        let c = char::from_u32(j).ok_or("no non-singular hash found")?;
        let mut utf8 = [0u8; 4];
        h2 = mod_len(
            &mac(md5, &[token, c.encode_utf8(&mut utf8).as_bytes()]),
            len,
        );
        j += 1;
    }
    let l = len as u128;
    Ok((0..u128::from(k))
        .map(|i| ((u128::from(h1) + i * u128::from(h2)) % l) as u32)
        .collect())
}

/// The bit positions of tokens hashed before, per feature. Names and dates repeat their
/// n-grams, so in a large file most tokens have been hashed already (clkhash keeps an
/// LRU cache for the same reason). A token's first `k` positions do not depend on `k`,
/// so positions computed for a larger `k` serve a smaller one.
#[derive(Default)]
pub struct TokenCache {
    map: HashMap<Vec<u8>, Vec<u32>>,
    key: Vec<u8>,
}

impl TokenCache {
    const MAX_ENTRIES: usize = 1 << 18;

    fn positions(
        &mut self,
        feature: usize,
        token: &[u8],
        k: u32,
        hash: impl FnOnce(&[u8]) -> Result<Vec<u32>, String>,
    ) -> Result<&[u32], String> {
        self.key.clear();
        self.key.extend_from_slice(&(feature as u32).to_le_bytes());
        self.key.extend_from_slice(token);
        let k = k as usize;
        let known = self
            .map
            .get(self.key.as_slice())
            .is_some_and(|p| p.len() >= k);
        if !known {
            if self.map.len() >= Self::MAX_ENTRIES {
                self.map.clear();
            }
            let positions = hash(token)?;
            self.map.insert(self.key.clone(), positions);
        }
        Ok(self
            .map
            .get(self.key.as_slice())
            .map_or(&[][..], |p| &p[..k.min(p.len())]))
    }
}
