//! The words of referrals as types, what the use cases return, and the parsing of typed
//! input into them. Parsing here needs no database: whether a chosen organisation, service
//! or type exists is checked by the use cases.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::codes::code_enum;
use crate::ids::{CaseId, ConsentId, OrgId, PersonId, ReferralId};
pub(crate) use crate::input::{given, required, required_id as parse_id, text as opt_text};
use crate::people::{Gender, ResidenceStatus};
use crate::{dates, Error, FieldError, Result};

/// The longest a consent may be given for: a year, so that it is asked again.
pub const MAX_CONSENT_DAYS: i64 = 366;

code_enum!(
    /// A person field a referral type may share. Notes are never shared, and the residence
    /// status only by the person's explicit consent, so neither is in this list.
    SharedField {
        Name = "name",
        Alias = "alias",
        Birth = "birth",
        Gender = "gender",
        Nationalities = "nationalities",
        Languages = "languages",
        Phone = "phone",
    }
);

code_enum!(
    /// Where a referral stands. `sent` and `accepted` are open.
    ReferralStatus {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        Completed = "completed",
        Withdrawn = "withdrawn",
    }
);

impl ReferralStatus {
    pub fn is_open(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Accepted)
    }
}

code_enum!(
    /// What came of an accepted referral.
    ReferralResult {
        Helped = "helped",
        NoShow = "no_show",
        NotEligible = "not_eligible",
        ReferredOn = "referred_on",
    }
);

code_enum!(
    /// One step in a referral's history.
    StepKind {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        Completed = "completed",
        Withdrawn = "withdrawn",
        ConsentWithdrawn = "consent_withdrawn",
    }
);

code_enum!(
    /// Where a referral was made from: a case, or a street-outreach contact (made through
    /// `outreach::refer_line`, which also records it on the contact's referral line).
    SourceType {
        Case = "case",
        Outreach = "outreach",
    }
);

/// A configured referral type and the fields it shares.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralType {
    pub code: String,
    /// The configured label; pages show a translation when one exists.
    pub label: String,
    pub fields: Vec<SharedField>,
}

/// The allowlist as stored: comma-separated field codes; unknown codes are ignored, so a
/// mistyped configuration shares less, never more.
pub fn parse_fields(s: &str) -> Vec<SharedField> {
    let mut out: Vec<SharedField> = s.split(',').filter_map(SharedField::parse).collect();
    out.dedup();
    out
}

/// A consent as the sending organisation sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Consent {
    #[schema(value_type = String, format = Uuid)]
    pub id: ConsentId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    #[schema(value_type = String, format = Uuid)]
    pub to_org: OrgId,
    pub to_org_name: String,
    /// The referral type the consent is for.
    pub purpose: String,
    pub share_residence_status: bool,
    /// The consent ends at this time (the end of its last day, UTC).
    pub expires_at: i64,
    pub recorded_by: String,
    pub recorded_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<String>,
    /// Not withdrawn and not expired, now.
    pub valid: bool,
}

/// A directory service that can receive referrals: its organisation is a network member.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceivingService {
    pub id: String,
    pub name: String,
    #[schema(value_type = String, format = Uuid)]
    pub org_id: OrgId,
    pub org_name: String,
}

/// One step of a referral: what happened, when, and who did it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub kind: StepKind,
    pub result: Option<ReferralResult>,
    pub at: i64,
    pub by: String,
    pub org: String,
}

/// One line of a list of referrals. `person_label` is filled for the sending side only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralLine {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    pub person_label: Option<String>,
    pub from_org_name: String,
    pub to_org_name: String,
    pub service_name: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A referral as the sending organisation sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SentReferral {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    pub person_label: Option<String>,
    pub to_org_name: String,
    pub service_name: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
    pub reason: Option<String>,
    pub decline_reason: Option<String>,
    pub source_type: Option<SourceType>,
    pub source_id: Option<String>,
    pub consent: Consent,
    pub created_at: i64,
    pub steps: Vec<Step>,
}

