//! Backup and restore: a consistent copy of the whole database taken while the server
//! runs, restored into an empty database of either engine, and the erasure list that
//! keeps erased persons erased across a restore.
//!
//! **One portable format for both engines.** A backup is one read-only transaction that
//! writes every Haven table as rows ([`format`]: JSON lines, blobs in base64), in an order
//! where each table follows the tables it refers to. On PostgreSQL the transaction is
//! `REPEATABLE READ, READ ONLY`: one snapshot, no lock that stops the server's writers. On
//! SQLite a read transaction in WAL mode is the same: writers go on, the reader sees the
//! database as it was at its first read (a checkpoint cannot pass it, so an erasure's
//! truncating checkpoint during a backup completes at the next one). Rows rather than
//! `pg_dump` or a copy of the SQLite file because a row dump
//! * restores into either engine (an SQLite installation that grows into PostgreSQL moves
//!   with `haven backup` and `haven restore`),
//! * needs no `pg_dump` binary of the server's exact version on the machine that runs it,
//! * and lets the restore leave out, row by row, what an erasure destroyed after the
//!   backup was made, so that no erased key is ever written to the target's files.
//!
//! The core writes and reads the plaintext stream only; the binary (`haven backup`,
//! `haven restore`) compresses it and encrypts it to an age recipient as it is written, so
//! no unencrypted copy touches a disk.
//!
//! **What a backup does not hold: the key file.** The wrapped data keys are in the
//! backup, the key-encryption keys are not: a backup alone opens nothing, and the key file
//! is kept (and backed up) apart, as is the age identity that decrypts the backup.
//!
//! **Restore** ([`restore`]) refuses a target that holds anything ([`check_empty`]) and a
//! backup made with other migrations, then loads everything in one transaction. Before it
//! commits, the audit chain must verify with the key file and every data key must open
//! with it; any failure (a changed or cut backup, which age's authentication reveals, a
//! wrong identity, another key file) rolls it all back, so nothing is half-restored. The
//! restore appends `backup.restore` to the chain (and the erasures it re-applied).
//!
//! **Erasures survive a restore** ([`erased`]). Every erasure (by hand or by retention)
//! appends the erased ids to the erasure list, a file outside the database
//! (`erased.log` in the data directory, or `HAVEN_ERASED_LOG`), synced before the erasure
//! commits. A restore reads the list and writes the rows of everyone on it as the erasure
//! left them: no data key, no sealed record, no name or alias tokens. The realistic loss is
//! the database (its disk, its server); the key file and the list are what the operator
//! keeps elsewhere, which is why the list is a file and not audit events in the database:
//! those go with it. The audit log's `person.erase` events since the backup name the same
//! ids when the old database survives.
//!
//! **So do other acts that take something back for good** ([`scrub`]): a public story
//! withdrawn by its speaker (its words in every language and the speaker's name) and a
//! hub report purged (its key, sealed text, receipt index, messages and the hub's sealed
//! work on it) go on the same list, with the time, and a restore writes their rows as the
//! withdrawal or purge left them.

pub mod erased;
pub mod format;

mod dump;
mod restore;
mod schema;
mod scrub;

pub use dump::{dump, record, Dumped};
pub use erased::{Erased, ErasureLog, Kind};
pub use restore::{check_empty, restore, Restored};
