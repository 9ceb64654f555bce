//! Archival of old audit events: out of the database into sealed, signed files, with the
//! chain continuing from a checkpoint.
//!
//! [`archive`] takes the events older than the legal period (from the last checkpoint up to
//! the first event at or after the cut-off), checks their chain, writes them to one file and,
//! in the same audited transaction that holds the chain head, deletes them and moves the
//! checkpoint (the `audit_checkpoint` row: the last archived event's sequence number and
//! MAC, the count archived, and a MAC under the audit key over the row). The file is written
//! and synced before the deletion commits; a failed commit leaves the events in place and the
//! next run writes the same file again.
//!
//! A file holds the events as JSON lines sealed with XChaCha20-Poly1305 under a key derived
//! from the audit key ([`crate::crypto::Keyring::audit_archive_key`]), and beside them, in
//! the clear, only sequence numbers and MACs, with a MAC under the audit key over all of it
//! (the "signature"; whoever holds the key file can check it). [`verify_files`] checks a
//! file's signature, its inner chain, that files follow one another, and that the last one
//! ends at the database's checkpoint. [`crate::audit::verify`] walks the chain from the
//! checkpoint, so events deleted after it are named as before.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::audit::{AuditTx, EventRow, EVENT_SELECT};
use crate::{Actor, Ctx, Error, Result};

/// The `format` of an archive file.
pub const FORMAT: &str = "haven-audit-archive-1";
const SEAL_AAD: &[u8] = b"haven audit archive";

/// The checkpoint row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Checkpoint {
    pub seq: i64,
    pub mac: String,
    pub archived: i64,
    pub at: i64,
    pub sig: String,
}

impl Checkpoint {
    fn sign(ctx: &Ctx, seq: i64, mac: &str, archived: i64, at: i64) -> String {
        STANDARD.encode(ctx.keys.audit_mac(&[
            b"haven audit checkpoint",
            &seq.to_be_bytes(),
            mac.as_bytes(),
            &archived.to_be_bytes(),
            &at.to_be_bytes(),
        ]))
    }

    /// Whether the row carries its own MAC under the audit key.
    pub fn genuine(&self, ctx: &Ctx) -> bool {
        Self::sign(ctx, self.seq, &self.mac, self.archived, self.at) == self.sig
    }
}

/// The checkpoint, if events were ever archived.
pub async fn checkpoint<'e, E>(ex: E) -> Result<Option<Checkpoint>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as("SELECT seq, mac, archived, at, sig FROM audit_checkpoint WHERE id = 1")
            .fetch_optional(ex)
            .await?,
    )
}

/// An archive file. Everything but `sealed` is public; `sig` covers it all.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchiveFile {
    pub format: String,
    pub first_seq: i64,
    pub last_seq: i64,
    /// The MAC of the event before `first_seq` (empty from the chain's start).
    pub prev_mac: String,
    pub last_mac: String,
    pub count: i64,
    pub created_at: i64,
    pub sealed: String,
    pub sig: String,
}

impl ArchiveFile {
    fn signature(&self, ctx: &Ctx) -> String {
        STANDARD.encode(ctx.keys.audit_mac(&[
            b"haven audit archive",
            self.format.as_bytes(),
            &self.first_seq.to_be_bytes(),
            &self.last_seq.to_be_bytes(),
            self.prev_mac.as_bytes(),
            self.last_mac.as_bytes(),
            &self.count.to_be_bytes(),
            &self.created_at.to_be_bytes(),
            self.sealed.as_bytes(),
        ]))
    }

    /// Seals and signs `events`, which follow the event whose MAC is `prev_mac`.
    pub fn seal(ctx: &Ctx, prev_mac: &str, events: &[EventRow]) -> Result<Self> {
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            return Err(anyhow::anyhow!("nothing to archive").into());
        };
        let mut plain = Vec::new();
        for e in events {
            serde_json::to_writer(&mut plain, e).map_err(anyhow::Error::from)?;
            plain.push(b'\n');
        }
        let sealed = ctx.keys.audit_archive_key().seal(&plain, SEAL_AAD);
        let mut f = Self {
            format: FORMAT.to_owned(),
            first_seq: first.event.seq,
            last_seq: last.event.seq,
            prev_mac: prev_mac.to_owned(),
            last_mac: last.mac.clone(),
            count: events.len() as i64,
            created_at: ctx.clock.now_ts(),
            sealed: STANDARD.encode(sealed),
            sig: String::new(),
        };
        f.sig = f.signature(ctx);
        Ok(f)
    }

    /// The events inside, if the file's signature holds and it opens.
    pub fn open(&self, ctx: &Ctx) -> std::result::Result<Vec<EventRow>, ArchiveProblem> {
        if self.format != FORMAT || self.signature(ctx) != self.sig {
            return Err(ArchiveProblem::Signature);
        }
        let sealed = STANDARD
            .decode(&self.sealed)
            .map_err(|_| ArchiveProblem::Unreadable)?;
        let plain = ctx
            .keys
            .audit_archive_key()
            .open(&sealed, SEAL_AAD)
            .map_err(|_| ArchiveProblem::Unreadable)?;
        let text = String::from_utf8(plain).map_err(|_| ArchiveProblem::Unreadable)?;
        text.lines()
            .map(|l| serde_json::from_str(l).map_err(|_| ArchiveProblem::Unreadable))
            .collect()
    }

    /// The file name for these events.
    pub fn file_name(&self) -> String {
        format!("audit-{:012}-{:012}.json", self.first_seq, self.last_seq)
    }
}

