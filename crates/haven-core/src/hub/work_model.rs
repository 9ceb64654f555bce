//! The hub's work on a report: types, inputs and their parsing, and the hand-over's
//! allowlist ([`HANDOVER_FIELDS`], the one table that says what may go to the police).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::codes::code_enum;
use crate::error::Errors;
use crate::ids::{HandoverConsentId, HandoverId, HubActionId, OrgId, PerpetratorId, ReportId};
use crate::input::{choice, got, opt_date, required_date, text};
use crate::{FieldError, Result};

code_enum!(
    /// How soon the hub must act.
    Urgency { Urgent = "urgent", Soon = "soon", Routine = "routine" }
);

code_enum!(
    /// What the reporter needs, as triage records it.
    Need {
        LegalAdvice = "legal_advice",
        Shelter = "shelter",
        Medical = "medical",
        Psychosocial = "psychosocial",
        PoliceReport = "police_report",
        Other = "other",
    }
);

code_enum!(
    /// A protective measure for a victim.
    Measure {
        PermitTrafficking = "permit_trafficking",
        PermitDomesticViolence = "permit_domestic_violence",
        Shelter = "shelter",
    }
);

code_enum!(
    /// Where a protective measure stands.
    MeasureState { Explored = "explored", Applied = "applied", Granted = "granted", Refused = "refused" }
);

code_enum!(
    /// The kinds of the hub's recorded work on a report.
    ActionKind { Counselling = "counselling", Measure = "measure", Accompaniment = "accompaniment" }
);

code_enum!(
    /// How the reporter gave their consent to a hand-over.
    ConsentHow {
        InPerson = "in_person",
        Phone = "phone",
        InWriting = "in_writing",
        Conversation = "conversation",
    }
);

code_enum!(
    /// A field that may go to the police in a hand-over (see [`HANDOVER_FIELDS`]).
    HandoverField {
        Category = "category",
        Occurred = "occurred",
        What = "what",
        Place = "place",
        WhenDetail = "when_detail",
        ReporterRole = "reporter_role",
        Contact = "contact",
        Perpetrators = "perpetrators",
        Accompaniments = "accompaniments",
        ReporterName = "reporter_name",
        ResidenceStatus = "residence_status",
        Nationality = "nationality",
        Address = "address",
    }
);

/// Where a hand-over field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Copied from the report or the hub's records of it.
    Report,
    /// Typed by the officer for this hand-over only, as the reporter wants it given.
    Officer,
}

/// Which of the reporter's explicit choices a field needs in the consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    Status,
    Nationality,
    Address,
}

/// **The allowlist**: every field that may ever go to a police liaison unit, where its
/// value comes from, and which explicit choice of the reporter it needs. Nothing else can
/// be handed over; residence status, nationality and address only when the consent says
/// the reporter chose to include them. They are never asked on the public form: the
/// officer types them here, for this hand-over only.
pub const HANDOVER_FIELDS: &[(HandoverField, Source, Needs)] = &[
    (HandoverField::Category, Source::Report, Needs::Nothing),
    (HandoverField::Occurred, Source::Report, Needs::Nothing),
    (HandoverField::What, Source::Report, Needs::Nothing),
    (HandoverField::Place, Source::Report, Needs::Nothing),
    (HandoverField::WhenDetail, Source::Report, Needs::Nothing),
    (HandoverField::ReporterRole, Source::Report, Needs::Nothing),
    (HandoverField::Contact, Source::Report, Needs::Nothing),
    (HandoverField::Perpetrators, Source::Report, Needs::Nothing),
    (
        HandoverField::Accompaniments,
        Source::Report,
        Needs::Nothing,
    ),
    (HandoverField::ReporterName, Source::Officer, Needs::Nothing),
    (
        HandoverField::ResidenceStatus,
        Source::Officer,
        Needs::Status,
    ),
    (
        HandoverField::Nationality,
        Source::Officer,
        Needs::Nationality,
    ),
    (HandoverField::Address, Source::Officer, Needs::Address),
];

/// The allowlist's entry for a field.
pub fn allowlisted(f: HandoverField) -> Option<(Source, Needs)> {
    HANDOVER_FIELDS
        .iter()
        .find(|(x, _, _)| *x == f)
        .map(|(_, s, n)| (*s, *n))
}

/// The most characters of a short text (topic, station, outcome, reference, name).
pub const MAX_LINE: usize = 200;
/// The most characters of a note.
pub const MAX_NOTE: usize = 2000;

