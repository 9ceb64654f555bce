//! The hub's report categories, configured by the hub's administrator without SQL.
//!
//! Who: a role with [`Permission::HubConfigure`] (administrators) in an organisation of
//! kind `reporting_hub` (checked here, with the hub's other work). The ten categories of
//! the issue are the default (built in, translated by their code); an added one carries a
//! label in every public language, so the public form offers it in all twelve. A rename
//! stores labels in every language, which then take the place of the translation. A
//! retired category leaves the public form, but keeps naming old reports and figures.
//! Every change is audited (the category's code only) and guarded by its version.

use super::access::hub_of;
use super::model::{category_code, CategoryConfig, CategoryInput};
use super::store;
use crate::audit::AuditTx;
use crate::{Actor, Ctx, Error, Permission, Result};

fn json(labels: &std::collections::BTreeMap<String, String>) -> Result<String> {
    Ok(serde_json::to_string(labels).map_err(anyhow::Error::from)?)
}

/// Whether the actor is the hub's administrator (the permission and a reporting hub):
/// for the start page's link, never instead of the check in each use case.
pub async fn may_configure(ctx: &Ctx, actor: &Actor) -> Result<bool> {
    if !actor.can(Permission::HubConfigure) {
        return Ok(false);
    }
    let mut conn = ctx.db.pool.acquire().await?;
    match hub_of(&mut conn, actor, Permission::HubConfigure).await {
        Ok(_) => Ok(true),
        Err(Error::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every category, retired ones too, for its administrator.
pub async fn list_config(ctx: &Ctx, actor: &Actor) -> Result<Vec<CategoryConfig>> {
    let mut conn = ctx.db.pool.acquire().await?;
    hub_of(&mut conn, actor, Permission::HubConfigure).await?;
    store::category_configs(&mut conn).await
}

/// One category, for its administrator.
pub async fn get_config(ctx: &Ctx, actor: &Actor, code: &str) -> Result<CategoryConfig> {
    let mut conn = ctx.db.pool.acquire().await?;
    hub_of(&mut conn, actor, Permission::HubConfigure).await?;
    store::category_config(&mut conn, code)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds a category with its label in every public language; its code comes from the
/// English label.
pub async fn add_category(
    ctx: &Ctx,
    actor: &Actor,
    input: &CategoryInput,
) -> Result<CategoryConfig> {
    let mut tx = AuditTx::begin(ctx).await?;
    hub_of(&mut tx.tx, actor, Permission::HubConfigure).await?;
    let labels = input.parse()?;
    let code = labels
        .get("en")
        .and_then(|en| category_code(en))
        .ok_or_else(|| Error::invalid("label_en", "err-category-code"))?;
    if store::category_config(&mut tx.tx, &code).await?.is_some() {
        return Err(Error::invalid("label_en", "err-category-exists"));
    }
    store::insert_category(&mut tx.tx, &code, &json(&labels)?, ctx.clock.now_ts()).await?;
    let made = store::category_config(&mut tx.tx, &code)
        .await?
        .ok_or(Error::NotFound)?;
    tx.log(ctx, actor, "hub.category.add", "category", &[&code])
        .await?;
    tx.commit().await?;
    // The public reporting form is a cached page: it shows the change at once.
    // The public reporting form is cached with the content generation.
    crate::generation::moved(ctx, crate::generation::Area::Content).await;
    Ok(made)
}

/// Renames a category: its label in every public language.
pub async fn rename_category(
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    input: &CategoryInput,
) -> Result<CategoryConfig> {
    let labels = input.parse();
    change(
        ctx,
        actor,
        code,
        input.version,
        "hub.category.rename",
        |c| Ok((json(&labels?)?, c.active)),
    )
    .await
}

/// Retires a category: the public form no longer offers it.
pub async fn retire_category(
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    version: Option<i64>,
) -> Result<CategoryConfig> {
    change(ctx, actor, code, version, "hub.category.retire", |c| {
        Ok((json(&c.labels)?, false))
    })
    .await
}

/// One change of a category: the check, the new labels and state from `what`, the
/// version, the audit event.
async fn change(
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    version: Option<i64>,
    action: &str,
    what: impl FnOnce(&CategoryConfig) -> Result<(String, bool)>,
) -> Result<CategoryConfig> {
    let mut tx = AuditTx::begin(ctx).await?;
    hub_of(&mut tx.tx, actor, Permission::HubConfigure).await?;
    let current = store::category_config(&mut tx.tx, code)
        .await?
        .ok_or(Error::NotFound)?;
    let (labels, active) = what(&current)?;
    let version = version.unwrap_or(current.version);
    let now = ctx.clock.now_ts();
    if !store::update_category(&mut tx.tx, code, &labels, active, version, now).await? {
        return Err(Error::Conflict("err-stale"));
    }
    let changed = store::category_config(&mut tx.tx, code)
        .await?
        .ok_or(Error::NotFound)?;
    tx.log(ctx, actor, action, "category", &[code]).await?;
    tx.commit().await?;
    // The public reporting form is cached with the content generation.
    crate::generation::moved(ctx, crate::generation::Area::Content).await;
    Ok(changed)
}
