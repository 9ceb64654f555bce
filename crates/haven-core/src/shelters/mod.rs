//! Shelters: sites, places, placements, the waiting list and stay limits.
//!
//! A site belongs to the organisation that operates it; only that organisation's staff see
//! it. A placement puts a case's person in one place. Two rules hold at all times: a place
//! is never given twice, and a person never holds two places. Both are checked inside the
//! transaction (which holds the audit chain's head and so runs one at a time) and, as the
//! last line, by the database's unique partial indexes.
//!
//! A stay is limited by the case's programme: it ends on `dates::stay_end(first admission
//! of the case, max_months)`, unless an approver holding
//! [`Permission::StayExtensionApprove`] extended it, with a reason. Placements are
//! person-level data: every read or change writes an audit event in its transaction.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::{Date, Duration};

use crate::audit::AuditTx;
use crate::dates;
use crate::error::Errors;
use crate::ids::{
    parse_db, CaseId, OrgId, PersonId, PlaceId, PlacementId, SiteId, UserId, WaitingId,
};
use crate::{people, Actor, Ctx, Error, FieldError, Permission, Result};

/// Why a stay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DischargeReason {
    Moved,
    Outcome,
    Left,
    RuleBreach,
    StayLimit,
    Other,
}

impl DischargeReason {
    pub const ALL: &'static [DischargeReason] = &[
        Self::Moved,
        Self::Outcome,
        Self::Left,
        Self::RuleBreach,
        Self::StayLimit,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moved => "moved",
            Self::Outcome => "outcome",
            Self::Left => "left",
            Self::RuleBreach => "rule_breach",
            Self::StayLimit => "stay_limit",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.as_str() == s)
    }
}

// ---------------------------------------------------------------------------------------
// Views

/// A shelter site.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Site {
    #[schema(value_type = String, format = Uuid)]
    pub id: SiteId,
    pub name: String,
    pub neighbourhood: String,
    /// The number of places.
    pub capacity: i64,
    #[schema(value_type = String, format = Uuid)]
    pub operator_org: OrgId,
    pub operator_name: String,
    pub target_group: String,
    pub active: bool,
}

/// A site's places now and this week.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteLoad {
    pub site: Site,
    pub taken: i64,
    pub free: i64,
    /// Arrivals and departures count moves between places too: a move is a departure
    /// from one place and an arrival at another.
    pub arrivals_today: i64,
    /// Since Monday, today included.
    pub arrivals_week: i64,
    pub departures_today: i64,
    pub departures_week: i64,
}

/// A stay extension, as recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Extension {
    pub old_until: String,
    pub new_until: String,
    pub reason: Option<String>,
    pub requested_by: String,
    pub approved_by: String,
    pub at: i64,
}

/// A placement with its countdown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Placement {
    #[schema(value_type = String, format = Uuid)]
    pub id: PlacementId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    /// Name or alias; none when not recorded or erased.
    pub person_label: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub site_id: SiteId,
    pub site_name: String,
    #[schema(value_type = String, format = Uuid)]
    pub place_id: PlaceId,
    pub place_label: String,
    pub admitted_on: String,
    /// The last day of the stay, extensions included; none when the programme has no limit.
    pub stay_until: Option<String>,
    /// Days from today to `stay_until` (negative when passed).
    pub days_left: Option<i64>,
    /// The programme's alert point reached (e.g. 90 or 30 days before the end), if any.
    pub alert: Option<i64>,
    pub discharged_on: Option<String>,
    pub discharge_reason: Option<DischargeReason>,
    /// Filled where a single placement is shown (case page, API).
    pub extensions: Vec<Extension>,
}

/// A stay extension asked for and not yet decided.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExtensionRequest {
    #[schema(value_type = String, format = Uuid)]
    pub id: uuid::Uuid,
    #[schema(value_type = String, format = Uuid)]
    pub placement_id: PlacementId,
    pub person_label: Option<String>,
    pub site_name: String,
    pub place_label: String,
    pub stay_until: Option<String>,
    pub new_until: String,
    pub reason: Option<String>,
    /// Display name of the staff member who asked.
    pub requested_by: String,
    pub requested_at: i64,
}

/// One place and who holds it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlaceView {
    #[schema(value_type = String, format = Uuid)]
    pub id: PlaceId,
    pub label: String,
    /// Somebody holds the place now (also when the organisation may not see who).
    pub taken: bool,
    /// Who holds it, when the organisation sees that person as its own.
    pub occupant: Option<Placement>,
}

/// A month of a site's occupancy: place-nights used against place-nights available.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonthOccupancy {
    /// `YYYY-MM`.
    pub month: String,
    /// Days of the month counted (up to today for the current month).
    pub days: i64,
    pub place_days: i64,
    pub capacity_days: i64,
    /// Average places taken per night, one decimal.
    pub average_taken: f64,
    /// Whole per cent.
    pub rate_percent: i64,
}

/// An open case that may be given a place.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseChoice {
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    pub person_label: Option<String>,
    pub programme: String,
}

/// A free place, for moving someone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FreePlace {
    #[schema(value_type = String, format = Uuid)]
    pub place_id: PlaceId,
    #[schema(value_type = String, format = Uuid)]
    pub site_id: SiteId,
    pub site_name: String,
    pub label: String,
}

/// An entry of the waiting list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WaitingEntry {
    #[schema(value_type = String, format = Uuid)]
    pub id: WaitingId,
    #[schema(value_type = String, format = Uuid)]
    pub case_id: CaseId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    pub person_label: Option<String>,
    /// The site asked for, if any.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub site_id: Option<SiteId>,
    pub site_name: Option<String>,
    /// 1 urgent, 2 high, 3 normal.
    pub priority: i64,
    pub referral_source: String,
    pub added_at: i64,
    /// waiting | admitted | removed
    pub status: String,
}

/// The shelter board of the actor's organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub today: String,
    pub sites: Vec<SiteLoad>,
    /// Current stays that reached an alert point or passed their end, soonest first.
    pub ending: Vec<Placement>,
    /// Waiting, most urgent and longest waiting first.
    pub waiting: Vec<WaitingEntry>,
    /// Open shelter cases without a place and not waiting, for adding to the list.
    pub candidates: Vec<CaseChoice>,
    /// Extension requests waiting for a decision.
    pub extension_requests: Vec<ExtensionRequest>,
}

/// One site with its places, occupancy over the past 12 months and what the forms need.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SiteDetail {
    pub today: String,
    pub load: SiteLoad,
    pub places: Vec<PlaceView>,
    pub occupancy: Vec<MonthOccupancy>,
    pub candidates: Vec<CaseChoice>,
    pub free_places: Vec<FreePlace>,
}

// ---------------------------------------------------------------------------------------
// Inputs

/// A site as typed. Capacity is a whole number of places (1–1000); it can grow, not shrink.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SiteInput {
    pub name: Option<String>,
    pub neighbourhood: Option<String>,
    pub capacity: Option<String>,
    /// The operating organisation's id.
    pub operator_org: Option<String>,
    pub target_group: Option<String>,
    /// Defaults to true.
    pub active: Option<bool>,
}

struct SiteData {
    name: String,
    neighbourhood: String,
    capacity: i64,
    operator_org: OrgId,
    target_group: String,
    active: bool,
}

fn required_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<String, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or_default();
    if s.is_empty() {
        Err(FieldError::new(field, "err-required"))
    } else if s.chars().count() > max {
        Err(FieldError::new(field, "err-too-long"))
    } else {
        Ok(s.to_owned())
    }
}

fn parse_id_field<T: std::str::FromStr>(
    v: &Option<String>,
    field: &'static str,
) -> Result<T, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Err(FieldError::new(field, "err-required"));
    }
    s.parse().map_err(|_| FieldError::new(field, "err-choice"))
}

