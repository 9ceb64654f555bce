//! Haven's domain and use cases.
//!
//! Everything a person, an organisation or a staff member *is* and everything that may be
//! done with them lives here; HTTP, HTML and command-line parsing do not. Every use case
//! takes an [`Actor`] and checks a [`Permission`] on its first line, and every read or
//! change of person-level data writes an audit event in the same transaction.

pub mod audit;
pub mod audit_archive;
pub mod audit_sign;
pub mod authz;
pub mod backup;
pub mod cases;
pub mod clock;
pub(crate) mod codes;
pub mod content;
pub mod crypto;
pub mod dates;
pub mod db;
pub mod directory;
pub mod error;
pub mod firewall;
pub mod generation;
pub mod hub;
pub mod ids;
pub(crate) mod input;
pub mod linkage;
pub mod orgs;
pub mod outbox;
pub mod outreach;
pub mod people;
pub mod referrals;
pub mod retention;
pub mod rotation;
pub mod shelters;
pub mod stats;
pub mod users;

pub use authz::{Actor, Permission, Role};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, FieldError, Result};

use std::sync::Arc;

use outbox::Outbox;

/// What every use case needs: the database, the keys and the time, and where e-mail about
/// notifications goes when the operator has configured it (`None`: no e-mail).
///
/// Cheap to clone; built once at start-up.
#[derive(Clone)]
pub struct Ctx {
    pub db: db::Db,
    pub keys: Arc<crypto::Keyring>,
    pub clock: Arc<dyn Clock>,
    pub outbox: Option<Arc<dyn Outbox>>,
}
