//! The words of referrals as types, and the parsing of typed input into them.

use serde::{Deserialize, Serialize};

use crate::people::{Gender, ResidenceStatus};

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
