//! Outreach contacts as the device sends them, their parsing into what is stored, and what
//! the use cases return (the team lead's figures are in `team.rs`, the referral lines in
//! `refer.rs`, show mode in `show.rs`).
//!
//! The lists a worker chooses from (areas, situations, needs, topics, age bands,
//! directions) are configuration, checked against a [`Config`] loaded once per batch.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

use crate::error::Errors;
use crate::input::text;
use crate::people::{self, Gender};
use crate::{FieldError, Result};

/// The three activities of the Reach Out model.
pub const ACTIVITIES: &[&str] = &["contacted", "informed", "referred"];

/// Where a person stands in their decision; the decision is always theirs.
pub const DECISIONS: &[&str] = &["not_considering", "exploring", "decided"];

/// The most records one sync request may carry.
pub const MAX_BATCH: usize = 1000;
/// How far back "recent contacts" reach when looking for a returning person.
pub const RECENT_DAYS: i64 = 180;

/// A contact id as the device made it: a UUIDv7, in its canonical text form.
pub(crate) fn parse_id(s: &str) -> Option<String> {
    let u = Uuid::parse_str(s.trim()).ok()?;
    (u.get_version_num() == 7).then(|| u.to_string())
}

/// One record the device sends: a new contact (`base_version` 0) or an edit of the version
/// it was based on.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SyncRecord {
    /// Made by the device: a UUIDv7.
    pub id: String,
    #[serde(default)]
    pub base_version: i64,
    pub contact: ContactInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    /// The server holds this record at `version`: delete it from the device's queue.
    Stored,
    /// Not applied; `reason` says why. Show it to the worker.
    Conflict,
    /// Not applied; `fields` name what is wrong.
    Invalid,
}

/// The answer for one record. Repeating a record gives the same answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SyncResult {
    pub id: String,
    pub status: SyncStatus,
    /// With `stored`: the version the server holds for this payload.
    pub version: Option<i64>,
    /// With `conflict`: a message id (the API adds the text).
    pub reason: Option<&'static str>,
    /// With `conflict`: the server's current version, when the record exists.
    pub server_version: Option<i64>,
    pub fields: Vec<FieldError>,
}

impl SyncResult {
    pub(crate) fn stored(id: &str, version: i64) -> Self {
        Self {
            id: id.to_owned(),
            status: SyncStatus::Stored,
            version: Some(version),
            reason: None,
            server_version: None,
            fields: Vec::new(),
        }
    }
    pub(crate) fn conflict(id: &str, reason: &'static str, server_version: Option<i64>) -> Self {
        Self {
            id: id.to_owned(),
            status: SyncStatus::Conflict,
            version: None,
            reason: Some(reason),
            server_version,
            fields: Vec::new(),
        }
    }
    pub(crate) fn invalid(id: &str, fields: Vec<FieldError>) -> Self {
        Self {
            id: id.to_owned(),
            status: SyncStatus::Invalid,
            version: None,
            reason: None,
            server_version: None,
            fields,
        }
    }
}

/// A choice offered to the worker: a configured code and its label.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// A referral target the app offers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Target {
    /// `organisation` or `service`.
    pub kind: String,
    pub id: String,
    pub name: String,
}

/// Everything the app needs to record contacts offline; it caches this.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutreachConfig {
    pub areas: Vec<Choice>,
    pub situations: Vec<Choice>,
    pub needs: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub age_bands: Vec<Choice>,
    pub directions: Vec<Choice>,
    /// Workers of the team (id = user id, label = display name).
    pub workers: Vec<Choice>,
    pub targets: Vec<Target>,
    /// Programmes a case may be opened in on registration; empty without `CaseWrite`.
    pub programmes: Vec<Choice>,
    /// Whether the team turned on coarse location. Off by default.
    pub coarse_location: bool,
    /// How many days a sent record stays on the device.
    pub device_days: i64,
}

/// A contact as read back: its version (for edits) and its data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: String,
    pub version: i64,
    pub data: ContactData,
    /// Per person (by position): the registered person, when they consented.
    pub registered: Vec<Option<String>>,
}

