//! The rows of `content_items` and `content_translations`, and the queries the use cases
//! share.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::model::{Item, Kind, Status, Translation, LANGUAGES, SOURCE};
use crate::audit::AuditTx;
use crate::ids::ContentId;
use crate::{Actor, Ctx, Error, Result};

static GENERATION: AtomicU64 = AtomicU64::new(1);

/// Moves on whenever published content changes in this process, so that caches of rendered
/// pages know to drop what they hold. (Expiry of a story is time, not a change: callers
/// also honour [`super::Published::valid_until`].)
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

/// Also moved by the hub when its report categories change (the public reporting form).
pub(crate) fn bump() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: ContentId,
    kind: String,
    slug: String,
    section: String,
    position: i64,
    speaker: Option<String>,
    consent_at: Option<i64>,
    expires_at: Option<i64>,
    withdrawn_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TrRow {
    item_id: ContentId,
    lang: String,
    title: String,
    summary: String,
    body: String,
    version: i64,
    source_version: i64,
    status: String,
    edited_at: i64,
    reviewer: Option<String>,
    reviewed_at: Option<i64>,
    published_at: Option<i64>,
    pub_version: Option<i64>,
}

/// A published text of an item in one language, with what the public page shows of it.
#[derive(sqlx::FromRow)]
pub(super) struct PubRow {
    pub id: ContentId,
    pub slug: String,
    pub section: String,
    pub speaker: Option<String>,
    pub expires_at: Option<i64>,
    pub lang: String,
    pub pub_title: Option<String>,
    pub pub_summary: Option<String>,
    pub pub_body: Option<String>,
}

const ITEM_COLS: &str =
    "id, kind, slug, section, position, speaker, consent_at, expires_at, withdrawn_at";
const TR_SQL: &str = "SELECT t.item_id, t.lang, t.title, t.summary, t.body, t.version, \
     t.source_version, t.status, t.edited_at, u.display_name AS reviewer, t.reviewed_at, \
     t.published_at, t.pub_version FROM content_translations t \
     LEFT JOIN users u ON u.id = t.reviewed_by";

/// Every item, or only `only`, with all its languages in the order of [`LANGUAGES`].
pub(super) async fn load(ctx: &Ctx, only: Option<ContentId>) -> Result<Vec<Item>> {
    let now = ctx.clock.now_ts();
    let (items, trs): (Vec<ItemRow>, Vec<TrRow>) = match only {
        Some(id) => (
            sqlx::query_as(&format!(
                "SELECT {ITEM_COLS} FROM content_items WHERE id = $1"
            ))
            .bind(id)
            .fetch_all(&ctx.db.pool)
            .await?,
            sqlx::query_as(&format!("{TR_SQL} WHERE t.item_id = $1"))
                .bind(id)
                .fetch_all(&ctx.db.pool)
                .await?,
        ),
        None => (
            sqlx::query_as(&format!(
                "SELECT {ITEM_COLS} FROM content_items ORDER BY kind, section, position, slug"
            ))
            .fetch_all(&ctx.db.pool)
            .await?,
            sqlx::query_as(TR_SQL).fetch_all(&ctx.db.pool).await?,
        ),
    };
    let english: HashMap<ContentId, i64> = trs
        .iter()
        .filter(|t| t.lang == SOURCE)
        .map(|t| (t.item_id, t.version))
        .collect();
    Ok(items
        .into_iter()
        .map(|r| {
            let en = english.get(&r.id).copied().unwrap_or(0);
            let mut translations: Vec<Translation> = trs
                .iter()
                .filter(|t| t.item_id == r.id)
                .map(|t| translation(t, en))
                .collect();
            translations.sort_by_key(|t| {
                LANGUAGES
                    .iter()
                    .position(|(c, _)| *c == t.lang)
                    .unwrap_or(LANGUAGES.len())
            });
            Item {
                id: r.id,
                kind: Kind::parse(&r.kind).unwrap_or(Kind::Page),
                slug: r.slug,
                section: r.section,
                position: r.position,
                speaker: r.speaker,
                consent_at: r.consent_at,
                expires_at: r.expires_at,
                expired: r.expires_at.is_some_and(|e| e <= now),
                withdrawn: r.withdrawn_at.is_some(),
                translations,
            }
        })
        .collect())
}

