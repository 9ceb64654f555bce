//! Editing: the items, their texts in each language, and withdrawing a story.

use super::model::{self, Item, ItemInput, Kind, TextInput, SOURCE};
use super::store::{self, lang_of, log_text};
use crate::audit::AuditTx;
use crate::ids::ContentId;
use crate::{Actor, Ctx, Error, Permission, Result};

/// Every item with the state of each of its languages.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<Item>> {
    actor.require(Permission::ContentEdit)?;
    store::load(ctx, None).await
}

pub async fn get(ctx: &Ctx, actor: &Actor, id: ContentId) -> Result<Item> {
    actor.require(Permission::ContentEdit)?;
    store::load(ctx, Some(id))
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// A new page, question or story (without text yet). For a story this records the
/// speaker's consent.
pub async fn create(ctx: &Ctx, actor: &Actor, input: &ItemInput) -> Result<ContentId> {
    actor.require(Permission::ContentEdit)?;
    let now = ctx.clock.now_ts();
    let item = model::parse_item(input, now)?;
    let id = ContentId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    let taken: Option<ContentId> =
        sqlx::query_scalar("SELECT id FROM content_items WHERE kind = $1 AND slug = $2")
            .bind(item.kind.as_str())
            .bind(&item.slug)
            .fetch_optional(&mut *tx.tx)
            .await?;
    if taken.is_some() {
        return Err(Error::invalid("slug", "err-slug-taken"));
    }
    let (speaker, consent_at, expires_at) = match item.story {
        Some((s, c, e)) => (Some(s), Some(c), Some(e)),
        None => (None, None, None),
    };
    sqlx::query(
        "INSERT INTO content_items (id, kind, slug, section, position, speaker, consent_at, \
         consent_recorded_by, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(item.kind.as_str())
    .bind(&item.slug)
    .bind(&item.section)
    .bind(item.position)
    .bind(speaker)
    .bind(consent_at)
    .bind(consent_at.map(|_| actor.audit_id()))
    .bind(expires_at)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "content.create", "content", &[id])
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves one language's text as a new draft. Saving English makes every translation out of
/// date; saving a translation records the English version it now follows. What is online
/// stays online until the new text is reviewed and published.
pub async fn save(
    ctx: &Ctx,
    actor: &Actor,
    id: ContentId,
    lang: &str,
    input: &TextInput,
) -> Result<()> {
    actor.require(Permission::ContentEdit)?;
    let lang = lang_of(lang)?;
    let text = model::parse_text(input)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    match store::withdrawn_at(&mut tx, id).await? {
        None => return Err(Error::NotFound),
        Some(Some(_)) => return Err(Error::Conflict("content-withdrawn")),
        Some(None) => {}
    }
    let current = store::text_version(&mut tx, id, lang).await?;
    let version = current.map(|c| c + 1).unwrap_or(1);
    let source_version = if lang == SOURCE {
        version
    } else {
        store::text_version(&mut tx, id, SOURCE)
            .await?
            .ok_or(Error::Conflict("content-source-first"))?
    };
    let sql = if current.is_some() {
        "UPDATE content_translations SET title = $3, summary = $4, body = $5, \
         version = $6, source_version = $7, status = 'draft', edited_by = $8, \
         edited_at = $9, reviewed_by = NULL, reviewed_at = NULL \
         WHERE item_id = $1 AND lang = $2"
    } else {
        "INSERT INTO content_translations (item_id, lang, title, summary, body, version, \
         source_version, status, edited_by, edited_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9)"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(lang)
        .bind(&text.title)
        .bind(&text.summary)
        .bind(&text.body)
        .bind(version)
        .bind(source_version)
        .bind(actor.audit_id())
        .bind(now)
        .execute(&mut *tx.tx)
        .await?;
    log_text(tx, ctx, actor, "content.edit", id, lang).await
}

#[derive(sqlx::FromRow)]
struct StoryState {
    kind: String,
    withdrawn_at: Option<i64>,
}

/// Takes a story down in one step: it leaves the site at once, and its words and the
/// speaker's name are erased in every language. Cannot be undone.
pub async fn withdraw(ctx: &Ctx, actor: &Actor, id: ContentId) -> Result<()> {
    actor.require(Permission::ContentEdit)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<StoryState> =
        sqlx::query_as("SELECT kind, withdrawn_at FROM content_items WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    match row {
        None => return Err(Error::NotFound),
        Some(s) if s.kind != Kind::Story.as_str() => {
            return Err(Error::Conflict("content-not-story"))
        }
        Some(s) if s.withdrawn_at.is_some() => return Err(Error::Conflict("content-withdrawn")),
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE content_items SET withdrawn_at = $1, withdrawn_by = $2, speaker = NULL \
         WHERE id = $3",
    )
    .bind(now)
    .bind(actor.audit_id())
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query(
        "UPDATE content_translations SET title = '', summary = '', body = '', \
         pub_title = NULL, pub_summary = NULL, pub_body = NULL, pub_version = NULL, \
         status = 'draft' WHERE item_id = $1",
    )
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "content.withdraw", "content", &[id])
        .await?;
    // On the erasure list before the commit, so a restore takes it back again.
    ctx.db.note_erased(crate::backup::Kind::Story, &[id], now)?;
    tx.commit().await?;
    crate::generation::moved(ctx, crate::generation::Area::Content).await;
    Ok(())
}
