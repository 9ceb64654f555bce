//! The public information site's content: topic pages, questions and answers, and stories,
//! one translation per language.
//!
//! Each translation moves through draft → reviewed → published, recording who edited,
//! reviewed and published it and when. Publishing copies the working text to the published
//! copy, which is what the public site reads; a new draft does not take the page offline.
//! English is the source: a translation records the English version it was made from, and
//! it is *out of date* while that is below the English version. The flag is computed, not
//! stored, so it cannot drift; it clears when the translation is edited again or re-approved
//! ([`confirm`]).
//!
//! Stories are personal content. The consent record holds only what the speaker agreed to
//! publish (the name shown), when consent was recorded and by whom, and when it ends. An
//! expired story is not shown from that moment; a withdrawn one is erased (its words and
//! the speaker's name) in one step.
//!
//! The public reads ([`topics`], [`topic`], [`questions`], [`stories`], [`cards`]) take no
//! actor: published content is public. Every change takes an actor, checks a permission on
//! its first line and writes an audit event in its transaction.

mod model;

pub use model::{
    dir, is_language, paragraphs, ItemInput, Kind, Status, TextInput, LANGUAGES, SECTIONS, SOURCE,
};

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::audit::AuditTx;
use crate::ids::{parse_db, ContentId};
use crate::{Actor, Ctx, Error, Permission, Result};

static GENERATION: AtomicU64 = AtomicU64::new(1);

/// Moves on whenever published content changes in this process, so that caches of rendered
/// pages know to drop what they hold. (Expiry of a story is time, not a change: callers
/// also honour [`Published::valid_until`].)
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

fn bump() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// One language of an item, for editors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Translation {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub status: Status,
    /// Counts edits of this language's text.
    pub version: i64,
    /// The English version this text was made from.
    pub source_version: i64,
    /// The English text changed since this translation was made or re-approved.
    pub out_of_date: bool,
    /// A published copy is online (it may be older than the text above).
    pub online: bool,
    pub edited_at: i64,
    /// The reviewer's display name.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub published_at: Option<i64>,
}

/// An item with all its languages, for editors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    #[schema(value_type = String, format = Uuid)]
    pub id: ContentId,
    pub kind: Kind,
    pub slug: String,
    pub section: String,
    pub position: i64,
    /// Stories only: the name the speaker agreed to have published.
    pub speaker: Option<String>,
    pub consent_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub expired: bool,
    pub withdrawn: bool,
    pub translations: Vec<Translation>,
}

type ItemRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

type TrRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

const ITEM_COLS: &str =
    "id, kind, slug, section, position, speaker, consent_at, expires_at, withdrawn_at";
const TR_SQL: &str = "SELECT t.item_id, t.lang, t.title, t.summary, t.body, t.version, \
     t.source_version, t.status, t.edited_at, u.display_name, t.reviewed_at, t.published_at, \
     t.pub_version FROM content_translations t LEFT JOIN users u ON u.id = t.reviewed_by";

