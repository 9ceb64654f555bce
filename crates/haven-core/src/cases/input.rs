//! What the forms and the API send to casework, as text, and its parsing into valid values.
//!
//! Each `…Input` parses into a plain struct of domain values and reports every bad field at
//! once (`Error::Invalid`). Checks that need the database (the configured lists, the
//! organisation's staff, the case's start date) are the use cases' work.

use serde::Deserialize;
use std::str::FromStr;
use time::Date;

use super::model::*;
use crate::error::Errors;
use crate::ids::{PersonId, ProgrammeId, UserId};
use crate::input::{
    choice, got, number, one_field, opt_date, optional_choice, optional_id, required_date,
    required_text, text,
};
use crate::{dates, FieldError, Result};

/// A required id chosen from a list: one that is not an id is not a valid choice.
fn id<T: FromStr>(v: &Option<String>, field: &'static str) -> std::result::Result<T, FieldError> {
    required_text(v, field, 60)
        .and_then(|s| s.parse().map_err(|_| FieldError::new(field, "err-choice")))
}

// ---------------------------------------------------------------------------------------
// Intake and assignment

/// Input for opening a case.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OpenInput {
    pub person_id: Option<String>,
    pub programme_id: Option<String>,
    /// `YYYY-MM-DD`; default today.
    pub start_date: Option<String>,
    /// Default `undecided`.
    pub perspective: Option<String>,
    /// What the intake and screening found; kept as the first note.
    pub screening_note: Option<String>,
    /// A case manager right away: yourself, or anyone if you may assign cases.
    pub case_manager_id: Option<String>,
}

pub(super) struct NewCase {
    pub person: PersonId,
    pub programme: ProgrammeId,
    pub start: Date,
    pub perspective: Perspective,
    pub screening_note: Option<String>,
    pub manager: Option<UserId>,
}

impl OpenInput {
    /// A start more than three years from `today` is a typing mistake.
    pub(super) fn parse(&self, today: Date) -> Result<NewCase> {
        let mut e = Errors::default();
        let person = e.take(id(&self.person_id, "person_id"));
        let programme = e.take(id(&self.programme_id, "programme_id"));
        let start = e.take(opt_date(&self.start_date, "start_date"));
        let perspective = e.take(choice(
            &self.perspective,
            "perspective",
            Some(Perspective::Undecided),
        ));
        let note = e.take(text(&self.screening_note, "screening_note", 10_000));
        let manager = e.take(optional_id(&self.case_manager_id, "case_manager_id"));
        if let Some(Some(s)) = &start {
            if dates::days_between(today, *s).abs() > 3 * 366 {
                e.push("start_date", "err-date-range");
            }
        }
        e.finish()?;
        Ok(NewCase {
            person: got(person)?,
            programme: got(programme)?,
            start: got(start)?.unwrap_or(today),
            perspective: got(perspective)?,
            screening_note: got(note)?,
            manager: got(manager)?,
        })
    }
}

/// Input for (re)assigning a case manager.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssignInput {
    pub case_manager_id: Option<String>,
}

impl AssignInput {
    pub(super) fn parse(&self) -> Result<UserId> {
        one_field(id(&self.case_manager_id, "case_manager_id"))
    }
}

// ---------------------------------------------------------------------------------------
// Perspective

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PerspectiveInput {
    pub perspective: Option<String>,
    pub decision_stage: Option<String>,
    pub migration_project: Option<String>,
    pub current_situation: Option<String>,
    pub legal_options: Option<String>,
    pub decision: Option<String>,
}

pub(super) struct NewPerspective {
    pub perspective: Perspective,
    pub stage: DecisionStage,
    pub text: PerspectiveText,
}

impl PerspectiveInput {
    pub(super) fn parse(&self) -> Result<NewPerspective> {
        let mut e = Errors::default();
        let perspective = e.take(choice::<Perspective>(
            &self.perspective,
            "perspective",
            None,
        ));
        let stage = e.take(choice::<DecisionStage>(
            &self.decision_stage,
            "decision_stage",
            None,
        ));
        let mp = e.take(text(&self.migration_project, "migration_project", 5000));
        let cs = e.take(text(&self.current_situation, "current_situation", 5000));
        let lo = e.take(text(&self.legal_options, "legal_options", 5000));
        let de = e.take(text(&self.decision, "decision", 5000));
        e.finish()?;
        Ok(NewPerspective {
            perspective: got(perspective)?,
            stage: got(stage)?,
            text: PerspectiveText {
                migration_project: got(mp)?,
                current_situation: got(cs)?,
                legal_options: got(lo)?,
                decision: got(de)?,
            },
        })
    }
}

// ---------------------------------------------------------------------------------------
// Legal procedures

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProcedureInput {
    /// A code of the configured `procedure_type` list.
    pub kind: Option<String>,
    pub filed_on: Option<String>,
    /// pending (default), granted, refused, withdrawn.
    pub decision: Option<String>,
    pub decision_on: Option<String>,
    pub appeal_filed_on: Option<String>,
    pub deadline: Option<String>,
    pub notes: Option<String>,
}

