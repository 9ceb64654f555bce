//! The words of casework as types, and the parsing of typed input into them.
//!
//! Codes that are the same in every country are enums here; lists that carry national law
//! (procedure types, permit types) are configuration in `config_lists` and are checked
//! against the database by the use cases.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{dates, FieldError};

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s.trim())
            }
        }
    };
}

code_enum!(
    /// The direction being worked on. Undecided is a legitimate state.
    Perspective {
        Regularisation = "regularisation",
        OnwardMigration = "onward_migration",
        VoluntaryReturn = "voluntary_return",
        Undecided = "undecided",
    }
);

code_enum!(
    /// Where the person stands with their own decision; the decision is theirs.
    DecisionStage {
        NotConsidering = "not_considering",
        Exploring = "exploring",
        Decided = "decided",
    }
);

code_enum!(
    /// The state of a legal procedure.
    Decision {
        Pending = "pending",
        Granted = "granted",
        Refused = "refused",
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// The domains of an action plan, worked on at the same time.
    Domain {
        Work = "work",
        Education = "education",
        Language = "language",
        HealthCare = "health_care",
        Housing = "housing",
        Income = "income",
        Participation = "participation",
        LegalStatus = "legal_status",
        ReturnPreparation = "return_preparation",
    }
);

code_enum!(
    /// Short- or long-term objective.
    Term {
        Short = "short",
        Long = "long",
    }
);

code_enum!(
    GoalStatus {
        Open = "open",
        InProgress = "in_progress",
        Achieved = "achieved",
        Dropped = "dropped",
    }
);

code_enum!(
    /// An appointment is a contact with the person; a task is work to do for them.
    ItemKind {
        Appointment = "appointment",
        Task = "task",
    }
);

code_enum!(
    /// How a case ended.
    Outcome {
        Regularised = "regularised",
        ReturnedVoluntarily = "returned_voluntarily",
        MovedOn = "moved_on",
        DublinTransfer = "dublin_transfer",
        LostContact = "lost_contact",
        Deceased = "deceased",
        Other = "other",
    }
);

code_enum!(
    Contract {
        Temporary = "temporary",
        Fixed = "fixed",
    }
);

code_enum!(
    /// The employment status at a follow-up moment, computed from the episodes.
    EmploymentStatus {
        Employed = "employed",
        NotEmployed = "not_employed",
        NotYetReached = "not_yet_reached",
    }
);

code_enum!(
    /// Why a case is on top of the caseload, most urgent first.
    AttentionKind {
        DeadlinePassed = "deadline_passed",
        StayEnded = "stay_ended",
        DeadlineNear = "deadline_near",
        StayEnding = "stay_ending",
        GoalOverdue = "goal_overdue",
        NoContact = "no_contact",
    }
);

impl AttentionKind {
    /// Lower is more urgent.
    pub fn rank(self) -> i64 {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0) as i64
    }
}

/// The follow-up moments after the start of the programme, in months.
pub const FOLLOW_UP_MONTHS: [i64; 3] = [6, 12, 24];

/// What a programme may count besides closure outcomes.
pub const EMPLOYMENT_OUTCOME: &str = "employment";

// ---------------------------------------------------------------------------------------
// Parsing helpers

pub(crate) fn text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max {
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

pub(crate) fn required_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<String, FieldError> {
    text(v, field, max)?.ok_or(FieldError::new(field, "err-required"))
}

pub(crate) fn choice<T>(
    v: &Option<String>,
    field: &'static str,
    parse: fn(&str) -> Option<T>,
    default: Option<T>,
) -> Result<T, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => default.ok_or(FieldError::new(field, "err-required")),
        Some(s) => parse(s).ok_or(FieldError::new(field, "err-choice")),
    }
}

pub(crate) fn opt_date(
    v: &Option<String>,
    field: &'static str,
) -> Result<Option<Date>, FieldError> {
    dates::parse_optional(v.as_deref(), field)
}

pub(crate) fn number(
    v: &Option<String>,
    field: &'static str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
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

// ---------------------------------------------------------------------------------------
// Employment follow-up

/// One employment period as the computation needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Option<Date>,
    pub contract: Contract,
}

/// The status `months` after `start`, as of `today`: employed when an episode covers that
/// day, not employed when none does, not yet reached when the day is still to come.
pub fn status_at(
    start: Date,
    months: i64,
    periods: &[Period],
    today: Date,
) -> (Date, EmploymentStatus, Option<Contract>) {
    let at = dates::add_months(start, months);
    if at > today {
        return (at, EmploymentStatus::NotYetReached, None);
    }
    let covering = periods
        .iter()
        .filter(|p| p.start <= at && p.end.is_none_or(|e| e >= at))
        // A fixed contract, where there is one, says more than a temporary one.
        .max_by_key(|p| matches!(p.contract, Contract::Fixed));
    match covering {
        Some(p) => (at, EmploymentStatus::Employed, Some(p.contract)),
        None => (at, EmploymentStatus::NotEmployed, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn follow_up_moments_clamp_at_month_ends_and_leap_days() {
        let start = date!(2027 - 08 - 31);
        let p = [Period {
            start: date!(2028 - 01 - 10),
            end: Some(date!(2028 - 02 - 29)),
            contract: Contract::Temporary,
        }];
        let today = date!(2030 - 01 - 01);
        assert_eq!(
            status_at(start, 6, &p, today),
            (
                date!(2028 - 02 - 29),
                EmploymentStatus::Employed,
                Some(Contract::Temporary)
            )
        );
        assert_eq!(
            status_at(start, 12, &p, today).1,
            EmploymentStatus::NotEmployed
        );
        assert_eq!(status_at(start, 24, &p, today).0, date!(2029 - 08 - 31));
        assert_eq!(
            status_at(start, 6, &p, date!(2028 - 02 - 28)).1,
            EmploymentStatus::NotYetReached
        );
    }

    #[test]
    fn codes_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(*o));
        }
        assert_eq!(Perspective::parse("deportation"), None);
    }
}
