//! The police hand-over: what a reporter agreed may go to one police liaison unit.
//!
//! 1. The hub officer records the reporter's consent first: to which unit (an organisation
//!    of kind `police_liaison`), how and when it was given, and whether the reporter
//!    explicitly chose to include their residence status, nationality or address.
//! 2. The officer prepares the hand-over from the allowlist
//!    ([`super::work_model::HANDOVER_FIELDS`]): the chosen fields' values are copied from
//!    the report (or typed by the officer, for the reporter's name and the three fields
//!    above) and sealed with the report's key. A field outside the allowlist, a hand-over
//!    without a consent, or status, nationality or address without the reporter's choice
//!    is refused.
//! 3. The police liaison (role `police_liaison` in an organisation of kind
//!    `police_liaison`) lists and reads **only** the hand-overs to its own unit, exactly
//!    the fields handed over; every list and read is audited.

use std::collections::BTreeMap;

use super::store;
use super::work_model::{
    allowlisted, Casework, ConsentInput, HandedField, Handover, HandoverField, HandoverInput,
    HandoverItem, Needs,
};
use super::work_store::{self as ws, open, seal, OnReport};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::ids::{HandoverConsentId, HandoverId, OrgId, ReportId};
use crate::orgs::OrgKind;
use crate::{Actor, Ctx, Error, Permission, Result};

/// Records the reporter's consent to a hand-over to a police liaison unit.
pub async fn record_consent(
    ctx: &Ctx,
    actor: &Actor,
    id: ReportId,
    input: &ConsentInput,
) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let r = OnReport::open(ctx, &mut tx, actor, id, true).await?;
    let now = ctx.clock.now_ts();
    let c = input.parse(now)?;
    if crate::firewall::kind_of(&mut tx.tx, c.police_org).await? != Some(OrgKind::PoliceLiaison) {
        return Err(Error::invalid("police_org", "err-handover-police-org"));
    }
    let consent = HandoverConsentId::new();
    sqlx::query(
        "INSERT INTO hub_handover_consents (id, report_id, hub_org, police_org, given_how, \
         given_at, with_status, with_nationality, with_address, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(consent)
    .bind(id)
    .bind(r.hub)
    .bind(c.police_org)
    .bind(c.given_how.as_str())
    .bind(c.given_at)
    .bind(crate::db::Flag(c.with_status))
    .bind(crate::db::Flag(c.with_nationality))
    .bind(crate::db::Flag(c.with_address))
    .bind(actor.user_id)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    r.answer(ctx, tx, actor, "hub.handover.consent", "report", &[id])
        .await
}

/// Hands the chosen fields over to the unit named in the report's latest consent.
pub async fn hand_over(
    ctx: &Ctx,
    actor: &Actor,
    id: ReportId,
    input: &HandoverInput,
) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let r = OnReport::open(ctx, &mut tx, actor, id, true).await?;
    let consent = ws::consents(&mut tx.tx, id)
        .await?
        .into_iter()
        .next()
        .ok_or(Error::Conflict("err-handover-no-consent"))?;
    let (chosen, typed) = input.parse()?;
    let mut refused = crate::error::Errors::default();
    for f in &chosen {
        let allowed = match allowlisted(*f).map(|(_, n)| n) {
            Some(Needs::Nothing) => true,
            Some(Needs::Status) => consent.with_status,
            Some(Needs::Nationality) => consent.with_nationality,
            Some(Needs::Address) => consent.with_address,
            None => false,
        };
        if !allowed {
            refused.push(
                match f {
                    HandoverField::ResidenceStatus => "residence_status",
                    HandoverField::Nationality => "nationality",
                    HandoverField::Address => "address",
                    _ => "fields",
                },
                "err-handover-not-consented",
            );
        }
    }
    refused.finish()?;
    let values = values(&mut tx, &r.row, &r.dek, &chosen, typed).await?;
    let handover = HandoverId::new();
    let sealed = seal(&r.dek, &values, &aad(id, handover))?;
    let codes: Vec<&str> = chosen.iter().map(|f| f.as_str()).collect();
    sqlx::query(
        "INSERT INTO hub_handovers (id, report_id, hub_org, police_org, consent_id, category, \
         month, fields, sealed, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(handover)
    .bind(id)
    .bind(r.hub)
    .bind(consent.police_org)
    .bind(consent.id)
    .bind(&r.row.category)
    .bind(super::work_model::month_of(ctx.clock.now_ts()))
    .bind(codes.join(","))
    .bind(sealed)
    .bind(actor.user_id)
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    r.answer(
        ctx,
        tx,
        actor,
        "hub.handover.create",
        "handover",
        &[handover],
    )
    .await
}

fn aad(report: ReportId, id: HandoverId) -> String {
    format!("report:{report}:handover:{id}")
}

/// The values of the chosen fields: from the report and the hub's records of it, or as
/// the officer typed them.
async fn values(
    tx: &mut AuditTx<'_>,
    row: &store::ReportRow,
    dek: &Key,
    chosen: &[HandoverField],
    typed: Vec<(HandoverField, String)>,
) -> Result<Vec<HandedField>> {
    let data = store::open_report(dek, row)?;
    let mut out = Vec::new();
    for f in chosen {
        let value = match f {
            HandoverField::Category => Some(row.category.clone()),
            HandoverField::Occurred => Some(row.occurred.clone()),
            HandoverField::What => Some(data.what.clone()),
            HandoverField::Place => data.place.clone(),
            HandoverField::WhenDetail => data.when_detail.clone(),
            HandoverField::ReporterRole => Some(row.reporter_role.as_str().to_owned()),
            HandoverField::Contact => data.contact.clone(),
            HandoverField::Perpetrators => {
                let names = super::perpetrators::names(&mut tx.tx, row.id, dek).await?;
                (!names.is_empty()).then(|| names.join("; "))
            }
            HandoverField::Accompaniments => accompaniments(tx, row.id, dek).await?,
            _ => typed.iter().find(|(x, _)| x == f).map(|(_, v)| v.clone()),
        };
        if let Some(value) = value {
            out.push(HandedField { field: *f, value });
        }
    }
    Ok(out)
}

