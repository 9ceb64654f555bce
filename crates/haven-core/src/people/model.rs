//! Persons as use cases return them, the input that registers or changes one, and its
//! parsing: every field optional, every problem reported at once.

use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::Date;

use crate::codes::code_enum;
use crate::error::Errors;
use crate::ids::{OrgId, PersonId};
use crate::input::{got, text as opt_text};
use crate::{FieldError, Result};

code_enum!(
    /// As the person describes themself; `unknown` when not asked or not told.
    Gender {
        Female = "female",
        Male = "male",
        NonBinary = "non_binary",
        Unknown = "unknown",
    }
);

code_enum!(
    /// A broad category, not a legal finding. The same in every country; the legal
    /// procedures that differ by country are configuration (casework).
    ResidenceStatus {
        Undocumented = "undocumented",
        RejectedAsylumSeeker = "rejected_asylum_seeker",
        DublinClaimant = "dublin_claimant",
        AsylumSeeker = "asylum_seeker",
        RecognisedRefugee = "recognised_refugee",
        EuCitizenWithoutRights = "eu_citizen_without_rights",
        Transit = "transit",
        Unknown = "unknown",
    }
);

/// The sealed part of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonData {
    pub name: Option<String>,
    pub alias: Option<String>,
    /// Exact date of birth, `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Approximate year of birth, when the exact date is not known.
    pub birth_year: Option<i32>,
    pub gender: Gender,
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub residence_status: ResidenceStatus,
    pub notes: Option<String>,
}

/// A person as a use case returns them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    #[schema(value_type = String, format = Uuid)]
    pub id: PersonId,
    #[schema(value_type = String, format = Uuid)]
    pub owner_org: OrgId,
    /// Increases with every change; send it back with an update to detect a lost update.
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(flatten)]
    pub data: PersonData,
}

impl Person {
    /// What to call the person on screen: name, else alias, else nothing.
    pub fn label(&self) -> Option<&str> {
        self.data.name.as_deref().or(self.data.alias.as_deref())
    }
}

/// Input for registering or changing a person, as text from a form or JSON. Every field is
/// optional; nothing is required to serve someone.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonInput {
    pub name: Option<String>,
    pub alias: Option<String>,
    pub birth_date: Option<String>,
    pub birth_year: Option<String>,
    pub gender: Option<String>,
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub residence_status: Option<String>,
    pub notes: Option<String>,
    /// For updates: the version the change was based on.
    pub version: Option<i64>,
}

fn list(items: &[String], field: &'static str) -> std::result::Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for it in items.iter().flat_map(|s| s.split(',')) {
        let t = it.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 60 || t.chars().any(char::is_control) {
            return Err(FieldError::new(field, "err-list-item"));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    if out.len() > 10 {
        return Err(FieldError::new(field, "err-list-long"));
    }
    Ok(out)
}

/// Digits with an optional leading `+`; spaces, dashes, dots and brackets are dropped.
pub fn parse_phone(v: &Option<String>) -> std::result::Result<Option<String>, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        return Ok(None);
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '+' if i == 0 => out.push('+'),
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return Err(FieldError::new("phone", "err-phone")),
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if (6..=20).contains(&digits) {
        Ok(Some(out))
    } else {
        Err(FieldError::new("phone", "err-phone"))
    }
}

fn parse_birth(
    date: &Option<String>,
    year: &Option<String>,
    today: Date,
) -> std::result::Result<(Option<String>, Option<i32>), FieldError> {
    let date = date.as_deref().map(str::trim).unwrap_or("");
    let year = year.as_deref().map(str::trim).unwrap_or("");
    if !date.is_empty() && !year.is_empty() {
        return Err(FieldError::new("birth_year", "err-birth-both"));
    }
    if !date.is_empty() {
        let d = Date::parse(date, format_description!("[year]-[month]-[day]"))
            .map_err(|_| FieldError::new("birth_date", crate::dates::date_error_code(date)))?;
        if d > today || d.year() < 1900 {
            return Err(FieldError::new("birth_date", "err-date-range"));
        }
        return Ok((Some(d.to_string()), None));
    }
    if !year.is_empty() {
        let y: i32 = year
            .parse()
            .map_err(|_| FieldError::new("birth_year", "err-year"))?;
        if !(1900..=today.year()).contains(&y) {
            return Err(FieldError::new("birth_year", "err-year"));
        }
        return Ok((None, Some(y)));
    }
    Ok((None, None))
}

