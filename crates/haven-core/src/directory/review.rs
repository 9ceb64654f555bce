//! The editing and review workflow of the directory (issue 5): partner staff keep their
//! own organisation's entries up to date; a municipal editor (`DirectoryPublish`)
//! reviews each draft against the published entry and approves or rejects it with a
//! reason the submitter sees; each entry shows when it was last checked.
//!
//! Drafts are stored by [`super::save_draft`]; approval publishes in the same transaction
//! that records the review (migration 0010, `dir_reviews`), so a published change always
//! has its reviewer. Audit events: `directory.draft` (by `save_draft`),
//! `directory.approve`, `directory.reject`, `directory.check` (by `mark_checked`), each
//! written once, in the transaction of its change.

use serde::Serialize;
use serde_json::Value;

use super::drafts::{commit_draft, insert_new, NewEntry};
use super::form::{self, Change, EntryInput};
use super::store::clear_draft;
use super::{may_edit, owning_org, publish_tree, Entry, Kind};
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::{Actor, Ctx, Error, Permission, Result};

/// An entry not confirmed for this long shows a warning ("last checked" is old).
pub const STALE_AFTER_SECS: i64 = 183 * 86_400;

/// Whether an entry last checked at `checked` counts as out of date at `now`.
pub fn is_stale(checked: Option<i64>, now: i64) -> bool {
    checked.is_none_or(|c| now - c > STALE_AFTER_SECS)
}

/// Where an entry stands in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReviewStatus)]
pub enum Status {
    /// Public; no change waiting.
    Published,
    /// A draft waits for review.
    Pending,
    /// The last draft was rejected; see the reason.
    Rejected,
}

/// A recorded review decision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Review {
    pub approved: bool,
    pub reason: String,
    pub reviewer: String,
    pub reviewed_at: i64,
}

/// One of an organisation's directory entries in the staff list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listed {
    #[schema(value_type = String)]
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub status: Status,
    pub published: bool,
    pub last_checked_at: Option<i64>,
    /// Not confirmed for more than six months (or never).
    pub stale: bool,
    pub last_review: Option<Review>,
}

/// An entry as its editor or reviewer sees it.
#[derive(Debug, Clone)]
pub struct Editing {
    pub kind: Kind,
    pub id: String,
    pub status: Status,
    pub published: Option<Entry>,
    pub draft: Option<Entry>,
    pub last_checked_at: Option<i64>,
    pub stale: bool,
    pub last_review: Option<Review>,
}

impl Editing {
    /// What the form starts from: the waiting draft, else a rejected draft (to correct
    /// it), else the published entry.
    pub fn current(&self) -> Option<&Entry> {
        self.draft.as_ref().or(self.published.as_ref())
    }

    /// The field-by-field changes of the waiting draft.
    pub fn changes(&self) -> Vec<Change> {
        match &self.draft {
            Some(d) => form::diff(self.kind, self.published.as_ref(), d),
            None => Vec::new(),
        }
    }
}

/// The last review of an entry, and the draft it rejected.
#[derive(sqlx::FromRow)]
struct ReviewRow {
    decision: String,
    reason: String,
    reviewer: Option<String>,
    reviewed_at: i64,
    draft: Option<String>,
}

/// An entry in its organisation's list.
#[derive(sqlx::FromRow)]
struct ListRow {
    id: String,
    name: String,
    published: Flag,
    last_checked_at: Option<i64>,
    draft: Option<String>,
}

/// An entry being edited: its organisation, published text, draft and state.
#[derive(sqlx::FromRow)]
struct EditRow {
    org: Option<String>,
    hsds: Option<String>,
    draft: Option<String>,
    published: Flag,
    last_checked_at: Option<i64>,
    source_lang: String,
}

#[derive(sqlx::FromRow)]
struct TranslationRow {
    lang: String,
    field: String,
    value: String,
}

#[derive(sqlx::FromRow)]
struct SalRow {
    id: String,
    location_id: Option<String>,
}

