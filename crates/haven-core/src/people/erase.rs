//! Erasure: destroying a person's data key, by hand or by the retention sweep.

use sqlx::AnyConnection;

use crate::audit::AuditTx;
use crate::db::placeholders;
use crate::ids::{OrgId, PersonId};
use crate::{Actor, Ctx, Error, Permission, Result};

/// Whether the actor may erase this person: the permission, and a person its organisation
/// registered (else not found). Reads no personal data, so writes no audit event; lets a
/// page ask for confirmation only of someone it may erase.
pub async fn erasable(ctx: &Ctx, actor: &Actor, id: PersonId) -> Result<()> {
    actor.require(Permission::PersonErase)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    registered_by(&mut conn, id, org).await
}

/// The person exists and `org` registered them; else not found.
async fn registered_by(conn: &mut AnyConnection, id: PersonId, org: OrgId) -> Result<()> {
    let found: Option<PersonId> =
        sqlx::query_scalar("SELECT id FROM persons WHERE id = $1 AND owner_org = $2")
            .bind(id)
            .bind(org)
            .fetch_optional(&mut *conn)
            .await?;
    found.map(|_| ()).ok_or(Error::NotFound)
}

/// Destroys a person's data key: everything sealed with it becomes unreadable for good,
/// and their blind indexes go too. The row stays so that references do not dangle.
pub async fn erase(ctx: &Ctx, actor: &Actor, id: PersonId) -> Result<()> {
    actor.require(Permission::PersonErase)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    registered_by(&mut tx.tx, id, org).await?;
    let ids = [id];
    destroy(&mut tx, ctx, actor, &ids).await?;
    tx.log(ctx, actor, "person.erase", "person", &ids).await?;
    ctx.db
        .note_erased(crate::backup::Kind::Person, &ids, ctx.clock.now_ts())?;
    tx.commit().await?;
    // Again after the commit: a read that fetched the row just before may have cached it.
    ctx.keys.forget_data_key(&id.to_string());
    ctx.db.purge_erased().await;
    Ok(())
}

/// Destroys these persons' data keys, sealed records and blind indexes inside `tx`, and
/// forgets their unwrapped keys; the caller checked who may, and logs the event. Shared by
/// an erasure by hand and the retention sweep.
pub(crate) async fn destroy(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    ids: &[PersonId],
) -> Result<()> {
    let sql = format!(
        "UPDATE persons SET data_key = NULL, sealed = NULL, phone_bidx = NULL, updated_at = $1, \
         updated_by = $2, version = version + 1 WHERE id IN ({})",
        placeholders(3, ids.len())
    );
    let mut q = sqlx::query(&sql)
        .bind(ctx.clock.now_ts())
        .bind(actor.audit_id());
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(&mut *tx.tx).await?;
    // The destroyed keys must not outlive their rows in memory either.
    for id in ids {
        ctx.keys.forget_data_key(&id.to_string());
    }
    let sql = format!(
        "DELETE FROM person_name_tokens WHERE person_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.execute(&mut *tx.tx).await?;
    Ok(())
}
