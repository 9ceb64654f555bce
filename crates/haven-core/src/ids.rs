//! Typed identifiers. Every id is a UUID stored as text, so both backends treat it alike.
//!
//! Each id implements sqlx's `Type`, `Encode` and `Decode` for the `Any` driver, so it is
//! bound directly (`.bind(person_id)`) and read straight into a `#[derive(sqlx::FromRow)]`
//! row struct; a malformed id in the database is a decode error, which the core turns into
//! `Error::Internal`.

use serde::{Deserialize, Serialize};
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// A new id that tells nothing of when it was made (UUIDv4): for what a
            /// reporter does online, whose time is kept to the day only.
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl sqlx::Type<Any> for $name {
            fn type_info() -> AnyTypeInfo {
                <String as sqlx::Type<Any>>::type_info()
            }
        }

        impl<'q> sqlx::Encode<'q, Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                encode_uuid(&self.0, buf)
            }
        }

        impl<'r> sqlx::Decode<'r, Any> for $name {
            fn decode(value: <Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                decode_uuid(value).map(Self)
            }
        }
    };
}

/// Ids are stored as their hyphenated text form.
fn encode_uuid<'q>(
    id: &Uuid,
    buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
) -> Result<IsNull, BoxDynError> {
    let text = id.hyphenated().to_string();
    <String as sqlx::Encode<'q, Any>>::encode(text, buf)
}

fn decode_uuid(value: <Any as sqlx::Database>::ValueRef<'_>) -> Result<Uuid, BoxDynError> {
    let text = <String as sqlx::Decode<Any>>::decode(value)?;
    Ok(Uuid::parse_str(&text)?)
}

id_type!(
    /// A person served by Haven.
    PersonId
);
id_type!(
    /// An organisation in the city's network.
    OrgId
);
id_type!(
    /// A staff account.
    UserId
);

id_type!(
    /// A configured service line (LVV shelter, refugee coaching, …).
    ProgrammeId
);
id_type!(
    /// A person's case in a programme.
    CaseId
);
id_type!(
    /// One entry in a case's perspective history.
    PerspectiveId
);
id_type!(
    /// A legal procedure followed in a case.
    ProcedureId
);
id_type!(
    /// A goal of a case's action plan.
    GoalId
);
id_type!(
    /// An appointment or task of a case.
    AppointmentId
);
id_type!(
    /// A note in a case file.
    NoteId
);
id_type!(
    /// A period of employment, for follow-up.
    EpisodeId
);

id_type!(
    /// A shelter site.
    SiteId
);
id_type!(
    /// One place (bed) at a shelter site.
    PlaceId
);
id_type!(
    /// A stay of a person in a shelter place.
    PlacementId
);
id_type!(
    /// An entry of the shelter waiting list.
    WaitingId
);
id_type!(
    /// A stay extension, or the request for one: an approved request's extension keeps the
    /// request's id.
    ExtensionId
);
id_type!(
    /// A page, question or story of the public information site.
    ContentId
);

id_type!(
    /// A person's recorded consent to share with one organisation for one purpose.
    ConsentId
);
id_type!(
    /// A referral of a person to another organisation's service.
    ReferralId
);
id_type!(
    /// A notification to one staff member.
    NotificationId
);
id_type!(
    /// A notice to an administrator that an account of their organisation was given a role
    /// that reads persons.
    RoleNoticeId
);
id_type!(
    /// A reviewer's decision on a draft of the services directory.
    DirReviewId
);
id_type!(
    /// A report made to the safe-reporting hub.
    ReportId
);
id_type!(
    /// A message in a report's conversation, from the reporter or the hub.
    ReportMessageId
);
id_type!(
    /// Counselling given, a protective measure or an accompaniment on a report.
    HubActionId
);
id_type!(
    /// A reporter's consent to a hand-over of their report to a police liaison unit.
    HandoverConsentId
);
id_type!(
    /// What a hub handed over to a police liaison unit.
    HandoverId
);
id_type!(
    /// A perpetrator named in a report.
    PerpetratorId
);
