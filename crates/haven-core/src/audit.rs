//! The tamper-evident audit log.
//!
//! Every read or change of person-level data, and every administrative change, appends an
//! event **in the same transaction** as the work it records: if the work is rolled back, so
//! is the event, and no work commits without its event. Long reads (the name search, the
//! caseload and team lists, the shelter board) find their rows before their audit
//! transaction so that they do not hold the chain head; they return nothing until the event
//! naming every row shown has committed. The invariant both keep: no personal data leaves a use case unless
//! its audit event is committed. Events hold ids, role names and action names, never
//! personal data.
//!
//! Events form a chain: each event's MAC covers its own fields and the previous event's
//! MAC, under the audit key from the key file. Changing, deleting or reordering any event
//! breaks the chain from that point, and [`verify`] says where. The single `audit_head`
//! row holds the last sequence number and MAC; an audited transaction locks it with its
//! first statement, which serialises appends on both backends and keeps SQLite from
//! upgrading a read transaction to a write one (which could fail under load).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Serialize;
use sqlx::pool::PoolConnection;
use sqlx::Any;
use std::sync::Arc;

use crate::audit_sign::PublicKey;
use crate::outbox::{Mailing, Outbox};
use crate::{Actor, Ctx, Result};

/// A transaction that holds the audit chain's head. Commit it with [`AuditTx::commit`].
///
/// It owns its pooled connection and begins and commits the transaction itself, so that a
/// transaction that does not commit (an error, a failed commit, a request cancelled halfway)
/// never goes back to the pool: the connection is closed, which rolls the work back on both
/// databases, and the pool opens a fresh one. A connection returned to the pool inside a
/// half-finished transaction would acknowledge later writes that never commit (on SQLite
/// after a full disk) or hold the write lock for ever.
pub struct AuditTx<'c> {
    pub tx: PoolConnection<Any>,
    /// Set once the commit succeeded; until then, dropping closes the connection.
    committed: bool,
    _ctx: std::marker::PhantomData<&'c Ctx>,
    /// Held until commit or drop on SQLite (see `Db::write_lock`).
    _queue: Option<tokio::sync::OwnedMutexGuard<()>>,
    seq: i64,
    mac: String,
    dirty: bool,
    /// The configured e-mail outbox, if any, and the mailings waiting for the commit.
    outbox: Option<Arc<dyn Outbox>>,
    mail: Vec<Mailing>,
}

impl<'c> AuditTx<'c> {
    /// Begins a transaction and locks the chain head.
    pub async fn begin(ctx: &'c Ctx) -> Result<AuditTx<'c>> {
        let queue = match ctx.db.backend {
            crate::db::Backend::Sqlite => Some(ctx.db.write_lock.clone().lock_owned().await),
            crate::db::Backend::Postgres => None,
        };
        let mut tx = ctx.db.pool.acquire().await?;
        // SQLite: take the write lock now (the next statement writes anyway), so a writer
        // never waits to upgrade a read lock. The queue above already orders the writers.
        let begin = match ctx.db.backend {
            crate::db::Backend::Sqlite => "BEGIN IMMEDIATE",
            crate::db::Backend::Postgres => "BEGIN",
        };
        if let Err(e) = sqlx::query(begin).execute(&mut *tx).await {
            tx.close_on_drop();
            return Err(e.into());
        }
        let mut atx = Self {
            tx,
            committed: false,
            _ctx: std::marker::PhantomData,
            _queue: queue,
            seq: 0,
            mac: String::new(),
            dirty: false,
            outbox: ctx.outbox.clone(),
            mail: Vec::new(),
        };
        let head: Head =
            sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, mac")
                .fetch_one(&mut *atx.tx)
                .await?;
        atx.seq = head.seq;
        atx.mac = head.mac;
        Ok(atx)
    }

    /// Appends one event to the chain. `object_ids` are typed ids (or their text).
    pub fn record(
        &mut self,
        ctx: &Ctx,
        actor: &Actor,
        action: &str,
        object_type: &str,
        object_ids: &[impl std::fmt::Display],
    ) -> PendingEvent {
        self.seq += 1;
        let ev = Event::new(ctx, actor, self.seq, action, object_type, object_ids);
        let mac = ev.mac(ctx, &self.mac);
        self.mac = mac.clone();
        self.dirty = true;
        PendingEvent { ev, mac }
    }

    /// Writes a recorded event; separate from [`record`] so callers can `await` it.
    pub async fn write(&mut self, p: PendingEvent) -> Result<()> {
        let e = p.ev;
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor_id, actor_org, actor_roles, action, \
             object_type, object_ids, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(e.seq)
        .bind(e.at)
        .bind(e.actor_id)
        .bind(e.actor_org)
        .bind(e.actor_roles)
        .bind(e.action)
        .bind(e.object_type)
        .bind(e.object_ids)
        .bind(p.mac)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records and writes an event.
    pub async fn log(
        &mut self,
        ctx: &Ctx,
        actor: &Actor,
        action: &str,
        object_type: &str,
        object_ids: &[impl std::fmt::Display],
    ) -> Result<()> {
        let p = self.record(ctx, actor, action, object_type, object_ids);
        self.write(p).await
    }

    /// Moves the head and commits the work and its events together.
    pub async fn commit(mut self) -> Result<()> {
        if self.dirty {
            sqlx::query("UPDATE audit_head SET seq = $1, mac = $2 WHERE id = 1")
                .bind(self.seq)
                .bind(&self.mac)
                .execute(&mut *self.tx)
                .await?;
        }
        // A commit that fails saved nothing, whatever the error: the storage refused it.
        if let Err(e) = sqlx::query("COMMIT").execute(&mut *self.tx).await {
            return Err(crate::Error::Unavailable(e.into()));
        }
        self.committed = true;
        // Only now may the mailings leave: the notifications they announce exist.
        if let Some(outbox) = &self.outbox {
            if !self.mail.is_empty() {
                outbox.post(std::mem::take(&mut self.mail));
            }
        }
        Ok(())
    }

    /// Whether e-mail is configured, so that mailings are worth collecting.
    pub(crate) fn mails_wanted(&self) -> bool {
        self.outbox.is_some()
    }

    /// Queues a mailing, to be handed to the outbox after the commit.
    pub(crate) fn mail(&mut self, m: Mailing) {
        self.mail.push(m);
    }
}

impl Drop for AuditTx<'_> {
    fn drop(&mut self) {
        if !self.committed {
            // Closing rolls back whatever the transaction did; see the type's doc.
            self.tx.close_on_drop();
        }
    }
}

pub struct PendingEvent {
    ev: Event,
    mac: String,
}

/// The chain's head: the last sequence number and MAC.
#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    mac: String,
}