/// A day as Unix seconds at 00:00 UTC, and its month `YYYY-MM`.
pub fn day_ts(d: Date) -> i64 {
    d.midnight().assume_utc().unix_timestamp()
}

pub fn month_of(ts: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(ts) {
        Ok(t) => format!("{:04}-{:02}", t.year(), u8::from(t.month())),
        Err(_) => "0000-00".to_owned(),
    }
}

fn no_future(d: Date, now: i64, field: &'static str) -> std::result::Result<i64, FieldError> {
    let ts = day_ts(d);
    if ts > now {
        Err(FieldError::new(field, "err-hub-future"))
    } else {
        Ok(ts)
    }
}

/// Triage as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TriageInput {
    /// `urgent`, `soon` or `routine`.
    pub urgency: Option<String>,
    /// Codes of what is needed.
    #[serde(default)]
    pub needed: Vec<String>,
    /// When to follow up: `YYYY-MM-DD`.
    pub follow_up: Option<String>,
    /// Notes (sealed).
    pub notes: Option<String>,
    /// The version the change is based on (0 for the first triage).
    pub version: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewTriage {
    pub urgency: Urgency,
    pub needs: Vec<Need>,
    pub follow_up: Option<i64>,
    pub notes: Option<String>,
    pub version: i64,
}

impl TriageInput {
    pub fn parse(&self) -> Result<NewTriage> {
        let mut e = Errors::default();
        let urgency = e.take(choice::<Urgency>(&self.urgency, "urgency", None));
        let mut needs = Vec::new();
        for n in &self.needed {
            match Need::parse(n) {
                Some(n) if !needs.contains(&n) => needs.push(n),
                Some(_) => {}
                None => e.push("needed", "err-choice"),
            }
        }
        let follow_up = e.take(opt_date(&self.follow_up, "follow_up"));
        let notes = e.take(text(&self.notes, "notes", MAX_NOTE));
        e.finish()?;
        Ok(NewTriage {
            urgency: got(urgency)?,
            needs,
            follow_up: got(follow_up)?.map(day_ts),
            notes: got(notes)?,
            version: self.version.unwrap_or(0),
        })
    }
}

/// Counselling given, a measure, or an accompaniment, as a form or the API sends it.
/// Which fields count depends on the kind: counselling needs `topic`; a measure `measure`
/// and `state`; an accompaniment `station` (its `outcome` and `police_reference` may
/// follow later in the note).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActionInput {
    /// The day: `YYYY-MM-DD`, not in the future.
    pub day: Option<String>,
    pub topic: Option<String>,
    pub measure: Option<String>,
    pub state: Option<String>,
    pub station: Option<String>,
    pub outcome: Option<String>,
    pub police_reference: Option<String>,
    pub note: Option<String>,
}

/// The sealed part of an action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionData {
    pub topic: Option<String>,
    pub station: Option<String>,
    pub outcome: Option<String>,
    pub police_reference: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAction {
    pub kind: ActionKind,
    pub day: i64,
    pub measure: Option<Measure>,
    pub state: Option<MeasureState>,
    pub data: ActionData,
}

impl ActionInput {
    pub fn parse(&self, kind: ActionKind, now: i64) -> Result<NewAction> {
        let mut e = Errors::default();
        let day = e.take(required_date(&self.day, "day").and_then(|d| no_future(d, now, "day")));
        let topic = e.take(text(&self.topic, "topic", MAX_LINE));
        let station = e.take(text(&self.station, "station", MAX_LINE));
        let outcome = e.take(text(&self.outcome, "outcome", MAX_LINE));
        let reference = e.take(text(&self.police_reference, "police_reference", MAX_LINE));
        let note = e.take(text(&self.note, "note", MAX_NOTE));
        let (mut measure, mut state) = (None, None);
        match kind {
            ActionKind::Counselling => {
                if matches!(topic, Some(None)) {
                    e.push("topic", "err-required");
                }
            }
            ActionKind::Measure => {
                measure = e.take(choice::<Measure>(&self.measure, "measure", None));
                state = e.take(choice::<MeasureState>(&self.state, "state", None));
            }
            ActionKind::Accompaniment => {
                if matches!(station, Some(None)) {
                    e.push("station", "err-required");
                }
            }
        }
        e.finish()?;
        Ok(NewAction {
            kind,
            day: got(day)?,
            measure,
            state,
            data: ActionData {
                topic: got(topic)?,
                station: got(station)?,
                outcome: got(outcome)?,
                police_reference: got(reference)?,
                note: got(note)?,
            },
        })
    }
}

