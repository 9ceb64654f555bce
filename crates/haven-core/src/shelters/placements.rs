//! Stays: admitting a case's person to a place, moving them, ending a stay, and reading a
//! case's current stay.
//!
//! Every new stay goes through [`place_person`], which keeps the two rules (a place is never
//! given twice, a person never holds two places) and sets the stay's end.

use super::extensions::with_extensions;
use super::model::{AdmitInput, DischargeInput, MoveInput, Placement};
use super::store::{
    load_placement, mark_discharged, own_current_placement, own_place, parse_opt_date,
    placement_conflict, placements_where, shelter_case, stay_at_place, stay_of_person, today,
    PlacementRow, ShelterCase,
};
use super::DischargeReason;
use crate::audit::AuditTx;
use crate::ids::{CaseId, PlaceId, PlacementId, SiteId};
use crate::{dates, Actor, Ctx, Error, Permission, Result};

/// Admits a case's person to a free place of a site the actor's organisation operates.
pub async fn admit(ctx: &Ctx, actor: &Actor, input: &AdmitInput) -> Result<Placement> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let (case_id, place_id) = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), case_id).await?;
    let site = own_place(&mut tx.tx, org, place_id).await?;
    let id = place_person(
        ctx,
        &mut tx,
        actor,
        &case,
        site,
        place_id,
        StayEnd::FromLimit,
    )
    .await?;
    tx.log(ctx, actor, "placement.admit", "placement", &[id])
        .await?;
    let p = load_placement(ctx, &mut tx.tx, id).await?;
    tx.commit().await?;
    Ok(p)
}

/// Moves a person to another place: the old stay ends as "moved" and a new one starts
/// today with the same limit, in one transaction.
pub async fn move_placement(
    ctx: &Ctx,
    actor: &Actor,
    id: PlacementId,
    input: &MoveInput,
) -> Result<Placement> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let place_id = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let stay = own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), stay.case_id).await?;
    let site = own_place(&mut tx.tx, org, place_id).await?;
    mark_discharged(&mut tx.tx, id, today(ctx), DischargeReason::Moved).await?;
    let until = StayEnd::Keep(stay.stay_until);
    let new_id = place_person(ctx, &mut tx, actor, &case, site, place_id, until).await?;
    // A request waiting for a decision follows the person to the new place.
    sqlx::query(
        "UPDATE stay_extension_requests SET placement_id = $1 WHERE placement_id = $2 \
         AND status = 'pending'",
    )
    .bind(new_id)
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "placement.move", "placement", &[id, new_id])
        .await?;
    let p = load_placement(ctx, &mut tx.tx, new_id).await?;
    tx.commit().await?;
    Ok(p)
}

/// Ends the stay in one of the organisation's places today, with a reason, **without
/// seeing whose stay it is**: for a place shown as taken by somebody the organisation may
/// no longer see (its access ended while the stay went on), so that the place can be given
/// again. Reads and returns nothing about the person; the event names the placement.
/// Returns the site, for going back to its page.
pub async fn free_place(
    ctx: &Ctx,
    actor: &Actor,
    place: PlaceId,
    input: &DischargeInput,
) -> Result<SiteId> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let reason = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let site: SiteId = sqlx::query_scalar(
        "SELECT s.id FROM shelter_places sp JOIN shelter_sites s ON s.id = sp.site_id \
         WHERE sp.id = $1 AND s.operator_org = $2",
    )
    .bind(place)
    .bind(org)
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or(Error::NotFound)?;
    let stay = stay_at_place(&mut tx.tx, place)
        .await?
        .ok_or(Error::Conflict("err-already-discharged"))?;
    mark_discharged(&mut tx.tx, stay, today(ctx), reason).await?;
    tx.log(ctx, actor, "placement.discharge", "placement", &[stay])
        .await?;
    tx.commit().await?;
    Ok(site)
}

/// Ends a stay today, with a reason. The place is free again at once.
pub async fn discharge(
    ctx: &Ctx,
    actor: &Actor,
    id: PlacementId,
    input: &DischargeInput,
) -> Result<Placement> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let reason = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    mark_discharged(&mut tx.tx, id, today(ctx), reason).await?;
    tx.log(ctx, actor, "placement.discharge", "placement", &[id])
        .await?;
    let p = load_placement(ctx, &mut tx.tx, id).await?;
    tx.commit().await?;
    Ok(p)
}

