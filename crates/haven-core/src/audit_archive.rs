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
//! the clear, only sequence numbers and MACs, with an Ed25519 signature over all of it
//! (`audit_sign`): the public key alone checks it ([`check_signatures`]), only the key file
//! makes it. [`verify_files`] checks a file's signature, its inner chain, that files follow
//! one another, and that the last one ends at the database's checkpoint. Files of the first
//! format ([`FORMAT_V1`], a MAC under the audit key) are still read with the key file. [`crate::audit::verify`] walks the chain from the
//! checkpoint, so events deleted after it are named as before.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use crate::audit::{AuditTx, EventRow, EVENT_SELECT};
use crate::audit_sign::PublicKey;
use crate::{Actor, Ctx, Error, Result};

/// The `format` of an archive file: signed with the audit signing key (Ed25519).
pub const FORMAT: &str = "haven-audit-archive-2";
/// The first format, whose `sig` was a MAC under the audit key: still read (with the key
/// file), never written.
pub const FORMAT_V1: &str = "haven-audit-archive-1";
const SEAL_AAD: &[u8] = b"haven audit archive";
const SIGN_LABEL: &str = "haven audit archive";

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
    /// The id of the public key that checks `sig` (`audit_sign`); absent in [`FORMAT_V1`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub sig: String,
}

impl ArchiveFile {
    /// The signed fields.
    fn fields(&self) -> Vec<Vec<u8>> {
        vec![
            self.format.as_bytes().to_vec(),
            self.first_seq.to_be_bytes().to_vec(),
            self.last_seq.to_be_bytes().to_vec(),
            self.prev_mac.as_bytes().to_vec(),
            self.last_mac.as_bytes().to_vec(),
            self.count.to_be_bytes().to_vec(),
            self.created_at.to_be_bytes().to_vec(),
            self.sealed.as_bytes().to_vec(),
        ]
    }

    /// The first format's MAC under the audit key.
    fn legacy_signature(&self, ctx: &Ctx) -> String {
        let fields = self.fields();
        let mut parts: Vec<&[u8]> = vec![SIGN_LABEL.as_bytes()];
        parts.extend(fields.iter().map(Vec::as_slice));
        STANDARD.encode(ctx.keys.audit_mac(&parts))
    }

    /// Whether `public` signed the file as it is (a [`FORMAT_V1`] file: never).
    pub fn signed_by(&self, public: &PublicKey) -> bool {
        let fields = self.fields();
        let parts: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        self.format == FORMAT
            && self.key.as_deref() == Some(public.id().as_str())
            && public.verifies(SIGN_LABEL, &parts, &self.sig)
    }

