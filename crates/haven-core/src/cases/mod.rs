//! Casework towards a durable solution: a person's case in a programme, from intake to
//! closure with an outcome.
//!
//! A case belongs to the organisation that opened it (`cases.org_id`): only its staff see
//! or change it, and only while that organisation may also see the person
//! (`person_access`). Anything else is "not found", so an id reveals nothing. Every read
//! and change writes an audit event in the same transaction. Free text (perspective,
//! goals, appointments, notes, procedure notes, outcome details) is sealed with the
//! person's own data key, so erasing the person erases the case file too.
//!
//! Shelter placements are written by the shelter module; a case only reads them (stay
//! ending on the caseload, placement on the case page).

pub mod model;
pub mod programmes;
mod store;

pub use model::*;
pub use store::*;