impl Event {
    fn new(
        ctx: &Ctx,
        actor: &Actor,
        seq: i64,
        action: &str,
        object_type: &str,
        object_ids: &[impl std::fmt::Display],
    ) -> Self {
        Event {
            seq,
            at: ctx.clock.now_ts(),
            actor_id: actor.audit_id(),
            actor_org: actor.org_id.map(|o| o.to_string()).unwrap_or_default(),
            actor_roles: actor.audit_roles(),
            action: action.to_owned(),
            object_type: object_type.to_owned(),
            object_ids: object_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// The event's MAC under the audit key, chained to the previous event's `prev`.
    pub(crate) fn mac(&self, ctx: &Ctx, prev: &str) -> String {
        STANDARD.encode(ctx.keys.audit_mac(&[
            prev.as_bytes(),
            &self.seq.to_be_bytes(),
            &self.at.to_be_bytes(),
            self.actor_id.as_bytes(),
            self.actor_org.as_bytes(),
            self.actor_roles.as_bytes(),
            self.action.as_bytes(),
            self.object_type.as_bytes(),
            self.object_ids.as_bytes(),
        ]))
    }
}

/// An event as shown to an administrator.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct Event {
    pub seq: i64,
    pub at: i64,
    pub actor_id: String,
    pub actor_org: String,
    pub actor_roles: String,
    pub action: String,
    pub object_type: String,
    pub object_ids: String,
}

/// An event as stored: its fields and its MAC.
#[derive(sqlx::FromRow, Serialize, serde::Deserialize)]
pub struct EventRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub event: Event,
    pub mac: String,
}

pub(crate) const EVENT_SELECT: &str = "SELECT seq, at, actor_id, actor_org, actor_roles, action, \
     object_type, object_ids, mac FROM audit_events";

/// The newest events, newest first; `before` pages backwards by sequence number.
pub async fn list(ctx: &Ctx, actor: &Actor, before: Option<i64>, limit: i64) -> Result<Vec<Event>> {
    actor.require(crate::Permission::AuditRead)?;
    let limit = limit.clamp(1, 500);
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "{EVENT_SELECT} WHERE seq < $1 ORDER BY seq DESC LIMIT $2"
    ))
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.event).collect())
}

