//! Field formats of the linkage schema: which values a column accepts and the text that
//! is tokenised for each (clkhash's `field_formats`). An integer is hashed in its plain
//! form (`+13`, ` 13` and `13` all as `13`), a date as `YYYYMMDD`, a string and an enum
//! value as they are.

use super::strptime;
use regex::Regex;
use serde_json::Value;

/// How a string is turned into bytes before hashing (Python's codec of that name: the
/// UTF-16 and UTF-32 codecs write a byte-order mark before every token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Ascii,
    Utf16,
    Utf32,
}

impl TextEncoding {
    pub fn encode(self, s: &str, out: &mut Vec<u8>) {
        out.clear();
        match self {
            TextEncoding::Utf8 | TextEncoding::Ascii => out.extend_from_slice(s.as_bytes()),
            TextEncoding::Utf16 => {
                out.extend_from_slice(&[0xFF, 0xFE]);
                for u in s.encode_utf16() {
                    out.extend_from_slice(&u.to_le_bytes());
                }
            }
            TextEncoding::Utf32 => {
                out.extend_from_slice(&[0xFF, 0xFE, 0, 0]);
                for c in s.chars() {
                    out.extend_from_slice(&u32::from(c).to_le_bytes());
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextCase {
    Upper,
    Lower,
    Mixed,
}

#[derive(Debug, Clone)]
pub enum FieldFormat {
    Text {
        pattern: Option<Regex>,
        case: TextCase,
        min_length: Option<usize>,
        max_length: Option<usize>,
    },
    Integer {
        minimum: Option<i128>,
        maximum: Option<i128>,
    },
    Date {
        format: String,
    },
    Enum {
        values: Vec<String>,
    },
}

fn no_other_keys(obj: &serde_json::Map<String, Value>, allowed: &[&str]) -> Result<(), String> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("format does not allow \"{k}\"")),
        None => Ok(()),
    }
}

impl FieldFormat {
    /// Parses a feature's `format` object; also returns the string encoding (UTF-8 unless a
    /// string format names another).
    pub fn from_json(v: &Value) -> Result<(Self, TextEncoding), String> {
        let obj = v.as_object().ok_or("format must be an object")?;
        let int = |k: &str| -> Result<Option<i128>, String> {
            match obj.get(k) {
                None => Ok(None),
                Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {
                    Ok(n.as_i64().map(i128::from).or(n.as_u64().map(i128::from)))
                }
                Some(_) => Err(format!("format.{k} must be an integer")),
            }
        };
        let text = |k: &str| -> Result<Option<String>, String> {
            match obj.get(k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("format.{k} must be a string")),
            }
        };
        let mut encoding = TextEncoding::Utf8;
        let format = match obj.get("type").and_then(Value::as_str) {
            Some("string") => {
                encoding = match text("encoding")?.as_deref() {
                    None | Some("utf-8") => TextEncoding::Utf8,
                    Some("ascii") => TextEncoding::Ascii,
                    Some("utf-16") => TextEncoding::Utf16,
                    Some("utf-32") => TextEncoding::Utf32,
                    Some(e) => {
                        return Err(format!(
                            "encoding '{e}' is not ascii, utf-8, utf-16 or utf-32"
                        ))
                    }
                };
                let length = |k: &str, min: i128| -> Result<Option<usize>, String> {
                    match int(k)? {
                        Some(n) if n < min => Err(format!("format.{k} must be at least {min}")),
                        n => Ok(n.map(|n| usize::try_from(n).unwrap_or(usize::MAX))),
                    }
                };
                if let Some(p) = text("pattern")? {
                    no_other_keys(obj, &["type", "encoding", "pattern", "description"])?;
                    // Python's re.fullmatch: the whole value must match.
                    let re = Regex::new(&format!("^(?:{p})$"))
                        .map_err(|e| format!("pattern '{p}' is not a regular expression: {e}"))?;
                    FieldFormat::Text {
                        pattern: Some(re),
                        case: TextCase::Mixed,
                        min_length: None,
                        max_length: None,
                    }
                } else {
                    no_other_keys(
                        obj,
                        &[
                            "type",
                            "encoding",
                            "case",
                            "minLength",
                            "maxLength",
                            "description",
                        ],
                    )?;
                    let case = match text("case")?.as_deref() {
                        None | Some("mixed") => TextCase::Mixed,
                        Some("upper") => TextCase::Upper,
                        Some("lower") => TextCase::Lower,
                        Some(c) => return Err(format!("case '{c}' is not upper, lower or mixed")),
                    };
                    FieldFormat::Text {
                        pattern: None,
                        case,
                        min_length: length("minLength", 0)?,
                        max_length: length("maxLength", 1)?,
                    }
                }
            }
            Some("integer") => {
                no_other_keys(obj, &["type", "minimum", "maximum", "description"])?;
                FieldFormat::Integer {
                    minimum: int("minimum")?,
                    maximum: int("maximum")?,
                }
            }
            Some("date") => {
                no_other_keys(obj, &["type", "format", "description"])?;
                let format = text("format")?.ok_or("a date format needs \"format\" (strptime)")?;
                strptime::check_format(&format)?;
                FieldFormat::Date { format }
            }
            Some("enum") => {
                no_other_keys(obj, &["type", "values", "description"])?;
                let values = obj
                    .get("values")
                    .and_then(Value::as_array)
                    .ok_or("an enum format needs \"values\"")?
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or("enum values must be strings")
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                FieldFormat::Enum { values }
            }
            Some(t) => {
                return Err(format!(
                    "format type '{t}' is not string, integer, date or enum"
                ))
            }
            None => return Err("format needs a \"type\"".into()),
        };
        Ok((format, encoding))
    }

    /// clkhash's `validate`: is `s` a value of this format?
    pub fn validate(&self, s: &str, encoding: TextEncoding) -> Result<(), String> {
        if encoding == TextEncoding::Ascii && !s.is_ascii() {
            return Err(format!(
                "Expected entry that can be encoded in ascii. Read '{s}'."
            ));
        }
        match self {
            FieldFormat::Text {
                pattern: Some(re), ..
            } => {
                if !re.is_match(s) {
                    return Err(format!(
                        "Expected entry that conforms to regular expression '{}'. Read '{s}'.",
                        &re.as_str()[4..re.as_str().len() - 2]
                    ));
                }
            }
            FieldFormat::Text {
                pattern: None,
                case,
                min_length,
                max_length,
            } => {
                let n = s.chars().count();
                if min_length.is_some_and(|m| n < m) {
                    return Err(format!(
                        "Expected string length of at least {}. Read string '{s}' of length {n}.",
                        min_length.unwrap_or(0)
                    ));
                }
                if max_length.is_some_and(|m| n > m) {
                    return Err(format!(
                        "Expected string length of at most {}. Read string '{s}' of length {n}.",
                        max_length.unwrap_or(0)
                    ));
                }
                match case {
                    TextCase::Upper if s.to_uppercase() != s => {
                        return Err(format!("Expected upper case string. Read '{s}'."))
                    }
                    TextCase::Lower if s.to_lowercase() != s => {
                        return Err(format!("Expected lower case string. Read '{s}'."))
                    }
                    _ => {}
                }
            }
            FieldFormat::Integer { minimum, maximum } => {
                let v = parse_int(s).ok_or_else(|| format!("Invalid integer. Read '{s}'."))?;
                if minimum.is_some_and(|m| v < m) {
                    return Err(format!(
                        "Expected integer value of at least {}. Read '{v}'.",
                        minimum.unwrap_or(0)
                    ));
                }
                if maximum.is_some_and(|m| v > m) {
                    return Err(format!(
                        "Expected integer value of at most {}. Read '{v}'.",
                        maximum.unwrap_or(0)
                    ));
                }
            }
            FieldFormat::Date { format } => {
                strptime::parse(s, format)
                    .map_err(|e| format!("Validation error for date type: {e}"))?;
            }
            FieldFormat::Enum { values } => {
                if !values.iter().any(|v| v == s) {
                    return Err(format!(
                        "Expected enum value to be one of {values:?}. Read '{s}'."
                    ));
                }
            }
        }
        Ok(())
    }

    /// clkhash's `_format_regular_value`: the text that is tokenised.
    pub fn format(&self, s: &str) -> Result<String, String> {
        match self {
            FieldFormat::Integer { .. } => parse_int(s)
                .map(|v| v.to_string())
                .ok_or_else(|| format!("Invalid integer. Read '{s}'.")),
            FieldFormat::Date { format } => {
                let (y, m, d) = strptime::parse(s, format)
                    .map_err(|e| format!("Unable to format date value '{s}'. Reason: {e}"))?;
                // Python's strftime('%Y') does not pad years below 1000.
                Ok(format!("{y}{m:02}{d:02}"))
            }
            FieldFormat::Text { .. } | FieldFormat::Enum { .. } => Ok(s.to_owned()),
        }
    }
}

/// Python's `int(s, 10)`: surrounding whitespace, an optional sign, ASCII digits with
/// single underscores between them.
pub fn parse_int(s: &str) -> Option<i128> {
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut v: i128 = 0;
    for c in digits.chars().filter(|c| *c != '_') {
        v = v
            .checked_mul(10)?
            .checked_add(i128::from(c.to_digit(10)?))?;
    }
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_integers() {
        assert_eq!(parse_int(" +0012 "), Some(12));
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("-7"), Some(-7));
        for bad in ["", "+", "1__0", "_1", "1.0", "0x10", "12a"] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
    }

    #[test]
    fn utf16_and_utf32_write_a_byte_order_mark() {
        let mut out = Vec::new();
        TextEncoding::Utf16.encode("é", &mut out);
        assert_eq!(out, b"\xff\xfe\xe9\x00");
        TextEncoding::Utf32.encode("ab", &mut out);
        assert_eq!(out, b"\xff\xfe\x00\x00a\x00\x00\x00b\x00\x00\x00");
    }
}