impl SiteInput {
    fn parse(&self) -> Result<SiteData> {
        let mut e = Errors::default();
        let name = e.take(required_text(&self.name, "name", 200));
        let neighbourhood = e.take(required_text(&self.neighbourhood, "neighbourhood", 200));
        let target_group = e.take(required_text(&self.target_group, "target_group", 200));
        let capacity = e.take(
            match self.capacity.as_deref().map(str::trim).unwrap_or_default() {
                "" => Err(FieldError::new("capacity", "err-required")),
                s => s
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or(FieldError::new("capacity", "err-capacity")),
            },
        );
        let operator_org = e.take(parse_id_field(&self.operator_org, "operator_org"));
        e.finish()?;
        match (name, neighbourhood, target_group, capacity, operator_org) {
            (Some(name), Some(neighbourhood), Some(target_group), Some(capacity), Some(org)) => {
                Ok(SiteData {
                    name,
                    neighbourhood,
                    capacity,
                    operator_org: org,
                    target_group,
                    active: self.active.unwrap_or(true),
                })
            }
            _ => Err(Error::Internal(anyhow::anyhow!("site input incomplete"))),
        }
    }
}

/// Admit a case's person to a place.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdmitInput {
    pub case_id: Option<String>,
    pub place_id: Option<String>,
}

/// Move to another place.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MoveInput {
    pub place_id: Option<String>,
}

/// End a stay: moved | outcome | left | rule_breach | stay_limit | other.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DischargeInput {
    pub reason: Option<String>,
}

/// Extend a stay to `new_until` (`YYYY-MM-DD`), with a reason. Only an approver holding
/// the stay-extension permission may do this; they are recorded as approver, and
/// `requested_by` (a staff member of the same organisation; default: the approver) as
/// the one who asked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ExtensionInput {
    pub new_until: Option<String>,
    pub reason: Option<String>,
    pub requested_by: Option<String>,
}

/// Ask for a stay to be extended to `new_until` (`YYYY-MM-DD`), with a reason; an
/// approver decides.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ExtensionRequestInput {
    pub new_until: Option<String>,
    pub reason: Option<String>,
}

/// Put a case on the waiting list. Priority 1 (urgent) to 3 (normal).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WaitingInput {
    pub case_id: Option<String>,
    /// A preferred site, if any.
    pub site_id: Option<String>,
    pub priority: Option<String>,
    pub referral_source: Option<String>,
}

/// Admit a waiting entry at a site: its first free place is taken.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdmitWaitingInput {
    pub site_id: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Helpers

fn today(ctx: &Ctx) -> Date {
    ctx.clock.now().date()
}

