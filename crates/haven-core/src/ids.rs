//! Typed identifiers. Every id is a UUID stored as text, so both backends treat it alike.

use serde::{Deserialize, Serialize};
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
    };
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

/// Parses an id read from the database; a malformed id there is an internal error.
pub(crate) fn parse_db<T: FromStr>(s: &str) -> crate::Result<T> {
    s.parse()
        .map_err(|_| crate::Error::Internal(anyhow::anyhow!("malformed id in database")))
}