/// One break in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Problem {
    /// The event's MAC does not match its contents and its predecessor: it was edited, or
    /// moved, or an event before it was removed.
    Altered { seq: i64 },
    /// Sequence numbers jump: events between were deleted.
    Missing { from: i64, to: i64 },
    /// The chain ends before the head says it should: events at the end were deleted.
    Truncated { last: i64, head: i64 },
    /// The head's MAC does not match the last event.
    HeadMismatch,
    /// The checkpoint left by archiving (`audit_archive`) is not genuine: it was edited or
    /// moved, e.g. to hide events deleted from the start.
    CheckpointForged { seq: i64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Altered { seq } => write!(f, "event {seq} was altered, moved or re-inserted"),
            Problem::Missing { from, to } => write!(f, "events {from} to {to} are missing"),
            Problem::Truncated { last, head } => {
                write!(f, "events {} to {head} are missing at the end", last + 1)
            }
            Problem::HeadMismatch => write!(f, "the chain head does not match the last event"),
            Problem::CheckpointForged { seq } => write!(
                f,
                "the archive checkpoint at event {seq} is not genuine (edited, or another key)"
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub events: i64,
    pub problems: Vec<Problem>,
    /// The last archived event, where the walk began (`audit_archive`).
    pub checkpoint: Option<i64>,
}

/// Walks the whole chain in sequence order, in pages, and reports every break. After an
/// archival the walk begins at the checkpoint: the first event left must chain to it.
pub async fn verify(ctx: &Ctx) -> Result<Report> {
    let mut conn = ctx.db.pool.acquire().await?;
    verify_on(ctx, &mut conn).await
}

/// [`verify`] on a connection the caller holds: a restore checks the chain it loaded
/// before it commits.
pub async fn verify_on(ctx: &Ctx, conn: &mut sqlx::AnyConnection) -> Result<Report> {
    let mut problems = Vec::new();
    let cp = crate::audit_archive::checkpoint(&mut *conn).await?;
    let (mut prev_mac, mut after) = match &cp {
        Some(c) => {
            if !c.genuine(ctx) {
                problems.push(Problem::CheckpointForged { seq: c.seq });
            }
            (c.mac.clone(), c.seq)
        }
        None => (String::new(), 0),
    };
    let mut expected_seq = after + 1;
    let mut events = 0i64;
    loop {
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "{EVENT_SELECT} WHERE seq > $1 ORDER BY seq LIMIT 5000"
        ))
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        for EventRow {
            event: e,
            mac: stored_mac,
        } in rows
        {
            after = e.seq;
            events += 1;
            if e.seq != expected_seq {
                problems.push(Problem::Missing {
                    from: expected_seq,
                    to: e.seq - 1,
                });
            }
            if e.mac(ctx, &prev_mac) != stored_mac {
                problems.push(Problem::Altered { seq: e.seq });
            }
            prev_mac = stored_mac;
            expected_seq = e.seq + 1;
        }
    }
    let head: Head = sqlx::query_as("SELECT seq, mac FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    if head.seq > expected_seq - 1 {
        problems.push(Problem::Truncated {
            last: expected_seq - 1,
            head: head.seq,
        });
    } else if head.mac != prev_mac {
        problems.push(Problem::HeadMismatch);
    }
    Ok(Report {
        events,
        problems,
        checkpoint: cp.map(|c| c.seq),
    })
}

