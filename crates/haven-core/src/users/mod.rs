//! Staff accounts: passwords, second factors (TOTP), sessions, and their administration.
//!
//! Invariants:
//! - A sign-in answers the same, after one Argon2 verification, for an unknown user, a
//!   wrong password and a disabled account, so neither the answer nor its timing tells
//!   whether a username exists.
//! - A TOTP code is accepted once only: the last used time step is stored and a code for
//!   it or an earlier step is refused, even by two racing requests.
//! - Session tokens are never stored, only their SHA-256; the token changes at every
//!   sign-in, and a change of an account's organisation or roles, its disabling or the
//!   reset of its second factor ends all its sessions.
//! - TOTP secrets are stored wrapped with the key-encryption key, bound to their user.
//!
//! `model` has the types and the parsing of inputs, `store` the rows and shared queries,
//! and the use cases live in `passwords`, `sessions`, `second_factor` and `accounts`;
//! `totp` is the RFC 6238 arithmetic.

mod accounts;
mod grants;
mod model;
mod passwords;
mod second_factor;
mod sessions;
mod store;
pub mod totp;

pub use accounts::{
    create, find_by_username, get, list, reset_totp, set_disabled, set_email_notify, set_locale,
    update,
};
pub use grants::{role_notices, RoleNotice};
pub use model::{
    parse_display_name, parse_email, parse_password, parse_roles, parse_username, NewUser,
    PasswordOk, Session, Stage, User, UserUpdate,
};
pub use passwords::{check_password, hash_password, sign_in_slowed};
pub(crate) use second_factor::totp_aad;
pub use second_factor::{check_totp, confirm_totp, offer_totp};
pub use sessions::{
    end_session, promote_session, session, start_session, ABSOLUTE_TIMEOUT, IDLE_TIMEOUT,
    PENDING_TIMEOUT,
};
