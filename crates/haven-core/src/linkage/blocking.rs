//! Blocking for plaintext linkage: only pairs that agree on at least one rule's key are
//! compared. A rule is one or more key parts joined by `&`: `column` (its normalised
//! value), `initial(column)`, `year(column)` (a date's year) and `prefix(column, n)`.
//! Pairs are generated record by record with a "last seen" mark per candidate, so a pair
//! found by several rules is compared once and no set of all pairs is ever held.

use super::compare::{normalize, Comparison, Prepared};
use super::config::ComparisonKind;
use super::model::{LinkageError, Table};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Value(String),
    Initial(String),
    Year(String),
    Prefix(String, usize),
}

/// A parsed blocking rule, with its text for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub text: String,
    parts: Vec<Part>,
}

impl Rule {
    pub fn parse(text: &str) -> Result<Rule, LinkageError> {
        let bad = |m: &str| LinkageError::Config(format!("blocking rule '{text}': {m}"));
        let parts = text
            .split('&')
            .map(|p| {
                let p = p.trim();
                let Some((func, rest)) = p.split_once('(') else {
                    return if p.is_empty() {
                        Err(bad("an empty part"))
                    } else {
                        Ok(Part::Value(p.to_owned()))
                    };
                };
                let args: Vec<&str> = rest
                    .strip_suffix(')')
                    .ok_or_else(|| bad("a ')' is missing"))?
                    .split(',')
                    .map(str::trim)
                    .collect();
                match (func.trim(), args.as_slice()) {
                    ("initial", [c]) => Ok(Part::Initial((*c).to_owned())),
                    ("year", [c]) => Ok(Part::Year((*c).to_owned())),
                    ("prefix", [c, n]) => Ok(Part::Prefix(
                        (*c).to_owned(),
                        n.parse().map_err(|_| bad("prefix needs a number"))?,
                    )),
                    (f, _) => Err(bad(&format!(
                        "'{f}' is not initial(column), year(column) or prefix(column, n)"
                    ))),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rule {
            text: text.trim().to_owned(),
            parts,
        })
    }

    /// Does a part of this rule read `column`?
    pub fn uses(&self, column: &str) -> bool {
        self.columns().any(|c| c == column)
    }

    fn columns(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|p| match p {
            Part::Value(c) | Part::Initial(c) | Part::Year(c) | Part::Prefix(c, _) => c.as_str(),
        })
    }

    /// Every record's key (`None` when a part is empty).
    fn keys(
        &self,
        table: &Table,
        dates: &HashMap<String, Prepared>,
    ) -> Result<Vec<Option<String>>, LinkageError> {
        let cols = self
            .columns()
            .map(|c| table.column(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((0..table.len())
            .map(|i| {
                let mut key = String::new();
                for (part, &col) in self.parts.iter().zip(&cols) {
                    let raw = table.rows[i].get(col).map_or("", String::as_str);
                    let piece = match part {
                        Part::Value(_) => normalize(raw),
                        Part::Initial(_) => normalize(raw)
                            .chars()
                            .next()
                            .map(String::from)
                            .unwrap_or_default(),
                        Part::Prefix(_, n) => normalize(raw).chars().take(*n).collect(),
                        Part::Year(c) => dates
                            .get(c)
                            .and_then(|p| p.year(i))
                            .map(|y| y.to_string())
                            .unwrap_or_else(|| year_in(raw)),
                    };
                    if piece.is_empty() {
                        return None;
                    }
                    key.push_str(&piece);
                    key.push('\u{1f}');
                }
                Some(key)
            })
            .collect())
    }
}

/// A year written in a value: the first run of exactly four digits, or the first four of
/// eight (`19560409`).
fn year_in(raw: &str) -> String {
    raw.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 4 || run.len() == 8)
        .map(|run| run[..4].to_owned())
        .unwrap_or_default()
}

/// Rules generated from the comparisons: each name, date and code alone, and initials
/// with the birth year.
pub fn generate(comparisons: &[Comparison]) -> Vec<Rule> {
    let mut texts: Vec<String> = comparisons
        .iter()
        .filter(|c| c.kind != ComparisonKind::Exact)
        .map(|c| c.column.clone())
        .collect();
    let names: Vec<&str> = comparisons
        .iter()
        .filter(|c| c.kind == ComparisonKind::Name)
        .map(|c| c.column.as_str())
        .take(2)
        .collect();
    let date = comparisons
        .iter()
        .find(|c| c.kind == ComparisonKind::Date)
        .map(|c| c.column.as_str());
    if let Some(d) = date {
        if !names.is_empty() {
            let initials: Vec<String> = names.iter().map(|n| format!("initial({n})")).collect();
            texts.push(format!("{} & year({d})", initials.join(" & ")));
        }
    }
    if names.len() == 2 {
        texts.push(format!("{} & {}", names[0], names[1]));
    }
    texts.iter().filter_map(|t| Rule::parse(t).ok()).collect()
}

/// Keys of one rule on both sides, indexed.
pub struct Keyed {
    pub rule: Rule,
    left: Vec<Option<String>>,
    index: HashMap<String, Vec<u32>>,
    /// Pairs the rule alone produces.
    pub pairs: usize,
}

/// Computes the rules' keys; `right` is `None` when deduplicating.
pub fn index(
    rules: Vec<Rule>,
    left: &Table,
    right: Option<&Table>,
    dates: (&HashMap<String, Prepared>, &HashMap<String, Prepared>),
) -> Result<Vec<Keyed>, LinkageError> {
    rules
        .into_iter()
        .map(|rule| {
            let lk = rule.keys(left, dates.0)?;
            let rk = match right {
                Some(r) => rule.keys(r, dates.1)?,
                None => lk.clone(),
            };
            let mut index: HashMap<String, Vec<u32>> = HashMap::new();
            for (j, k) in rk.iter().enumerate() {
                if let Some(k) = k {
                    index.entry(k.clone()).or_default().push(j as u32);
                }
            }
            let pairs = if right.is_some() {
                lk.iter()
                    .flatten()
                    .map(|k| index.get(k).map_or(0, Vec::len))
                    .sum()
            } else {
                index.values().map(|v| v.len() * (v.len() - 1) / 2).sum()
            };
            Ok(Keyed {
                rule,
                left: lk,
                index,
                pairs,
            })
        })
        .collect()
}

/// Every candidate pair of the rules, each once, in left order; within one set only
/// `left < right`.
pub fn pairs(rules: &[Keyed], n_left: usize, n_right: usize, same_set: bool) -> Vec<(u32, u32)> {
    let mut seen = vec![u32::MAX; n_right];
    let mut out = Vec::new();
    for i in 0..n_left {
        for r in rules {
            let Some(key) = &r.left[i] else { continue };
            for &j in r.index.get(key).map_or(&[][..], Vec::as_slice) {
                if (same_set && j as usize <= i) || seen[j as usize] == i as u32 {
                    continue;
                }
                seen[j as usize] = i as u32;
                out.push((i as u32, j));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        let r = Rule::parse("initial(given) & year(dob) & prefix(postcode, 3) & state").unwrap();
        assert_eq!(
            r.columns().collect::<Vec<_>>(),
            ["given", "dob", "postcode", "state"]
        );
        assert!(Rule::parse("soundex(x)").is_err());
        assert!(Rule::parse("a & ").is_err());
    }

    #[test]
    fn years_in_values() {
        assert_eq!(year_in("19560409"), "1956");
        assert_eq!(year_in("05/01/1999"), "1999");
        assert_eq!(year_in("n/a"), "");
    }

    #[test]
    fn pairs_once_across_rules() {
        let t = Table {
            columns: vec!["a".into(), "b".into()],
            rows: vec![
                vec!["x".into(), "1".into()],
                vec!["x".into(), "1".into()],
                vec!["y".into(), "1".into()],
                vec!["".into(), "2".into()],
            ],
        };
        let none = HashMap::new();
        let rules = index(
            vec![Rule::parse("a").unwrap(), Rule::parse("b").unwrap()],
            &t,
            None,
            (&none, &none),
        )
        .unwrap();
        assert_eq!(rules[0].pairs, 1);
        assert_eq!(rules[1].pairs, 3);
        assert_eq!(pairs(&rules, 4, 4, true), vec![(0, 1), (0, 2), (1, 2)]);
    }
}
