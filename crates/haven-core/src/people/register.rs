//! Registering a person and changing their record.

use super::model::{Person, PersonInput};
use super::store::{self, name_tokens, phone_index, seal, write_tokens};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::ids::PersonId;
use crate::{Actor, Ctx, Error, Permission, Result};

/// Registers a person for the actor's organisation.
pub async fn register(ctx: &Ctx, actor: &Actor, input: &PersonInput) -> Result<Person> {
    actor.require(Permission::PersonRegister)?;
    let org = actor.require_org()?;
    let data = input.parse(ctx.clock.now().date())?;
    let id = PersonId::new();
    let dek = Key::generate();
    let sealed = seal(id, &dek, &data)?;
    let wrapped = ctx.keys.wrap_data_key(&dek, &id.to_string());
    let tokens = name_tokens(ctx, &data);
    let now = ctx.clock.now_ts();
    let actor_id = actor.audit_id();

    let mut tx = AuditTx::begin(ctx).await?;
    sqlx::query(
        "INSERT INTO persons (id, owner_org, data_key, sealed, phone_bidx, version, created_at, \
         created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7)",
    )
    .bind(id)
    .bind(org)
    .bind(wrapped)
    .bind(sealed)
    .bind(phone_index(ctx, &data.phone))
    .bind(now)
    .bind(&actor_id)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query(
        "INSERT INTO person_access (person_id, org_id, basis, granted_at) VALUES ($1, $2, 'owner', $3)",
    )
    .bind(id)
    .bind(org)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    write_tokens(&mut tx, id, &tokens).await?;
    tx.log(ctx, actor, "person.register", "person", &[id])
        .await?;
    tx.commit().await?;
    Ok(Person {
        id,
        owner_org: org,
        version: 1,
        created_at: now,
        updated_at: now,
        data,
    })
}

/// Changes a person. With `input.version`, a change based on an older version is refused
/// instead of silently overwriting someone else's.
pub async fn update(ctx: &Ctx, actor: &Actor, id: PersonId, input: &PersonInput) -> Result<Person> {
    actor.require(Permission::PersonUpdate)?;
    let org = actor.require_org()?;
    let data = input.parse(ctx.clock.now().date())?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row = store::visible_person(ctx, &mut tx.tx, org, id)
        .await?
        .ok_or(Error::NotFound)?;
    if let Some(v) = input.version {
        if v != row.version {
            return Err(Error::Conflict("err-stale"));
        }
    }
    let wrapped = row.data_key.ok_or(Error::Erased)?;
    let dek = ctx.keys.unwrap_data_key(&wrapped, &id.to_string())?;
    let sealed = seal(id, &dek, &data)?;
    sqlx::query(
        "UPDATE persons SET sealed = $1, phone_bidx = $2, version = version + 1, updated_at = $3, \
         updated_by = $4 WHERE id = $5 AND version = $6",
    )
    .bind(sealed)
    .bind(phone_index(ctx, &data.phone))
    .bind(now)
    .bind(actor.audit_id())
    .bind(id)
    .bind(row.version)
    .execute(&mut *tx.tx)
    .await?;
    write_tokens(&mut tx, id, &name_tokens(ctx, &data)).await?;
    tx.log(ctx, actor, "person.update", "person", &[id]).await?;
    tx.commit().await?;
    Ok(Person {
        id,
        owner_org: row.owner_org,
        version: row.version + 1,
        created_at: row.created_at,
        updated_at: now,
        data,
    })
}