/// A referral as the receiving organisation sees it. `person` and `reason` are present
/// only while the referral is open and its consent stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceivedReferral {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    pub from_org_name: String,
    pub service_name: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
    pub reason: Option<String>,
    pub consent_expires_at: i64,
    pub created_at: i64,
    pub steps: Vec<Step>,
    pub person: Option<ReferredPerson>,
    /// Where the referral was made (a case, street outreach): the kind only, never which
    /// case or contact.
    pub source_type: Option<SourceType>,
}

/// The consents and referrals a person has with the actor's organisation as sender.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonReferrals {
    pub consents: Vec<Consent>,
    pub referrals: Vec<ReferralLine>,
}

/// What the consent form offers for a person: the types and the receiving services.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsentOptions {
    pub types: Vec<ReferralType>,
    pub services: Vec<ReceivingService>,
}

/// A consent of the actor's organisation, with the services of its organisation: the
/// choices of the referral form.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferOptions {
    pub consent: Consent,
    pub services: Vec<ReceivingService>,
}

/// Consent as typed: to which organisation, for which purpose (a referral type), until
/// which day, and whether the residence status may be shared. `person_agreed` must be
/// true: the staff member confirms the person said yes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsentInput {
    /// The receiving organisation's id.
    pub to_org: Option<String>,
    /// A referral type code.
    pub purpose: Option<String>,
    /// The last day the consent holds, `YYYY-MM-DD`; at most a year ahead.
    pub valid_until: Option<String>,
    pub share_residence_status: Option<bool>,
    pub person_agreed: Option<bool>,
}

/// A referral as typed. The person, the receiving organisation and the type come from the
/// consent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReferInput {
    pub consent_id: Option<String>,
    /// A directory service of the consent's organisation.
    pub service_id: Option<String>,
    /// Why, in a few words, for the receiving organisation; sealed with the person's key.
    pub reason: Option<String>,
    /// `case`, with `source_id` a case of the sending organisation for the same person.
    pub source_type: Option<String>,
    pub source_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DeclineInput {
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResultInput {
    pub result: Option<String>,
}

impl ConsentInput {
    /// When the consent ends: the end of its last day (UTC), which lies between today and
    /// [`MAX_CONSENT_DAYS`] ahead.
    pub(crate) fn expires_at(&self, today: Date) -> std::result::Result<i64, FieldError> {
        let until = dates::parse_input(required(&self.valid_until, "valid_until")?, "valid_until")?;
        if until < today || dates::days_between(today, until) > MAX_CONSENT_DAYS {
            return Err(FieldError::new("valid_until", "err-consent-range"));
        }
        Ok((until + Duration::days(1))
            .midnight()
            .assume_utc()
            .unix_timestamp())
    }
}

/// Where a referral was made from, as parsed: a case, or an outreach contact (its id as the
/// device made it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Case(CaseId),
    Outreach(uuid::Uuid),
}

impl Source {
    pub(crate) fn kind(self) -> SourceType {
        match self {
            Source::Case(_) => SourceType::Case,
            Source::Outreach(_) => SourceType::Outreach,
        }
    }

    /// The `source_id` column, which holds either kind of id as text.
    pub(crate) fn stored_id(self) -> String {
        match self {
            Source::Case(c) => c.to_string(),
            Source::Outreach(c) => c.to_string(),
        }
    }
}

impl ReferInput {
    /// The source, when one is given. `outreach` is accepted only with `allow_outreach`
    /// (see `refer_in`).
    pub(crate) fn source(
        &self,
        allow_outreach: bool,
    ) -> std::result::Result<Option<Source>, FieldError> {
        let choice = || FieldError::new("source_id", "err-choice");
        match (given(&self.source_type), given(&self.source_id)) {
            (None, None) => Ok(None),
            (Some(t), Some(sid)) => match SourceType::parse(t) {
                Some(SourceType::Case) => sid
                    .parse()
                    .map(|c| Some(Source::Case(c)))
                    .map_err(|_| choice()),
                Some(SourceType::Outreach) if allow_outreach => uuid::Uuid::parse_str(sid)
                    .map(|c| Some(Source::Outreach(c)))
                    .map_err(|_| choice()),
                Some(SourceType::Outreach) | None => {
                    Err(FieldError::new("source_type", "err-choice"))
                }
            },
            (None, Some(_)) => Err(FieldError::new("source_type", "err-required")),
            (Some(_), None) => Err(FieldError::new("source_id", "err-required")),
        }
    }
}

