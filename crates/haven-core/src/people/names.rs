//! Name matching that works on encrypted data.
//!
//! Names are never stored in plaintext. Instead each name and alias is cut into tokens, each
//! token is reduced to a **spelling key**, and only a keyed HMAC of the key (a blind index,
//! see `crypto`) is stored. A search computes the same keys for the query and looks up their
//! HMACs. How a name becomes keys:
//!
//! 1. Any script is transliterated to Latin letters (`deunicode`): محمد → "mhmd".
//! 2. Lower-cased and split at anything that is not a letter or digit: "Abd al-Rahman" →
//!    `abd`, `al`, `rahman`.
//! 3. Each token becomes its *skeleton*: common digraphs are merged (ph→f, th→t, dh→d,
//!    gh→g, kh→k, ck→k, q→k, c→k, dj→j), a leading vowel becomes `a`, later vowels
//!    (a e i o u y) are dropped, doubled consonants collapse and a final `h` after a vowel
//!    goes. "Mohammed", "Muhammad", "Mohamed" and "Mohamad" all become `mhmd`;
//!    "Youssef" and "Yusuf" become `ysf`; "Fatimah" and "Fatima" become `ftm`.
//! 4. Besides each single token, the runs of two and three neighbouring tokens and the whole
//!    name are joined and keyed too, so "Abdelrahman" (`abdlrhmn`) matches "Abd al-Rahman"
//!    (`abd`+`al`+`rahman` joined → `abdlrhmn`) in either direction.
//!
//! A query matches a person when every query token's key is among the person's keys (so the
//! order of names does not matter), or when the whole query joined is. The cost: the index
//! reveals which persons share a spelling key, never the key itself; and distinct names
//! with the same skeleton (e.g. "Mohammed" and "Mahmoud", both `mhmd`) are found together,
//! which the person searching tells apart on the result page.

use deunicode::deunicode;

/// At most this many tokens of one name are indexed; longer names are rare and the rest
/// still match through the joined forms.
const MAX_TOKENS: usize = 8;

fn tokens(s: &str) -> Vec<String> {
    deunicode(s)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TOKENS)
        .map(str::to_owned)
        .collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The spelling key of one token (see the module documentation).
pub fn skeleton(token: &str) -> String {
    let mut s = token.to_owned();
    for (from, to) in [
        ("ph", "f"),
        ("th", "t"),
        ("dh", "d"),
        ("gh", "g"),
        ("kh", "k"),
        ("ck", "k"),
        ("dj", "j"),
        ("q", "k"),
        ("c", "k"),
    ] {
        s = s.replace(from, to);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut last: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        let mapped = if i == 0 {
            if is_vowel(c) && c != 'y' {
                Some('a')
            } else {
                Some(c)
            }
        } else if is_vowel(c) || (c == 'h' && i == chars.len() - 1 && is_vowel(chars[i - 1])) {
            None
        } else {
            Some(c)
        };
        if let Some(m) = mapped {
            if last != Some(m) {
                out.push(m);
            }
            last = Some(m);
        }
    }
    out
}

/// All spelling keys of one name, for indexing. Duplicates removed.
pub fn index_keys(name: &str) -> Vec<String> {
    let toks = tokens(name);
    let mut keys = Vec::new();
    for i in 0..toks.len() {
        for len in 1..=3 {
            if i + len <= toks.len() {
                keys.push(skeleton(&toks[i..i + len].concat()));
            }
        }
    }
    if toks.len() > 3 {
        keys.push(skeleton(&toks.concat()));
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// The keys of a search: one per token (all must match), and the whole query joined (which
/// matches on its own). `None` when the query has no letters or digits.
pub fn query_keys(query: &str) -> Option<(Vec<String>, String)> {
    let toks = tokens(query);
    if toks.is_empty() {
        return None;
    }
    let mut each: Vec<String> = toks
        .iter()
        .map(|t| skeleton(t))
        .filter(|k| !k.is_empty())
        .collect();
    each.sort();
    each.dedup();
    let joined = skeleton(&toks.concat());
    if each.is_empty() || joined.is_empty() {
        return None;
    }
    Some((each, joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(query: &str, name: &str) -> bool {
        let keys = index_keys(name);
        let Some((each, joined)) = query_keys(query) else {
            return false;
        };
        each.iter().all(|k| keys.contains(k)) || keys.contains(&joined)
    }

    #[test]
    fn spelling_variants_of_common_names_match() {
        for v in [
            "Muhammad", "Mohamed", "Mohamad", "Mohammad", "MOHAMMED", "محمد",
        ] {
            assert!(matches("Mohammed", v), "Mohammed should find {v}");
        }
        assert!(matches("Youssef", "Yusuf"));
        assert!(matches("Fatimah", "Fatima"));
        assert!(matches("Omar", "Umar"));
    }

    #[test]
    fn compound_names_match_joined_or_split() {
        assert!(matches("Abdelrahman", "Abd al-Rahman"));
        assert!(matches("Abd al-Rahman", "Abdelrahman"));
        assert!(matches("Abdulrahman", "Abd el Rahman Osman"));
    }

    #[test]
    fn order_of_names_does_not_matter() {
        assert!(matches("Hassan Mohammed", "Mohamed Hassan"));
        assert!(matches("Hassan", "Mohamed Hassan"));
    }

    #[test]
    fn different_names_do_not_match() {
        assert!(!matches("Mohammed", "Ahmed"));
        assert!(!matches("Amina", "Mina"));
        assert!(!matches("Hassan Ali", "Hassan Omar"));
        assert!(query_keys(" - ").is_none());
    }
}