    /// Whether the file is genuine for this installation: signed by its key, or in
    /// [`FORMAT_V1`] carrying the MAC under its audit key.
    pub fn genuine(&self, ctx: &Ctx) -> bool {
        match self.format.as_str() {
            FORMAT => self.signed_by(&PublicKey::of(&ctx.keys)),
            FORMAT_V1 => self.key.is_none() && self.legacy_signature(ctx) == self.sig,
            _ => false,
        }
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
            key: None,
            sig: String::new(),
        };
        let fields = f.fields();
        let parts: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
        let (key, sig) = crate::audit_sign::sign(&ctx.keys, SIGN_LABEL, &parts);
        (f.key, f.sig) = (Some(key), sig);
        Ok(f)
    }

    /// The events inside, if the file's signature holds and it opens.
    pub fn open(&self, ctx: &Ctx) -> std::result::Result<Vec<EventRow>, ArchiveProblem> {
        if !self.genuine(ctx) {
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

/// The audit log's retention when configured (the server's sweep, `retention`): events
/// older than `keep_months` move into files in `dir`, at most `batch` events a file.
#[derive(Debug, Clone)]
pub struct Archival {
    pub keep_months: i64,
    pub dir: PathBuf,
    pub batch: i64,
}

/// Events per file (and per transaction) in the sweep's archival.
pub const BATCH: i64 = 20_000;

/// Archives everything past the period of `a`, in batches of `a.batch` events, each one
/// file and one transaction. Returns the files written.
pub async fn archive_due(ctx: &Ctx, a: &Archival) -> Result<Vec<Archived>> {
    create_dir(&a.dir)?;
    let before = cutoff(ctx.clock.now_ts(), a.keep_months);
    let mut done = Vec::new();
    while let Some(file) = archive_batch(ctx, before, &a.dir, a.batch.max(1)).await? {
        done.push(file);
    }
    Ok(done)
}

/// Archives into `dir` every event before `before` (Unix seconds) since the checkpoint, and
/// removes them from the database. `None`: nothing that old.
pub async fn archive(ctx: &Ctx, before: i64, dir: &Path) -> Result<Option<Archived>> {
    archive_batch(ctx, before, dir, i64::MAX).await
}

/// Like [`archive`], at most `max` events.
///
/// Crash safety: the file is written and synced as `<name>.pending` inside the transaction
/// that holds the chain head, and renamed to its name after the commit. Whoever next holds
/// the head first settles what a crash left ([`settle_pending`]): a pending file the
/// checkpoint covers was committed and is renamed, any other is removed. So an interrupted
/// archival leaves either nothing (events still in the database) or the whole file and
/// the checkpoint.
async fn archive_batch(ctx: &Ctx, before: i64, dir: &Path, max: i64) -> Result<Option<Archived>> {
    let mut tx = AuditTx::begin(ctx).await?;
    let cp = checkpoint(&mut *tx.tx).await?;
    settle_pending(dir, cp.as_ref())?;
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
    let cut = cut.unwrap_or(start).min(start.saturating_add(max));
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
    let pending = pending_path(&path);
    write_file(&pending, &file)?;
    let moved = move_checkpoint(ctx, &mut tx, start, cut, &file, archived).await;
    if let Err(e) = moved {
        // Not committed, for sure: the file goes (the transaction rolls back on drop).
        let _ = std::fs::remove_file(&pending);
        return Err(e);
    }
    // A failed commit may still have committed (a connection lost at that moment): the
    // pending file stays for the next run to settle by the checkpoint.
    tx.commit().await?;
    if let Err(e) = promote(&pending, &path) {
        tracing::warn!(
            "audit archive {} committed but not renamed yet ({e}); the next archival does it",
            pending.display()
        );
    }
    Ok(Some(Archived {
        first_seq: start + 1,
        last_seq: cut,
        path,
    }))
}

/// Deletes the archived events, moves the checkpoint and logs the archival.
async fn move_checkpoint(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    start: i64,
    cut: i64,
    file: &ArchiveFile,
    archived: i64,
) -> Result<()> {
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
    .await
}

const PENDING: &str = "pending";

fn pending_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{PENDING}"));
    PathBuf::from(name)
}

/// Renames a committed pending file to its name, and syncs the directory.
fn promote(pending: &Path, path: &Path) -> std::io::Result<()> {
    std::fs::rename(pending, path)?;
    match path.parent() {
        Some(dir) => std::fs::File::open(dir).and_then(|d| d.sync_all()),
        None => Ok(()),
    }
}

/// Settles the pending files a crash left in `dir`, by the checkpoint `cp` (read while
/// holding the chain head, so no other archival is between writing and committing): a
/// file the checkpoint covers was committed and gets its name; any other, or one that does
/// not parse, was not, and is removed.
fn settle_pending(dir: &Path, cp: Option<&Checkpoint>) -> Result<()> {
    let io = |e: std::io::Error| Error::Unavailable(e.into());
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    for entry in entries {
        let pending = entry.map_err(io)?.path();
        if pending.extension().and_then(|e| e.to_str()) != Some(PENDING) {
            continue;
        }
        let file: Option<ArchiveFile> = std::fs::read_to_string(&pending)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        let committed = file.as_ref().zip(cp).is_some_and(|(f, c)| {
            f.last_seq < c.seq || (f.last_seq == c.seq && f.last_mac == c.mac)
        });
        if committed {
            promote(&pending, &pending.with_extension("")).map_err(io)?;
            tracing::info!("audit archive {} settled after a crash", pending.display());
        } else {
            std::fs::remove_file(&pending).map_err(io)?;
        }
    }
    Ok(())
}

/// Creates the archive directory if missing, readable by its owner only.
fn create_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| {
        Error::Unavailable(anyhow::anyhow!(
            "cannot create the audit archive directory {}: {e}",
            dir.display()
        ))
    })
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
    /// The file's signature does not match: it was edited, or signed by another key.
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
            Self::Signature => write!(f, "its signature does not match (edited, or signed by another key)"),
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
    let sorted = in_order(files);
    let mut problems = gaps(&sorted);
    for (path, f) in &sorted {
        let mut add = |p| problems.push((path.clone(), p));
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

fn in_order(files: &[(PathBuf, ArchiveFile)]) -> Vec<&(PathBuf, ArchiveFile)> {
    let mut sorted: Vec<&(PathBuf, ArchiveFile)> = files.iter().collect();
    sorted.sort_by_key(|(_, f)| f.first_seq);
    sorted
}

/// Files (in order) that do not continue the one before.
fn gaps(sorted: &[&(PathBuf, ArchiveFile)]) -> Vec<(PathBuf, ArchiveProblem)> {
    sorted
        .windows(2)
        .filter(|w| w[1].1.first_seq != w[0].1.last_seq + 1 || w[1].1.prev_mac != w[0].1.last_mac)
        .map(|w| {
            let gap = ArchiveProblem::Gap {
                after: w[0].1.last_seq,
                first: w[1].1.first_seq,
            };
            (w[1].0.clone(), gap)
        })
        .collect()
}

/// Checks archive files with the public key alone, without the key file or the database:
/// each file's signature, and that each continues the one before. The events inside stay
/// sealed; [`verify_files`] opens them and checks their chain.
pub fn check_signatures(
    files: &[(PathBuf, ArchiveFile)],
    public: &PublicKey,
) -> Vec<(PathBuf, ArchiveProblem)> {
    let sorted = in_order(files);
    let mut problems: Vec<(PathBuf, ArchiveProblem)> = sorted
        .iter()
        .filter(|(_, f)| !f.signed_by(public))
        .map(|(path, _)| (path.clone(), ArchiveProblem::Signature))
        .collect();
    problems.extend(gaps(&sorted));
    problems
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
