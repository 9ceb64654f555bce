//! Who works for a hub: the permission, and an organisation of kind `reporting_hub`.

use sqlx::AnyConnection;

use super::store;
use crate::ids::OrgId;
use crate::orgs::OrgKind;
use crate::{Actor, Error, Permission, Result};

/// The hub the actor works for, after checking `p` (by role) and that the actor's
/// organisation is an active reporting hub (by kind): a hub officer of any other kind of
/// organisation reads and writes no report.
pub(crate) async fn hub_of(
    conn: &mut AnyConnection,
    actor: &Actor,
    p: Permission,
) -> Result<OrgId> {
    actor.require(p)?;
    let org = actor.require_org()?;
    match store::org_kind(conn, org).await? {
        Some(kind) if kind == OrgKind::ReportingHub.as_str() => Ok(org),
        _ => Err(Error::Forbidden),
    }
}
