//! Comparing plain records field by field: each comparison turns a pair of values into a
//! level (0 = agree exactly, higher = less alike, `None` = a value is missing), and the
//! comparisons are chosen from the columns' values when no configuration names them.

use super::config::{ComparisonKind, ComparisonSpec, DEFAULT_NAME_LEVELS};
use super::model::{LinkageError, Table};
use super::strptime;

/// A comparison ready to use: the column in each table and the level thresholds.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub column: String,
    pub kind: ComparisonKind,
    pub name_levels: Vec<f64>,
    pub date_format: Option<String>,
}

impl Comparison {
    pub fn from_spec(spec: &ComparisonSpec) -> Result<Self, LinkageError> {
        let name_levels = spec
            .levels
            .clone()
            .unwrap_or_else(|| DEFAULT_NAME_LEVELS.to_vec());
        if name_levels.iter().any(|l| !(0.0..=1.0).contains(l))
            || name_levels.windows(2).any(|w| w[0] < w[1])
        {
            return Err(LinkageError::Config(format!(
                "the levels of '{}' must be between 0 and 1, highest first",
                spec.column
            )));
        }
        if let Some(f) = &spec.format {
            strptime::check_format(f)
                .map_err(|e| LinkageError::Config(format!("'{}': {e}", spec.column)))?;
        }
        Ok(Comparison {
            column: spec.column.clone(),
            kind: spec.kind,
            name_levels,
            date_format: spec.format.clone(),
        })
    }

    /// How many levels, the "else" level included.
    pub fn levels(&self) -> usize {
        match self.kind {
            ComparisonKind::Name => self.name_levels.len() + 2,
            ComparisonKind::Date => 4,
            ComparisonKind::Exact | ComparisonKind::Code => 2,
        }
    }

    pub fn level_names(&self) -> Vec<String> {
        let mut v = vec!["exact".to_owned()];
        match self.kind {
            ComparisonKind::Name => v.extend(
                self.name_levels
                    .iter()
                    .map(|t| format!("jaro-winkler ≥ {t}")),
            ),
            ComparisonKind::Date => v.extend([
                "one of day, month, year differs".to_owned(),
                "same year".to_owned(),
            ]),
            ComparisonKind::Exact | ComparisonKind::Code => {}
        }
        v.push("else".to_owned());
        v
    }

    pub fn describe(&self) -> String {
        match (&self.kind, &self.date_format) {
            (ComparisonKind::Date, Some(f)) => format!("{} (date, {f})", self.column),
            (k, _) => format!("{} ({})", self.column, k.as_str()),
        }
    }
}

