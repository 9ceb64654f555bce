//! The services directory, in the data model of Open Referral HSDS 3.0.
//!
//! Storage (migration 0006): every entry — organization, service, location — is kept as
//! its HSDS JSON object, so every HSDS field survives import and export. What the public
//! API filters and searches on is copied into indexed columns and link tables
//! (`dir_entity_terms`, `dir_service_languages`, `dir_search_terms`) when the entry is
//! published. Translations of text fields live in `dir_translations`.
//!
//! Published and pending: the public only ever sees `published = 1` rows and their
//! `hsds` column. A change is first saved as a draft ([`save_draft`]) into the `draft`
//! column, and becomes public when someone holding `DirectoryPublish` calls [`publish`].
//! Importing a dataset publishes directly (only `DirectoryPublish` may import).
//!
//! The directory holds no personal data: organisations' public offers only. Changes are
//! still audited as administrative changes.

//!
//! `model` has the entry types, their check and their split for storage; `store` writes
//! published entries and their indexes; `drafts` and `publish` are the editing use cases.
//! The public API reads through `query` (rendering in `tables`, HSDS helpers in `hsds`),
//! the editors' forms are `form` and `review`, and `import`, `export` and `help` are the
//! data exchange and the public help page.

mod drafts;
pub mod export;
pub mod form;
pub mod help;
pub mod hsds;
pub mod import;
mod model;
mod publish;
pub mod query;
pub mod review;
mod store;
pub mod tables;

use drafts::may_edit;
pub use drafts::{discard_draft, get_draft, save_draft};
use model::owning_org;
pub use model::{check, normalize, Entry, Kind, Pending};
pub use publish::{link_network_org, mark_checked, pending, publish, publish_entries};
pub use store::generation;
pub(crate) use store::{publish_entry, publish_tree, store_taxonomy, store_term};
