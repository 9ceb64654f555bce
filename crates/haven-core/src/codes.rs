//! Code enums: the closed lists of words that are the same in every country (a case's
//! perspective, a referral's status, a person's gender …), each stored and sent as its
//! snake_case code.
//!
//! [`code_enum!`] declares one with its codes; the enum then parses a code (trimmed),
//! serialises as it, lists `ALL` its values for forms, and decodes straight from a text
//! column (`perspective: Perspective` in a row struct). An unknown code in the database is
//! a decode error, which the core reports as `Error::Internal`: the data is wrong, not the
//! request.

use sqlx::error::BoxDynError;

/// The code enums, for parsing any of them by type (see `crate::input::choice`).
pub(crate) trait Code: Sized {
    fn from_code(s: &str) -> Option<Self>;
}

/// A code in the database that no enum knows: the data is wrong, not the request.
pub(crate) fn unknown_code(code: &str) -> BoxDynError {
    format!("unknown code in database: {code:?}").into()
}

/// Declares a code enum: `code_enum!(/// doc  Name { Variant = "code", … });`.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
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

        impl $crate::codes::Code for $name {
            fn from_code(s: &str) -> Option<Self> {
                Self::parse(s)
            }
        }

        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<sqlx::Any>>::decode(value)?;
                Self::parse(&text).ok_or_else(|| $crate::codes::unknown_code(&text))
            }
        }
    };
}

pub(crate) use code_enum;
