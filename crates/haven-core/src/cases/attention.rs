//! What needs attention in a case, shared by the case page and the caseload: a passed or
//! near procedure deadline, an ended or ending stay, an overdue goal, no contact for four
//! weeks. Most urgent first, in the order of `AttentionKind`.

use time::Date;

use super::model::{Attention, AttentionKind};
use super::programmes::split_days;
use crate::dates;

/// No contact for this long puts a case on top of the caseload.
pub const NO_CONTACT_DAYS: i64 = 28;
/// A procedure deadline this close needs attention.
pub const DEADLINE_NEAR_DAYS: i64 = 14;

/// The dates a case's attention is computed from, as stored (`YYYY-MM-DD`).
pub(super) struct Signals {
    /// The earliest deadline of a procedure still pending or refused.
    pub next_deadline: Option<String>,
    /// The earliest end of a current stay.
    pub stay_until: Option<String>,
    /// The programme's earliest alert point, in days before the end of a stay.
    pub alert_days: i64,
    /// The earliest due date of an overdue goal.
    pub overdue_goal: Option<String>,
    pub last_contact_at: i64,
}

/// The programme's earliest alert point from its stored list ("90,30"); 90 days when it
/// has none.
pub(super) fn first_alert(alert_days: &str) -> i64 {
    split_days(alert_days).first().copied().unwrap_or(90)
}

pub(super) fn attention(s: Signals, today: Date, now: i64) -> Vec<Attention> {
    let mut out = Vec::new();
    if let Some(d) = s.next_deadline.as_deref().and_then(dates::parse_stored) {
        let days = dates::days_between(today, d);
        if days < 0 {
            out.push((AttentionKind::DeadlinePassed, d, days));
        } else if days <= DEADLINE_NEAR_DAYS {
            out.push((AttentionKind::DeadlineNear, d, days));
        }
    }
    if let Some(d) = s.stay_until.as_deref().and_then(dates::parse_stored) {
        let days = dates::days_between(today, d);
        if days < 0 {
            out.push((AttentionKind::StayEnded, d, days));
        } else if days <= s.alert_days {
            out.push((AttentionKind::StayEnding, d, days));
        }
    }
    if let Some(d) = s.overdue_goal.as_deref().and_then(dates::parse_stored) {
        out.push((AttentionKind::GoalOverdue, d, dates::days_between(today, d)));
    }
    if now - s.last_contact_at > NO_CONTACT_DAYS * 86_400 {
        let d = time::OffsetDateTime::from_unix_timestamp(s.last_contact_at)
            .map(|t| t.date())
            .unwrap_or(today);
        out.push((AttentionKind::NoContact, d, dates::days_between(today, d)));
    }
    out.sort_by_key(|(k, _, days)| (k.rank(), *days));
    out.into_iter()
        .map(|(kind, d, days)| Attention {
            kind,
            date: dates::format(d),
            days,
        })
        .collect()
}

/// The sort key of a list of attention: the most urgent first, nothing to attend last.
pub(super) fn urgency(a: &[Attention]) -> (i64, i64) {
    a.first()
        .map(|x| (x.kind.rank(), x.days))
        .unwrap_or((i64::MAX, 0))
}
