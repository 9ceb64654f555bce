//! clkhash's linkage schema, version 3: how each column is validated, cut into tokens
//! and hashed into the Bloom filter, and how the per-field keys are derived from the
//! shared secret.
//!
//! The checks follow clkhash's master schema (`schemas/v3.json`) and its loader
//! (`clkhash.schema.from_json_dict`), including its quirks: the number of XOR folds is
//! read from `clkConfig.xor_folds` (clkhash ignores the documented `xorFolds`, so Haven
//! refuses a non-zero `xorFolds` rather than silently differ), and `prevent_singularity`
//! is refused with `blakeHash`.

use super::formats::{FieldFormat, TextEncoding};
use super::model::LinkageError;
use super::tokens::Tokenizer;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

/// A parsed, checked linkage schema.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The length of a CLK in bits, after XOR folding.
    pub l: usize,
    pub xor_folds: u32,
    pub kdf: Kdf,
    pub features: Vec<Feature>,
}

/// HKDF (RFC 5869) settings: the only key derivation schema v3 allows.
#[derive(Debug, Clone)]
pub struct Kdf {
    pub hash: KdfHash,
    pub salt: Option<Vec<u8>>,
    pub info: Option<Vec<u8>>,
    pub key_size: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdfHash {
    Sha256,
    Sha512,
}

/// One column of the schema, in the schema's order (keys are derived per feature, ignored
/// ones included).
#[derive(Debug, Clone)]
pub struct Feature {
    pub identifier: String,
    /// `None` for an ignored feature.
    pub hashing: Option<Hashing>,
}

#[derive(Debug, Clone)]
pub struct Hashing {
    pub format: FieldFormat,
    pub tokenizer: Tokenizer,
    pub strategy: Strategy,
    pub hash: HashKind,
    pub encoding: TextEncoding,
    /// The sentinel that marks a missing value and what is hashed in its place.
    pub missing: Option<(String, String)>,
}

/// How often each token is inserted into the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    BitsPerToken(u32),
    BitsPerFeature(u32),
}

