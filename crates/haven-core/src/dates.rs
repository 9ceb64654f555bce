//! Calendar arithmetic for stay limits, deadlines and follow-up moments.
//!
//! Dates without a time are stored as `YYYY-MM-DD`. Adding months keeps the day of the
//! month where it exists and otherwise takes the month's last day: 31 January plus one
//! month is 28 February (29 in a leap year), and 29 February 2024 plus twelve months is
//! 28 February 2025.

use time::macros::format_description;
use time::{Date, Month};

use crate::FieldError;

/// Adds `months` (may be negative) to `date`, clamping to the end of the month.
pub fn add_months(date: Date, months: i64) -> Date {
    let total = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(date.year());
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
        .unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// The last day of a stay of `months` months that starts on `start`: the day before the
/// same date `months` later.
pub fn stay_end(start: Date, months: i64) -> Date {
    add_months(start, months).previous_day().unwrap_or(start)
}

pub fn format(date: Date) -> String {
    date.to_string()
}

/// Parses `YYYY-MM-DD`; for stored values.
pub fn parse_stored(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// Parses a date typed by a person, naming the field when it is wrong.
pub fn parse_input(s: &str, field: &'static str) -> Result<Date, FieldError> {
    let s = s.trim();
    parse_stored(s).ok_or_else(|| FieldError::new(field, date_error_code(s)))
}

/// Which message explains a date that did not parse: the wrong form, or a well-formed date
/// that does not exist (30 February).
pub fn date_error_code(s: &str) -> &'static str {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if shaped {
        "err-date-nonexistent"
    } else {
        "err-date"
    }
}

/// Parses an optional date: empty means none.
pub fn parse_optional(s: Option<&str>, field: &'static str) -> Result<Option<Date>, FieldError> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_input(v, field).map(Some),
    }
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    (b - a).whole_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_added_with_clamping_at_month_ends_and_leap_years() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2024 - 02 - 29), 12), date!(2025 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 02 - 29), 48), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 08 - 31), 18), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 12 - 15), 1), date!(2027 - 01 - 15));
        assert_eq!(add_months(date!(2026 - 03 - 31), -1), date!(2026 - 02 - 28));
    }

    #[test]
    fn an_18_month_stay_ends_the_day_before_the_same_date() {
        assert_eq!(stay_end(date!(2025 - 06 - 01), 18), date!(2026 - 11 - 30));
        assert_eq!(stay_end(date!(2026 - 08 - 31), 18), date!(2028 - 02 - 28));
        assert_eq!(stay_end(date!(2027 - 03 - 01), 6), date!(2027 - 08 - 31));
    }

    #[test]
    fn typed_dates_are_checked() {
        assert!(parse_input("2024-02-29", "d").is_ok());
        assert_eq!(
            parse_input("2023-02-29", "d"),
            Err(FieldError::new("d", "err-date-nonexistent"))
        );
        assert_eq!(
            parse_input("29-02-2024", "d"),
            Err(FieldError::new("d", "err-date"))
        );
        assert_eq!(parse_optional(Some(" "), "d"), Ok(None));
    }
}
