//! Configuring sites and their places: for those who set up casework, across organisations.

use super::model::{Site, SiteData, SiteInput};
use super::store::{SiteRow, SITE_COLS, SITE_FROM};
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::ids::{OrgId, PlaceId, SiteId};
use crate::{Actor, Ctx, Error, Permission, Result};

/// Every site, for configuring them.
pub async fn all_sites(ctx: &Ctx, actor: &Actor) -> Result<Vec<Site>> {
    actor.require(Permission::CaseworkConfigure)?;
    let rows: Vec<SiteRow> = sqlx::query_as(&format!(
        "SELECT {SITE_COLS} FROM {SITE_FROM} ORDER BY o.name, s.name"
    ))
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(Site::from).collect())
}

/// One site, for editing it.
pub async fn site_for_config(ctx: &Ctx, actor: &Actor, id: SiteId) -> Result<Site> {
    actor.require(Permission::CaseworkConfigure)?;
    let row: Option<SiteRow> = sqlx::query_as(&format!(
        "SELECT {SITE_COLS} FROM {SITE_FROM} WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    Ok(row.ok_or(Error::NotFound)?.into())
}

#[derive(sqlx::FromRow)]
struct OperatorRow {
    id: OrgId,
    name: String,
}

/// The organisations that may operate a site: (id, name), active ones.
pub async fn operator_choices(ctx: &Ctx, actor: &Actor) -> Result<Vec<(OrgId, String)>> {
    actor.require(Permission::CaseworkConfigure)?;
    let rows: Vec<OperatorRow> =
        sqlx::query_as("SELECT id, name FROM organisations WHERE active = 1 ORDER BY name")
            .fetch_all(&ctx.db.pool)
            .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

async fn check_operator(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<()> {
    let row: Option<OrgId> =
        sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND active = 1")
            .bind(org)
            .fetch_optional(&mut *conn)
            .await?;
    if row.is_none() {
        return Err(Error::invalid("operator_org", "err-choice"));
    }
    Ok(())
}

/// Creates a site with `capacity` places labelled 1 to n.
pub async fn create_site(ctx: &Ctx, actor: &Actor, input: &SiteInput) -> Result<Site> {
    actor.require(Permission::CaseworkConfigure)?;
    let d = input.parse()?;
    let id = SiteId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    check_operator(&mut tx.tx, d.operator_org).await?;
    let sql = "INSERT INTO shelter_sites (id, name, neighbourhood, capacity, operator_org, \
               target_group, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    write_site(&mut tx, sql, id, &d, Some(ctx.clock.now_ts())).await?;
    add_places_and_commit(ctx, actor, tx, id, 0, &d, "shelter_site.create").await
}

/// Changes a site. Capacity may grow (new places get the next numbers); it may not shrink,
/// because places keep their history.
pub async fn update_site(ctx: &Ctx, actor: &Actor, id: SiteId, input: &SiteInput) -> Result<Site> {
    actor.require(Permission::CaseworkConfigure)?;
    let d = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let old_capacity: i64 = sqlx::query_scalar("SELECT capacity FROM shelter_sites WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx.tx)
        .await?
        .ok_or(Error::NotFound)?;
    if d.capacity < old_capacity {
        return Err(Error::invalid("capacity", "err-capacity-shrink"));
    }
    check_operator(&mut tx.tx, d.operator_org).await?;
    let sql = "UPDATE shelter_sites SET name = $2, neighbourhood = $3, capacity = $4, \
               operator_org = $5, target_group = $6, active = $7 WHERE id = $1";
    write_site(&mut tx, sql, id, &d, None).await?;
    add_places_and_commit(ctx, actor, tx, id, old_capacity, &d, "shelter_site.update").await
}

/// Writes a site's fields: `sql` takes the site as `$1`, its fields as `$2` to `$7`, and
/// `created_at` as `$8` when it is given.
async fn write_site(
    tx: &mut AuditTx<'_>,
    sql: &str,
    id: SiteId,
    d: &SiteData,
    created_at: Option<i64>,
) -> Result<()> {
    let mut q = sqlx::query(sql)
        .bind(id)
        .bind(&d.name)
        .bind(&d.neighbourhood)
        .bind(d.capacity)
        .bind(d.operator_org)
        .bind(&d.target_group)
        .bind(Flag(d.active));
    if let Some(at) = created_at {
        q = q.bind(at);
    }
    q.execute(&mut *tx.tx).await?;
    Ok(())
}

/// Adds the places numbered after `had` up to the site's capacity, writes the event and
/// commits; returns the site as saved.
async fn add_places_and_commit(
    ctx: &Ctx,
    actor: &Actor,
    mut tx: AuditTx<'_>,
    site: SiteId,
    had: i64,
    d: &SiteData,
    action: &str,
) -> Result<Site> {
    for n in had + 1..=d.capacity {
        sqlx::query("INSERT INTO shelter_places (id, site_id, label) VALUES ($1, $2, $3)")
            .bind(PlaceId::new())
            .bind(site)
            .bind(n.to_string())
            .execute(&mut *tx.tx)
            .await?;
    }
    tx.log(ctx, actor, action, "shelter_site", &[site]).await?;
    tx.commit().await?;
    site_for_config(ctx, actor, site).await
}