/// What was archived.
#[derive(Debug, Clone)]
pub struct Archived {
    pub first_seq: i64,
    pub last_seq: i64,
    pub path: PathBuf,
}

/// Archives into `dir` every event before `before` (Unix seconds) since the checkpoint, and
/// removes them from the database. `None`: nothing that old.
pub async fn archive(ctx: &Ctx, before: i64, dir: &Path) -> Result<Option<Archived>> {
    let mut tx = AuditTx::begin(ctx).await?;
    let cp = checkpoint(&mut *tx.tx).await?;
    let (start, prev_mac, archived) =
        cp.map_or((0, String::new(), 0), |c| (c.seq, c.mac, c.archived));
    let first_kept: Option<i64> =
        sqlx::query_scalar("SELECT MIN(seq) FROM audit_events WHERE seq > $1 AND at >= $2")
            .bind(start)
            .bind(before)
            .fetch_one(&mut *tx.tx)
            .await?;
    let cut: Option<i64> = match first_kept {
        Some(s) => Some(s - 1),
        None => {
            sqlx::query_scalar("SELECT MAX(seq) FROM audit_events")
                .fetch_one(&mut *tx.tx)
                .await?
        }
    };
    let cut = cut.unwrap_or(start);
    if cut <= start {
        tx.commit().await?;
        return Ok(None);
    }
    let events: Vec<EventRow> = sqlx::query_as(&format!(
        "{EVENT_SELECT} WHERE seq > $1 AND seq <= $2 ORDER BY seq"
    ))
    .bind(start)
    .bind(cut)
    .fetch_all(&mut *tx.tx)
    .await?;
    // A broken chain is not archived: the break would leave the database with its evidence.
    let mut prev = prev_mac.clone();
    for (i, e) in events.iter().enumerate() {
        if e.event.seq != start + 1 + i as i64 || e.event.mac(ctx, &prev) != e.mac {
            return Err(anyhow::anyhow!(
                "the audit chain is broken at event {}; run `haven audit verify` first",
                e.event.seq
            )
            .into());
        }
        prev = e.mac.clone();
    }
    let file = ArchiveFile::seal(ctx, &prev_mac, &events)?;
    let path = dir.join(file.file_name());
    write_file(&path, &file)?;
    sqlx::query("DELETE FROM audit_events WHERE seq > $1 AND seq <= $2")
        .bind(start)
        .bind(cut)
        .execute(&mut *tx.tx)
        .await?;
    let (at, archived) = (ctx.clock.now_ts(), archived + file.count);
    sqlx::query("DELETE FROM audit_checkpoint WHERE id = 1")
        .execute(&mut *tx.tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_checkpoint (id, seq, mac, archived, at, sig) \
         VALUES (1, $1, $2, $3, $4, $5)",
    )
    .bind(cut)
    .bind(&file.last_mac)
    .bind(archived)
    .bind(at)
    .bind(Checkpoint::sign(ctx, cut, &file.last_mac, archived, at))
    .execute(&mut *tx.tx)
    .await?;
    let range = format!("{}-{cut}", start + 1);
    tx.log(
        ctx,
        &Actor::system(),
        "audit.archive",
        "audit_events",
        &[range],
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Archived {
        first_seq: start + 1,
        last_seq: cut,
        path,
    }))
}

/// Writes the file whole and synced (temporary file, then rename), owner-only.
fn write_file(path: &Path, file: &ArchiveFile) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| Error::Unavailable(e.into());
    let tmp = path.with_extension("tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(io)?;
    serde_json::to_writer(&mut f, file).map_err(anyhow::Error::from)?;
    f.write_all(b"\n").map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
    }
    Ok(())
}

