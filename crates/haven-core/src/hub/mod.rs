//! The safe-reporting hub ("free in, free out"): reports of crimes from victims and
//! witnesses, whatever their papers, and the conversation between the reporter and the hub.
//!
//! A report is made online without an account (the public site's reporting page) or
//! recorded by a hub officer from a visit or a call. The reporter gets a receipt code,
//! shown once, with which they come back to read the hub's answers and add information.
//!
//! Invariants:
//! - **Sealed per report.** What happened, where, when more exactly, whether and how the
//!   hub may reach the reporter, and every message are sealed with the report's own data
//!   key (bound to the report id, and each message to its own id). Plain columns hold only
//!   what the figures need: category, month, language, victim or witness, channel, status.
//!   Residence status is never asked or stored; nor is an address or user agent of anyone.
//! - **The receipt code is stored only as a keyed blind index** (HMAC under the index key)
//!   and compared with [`model::same_index`] in constant time; it finds only a report that
//!   was not purged.
//! - **Only the hub reads reports:** every use case for staff requires its permission and
//!   an actor whose organisation is of kind `reporting_hub`, and finds only that hub's
//!   reports. Every read of a report is audited (ids only).
//! - **Purge:** a closed report is purged once `purge_after` (its closing plus the hub's
//!   retention period) has passed, by the retention sweep: its key, sealed text, receipt
//!   index and messages go; its plain columns stay, so counts remain.
//!
//! The hub's work on a report (`casework`, `handover`, `perpetrators`, `figures`; their
//! own invariants in each module's documentation): personal parts sealed with the
//! report's key and erased with it at the purge; only the hub sees a repeat perpetrator;
//! a police liaison unit sees only what was handed over to it, with the reporter's
//! consent, from an allowlist of fields.

mod access;
mod model;
mod officer;
mod purge;
mod report;
mod reporter;
mod store;

// The hub's work on reports (casework, hand-over, perpetrators, figures): migration 0019.
mod casework;
mod figures;
mod handover;
mod perpetrators;
mod work_model;
mod work_store;

// The report categories, configured by the hub's administrator: migration 0020.
mod categories;

pub use categories::{
    add_category, get_config, list_config, may_configure, rename_category, retire_category,
};
pub use model::{
    category_code, receipt_bits, same_index, Category, CategoryConfig, CategoryInput, Channel,
    Message, MessageInput, NewReport, ReceiptCode, Report, ReportData, ReportInput, ReportStatus,
    ReportSummary, ReporterRole, ReporterView, LABEL_FIELDS, MAX_LABEL, MAX_SHORT, MAX_TEXT,
    RECEIPT_DIGITS,
};
pub use officer::{answer, close, get, list};
pub use purge::{count_due, purge_due};
pub use report::{accepting, all_categories, categories, officer_categories, record, submit};
pub use reporter::{add as reporter_add, view as reporter_view, UNKNOWN_CODE};

pub use casework::{add_action, casework, triage, update_measure};
pub use figures::{figures, Figures, MeasureLine, MonthLine};
pub use handover::{by_field, hand_over, police_get, police_list, police_units, record_consent};
pub use perpetrators::{add as add_perpetrator, normalise as normalise_name};
pub use work_model::{
    allowlisted, Action, ActionData, ActionInput, ActionKind, Casework, Consent, ConsentHow,
    ConsentInput, HandedField, Handover, HandoverField, HandoverInput, HandoverItem,
    HandoverSummary, Measure, MeasureState, MeasureUpdate, Need, Needs, Perpetrator,
    PerpetratorInput, Source, Triage, TriageInput, Urgency, HANDOVER_FIELDS,
};
