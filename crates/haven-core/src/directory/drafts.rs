//! Drafts: saving, reading and discarding the changes that wait for review, and who may
//! make them.

use super::hsds::{self, str_field};
use super::model::{check, owning_org, Entry, Kind};
use super::store::{clear_draft, draft_of, exists};
use crate::audit::AuditTx;
use crate::ids::OrgId;
use crate::{Actor, Ctx, Error, Permission, Result};

/// Whether `actor` may draft changes to entries of directory organisation `org_id`:
/// publishers may edit any entry, partner staff only their own organisation's.
pub(super) async fn may_edit(ctx: &Ctx, actor: &Actor, org_id: Option<&str>) -> Result<()> {
    actor.require(Permission::DirectoryEdit)?;
    if actor.can(Permission::DirectoryPublish) {
        return Ok(());
    }
    let mine = actor.require_org()?;
    let Some(org_id) = org_id else {
        return Err(Error::Forbidden);
    };
    let keeper: Option<Option<OrgId>> =
        sqlx::query_scalar("SELECT haven_org_id FROM dir_organizations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&ctx.db.pool)
            .await?;
    match keeper {
        Some(Some(h)) if h == mine => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

/// Saves a draft of entry X (new or changed); the public sees nothing of it until it is
/// published. Returns the entry's id. A new entry is created unpublished.
pub async fn save_draft(ctx: &Ctx, actor: &Actor, kind: Kind, e: &Entry) -> Result<String> {
    actor.require(Permission::DirectoryEdit)?;
    check(kind, e)?;
    let org = owning_org(kind, &e.hsds);
    may_edit(ctx, actor, org.as_deref()).await?;
    let id = e.id().unwrap_or_default().to_owned();
    let now = ctx.clock.now_ts();
    let name = str_field(&e.hsds, "name").unwrap_or("").to_owned();
    // A confidential location's address is never stored, not even in a draft.
    let mut e = e.clone();
    if kind == Kind::Location {
        hsds::strip_revealing(&mut e.hsds);
    }
    let draft = serde_json::to_string(&e).map_err(anyhow::Error::from)?;
    let new = NewEntry {
        id: &id,
        name: &name,
        source_lang: &e.source_lang,
        draft: &draft,
        now,
    };
    let mut tx = AuditTx::begin(ctx).await?;
    if exists(&mut tx, kind.table(), &id).await? {
        sqlx::query(&format!(
            "UPDATE {} SET draft = $1, draft_at = $2 WHERE id = $3",
            kind.table()
        ))
        .bind(&draft)
        .bind(now)
        .bind(&id)
        .execute(&mut *tx.tx)
        .await?;
    } else {
        match kind {
            Kind::Organization => {
                insert_new(&mut tx, kind.table(), ("haven_org_id", None), &new).await?;
            }
            Kind::Service | Kind::Location => {
                // A service belongs to an organisation; a location may stand alone.
                let org = match kind {
                    Kind::Service => Some(org.clone().unwrap_or_default()),
                    _ => org.clone(),
                };
                if let Some(o) = &org {
                    if !exists(&mut tx, "dir_organizations", o).await? {
                        return Err(Error::invalid(
                            "organization_id",
                            "err-directory-unknown-link",
                        ));
                    }
                }
                insert_new(
                    &mut tx,
                    kind.table(),
                    ("organization_id", org.as_deref()),
                    &new,
                )
                .await?;
            }
        }
    }
    commit_draft(tx, ctx, actor, kind.as_str(), id).await
}

/// Records the saving of a draft of entry `id` (an `object_type` such as `service`) and
/// commits; returns the id.
pub(super) async fn commit_draft(
    mut tx: AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    object_type: &str,
    id: String,
) -> Result<String> {
    tx.log(
        ctx,
        actor,
        "directory.draft",
        object_type,
        std::slice::from_ref(&id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An entry that so far has only its draft: the row its publication will fill in.
pub(super) struct NewEntry<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub source_lang: &'a str,
    pub draft: &'a str,
    pub now: i64,
}

/// Inserts a new, unpublished entry into `table`, linked by `link` (a column and the
/// organisation it names, if any): `organization_id` for a service or location,
/// `haven_org_id` for an organisation that a Haven organisation keeps.
pub(super) async fn insert_new(
    tx: &mut AuditTx<'_>,
    table: &str,
    link: (&str, Option<&str>),
    new: &NewEntry<'_>,
) -> Result<()> {
    let (column, org) = link;
    sqlx::query(&format!(
        "INSERT INTO {table} (id, {column}, name, source_lang, draft, draft_at, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6)"
    ))
    .bind(new.id)
    .bind(org)
    .bind(new.name)
    .bind(new.source_lang)
    .bind(new.draft)
    .bind(new.now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

/// The pending draft of an entry, if any, for editing or review.
pub async fn get_draft(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<Option<Entry>> {
    actor.require(Permission::DirectoryEdit)?;
    let mut conn = ctx.db.pool.acquire().await?;
    let entry = draft_of(&mut conn, kind, id)
        .await?
        .ok_or(Error::NotFound)?;
    drop(conn);
    if let Some(e) = &entry {
        may_edit(ctx, actor, owning_org(kind, &e.hsds).as_deref()).await?;
    }
    Ok(entry)
}

/// Throws a draft away; the published entry (if any) stays as it was.
pub async fn discard_draft(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryEdit)?;
    if let Some(e) = get_draft(ctx, actor, kind, id).await? {
        may_edit(ctx, actor, owning_org(kind, &e.hsds).as_deref()).await?;
    }
    let mut tx = AuditTx::begin(ctx).await?;
    clear_draft(&mut tx, kind, id).await?;
    tx.log(ctx, actor, "directory.discard", kind.as_str(), &[id])
        .await?;
    tx.commit().await?;
    Ok(())
}
