//! Python's `datetime.strptime`, as far as dates go, so that a date field accepts exactly
//! what clkhash accepts and yields the same day.
//!
//! Python turns the format into a regular expression (`_strptime.TimeRE`): each directive
//! is an alternation tried in order (`%d` is `3[01]|[12]\d|0[1-9]|[1-9]| [1-9]`), a space
//! matches one or more whitespace characters, other characters match themselves ignoring
//! case, and the first match in that order must use up the whole value ("unconverted
//! data remains" otherwise). This module does the same with a small backtracking matcher.
//! Names are those of the C locale. Week-number directives (`%U %W %V %G %u`), `%z`
//! and `%Z` are not supported and are refused when the schema is read.

/// The alternatives of each numeric directive, in Python's order. `d` stands for any digit.
fn numeric(directive: char) -> Option<&'static [&'static str]> {
    Some(match directive {
        'd' => &["3[01]", "[12]d", "0[1-9]", "[1-9]", " [1-9]"],
        'm' => &["1[0-2]", "0[1-9]", "[1-9]"],
        'y' => &["dd"],
        'Y' => &["dddd"],
        'H' => &["2[0-3]", "[01]d", "d"],
        'I' => &["1[0-2]", "0[1-9]", "[1-9]"],
        'M' => &["[0-5]d", "d"],
        'S' => &["6[01]", "[0-5]d", "d"],
        'j' => &[
            "36[0-6]", "3[0-5]d", "[12]dd", "0[1-9]d", "00[1-9]", "[1-9]d", "0[1-9]", "[1-9]",
        ],
        'f' => &["dddddd", "ddddd", "dddd", "ddd", "dd", "d"],
        'w' => &["[0-6]"],
        _ => return None,
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Names a directive matches (lower case), longest first as Python sorts them.
fn names(directive: char) -> Option<Vec<String>> {
    let mut v: Vec<String> = match directive {
        'B' => MONTHS.iter().map(|m| (*m).to_owned()).collect(),
        'b' => MONTHS.iter().map(|m| m[..3].to_owned()).collect(),
        'A' => DAYS.iter().map(|d| (*d).to_owned()).collect(),
        'a' => DAYS.iter().map(|d| d[..3].to_owned()).collect(),
        'p' => vec!["am".into(), "pm".into()],
        _ => return None,
    };
    v.sort_by_key(|n| std::cmp::Reverse(n.len()));
    Some(v)
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Literal(char),
    Space,
    Directive(char),
}

fn compile(format: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            match chars.next() {
                None => return Err(format!("stray % in format '{format}'")),
                Some('%') => items.push(Item::Literal('%')),
                Some(d) if numeric(d).is_some() || names(d).is_some() => {
                    items.push(Item::Directive(d))
                }
                Some(d) => {
                    return Err(format!(
                        "'{d}' is a bad directive in format '%{d}' (or one Haven does not support)"
                    ))
                }
            }
        } else if c.is_whitespace() {
            if items.last() != Some(&Item::Space) {
                items.push(Item::Space);
            }
        } else {
            items.push(Item::Literal(c));
        }
    }
    Ok(items)
}

/// Checks a format when the schema is read.
pub fn check_format(format: &str) -> Result<(), String> {
    compile(format).map(|_| ())
}

/// Does `alt` (from [`numeric`]: digits, `d` for any digit, classes like `[0-5]` or
/// `[01]`) match at the start of `s`? Returns its length.
fn match_alt(alt: &str, s: &[char]) -> Option<usize> {
    let pat: Vec<char> = alt.chars().collect();
    let (mut i, mut n) = (0, 0);
    while i < pat.len() {
        let c = *s.get(n)?;
        let ok = match pat[i] {
            'd' => c.is_ascii_digit(),
            '[' => {
                let close = i + pat[i..].iter().position(|p| *p == ']')?;
                let class = &pat[i + 1..close];
                i = close;
                if class.len() == 3 && class[1] == '-' {
                    (class[0]..=class[2]).contains(&c)
                } else {
                    class.contains(&c)
                }
            }
            p => c == p,
        };
        if !ok {
            return None;
        }
        i += 1;
        n += 1;
    }
    Some(n)
}

type Captures = Vec<(char, String)>;

/// The first match of `items[k..]` at `pos` in Python's order; returns where it ends.
fn search(items: &[Item], k: usize, s: &[char], pos: usize, caps: &mut Captures) -> Option<usize> {
    let Some(item) = items.get(k) else {
        return Some(pos);
    };
    match item {
        Item::Literal(c) => {
            let here = s.get(pos)?;
            let same = here == c || here.to_lowercase().eq(c.to_lowercase());
            if same {
                search(items, k + 1, s, pos + 1, caps)
            } else {
                None
            }
        }
        Item::Space => {
            let n = s[pos..].iter().take_while(|c| c.is_whitespace()).count();
            // `\s+` is greedy: the longest run first, then shorter ones.
            (1..=n)
                .rev()
                .find_map(|len| search(items, k + 1, s, pos + len, caps))
        }
        Item::Directive(d) => {
            let candidates: Vec<usize> = if let Some(alts) = numeric(*d) {
                alts.iter()
                    .filter_map(|a| match_alt(a, &s[pos..]))
                    .collect()
            } else {
                let rest: String = s[pos..].iter().collect::<String>().to_lowercase();
                names(*d)
                    .unwrap_or_default()
                    .iter()
                    .filter(|n| rest.starts_with(n.as_str()))
                    .map(|n| n.chars().count())
                    .collect()
            };
            for len in candidates {
                caps.push((*d, s[pos..pos + len].iter().collect()));
                if let Some(end) = search(items, k + 1, s, pos + len, caps) {
                    return Some(end);
                }
                caps.pop();
            }
            None
        }
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `value` with a strptime `format`; returns (year, month, day).
pub fn parse(value: &str, format: &str) -> Result<(i32, u32, u32), String> {
    let items = compile(format)?;
    let s: Vec<char> = value.chars().collect();
    let mut caps = Vec::new();
    let end = search(&items, 0, &s, 0, &mut caps)
        .ok_or_else(|| format!("time data '{value}' does not match format '{format}'"))?;
    if end != s.len() {
        let rest: String = s[end..].iter().collect();
        return Err(format!("unconverted data remains: {rest}"));
    }
    let (mut year, mut month, mut day, mut julian) = (None, 1u32, 1u32, None);
    for (d, text) in &caps {
        let num = || text.trim().parse::<i32>().unwrap_or(0);
        match d {
            'Y' => year = Some(num()),
            'y' => {
                year = Some(if num() <= 68 {
                    num() + 2000
                } else {
                    num() + 1900
                })
            }
            'm' => month = num() as u32,
            'd' => day = num() as u32,
            'j' => julian = Some(num()),
            'B' | 'b' => {
                let t = text.to_lowercase();
                month = MONTHS
                    .iter()
                    .position(|m| *m == t || m[..3] == t)
                    .map_or(1, |i| i as u32 + 1);
            }
            _ => {}
        }
    }
    // Python validates 29 February without a year against 1904, then builds 1900-02-29.
    let year = year.unwrap_or(1900);
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year} is out of range"));
    }
    if let Some(j) = julian {
        // Python counts the day of the year from 1 January and lets it run into the next.
        let (mut y, mut m, mut rest) = (year, 1, j - 1);
        while rest >= days_in_month(y, m) as i32 {
            rest -= days_in_month(y, m) as i32;
            m += 1;
            if m > 12 {
                (y, m) = (y + 1, 1);
            }
        }
        return Ok((y, m, rest as u32 + 1));
    }
    if day > days_in_month(year, month) {
        return Err("day is out of range for month".into());
    }
    Ok((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn like_python() {
        assert_eq!(parse("05/01/1999", "%d/%m/%Y"), Ok((1999, 1, 5)));
        assert_eq!(parse("5/1/1999", "%d/%m/%Y"), Ok((1999, 1, 5)));
        assert_eq!(parse(" 5/1/1999", "%d/%m/%Y"), Ok((1999, 1, 5)));
        assert_eq!(parse("19990105", "%Y%m%d"), Ok((1999, 1, 5)));
        assert_eq!(parse("3 MARCH 21", "%d %B %y"), Ok((2021, 3, 3)));
        assert_eq!(parse("3   mar 69", "%d %b %y"), Ok((1969, 3, 3)));
        assert_eq!(parse("2000-060", "%Y-%j"), Ok((2000, 2, 29)));
        assert!(parse("29/02/2001", "%d/%m/%Y").is_err());
        assert!(parse("1999-01-05x", "%Y-%m-%d")
            .unwrap_err()
            .contains("unconverted"));
        assert!(parse("99-01-05", "%Y-%m-%d").is_err());
        assert!(parse("", "%Y").is_err());
        // The first alternative wins: "%m%d" on "111" is 11 January… then 1 → 11/1.
        assert_eq!(parse("1991111", "%Y%m%d"), Ok((1991, 11, 1)));
    }
}
