//! Street outreach on the Reach Out model: contacting, informing, referring, in many short
//! contacts over time.
//!
//! **Sync loses nothing and duplicates nothing.** Contacts are recorded on a device, often
//! offline, and reach the server through [`sync`]. The device makes each contact's id (a
//! UUIDv7), so a submission can be repeated safely:
//!
//! - the same id and the same payload, any number of times, give one record and the same
//!   answer (every version a contact has had is kept by the keyed MAC of its payload);
//! - the same id with a different payload, or an edit based on a version that is no longer
//!   the current one, is a conflict with a reason, never an overwrite.
//!
//! A batch is one transaction with one audit event naming every record written: all of it
//! is applied or none of it, and every record gets its own answer. Conflicts and invalid
//! records write nothing and do not stop the others.
//!
//! **The payload is sealed.** A contact's payload (aliases, free text, the detail of each
//! person) is sealed with the contact's own data key, like a person's fields. Aliases are
//! found through blind-index tokens (see `people::names`). Beside the sealed payload the
//! table keeps only what the team lead's figures need: when, which area, how many people,
//! what was done.
//!
//! - `model.rs`: contacts as sent and as stored, their parsing, and what the use cases
//!   return.
//! - `store.rs`: the named rows, the sealing, and the queries the use cases share.
//! - `config.rs`: what the app offers, the device key, and the team's areas.
//! - `sync.rs`: applying a batch from a device.
//! - `contacts.rs`: reading a contact, and the thread of a returning person.
//! - `register.rs`: registering a person met in outreach, with their consent.
//! - `team.rs`: the team lead's figures.
//! - `refer.rs`: a contact's referral lines, and turning one into a consented referral.
//! - `show.rs`: show mode's information cards.

mod config;
mod contacts;
pub mod model;
pub mod refer;
mod register;
pub mod show;
mod store;
mod sync;
mod team;

pub use config::{config, device_key, set_areas};
pub use contacts::{get, thread};
pub use model::{
    Choice, Config, Contact, ContactData, ContactInput, ContactPerson, LinkInput, OutreachConfig,
    PersonInput, ReferralTarget, RegisterInput, Registered, SyncRecord, SyncResult, SyncStatus,
    Target, ThreadEntry, ACTIVITIES, DECISIONS, MAX_BATCH, RECENT_DAYS,
};
pub use refer::{
    lines, refer_line, refer_line_options, ContactReferrals, LineKind, LineReferral,
    ReferLineInput, ReferLineOptions, ReferralLineState,
};
pub use register::register;
pub use sync::sync;
pub use team::{team, AreaWeek, FollowUp, ReferralCount, TeamView};
