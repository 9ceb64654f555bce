//! Review: approving a draft, putting it online, and re-approving a translation after the
//! English text changed.

use super::model::{Status, SOURCE};
use super::store::{self, lang_of, log_text};
use crate::audit::AuditTx;
use crate::ids::ContentId;
use crate::{Actor, Ctx, Error, Permission, Result};

/// A step of the review: from which status, the conflict when a text is not in it, the
/// statement that sets the new state from `$1` (the actor), `$2` (the time), `$3` (the
/// item) and `$4` (the language), and the audit action.
struct Step {
    from: Status,
    not_from: &'static str,
    sql: &'static str,
    action: &'static str,
}

const REVIEW: Step = Step {
    from: Status::Draft,
    not_from: "content-not-draft",
    sql: "UPDATE content_translations SET status = 'reviewed', reviewed_by = $1, \
          reviewed_at = $2 WHERE item_id = $3 AND lang = $4",
    action: "content.review",
};

const PUBLISH: Step = Step {
    from: Status::Reviewed,
    not_from: "content-not-reviewed",
    sql: "UPDATE content_translations SET status = 'published', pub_title = title, \
          pub_summary = summary, pub_body = body, pub_version = version, published_by = $1, \
          published_at = $2 WHERE item_id = $3 AND lang = $4",
    action: "content.publish",
};

/// Re-approving a translation: the statement, which also takes the English version the
/// translation now follows as `$5`, and the audit action.
const CONFIRM: (&str, &str) = (
    "UPDATE content_translations SET reviewed_by = $1, reviewed_at = $2, source_version = $5 \
     WHERE item_id = $3 AND lang = $4",
    "content.confirm",
);

async fn advance(ctx: &Ctx, actor: &Actor, id: ContentId, lang: &str, step: Step) -> Result<()> {
    actor.require(Permission::ContentReview)?;
    let lang = lang_of(lang)?;
    let mut tx = AuditTx::begin(ctx).await?;
    if store::state_of(&mut tx, id, lang).await? != step.from {
        return Err(Error::Conflict(step.not_from));
    }
    apply(tx, ctx, actor, (step.sql, step.action), id, lang, None).await
}

/// Runs a step's statement, with `version` as `$5` when given, and logs its action in the
/// same transaction.
async fn apply(
    mut tx: AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    (sql, action): (&str, &str),
    id: ContentId,
    lang: &str,
    version: Option<i64>,
) -> Result<()> {
    let mut q = sqlx::query(sql)
        .bind(actor.audit_id())
        .bind(ctx.clock.now_ts())
        .bind(id)
        .bind(lang);
    if let Some(v) = version {
        q = q.bind(v);
    }
    q.execute(&mut *tx.tx).await?;
    log_text(tx, ctx, actor, action, id, lang).await
}

/// Marks a draft as reviewed, recording the reviewer.
pub async fn review(ctx: &Ctx, actor: &Actor, id: ContentId, lang: &str) -> Result<()> {
    advance(ctx, actor, id, lang, REVIEW).await
}

/// Puts a reviewed text online, replacing what was online.
pub async fn publish(ctx: &Ctx, actor: &Actor, id: ContentId, lang: &str) -> Result<()> {
    advance(ctx, actor, id, lang, PUBLISH).await?;
    crate::generation::moved(ctx, crate::generation::Area::Content).await;
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
    let en = store::text_version(&mut tx, id, SOURCE)
        .await?
        .ok_or(Error::NotFound)?;
    let follows: Option<i64> = sqlx::query_scalar(
        "SELECT source_version FROM content_translations WHERE item_id = $1 AND lang = $2",
    )
    .bind(id)
    .bind(lang)
    .fetch_optional(&mut *tx.tx)
    .await?;
    match follows {
        None => return Err(Error::NotFound),
        Some(v) if v >= en => return Err(Error::Conflict("content-not-outdated")),
        Some(_) => {}
    }
    apply(tx, ctx, actor, CONFIRM, id, lang, Some(en)).await
}