/// One earlier meeting with a returning person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ThreadEntry {
    pub contact_id: String,
    pub version: i64,
    pub ordinal: i64,
    pub contact_at: i64,
    pub area: String,
    pub activities: Vec<String>,
    pub person: ContactPerson,
    pub person_id: Option<String>,
    pub followup_at: Option<i64>,
}

/// Registering a person met in outreach, with their consent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RegisterInput {
    /// The person said yes to being registered, after being told what that means.
    #[serde(default)]
    pub consent: bool,
    /// The contacts (and the person's position in each) to link to the new person.
    #[serde(default)]
    pub links: Vec<LinkInput>,
    /// What the person agreed to have recorded.
    #[serde(default)]
    pub person: people::PersonInput,
    /// When set, a case is opened in this programme (needs `CaseWrite`).
    #[serde(default)]
    pub programme_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LinkInput {
    pub contact_id: String,
    pub ordinal: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub person_id: String,
    pub case_id: Option<String>,
}

/// One contact as recorded on the device. Times are Unix seconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContactInput {
    pub contact_at: Option<i64>,
    /// A code from the team's area list.
    pub area: Option<String>,
    /// User ids of the workers present (of the same organisation).
    pub workers: Vec<String>,
    /// How many people were met; at least the number of persons described.
    pub people_count: Option<i64>,
    /// `contacted`, `informed`, `referred`.
    pub activities: Vec<String>,
    pub persons: Vec<PersonInput>,
    pub followup_at: Option<i64>,
    pub followup_place: Option<String>,
    pub notes: Option<String>,
}

/// One person met, described without identifying them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = ContactPersonInput)]
pub struct PersonInput {
    /// A name the person chose to be known by; empty for "anonymous".
    pub alias: Option<String>,
    pub age_band: Option<String>,
    pub gender: Option<String>,
    /// Nationality or region of origin, as told.
    pub origin: Option<String>,
    pub language: Option<String>,
    pub situations: Vec<String>,
    pub needs: Vec<String>,
    /// Topics explained (informing).
    pub topics: Vec<String>,
    /// The person's migration project in their words.
    pub project: Option<String>,
    /// `not_considering`, `exploring` or `decided`.
    pub decision: Option<String>,
    /// With `decided`: a code from the `outreach_direction` list.
    pub decided_on: Option<String>,
    pub referrals: Vec<ReferralTarget>,
}

/// Where a person was referred: a network organisation or a directory service.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferralTarget {
    /// `organisation` or `service`.
    pub kind: String,
    pub id: String,
}

/// What is stored (sealed) for a contact: the normalised input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactData {
    pub contact_at: i64,
    pub area: String,
    pub workers: Vec<String>,
    pub people_count: i64,
    pub activities: Vec<String>,
    pub persons: Vec<ContactPerson>,
    pub followup_at: Option<i64>,
    pub followup_place: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactPerson {
    pub alias: Option<String>,
    pub age_band: Option<String>,
    pub gender: Gender,
    pub origin: Option<String>,
    pub language: Option<String>,
    pub situations: Vec<String>,
    pub needs: Vec<String>,
    pub topics: Vec<String>,
    pub project: Option<String>,
    pub decision: Option<String>,
    pub decided_on: Option<String>,
    pub referrals: Vec<ReferralTarget>,
}

impl ContactData {
    /// A counselling contact: a topic was explained or a decision stage was recorded.
    pub fn counselling(&self) -> bool {
        self.persons
            .iter()
            .any(|p| !p.topics.is_empty() || p.decision.is_some())
    }
    pub fn has(&self, activity: &str) -> bool {
        self.activities.iter().any(|a| a == activity)
    }
}

/// The configuration a contact is checked against.
#[derive(Debug, Default)]
pub struct Config {
    pub areas: HashSet<String>,
    pub situations: HashSet<String>,
    pub needs: HashSet<String>,
    pub topics: HashSet<String>,
    pub age_bands: HashSet<String>,
    pub directions: HashSet<String>,
    pub workers: HashSet<String>,
    pub organisations: HashSet<String>,
    pub services: HashSet<String>,
}