async fn load(ctx: &Ctx, only: Option<ContentId>) -> Result<Vec<Item>> {
    let now = ctx.clock.now_ts();
    let (items, trs): (Vec<ItemRow>, Vec<TrRow>) = match only {
        Some(id) => (
            sqlx::query_as(&format!(
                "SELECT {ITEM_COLS} FROM content_items WHERE id = $1"
            ))
            .bind(id.to_string())
            .fetch_all(&ctx.db.pool)
            .await?,
            sqlx::query_as(&format!("{TR_SQL} WHERE t.item_id = $1"))
                .bind(id.to_string())
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
    let english: std::collections::HashMap<&str, i64> = trs
        .iter()
        .filter(|t| t.1 == SOURCE)
        .map(|t| (t.0.as_str(), t.5))
        .collect();
    let mut out = Vec::with_capacity(items.len());
    for r in items {
        let en = english.get(r.0.as_str()).copied().unwrap_or(0);
        let mut translations: Vec<Translation> = trs
            .iter()
            .filter(|t| t.0 == r.0)
            .map(|t| Translation {
                lang: t.1.clone(),
                title: t.2.clone(),
                summary: t.3.clone(),
                body: t.4.clone(),
                version: t.5,
                source_version: t.6,
                out_of_date: t.1 != SOURCE && t.6 < en,
                status: Status::parse(&t.7),
                edited_at: t.8,
                reviewed_by: t.9.clone(),
                reviewed_at: t.10,
                published_at: t.11,
                online: t.12.is_some(),
            })
            .collect();
        translations.sort_by_key(|t| {
            LANGUAGES
                .iter()
                .position(|(c, _)| *c == t.lang)
                .unwrap_or(LANGUAGES.len())
        });
        out.push(Item {
            id: parse_db(&r.0)?,
            kind: Kind::parse(&r.1).unwrap_or(Kind::Page),
            slug: r.2,
            section: r.3,
            position: r.4,
            speaker: r.5,
            consent_at: r.6,
            expires_at: r.7,
            expired: r.7.is_some_and(|e| e <= now),
            withdrawn: r.8.is_some(),
            translations,
        });
    }
    Ok(out)
}

/// Every item with the state of each of its languages.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<Item>> {
    actor.require(Permission::ContentEdit)?;
    load(ctx, None).await
}

pub async fn get(ctx: &Ctx, actor: &Actor, id: ContentId) -> Result<Item> {
    actor.require(Permission::ContentEdit)?;
    load(ctx, Some(id)).await?.pop().ok_or(Error::NotFound)
}

/// A new page, question or story (without text yet). For a story this records the
/// speaker's consent.
pub async fn create(ctx: &Ctx, actor: &Actor, input: &ItemInput) -> Result<ContentId> {
    actor.require(Permission::ContentEdit)?;
    let now = ctx.clock.now_ts();
    let item = model::parse_item(input, now)?;
    let id = ContentId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT id FROM content_items WHERE kind = $1 AND slug = $2")
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
    .bind(id.to_string())
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
    tx.log(ctx, actor, "content.create", "content", &[id.to_string()])
        .await?;
    tx.commit().await?;
    Ok(id)
}

fn lang_of(lang: &str) -> Result<&'static str> {
    LANGUAGES
        .iter()
        .map(|(c, _)| *c)
        .find(|c| *c == lang)
        .ok_or(Error::NotFound)
}

async fn english_version(tx: &mut AuditTx<'_>, id: ContentId) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT version FROM content_translations WHERE item_id = $1 AND lang = $2")
            .bind(id.to_string())
            .bind(SOURCE)
            .fetch_optional(&mut *tx.tx)
            .await?;
    Ok(row.map(|r| r.0))
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
    let item: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT withdrawn_at FROM content_items WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    match item {
        None => return Err(Error::NotFound),
        Some((Some(_),)) => return Err(Error::Conflict("content-withdrawn")),
        Some((None,)) => {}
    }
    let current: Option<(i64,)> =
        sqlx::query_as("SELECT version FROM content_translations WHERE item_id = $1 AND lang = $2")
            .bind(id.to_string())
            .bind(lang)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let version = current.map(|c| c.0 + 1).unwrap_or(1);
    let source_version = if lang == SOURCE {
        version
    } else {
        english_version(&mut tx, id)
            .await?
            .ok_or(Error::Conflict("content-source-first"))?
    };
    if current.is_some() {
        sqlx::query(
            "UPDATE content_translations SET title = $1, summary = $2, body = $3, \
             version = $4, source_version = $5, status = 'draft', edited_by = $6, \
             edited_at = $7, reviewed_by = NULL, reviewed_at = NULL \
             WHERE item_id = $8 AND lang = $9",
        )
        .bind(&text.title)
        .bind(&text.summary)
        .bind(&text.body)
        .bind(version)
        .bind(source_version)
        .bind(actor.audit_id())
        .bind(now)
        .bind(id.to_string())
        .bind(lang)
        .execute(&mut *tx.tx)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO content_translations (item_id, lang, title, summary, body, version, \
             source_version, status, edited_by, edited_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9)",
        )
        .bind(id.to_string())
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
    }
    tx.log(
        ctx,
        actor,
        "content.edit",
        "content",
        &[format!("{id}:{lang}")],
    )
    .await?;
    tx.commit().await
}

