//! The waiting list: open shelter cases waiting for a place, most urgent and longest waiting
//! first, and admitting one of them to the first free place of a site.

use super::model::{AdmitWaitingInput, Placement, WaitingEntry, WaitingInput};
use super::placements::{place_person, StayEnd};
use super::store::{load_placement, own_active_site, shelter_case, stay_of_person, AnyId};
use crate::audit::AuditTx;
use crate::ids::{CaseId, OrgId, PlaceId, SiteId, WaitingId};
use crate::people::PersonPart;
use crate::{Actor, Ctx, Error, Permission, Result};

/// The organisation's waiting list, most urgent and longest waiting first.
pub async fn waiting_list(ctx: &Ctx, actor: &Actor) -> Result<Vec<WaitingEntry>> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let list = waiting_entries(ctx, &mut tx.tx, org).await?;
    let ids: Vec<WaitingId> = list.iter().map(|w| w.id).collect();
    tx.log(ctx, actor, "waiting_list.read", "waiting_list", &ids)
        .await?;
    tx.commit().await?;
    Ok(list)
}

/// Puts an open shelter case on the waiting list.
pub async fn add_to_waiting_list(
    ctx: &Ctx,
    actor: &Actor,
    input: &WaitingInput,
) -> Result<WaitingEntry> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let d = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), d.case_id).await?;
    if let Some(s) = d.site_id {
        if !own_active_site(&mut tx.tx, org, s).await? {
            return Err(Error::invalid("site_id", "err-choice"));
        }
    }
    let waiting: Option<WaitingId> =
        sqlx::query_scalar("SELECT id FROM waiting_list WHERE case_id = $1 AND status = 'waiting'")
            .bind(d.case_id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    if waiting.is_some() {
        return Err(Error::Conflict("err-already-waiting"));
    }
    if stay_of_person(&mut tx.tx, case.person_id).await?.is_some() {
        return Err(Error::Conflict("err-person-placed"));
    }
    let id = WaitingId::new();
    sqlx::query(
        "INSERT INTO waiting_list (id, case_id, site_id, priority, referral_source, added_at, \
         status) VALUES ($1, $2, $3, $4, $5, $6, 'waiting')",
    )
    .bind(id)
    .bind(d.case_id)
    .bind(d.site_id)
    .bind(d.priority)
    .bind(&d.referral_source)
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "waiting_list.add", "waiting_list", &[id])
        .await?;
    let entry = waiting_entries(ctx, &mut tx.tx, org)
        .await?
        .into_iter()
        .find(|w| w.id == id)
        .ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(entry)
}

#[derive(sqlx::FromRow)]
struct OwnWaitingRow {
    case_id: CaseId,
    status: String,
}

/// The case of an entry of the organisation's waiting list that is still waiting.
async fn own_waiting(conn: &mut sqlx::AnyConnection, org: OrgId, id: WaitingId) -> Result<CaseId> {
    let row: Option<OwnWaitingRow> = sqlx::query_as(
        "SELECT w.case_id, w.status FROM waiting_list w JOIN cases c ON c.id = w.case_id \
         WHERE w.id = $1 AND c.org_id = $2",
    )
    .bind(id)
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    if row.status != "waiting" {
        return Err(Error::Conflict("err-not-waiting"));
    }
    Ok(row.case_id)
}

/// Takes an entry off the waiting list without admitting it.
pub async fn remove_from_waiting_list(ctx: &Ctx, actor: &Actor, id: WaitingId) -> Result<()> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    own_waiting(&mut tx.tx, org, id).await?;
    sqlx::query("UPDATE waiting_list SET status = 'removed', closed_at = $1 WHERE id = $2")
        .bind(ctx.clock.now_ts())
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    tx.log(ctx, actor, "waiting_list.remove", "waiting_list", &[id])
        .await?;
    tx.commit().await
}

/// Admits a waiting entry in one action: takes the first free place of the chosen site,
/// creates the placement and marks the entry admitted, all in one transaction, so a
/// failure leaves the entry waiting and no placement behind.
pub async fn admit_from_waiting_list(
    ctx: &Ctx,
    actor: &Actor,
    id: WaitingId,
    input: &AdmitWaitingInput,
) -> Result<Placement> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let site_id = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let case_id = own_waiting(&mut tx.tx, org, id).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), case_id).await?;
    if !own_active_site(&mut tx.tx, org, site_id).await? {
        return Err(Error::invalid("site_id", "err-choice"));
    }
    let place: PlaceId = sqlx::query_scalar(
        "SELECT sp.id FROM shelter_places sp WHERE sp.site_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM placements x WHERE x.place_id = sp.id AND x.discharged_on IS NULL) \
         ORDER BY LENGTH(sp.label), sp.label LIMIT 1",
    )
    .bind(site_id)
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or(Error::Conflict("err-site-full"))?;
    let pid = place_person(
        ctx,
        &mut tx,
        actor,
        &case,
        site_id,
        place,
        StayEnd::FromLimit,
    )
    .await?;
    let done = sqlx::query(
        "UPDATE waiting_list SET status = 'admitted', closed_at = $1 WHERE id = $2 \
         AND status = 'waiting'",
    )
    .bind(ctx.clock.now_ts())
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Error::Conflict("err-not-waiting"));
    }
    let ids: [AnyId; 2] = [&pid, &id];
    tx.log(ctx, actor, "placement.admit", "placement", &ids)
        .await?;
    let p = load_placement(ctx, &mut tx.tx, pid).await?;
    tx.commit().await?;
    Ok(p)
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: WaitingId,
    case_id: CaseId,
    site_id: Option<SiteId>,
    site_name: Option<String>,
    priority: i64,
    referral_source: String,
    added_at: i64,
    status: String,
    #[sqlx(flatten)]
    person: PersonPart,
}

/// The entries still waiting, of persons the organisation sees as its own.
pub(super) async fn waiting_entries(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
) -> Result<Vec<WaitingEntry>> {
    let rows: Vec<WaitingRow> = sqlx::query_as(&format!(
        "SELECT w.id, w.case_id, c.person_id, w.site_id, s.name AS site_name, w.priority, \
         w.referral_source, w.added_at, w.status, p.data_key, p.sealed FROM waiting_list w \
         JOIN cases c ON c.id = w.case_id JOIN persons p ON p.id = c.person_id \
         LEFT JOIN shelter_sites s ON s.id = w.site_id \
         WHERE c.org_id = $1 AND {} AND w.status = 'waiting' \
         ORDER BY w.priority, w.added_at, w.id",
        crate::people::visible_sql!("c.person_id")
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(WaitingEntry {
                person_label: r.person.label(ctx)?,
                id: r.id,
                case_id: r.case_id,
                person_id: r.person.id,
                site_id: r.site_id,
                site_name: r.site_name,
                priority: r.priority,
                referral_source: r.referral_source,
                added_at: r.added_at,
                status: r.status,
            })
        })
        .collect()
}
