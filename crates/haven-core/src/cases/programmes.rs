//! Programmes: the service lines an administrator configures, each with its own rules
//! (maximum duration, caseload cap, shelter place, outcomes counted, stay alerts). Also the
//! country's configured lists (procedure and permit types) that case forms offer.

use serde::{Deserialize, Serialize};

use super::model::{Outcome, EMPLOYMENT_OUTCOME};
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::error::Errors;
use crate::ids::ProgrammeId;
use crate::input;
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};

pub const DEFAULT_CAP: i64 = 50;
pub const DEFAULT_ALERT_DAYS: &str = "90,30";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Programme {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProgrammeId,
    pub name: String,
    pub target_group: String,
    /// Maximum duration in months; none when the programme has no limit.
    pub max_months: Option<i64>,
    /// Open cases one case manager may hold in this programme.
    pub caseload_cap: i64,
    pub includes_shelter: bool,
    /// Outcome codes this programme counts (closure outcomes, and `employment`).
    pub outcomes: Vec<String>,
    /// Days before the end of a stay at which to alert, largest first.
    pub alert_days: Vec<i64>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Input for creating or changing a programme, as text from a form or JSON.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProgrammeInput {
    pub name: Option<String>,
    pub target_group: Option<String>,
    /// Whole months, 1–120; empty for no limit.
    pub max_months: Option<String>,
    /// 1–500; empty for the default of 50.
    pub caseload_cap: Option<String>,
    /// "true"/"on" when the programme includes a shelter place.
    pub includes_shelter: Option<String>,
    /// Outcome codes: regularised, returned_voluntarily, moved_on, dublin_transfer,
    /// lost_contact, deceased, other, employment.
    pub outcomes: Vec<String>,
    /// Comma-separated days before the end, e.g. "90,30"; empty for the default.
    pub alert_days: Option<String>,
    /// "false" to retire a programme (no new cases); default active.
    pub active: Option<String>,
}

/// The outcome codes a programme may count.
pub fn outcome_codes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    v.push(EMPLOYMENT_OUTCOME);
    v
}

struct Valid {
    name: String,
    target_group: String,
    max_months: Option<i64>,
    cap: i64,
    shelter: bool,
    outcomes: Vec<String>,
    alert_days: Vec<i64>,
    active: bool,
}

fn parse_alert_days(v: &Option<String>) -> std::result::Result<Vec<i64>, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        return Ok(vec![90, 30]);
    }
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(n) if (1..=730).contains(&n) => {
                if !out.contains(&n) {
                    out.push(n)
                }
            }
            _ => return Err(FieldError::new("alert_days", "err-alert-days")),
        }
    }
    if out.len() > 6 {
        return Err(FieldError::new("alert_days", "err-alert-days"));
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    Ok(out)
}

