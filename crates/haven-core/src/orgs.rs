//! Organisations in the city's network: municipal departments and their partners.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::audit::AuditTx;
use crate::db::Flag;
use crate::error::Errors;
use crate::ids::OrgId;
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    MunicipalDepartment,
    Ngo,
    ShelterOperator,
    Health,
    LegalAid,
    PoliceLiaison,
    Other,
    /// The municipal safe-reporting hub ("free in, free out").
    ReportingHub,
    /// Policy and research: aggregates only.
    PolicyUnit,
}

impl OrgKind {
    pub const ALL: [OrgKind; 9] = [
        OrgKind::MunicipalDepartment,
        OrgKind::Ngo,
        OrgKind::ShelterOperator,
        OrgKind::Health,
        OrgKind::LegalAid,
        OrgKind::PoliceLiaison,
        OrgKind::Other,
        OrgKind::ReportingHub,
        OrgKind::PolicyUnit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::MunicipalDepartment => "municipal_department",
            OrgKind::Ngo => "ngo",
            OrgKind::ShelterOperator => "shelter_operator",
            OrgKind::Health => "health",
            OrgKind::LegalAid => "legal_aid",
            OrgKind::PoliceLiaison => "police_liaison",
            OrgKind::Other => "other",
            OrgKind::ReportingHub => "reporting_hub",
            OrgKind::PolicyUnit => "policy_unit",
        }
    }
}

impl FromStr for OrgKind {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    #[schema(value_type = String, format = Uuid)]
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    pub active: bool,
    pub created_at: i64,
    /// Months the personal data of the persons it registered is kept after anything last
    /// happened with them (see `retention`).
    pub retention_months: i64,
}

/// A validated organisation name: 2–200 characters after trimming.
pub fn parse_name(s: &str) -> std::result::Result<String, FieldError> {
    let s = s.trim();
    let n = s.chars().count();
    if n == 0 {
        Err(FieldError::new("name", "err-required"))
    } else if !(2..=200).contains(&n) {
        Err(FieldError::new("name", "err-length-2-200"))
    } else {
        Ok(s.to_owned())
    }
}

pub fn parse_kind(s: &str) -> std::result::Result<OrgKind, FieldError> {
    s.parse().map_err(|_| FieldError::new("kind", "err-choice"))
}

/// Input for creating or changing an organisation, as text from a form or JSON.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OrgInput {
    pub name: String,
    pub kind: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// Whole months, 1–120, as text like the form sends it; empty or absent keeps the
    /// current period (24 for a new organisation).
    #[serde(default)]
    pub retention_months: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: OrgId,
    name: String,
    kind: String,
    active: Flag,
    created_at: i64,
    retention_months: i64,
}

const COLS: &str = "id, name, kind, active, created_at, retention_months";

fn from_row(r: OrgRow) -> Result<Organisation> {
    Ok(Organisation {
        id: r.id,
        name: r.name,
        kind: r.kind.parse().unwrap_or(OrgKind::Other),
        active: r.active.0,
        created_at: r.created_at,
        retention_months: r.retention_months,
    })
}

pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<Organisation>> {
    actor.require(Permission::OrgManage)?;
    list_all(ctx).await
}

/// All organisations, for choosing one in the staff-account form.
pub async fn choices(ctx: &Ctx, actor: &Actor) -> Result<Vec<Organisation>> {
    actor.require(Permission::UserManage)?;
    list_all(ctx).await
}

/// All organisations, for choosing one in a form; names and kinds are not personal data.
pub(crate) async fn list_all(ctx: &Ctx) -> Result<Vec<Organisation>> {
    let rows: Vec<OrgRow> =
        sqlx::query_as(&format!("SELECT {COLS} FROM organisations ORDER BY name"))
            .fetch_all(&ctx.db.pool)
            .await?;
    rows.into_iter().map(from_row).collect()
}