/// The earliest acceptable contact time: a device may stay offline a long while, but not
/// for years.
const MAX_AGE: i64 = 400 * 86_400;

fn code(
    v: &Option<String>,
    field: &'static str,
    allowed: &HashSet<String>,
) -> std::result::Result<Option<String>, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if allowed.contains(s) => Ok(Some(s.to_owned())),
        Some(_) => Err(FieldError::new(field, "err-choice")),
    }
}

fn codes(
    v: &[String],
    field: &'static str,
    allowed: &HashSet<String>,
) -> std::result::Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for s in v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !allowed.contains(s) {
            return Err(FieldError::new(field, "err-choice"));
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// Each value once, sorted; an empty or unknown value is `err-choice` (unlike [`codes`],
/// which skips empty ones).
fn choices(
    v: &[String],
    field: &'static str,
    known: impl Fn(&str) -> bool,
) -> std::result::Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    let mut bad = false;
    for s in v.iter().map(|s| s.trim()) {
        if !known(s) {
            bad = true;
        } else if !out.iter().any(|x| x == s) {
            out.push(s.to_owned());
        }
    }
    out.sort();
    if bad {
        Err(FieldError::new(field, "err-choice"))
    } else {
        Ok(out)
    }
}

impl ContactInput {
    /// Checks every field against the configuration and reports all problems at once.
    pub fn parse(&self, cfg: &Config, now: i64) -> Result<ContactData> {
        let mut e = Errors::default();
        let contact_at = e.take(match self.contact_at {
            Some(t) if t <= now + 3600 && t >= now - MAX_AGE => Ok(t),
            Some(_) => Err(FieldError::new("contact_at", "err-outreach-when")),
            None => Err(FieldError::new("contact_at", "err-required")),
        });
        let area = e.take(match code(&self.area, "area", &cfg.areas) {
            Ok(Some(a)) => Ok(a),
            Ok(None) => Err(FieldError::new("area", "err-required")),
            Err(x) => Err(x),
        });
        let workers = e.take(
            choices(&self.workers, "workers", |id| cfg.workers.contains(id)).and_then(|w| {
                if w.len() > 20 {
                    Err(FieldError::new("workers", "err-list-long"))
                } else {
                    Ok(w)
                }
            }),
        );
        let activities = e.take(choices(&self.activities, "activities", |s| {
            ACTIVITIES.contains(&s)
        }));
        let mut persons = Vec::new();
        if self.persons.len() > 50 {
            e.push("persons", "err-list-long");
        } else {
            for p in &self.persons {
                if let Some(p) = p.parse(cfg, &mut e) {
                    persons.push(p);
                }
            }
        }
        let people_count = e.take(match self.people_count {
            None => Ok((persons.len() as i64).max(1)),
            Some(n) if (1..=500).contains(&n) && n >= persons.len() as i64 => Ok(n),
            Some(_) => Err(FieldError::new("people_count", "err-outreach-people-count")),
        });
        let followup_at = e.take(match self.followup_at {
            None => Ok(None),
            Some(t) if t >= now - MAX_AGE && t <= now + 400 * 86_400 => Ok(Some(t)),
            Some(_) => Err(FieldError::new("followup_at", "err-outreach-followup")),
        });
        let followup_place = e.take(text(&self.followup_place, "followup_place", 200));
        let notes = e.take(text(&self.notes, "notes", 2000));
        e.finish()?;
        match (
            contact_at,
            area,
            workers,
            people_count,
            activities,
            followup_at,
            followup_place,
            notes,
        ) {
            (
                Some(contact_at),
                Some(area),
                Some(workers),
                Some(people_count),
                Some(activities),
                Some(followup_at),
                Some(followup_place),
                Some(notes),
            ) => Ok(ContactData {
                contact_at,
                area,
                workers,
                people_count,
                activities,
                persons,
                followup_at,
                followup_place,
                notes,
            }),
            _ => Err(crate::Error::Internal(anyhow::anyhow!(
                "validation inconsistency"
            ))),
        }
    }
}

