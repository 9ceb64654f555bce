//! The schema's comparisons: how a formatted value is cut into the tokens that are hashed
//! (clkhash's `comparators`).

use super::formats::parse_int;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Tokenizer {
    /// n-grams of the value padded with `n - 1` spaces on each side; positional n-grams
    /// are prefixed with their 1-based position and a space (`"1  c"`).
    Ngram { n: usize, positional: bool },
    /// The whole value as one token.
    Exact,
    /// Vatsalan and Christen's neighbourhood of a number: `2 × resolution + 1` tokens,
    /// so that close numbers share tokens.
    Numeric {
        distance_interval: i128,
        resolution: i128,
        fractional_precision: u32,
    },
}

impl Tokenizer {
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let obj = v.as_object().ok_or("comparison must be an object")?;
        match obj.get("type").and_then(Value::as_str) {
            Some("ngram") => {
                let n = obj
                    .get("n")
                    .and_then(Value::as_u64)
                    .filter(|n| *n >= 1)
                    .ok_or("an ngram comparison needs \"n\", an integer of at least 1")?;
                let positional = match obj.get("positional") {
                    None => false,
                    Some(Value::Bool(b)) => *b,
                    Some(_) => return Err("\"positional\" must be true or false".into()),
                };
                Ok(Tokenizer::Ngram {
                    n: n as usize,
                    positional,
                })
            }
            Some("exact") => Ok(Tokenizer::Exact),
            Some("numeric") => {
                let distance = obj
                    .get("thresholdDistance")
                    .and_then(Value::as_f64)
                    .filter(|d| *d > 0.0)
                    .ok_or("a numeric comparison needs a positive \"thresholdDistance\"")?;
                let resolution = obj
                    .get("resolution")
                    .and_then(Value::as_i64)
                    .filter(|r| *r >= 1)
                    .ok_or("a numeric comparison needs \"resolution\", an integer of at least 1")?;
                let fractional_precision = match obj.get("fractional_precision") {
                    None => 0,
                    Some(p) => p
                        .as_u64()
                        .filter(|p| *p <= 18)
                        .ok_or("\"fractional_precision\" must be an integer from 0 to 18")?
                        as u32,
                };
                // Python: int(round(threshold_distance * pow(10, fractional_precision))).
                let scaled = (distance * 10u64.pow(fractional_precision) as f64).round_ties_even();
                if !(1.0..=1e30).contains(&scaled) {
                    return Err(
                        "not enough fractional precision to encode thresholdDistance".into(),
                    );
                }
                Ok(Tokenizer::Numeric {
                    distance_interval: scaled as i128,
                    resolution: i128::from(resolution),
                    fractional_precision,
                })
            }
            Some(t) => Err(format!("unsupported comparison strategy: '{t}'")),
            None => Err("comparison needs a \"type\"".into()),
        }
    }

    /// The tokens of a formatted value; none for an empty value.
    pub fn tokenize(&self, word: &str) -> Result<Vec<String>, String> {
        if word.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Tokenizer::Exact => Ok(vec![word.to_owned()]),
            Tokenizer::Ngram { n, positional } => {
                let pad = " ".repeat(n - 1);
                let chars: Vec<char> = format!("{pad}{word}{pad}").chars().collect();
                Ok(chars
                    .windows(*n)
                    .enumerate()
                    .map(|(i, w)| {
                        let gram: String = w.iter().collect();
                        if *positional {
                            format!("{} {gram}", i + 1)
                        } else {
                            gram
                        }
                    })
                    .collect())
            }
            Tokenizer::Numeric {
                distance_interval,
                resolution,
                fractional_precision,
            } => numeric_tokens(word, *distance_interval, *resolution, *fractional_precision),
        }
    }
}

fn numeric_tokens(word: &str, di: i128, resolution: i128, fp: u32) -> Result<Vec<String>, String> {
    let scale = 10i128.pow(fp);
    let v = match parse_int(word) {
        Some(v) => v.checked_mul(scale),
        None => {
            let f: f64 = word
                .trim()
                .replace('_', "")
                .parse()
                .map_err(|_| format!("could not convert string to float: '{word}'"))?;
            if !f.is_finite() {
                return Err(format!("cannot convert '{word}' to an integer"));
            }
            // Python: int(round(v * 10**p)) with a precision, int(v) (truncation) without.
            let x = if fp > 0 {
                (f * 10u64.pow(fp) as f64).round_ties_even()
            } else {
                f.trunc()
            };
            (x.abs() < 1e30).then_some(x as i128)
        }
    };
    let v = v
        .and_then(|v| v.checked_mul(2 * resolution))
        .ok_or_else(|| format!("'{word}' is too large a number"))?;
    let residue = v.rem_euclid(di);
    let v = if residue == 0 {
        v
    } else if 2 * residue < di {
        v - residue
    } else {
        v + (di - residue)
    };
    Ok((-resolution..=resolution)
        .map(|i| (v + i * di).to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::Tokenizer;

    #[test]
    fn ngrams_as_clkhash_documents_them() {
        let t = Tokenizer::Ngram {
            n: 2,
            positional: false,
        };
        assert_eq!(
            t.tokenize("clkhash").unwrap(),
            [" c", "cl", "lk", "kh", "ha", "as", "sh", "h "]
        );
        let p = Tokenizer::Ngram {
            n: 2,
            positional: true,
        };
        assert_eq!(p.tokenize("ab").unwrap(), ["1  a", "2 ab", "3 b "]);
        assert!(t.tokenize("").unwrap().is_empty());
    }

    #[test]
    fn numeric_neighbourhoods() {
        // clkhash's docstring: threshold 8, resolution 2 → x=25 gives 88 … 120.
        let t = Tokenizer::Numeric {
            distance_interval: 8,
            resolution: 2,
            fractional_precision: 0,
        };
        assert_eq!(t.tokenize("25").unwrap(), ["88", "96", "104", "112", "120"]);
    }
}