impl ProgrammeInput {
    fn parse(&self) -> Result<Valid> {
        let mut e = Errors::default();
        let name = e.take(input::required_text(&self.name, "name", 120));
        let target_group = e.take(input::required_text(
            &self.target_group,
            "target_group",
            300,
        ));
        let max_months = e.take(input::number(&self.max_months, "max_months", 1..=120));
        let cap = e.take(input::number(&self.caseload_cap, "caseload_cap", 1..=500));
        let codes = outcome_codes();
        let mut outcomes: Vec<String> = Vec::new();
        for o in self
            .outcomes
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
        {
            if o.is_empty() {
                continue;
            }
            match codes.iter().find(|c| **c == o) {
                Some(c) if !outcomes.iter().any(|x| x == c) => outcomes.push((*c).to_owned()),
                Some(_) => {}
                None => {
                    e.push("outcomes", "err-choice");
                    break;
                }
            }
        }
        let alert_days = e.take(parse_alert_days(&self.alert_days));
        let active = match self.active.as_deref().map(str::trim) {
            None | Some("") => true,
            Some(_) => input::flag(&self.active),
        };
        e.finish()?;
        match (name, target_group, max_months, cap, alert_days) {
            (Some(name), Some(target_group), Some(max_months), Some(cap), Some(alert_days)) => {
                Ok(Valid {
                    name,
                    target_group,
                    max_months,
                    cap: cap.unwrap_or(DEFAULT_CAP),
                    shelter: input::flag(&self.includes_shelter),
                    outcomes,
                    alert_days,
                    active,
                })
            }
            _ => Err(Error::Internal(anyhow::anyhow!("validation inconsistency"))),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: ProgrammeId,
    name: String,
    target_group: String,
    max_months: Option<i64>,
    caseload_cap: i64,
    includes_shelter: Flag,
    /// Comma-separated outcome codes.
    outcomes: String,
    /// Comma-separated days.
    alert_days: String,
    active: Flag,
    created_at: i64,
    updated_at: i64,
}
const COLS: &str = "id, name, target_group, max_months, caseload_cap, includes_shelter, \
    outcomes, alert_days, active, created_at, updated_at";

pub(crate) fn split_days(s: &str) -> Vec<i64> {
    let mut v: Vec<i64> = s.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v
}

fn from_row(r: Row) -> Result<Programme> {
    Ok(Programme {
        id: r.id,
        name: r.name,
        target_group: r.target_group,
        max_months: r.max_months,
        caseload_cap: r.caseload_cap,
        includes_shelter: r.includes_shelter.0,
        outcomes: r
            .outcomes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        alert_days: split_days(&r.alert_days),
        active: r.active.0,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

async fn all(ctx: &Ctx, only_active: bool) -> Result<Vec<Programme>> {
    let sql = if only_active {
        format!("SELECT {COLS} FROM programmes WHERE active = 1 ORDER BY name")
    } else {
        format!("SELECT {COLS} FROM programmes ORDER BY name")
    };
    let rows: Vec<Row> = sqlx::query_as(&sql).fetch_all(&ctx.db.pool).await?;
    rows.into_iter().map(from_row).collect()
}

/// Every programme, for the administrator.
pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<Programme>> {
    actor.require(Permission::CaseworkConfigure)?;
    all(ctx, false).await
}

pub async fn get(ctx: &Ctx, actor: &Actor, id: ProgrammeId) -> Result<Programme> {
    actor.require(Permission::CaseworkConfigure)?;
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLS} FROM programmes WHERE id = $1"))
        .bind(id)
        .fetch_optional(&ctx.db.pool)
        .await?;
    from_row(row.ok_or(Error::NotFound)?)
}

async fn name_taken(tx: &mut AuditTx<'_>, name: &str, except: Option<ProgrammeId>) -> Result<bool> {
    let found: Option<ProgrammeId> =
        sqlx::query_scalar("SELECT id FROM programmes WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx.tx)
            .await?;
    Ok(matches!(found, Some(id) if Some(id) != except))
}

fn days_text(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Creating and changing a programme write the same fields: `sql` takes them as `$1`–`$8`,
/// the time as `$9` and the id as `$10`. Returns the number of rows written.
async fn write(
    tx: &mut AuditTx<'_>,
    sql: &str,
    v: &Valid,
    now: i64,
    id: ProgrammeId,
) -> Result<u64> {
    let done = sqlx::query(sql)
        .bind(&v.name)
        .bind(&v.target_group)
        .bind(v.max_months)
        .bind(v.cap)
        .bind(Flag(v.shelter))
        .bind(v.outcomes.join(","))
        .bind(days_text(&v.alert_days))
        .bind(Flag(v.active))
        .bind(now)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    Ok(done.rows_affected())
}

pub async fn create(ctx: &Ctx, actor: &Actor, input: &ProgrammeInput) -> Result<Programme> {
    actor.require(Permission::CaseworkConfigure)?;
    let v = input.parse()?;
    let id = ProgrammeId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    if name_taken(&mut tx, &v.name, None).await? {
        return Err(Error::invalid("name", "err-programme-name-taken"));
    }
    write(
        &mut tx,
        "INSERT INTO programmes (name, target_group, max_months, caseload_cap, \
         includes_shelter, outcomes, alert_days, active, created_at, updated_at, id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
        &v,
        now,
        id,
    )
    .await?;
    tx.log(ctx, actor, "programme.create", "programme", &[id])
        .await?;
    tx.commit().await?;
    Ok(Programme {
        id,
        name: v.name,
        target_group: v.target_group,
        max_months: v.max_months,
        caseload_cap: v.cap,
        includes_shelter: v.shelter,
        outcomes: v.outcomes,
        alert_days: v.alert_days,
        active: v.active,
        created_at: now,
        updated_at: now,
    })
}

pub async fn update(
    ctx: &Ctx,
    actor: &Actor,
    id: ProgrammeId,
    input: &ProgrammeInput,
) -> Result<Programme> {
    actor.require(Permission::CaseworkConfigure)?;
    let v = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    if name_taken(&mut tx, &v.name, Some(id)).await? {
        return Err(Error::invalid("name", "err-programme-name-taken"));
    }
    let changed = write(
        &mut tx,
        "UPDATE programmes SET name = $1, target_group = $2, max_months = $3, caseload_cap = $4, \
         includes_shelter = $5, outcomes = $6, alert_days = $7, active = $8, updated_at = $9 \
         WHERE id = $10",
        &v,
        ctx.clock.now_ts(),
        id,
    )
    .await?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    tx.log(ctx, actor, "programme.update", "programme", &[id])
        .await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// One entry of a configured list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct ListItem {
    pub code: String,
    pub label: String,
}

/// What case forms offer: programmes open for intake and the country's lists.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Options {
    pub programmes: Vec<Programme>,
    pub procedure_types: Vec<ListItem>,
    pub permit_types: Vec<ListItem>,
}

pub(crate) async fn config_list(
    conn: &mut sqlx::AnyConnection,
    list: &str,
) -> Result<Vec<ListItem>> {
    Ok(sqlx::query_as(
        "SELECT code, label FROM config_lists WHERE list = $1 AND active = 1 \
         ORDER BY position, label",
    )
    .bind(list)
    .fetch_all(&mut *conn)
    .await?)
}

/// Whether `code` is an active entry of the configured `list`.
pub(crate) async fn in_list(
    conn: &mut sqlx::AnyConnection,
    list: &str,
    code: &str,
) -> Result<bool> {
    let row: Option<String> = sqlx::query_scalar(
        "SELECT code FROM config_lists WHERE list = $1 AND code = $2 AND active = 1",
    )
    .bind(list)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// The choices for case forms; for anyone who reads cases.
pub async fn options(ctx: &Ctx, actor: &Actor) -> Result<Options> {
    actor.require(Permission::CaseRead)?;
    let programmes = all(ctx, true).await?;
    let mut conn = ctx.db.pool.acquire().await?;
    Ok(Options {
        programmes,
        procedure_types: config_list(&mut conn, "procedure_type").await?,
        permit_types: config_list(&mut conn, "permit_type").await?,
    })
}