fn monday_of(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

fn parse_date_db(s: &str) -> Result<Date> {
    dates::parse_stored(s).ok_or_else(|| Error::Internal(anyhow::anyhow!("malformed date")))
}

/// The alert points of a programme, largest first, e.g. `[90, 30]`.
pub fn alert_points(alert_days: &str) -> Vec<i64> {
    let mut v: Vec<i64> = alert_days
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .filter(|n| *n > 0)
        .collect();
    v.sort_unstable_by_key(|n| std::cmp::Reverse(*n));
    v.dedup();
    v
}

/// Days left and the alert point reached: the smallest point not yet passed by the
/// countdown, e.g. 30 when 30 or fewer days are left.
pub fn countdown(
    today: Date,
    stay_until: Option<Date>,
    points: &[i64],
) -> (Option<i64>, Option<i64>) {
    match stay_until {
        None => (None, None),
        Some(u) => {
            let left = dates::days_between(today, u);
            let alert = points.iter().copied().filter(|p| left <= *p).min();
            (Some(left), alert)
        }
    }
}

fn label_of(
    ctx: &Ctx,
    person: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<Option<String>> {
    match people::label_from_stored(ctx, person, wrapped, sealed) {
        Ok(l) => Ok(l),
        Err(Error::Erased) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Adds the ids of the persons a list shows to its audit event's ids, each once.
fn push_persons(ids: &mut Vec<String>, persons: impl IntoIterator<Item = PersonId>) {
    let mut seen = std::collections::HashSet::new();
    for p in persons {
        if seen.insert(p) {
            ids.push(p.to_string());
        }
    }
}

/// Turns a violation of the placements' unique indexes into the rule it protects.
fn placement_conflict(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(db) = &e {
        let msg = db.message();
        let constraint = db.constraint().unwrap_or_default();
        let unique = db.is_unique_violation() || msg.contains("UNIQUE");
        if unique && (constraint.contains("one_per_place") || msg.contains("place_id")) {
            return Error::Conflict("err-place-taken");
        }
        if unique && (constraint.contains("one_per_person") || msg.contains("person_id")) {
            return Error::Conflict("err-person-placed");
        }
    }
    Error::from(e)
}

const SITE_COLS: &str = "s.id, s.name, s.neighbourhood, s.capacity, s.operator_org, o.name, \
     s.target_group, s.active";
type SiteRow = (String, String, String, i64, String, String, String, i64);

fn site_from(r: SiteRow) -> Result<Site> {
    Ok(Site {
        id: parse_db(&r.0)?,
        name: r.1,
        neighbourhood: r.2,
        capacity: r.3,
        operator_org: parse_db(&r.4)?,
        operator_name: r.5,
        target_group: r.6,
        active: r.7 != 0,
    })
}

const PLACEMENT_COLS: &str = "pl.id, pl.case_id, pl.person_id, pl.site_id, s.name, pl.place_id, \
     sp.label, pl.admitted_on, pl.stay_until, pl.discharged_on, pl.discharge_reason, \
     pr.alert_days, p.data_key, p.sealed";
const PLACEMENT_FROM: &str = "placements pl JOIN shelter_sites s ON s.id = pl.site_id \
     JOIN shelter_places sp ON sp.id = pl.place_id JOIN cases c ON c.id = pl.case_id \
     JOIN programmes pr ON pr.id = c.programme_id JOIN persons p ON p.id = pl.person_id";
type PlacementRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<Vec<u8>>,
);

fn placement_from(ctx: &Ctx, today: Date, r: PlacementRow) -> Result<Placement> {
    let person_id: PersonId = parse_db(&r.2)?;
    let stay_until = r.8.as_deref().map(parse_date_db).transpose()?;
    let (days_left, alert) = if r.9.is_some() {
        (None, None)
    } else {
        countdown(today, stay_until, &alert_points(&r.11))
    };
    Ok(Placement {
        id: parse_db(&r.0)?,
        case_id: parse_db(&r.1)?,
        person_label: label_of(ctx, person_id, r.12.as_deref(), r.13.as_deref())?,
        person_id,
        site_id: parse_db(&r.3)?,
        site_name: r.4,
        place_id: parse_db(&r.5)?,
        place_label: r.6,
        admitted_on: r.7,
        stay_until: r.8,
        days_left,
        alert,
        discharged_on: r.9,
        discharge_reason: r.10.as_deref().and_then(DischargeReason::parse),
        extensions: Vec::new(),
    })
}

/// What a placement needs to know about a case.
struct ShelterCase {
    person_id: PersonId,
    max_months: Option<i64>,
}

/// A case of the organisation, open, in a programme with shelter; otherwise not found
/// (another organisation's case) or a conflict saying which rule stands in the way.
/// Only a person the organisation sees as its own (`people::visible_sql!`): access that
/// came through a referral, or has expired, is "not found" here as on the board.
async fn shelter_case(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    now: i64,
    case_id: CaseId,
) -> Result<ShelterCase> {
    let row: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(concat!(
        "SELECT c.person_id, c.status, pr.includes_shelter, pr.max_months FROM cases c \
         JOIN programmes pr ON pr.id = c.programme_id WHERE c.id = $3 AND c.org_id = $1 AND ",
        crate::people::visible_sql!("c.person_id")
    ))
    .bind(org.to_string())
    .bind(now)
    .bind(case_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let (person, status, includes_shelter, max_months) = row.ok_or(Error::NotFound)?;
    if status != "open" {
        return Err(Error::Conflict("err-case-closed"));
    }
    if includes_shelter == 0 {
        return Err(Error::Conflict("err-programme-no-shelter"));
    }
    Ok(ShelterCase {
        person_id: parse_db(&person)?,
        max_months,
    })
}

/// The site of a place, if the organisation operates it and it is active.
async fn own_place(conn: &mut sqlx::AnyConnection, org: OrgId, place: PlaceId) -> Result<SiteId> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT sp.site_id FROM shelter_places sp JOIN shelter_sites s ON s.id = sp.site_id \
         WHERE sp.id = $1 AND s.operator_org = $2 AND s.active = 1",
    )
    .bind(place.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    parse_db(&row.ok_or(Error::NotFound)?.0)
}

/// Inserts a placement after checking both rules; `stay_until` is computed from the
/// case's first admission unless given (a move keeps the stay it had).
#[allow(clippy::too_many_arguments)]
async fn insert_placement(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    case_id: CaseId,
    case: &ShelterCase,
    site: SiteId,
    place: PlaceId,
    keep_until: Option<Option<String>>,
) -> Result<PlacementId> {
    let today = today(ctx);
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT id FROM placements WHERE place_id = $1 AND discharged_on IS NULL")
            .bind(place.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    if taken.is_some() {
        return Err(Error::Conflict("err-place-taken"));
    }
    let placed: Option<(String,)> =
        sqlx::query_as("SELECT id FROM placements WHERE person_id = $1 AND discharged_on IS NULL")
            .bind(case.person_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    if placed.is_some() {
        return Err(Error::Conflict("err-person-placed"));
    }
    let stay_until = match keep_until {
        Some(u) => u,
        None => match case.max_months {
            None => None,
            Some(months) => {
                // The limit counts from the case's first admission; an extension granted
                // during an earlier stay of the same case still counts.
                let (first, last_until): (Option<String>, Option<String>) = sqlx::query_as(
                    "SELECT MIN(admitted_on), MAX(stay_until) FROM placements WHERE case_id = $1",
                )
                .bind(case_id.to_string())
                .fetch_one(&mut *tx.tx)
                .await?;
                let first = first
                    .as_deref()
                    .map(parse_date_db)
                    .transpose()?
                    .unwrap_or(today);
                let mut until = dates::stay_end(first, months);
                if let Some(l) = last_until.as_deref().map(parse_date_db).transpose()? {
                    until = until.max(l);
                }
                if until < today {
                    return Err(Error::Conflict("err-stay-limit-reached"));
                }
                Some(dates::format(until))
            }
        },
    };
    let id = PlacementId::new();
    sqlx::query(
        "INSERT INTO placements (id, case_id, person_id, site_id, place_id, admitted_on, \
         stay_until, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(case_id.to_string())
    .bind(case.person_id.to_string())
    .bind(site.to_string())
    .bind(place.to_string())
    .bind(dates::format(today))
    .bind(stay_until)
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await
    .map_err(placement_conflict)?;
    Ok(id)
}

async fn load_placement(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    id: PlacementId,
) -> Result<Placement> {
    let row: Option<PlacementRow> = sqlx::query_as(&format!(
        "SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE pl.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    placement_from(ctx, today(ctx), row.ok_or(Error::NotFound)?)
}

/// A current placement in a site the organisation operates, with its case's limit data.
/// Only of a person the organisation sees as its own (`people::visible_sql!`), as for
/// admitting: a stay whose person it may no longer see is not found.
async fn own_current_placement(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    now: i64,
    id: PlacementId,
) -> Result<(CaseId, PersonId, Option<String>)> {
    let row: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(&format!(
        "SELECT pl.case_id, pl.person_id, pl.stay_until, pl.discharged_on FROM placements pl \
             JOIN shelter_sites s ON s.id = pl.site_id WHERE s.operator_org = $1 AND {} \
             AND pl.id = $3",
        crate::people::visible_sql!("pl.person_id")
    ))
    .bind(org.to_string())
    .bind(now)
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let (case, person, until, discharged) = row.ok_or(Error::NotFound)?;
    if discharged.is_some() {
        return Err(Error::Conflict("err-already-discharged"));
    }
    Ok((parse_db(&case)?, parse_db(&person)?, until))
}

async fn mark_discharged(
    conn: &mut sqlx::AnyConnection,
    id: PlacementId,
    on: Date,
    reason: DischargeReason,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE placements SET discharged_on = $1, discharge_reason = $2 \
         WHERE id = $3 AND discharged_on IS NULL",
    )
    .bind(dates::format(on))
    .bind(reason.as_str())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict("err-already-discharged"));
    }
    Ok(())
}

async fn site_loads(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    only: Option<SiteId>,
) -> Result<Vec<SiteLoad>> {
    let today = today(ctx);
    let t = dates::format(today);
    let monday = dates::format(monday_of(today));
    let rows: Vec<(SiteRow, i64, i64, i64, i64, i64)> = {
        let sql = format!(
            "SELECT {SITE_COLS}, \
             (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.discharged_on IS NULL), \
             (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.admitted_on = $2), \
             (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.admitted_on >= $3 AND x.admitted_on <= $2), \
             (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.discharged_on = $2), \
             (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.discharged_on >= $3 AND x.discharged_on <= $2) \
             FROM shelter_sites s JOIN organisations o ON o.id = s.operator_org \
             WHERE s.operator_org = $1 AND s.active = 1 {} ORDER BY s.name",
            if only.is_some() { "AND s.id = $4" } else { "" }
        );
        type R = (
            String,
            String,
            String,
            i64,
            String,
            String,
            String,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        );
        let mut q = sqlx::query_as::<_, R>(&sql)
            .bind(org.to_string())
            .bind(&t)
            .bind(&monday);
        if let Some(s) = only {
            q = q.bind(s.to_string());
        }
        q.fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| {
                (
                    (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7),
                    r.8,
                    r.9,
                    r.10,
                    r.11,
                    r.12,
                )
            })
            .collect()
    };
    rows.into_iter()
        .map(|(s, taken, at, aw, dt, dw)| {
            let site = site_from(s)?;
            Ok(SiteLoad {
                free: (site.capacity - taken).max(0),
                site,
                taken,
                arrivals_today: at,
                arrivals_week: aw,
                departures_today: dt,
                departures_week: dw,
            })
        })
        .collect()
}

/// Open shelter cases of the organisation without a current place and not waiting, whose
/// person the organisation may see and who is not erased: the 200 most recent intakes
/// (ties in case id order, newest first), for the forms' choice lists. Each with its
/// person, for the audit event.
async fn candidates(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
) -> Result<Vec<(PersonId, CaseChoice)>> {
    // The programmes with a shelter place are looked up first and passed as values: with
    // a join to `programmes` in the same query, PostgreSQL misjudged how many cases remain
    // and read, joined to their persons' sealed records, and sorted every open shelter
    // case of the organisation (3,566 in the benchmark, 80–100 ms) before its LIMIT. With
    // the ids as values both databases walk `cases_org` newest first and stop at the
    // limit, so only the ~200 cases shown are joined to their persons (2 ms).
    let programmes: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM programmes WHERE includes_shelter = 1")
            .fetch_all(&mut *conn)
            .await?;
    if programmes.is_empty() {
        return Ok(Vec::new());
    }
    let names: HashMap<String, String> = programmes.into_iter().collect();
    let sql = format!(
        "SELECT c.id, c.person_id, c.programme_id, p.data_key, p.sealed FROM cases c \
         JOIN persons p ON p.id = c.person_id \
         WHERE c.org_id = $1 AND {} AND c.status = 'open' AND c.programme_id IN ({}) \
         AND p.data_key IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM placements x WHERE x.person_id = c.person_id AND x.discharged_on IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM waiting_list w WHERE w.case_id = c.id AND w.status = 'waiting') \
         ORDER BY c.intake_at DESC, c.id DESC LIMIT 200",
        crate::people::visible_sql!("c.person_id"),
        crate::db::placeholders(3, names.len())
    );
    type R = (String, String, String, Option<String>, Option<Vec<u8>>);
    let mut q = sqlx::query_as::<_, R>(&sql)
        .bind(org.to_string())
        .bind(ctx.clock.now_ts());
    for id in names.keys() {
        q = q.bind(id.clone());
    }
    let rows: Vec<R> = q.fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|r| {
            let person: PersonId = parse_db(&r.1)?;
            Ok((
                person,
                CaseChoice {
                    case_id: parse_db(&r.0)?,
                    person_label: label_of(ctx, person, r.3.as_deref(), r.4.as_deref())?,
                    programme: names.get(&r.2).cloned().unwrap_or(r.2),
                },
            ))
        })
        .collect()
}

async fn waiting_entries(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
) -> Result<Vec<WaitingEntry>> {
    type R = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        String,
        i64,
        String,
        Option<String>,
        Option<Vec<u8>>,
    );
    let rows: Vec<R> = sqlx::query_as(&format!(
        "SELECT w.id, w.case_id, c.person_id, w.site_id, s.name, w.priority, w.referral_source, \
         w.added_at, w.status, p.data_key, p.sealed FROM waiting_list w \
         JOIN cases c ON c.id = w.case_id JOIN persons p ON p.id = c.person_id \
         LEFT JOIN shelter_sites s ON s.id = w.site_id \
         WHERE c.org_id = $1 AND {} AND w.status = 'waiting' \
         ORDER BY w.priority, w.added_at, w.id",
        crate::people::visible_sql!("c.person_id")
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let person: PersonId = parse_db(&r.2)?;
            Ok(WaitingEntry {
                id: parse_db(&r.0)?,
                case_id: parse_db(&r.1)?,
                person_label: label_of(ctx, person, r.9.as_deref(), r.10.as_deref())?,
                person_id: person,
                site_id: r.3.as_deref().map(parse_db).transpose()?,
                site_name: r.4,
                priority: r.5,
                referral_source: r.6,
                added_at: r.7,
                status: r.8,
            })
        })
        .collect()
}

/// Occupancy per month over the `months` months up to and including today's, from the
/// admission and discharge dates: a stay occupies its place from the night of admission
/// up to, not including, the night of discharge.
pub fn monthly_occupancy(
    today: Date,
    capacity: i64,
    stays: &[(Date, Option<Date>)],
    months: i64,
) -> Vec<MonthOccupancy> {
    let this_month = today.replace_day(1).unwrap_or(today);
    let mut out = Vec::new();
    for back in (0..months).rev() {
        let start = dates::add_months(this_month, -back);
        let next = dates::add_months(start, 1);
        // The last night counted: today for the current month.
        let end = if next > today {
            today
        } else {
            next - Duration::days(1)
        };
        let days = dates::days_between(start, end) + 1;
        let mut place_days = 0;
        for (admitted, discharged) in stays {
            // Nights occupied: [admitted, discharged - 1], or up to today while staying.
            let last = match discharged {
                Some(d) => *d - Duration::days(1),
                None => today,
            };
            let from = (*admitted).max(start);
            let to = last.min(end);
            if to >= from {
                place_days += dates::days_between(from, to) + 1;
            }
        }
        let capacity_days = capacity * days;
        let average = if days > 0 {
            (place_days as f64 / days as f64 * 10.0).round() / 10.0
        } else {
            0.0
        };
        out.push(MonthOccupancy {
            month: format!("{:04}-{:02}", start.year(), u8::from(start.month())),
            days,
            place_days,
            capacity_days,
            average_taken: average,
            rate_percent: if capacity_days > 0 {
                (place_days * 100 + capacity_days / 2) / capacity_days
            } else {
                0
            },
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Use cases: sites

/// Every site, for configuring them.
pub async fn all_sites(ctx: &Ctx, actor: &Actor) -> Result<Vec<Site>> {
    actor.require(Permission::CaseworkConfigure)?;
    let rows: Vec<SiteRow> = sqlx::query_as(&format!(
        "SELECT {SITE_COLS} FROM shelter_sites s JOIN organisations o ON o.id = s.operator_org \
         ORDER BY o.name, s.name"
    ))
    .fetch_all(&ctx.db.pool)
    .await?;
    rows.into_iter().map(site_from).collect()
}

/// One site, for editing it.
pub async fn site_for_config(ctx: &Ctx, actor: &Actor, id: SiteId) -> Result<Site> {
    actor.require(Permission::CaseworkConfigure)?;
    let row: Option<SiteRow> = sqlx::query_as(&format!(
        "SELECT {SITE_COLS} FROM shelter_sites s JOIN organisations o ON o.id = s.operator_org \
         WHERE s.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&ctx.db.pool)
    .await?;
    site_from(row.ok_or(Error::NotFound)?)
}

/// The organisations that may operate a site: (id, name), active ones.
pub async fn operator_choices(ctx: &Ctx, actor: &Actor) -> Result<Vec<(OrgId, String)>> {
    actor.require(Permission::CaseworkConfigure)?;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organisations WHERE active = 1 ORDER BY name")
            .fetch_all(&ctx.db.pool)
            .await?;
    rows.into_iter()
        .map(|(id, name)| Ok((parse_db(&id)?, name)))
        .collect()
}

async fn check_operator(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<()> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM organisations WHERE id = $1 AND active = 1")
            .bind(org.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    if row.is_none() {
        return Err(Error::invalid("operator_org", "err-choice"));
    }
    Ok(())
}

async fn add_places(
    conn: &mut sqlx::AnyConnection,
    site: SiteId,
    from: i64,
    to: i64,
) -> Result<()> {
    for n in from..=to {
        sqlx::query("INSERT INTO shelter_places (id, site_id, label) VALUES ($1, $2, $3)")
            .bind(PlaceId::new().to_string())
            .bind(site.to_string())
            .bind(n.to_string())
            .execute(&mut *conn)
            .await?;
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
    sqlx::query(
        "INSERT INTO shelter_sites (id, name, neighbourhood, capacity, operator_org, \
         target_group, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(&d.name)
    .bind(&d.neighbourhood)
    .bind(d.capacity)
    .bind(d.operator_org.to_string())
    .bind(&d.target_group)
    .bind(i64::from(d.active))
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    add_places(&mut tx.tx, id, 1, d.capacity).await?;
    tx.log(
        ctx,
        actor,
        "shelter_site.create",
        "shelter_site",
        &[id.to_string()],
    )
    .await?;
    tx.commit().await?;
    site_for_config(ctx, actor, id).await
}

/// Changes a site. Capacity may grow (new places get the next numbers); it may not shrink,
/// because places keep their history.
pub async fn update_site(ctx: &Ctx, actor: &Actor, id: SiteId, input: &SiteInput) -> Result<Site> {
    actor.require(Permission::CaseworkConfigure)?;
    let d = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<(i64,)> = sqlx::query_as("SELECT capacity FROM shelter_sites WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
    let (old_capacity,) = row.ok_or(Error::NotFound)?;
    if d.capacity < old_capacity {
        return Err(Error::invalid("capacity", "err-capacity-shrink"));
    }
    check_operator(&mut tx.tx, d.operator_org).await?;
    sqlx::query(
        "UPDATE shelter_sites SET name = $1, neighbourhood = $2, capacity = $3, \
         operator_org = $4, target_group = $5, active = $6 WHERE id = $7",
    )
    .bind(&d.name)
    .bind(&d.neighbourhood)
    .bind(d.capacity)
    .bind(d.operator_org.to_string())
    .bind(&d.target_group)
    .bind(i64::from(d.active))
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    add_places(&mut tx.tx, id, old_capacity + 1, d.capacity).await?;
    tx.log(
        ctx,
        actor,
        "shelter_site.update",
        "shelter_site",
        &[id.to_string()],
    )
    .await?;
    tx.commit().await?;
    site_for_config(ctx, actor, id).await
}

// ---------------------------------------------------------------------------------------
// Use cases: the board and a site

/// The shelter board: the organisation's sites, stays ending, the waiting list.
pub async fn board(ctx: &Ctx, actor: &Actor) -> Result<Board> {
    actor.require(Permission::ShelterRead)?;
    let org = actor.require_org()?;
    let today = today(ctx);
    // The board is read before the audit transaction, so its queries do not hold the chain
    // head; nothing is returned unless the event naming every person shown has committed.
    let mut conn = ctx.db.pool.acquire().await?;
    let sites = site_loads(ctx, &mut conn, org, None).await?;
    // Only stays within reach of the largest alert point of any programme are read (and
    // their names opened); the exact alert is then decided per programme.
    let points: Vec<(String,)> = sqlx::query_as("SELECT alert_days FROM programmes")
        .fetch_all(&mut *conn)
        .await?;
    let reach = points
        .iter()
        .flat_map(|(p,)| alert_points(p))
        .max()
        .unwrap_or(0);
    let horizon = dates::format(today + Duration::days(reach));
    let rows: Vec<PlacementRow> = sqlx::query_as(&format!(
        "SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE s.operator_org = $1 AND {} \
         AND s.active = 1 AND pl.discharged_on IS NULL AND pl.stay_until IS NOT NULL \
         AND pl.stay_until <= $3 ORDER BY pl.stay_until, pl.id",
        crate::people::visible_sql!("pl.person_id")
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(horizon)
    .fetch_all(&mut *conn)
    .await?;
    let mut ending = Vec::new();
    for r in rows {
        let p = placement_from(ctx, today, r)?;
        if p.alert.is_some() || p.days_left.is_some_and(|d| d < 0) {
            ending.push(p);
        }
    }
    let waiting = if actor.can(Permission::ShelterManage) {
        waiting_entries(ctx, &mut conn, org).await?
    } else {
        Vec::new()
    };
    let candidates = if actor.can(Permission::ShelterManage) {
        candidates(ctx, &mut conn, org).await?
    } else {
        Vec::new()
    };
    let extension_requests = pending_requests(ctx, &mut conn, org).await?;
    drop(conn);
    // The event names the stays, entries and requests shown, and every person whose data
    // the board returns: those of the stays, the waiting list, the requests and the
    // candidates.
    let mut ids: Vec<String> = ending.iter().map(|p| p.id.to_string()).collect();
    ids.extend(waiting.iter().map(|w| w.id.to_string()));
    ids.extend(
        extension_requests
            .iter()
            .map(|(_, r)| r.placement_id.to_string()),
    );
    let persons = ending
        .iter()
        .map(|p| p.person_id)
        .chain(waiting.iter().map(|w| w.person_id))
        .chain(extension_requests.iter().map(|(p, _)| *p))
        .chain(candidates.iter().map(|(p, _)| *p));
    push_persons(&mut ids, persons);
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "shelter.board", "placement", &ids)
        .await?;
    tx.commit().await?;
    Ok(Board {
        today: dates::format(today),
        sites,
        ending,
        waiting,
        candidates: candidates.into_iter().map(|(_, c)| c).collect(),
        extension_requests: extension_requests.into_iter().map(|(_, r)| r).collect(),
    })
}

/// A site of the actor's organisation: its places and who holds them, occupancy over the
/// past 12 months. Another organisation's site is not found.
pub async fn site(ctx: &Ctx, actor: &Actor, id: SiteId) -> Result<SiteDetail> {
    actor.require(Permission::ShelterRead)?;
    let org = actor.require_org()?;
    let today = today(ctx);
    let mut tx = AuditTx::begin(ctx).await?;
    let load = site_loads(ctx, &mut tx.tx, org, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(Error::NotFound)?;
    // Each place, and whether anybody holds it now (whoever it is).
    let places: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT sp.id, sp.label, CASE WHEN EXISTS (SELECT 1 FROM placements x \
           WHERE x.place_id = sp.id AND x.discharged_on IS NULL) THEN 1 ELSE 0 END \
         FROM shelter_places sp WHERE sp.site_id = $1 ORDER BY LENGTH(sp.label), sp.label",
    )
    .bind(id.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    // Who holds a place is shown only for persons the organisation sees as its own; a
    // place held by anyone else is shown as taken, without a name.
    let current: Vec<PlacementRow> = sqlx::query_as(&format!(
        "SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE s.operator_org = $1 AND {} \
         AND pl.site_id = $3 AND pl.discharged_on IS NULL",
        crate::people::visible_sql!("pl.person_id")
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut by_place = std::collections::HashMap::new();
    for r in current {
        let p = placement_from(ctx, today, r)?;
        by_place.insert(p.place_id, p);
    }
    let mut ids: Vec<String> = by_place.values().map(|p| p.id.to_string()).collect();
    let occupants: Vec<PersonId> = by_place.values().map(|p| p.person_id).collect();
    let mut views = Vec::with_capacity(places.len());
    for (pid, label, taken) in places {
        let pid: PlaceId = parse_db(&pid)?;
        views.push(PlaceView {
            id: pid,
            label,
            taken: taken != 0,
            occupant: by_place.remove(&pid),
        });
    }
    let window_start = dates::format(dates::add_months(
        today.replace_day(1).unwrap_or(today),
        -11,
    ));
    let stays: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT admitted_on, discharged_on FROM placements WHERE site_id = $1 \
         AND (discharged_on IS NULL OR discharged_on >= $2)",
    )
    .bind(id.to_string())
    .bind(&window_start)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut parsed = Vec::with_capacity(stays.len());
    for (a, d) in stays {
        parsed.push((
            parse_date_db(&a)?,
            d.as_deref().map(parse_date_db).transpose()?,
        ));
    }
    let occupancy = monthly_occupancy(today, load.site.capacity, &parsed, 12);
    let manage = actor.can(Permission::ShelterManage);
    let candidates = if manage {
        candidates(ctx, &mut tx.tx, org).await?
    } else {
        Vec::new()
    };
    let free_places = if manage {
        free_places(&mut tx.tx, org).await?
    } else {
        Vec::new()
    };
    // Every person shown: the occupants and the candidates.
    push_persons(
        &mut ids,
        occupants
            .into_iter()
            .chain(candidates.iter().map(|(p, _)| *p)),
    );
    tx.log(ctx, actor, "shelter.site", "placement", &ids)
        .await?;
    tx.commit().await?;
    Ok(SiteDetail {
        today: dates::format(today),
        load,
        places: views,
        occupancy,
        candidates: candidates.into_iter().map(|(_, c)| c).collect(),
        free_places,
    })
}

async fn free_places(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<Vec<FreePlace>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT sp.id, s.id, s.name, sp.label FROM shelter_places sp \
         JOIN shelter_sites s ON s.id = sp.site_id WHERE s.operator_org = $1 AND s.active = 1 \
         AND NOT EXISTS (SELECT 1 FROM placements x WHERE x.place_id = sp.id AND x.discharged_on IS NULL) \
         ORDER BY s.name, LENGTH(sp.label), sp.label LIMIT 2000",
    )
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(FreePlace {
                place_id: parse_db(&r.0)?,
                site_id: parse_db(&r.1)?,
                site_name: r.2,
                label: r.3,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Use cases: placements

/// Admits a case's person to a free place of a site the actor's organisation operates.
pub async fn admit(ctx: &Ctx, actor: &Actor, input: &AdmitInput) -> Result<Placement> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let mut e = Errors::default();
    let case_id: Option<CaseId> = e.take(parse_id_field(&input.case_id, "case_id"));
    let place_id: Option<PlaceId> = e.take(parse_id_field(&input.place_id, "place_id"));
    e.finish()?;
    let (Some(case_id), Some(place_id)) = (case_id, place_id) else {
        return Err(Error::Internal(anyhow::anyhow!("admit input incomplete")));
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), case_id).await?;
    let site = own_place(&mut tx.tx, org, place_id).await?;
    let id = insert_placement(ctx, &mut tx, actor, case_id, &case, site, place_id, None).await?;
    tx.log(
        ctx,
        actor,
        "placement.admit",
        "placement",
        &[id.to_string()],
    )
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
    let place_id: PlaceId =
        parse_id_field(&input.place_id, "place_id").map_err(|f| Error::Invalid(vec![f]))?;
    let mut tx = AuditTx::begin(ctx).await?;
    let (case_id, _, until) =
        own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), case_id).await?;
    let site = own_place(&mut tx.tx, org, place_id).await?;
    mark_discharged(&mut tx.tx, id, today(ctx), DischargeReason::Moved).await?;
    let new_id = insert_placement(
        ctx,
        &mut tx,
        actor,
        case_id,
        &case,
        site,
        place_id,
        Some(until),
    )
    .await?;
    // A request waiting for a decision follows the person to the new place.
    sqlx::query(
        "UPDATE stay_extension_requests SET placement_id = $1 WHERE placement_id = $2 \
         AND status = 'pending'",
    )
    .bind(new_id.to_string())
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "placement.move",
        "placement",
        &[id.to_string(), new_id.to_string()],
    )
    .await?;
    let p = load_placement(ctx, &mut tx.tx, new_id).await?;
    tx.commit().await?;
    Ok(p)
}

fn discharge_reason(input: &DischargeInput) -> Result<DischargeReason> {
    match input.reason.as_deref().map(str::trim).unwrap_or_default() {
        "" => Err(Error::invalid("reason", "err-required")),
        s => DischargeReason::parse(s).ok_or(Error::invalid("reason", "err-choice")),
    }
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
    let reason = discharge_reason(input)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let site: Option<(String,)> = sqlx::query_as(
        "SELECT s.id FROM shelter_places sp JOIN shelter_sites s ON s.id = sp.site_id \
         WHERE sp.id = $1 AND s.operator_org = $2",
    )
    .bind(place.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let (site,) = site.ok_or(Error::NotFound)?;
    let stay: Option<(String,)> =
        sqlx::query_as("SELECT id FROM placements WHERE place_id = $1 AND discharged_on IS NULL")
            .bind(place.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let (stay,) = stay.ok_or(Error::Conflict("err-already-discharged"))?;
    let stay: PlacementId = parse_db(&stay)?;
    mark_discharged(&mut tx.tx, stay, today(ctx), reason).await?;
    tx.log(
        ctx,
        actor,
        "placement.discharge",
        "placement",
        &[stay.to_string()],
    )
    .await?;
    tx.commit().await?;
    parse_db(&site)
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
    let reason = discharge_reason(input)?;
    let mut tx = AuditTx::begin(ctx).await?;
    own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    mark_discharged(&mut tx.tx, id, today(ctx), reason).await?;
    tx.log(
        ctx,
        actor,
        "placement.discharge",
        "placement",
        &[id.to_string()],
    )
    .await?;
    let p = load_placement(ctx, &mut tx.tx, id).await?;
    tx.commit().await?;
    Ok(p)
}

/// Extends a stay. Only an approver holding [`Permission::StayExtensionApprove`] may, and
/// only with a reason; the reason is sealed with the person's key.
pub async fn extend_stay(
    ctx: &Ctx,
    actor: &Actor,
    id: PlacementId,
    input: &ExtensionInput,
) -> Result<Placement> {
    actor.require(Permission::StayExtensionApprove)?;
    let org = actor.require_org()?;
    let approver = actor.user_id.ok_or(Error::Forbidden)?;
    let mut e = Errors::default();
    let new_until = e.take(dates::parse_input(
        input.new_until.as_deref().unwrap_or_default(),
        "new_until",
    ));
    let reason = e.take(required_text(&input.reason, "reason", 4000));
    let requested_by: Option<UserId> = match input
        .requested_by
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
    {
        "" => None,
        s => e.take(
            s.parse()
                .map_err(|_| FieldError::new("requested_by", "err-choice")),
        ),
    };
    e.finish()?;
    let (Some(new_until), Some(reason)) = (new_until, reason) else {
        return Err(Error::Internal(anyhow::anyhow!(
            "extension input incomplete"
        )));
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let (_, person, until) = own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    let Some(old_until) = until else {
        return Err(Error::Conflict("err-no-stay-limit"));
    };
    let old = parse_date_db(&old_until)?;
    if new_until <= old {
        return Err(Error::invalid("new_until", "err-extension-not-later"));
    }
    let requester = match requested_by {
        None => approver,
        Some(u) => {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT id FROM users WHERE id = $1 AND org_id = $2")
                    .bind(u.to_string())
                    .bind(org.to_string())
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            if row.is_none() {
                return Err(Error::invalid("requested_by", "err-choice"));
            }
            u
        }
    };
    let key = people::data_key(ctx, &mut tx.tx, person).await?;
    let ext_id = uuid::Uuid::now_v7().to_string();
    let sealed = key.seal(
        reason.as_bytes(),
        format!("stay_extension:{ext_id}").as_bytes(),
    );
    sqlx::query(
        "INSERT INTO stay_extensions (id, placement_id, old_until, new_until, sealed, \
         requested_by, approved_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&ext_id)
    .bind(id.to_string())
    .bind(&old_until)
    .bind(dates::format(new_until))
    .bind(sealed)
    .bind(requester.to_string())
    .bind(approver.to_string())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query("UPDATE placements SET stay_until = $1 WHERE id = $2")
        .bind(dates::format(new_until))
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    tx.log(
        ctx,
        actor,
        "placement.extend",
        "placement",
        &[id.to_string(), ext_id],
    )
    .await?;
    let mut p = load_placement(ctx, &mut tx.tx, id).await?;
    p.extensions = extensions(ctx, &mut tx.tx, id, person).await?;
    tx.commit().await?;
    Ok(p)
}

/// Extensions granted during any stay of the placement's case, oldest first.
async fn extensions(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    placement: PlacementId,
    person: PersonId,
) -> Result<Vec<Extension>> {
    type R = (String, String, String, Vec<u8>, String, String, i64);
    let rows: Vec<R> = sqlx::query_as(
        "SELECT e.id, e.old_until, e.new_until, e.sealed, e.requested_by, e.approved_by, e.at \
         FROM stay_extensions e WHERE e.placement_id IN (SELECT x.id FROM placements x \
         WHERE x.case_id = (SELECT y.case_id FROM placements y WHERE y.id = $1)) ORDER BY e.at",
    )
    .bind(placement.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let key = match people::data_key(ctx, &mut *conn, person).await {
        Ok(k) => Some(k),
        Err(Error::Erased) => None,
        Err(e) => return Err(e),
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let reason = match &key {
            Some(k) => Some(
                String::from_utf8(k.open(&r.3, format!("stay_extension:{}", r.0).as_bytes())?)
                    .map_err(anyhow::Error::from)?,
            ),
            None => None,
        };
        let name = |id: &str| id.to_owned();
        out.push(Extension {
            old_until: r.1,
            new_until: r.2,
            reason,
            requested_by: name(&r.4),
            approved_by: name(&r.5),
            at: r.6,
        });
    }
    // Show who asked and who approved by display name where the account still exists.
    for ext in &mut out {
        for who in [&mut ext.requested_by, &mut ext.approved_by] {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
                    .bind(who.as_str())
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some((n,)) = row {
                *who = n;
            }
        }
    }
    Ok(out)
}

/// The current placement of a case with its countdown and extensions, for the case page;
/// none when the case holds no place. The caller has checked that the actor may see the
/// case and audits the read.
pub async fn placement_for_case(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
) -> Result<Option<Placement>> {
    let row: Option<PlacementRow> = sqlx::query_as(&format!(
        "SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE pl.case_id = $1 \
         AND pl.discharged_on IS NULL"
    ))
    .bind(case_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            let mut p = placement_from(ctx, today(ctx), r)?;
            p.extensions = extensions(ctx, conn, p.id, p.person_id).await?;
            Ok(Some(p))
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
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT c.id FROM cases c WHERE c.org_id = $1 AND {} AND c.id = $3",
        crate::people::visible_sql!("c.person_id")
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(case_id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    row.ok_or(Error::NotFound)?;
    let p = placement_for_case(ctx, &mut tx.tx, case_id).await?;
    let ids: Vec<String> = p.iter().map(|p| p.id.to_string()).collect();
    tx.log(ctx, actor, "placement.read", "placement", &ids)
        .await?;
    tx.commit().await?;
    Ok(p)
}

async fn pending_requests(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
) -> Result<Vec<(PersonId, ExtensionRequest)>> {
    type R = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Vec<u8>,
        Option<String>,
        i64,
        Option<String>,
        Option<Vec<u8>>,
        String,
    );
    let rows: Vec<R> = sqlx::query_as(&format!(
        "SELECT r.id, r.placement_id, pl.person_id, s.name, sp.label, pl.stay_until, \
         r.new_until, r.sealed, u.display_name, r.requested_at, p.data_key, p.sealed, \
         r.requested_by FROM stay_extension_requests r \
         JOIN placements pl ON pl.id = r.placement_id \
         JOIN shelter_sites s ON s.id = pl.site_id \
         JOIN shelter_places sp ON sp.id = pl.place_id \
         JOIN persons p ON p.id = pl.person_id \
         LEFT JOIN users u ON u.id = r.requested_by \
         WHERE s.operator_org = $1 AND {} AND r.status = 'pending' \
         AND pl.discharged_on IS NULL ORDER BY r.requested_at, r.id",
        crate::people::visible_sql!("pl.person_id")
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let person: PersonId = parse_db(&r.2)?;
        let reason = match people::data_key(ctx, &mut *conn, person).await {
            Ok(k) => Some(
                String::from_utf8(k.open(&r.7, format!("stay_extension:{}", r.0).as_bytes())?)
                    .map_err(anyhow::Error::from)?,
            ),
            Err(Error::Erased) => None,
            Err(e) => return Err(e),
        };
        out.push((
            person,
            ExtensionRequest {
                id: parse_db(&r.0)?,
                placement_id: parse_db(&r.1)?,
                person_label: label_of(ctx, person, r.10.as_deref(), r.11.as_deref())?,
                site_name: r.3,
                place_label: r.4,
                stay_until: r.5,
                new_until: r.6,
                reason,
                requested_by: r.8.unwrap_or(r.12),
                requested_at: r.9,
            },
        ));
    }
    Ok(out)
}

/// Asks for a stay to be extended; an approver decides (see [`decide_extension`]).
pub async fn request_extension(
    ctx: &Ctx,
    actor: &Actor,
    id: PlacementId,
    input: &ExtensionRequestInput,
) -> Result<ExtensionRequest> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let mut e = Errors::default();
    let new_until = e.take(dates::parse_input(
        input.new_until.as_deref().unwrap_or_default(),
        "new_until",
    ));
    let reason = e.take(required_text(&input.reason, "reason", 4000));
    e.finish()?;
    let (Some(new_until), Some(reason)) = (new_until, reason) else {
        return Err(Error::Internal(anyhow::anyhow!("request input incomplete")));
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let (_, person, until) = own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    let Some(until) = until else {
        return Err(Error::Conflict("err-no-stay-limit"));
    };
    if new_until <= parse_date_db(&until)? {
        return Err(Error::invalid("new_until", "err-extension-not-later"));
    }
    let pending: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM stay_extension_requests WHERE placement_id = $1 AND status = 'pending'",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    if pending.is_some() {
        return Err(Error::Conflict("err-extension-pending"));
    }
    let key = people::data_key(ctx, &mut tx.tx, person).await?;
    let req_id = uuid::Uuid::now_v7();
    let sealed = key.seal(
        reason.as_bytes(),
        format!("stay_extension:{req_id}").as_bytes(),
    );
    sqlx::query(
        "INSERT INTO stay_extension_requests (id, placement_id, new_until, sealed, \
         requested_by, requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
    )
    .bind(req_id.to_string())
    .bind(id.to_string())
    .bind(dates::format(new_until))
    .bind(sealed)
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() || d.message().contains("UNIQUE") => {
            Error::Conflict("err-extension-pending")
        }
        _ => Error::from(e),
    })?;
    tx.log(
        ctx,
        actor,
        "placement.extension_request",
        "placement",
        &[id.to_string(), req_id.to_string()],
    )
    .await?;
    let (_, r) = pending_requests(ctx, &mut tx.tx, org)
        .await?
        .into_iter()
        .find(|(_, r)| r.id == req_id)
        .ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(r)
}

/// Approves or refuses an extension request. Only an approver holding
/// [`Permission::StayExtensionApprove`]; approval extends the stay and records who asked
/// and who approved.
pub async fn decide_extension(
    ctx: &Ctx,
    actor: &Actor,
    request: uuid::Uuid,
    approve: bool,
) -> Result<Placement> {
    actor.require(Permission::StayExtensionApprove)?;
    let org = actor.require_org()?;
    let approver = actor.user_id.ok_or(Error::Forbidden)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<(String, String, Vec<u8>, String, String)> = sqlx::query_as(
        "SELECT r.placement_id, r.new_until, r.sealed, r.requested_by, r.status \
         FROM stay_extension_requests r JOIN placements pl ON pl.id = r.placement_id \
         JOIN shelter_sites s ON s.id = pl.site_id WHERE r.id = $1 AND s.operator_org = $2",
    )
    .bind(request.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let (placement, new_until, sealed, requested_by, status) = row.ok_or(Error::NotFound)?;
    if status != "pending" {
        return Err(Error::Conflict("err-extension-decided"));
    }
    let placement: PlacementId = parse_db(&placement)?;
    let now = ctx.clock.now_ts();
    if approve {
        let (_, _, until) =
            own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), placement).await?;
        let Some(old_until) = until else {
            return Err(Error::Conflict("err-no-stay-limit"));
        };
        if parse_date_db(&new_until)? <= parse_date_db(&old_until)? {
            return Err(Error::Conflict("err-extension-not-later"));
        }
        sqlx::query(
            "INSERT INTO stay_extensions (id, placement_id, old_until, new_until, sealed, \
             requested_by, approved_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(request.to_string())
        .bind(placement.to_string())
        .bind(&old_until)
        .bind(&new_until)
        .bind(sealed)
        .bind(&requested_by)
        .bind(approver.to_string())
        .bind(now)
        .execute(&mut *tx.tx)
        .await?;
        sqlx::query("UPDATE placements SET stay_until = $1 WHERE id = $2")
            .bind(&new_until)
            .bind(placement.to_string())
            .execute(&mut *tx.tx)
            .await?;
    }
    sqlx::query(
        "UPDATE stay_extension_requests SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4",
    )
    .bind(if approve { "approved" } else { "refused" })
    .bind(approver.to_string())
    .bind(now)
    .bind(request.to_string())
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        if approve {
            "placement.extend"
        } else {
            "placement.extension_refuse"
        },
        "placement",
        &[placement.to_string(), request.to_string()],
    )
    .await?;
    let mut p = load_placement(ctx, &mut tx.tx, placement).await?;
    p.extensions = extensions(ctx, &mut tx.tx, placement, p.person_id).await?;
    tx.commit().await?;
    Ok(p)
}

// ---------------------------------------------------------------------------------------
// Use cases: the waiting list

/// The organisation's waiting list, most urgent and longest waiting first.
pub async fn waiting_list(ctx: &Ctx, actor: &Actor) -> Result<Vec<WaitingEntry>> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let list = waiting_entries(ctx, &mut tx.tx, org).await?;
    let ids: Vec<String> = list.iter().map(|w| w.id.to_string()).collect();
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
    let mut e = Errors::default();
    let case_id: Option<CaseId> = e.take(parse_id_field(&input.case_id, "case_id"));
    let site_id: Option<SiteId> = match input.site_id.as_deref().map(str::trim).unwrap_or_default()
    {
        "" => None,
        s => e.take(
            s.parse()
                .map_err(|_| FieldError::new("site_id", "err-choice")),
        ),
    };
    let priority = e.take(
        input
            .priority
            .as_deref()
            .map(str::trim)
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|p| (1..=3).contains(p))
            .ok_or(FieldError::new("priority", "err-priority")),
    );
    let source = e.take(required_text(
        &input.referral_source,
        "referral_source",
        200,
    ));
    e.finish()?;
    let (Some(case_id), Some(priority), Some(source)) = (case_id, priority, source) else {
        return Err(Error::Internal(anyhow::anyhow!("waiting input incomplete")));
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), case_id).await?;
    if let Some(s) = site_id {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM shelter_sites WHERE id = $1 AND operator_org = $2 AND active = 1",
        )
        .bind(s.to_string())
        .bind(org.to_string())
        .fetch_optional(&mut *tx.tx)
        .await?;
        if row.is_none() {
            return Err(Error::invalid("site_id", "err-choice"));
        }
    }
    let waiting: Option<(String,)> =
        sqlx::query_as("SELECT id FROM waiting_list WHERE case_id = $1 AND status = 'waiting'")
            .bind(case_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    if waiting.is_some() {
        return Err(Error::Conflict("err-already-waiting"));
    }
    let placed: Option<(String,)> =
        sqlx::query_as("SELECT id FROM placements WHERE person_id = $1 AND discharged_on IS NULL")
            .bind(case.person_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    if placed.is_some() {
        return Err(Error::Conflict("err-person-placed"));
    }
    let id = WaitingId::new();
    sqlx::query(
        "INSERT INTO waiting_list (id, case_id, site_id, priority, referral_source, added_at, \
         status) VALUES ($1, $2, $3, $4, $5, $6, 'waiting')",
    )
    .bind(id.to_string())
    .bind(case_id.to_string())
    .bind(site_id.map(|s| s.to_string()))
    .bind(priority)
    .bind(&source)
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "waiting_list.add",
        "waiting_list",
        &[id.to_string()],
    )
    .await?;
    let entry = waiting_entries(ctx, &mut tx.tx, org)
        .await?
        .into_iter()
        .find(|w| w.id == id)
        .ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(entry)
}

async fn own_waiting(conn: &mut sqlx::AnyConnection, org: OrgId, id: WaitingId) -> Result<CaseId> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT w.case_id, w.status FROM waiting_list w JOIN cases c ON c.id = w.case_id \
         WHERE w.id = $1 AND c.org_id = $2",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let (case, status) = row.ok_or(Error::NotFound)?;
    if status != "waiting" {
        return Err(Error::Conflict("err-not-waiting"));
    }
    parse_db(&case)
}

/// Takes an entry off the waiting list without admitting it.
pub async fn remove_from_waiting_list(ctx: &Ctx, actor: &Actor, id: WaitingId) -> Result<()> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    own_waiting(&mut tx.tx, org, id).await?;
    sqlx::query("UPDATE waiting_list SET status = 'removed', closed_at = $1 WHERE id = $2")
        .bind(ctx.clock.now_ts())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    tx.log(
        ctx,
        actor,
        "waiting_list.remove",
        "waiting_list",
        &[id.to_string()],
    )
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
    let site_id: SiteId =
        parse_id_field(&input.site_id, "site_id").map_err(|f| Error::Invalid(vec![f]))?;
    let mut tx = AuditTx::begin(ctx).await?;
    let case_id = own_waiting(&mut tx.tx, org, id).await?;
    let case = shelter_case(&mut tx.tx, org, ctx.clock.now_ts(), case_id).await?;
    let site: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM shelter_sites WHERE id = $1 AND operator_org = $2 AND active = 1",
    )
    .bind(site_id.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    if site.is_none() {
        return Err(Error::invalid("site_id", "err-choice"));
    }
    let place: Option<(String,)> = sqlx::query_as(
        "SELECT sp.id FROM shelter_places sp WHERE sp.site_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM placements x WHERE x.place_id = sp.id AND x.discharged_on IS NULL) \
         ORDER BY LENGTH(sp.label), sp.label LIMIT 1",
    )
    .bind(site_id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let place: PlaceId = parse_db(&place.ok_or(Error::Conflict("err-site-full"))?.0)?;
    let pid = insert_placement(ctx, &mut tx, actor, case_id, &case, site_id, place, None).await?;
    let done = sqlx::query(
        "UPDATE waiting_list SET status = 'admitted', closed_at = $1 WHERE id = $2 \
         AND status = 'waiting'",
    )
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Error::Conflict("err-not-waiting"));
    }
    tx.log(
        ctx,
        actor,
        "placement.admit",
        "placement",
        &[pid.to_string(), id.to_string()],
    )
    .await?;
    let p = load_placement(ctx, &mut tx.tx, pid).await?;
    tx.commit().await?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn countdown_reaches_the_alert_points() {
        let until = Some(date!(2028 - 02 - 28));
        let pts = alert_points("90,30");
        assert_eq!(pts, vec![90, 30]);
        assert_eq!(
            countdown(date!(2027 - 11 - 29), until, &pts),
            (Some(91), None)
        );
        assert_eq!(
            countdown(date!(2027 - 11 - 30), until, &pts),
            (Some(90), Some(90))
        );
        assert_eq!(
            countdown(date!(2028 - 01 - 29), until, &pts),
            (Some(30), Some(30))
        );
        assert_eq!(
            countdown(date!(2028 - 03 - 01), until, &pts),
            (Some(-2), Some(30))
        );
        assert_eq!(countdown(date!(2028 - 01 - 01), None, &pts), (None, None));
    }

    #[test]
    fn occupancy_counts_nights_up_to_the_discharge() {
        let today = date!(2027 - 03 - 10);
        let stays = [
            (date!(2027 - 02 - 27), Some(date!(2027 - 03 - 02))),
            (date!(2027 - 03 - 05), None),
        ];
        let m = monthly_occupancy(today, 2, &stays, 2);
        assert_eq!(m[0].month, "2027-02");
        assert_eq!(m[0].days, 28);
        assert_eq!(m[0].place_days, 2);
        assert_eq!(m[1].month, "2027-03");
        assert_eq!(m[1].days, 10);
        // The night of 1 March for the first stay (it ends on the 2nd), 5 to 10 March
        // for the second.
        assert_eq!(m[1].place_days, 1 + 6);
        assert_eq!(m[1].capacity_days, 20);
        assert_eq!(m[1].rate_percent, 35);
    }
}
