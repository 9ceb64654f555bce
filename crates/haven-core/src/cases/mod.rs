//! Casework towards a durable solution: a person's case in a programme, from intake to
//! closure with an outcome.
//!
//! A case belongs to the organisation that opened it (`cases.org_id`): only its staff see
//! or change it, and only while that organisation may also see the person
//! (`person_access`). Anything else is "not found", so an id reveals nothing; a change
//! checks this before it looks at its input, so another organisation learns nothing from
//! a 422 either. Every read and change writes an audit event in the same transaction.
//! Free text (perspective, goals, appointments, notes, procedure notes, outcome details)
//! is sealed with the person's own data key, so erasing the person erases the case file
//! too.
//!
//! A closed case does not change. A case manager holds at most the programme's caseload
//! cap of open cases in it; assigning one more is refused. The caseload lists read their
//! rows before the audit transaction, so a long list does not hold the head of the audit
//! chain, and return nothing unless the event naming every case shown has committed.
//!
//! Shelter placements are written by the shelter module; a case only reads them (stay
//! ending on the caseload, placement on the case page).
//!
//! The layout: `model` (codes and what the use cases return), `input` (the `…Input`
//! types and their parsing), `store` (row structs and the queries the use cases share),
//! `programmes` (the administrator's programmes and the configured lists), and the use
//! cases by subject: `intake`, `file`, `perspective`, `legal`, `plan`, `notes`,
//! `employment`, `close`, `caseload`; `attention` computes what needs attention for the
//! case page and the caseload alike.

mod attention;
mod caseload;
mod close;
mod employment;
mod file;
mod input;
mod intake;
mod legal;
pub mod model;
mod notes;
mod perspective;
mod plan;
pub mod programmes;
mod store;

pub use attention::{DEADLINE_NEAR_DAYS, NO_CONTACT_DAYS};
pub use caseload::{caseload, of_person, team};
pub use close::close;
pub use employment::{add_episode, status_at, Period};
pub use file::get;
pub use input::{
    AppointmentInput, AssignInput, CloseInput, EpisodeInput, GoalInput, NoteInput, OpenInput,
    PerspectiveInput, ProcedureInput,
};
pub use intake::{assign, case_managers, open_case};
pub use legal::{add_procedure, update_procedure};
pub use model::*;
pub use notes::add_note;
pub use perspective::record_perspective;
pub use plan::{add_appointment, add_goal, complete_appointment, update_goal};