/// A measure's new state.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MeasureUpdate {
    pub state: Option<String>,
    /// The day of the change: `YYYY-MM-DD`.
    pub day: Option<String>,
    pub version: Option<i64>,
}

impl MeasureUpdate {
    pub fn parse(&self, now: i64) -> Result<(MeasureState, i64, i64)> {
        let mut e = Errors::default();
        let state = e.take(choice::<MeasureState>(&self.state, "state", None));
        let day = e.take(required_date(&self.day, "day").and_then(|d| no_future(d, now, "day")));
        e.finish()?;
        Ok((got(state)?, got(day)?, self.version.unwrap_or(0)))
    }
}

/// A perpetrator's name as the officer types it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PerpetratorInput {
    /// An employer or a person, as the report names them.
    pub name: Option<String>,
}

/// The reporter's consent to a hand-over, as the officer records it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = HubConsentInput)]
pub struct ConsentInput {
    /// The police liaison unit (an organisation of kind `police_liaison`).
    pub police_org: Option<String>,
    /// `in_person`, `phone`, `in_writing` or `conversation`.
    pub given_how: Option<String>,
    /// The day it was given: `YYYY-MM-DD`.
    pub given_on: Option<String>,
    /// The reporter explicitly chose to include their residence status.
    #[serde(default)]
    pub with_status: bool,
    /// … their nationality.
    #[serde(default)]
    pub with_nationality: bool,
    /// … their address.
    #[serde(default)]
    pub with_address: bool,
}

#[derive(Debug, Clone)]
pub struct NewConsent {
    pub police_org: OrgId,
    pub given_how: ConsentHow,
    pub given_at: i64,
    pub with_status: bool,
    pub with_nationality: bool,
    pub with_address: bool,
}

impl ConsentInput {
    pub fn parse(&self, now: i64) -> Result<NewConsent> {
        let mut e = Errors::default();
        let org = e.take(crate::input::required_id::<OrgId>(
            &self.police_org,
            "police_org",
        ));
        let how = e.take(choice::<ConsentHow>(&self.given_how, "given_how", None));
        let at = e.take(
            required_date(&self.given_on, "given_on").and_then(|d| no_future(d, now, "given_on")),
        );
        e.finish()?;
        Ok(NewConsent {
            police_org: got(org)?,
            given_how: got(how)?,
            given_at: got(at)?,
            with_status: self.with_status,
            with_nationality: self.with_nationality,
            with_address: self.with_address,
        })
    }
}

/// A hand-over as the officer prepares it: the fields chosen from the allowlist, and the
/// values of the fields only the officer can give (as the reporter wants them given).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct HandoverInput {
    /// Field codes from the allowlist.
    #[serde(default)]
    pub fields: Vec<String>,
    pub reporter_name: Option<String>,
    /// A residence status code, only with the reporter's explicit choice.
    pub residence_status: Option<String>,
    pub nationality: Option<String>,
    pub address: Option<String>,
}

/// A parsed hand-over: the chosen fields, and the values the officer typed.
pub type Prepared = (Vec<HandoverField>, Vec<(HandoverField, String)>);

impl HandoverInput {
    /// The chosen fields (each in the allowlist, at least one) and the officer's values.
    pub fn parse(&self) -> Result<Prepared> {
        let mut e = Errors::default();
        let mut chosen = Vec::new();
        for f in &self.fields {
            match HandoverField::parse(f).filter(|f| allowlisted(*f).is_some()) {
                Some(f) if !chosen.contains(&f) => chosen.push(f),
                Some(_) => {}
                None => e.push("fields", "err-handover-field"),
            }
        }
        if self.fields.is_empty() {
            e.push("fields", "err-required");
        }
        let mut typed = Vec::new();
        let officer = [
            (
                HandoverField::ReporterName,
                &self.reporter_name,
                "reporter_name",
            ),
            (HandoverField::Nationality, &self.nationality, "nationality"),
            (HandoverField::Address, &self.address, "address"),
        ];
        for (f, v, name) in officer {
            if let Some(Some(s)) = e.take(text(v, name, MAX_LINE)) {
                typed.push((f, s));
            }
        }
        match crate::input::given(&self.residence_status) {
            None => {}
            Some(s) => match crate::people::ResidenceStatus::parse(s) {
                Some(st) => typed.push((HandoverField::ResidenceStatus, st.as_str().to_owned())),
                None => e.push("residence_status", "err-choice"),
            },
        }
        // A value typed for a field not chosen, or a chosen officer's field left empty.
        for (f, _) in &typed {
            if !chosen.contains(f) {
                e.push(field_name(*f), "err-handover-not-chosen");
            }
        }
        for f in &chosen {
            if allowlisted(*f).map(|(s, _)| s) == Some(Source::Officer)
                && !typed.iter().any(|(x, _)| x == f)
            {
                e.push(field_name(*f), "err-required");
            }
        }
        e.finish()?;
        Ok((chosen, typed))
    }
}

