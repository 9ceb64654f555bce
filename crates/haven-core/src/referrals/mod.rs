//! Consented referrals between the organisations of the city's network.
//!
//! A staff member records the person's consent first (to which organisation, for which
//! purpose, until when, and whether the residence status may be shared), then refers the
//! person to a service of that organisation. The receiving organisation accepts or
//! declines, then records the result; the sender sees every step and may withdraw.
//!
//! **Access.** While a referral is open (sent or accepted) and its consent stands, the
//! receiving organisation may see the minimum its referral type allows. That grant is one
//! `person_access` row per (person, receiving organisation) with basis `referral`, kept in
//! step with the set of open, consented referrals by `access::sync_access` in the same
//! transaction as every change: it exists while at least one such referral exists, its
//! `basis_ref` names the one whose consent lasts longest, and its `expires_at` is that
//! consent's expiry, so expiry needs no job. Referral rows never open the full person
//! record (`people::VISIBLE` ignores them); they open only [`referred_person`] and the
//! received referral, and those check the referral's own state and consent as well as the
//! row, so one referral's grant never shows another referral's fields.
//!
//! **What is shared.** Each referral type has an allowlist drawn from the fixed
//! [`SharedField`] set: notes are never shared, and the residence status only when the
//! consent says so. A referral keeps the allowlist it was sent under (`referrals.fields`):
//! a later narrowing of its type applies at once, a later widening never reaches it.
//!
//! **Mail.** Notifications go to staff in Haven, and by e-mail only through the neutral
//! [`crate::outbox`]: mailings name a kind, never a person or a referral.
//!
//! - `model.rs`: the words of referrals as types, what the use cases return, and input
//!   parsing.
//! - `store.rs`: the named rows and the queries the use cases share.
//! - `access.rs`: the `person_access` row and the referred person view it guards.
//! - `consents.rs`: the choices for a consent, recording and withdrawing one.
//! - `send.rs`: referring, the sending side's lists and reads, withdrawing.
//! - `receive.rs`: the receiving side's list and reads, accepting, declining, the result.
//! - `notify.rs`: notifications in Haven for both sides.
//! - `network.rs`: the network view for policy advisors, aggregates only.
//! - `types.rs`: the administrator's configuration of referral types and their allowlists.

mod access;
mod consents;
pub mod model;
pub mod network;
pub mod notify;
mod receive;
mod send;
mod store;
pub mod types;

pub(crate) use access::sync_access;
pub(crate) use consents::record_consent_in;
pub use consents::{consent_options, receiving_services, record_consent, types, withdraw_consent};
pub use model::*;
pub use network::*;
pub use notify::*;
pub use receive::{accept, decline, get_received, received, record_result, referred_person};
pub(crate) use send::refer_in;
pub use send::{get_sent, of_person, refer, refer_options, sent, withdraw};
pub(crate) use store::service_org;
pub use types::*;

pub use crate::outbox::{Mailing, NotificationKind, Outbox};