/// The state of one language of an item; a withdrawn story accepts no more work.
async fn state_of(tx: &mut AuditTx<'_>, id: ContentId, lang: &str) -> Result<Status> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT t.status, i.withdrawn_at FROM content_translations t \
         JOIN content_items i ON i.id = t.item_id WHERE t.item_id = $1 AND t.lang = $2",
    )
    .bind(id.to_string())
    .bind(lang)
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        None => Err(Error::NotFound),
        Some((_, Some(_))) => Err(Error::Conflict("content-withdrawn")),
        Some((status, None)) => Ok(Status::parse(&status)),
    }
}

/// Marks a draft as reviewed, recording the reviewer.
pub async fn review(ctx: &Ctx, actor: &Actor, id: ContentId, lang: &str) -> Result<()> {
    actor.require(Permission::ContentReview)?;
    let lang = lang_of(lang)?;
    let mut tx = AuditTx::begin(ctx).await?;
    if state_of(&mut tx, id, lang).await? != Status::Draft {
        return Err(Error::Conflict("content-not-draft"));
    }
    sqlx::query(
        "UPDATE content_translations SET status = 'reviewed', reviewed_by = $1, \
         reviewed_at = $2 WHERE item_id = $3 AND lang = $4",
    )
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .bind(lang)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "content.review",
        "content",
        &[format!("{id}:{lang}")],
    )
    .await?;
    tx.commit().await
}

/// Puts a reviewed text online, replacing what was online.
pub async fn publish(ctx: &Ctx, actor: &Actor, id: ContentId, lang: &str) -> Result<()> {
    actor.require(Permission::ContentReview)?;
    let lang = lang_of(lang)?;
    let mut tx = AuditTx::begin(ctx).await?;
    if state_of(&mut tx, id, lang).await? != Status::Reviewed {
        return Err(Error::Conflict("content-not-reviewed"));
    }
    sqlx::query(
        "UPDATE content_translations SET status = 'published', pub_title = title, \
         pub_summary = summary, pub_body = body, pub_version = version, published_by = $1, \
         published_at = $2 WHERE item_id = $3 AND lang = $4",
    )
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .bind(lang)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "content.publish",
        "content",
        &[format!("{id}:{lang}")],
    )
    .await?;
    tx.commit().await?;
    bump();
    Ok(())
}

/// Re-approves a translation after the English text changed: a reviewer confirms it still
/// says the same, and it follows the current English version.
pub async fn confirm(ctx: &Ctx, actor: &Actor, id: ContentId, lang: &str) -> Result<()> {
    actor.require(Permission::ContentReview)?;
    let lang = lang_of(lang)?;
    if lang == SOURCE {
        return Err(Error::Conflict("content-not-outdated"));
    }
    let mut tx = AuditTx::begin(ctx).await?;
    let en = english_version(&mut tx, id).await?.ok_or(Error::NotFound)?;
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT source_version FROM content_translations WHERE item_id = $1 AND lang = $2",
    )
    .bind(id.to_string())
    .bind(lang)
    .fetch_optional(&mut *tx.tx)
    .await?;
    match row {
        None => return Err(Error::NotFound),
        Some((v,)) if v >= en => return Err(Error::Conflict("content-not-outdated")),
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE content_translations SET source_version = $1, reviewed_by = $2, \
         reviewed_at = $3 WHERE item_id = $4 AND lang = $5",
    )
    .bind(en)
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .bind(lang)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "content.confirm",
        "content",
        &[format!("{id}:{lang}")],
    )
    .await?;
    tx.commit().await
}