/// One language of an item; `en` is the item's English version.
fn translation(t: &TrRow, en: i64) -> Translation {
    Translation {
        lang: t.lang.clone(),
        title: t.title.clone(),
        summary: t.summary.clone(),
        body: t.body.clone(),
        version: t.version,
        source_version: t.source_version,
        out_of_date: t.lang != SOURCE && t.source_version < en,
        status: Status::parse(&t.status),
        edited_at: t.edited_at,
        reviewed_by: t.reviewer.clone(),
        reviewed_at: t.reviewed_at,
        published_at: t.published_at,
        online: t.pub_version.is_some(),
    }
}

/// The published texts of `kind` in `lang` and in English, in the site's order.
pub(super) async fn published_rows(
    ctx: &Ctx,
    kind: Kind,
    lang: &str,
    now: i64,
) -> Result<Vec<PubRow>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.slug, i.section, i.speaker, i.expires_at, t.lang, t.pub_title, \
         t.pub_summary, t.pub_body FROM content_items i \
         JOIN content_translations t ON t.item_id = i.id \
         WHERE i.kind = $1 AND t.lang IN ($2, $3) AND t.pub_version IS NOT NULL \
         AND i.withdrawn_at IS NULL AND (i.expires_at IS NULL OR i.expires_at > $4) \
         ORDER BY i.position, i.slug, i.id",
    )
    .bind(kind.as_str())
    .bind(lang)
    .bind(SOURCE)
    .bind(now)
    .fetch_all(&ctx.db.pool)
    .await?)
}

/// One of the site's languages, or not found.
pub(super) fn lang_of(lang: &str) -> Result<&'static str> {
    LANGUAGES
        .iter()
        .map(|(c, _)| *c)
        .find(|c| *c == lang)
        .ok_or(Error::NotFound)
}

/// A language's text version; `None` when the item has no text in it.
pub(super) async fn text_version(
    tx: &mut AuditTx<'_>,
    id: ContentId,
    lang: &str,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT version FROM content_translations WHERE item_id = $1 AND lang = $2",
    )
    .bind(id)
    .bind(lang)
    .fetch_optional(&mut *tx.tx)
    .await?)
}

/// When an item was withdrawn: `None` for an unknown item, `Some(None)` for one that was
/// not.
pub(super) async fn withdrawn_at(
    tx: &mut AuditTx<'_>,
    id: ContentId,
) -> Result<Option<Option<i64>>> {
    Ok(
        sqlx::query_scalar("SELECT withdrawn_at FROM content_items WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?,
    )
}

#[derive(sqlx::FromRow)]
struct TextState {
    status: String,
    withdrawn_at: Option<i64>,
}

/// The state of one language of an item; a withdrawn story accepts no more work.
pub(super) async fn state_of(tx: &mut AuditTx<'_>, id: ContentId, lang: &str) -> Result<Status> {
    let row: Option<TextState> = sqlx::query_as(
        "SELECT t.status, i.withdrawn_at FROM content_translations t \
         JOIN content_items i ON i.id = t.item_id WHERE t.item_id = $1 AND t.lang = $2",
    )
    .bind(id)
    .bind(lang)
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        None => Err(Error::NotFound),
        Some(TextState {
            withdrawn_at: Some(_),
            ..
        }) => Err(Error::Conflict("content-withdrawn")),
        Some(s) => Ok(Status::parse(&s.status)),
    }
}

/// Records a change of one language of an item (`id:lang`) and commits.
pub(super) async fn log_text(
    mut tx: AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    action: &str,
    id: ContentId,
    lang: &str,
) -> Result<()> {
    tx.log(ctx, actor, action, "content", &[format!("{id}:{lang}")])
        .await?;
    tx.commit().await
}