/// The accompaniments to the police, one line each: day, station, outcome, reference.
async fn accompaniments(
    tx: &mut AuditTx<'_>,
    report: ReportId,
    dek: &Key,
) -> Result<Option<String>> {
    let lines: Vec<String> = ws::actions(&mut tx.tx, dek, report)
        .await?
        .into_iter()
        .filter(|a| a.kind == super::ActionKind::Accompaniment)
        .map(|a| {
            let day = time::OffsetDateTime::from_unix_timestamp(a.day)
                .map(|t| t.date().to_string())
                .unwrap_or_default();
            [
                Some(day),
                a.data.station,
                a.data.outcome,
                a.data.police_reference,
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        })
        .collect();
    Ok((!lines.is_empty()).then(|| lines.join("\n")))
}

/// The police liaison unit the actor works for: the permission, and an organisation of
/// kind `police_liaison` (checked by role and by kind).
async fn unit_of(conn: &mut sqlx::AnyConnection, actor: &Actor) -> Result<OrgId> {
    actor.require(Permission::HandoverRead)?;
    let org = actor.require_org()?;
    match crate::firewall::kind_of(conn, org).await? {
        Some(OrgKind::PoliceLiaison) => Ok(org),
        _ => Err(Error::Forbidden),
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: HandoverId,
    hub_name: String,
    created_at: i64,
    fields: String,
}

/// The hand-overs to the actor's own police liaison unit, newest first; audited.
pub async fn police_list(ctx: &Ctx, actor: &Actor) -> Result<Vec<HandoverItem>> {
    let rows: Vec<ItemRow> = {
        let mut conn = ctx.db.pool.acquire().await?;
        let unit = unit_of(&mut conn, actor).await?;
        sqlx::query_as(
            "SELECT h.id, o.name AS hub_name, h.created_at, h.fields FROM hub_handovers h \
             JOIN organisations o ON o.id = h.hub_org \
             WHERE h.police_org = $1 AND h.sealed IS NOT NULL \
             ORDER BY h.created_at DESC, h.id DESC LIMIT 500",
        )
        .bind(unit)
        .fetch_all(&mut *conn)
        .await?
    };
    let ids: Vec<HandoverId> = rows.iter().map(|r| r.id).collect();
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "hub.handover.list", "handover", &ids)
        .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| HandoverItem {
            id: r.id,
            hub_name: r.hub_name,
            created_at: r.created_at,
            fields: ws::fields_of(&r.fields),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct HandoverRow {
    report_id: ReportId,
    hub_name: String,
    created_at: i64,
    sealed: Option<Vec<u8>>,
    given_how: super::ConsentHow,
    given_at: i64,
}

/// One hand-over to the actor's own unit: exactly the fields handed over; audited. A
/// hand-over to another unit is not found; one of a purged report is erased.
pub async fn police_get(ctx: &Ctx, actor: &Actor, id: HandoverId) -> Result<Handover> {
    let mut tx = AuditTx::begin(ctx).await?;
    let unit = unit_of(&mut tx.tx, actor).await?;
    let row: HandoverRow = sqlx::query_as(
        "SELECT h.report_id, o.name AS hub_name, h.created_at, h.sealed, c.given_how, \
         c.given_at FROM hub_handovers h JOIN organisations o ON o.id = h.hub_org \
         JOIN hub_handover_consents c ON c.id = h.consent_id \
         WHERE h.id = $1 AND h.police_org = $2",
    )
    .bind(id)
    .bind(unit)
    .fetch_optional(&mut *tx.tx)
    .await?
    .ok_or(Error::NotFound)?;
    let report = sqlx::query_as::<_, store::ReportRow>(&format!(
        "SELECT {} FROM hub_reports r WHERE r.id = $1",
        store::REPORT_COLS
    ))
    .bind(row.report_id)
    .fetch_one(&mut *tx.tx)
    .await?;
    let dek = store::key_of(ctx, &report)?;
    let fields: Vec<HandedField> = open(&dek, row.sealed.as_deref(), &aad(row.report_id, id))?;
    tx.log(ctx, actor, "hub.handover.read", "handover", &[id])
        .await?;
    tx.commit().await?;
    Ok(Handover {
        id,
        hub_name: row.hub_name,
        created_at: row.created_at,
        consent_how: row.given_how,
        consent_at: row.given_at,
        fields,
    })
}

/// The values handed over, by field code (for tests and the demo's checks).
pub fn by_field(h: &Handover) -> BTreeMap<&'static str, &str> {
    h.fields
        .iter()
        .map(|f| (f.field.as_str(), f.value.as_str()))
        .collect()
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: OrgId,
    name: String,
}

/// The police liaison units a hub officer may name in a consent.
pub async fn police_units(ctx: &Ctx, actor: &Actor) -> Result<Vec<(OrgId, String)>> {
    let mut conn = ctx.db.pool.acquire().await?;
    super::access::hub_of(&mut conn, actor, Permission::HubReportWrite).await?;
    let rows: Vec<UnitRow> = sqlx::query_as(
        "SELECT id, name FROM organisations WHERE kind = 'police_liaison' AND active = 1 \
         ORDER BY name, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}