/// The form field of an officer-typed hand-over field.
fn field_name(f: HandoverField) -> &'static str {
    match f {
        HandoverField::ReporterName => "reporter_name",
        HandoverField::ResidenceStatus => "residence_status",
        HandoverField::Nationality => "nationality",
        HandoverField::Address => "address",
        _ => "fields",
    }
}

/// Triage as the hub sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Triage {
    pub urgency: Urgency,
    pub needs: Vec<Need>,
    /// Day of the follow-up, Unix seconds at 00:00 UTC.
    pub follow_up: Option<i64>,
    pub notes: Option<String>,
    pub version: i64,
}

/// Counselling, a measure or an accompaniment as the hub sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Action {
    #[schema(value_type = String, format = Uuid)]
    pub id: HubActionId,
    pub kind: ActionKind,
    pub day: i64,
    pub measure: Option<Measure>,
    pub state: Option<MeasureState>,
    pub data: ActionData,
    pub version: i64,
}

/// A perpetrator named in the report, with the hub's other reports naming the same one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Perpetrator {
    #[schema(value_type = String, format = Uuid)]
    pub id: PerpetratorId,
    pub name: String,
    /// Other reports of this hub that name the same employer or person.
    #[schema(value_type = Vec<String>)]
    pub also_in: Vec<ReportId>,
}

/// A recorded consent to a hand-over.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = HubConsent)]
pub struct Consent {
    #[schema(value_type = String, format = Uuid)]
    pub id: HandoverConsentId,
    #[schema(value_type = String, format = Uuid)]
    pub police_org: OrgId,
    pub police_name: String,
    pub given_how: ConsentHow,
    pub given_at: i64,
    pub with_status: bool,
    pub with_nationality: bool,
    pub with_address: bool,
}

/// A hand-over as the hub lists it: to whom, when, which fields (not their values).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HandoverSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: HandoverId,
    pub police_name: String,
    pub fields: Vec<HandoverField>,
    pub created_at: i64,
}

/// Everything the hub did on a report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Casework {
    #[schema(value_type = String, format = Uuid)]
    pub report: ReportId,
    pub category: String,
    pub occurred: String,
    pub open: bool,
    pub triage: Option<Triage>,
    pub actions: Vec<Action>,
    pub perpetrators: Vec<Perpetrator>,
    pub consents: Vec<Consent>,
    pub handovers: Vec<HandoverSummary>,
}

/// One field as the police liaison reads it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HandedField {
    pub field: HandoverField,
    pub value: String,
}

/// A hand-over as the police liaison unit that received it lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HandoverItem {
    #[schema(value_type = String, format = Uuid)]
    pub id: HandoverId,
    pub hub_name: String,
    pub created_at: i64,
    pub fields: Vec<HandoverField>,
}

/// A hand-over as the receiving police liaison unit reads it: exactly the fields handed
/// over, nothing else of the report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Handover {
    #[schema(value_type = String, format = Uuid)]
    pub id: HandoverId,
    pub hub_name: String,
    pub created_at: i64,
    pub consent_how: ConsentHow,
    pub consent_at: i64,
    pub fields: Vec<HandedField>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowlist_gates_status_nationality_and_address_by_an_explicit_choice() {
        for f in HandoverField::ALL {
            let (source, needs) = allowlisted(*f).expect("every field is in the table");
            let sensitive = matches!(
                f,
                HandoverField::ResidenceStatus
                    | HandoverField::Nationality
                    | HandoverField::Address
            );
            assert_eq!(needs != Needs::Nothing, sensitive, "{}", f.as_str());
            if sensitive {
                assert_eq!(source, Source::Officer, "{}", f.as_str());
            }
        }
    }

    #[test]
    fn a_hand_over_names_unknown_fields_and_values_without_their_field() {
        let e = HandoverInput {
            fields: vec!["what".into(), "notes".into()],
            nationality: Some("Eritrean".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let crate::Error::Invalid(fields) = e else {
            panic!("{e:?}")
        };
        let codes: Vec<_> = fields.iter().map(|f| (f.field, f.code)).collect();
        assert!(
            codes.contains(&("fields", "err-handover-field")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("nationality", "err-handover-not-chosen")),
            "{codes:?}"
        );
    }
}