impl DeclineInput {
    /// The reason for the sender: required, at most 2,000 characters.
    pub(crate) fn parse(&self) -> Result<String> {
        match opt_text(&self.reason, "reason", 2000) {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err(Error::invalid("reason", "err-required")),
            Err(fe) => Err(Error::Invalid(vec![fe])),
        }
    }
}

impl ResultInput {
    pub(crate) fn parse(&self) -> Result<ReferralResult> {
        match self.result.as_deref().map(str::trim) {
            None | Some("") => Err(Error::invalid("result", "err-required")),
            Some(s) => ReferralResult::parse(s).ok_or(Error::invalid("result", "err-choice")),
        }
    }
}

/// The sealed free text of a referral.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ReferralText {
    pub reason: Option<String>,
    pub decline_reason: Option<String>,
}

/// What a receiving organisation sees of a person: only the fields the referral type
/// allows, and the residence status only if the consent says so. Absent fields are `null`.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ReferredPerson {
    /// The fields this referral shares.
    pub shared: Vec<SharedField>,
    pub name: Option<String>,
    pub alias: Option<String>,
    pub birth_date: Option<String>,
    pub birth_year: Option<i32>,
    pub gender: Option<Gender>,
    pub nationalities: Option<Vec<String>>,
    pub languages: Option<Vec<String>>,
    pub phone: Option<String>,
    /// Only when the person agreed to share it.
    pub residence_status: Option<ResidenceStatus>,
}

impl ReferredPerson {
    /// Copies the allowlisted fields and nothing else.
    pub(crate) fn from_data(
        data: crate::people::PersonData,
        fields: &[SharedField],
        share_residence_status: bool,
    ) -> Self {
        let mut p = ReferredPerson {
            shared: fields.to_vec(),
            ..Default::default()
        };
        for f in fields {
            match f {
                SharedField::Name => p.name = data.name.clone(),
                SharedField::Alias => p.alias = data.alias.clone(),
                SharedField::Birth => {
                    p.birth_date = data.birth_date.clone();
                    p.birth_year = data.birth_year;
                }
                SharedField::Gender => p.gender = Some(data.gender),
                SharedField::Nationalities => p.nationalities = Some(data.nationalities.clone()),
                SharedField::Languages => p.languages = Some(data.languages.clone()),
                SharedField::Phone => p.phone = data.phone.clone(),
            }
        }
        if share_residence_status {
            p.residence_status = Some(data.residence_status);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::PersonData;

    fn data() -> PersonData {
        PersonData {
            name: Some("Amina".into()),
            alias: Some("A".into()),
            birth_date: Some("1990-01-01".into()),
            birth_year: None,
            gender: Gender::Female,
            nationalities: vec!["Eritrea".into()],
            languages: vec!["Tigrinya".into()],
            phone: Some("+31600000000".into()),
            residence_status: ResidenceStatus::Undocumented,
            notes: Some("private".into()),
        }
    }

    #[test]
    fn only_allowlisted_fields_are_copied() {
        let p =
            ReferredPerson::from_data(data(), &[SharedField::Alias, SharedField::Languages], false);
        assert_eq!(p.alias.as_deref(), Some("A"));
        assert!(p.languages.is_some());
        assert!(p.name.is_none() && p.phone.is_none() && p.birth_date.is_none());
        assert!(p.gender.is_none() && p.nationalities.is_none());
        assert!(p.residence_status.is_none());
        let p = ReferredPerson::from_data(data(), &[], true);
        assert_eq!(p.residence_status, Some(ResidenceStatus::Undocumented));
    }

    #[test]
    fn unknown_field_codes_share_nothing() {
        assert_eq!(
            parse_fields("name,notes,residence_status,,phone"),
            vec![SharedField::Name, SharedField::Phone]
        );
    }
}