/// Takes a story down in one step: it leaves the site at once, and its words and the
/// speaker's name are erased in every language. Cannot be undone.
pub async fn withdraw(ctx: &Ctx, actor: &Actor, id: ContentId) -> Result<()> {
    actor.require(Permission::ContentEdit)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT kind, withdrawn_at FROM content_items WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    match row {
        None => return Err(Error::NotFound),
        Some((kind, _)) if kind != Kind::Story.as_str() => {
            return Err(Error::Conflict("content-not-story"))
        }
        Some((_, Some(_))) => return Err(Error::Conflict("content-withdrawn")),
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE content_items SET withdrawn_at = $1, withdrawn_by = $2, speaker = NULL \
         WHERE id = $3",
    )
    .bind(now)
    .bind(actor.audit_id())
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query(
        "UPDATE content_translations SET title = '', summary = '', body = '', \
         pub_title = NULL, pub_summary = NULL, pub_body = NULL, pub_version = NULL, \
         status = 'draft' WHERE item_id = $1",
    )
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "content.withdraw", "content", &[id.to_string()])
        .await?;
    tx.commit().await?;
    bump();
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What the public sees.

/// A published text in one language: the visitor's language if it has been published in
/// it, else English. `lang` and `dir` say which, so a page can mark it up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Card {
    pub slug: String,
    /// For a page: options | rights. For a question: its topic's slug, or empty.
    pub section: String,
    pub title: String,
    pub summary: String,
    pub lang: &'static str,
    pub dir: &'static str,
}

/// A published item with its full text.
#[derive(Debug, Clone)]
pub struct PublicText {
    pub card: Card,
    pub paragraphs: Vec<String>,
    /// Stories only: the name the speaker agreed to have published.
    pub speaker: Option<String>,
}

/// Published items of one kind in one language, and until when that answer holds (the
/// moment the next shown story expires; `i64::MAX` when none does).
pub struct Published {
    pub items: Vec<PublicText>,
    pub valid_until: i64,
}

type PubRow = (
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The published items of `kind` in `lang`, each in `lang` or else in English.
pub async fn published(ctx: &Ctx, kind: Kind, lang: &str) -> Result<Published> {
    let lang = lang_of(lang)?;
    let now = ctx.clock.now_ts();
    let rows: Vec<PubRow> = sqlx::query_as(
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
    .await?;
    let mut items: Vec<PublicText> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut valid_until = i64::MAX;
    for r in rows {
        let row_lang = if r.5 == lang { lang } else { SOURCE };
        let text = PublicText {
            card: Card {
                slug: r.1,
                section: r.2,
                title: r.6.unwrap_or_default(),
                summary: r.7.unwrap_or_default(),
                lang: row_lang,
                dir: dir(row_lang),
            },
            paragraphs: paragraphs(&r.8.unwrap_or_default()),
            speaker: r.3,
        };
        if let Some(e) = r.4 {
            valid_until = valid_until.min(e);
        }
        match ids.iter().position(|i| *i == r.0) {
            // The visitor's language wins over English.
            Some(i) if row_lang == lang => items[i] = text,
            Some(_) => {}
            None => {
                ids.push(r.0);
                items.push(text);
            }
        }
    }
    Ok(Published { items, valid_until })
}

/// The published topic pages in `lang`, in order, as cards (title and short text).
///
/// This is also the outreach app's "show" mode: a worker shows a card on a tablet in the
/// person's language; the card's `lang` and `dir` say which language it really is in.
pub async fn cards(ctx: &Ctx, lang: &str) -> Result<Vec<Card>> {
    Ok(published(ctx, Kind::Page, lang)
        .await?
        .items
        .into_iter()
        .map(|t| t.card)
        .collect())
}