/// The current placement of a case with its countdown and extensions, for the case page;
/// none when the case holds no place. The caller has checked that the actor may see the
/// case and audits the read.
pub async fn placement_for_case(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
) -> Result<Option<Placement>> {
    let row: Option<PlacementRow> = sqlx::query_as(&placements_where(
        "pl.case_id = $1 AND pl.discharged_on IS NULL",
    ))
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            let p = r.into_placement(ctx, today(ctx))?;
            Ok(Some(with_extensions(ctx, conn, p).await?))
        }
    }
}

/// The current placement of a case of the actor's organisation (none when it holds no
/// place). Audited.
pub async fn case_placement(
    ctx: &Ctx,
    actor: &Actor,
    case_id: CaseId,
) -> Result<Option<Placement>> {
    actor.require(Permission::ShelterRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    // Only a case of a person the organisation sees as its own.
    let row: Option<CaseId> = sqlx::query_scalar(&format!(
        "SELECT c.id FROM cases c WHERE c.org_id = $1 AND {} AND c.id = $3",
        crate::people::visible_sql!("c.person_id")
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(case_id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.ok_or(Error::NotFound)?;
    let p = placement_for_case(ctx, &mut tx.tx, case_id).await?;
    let ids: Vec<PlacementId> = p.iter().map(|p| p.id).collect();
    tx.log(ctx, actor, "placement.read", "placement", &ids)
        .await?;
    tx.commit().await?;
    Ok(p)
}

/// How a new stay's last day is set.
pub(super) enum StayEnd {
    /// From the case's first admission and its programme's limit.
    FromLimit,
    /// As the stay it follows had it: a move keeps the stay it had.
    Keep(Option<String>),
}

/// Inserts a placement after checking both rules (a place is never given twice, a person
/// never holds two places); the unique indexes are the last line behind these checks.
pub(super) async fn place_person(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    case: &ShelterCase,
    site: SiteId,
    place: PlaceId,
    end: StayEnd,
) -> Result<PlacementId> {
    if stay_at_place(&mut tx.tx, place).await?.is_some() {
        return Err(Error::Conflict("err-place-taken"));
    }
    if stay_of_person(&mut tx.tx, case.person_id).await?.is_some() {
        return Err(Error::Conflict("err-person-placed"));
    }
    let today = today(ctx);
    let stay_until = match end {
        StayEnd::Keep(u) => u,
        StayEnd::FromLimit => limit_end(&mut tx.tx, case, today).await?,
    };
    let id = PlacementId::new();
    sqlx::query(
        "INSERT INTO placements (id, case_id, person_id, site_id, place_id, admitted_on, \
         stay_until, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(case.id)
    .bind(case.person_id)
    .bind(site)
    .bind(place)
    .bind(dates::format(today))
    .bind(stay_until)
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await
    .map_err(placement_conflict)?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct CaseStays {
    first_admitted: Option<String>,
    last_until: Option<String>,
}

/// The last day of a new stay of the case under its programme's limit (none without a
/// limit); a conflict when the limit has already passed.
async fn limit_end(
    conn: &mut sqlx::AnyConnection,
    case: &ShelterCase,
    today: time::Date,
) -> Result<Option<String>> {
    let Some(months) = case.max_months else {
        return Ok(None);
    };
    // The limit counts from the case's first admission; an extension granted during an
    // earlier stay of the same case still counts.
    let stays: CaseStays = sqlx::query_as(
        "SELECT MIN(admitted_on) AS first_admitted, MAX(stay_until) AS last_until \
         FROM placements WHERE case_id = $1",
    )
    .bind(case.id)
    .fetch_one(&mut *conn)
    .await?;
    let first = parse_opt_date(stays.first_admitted.as_deref())?.unwrap_or(today);
    let mut until = dates::stay_end(first, months);
    if let Some(l) = parse_opt_date(stays.last_until.as_deref())? {
        until = until.max(l);
    }
    if until < today {
        return Err(Error::Conflict("err-stay-limit-reached"));
    }
    Ok(Some(dates::format(until)))
}