/// Lower case, accents and other scripts transliterated, only letters, digits and single
/// spaces.
pub fn normalize(s: &str) -> String {
    let ascii = deunicode::deunicode(s).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// A column's values prepared once for many comparisons.
pub enum Prepared {
    Text(Vec<String>),
    Date(Vec<Option<DateValue>>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum DateValue {
    Ymd(i32, u32, u32),
    /// Not a date in the format: compared as text.
    Raw(String),
}

impl Prepared {
    pub fn new(c: &Comparison, table: &Table) -> Result<Self, LinkageError> {
        let col = table.column(&c.column)?;
        let values = table
            .rows
            .iter()
            .map(|r| r.get(col).map_or("", String::as_str));
        Ok(match c.kind {
            ComparisonKind::Name | ComparisonKind::Exact => {
                Prepared::Text(values.map(normalize).collect())
            }
            ComparisonKind::Code => {
                Prepared::Text(values.map(|v| normalize(v).replace(' ', "")).collect())
            }
            ComparisonKind::Date => Prepared::Date(
                values
                    .map(|v| {
                        let v = v.trim();
                        if v.is_empty() {
                            return None;
                        }
                        let parsed = c
                            .date_format
                            .as_deref()
                            .and_then(|f| strptime::parse(v, f).ok());
                        Some(parsed.map_or_else(
                            || DateValue::Raw(v.to_owned()),
                            |(y, m, d)| DateValue::Ymd(y, m, d),
                        ))
                    })
                    .collect(),
            ),
        })
    }

    /// The year of a date column's value, for blocking.
    pub fn year(&self, i: usize) -> Option<i32> {
        match self {
            Prepared::Date(v) => match &v[i] {
                Some(DateValue::Ymd(y, _, _)) => Some(*y),
                _ => None,
            },
            Prepared::Text(_) => None,
        }
    }
}

/// The level of a pair: `a` from the left column, `b` from the right one.
pub fn level(c: &Comparison, left: &Prepared, a: usize, right: &Prepared, b: usize) -> Option<u8> {
    match (left, right) {
        (Prepared::Text(l), Prepared::Text(r)) => {
            let (x, y) = (&l[a], &r[b]);
            if x.is_empty() || y.is_empty() {
                return None;
            }
            if x == y {
                return Some(0);
            }
            if c.kind != ComparisonKind::Name {
                return Some(1);
            }
            let jw = strsim::jaro_winkler(x, y);
            let above = c.name_levels.iter().position(|t| jw >= *t);
            Some(above.map_or(c.name_levels.len() + 1, |i| i + 1) as u8)
        }
        (Prepared::Date(l), Prepared::Date(r)) => {
            let (x, y) = (l[a].as_ref()?, r[b].as_ref()?);
            Some(match (x, y) {
                _ if x == y => 0,
                (DateValue::Ymd(y1, m1, d1), DateValue::Ymd(y2, m2, d2)) => {
                    let same = u8::from(y1 == y2) + u8::from(m1 == m2) + u8::from(d1 == d2);
                    let swapped = y1 == y2 && m1 == d2 && d1 == m2;
                    if same == 2 || swapped {
                        1
                    } else if y1 == y2 {
                        2
                    } else {
                        3
                    }
                }
                _ => 3,
            })
        }
        _ => None,
    }
}

const DATE_FORMATS: [&str; 8] = [
    "%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%m/%d/%Y", "%d/%m/%y",
];
const PLACE_HINTS: [&str; 14] = [
    "city",
    "town",
    "suburb",
    "place",
    "locality",
    "municipality",
    "country",
    "state",
    "region",
    "district",
    "province",
    "county",
    "nationality",
    "village",
];
const NAME_HINTS: [&str; 4] = ["name", "surname", "forename", "alias"];

/// The best strptime format for a column's values, if at least 80 % of them parse.
fn guess_date_format(values: &[&str]) -> Option<String> {
    let best = DATE_FORMATS
        .iter()
        .map(|f| {
            (
                f,
                values
                    .iter()
                    .filter(|v| strptime::parse(v.trim(), f).is_ok())
                    .count(),
            )
        })
        .max_by_key(|(_, n)| *n)?;
    (best.1 * 5 >= values.len() * 4 && best.1 > 0).then(|| (*best.0).to_owned())
}

/// Comparisons chosen from the values of `table` (the left one when linking): dates by
/// their format, names by the column's name or by mostly alphabetic, varied values
/// (compared with Jaro–Winkler levels), places and categories exactly, and mostly numeric
/// values as codes. Columns that are nearly always empty are left out.
pub fn choose(table: &Table, id: usize, other: Option<&Table>) -> Vec<Comparison> {
    let mut out = Vec::new();
    for (col, name) in table.columns.iter().enumerate() {
        if col == id || other.is_some_and(|o| o.column(name).is_err()) {
            continue;
        }
        let values: Vec<&str> = table
            .rows
            .iter()
            .take(20_000)
            .filter_map(|r| r.get(col).map(|v| v.trim()).filter(|v| !v.is_empty()))
            .collect();
        if values.len() * 20 < table.rows.len().min(20_000) || values.is_empty() {
            continue;
        }
        let header = name.to_lowercase();
        let distinct = values
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len();
        let mostly = |f: &dyn Fn(&str) -> bool| {
            values.iter().filter(|v| f(v)).count() * 5 >= values.len() * 4
        };
        let alphabetic = |v: &str| {
            let n = normalize(v);
            n.chars().filter(char::is_ascii_alphabetic).count() * 2 > n.len()
        };
        let numeric =
            |v: &str| v.chars().filter(char::is_ascii_digit).count() * 2 >= v.chars().count();
        let mut spec = ComparisonSpec {
            column: name.clone(),
            kind: ComparisonKind::Exact,
            levels: None,
            format: None,
        };
        if let Some(format) = guess_date_format(&values) {
            spec.kind = ComparisonKind::Date;
            spec.format = Some(format);
        } else if NAME_HINTS.iter().any(|h| header.contains(h)) {
            spec.kind = ComparisonKind::Name;
        } else if mostly(&alphabetic) {
            let place = PLACE_HINTS.iter().any(|h| header.contains(h));
            spec.kind = if place || distinct <= 20 {
                ComparisonKind::Exact
            } else {
                ComparisonKind::Name
            };
        } else if mostly(&numeric) && distinct > 20 {
            spec.kind = ComparisonKind::Code;
        }
        if let Ok(c) = Comparison::from_spec(&spec) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|v| (*v).to_owned()).collect())
                .collect(),
        }
    }

    #[test]
    fn normalizes_names() {
        assert_eq!(normalize("  José-María  O'Neil "), "jose maria o neil");
        assert_eq!(normalize("Müller"), "muller");
    }

    #[test]
    fn date_levels_by_hand() {
        let t = table(
            &["d"],
            &[
                &["1990-05-04"],
                &["1990-05-04"],
                &["1990-05-14"],
                &["1990-04-05"],
                &["1990-12-30"],
                &["1991-01-01"],
                &[""],
            ],
        );
        let c = Comparison::from_spec(&ComparisonSpec {
            column: "d".into(),
            kind: ComparisonKind::Date,
            levels: None,
            format: Some("%Y-%m-%d".into()),
        })
        .unwrap();
        let p = Prepared::new(&c, &t).unwrap();
        let l = |a, b| level(&c, &p, a, &p, b);
        assert_eq!(l(0, 1), Some(0));
        assert_eq!(l(0, 2), Some(1)); // day differs
        assert_eq!(l(0, 3), Some(1)); // day and month swapped
        assert_eq!(l(0, 4), Some(2)); // same year
        assert_eq!(l(0, 5), Some(3));
        assert_eq!(l(0, 6), None);
    }

    #[test]
    fn name_levels_by_jaro_winkler() {
        let t = table(&["n"], &[&["Martha"], &["Marhta"], &["Zed"], &["MARTHA"]]);
        let c = Comparison::from_spec(&ComparisonSpec {
            column: "n".into(),
            kind: ComparisonKind::Name,
            levels: None,
            format: None,
        })
        .unwrap();
        let p = Prepared::new(&c, &t).unwrap();
        assert_eq!(level(&c, &p, 0, &p, 3), Some(0));
        // jaro-winkler(martha, marhta) = 0.961 ≥ 0.92: level 1.
        assert_eq!(level(&c, &p, 0, &p, 1), Some(1));
        assert_eq!(level(&c, &p, 0, &p, 2), Some(4));
    }

    #[test]
    fn chooses_comparisons_from_values() {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for i in 0..40 {
            rows.push(vec![
                i.to_string(),
                format!(
                    "{}{}",
                    ["an", "ber", "car", "do", "el"][i % 5],
                    ["na", "tha", "lo", "ria", "ny", "ke", "sa", "ro"][i % 8]
                ),
                format!("19{:02}{:02}{:02}", 50 + i % 40, 1 + i % 12, 1 + i % 28),
                ["NSW", "VIC"][i % 2].to_owned(),
                format!("{}", 2000 + i * 7),
            ]);
        }
        let t = Table {
            columns: ["id", "given", "dob", "state", "postcode"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        };
        let chosen: Vec<(String, ComparisonKind)> = choose(&t, 0, None)
            .into_iter()
            .map(|c| (c.column, c.kind))
            .collect();
        assert_eq!(
            chosen,
            vec![
                ("given".into(), ComparisonKind::Name),
                ("dob".into(), ComparisonKind::Date),
                ("state".into(), ComparisonKind::Exact),
                ("postcode".into(), ComparisonKind::Code),
            ]
        );
    }
}