impl PersonInput {
    fn parse(&self, cfg: &Config, e: &mut Errors) -> Option<ContactPerson> {
        let alias = e.take(text(&self.alias, "alias", 100));
        let age_band = e.take(code(&self.age_band, "age_band", &cfg.age_bands));
        let gender = e.take(match self.gender.as_deref().map(str::trim) {
            None | Some("") => Ok(Gender::Unknown),
            Some(s) => Gender::parse(s).ok_or(FieldError::new("gender", "err-choice")),
        });
        let origin = e.take(text(&self.origin, "origin", 60));
        let language = e.take(text(&self.language, "language", 60));
        let situations = e.take(codes(&self.situations, "situations", &cfg.situations));
        let needs = e.take(codes(&self.needs, "needs", &cfg.needs));
        let topics = e.take(codes(&self.topics, "topics", &cfg.topics));
        let project = e.take(text(&self.project, "project", 500));
        let decision = e.take(match self.decision.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) if DECISIONS.contains(&s) => Ok(Some(s.to_owned())),
            Some(_) => Err(FieldError::new("decision", "err-choice")),
        });
        let decided_on = e.take(
            match code(&self.decided_on, "decided_on", &cfg.directions) {
                Ok(Some(d)) if decision.as_ref().and_then(|x| x.as_deref()) != Some("decided") => {
                    let _ = d;
                    Err(FieldError::new("decided_on", "err-outreach-decided-on"))
                }
                other => other,
            },
        );
        let referrals = e.take({
            let mut out: Vec<ReferralTarget> = Vec::new();
            let mut bad = false;
            for r in &self.referrals {
                let known = match r.kind.as_str() {
                    "organisation" => cfg.organisations.contains(r.id.trim()),
                    "service" => cfg.services.contains(r.id.trim()),
                    _ => false,
                };
                if !known {
                    bad = true;
                } else {
                    let t = ReferralTarget {
                        kind: r.kind.clone(),
                        id: r.id.trim().to_owned(),
                    };
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
            out.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
            if bad {
                Err(FieldError::new("referrals", "err-choice"))
            } else {
                Ok(out)
            }
        });
        Some(ContactPerson {
            alias: alias?,
            age_band: age_band?,
            gender: gender?,
            origin: origin?,
            language: language?,
            situations: situations?,
            needs: needs?,
            topics: topics?,
            project: project?,
            decision: decision?,
            decided_on: decided_on?,
            referrals: referrals?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        let set = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        Config {
            areas: set(&["park"]),
            topics: set(&["asylum"]),
            directions: set(&["voluntary_return"]),
            ..Default::default()
        }
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let input = ContactInput {
            contact_at: None,
            area: Some("moon".into()),
            activities: vec!["arrested".into()],
            persons: vec![PersonInput {
                topics: vec!["nope".into()],
                decided_on: Some("voluntary_return".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let Err(crate::Error::Invalid(f)) = input.parse(&cfg(), 1_000_000_000) else {
            panic!("expected invalid");
        };
        let fields: Vec<_> = f.iter().map(|e| e.field).collect();
        for want in ["contact_at", "area", "activities", "topics", "decided_on"] {
            assert!(fields.contains(&want), "{want} in {fields:?}");
        }
    }

    #[test]
    fn normalises_so_that_equal_meaning_gives_equal_data() {
        let now = 1_000_000_000;
        let a = ContactInput {
            contact_at: Some(now),
            area: Some(" park ".into()),
            activities: vec!["informed".into(), "contacted".into(), "informed".into()],
            ..Default::default()
        };
        let b = ContactInput {
            contact_at: Some(now),
            area: Some("park".into()),
            activities: vec!["contacted".into(), "informed".into()],
            ..Default::default()
        };
        assert_eq!(a.parse(&cfg(), now).ok(), b.parse(&cfg(), now).ok());
    }
}