pub async fn get(ctx: &Ctx, actor: &Actor, id: OrgId) -> Result<Organisation> {
    actor.require(Permission::OrgManage)?;
    let row: Option<OrgRow> =
        sqlx::query_as(&format!("SELECT {COLS} FROM organisations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&ctx.db.pool)
            .await?;
    from_row(row.ok_or(Error::NotFound)?)
}

pub async fn find_by_name(ctx: &Ctx, name: &str) -> Result<Option<Organisation>> {
    let row: Option<OrgRow> =
        sqlx::query_as(&format!("SELECT {COLS} FROM organisations WHERE name = $1"))
            .bind(name)
            .fetch_optional(&ctx.db.pool)
            .await?;
    row.map(from_row).transpose()
}

struct Valid {
    name: String,
    kind: OrgKind,
    /// None: unchanged (the default for a new organisation).
    retention_months: Option<i64>,
}

fn validate(input: &OrgInput) -> Result<Valid> {
    let mut errs = Errors::default();
    let name = errs.take(parse_name(&input.name));
    let kind = errs.take(parse_kind(&input.kind));
    let months = errs.take(crate::retention::parse_months(&input.retention_months));
    errs.finish()?;
    match (name, kind, months) {
        (Some(name), Some(kind), Some(retention_months)) => Ok(Valid {
            name,
            kind,
            retention_months,
        }),
        _ => Err(Error::Internal(anyhow::anyhow!("validation inconsistency"))),
    }
}

async fn name_taken(tx: &mut AuditTx<'_>, name: &str, except: Option<OrgId>) -> Result<bool> {
    let found: Option<OrgId> = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(found.is_some_and(|id| Some(id) != except))
}

/// The checked input and the transaction that writes it, once no other organisation (than
/// `except`, the one being changed) has the name.
async fn open_write<'c>(
    ctx: &'c Ctx,
    input: &OrgInput,
    except: Option<OrgId>,
) -> Result<(Valid, AuditTx<'c>)> {
    let v = validate(input)?;
    let mut tx = AuditTx::begin(ctx).await?;
    if name_taken(&mut tx, &v.name, except).await? {
        return Err(Error::invalid("name", "err-name-taken"));
    }
    Ok((v, tx))
}

pub async fn create(ctx: &Ctx, actor: &Actor, input: &OrgInput) -> Result<Organisation> {
    actor.require(Permission::OrgManage)?;
    let (v, mut tx) = open_write(ctx, input, None).await?;
    let retention_months = v
        .retention_months
        .unwrap_or(crate::retention::DEFAULT_MONTHS);
    let id = OrgId::new();
    let now = ctx.clock.now_ts();
    sqlx::query(
        "INSERT INTO organisations (id, name, kind, active, created_at, updated_at, \
         retention_months) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(id)
    .bind(&v.name)
    .bind(v.kind.as_str())
    .bind(i64::from(input.active))
    .bind(now)
    .bind(retention_months)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(ctx, actor, "organisation.create", "organisation", &[id])
        .await?;
    tx.commit().await?;
    Ok(Organisation {
        id,
        name: v.name,
        kind: v.kind,
        active: input.active,
        created_at: now,
        retention_months,
    })
}

pub async fn update(ctx: &Ctx, actor: &Actor, id: OrgId, input: &OrgInput) -> Result<Organisation> {
    actor.require(Permission::OrgManage)?;
    let (v, mut tx) = open_write(ctx, input, Some(id)).await?;
    // The firewall by kind: a new kind only when nothing the organisation has breaks its
    // rules (see `firewall`).
    let blockers = crate::firewall::kind_change_blockers(&mut tx.tx, id, v.kind).await?;
    if !blockers.is_empty() {
        return Err(Error::Invalid(blockers));
    }
    let done = sqlx::query(
        "UPDATE organisations SET name = $1, kind = $2, active = $3, updated_at = $4, \
         retention_months = COALESCE($6, retention_months) WHERE id = $5",
    )
    .bind(&v.name)
    .bind(v.kind.as_str())
    .bind(i64::from(input.active))
    .bind(ctx.clock.now_ts())
    .bind(id)
    .bind(v.retention_months)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tx.log(ctx, actor, "organisation.update", "organisation", &[id])
        .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}