impl PersonInput {
    /// Checks every field and reports all problems at once.
    pub fn parse(&self, today: Date) -> Result<PersonData> {
        let mut e = Errors::default();
        let name = e.take(opt_text(&self.name, "name", 200));
        let alias = e.take(opt_text(&self.alias, "alias", 100));
        let birth = e.take(parse_birth(&self.birth_date, &self.birth_year, today));
        let gender = e.take(match self.gender.as_deref().map(str::trim) {
            None | Some("") => Ok(Gender::Unknown),
            Some(s) => Gender::parse(s).ok_or(FieldError::new("gender", "err-choice")),
        });
        let nationalities = e.take(list(&self.nationalities, "nationalities"));
        let languages = e.take(list(&self.languages, "languages"));
        let phone = e.take(parse_phone(&self.phone));
        let residence_status = e.take(match self.residence_status.as_deref().map(str::trim) {
            None | Some("") => Ok(ResidenceStatus::Unknown),
            Some(s) => {
                ResidenceStatus::parse(s).ok_or(FieldError::new("residence_status", "err-choice"))
            }
        });
        let notes = e.take(opt_text(&self.notes, "notes", 5000));
        e.finish()?;
        let (birth_date, birth_year) = got(birth)?;
        Ok(PersonData {
            name: got(name)?,
            alias: got(alias)?,
            birth_date,
            birth_year,
            gender: got(gender)?,
            nationalities: got(nationalities)?,
            languages: got(languages)?,
            phone: got(phone)?,
            residence_status: got(residence_status)?,
            notes: got(notes)?,
        })
    }
}

/// One line of a result list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: PersonId,
    pub name: Option<String>,
    pub alias: Option<String>,
    pub birth_date: Option<String>,
    pub birth_year: Option<i32>,
    pub residence_status: ResidenceStatus,
    pub updated_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::names;
    use crate::Error;
    use proptest::prelude::*;

    fn today() -> Date {
        time::macros::date!(2026 - 11 - 24)
    }

    #[test]
    fn every_field_is_optional() {
        let d = PersonInput::default().parse(today()).unwrap();
        assert_eq!(d.residence_status, ResidenceStatus::Unknown);
        assert_eq!(d.gender, Gender::Unknown);
        assert!(d.name.is_none() && d.phone.is_none());
    }

    #[test]
    fn all_problems_are_reported_at_once_with_their_fields() {
        let input = PersonInput {
            birth_date: Some("1994-02-30".into()),
            phone: Some("call me".into()),
            residence_status: Some("illegal".into()),
            ..Default::default()
        };
        let Err(Error::Invalid(fields)) = input.parse(today()) else {
            panic!("expected invalid");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["birth_date", "phone", "residence_status"]);
    }

    #[test]
    fn dates_and_years_are_checked() {
        let p = |d: &str, y: &str| {
            PersonInput {
                birth_date: Some(d.into()),
                birth_year: Some(y.into()),
                ..Default::default()
            }
            .parse(today())
        };
        assert!(p("2024-02-29", "").is_ok(), "a leap day");
        assert!(p("2023-02-29", "").is_err());
        assert!(p("2026-11-25", "").is_err(), "not in the future");
        assert!(p("", "1899").is_err());
        assert!(p("", "1990").is_ok());
        assert!(p("1990-01-01", "1990").is_err(), "not both");
    }

    proptest! {
        #[test]
        fn parsing_any_input_never_panics(
            name in ".{0,300}", alias in ".*", date in ".{0,12}", year in ".{0,6}",
            gender in ".{0,12}", list in ".{0,200}", phone in ".{0,30}", status in ".{0,30}",
            notes in ".{0,100}",
        ) {
            let input = PersonInput {
                name: Some(name), alias: Some(alias), birth_date: Some(date), birth_year: Some(year),
                gender: Some(gender), nationalities: vec![list.clone()], languages: vec![list],
                phone: Some(phone), residence_status: Some(status), notes: Some(notes), version: None,
            };
            match input.parse(today()) {
                Ok(_) | Err(Error::Invalid(_)) => {}
                Err(e) => prop_assert!(false, "unexpected error {e:?}"),
            }
        }

        #[test]
        fn name_keys_never_panic_and_a_name_finds_itself(name in "\\PC{1,60}") {
            let keys = names::index_keys(&name);
            if let Some((each, joined)) = names::query_keys(&name) {
                prop_assert!(each.iter().all(|k| keys.contains(k)) || keys.contains(&joined));
            }
        }
    }
}