impl Strategy {
    /// clkhash's `bits_per_token`: `k` for each of `n` tokens.
    pub fn ks(self, n: usize) -> Vec<u32> {
        match self {
            Strategy::BitsPerToken(k) => vec![k; n],
            Strategy::BitsPerFeature(total) => {
                let n32 = u32::try_from(n).unwrap_or(u32::MAX);
                let (k, residue) = (total / n32, (total % n32) as usize);
                (0..n)
                    .map(|i| if i < residue { k + 1 } else { k })
                    .collect()
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    Blake,
    Double { prevent_singularity: bool },
}

impl Schema {
    /// Parses a schema from JSON text.
    pub fn from_json(text: &str) -> Result<Self, LinkageError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| LinkageError::Schema(format!("not JSON: {e}")))?;
        Self::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<Self, LinkageError> {
        let err = |m: String| LinkageError::Schema(m);
        let obj = value
            .as_object()
            .ok_or_else(|| err("the top level must be an object".into()))?;
        match obj.get("version").and_then(Value::as_f64) {
            Some(3.0) => {}
            Some(v) => {
                return Err(err(format!(
                    "version {v} is not supported; Haven reads clkhash linkage schema version 3"
                )))
            }
            None => return Err(err("a \"version\" number is required".into())),
        }
        let config: RawClkConfig = parse(obj.get("clkConfig"), "clkConfig")?;
        if config.l < 1 {
            return Err(err("clkConfig.l must be at least 1".into()));
        }
        if config.xor_folds_documented.unwrap_or(0) != 0 {
            return Err(err("clkConfig.xorFolds is ignored by clkhash, so CLKs would differ; use \"xor_folds\" as clkhash reads it".into()));
        }
        let kdf = config.kdf.check()?;
        let features = obj
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| err("\"features\" must be a list".into()))?
            .iter()
            .enumerate()
            .map(|(i, f)| parse_feature(f).map_err(|m| err(format!("feature {}: {m}", i + 1))))
            .collect::<Result<Vec<_>, _>>()?;
        let hash_l = Some(config.l)
            .and_then(|l| l.checked_shl(config.xor_folds.unwrap_or(0)))
            .filter(|h| *h <= 1 << 32)
            .ok_or_else(|| err("l × 2^xor_folds is too large".into()))?;
        let uses_blake = features.iter().any(|f| {
            matches!(
                f.hashing,
                Some(Hashing {
                    hash: HashKind::Blake,
                    ..
                })
            )
        });
        if uses_blake && !hash_l.is_power_of_two() {
            return Err(err(format!(
                "blakeHash needs l × 2^xor_folds to be a power of two, not {hash_l}"
            )));
        }
        if uses_blake && kdf.key_size > 64 {
            return Err(err(
                "blakeHash takes keys of at most 64 bytes (kdf.keySize)".into(),
            ));
        }
        Ok(Schema {
            l: config.l as usize,
            xor_folds: config.xor_folds.unwrap_or(0),
            kdf,
            features,
        })
    }

    /// The Bloom filter's length before folding.
    pub fn hash_len(&self) -> usize {
        self.l << self.xor_folds
    }

    /// clkhash's `generate_key_lists`: HKDF over the secret (UTF-8) gives two keys for each
    /// feature, ignored ones included; the first is BLAKE2's or HMAC-SHA1's, the second
    /// HMAC-MD5's.
    pub fn derive_keys(&self, secret: &[u8]) -> Result<Vec<[Vec<u8>; 2]>, LinkageError> {
        let n = self.features.len() * 2;
        let mut okm = vec![0u8; n * self.kdf.key_size];
        let salt = self.kdf.salt.as_deref();
        let info = self.kdf.info.as_deref().unwrap_or(&[]);
        let too_long = |_| {
            LinkageError::Schema(format!(
                "HKDF cannot derive {} keys of {} bytes (at most 255 hash lengths in all)",
                n, self.kdf.key_size
            ))
        };
        match self.kdf.hash {
            KdfHash::Sha256 => hkdf::Hkdf::<sha2::Sha256>::new(salt, secret)
                .expand(info, &mut okm)
                .map_err(too_long)?,
            KdfHash::Sha512 => hkdf::Hkdf::<sha2::Sha512>::new(salt, secret)
                .expand(info, &mut okm)
                .map_err(too_long)?,
        }
        let keys: Vec<&[u8]> = okm.chunks(self.kdf.key_size).collect();
        Ok(keys
            .chunks(2)
            .map(|k| [k[0].to_vec(), k[1].to_vec()])
            .collect())
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: Option<&Value>, what: &str) -> Result<T, LinkageError> {
    let v = v.ok_or_else(|| LinkageError::Schema(format!("\"{what}\" is required")))?;
    serde_json::from_value(v.clone()).map_err(|e| LinkageError::Schema(format!("{what}: {e}")))
}

#[derive(Deserialize)]
struct RawClkConfig {
    l: u64,
    kdf: RawKdf,
    xor_folds: Option<u32>,
    #[serde(rename = "xorFolds")]
    xor_folds_documented: Option<u32>,
}

#[derive(Deserialize)]
struct RawKdf {
    #[serde(rename = "type")]
    kind: String,
    hash: Option<String>,
    salt: Option<String>,
    info: Option<String>,
    #[serde(rename = "keySize")]
    key_size: Option<usize>,
}

impl RawKdf {
    fn check(self) -> Result<Kdf, LinkageError> {
        let err = |m: String| LinkageError::Schema(m);
        if self.kind != "HKDF" {
            return Err(err(format!(
                "kdf type '{}' is not supported (only HKDF)",
                self.kind
            )));
        }
        let hash = match self.hash.as_deref() {
            None | Some("SHA256") => KdfHash::Sha256,
            Some("SHA512") => KdfHash::Sha512,
            Some(h) => return Err(err(format!("kdf hash '{h}' is not SHA256 or SHA512"))),
        };
        let b64 = |s: Option<String>, what: &str| {
            s.map(|s| {
                STANDARD
                    .decode(s.trim())
                    .map_err(|e| err(format!("kdf {what} is not base64: {e}")))
            })
            .transpose()
        };
        let key_size = self.key_size.unwrap_or(64);
        if key_size == 0 {
            return Err(err("kdf keySize must be at least 1".into()));
        }
        Ok(Kdf {
            hash,
            salt: b64(self.salt, "salt")?,
            info: b64(self.info, "info")?,
            key_size,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeature {
    identifier: String,
    #[serde(default)]
    ignored: bool,
    #[allow(dead_code)]
    description: Option<String>,
    format: Option<Value>,
    hashing: Option<RawHashing>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHashing {
    comparison: Value,
    strategy: RawStrategy,
    hash: Option<RawHash>,
    #[serde(rename = "missingValue")]
    missing_value: Option<RawMissing>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrategy {
    #[serde(rename = "bitsPerToken")]
    bits_per_token: Option<u32>,
    #[serde(rename = "bitsPerFeature")]
    bits_per_feature: Option<u32>,
}

#[derive(Deserialize)]
struct RawHash {
    #[serde(rename = "type")]
    kind: String,
    prevent_singularity: Option<bool>,
}

#[derive(Deserialize)]
struct RawMissing {
    sentinel: String,
    #[serde(rename = "replaceWith")]
    replace_with: Option<String>,
}

fn parse_feature(v: &Value) -> Result<Feature, String> {
    let raw: RawFeature = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    let name = raw.identifier.clone();
    let in_feature = |m: String| format!("'{name}': {m}");
    if raw.ignored {
        return Ok(Feature {
            identifier: raw.identifier,
            hashing: None,
        });
    }
    let (Some(format), Some(h)) = (raw.format, raw.hashing) else {
        return Err(in_feature(
            "needs \"format\" and \"hashing\" unless it is ignored".into(),
        ));
    };
    let (format, encoding) = FieldFormat::from_json(&format).map_err(in_feature)?;
    let tokenizer = Tokenizer::from_json(&h.comparison).map_err(in_feature)?;
    let strategy = match (h.strategy.bits_per_token, h.strategy.bits_per_feature) {
        (Some(k), None) if k >= 1 => Strategy::BitsPerToken(k),
        (None, Some(k)) if k >= 1 => Strategy::BitsPerFeature(k),
        _ => {
            return Err(in_feature(
                "strategy needs exactly one of bitsPerToken or bitsPerFeature, at least 1".into(),
            ))
        }
    };
    let hash = match h.hash {
        None => HashKind::Blake,
        Some(RawHash {
            kind,
            prevent_singularity,
        }) => match (kind.as_str(), prevent_singularity) {
            ("blakeHash", None) => HashKind::Blake,
            ("blakeHash", Some(_)) => {
                return Err(in_feature(
                    "prevent_singularity is only for doubleHash".into(),
                ))
            }
            ("doubleHash", p) => HashKind::Double {
                prevent_singularity: p.unwrap_or(false),
            },
            (other, _) => return Err(in_feature(format!("unknown hash type '{other}'"))),
        },
    };
    let missing = h.missing_value.map(|m| {
        let replace = m.replace_with.unwrap_or_else(|| m.sentinel.clone());
        (m.sentinel, replace)
    });
    Ok(Feature {
        identifier: raw.identifier,
        hashing: Some(Hashing {
            format,
            tokenizer,
            strategy,
            hash,
            encoding,
            missing,
        }),
    })
}
