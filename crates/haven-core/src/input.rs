//! The field parsers that every area's `…Input` uses: text as forms and the API send it,
//! turned into domain values.
//!
//! Each parser takes the field as it arrived (`&Option<String>`), trims it, and returns its
//! value or a `FieldError` naming the field and a Fluent message id. An input's `parse`
//! collects them with `Errors::take`, so that every bad field is reported at once, and reads
//! the values with [`got`] once `Errors::finish` has passed.

use std::ops::RangeInclusive;
use std::str::FromStr;
use time::Date;

use crate::codes::Code;
use crate::{dates, Error, FieldError, Result};

type FieldResult<T> = std::result::Result<T, FieldError>;

/// A value given: trimmed, and not empty.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A trimmed, non-empty value, or `err-required` on `field`.
pub(crate) fn required<'a>(v: &'a Option<String>, field: &'static str) -> FieldResult<&'a str> {
    given(v).ok_or_else(|| FieldError::new(field, "err-required"))
}

/// A text of at most `max` characters, trimmed; empty is `None`. Line breaks and tabs are
/// allowed, other control characters are not.
pub(crate) fn text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> FieldResult<Option<String>> {
    let Some(s) = given(v) else {
        return Ok(None);
    };
    if s.chars().count() > max {
        Err(FieldError::new(field, "err-too-long"))
    } else if s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(FieldError::new(field, "err-control-chars"))
    } else {
        Ok(Some(s.to_owned()))
    }
}

/// A text as [`text`] that must be given.
pub(crate) fn required_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> FieldResult<String> {
    text(v, field, max)?.ok_or(FieldError::new(field, "err-required"))
}

/// One of a code enum's codes; empty is `default`, or required when there is none.
pub(crate) fn choice<T: Code>(
    v: &Option<String>,
    field: &'static str,
    default: Option<T>,
) -> FieldResult<T> {
    optional_choice(v, field)?
        .or(default)
        .ok_or(FieldError::new(field, "err-required"))
}

/// A choice that may be left empty (`None`): a change that keeps the current value.
pub(crate) fn optional_choice<T: Code>(
    v: &Option<String>,
    field: &'static str,
) -> FieldResult<Option<T>> {
    optional(v, field, T::from_code)
}

/// A date, `YYYY-MM-DD`, that may be left empty.
pub(crate) fn opt_date(v: &Option<String>, field: &'static str) -> FieldResult<Option<Date>> {
    dates::parse_optional(v.as_deref(), field)
}

/// A date, `YYYY-MM-DD`, that must be given.
pub(crate) fn required_date(v: &Option<String>, field: &'static str) -> FieldResult<Date> {
    opt_date(v, field)?.ok_or(FieldError::new(field, "err-required"))
}

/// A whole number in `range`, or empty.
pub(crate) fn number(
    v: &Option<String>,
    field: &'static str,
    range: RangeInclusive<i64>,
) -> FieldResult<Option<i64>> {
    match given(v) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(FieldError::new(field, "err-number")),
        },
    }
}

/// A checkbox or a JSON flag: "on", "true", "1", "yes" mean yes.
pub(crate) fn flag(v: &Option<String>) -> bool {
    matches!(
        v.as_deref().map(str::trim),
        Some("on" | "true" | "1" | "yes")
    )
}

/// A required id chosen from a list: missing is `err-required`, malformed `err-choice`.
pub(crate) fn required_id<T: FromStr>(v: &Option<String>, field: &'static str) -> FieldResult<T> {
    optional_id(v, field)?.ok_or_else(|| FieldError::new(field, "err-required"))
}

/// An id that may be left empty; a malformed one is `err-choice`.
pub(crate) fn optional_id<T: FromStr>(
    v: &Option<String>,
    field: &'static str,
) -> FieldResult<Option<T>> {
    optional(v, field, |s| s.parse().ok())
}

/// A value that may be left empty, read by `read`; one it cannot read is `err-choice`.
fn optional<T>(
    v: &Option<String>,
    field: &'static str,
    read: impl FnOnce(&str) -> Option<T>,
) -> FieldResult<Option<T>> {
    given(v)
        .map(|s| read(s).ok_or(FieldError::new(field, "err-choice")))
        .transpose()
}

/// A single field's error as a use case returns it.
pub(crate) fn one_field<T>(r: FieldResult<T>) -> Result<T> {
    r.map_err(|f| Error::Invalid(vec![f]))
}

/// The value of a field that parsed. After `Errors::finish` every field has one, so a
/// missing value is a mistake in the parser, not in the input.
pub(crate) fn got<T>(v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::Internal(anyhow::anyhow!("validation inconsistency")))
}
