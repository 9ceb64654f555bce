//! The public information site's content: topic pages, questions and answers, and stories,
//! one translation per language.
//!
//! Each translation moves through draft → reviewed → published, recording who edited,
//! reviewed and published it and when. Publishing copies the working text to the published
//! copy, which is what the public site reads; a new draft does not take the page offline.
//! English is the source: a translation records the English version it was made from, and
//! it is *out of date* while that is below the English version. The flag is computed, not
//! stored, so it cannot drift; it clears when the translation is edited again or re-approved
//! ([`confirm`]).
//!
//! Stories are personal content. The consent record holds only what the speaker agreed to
//! publish (the name shown), when consent was recorded and by whom, and when it ends. An
//! expired story is not shown from that moment; a withdrawn one is erased (its words and
//! the speaker's name) in one step.
//!
//! The public reads ([`topics`], [`topic`], [`questions`], [`stories`], [`cards`]) take no
//! actor: published content is public. Every change takes an actor, checks a permission on
//! its first line and writes an audit event in its transaction.

//! `model` has the types and the parsing of input, `store` the rows and shared queries;
//! the use cases are in `edit`, `review` and `public`.

mod edit;
mod model;
mod public;
mod review;
pub(crate) mod store;

pub use edit::{create, get, list, save, withdraw};
pub use model::{
    dir, is_language, paragraphs, Card, Item, ItemInput, Kind, PublicText, Published, Status,
    TextInput, Translation, LANGUAGES, SECTIONS, SOURCE,
};
pub use public::{cards, published};
pub use review::{confirm, publish, review};
pub use store::generation;
