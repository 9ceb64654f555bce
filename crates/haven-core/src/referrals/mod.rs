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
//! step with the set of open, consented referrals by [`store::sync_access`] in the same
//! transaction as every change: it exists while at least one such referral exists, its
//! `basis_ref` names the one whose consent lasts longest, and its `expires_at` is that
//! consent's expiry, so expiry needs no job. Referral rows never open the full person
//! record (`people::VISIBLE` ignores them); they open only [`store::referred_person`].
//!
//! - `model.rs`: the words of referrals as types, and input parsing.
//! - `store.rs`: consents, referrals and their steps; the receiving side's view.
//! - `notify.rs`: notifications in Haven for both sides.
//! - `network.rs`: the network view for policy advisors, aggregates only.
//! - `types.rs`: the administrator's configuration of referral types and their allowlists.

pub mod model;
pub mod network;
pub mod notify;
pub mod store;
pub mod types;

pub use model::*;
pub use network::*;
pub use notify::*;
pub use store::*;
pub use types::*;
