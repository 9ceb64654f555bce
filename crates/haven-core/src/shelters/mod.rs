//! Shelters: sites, places, placements, the waiting list and stay limits.
//!
//! A site belongs to the organisation that operates it; only that organisation's staff see
//! it. A placement puts a case's person in one place. Two rules hold at all times: **a place
//! is never given twice**, and **a person never holds two places**. Both are checked inside
//! the transaction (which holds the audit chain's head and so runs one at a time) and, as
//! the last line, by the database's unique partial indexes (`placements_one_per_place`,
//! `placements_one_per_person`), whose violation becomes the same conflict.
//!
//! A stay is limited by the case's programme: it ends on `dates::stay_end(first admission
//! of the case, max_months)`, **counted from the case's first admission**, not from the
//! current stay's, so a move or a later stay of the same case does not restart the clock,
//! and an extension granted during an earlier stay still counts. An approver holding
//! [`Permission::StayExtensionApprove`](crate::Permission::StayExtensionApprove) may extend
//! it, with a reason sealed with the person's key; a coordinator may ask for that.
//!
//! Placements are person-level data: every read or change writes an audit event in its
//! transaction, naming every stay and person it returns. An organisation sees a person
//! only through `people::visible_sql!`, written into every query that reads a person here
//! (the board, a site's page, a case's placement, every action on a stay). **A place held
//! by a person the operator may no longer see is shown as taken, without a name**; the
//! operator can still free it (`free_place`) without learning whose stay it was.
//!
//! The files: `model` (what the use cases return and take, with the inputs' parsing),
//! `store` (row structs and the queries the use cases share), and the use cases by subject:
//! `sites` (configuring sites and places), `board` (the board, a site's page, occupancy),
//! `placements` (admit, move, discharge, free a place, a case's stay), `waiting` (the
//! waiting list) and `extensions` (stay extensions and requests for them).

mod board;
mod extensions;
mod model;
mod placements;
mod sites;
mod store;
mod waiting;

pub use board::{board, monthly_occupancy, site};
pub use extensions::{decide_extension, extend_stay, request_extension};
pub use model::{
    alert_points, countdown, AdmitInput, AdmitWaitingInput, Board, CaseChoice, DischargeInput,
    DischargeReason, Extension, ExtensionInput, ExtensionRequest, ExtensionRequestInput, FreePlace,
    MonthOccupancy, MoveInput, PlaceView, Placement, Site, SiteDetail, SiteInput, SiteLoad,
    WaitingEntry, WaitingInput,
};
pub use placements::{
    admit, case_placement, discharge, free_place, move_placement, placement_for_case,
};
pub use sites::{all_sites, create_site, operator_choices, site_for_config, update_site};
pub use waiting::{
    add_to_waiting_list, admit_from_waiting_list, remove_from_waiting_list, waiting_list,
};