/// A procedure as it is stored: dates as `YYYY-MM-DD`.
pub(super) struct ValidProcedure {
    pub kind: String,
    pub filed_on: Option<String>,
    pub decision: Decision,
    pub decision_on: Option<String>,
    pub appeal_filed_on: Option<String>,
    pub deadline: Option<String>,
    pub notes: Option<String>,
}

impl ProcedureInput {
    /// A decision comes after the filing, and a pending procedure has no decision date.
    pub(super) fn parse(&self) -> Result<ValidProcedure> {
        let mut e = Errors::default();
        let kind = e.take(required_text(&self.kind, "kind", 60));
        let filed = e.take(opt_date(&self.filed_on, "filed_on"));
        let decision = e.take(choice(&self.decision, "decision", Some(Decision::Pending)));
        let decision_on = e.take(opt_date(&self.decision_on, "decision_on"));
        let appeal = e.take(opt_date(&self.appeal_filed_on, "appeal_filed_on"));
        let deadline = e.take(opt_date(&self.deadline, "deadline"));
        let notes = e.take(text(&self.notes, "notes", 5000));
        if let (Some(Some(f)), Some(Some(d))) = (&filed, &decision_on) {
            if d < f {
                e.push("decision_on", "err-date-before-filed");
            }
        }
        if let (Some(Decision::Pending), Some(Some(_))) = (&decision, &decision_on) {
            e.push("decision_on", "err-decision-pending");
        }
        e.finish()?;
        Ok(ValidProcedure {
            kind: got(kind)?,
            filed_on: got(filed)?.map(dates::format),
            decision: got(decision)?,
            decision_on: got(decision_on)?.map(dates::format),
            appeal_filed_on: got(appeal)?.map(dates::format),
            deadline: got(deadline)?.map(dates::format),
            notes: got(notes)?,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Action plan

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GoalInput {
    pub title: Option<String>,
    pub domain: Option<String>,
    /// short or long.
    pub term: Option<String>,
    /// A staff member of your organisation; empty for none.
    pub owner_id: Option<String>,
    pub due_on: Option<String>,
    /// open (default), in_progress, achieved, dropped.
    pub status: Option<String>,
    /// A progress note to add.
    pub progress: Option<String>,
}

pub(super) struct NewGoal {
    pub title: String,
    pub domain: Domain,
    pub term: Term,
    pub due: Option<Date>,
    pub status: GoalStatus,
    pub progress: Option<String>,
}

/// A change to a goal: `None` keeps the current value.
pub(super) struct GoalChange {
    pub title: Option<String>,
    pub domain: Option<Domain>,
    pub term: Option<Term>,
    pub due: Option<Date>,
    pub status: Option<GoalStatus>,
    pub progress: Option<String>,
}

impl GoalInput {
    /// The owner is checked against the organisation's staff by the use case.
    pub(super) fn parse_new(&self) -> Result<NewGoal> {
        let mut e = Errors::default();
        let title = e.take(required_text(&self.title, "title", 300));
        let domain = e.take(choice::<Domain>(&self.domain, "domain", None));
        let term = e.take(choice(&self.term, "term", Some(Term::Short)));
        let due = e.take(opt_date(&self.due_on, "due_on"));
        let status = e.take(choice(&self.status, "status", Some(GoalStatus::Open)));
        let progress = e.take(text(&self.progress, "progress", 5000));
        e.finish()?;
        Ok(NewGoal {
            title: got(title)?,
            domain: got(domain)?,
            term: got(term)?,
            due: got(due)?,
            status: got(status)?,
            progress: got(progress)?,
        })
    }

    pub(super) fn parse_change(&self) -> Result<GoalChange> {
        let mut e = Errors::default();
        let title = e.take(text(&self.title, "title", 300));
        let domain = e.take(optional_choice::<Domain>(&self.domain, "domain"));
        let term = e.take(optional_choice::<Term>(&self.term, "term"));
        let due = e.take(opt_date(&self.due_on, "due_on"));
        let status = e.take(optional_choice::<GoalStatus>(&self.status, "status"));
        let progress = e.take(text(&self.progress, "progress", 5000));
        e.finish()?;
        Ok(GoalChange {
            title: got(title)?,
            domain: got(domain)?,
            term: got(term)?,
            due: got(due)?,
            status: got(status)?,
            progress: got(progress)?,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AppointmentInput {
    /// appointment (default) or task.
    pub kind: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// `HH:MM` (UTC); default 09:00.
    pub due_time: Option<String>,
}

pub(super) struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    /// The due date and time, in Unix seconds.
    pub due_at: i64,
}

impl AppointmentInput {
    pub(super) fn parse(&self) -> Result<NewItem> {
        let mut e = Errors::default();
        let kind = e.take(choice(&self.kind, "kind", Some(ItemKind::Appointment)));
        let title = e.take(required_text(&self.title, "title", 300));
        let due = e.take(required_date(&self.due_on, "due_on"));
        let time = e.take(parse_time(&self.due_time));
        e.finish()?;
        Ok(NewItem {
            kind: got(kind)?,
            title: got(title)?,
            due_at: got(due)?
                .with_time(got(time)?)
                .assume_utc()
                .unix_timestamp(),
        })
    }
}

fn parse_time(v: &Option<String>) -> std::result::Result<time::Time, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        return Ok(time::Time::from_hms(9, 0, 0).unwrap_or(time::Time::MIDNIGHT));
    }
    let err = || FieldError::new("due_time", "err-time");
    let (h, m) = s.split_once(':').ok_or_else(err)?;
    let h: u8 = h.parse().map_err(|_| err())?;
    let m: u8 = m.parse().map_err(|_| err())?;
    time::Time::from_hms(h, m, 0).map_err(|_| err())
}

// ---------------------------------------------------------------------------------------
// Notes

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NoteInput {
    pub text: Option<String>,
}

impl NoteInput {
    pub(super) fn parse(&self) -> Result<String> {
        one_field(required_text(&self.text, "text", 10_000))
    }
}

// ---------------------------------------------------------------------------------------
// Employment follow-up

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EpisodeInput {
    pub start_on: Option<String>,
    /// Empty while the job lasts.
    pub end_on: Option<String>,
    /// temporary or fixed.
    pub contract: Option<String>,
    pub sector: Option<String>,
    /// 1–80.
    pub hours_per_week: Option<String>,
}

pub(super) struct NewEpisode {
    pub start: Date,
    pub end: Option<Date>,
    pub contract: Contract,
    pub sector: String,
    pub hours: i64,
}

impl EpisodeInput {
    pub(super) fn parse(&self) -> Result<NewEpisode> {
        let mut e = Errors::default();
        let start = e.take(required_date(&self.start_on, "start_on"));
        let end = e.take(opt_date(&self.end_on, "end_on"));
        let contract = e.take(choice::<Contract>(&self.contract, "contract", None));
        let sector = e.take(required_text(&self.sector, "sector", 100));
        let hours = e.take(
            number(&self.hours_per_week, "hours_per_week", 1..=80)
                .and_then(|h| h.ok_or(FieldError::new("hours_per_week", "err-required"))),
        );
        if let (Some(s), Some(Some(en))) = (&start, &end) {
            if en < s {
                e.push("end_on", "err-end-before-start");
            }
        }
        e.finish()?;
        Ok(NewEpisode {
            start: got(start)?,
            end: got(end)?,
            contract: got(contract)?,
            sector: got(sector)?,
            hours: got(hours)?,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Closure

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    /// regularised, returned_voluntarily, moved_on, dublin_transfer, lost_contact,
    /// deceased, other. Required.
    pub outcome: Option<String>,
    /// `YYYY-MM-DD`; not in the future. Required.
    pub closed_on: Option<String>,
    /// For `regularised`: a code of the configured `permit_type` list.
    pub permit_type: Option<String>,
    /// For `returned_voluntarily` and `moved_on`.
    pub country: Option<String>,
    /// For `returned_voluntarily`: who supported the return.
    pub supporting_org: Option<String>,
    pub details: Option<String>,
}

pub(super) struct Closing {
    pub outcome: Outcome,
    pub closed_on: Date,
    /// Only the details the outcome asks for; the others are dropped.
    pub details: OutcomeDetails,
}

impl CloseInput {
    /// Each outcome requires its own details (a permit type, a country, who supported a
    /// return); a closure is never dated after `today`.
    pub(super) fn parse(&self, today: Date) -> Result<Closing> {
        let mut e = Errors::default();
        let outcome = e.take(choice::<Outcome>(&self.outcome, "outcome", None));
        let closed_on = e.take(required_date(&self.closed_on, "closed_on"));
        if let Some(d) = &closed_on {
            if *d > today {
                e.push("closed_on", "err-date-future");
            }
        }
        let permit = e.take(text(&self.permit_type, "permit_type", 60));
        let country = e.take(text(&self.country, "country", 100));
        let supporting = e.take(text(&self.supporting_org, "supporting_org", 200));
        let details = e.take(text(&self.details, "details", 5000));
        if let (Some(o), Some(p), Some(c), Some(s)) = (&outcome, &permit, &country, &supporting) {
            match o {
                Outcome::Regularised if p.is_none() => e.push("permit_type", "err-required"),
                Outcome::ReturnedVoluntarily => {
                    if c.is_none() {
                        e.push("country", "err-required");
                    }
                    if s.is_none() {
                        e.push("supporting_org", "err-required");
                    }
                }
                Outcome::MovedOn if c.is_none() => e.push("country", "err-required"),
                _ => {}
            }
        }
        e.finish()?;
        let outcome = got(outcome)?;
        Ok(Closing {
            outcome,
            closed_on: got(closed_on)?,
            details: OutcomeDetails {
                permit_type: got(permit)?.filter(|_| outcome == Outcome::Regularised),
                country: got(country)?
                    .filter(|_| matches!(outcome, Outcome::ReturnedVoluntarily | Outcome::MovedOn)),
                supporting_org: got(supporting)?
                    .filter(|_| outcome == Outcome::ReturnedVoluntarily),
                details: got(details)?,
            },
        })
    }
}