/// What is wrong with an archive file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveProblem {
    /// The file's MAC does not match: it was edited, or made with another key file.
    Signature,
    /// Signed, but the sealed events do not open or parse.
    Unreadable,
    /// An event inside does not chain to the one before it.
    Altered { seq: i64 },
    /// Events inside are missing.
    Missing { from: i64, to: i64 },
    /// The events inside do not end where the file says.
    Incomplete,
    /// This file does not continue the one before it.
    Gap { after: i64, first: i64 },
    /// The last file does not end at the database's checkpoint.
    NotAtCheckpoint { last: i64, checkpoint: i64 },
    /// The database's checkpoint row is not genuine, so nothing can end at it.
    CheckpointForged { seq: i64 },
}

impl std::fmt::Display for ArchiveProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Signature => write!(f, "its signature does not match (edited, or another key file)"),
            Self::Unreadable => write!(f, "it is signed but its events do not open"),
            Self::Altered { seq } => write!(f, "event {seq} was altered, moved or re-inserted"),
            Self::Missing { from, to } => write!(f, "events {from} to {to} are missing"),
            Self::Incomplete => write!(f, "its events do not end where its header says"),
            Self::Gap { after, first } => write!(
                f,
                "it does not continue the file before (that one ends at event {after}, this begins at {first})"
            ),
            Self::NotAtCheckpoint { last, checkpoint } => write!(
                f,
                "it ends at event {last}, but the database's checkpoint is at event {checkpoint}"
            ),
            Self::CheckpointForged { seq } => write!(
                f,
                "the database's checkpoint (at event {seq}) is not genuine (edited, or another key)"
            ),
        }
    }
}

/// Checks archive files, in the order of their events: each file's signature and inner
/// chain, that each continues the one before, and that the last ends at the checkpoint
/// (when it is the newest; an older file ends before it). Returns the problems per file.
pub async fn verify_files(
    ctx: &Ctx,
    files: &[(PathBuf, ArchiveFile)],
) -> Result<Vec<(PathBuf, ArchiveProblem)>> {
    let mut sorted: Vec<&(PathBuf, ArchiveFile)> = files.iter().collect();
    sorted.sort_by_key(|(_, f)| f.first_seq);
    let mut problems = Vec::new();
    let mut before: Option<&ArchiveFile> = None;
    for (path, f) in &sorted {
        let mut add = |p| problems.push((path.clone(), p));
        if let Some(b) = before {
            if f.first_seq != b.last_seq + 1 || f.prev_mac != b.last_mac {
                add(ArchiveProblem::Gap {
                    after: b.last_seq,
                    first: f.first_seq,
                });
            }
        }
        before = Some(f);
        let events = match f.open(ctx) {
            Ok(e) => e,
            Err(p) => {
                add(p);
                continue;
            }
        };
        let (mut prev, mut expected) = (f.prev_mac.clone(), f.first_seq);
        for e in &events {
            if e.event.seq != expected {
                add(ArchiveProblem::Missing {
                    from: expected,
                    to: e.event.seq - 1,
                });
            }
            if e.event.mac(ctx, &prev) != e.mac {
                add(ArchiveProblem::Altered { seq: e.event.seq });
            }
            prev = e.mac.clone();
            expected = e.event.seq + 1;
        }
        if expected != f.last_seq + 1 || prev != f.last_mac || events.len() as i64 != f.count {
            add(ArchiveProblem::Incomplete);
        }
    }
    if let Some((path, last)) = sorted.last() {
        let cp = checkpoint(&ctx.db.pool).await?;
        let at = cp.as_ref().map_or(0, |c| c.seq);
        let ends_there = cp.as_ref().is_some_and(|c| c.mac == last.last_mac);
        if let Some(c) = cp.as_ref().filter(|c| !c.genuine(ctx)) {
            problems.push((
                path.clone(),
                ArchiveProblem::CheckpointForged { seq: c.seq },
            ));
        } else if at < last.last_seq || (at == last.last_seq && !ends_there) {
            problems.push((
                path.clone(),
                ArchiveProblem::NotAtCheckpoint {
                    last: last.last_seq,
                    checkpoint: at,
                },
            ));
        }
    }
    Ok(problems)
}

/// The cut-off for a legal period of `months` before `now` (Unix seconds): the same time of
/// day, `months` calendar months earlier.
pub fn cutoff(now: i64, months: i64) -> i64 {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(now) else {
        return now;
    };
    t.replace_date(crate::dates::add_months(t.date(), -months))
        .unix_timestamp()
}
