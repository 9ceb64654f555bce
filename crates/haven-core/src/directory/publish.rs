//! Publishing: drafts and batches of entries going public, "last checked", and the link
//! between a directory organisation and a network member.

use super::drafts::may_edit;
use super::model::{Entry, Kind, Pending};
use super::store::{draft_of, publish_tree};
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::{Actor, Ctx, Error, Permission, Result};

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: String,
    name: String,
    draft_at: i64,
    published: Flag,
}

/// Every draft waiting for review, oldest first.
pub async fn pending(ctx: &Ctx, actor: &Actor) -> Result<Vec<Pending>> {
    actor.require(Permission::DirectoryPublish)?;
    let mut out = Vec::new();
    for kind in [Kind::Organization, Kind::Location, Kind::Service] {
        let rows: Vec<PendingRow> = sqlx::query_as(&format!(
            "SELECT id, name, COALESCE(draft_at, 0) AS draft_at, published FROM {} \
             WHERE draft IS NOT NULL ORDER BY draft_at, id",
            kind.table()
        ))
        .fetch_all(&ctx.db.pool)
        .await?;
        out.extend(rows.into_iter().map(|r| Pending {
            kind,
            id: r.id,
            name: r.name,
            draft_at: r.draft_at,
            published_before: r.published.0,
        }));
    }
    out.sort_by_key(|p| p.draft_at);
    Ok(out)
}

/// Publishes the draft of entry X: it replaces the public text and indexes in one
/// transaction, and counts as checked now.
pub async fn publish(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryPublish)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let Some(Some(entry)) = draft_of(&mut tx.tx, kind, id).await? else {
        return Err(Error::NotFound);
    };
    let mut ids = Vec::new();
    publish_tree(&mut tx, kind, entry, now, &mut ids).await?;
    tx.log(ctx, actor, "directory.publish", kind.as_str(), &ids)
        .await?;
    tx.commit().await?;
    crate::generation::moved(ctx, crate::generation::Area::Directory).await;
    Ok(())
}

/// Records that someone confirmed a published entry is still true ("last checked").
pub async fn mark_checked(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryEdit)?;
    let row: Option<Option<String>> = sqlx::query_scalar(&format!(
        "SELECT {} FROM {} WHERE id = $1",
        match kind {
            Kind::Organization => "id",
            Kind::Service | Kind::Location => "organization_id",
        },
        kind.table()
    ))
    .bind(id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some(org) = row else {
        return Err(Error::NotFound);
    };
    may_edit(ctx, actor, org.as_deref()).await?;
    let mut tx = AuditTx::begin(ctx).await?;
    sqlx::query(&format!(
        "UPDATE {} SET last_checked_at = $1 WHERE id = $2",
        kind.table()
    ))
    .bind(ctx.clock.now_ts())
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "directory.check", kind.as_str(), &[id])
        .await?;
    tx.commit().await?;
    // "Last checked" is part of the published entry (HSDS metadata).
    crate::generation::moved(ctx, crate::generation::Area::Directory).await;
    Ok(())
}

/// Links a directory organisation to the network member whose staff keep it and who
/// receive referrals to its services.
pub async fn link_network_org(
    ctx: &Ctx,
    actor: &Actor,
    dir_org_id: &str,
    haven_org_id: Option<crate::ids::OrgId>,
) -> Result<()> {
    actor.require(Permission::DirectoryPublish)?;
    let mut tx = AuditTx::begin(ctx).await?;
    if let Some(org) = haven_org_id {
        // The firewall by kind: a police liaison unit (or a policy unit) is never in the
        // public directory, so no directory organisation is ever linked to one.
        let kind = crate::firewall::kind_of(&mut tx.tx, org).await?;
        if kind.is_some_and(|k| !crate::firewall::rules(k).public_directory) {
            return Err(Error::invalid("haven_org_id", "err-org-kind-no-directory"));
        }
    }
    let done = sqlx::query("UPDATE dir_organizations SET haven_org_id = $1 WHERE id = $2")
        .bind(haven_org_id)
        .bind(dir_org_id)
        .execute(&mut *tx.tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tx.log(ctx, actor, "directory.link", "organization", &[dir_org_id])
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes several entries at once, as checked now, in one transaction with one audit
/// event (the demo, and a reviewer approving a batch).
pub async fn publish_entries(
    ctx: &Ctx,
    actor: &Actor,
    entries: Vec<(Kind, Entry)>,
) -> Result<usize> {
    actor.require(Permission::DirectoryPublish)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let mut ids = Vec::new();
    for (kind, e) in entries {
        publish_tree(&mut tx, kind, e, now, &mut ids).await?;
    }
    tx.log(ctx, actor, "directory.publish", "directory", &ids)
        .await?;
    tx.commit().await?;
    crate::generation::moved(ctx, crate::generation::Area::Directory).await;
    Ok(ids.len())
}
