//! Persons: the people Haven serves.
//!
//! Only what is needed is asked, and everything that could identify or endanger a person is
//! sealed with their own data key (see `crypto`): names, alias, birth date, gender,
//! nationalities, languages, phone, residence status and notes. The database sees ids,
//! times, the owning organisation and blind indexes only.
//!
//! Invariants:
//! - A person is readable, findable and changeable by an organisation only through a
//!   `person_access` row that has not expired, written once as [`visible_sql!`]; a person
//!   it may not see is "not found".
//! - Every read, search and list writes an audit event naming every person returned, and
//!   returns nothing until that event has committed.
//! - Erasure destroys the data key: the sealed record and the blind indexes go, the row
//!   stays so that references do not dangle.
//!
//! `model` has the types and the parsing of input, `store` the row, its sealing and the
//! shared queries; the use cases are in `register`, `read`, `search` and `erase`, and
//! `names` makes the keys of the name index.

mod erase;
mod model;
pub mod names;
mod read;
mod register;
mod search;
mod store;

pub(crate) use erase::destroy;
pub use erase::erasable;
pub use erase::erase;
pub use model::{
    parse_phone, Gender, Person, PersonData, PersonInput, PersonSummary, ResidenceStatus,
};
pub use read::get;
pub use register::{register, update};
pub use search::{recent, search};
pub(crate) use store::{data_from_stored, label_from_stored, PersonPart};
pub use store::{data_key, visible_to};

/// The one visibility condition, for the person whose id is in column `$col`: organisation
/// `$1` may see the whole record at time `$2` through an access row that has not expired.
/// Rows with basis `referral` do not count here: a referral opens only the minimum its type
/// allows, through `referrals::referred_person`. Cases and shelters use the same macro, so
/// the rule has one text.
macro_rules! visible_sql {
    ($col:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = ",
            $col,
            " AND a.org_id = $1 AND a.basis <> 'referral' \
             AND (a.expires_at IS NULL OR a.expires_at > $2))"
        )
    };
}
pub(crate) use visible_sql;

/// [`visible_sql`] for persons read as `p`.
const VISIBLE: &str = visible_sql!("p.id");
