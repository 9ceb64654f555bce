//! Reading one person's whole record.

use super::model::Person;
use super::store;
use crate::audit::AuditTx;
use crate::ids::PersonId;
use crate::{Actor, Ctx, Error, Permission, Result};

/// Reads one person the actor's organisation may see. A person it may not see is
/// "not found", so that an id reveals nothing.
pub async fn get(ctx: &Ctx, actor: &Actor, id: PersonId) -> Result<Person> {
    actor.require(Permission::PersonRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let row = store::visible_person(ctx, &mut tx.tx, org, id)
        .await?
        .ok_or(Error::NotFound)?;
    tx.log(ctx, actor, "person.read", "person", &[id]).await?;
    tx.commit().await?;
    store::from_row(ctx, row)
}
