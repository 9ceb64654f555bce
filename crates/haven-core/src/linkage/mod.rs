//! Record linkage: counting the same person across organisations and cities without
//! anyone handing over names, and finding duplicates in plain records.
//!
//! Two engines share this area:
//! - **Privacy-preserving linkage on CLKs.** [`Encoder`] turns records into cryptographic
//!   long-term keys (Bloom filters of keyed hashes of name parts, birth date and other
//!   chosen fields) exactly as the open `clkhash` library does for a linkage schema v3,
//!   so that participants using the anonlink tools can take part. [`candidates`] compares
//!   two sets of CLKs by Dice similarity (popcount over 64-bit words, with the CPU's
//!   popcount and AVX2 when it has them), optionally through blocks ([`Blocking`]);
//!   [`greedy_solve`] keeps each record in at most one pair, like anonlink's greedy
//!   solver. Nothing here needs or sees a name: only bits.
//! - **Probabilistic linkage on plain records** ([`link_records`]): a Fellegi–Sunter model
//!   whose m and u probabilities are estimated by EM without labelled pairs, comparisons
//!   chosen from the columns' values unless a [`LinkConfig`] says otherwise, and blocking
//!   rules generated from them (initials, birth year, postcode, …).
//!
//! Both end in scored pairs and clusters ([`clusters`]); [`estimate`] turns clusters over
//! several sources into counts of distinct persons that an observatory can publish.
//!
//! Invariants: CLKs are byte-identical to clkhash's for the same schema, secret and
//! values (checked against committed clkhash output in the tests); every input problem
//! is a [`LinkageError`] that names the column, row or setting, never a panic.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod bits;
mod blocked;
mod blocking;
mod compare;
mod config;
mod dice;
mod em;
mod encode;
mod estimate;
mod formats;
mod model;
mod records;
mod schema;
mod solve;
mod strptime;
mod tokens;

#[cfg(test)]
mod clkhash_tests;

pub use bits::{dice, Bits, ClkSet};
pub use config::{ComparisonKind, ComparisonSpec, LinkConfig};
pub use dice::{candidates, Blocking};
pub use encode::{Encoder, TokenCache};
pub use estimate::{estimate, Estimate, SourceCount};
pub use model::{LinkageError, NoProgress, Progress, ScoredPair, Side, Table};
pub use records::{link_records, Linked, Mode};
pub use schema::{Feature, HashKind, Schema, Strategy};
pub use solve::{clusters, greedy_solve, Clusters};
