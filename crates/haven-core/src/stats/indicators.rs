//! Indicator definitions as data: what each published figure counts, over what, broken
//! down by what, and how it is computed, in the staff languages, so two cities compute the
//! same thing. The definitions live in `indicators.json` (embedded), one object per id and
//! version; a changed definition is a new version beside the old, never an edit of it.
//! Definitions hold no data about anyone, so any signed-in staff member may read them.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::{Error, Result};

/// A text in each staff language.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub en: String,
    pub nl: String,
    pub ar: String,
}

impl Texts {
    /// The text in `lang`, English when the language is not a staff language.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "nl" => &self.nl,
            "ar" => &self.ar,
            _ => &self.en,
        }
    }
}

/// One indicator at one version.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, the same for every version.
    pub id: String,
    pub version: u32,
    /// `casework`, `network`, `referrals` or `outreach`.
    pub area: String,
    /// `count`, `percent` or `hours`.
    pub unit: String,
    /// What the figure is broken down by.
    pub disaggregations: Vec<String>,
    /// The page that shows it.
    pub shown_on: String,
    pub title: Texts,
    pub numerator: Texts,
    /// What a rate is taken over; none for a plain count or median.
    pub denominator: Option<Texts>,
    /// How it is computed, including how small counts are withheld.
    pub computation: Texts,
}

const UNITS: [&str; 3] = ["count", "percent", "hours"];
const AREAS: [&str; 4] = ["casework", "network", "referrals", "outreach"];

fn parse(json: &str) -> std::result::Result<Vec<Indicator>, String> {
    let list: Vec<Indicator> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    for (n, i) in list.iter().enumerate() {
        let twice = list[..n]
            .iter()
            .any(|o| o.id == i.id && o.version == i.version);
        if twice || i.version == 0 {
            return Err(format!(
                "{} version {} is not unique and from 1",
                i.id, i.version
            ));
        }
        if !UNITS.contains(&i.unit.as_str()) || !AREAS.contains(&i.area.as_str()) {
            return Err(format!("{}: unknown unit or area", i.id));
        }
        if (i.unit == "percent") != i.denominator.is_some() {
            return Err(format!(
                "{}: a rate and only a rate has a denominator",
                i.id
            ));
        }
    }
    Ok(list)
}

/// Every definition, every version, in the file's order.
pub fn indicators() -> Result<&'static [Indicator]> {
    static LIST: OnceLock<std::result::Result<Vec<Indicator>, String>> = OnceLock::new();
    LIST.get_or_init(|| parse(include_str!("indicators.json")))
        .as_deref()
        .map_err(|e| Error::Internal(anyhow::anyhow!("indicators.json: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_definitions_are_complete() {
        let list = indicators().unwrap();
        assert!(list.len() >= 9);
        for i in list {
            for t in [&i.title, &i.numerator, &i.computation] {
                assert!(
                    !t.en.is_empty() && !t.nl.is_empty() && !t.ar.is_empty(),
                    "{}",
                    i.id
                );
            }
            assert!(i.shown_on.starts_with('/'), "{}", i.id);
        }
    }

    #[test]
    fn a_definition_is_refused_when_it_is_ambiguous() {
        let one = r#"{"id": "x", "version": 1, "area": "casework", "unit": "count",
            "disaggregations": [], "shown_on": "/staff/stats",
            "title": {"en": "a", "nl": "a", "ar": "a"},
            "numerator": {"en": "a", "nl": "a", "ar": "a"}, "denominator": null,
            "computation": {"en": "a", "nl": "a", "ar": "a"}}"#;
        assert!(parse(&format!("[{one}]")).is_ok());
        assert!(parse(&format!("[{one}, {one}]"))
            .unwrap_err()
            .contains("not unique"));
        let rate = one.replace("\"count\"", "\"percent\"");
        assert!(parse(&format!("[{rate}]"))
            .unwrap_err()
            .contains("denominator"));
        let missing = one.replace(r#", "ar": "a"}, "denominator""#, r#"}, "denominator""#);
        assert!(parse(&format!("[{missing}]")).is_err());
    }
}