/// Appends one event inside a transaction the caller holds and moves the head: for a
/// restore, which writes the chain's rows itself and then records that it did. Every
/// use case goes through [`AuditTx`] instead.
pub async fn append_on(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    action: &str,
    object_type: &str,
    object_ids: &[impl std::fmt::Display],
) -> Result<()> {
    let head: Head = sqlx::query_as("SELECT seq, mac FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let ev = Event::new(ctx, actor, head.seq + 1, action, object_type, object_ids);
    let mac = ev.mac(ctx, &head.mac);
    sqlx::query(
        "INSERT INTO audit_events (seq, at, actor_id, actor_org, actor_roles, action, \
         object_type, object_ids, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(ev.seq)
    .bind(ev.at)
    .bind(ev.actor_id)
    .bind(ev.actor_org)
    .bind(ev.actor_roles)
    .bind(ev.action)
    .bind(ev.object_type)
    .bind(ev.object_ids)
    .bind(&mac)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, mac = $2 WHERE id = 1")
        .bind(head.seq + 1)
        .bind(&mac)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A checkpoint of the chain kept outside the database: the head's sequence number and MAC
/// at a moment, signed with the audit signing key (`audit_sign`, Ed25519), so that an
/// anchor cannot be made or edited without the key file and anyone with the public key can
/// check it. Kept elsewhere (a printout, another machine's file), it reveals what the chain
/// alone cannot: events deleted from the end together with a head rolled back to match them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Anchor {
    pub seq: i64,
    pub mac: String,
    pub at: i64,
    /// The id of the public key that checks `sig` ([`crate::audit_sign::PublicKey::id`]).
    /// Absent in anchors of the first format, whose `sig` was a MAC under the audit key:
    /// those are still read, and checked with the key file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub sig: String,
}

const ANCHOR_LABEL: &str = "haven audit anchor";

impl Anchor {
    /// A MAC under the audit key: the first format's "signature".
    fn legacy_sig(ctx: &Ctx, seq: i64, mac: &str, at: i64) -> String {
        STANDARD.encode(ctx.keys.audit_mac(&[
            ANCHOR_LABEL.as_bytes(),
            &seq.to_be_bytes(),
            mac.as_bytes(),
            &at.to_be_bytes(),
        ]))
    }

    /// The signed fields.
    fn fields(seq: i64, mac: &str, at: i64) -> [Vec<u8>; 3] {
        [
            seq.to_be_bytes().to_vec(),
            mac.as_bytes().to_vec(),
            at.to_be_bytes().to_vec(),
        ]
    }

    /// Whether `public` signed this anchor as it is (an anchor of the first format: never).
    pub fn signed_by(&self, public: &PublicKey) -> bool {
        let [a, b, c] = Self::fields(self.seq, &self.mac, self.at);
        self.key.as_deref() == Some(public.id().as_str())
            && public.verifies(ANCHOR_LABEL, &[&a, &b, &c], &self.sig)
    }

    /// Whether the anchor is genuine: signed by `public`, or, in the first format, carrying
    /// its MAC under this installation's audit key.
    pub fn genuine(&self, ctx: &Ctx, public: &PublicKey) -> bool {
        match self.key {
            Some(_) => self.signed_by(public),
            None => {
                Self::legacy_sig(ctx, self.seq, &self.mac, self.at).as_bytes()
                    == self.sig.as_bytes()
            }
        }
    }
}

/// The chain's head now, as an anchor.
pub async fn anchor(ctx: &Ctx) -> Result<Anchor> {
    let head: Head = sqlx::query_as("SELECT seq, mac FROM audit_head WHERE id = 1")
        .fetch_one(&ctx.db.pool)
        .await?;
    let at = ctx.clock.now_ts();
    let [a, b, c] = Anchor::fields(head.seq, &head.mac, at);
    let (key, sig) = crate::audit_sign::sign(&ctx.keys, ANCHOR_LABEL, &[&a, &b, &c]);
    Ok(Anchor {
        seq: head.seq,
        mac: head.mac,
        at,
        key: Some(key),
        sig,
    })
}

/// What an anchor says is wrong with the chain as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AnchorProblem {
    /// The anchor's own MAC does not match: it was edited, or made with another key.
    Forged { seq: i64 },
    /// The chain ends before the anchored event: events were removed from the end and the
    /// head rolled back.
    RolledBack { anchored: i64, head: i64 },
    /// The anchored event is there but is not the one anchored: the chain was rewritten.
    Rewritten { seq: i64 },
}

impl std::fmt::Display for AnchorProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnchorProblem::Forged { seq } => {
                write!(
                    f,
                    "the anchor at event {seq} is not genuine (edited, or signed by another key)"
                )
            }
            AnchorProblem::RolledBack { anchored, head } => write!(
                f,
                "events {} to {anchored} were removed from the end (an anchor saw \
                 event {anchored}; the head is at {head})",
                head + 1
            ),
            AnchorProblem::Rewritten { seq } => {
                write!(
                    f,
                    "event {seq} is not the event anchored: the chain was rewritten"
                )
            }
        }
    }
}

/// Checks the chain against anchors taken before: each must be genuine (signed by `public`,
/// or by this installation's key when `None`), and its event must still be in the chain
/// with the MAC it had.
pub async fn check_anchors(
    ctx: &Ctx,
    anchors: &[Anchor],
    public: Option<&PublicKey>,
) -> Result<Vec<AnchorProblem>> {
    let own = PublicKey::of(&ctx.keys);
    let public = public.unwrap_or(&own);
    let head: Head = sqlx::query_as("SELECT seq, mac FROM audit_head WHERE id = 1")
        .fetch_one(&ctx.db.pool)
        .await?;
    let archived = crate::audit_archive::checkpoint(&ctx.db.pool)
        .await?
        .map_or(0, |c| c.seq);
    let mut problems = Vec::new();
    for a in anchors {
        if !a.genuine(ctx, public) {
            problems.push(AnchorProblem::Forged { seq: a.seq });
            continue;
        }
        if a.seq == 0 {
            continue; // Anchored before the first event.
        }
        let mac: Option<String> = sqlx::query_scalar("SELECT mac FROM audit_events WHERE seq = $1")
            .bind(a.seq)
            .fetch_optional(&ctx.db.pool)
            .await?;
        match mac {
            // Archived and removed: `haven audit verify-archive` checks it in its file.
            None if a.seq <= archived => {}
            None if head.seq < a.seq => problems.push(AnchorProblem::RolledBack {
                anchored: a.seq,
                head: head.seq,
            }),
            Some(m) if m == a.mac => {}
            _ => problems.push(AnchorProblem::Rewritten { seq: a.seq }),
        }
    }
    Ok(problems)
}