async fn last_review(ctx: &Ctx, kind: Kind, id: &str) -> Result<Option<(Review, Option<String>)>> {
    let row: Option<ReviewRow> = sqlx::query_as(
        "SELECT r.decision, r.reason, u.display_name AS reviewer, r.reviewed_at, r.draft \
         FROM dir_reviews r LEFT JOIN users u ON u.id = r.reviewed_by \
         WHERE r.entity_type = $1 AND r.entity_id = $2 \
         ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1",
    )
    .bind(kind.as_str())
    .bind(id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    Ok(row.map(|r| {
        (
            Review {
                approved: r.decision == "approved",
                reason: r.reason,
                reviewer: r.reviewer.unwrap_or_default(),
                reviewed_at: r.reviewed_at,
            },
            r.draft,
        )
    }))
}

fn status(has_draft: bool, review: Option<&Review>) -> Status {
    if has_draft {
        Status::Pending
    } else if review.is_some_and(|r| !r.approved) {
        Status::Rejected
    } else {
        Status::Published
    }
}

async fn translations(
    ctx: &Ctx,
    kind: Kind,
    id: &str,
) -> Result<std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>> {
    let rows: Vec<TranslationRow> = sqlx::query_as(
        "SELECT lang, field, value FROM dir_translations \
         WHERE entity_type = $1 AND entity_id = $2",
    )
    .bind(kind.as_str())
    .bind(id)
    .fetch_all(&ctx.db.pool)
    .await?;
    let mut out: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
        Default::default();
    for r in rows {
        out.entry(r.lang).or_default().insert(r.field, r.value);
    }
    Ok(out)
}

fn parse_entry(s: &str) -> Result<Entry> {
    Ok(serde_json::from_str(s).map_err(anyhow::Error::from)?)
}

/// An entry with its published text, its draft, its last review and "last checked", for
/// its own organisation's staff and for reviewers.
pub async fn get(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<Editing> {
    actor.require(Permission::DirectoryEdit)?;
    let org_col = match kind {
        Kind::Organization => "id",
        _ => "organization_id",
    };
    let row: Option<EditRow> = sqlx::query_as(&format!(
        "SELECT {org_col} AS org, hsds, draft, published, last_checked_at, source_lang \
         FROM {} WHERE id = $1",
        kind.table()
    ))
    .bind(id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some(row) = row else {
        return Err(Error::NotFound);
    };
    let checked = row.last_checked_at;
    // Another organisation's entry is "not found" for partner staff, as persons are.
    may_edit(ctx, actor, row.org.as_deref())
        .await
        .map_err(|_| Error::NotFound)?;
    let published = match (row.published.0, row.hsds) {
        (true, Some(h)) => {
            let mut hsds = serde_json::from_str::<Value>(&h).map_err(anyhow::Error::from)?;
            // Storage keeps a service's locations in their own table.
            if kind == Kind::Service {
                let sals: Vec<SalRow> = sqlx::query_as(
                    "SELECT id, location_id FROM dir_service_at_locations \
                     WHERE service_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&ctx.db.pool)
                .await?;
                if let Some(o) = hsds.as_object_mut() {
                    o.insert(
                        "service_at_locations".into(),
                        sals.into_iter()
                            .map(|s| serde_json::json!({"id": s.id, "location_id": s.location_id}))
                            .collect(),
                    );
                }
            }
            Some(Entry {
                hsds,
                source_lang: row.source_lang,
                translations: translations(ctx, kind, id).await?,
            })
        }
        _ => None,
    };
    let review = last_review(ctx, kind, id).await?;
    let draft = row.draft.as_deref().map(parse_entry).transpose()?;
    let rejected_draft = match (&draft, &review) {
        (None, Some((r, Some(d)))) if !r.approved => Some(parse_entry(d)?),
        _ => None,
    };
    let review = review.map(|r| r.0);
    Ok(Editing {
        kind,
        id: id.to_owned(),
        status: status(draft.is_some(), review.as_ref()),
        stale: published.is_some() && is_stale(checked, ctx.clock.now_ts()),
        draft: draft.or(rejected_draft),
        published,
        last_checked_at: checked,
        last_review: review,
    })
}

/// The directory organisations the actor's network organisation keeps.
pub async fn own_organizations(ctx: &Ctx, actor: &Actor) -> Result<Vec<(String, String)>> {
    actor.require(Permission::DirectoryEdit)?;
    let mine = actor.require_org()?;
    Ok(sqlx::query_as(
        "SELECT id, name FROM dir_organizations WHERE haven_org_id = $1 ORDER BY name, id",
    )
    .bind(mine)
    .fetch_all(&ctx.db.pool)
    .await?)
}

/// Every directory entry of the actor's own organisation: organisations, then
/// locations, then services, each by name.
pub async fn list_own(ctx: &Ctx, actor: &Actor) -> Result<Vec<Listed>> {
    actor.require(Permission::DirectoryEdit)?;
    let mine = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut out = Vec::new();
    for kind in [Kind::Organization, Kind::Location, Kind::Service] {
        let filter = match kind {
            Kind::Organization => "haven_org_id = $1",
            _ => "organization_id IN (SELECT id FROM dir_organizations WHERE haven_org_id = $1)",
        };
        let rows: Vec<ListRow> = sqlx::query_as(&format!(
            "SELECT id, name, published, last_checked_at, draft FROM {} \
                 WHERE {filter} ORDER BY name, id",
            kind.table()
        ))
        .bind(mine)
        .fetch_all(&ctx.db.pool)
        .await?;
        for ListRow {
            id,
            name,
            published,
            last_checked_at: checked,
            draft,
        } in rows
        {
            let review = last_review(ctx, kind, &id).await?.map(|r| r.0);
            // A new entry's name is in its draft until it is published.
            let name = match (&draft, name.is_empty()) {
                (Some(d), true) => parse_entry(d)
                    .ok()
                    .and_then(|e| super::hsds::str_field(&e.hsds, "name").map(str::to_owned))
                    .unwrap_or_default(),
                _ => name,
            };
            out.push(Listed {
                kind,
                status: status(draft.is_some(), review.as_ref()),
                published: published.0,
                stale: published.0 && is_stale(checked, now),
                last_checked_at: checked,
                last_review: review,
                id,
                name,
            });
        }
    }
    Ok(out)
}

/// Saves a change to entry `id` (or a new entry, `id = None`) as a draft for review;
/// the public text stays as it is until a reviewer approves. Returns the entry's id.
///
/// Partner staff whose organisation has no directory entry yet may propose one; it is
/// linked to their organisation so that they keep it from then on.
pub async fn save(
    ctx: &Ctx,
    actor: &Actor,
    kind: Kind,
    id: Option<&str>,
    input: &EntryInput,
) -> Result<String> {
    actor.require(Permission::DirectoryEdit)?;
    input.validate(kind)?;
    let (id, base, existing) = match id {
        Some(id) => {
            let e = get(ctx, actor, kind, id).await?;
            let base = e
                .current()
                .map(|c| c.hsds.clone())
                .unwrap_or(Value::Object(Default::default()));
            (id.to_owned(), base, true)
        }
        None => (
            uuid::Uuid::new_v4().to_string(),
            Value::Object(Default::default()),
            false,
        ),
    };
    let entry = input.apply(kind, &id, &base);
    super::check(kind, &entry)?;
    if kind == Kind::Service {
        check_locations(ctx, &entry, input).await?;
    }
    if kind == Kind::Organization && !existing && !actor.can(Permission::DirectoryPublish) {
        return propose_organization(ctx, actor, &id, &entry).await;
    }
    // Another organisation's entry is "not found" for partner staff, as in `get`.
    if !existing {
        may_edit(ctx, actor, owning_org(kind, &entry.hsds).as_deref())
            .await
            .map_err(|_| Error::invalid("organization_id", "err-choice"))?;
    }
    super::save_draft(ctx, actor, kind, &entry).await
}

/// A service may be offered only at locations of its own organisation.
async fn check_locations(ctx: &Ctx, entry: &Entry, input: &EntryInput) -> Result<()> {
    let org = owning_org(Kind::Service, &entry.hsds).unwrap_or_default();
    for l in &input.location_ids {
        let owner: Option<Option<String>> =
            sqlx::query_scalar("SELECT organization_id FROM dir_locations WHERE id = $1")
                .bind(l.trim())
                .fetch_optional(&ctx.db.pool)
                .await?;
        if !matches!(owner, Some(Some(o)) if o == org) {
            return Err(Error::invalid("location_ids", "err-choice"));
        }
    }
    Ok(())
}

async fn propose_organization(ctx: &Ctx, actor: &Actor, id: &str, e: &Entry) -> Result<String> {
    let mine = actor.require_org()?.to_string();
    if !own_organizations(ctx, actor).await?.is_empty() {
        return Err(Error::Forbidden);
    }
    let now = ctx.clock.now_ts();
    let name = super::hsds::str_field(&e.hsds, "name").unwrap_or("");
    let draft = serde_json::to_string(e).map_err(anyhow::Error::from)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let kind = crate::firewall::kind_of(&mut tx.tx, actor.require_org()?).await?;
    if kind.is_some_and(|k| !crate::firewall::rules(k).public_directory) {
        return Err(Error::invalid(
            "organization_id",
            "err-org-kind-no-directory",
        ));
    }
    let new = NewEntry {
        id,
        name,
        source_lang: &e.source_lang,
        draft: &draft,
        now,
    };
    insert_new(
        &mut tx,
        "dir_organizations",
        ("haven_org_id", Some(mine.as_str())),
        &new,
    )
    .await?;
    commit_draft(tx, ctx, actor, "organization", id.to_owned()).await
}

/// One draft in the review queue, with what it changes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Queued {
    #[schema(value_type = String)]
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub draft_at: i64,
    pub published_before: bool,
    pub changes: Vec<Change>,
}

/// The review queue: every waiting draft, oldest first, with its changes.
pub async fn queue(ctx: &Ctx, actor: &Actor) -> Result<Vec<Queued>> {
    actor.require(Permission::DirectoryPublish)?;
    let mut out = Vec::new();
    for p in super::pending(ctx, actor).await? {
        let e = get(ctx, actor, p.kind, &p.id).await?;
        let name = e
            .draft
            .as_ref()
            .and_then(|d| super::hsds::str_field(&d.hsds, "name").map(str::to_owned))
            .unwrap_or(p.name);
        out.push(Queued {
            kind: p.kind,
            changes: e.changes(),
            id: p.id,
            name,
            draft_at: p.draft_at,
            published_before: p.published_before,
        });
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn record(
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    kind: Kind,
    id: &str,
    approved: bool,
    reason: &str,
    draft: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO dir_reviews (id, entity_type, entity_id, decision, reason, draft, \
         reviewed_by, reviewed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(crate::ids::DirReviewId::new())
    .bind(kind.as_str())
    .bind(id)
    .bind(if approved { "approved" } else { "rejected" })
    .bind(reason)
    .bind(draft)
    .bind(actor.audit_id())
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

async fn take_draft(tx: &mut AuditTx<'_>, kind: Kind, id: &str) -> Result<String> {
    let draft: Option<Option<String>> =
        sqlx::query_scalar(&format!("SELECT draft FROM {} WHERE id = $1", kind.table()))
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    match draft {
        Some(Some(d)) => Ok(d),
        // Someone else decided first, or the entry has no change waiting.
        Some(None) => Err(Error::Conflict("err-directory-no-draft")),
        None => Err(Error::NotFound),
    }
}

/// Approves the draft of an entry: it becomes public (and counts as checked now) in the
/// same transaction that records who reviewed it and when.
pub async fn approve(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryPublish)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let draft = take_draft(&mut tx, kind, id).await?;
    let entry = parse_entry(&draft)?;
    let mut ids = Vec::new();
    publish_tree(&mut tx, kind, entry, now, &mut ids).await?;
    record(&mut tx, actor, kind, id, true, "", None, now).await?;
    tx.log(ctx, actor, "directory.approve", kind.as_str(), &ids)
        .await?;
    tx.commit().await?;
    crate::generation::moved(ctx, crate::generation::Area::Directory).await;
    Ok(())
}

/// Rejects the draft of an entry with a reason its organisation's staff see; the public
/// entry stays as it was.
pub async fn reject(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str, reason: &str) -> Result<()> {
    actor.require(Permission::DirectoryPublish)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", "err-required"));
    }
    if reason.chars().count() > 2000 {
        return Err(Error::invalid("reason", "err-too-long"));
    }
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let draft = take_draft(&mut tx, kind, id).await?;
    clear_draft(&mut tx, kind, id).await?;
    record(&mut tx, actor, kind, id, false, reason, Some(&draft), now).await?;
    tx.log(
        ctx,
        actor,
        "directory.reject",
        kind.as_str(),
        &[id.to_owned()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_after_six_months_or_never() {
        let now = 1_800_000_000;
        assert!(is_stale(None, now));
        assert!(!is_stale(Some(now - STALE_AFTER_SECS), now));
        assert!(is_stale(Some(now - STALE_AFTER_SECS - 1), now));
    }
}
