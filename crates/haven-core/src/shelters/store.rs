//! Row structs and the queries more than one shelter use case needs: a site and a placement
//! as read, and the checks that a case, place, site or stay belongs to the organisation.

use time::Date;

use super::model::{alert_points, countdown, DischargeReason, Placement, Site};
use crate::db::Flag;
use crate::ids::{CaseId, OrgId, PersonId, PlaceId, PlacementId, SiteId};
use crate::people::PersonPart;
use crate::{dates, Ctx, Error, Result};

/// An id of any kind, for an audit event that names ids of several kinds.
pub(super) type AnyId<'a> = &'a (dyn std::fmt::Display + Sync);

pub(super) fn today(ctx: &Ctx) -> Date {
    ctx.clock.now().date()
}

/// A date as stored (`YYYY-MM-DD`); anything else in the database is an internal error.
pub(super) fn parse_date(s: &str) -> Result<Date> {
    dates::parse_stored(s).ok_or_else(|| Error::Internal(anyhow::anyhow!("malformed date")))
}

pub(super) fn parse_opt_date(s: Option<&str>) -> Result<Option<Date>> {
    s.map(parse_date).transpose()
}

/// Turns a violation of the placements' unique indexes into the rule it protects.
pub(super) fn placement_conflict(e: sqlx::Error) -> Error {
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

// Sites

/// The columns of [`SiteRow`], for a query over [`SITE_FROM`].
pub(super) const SITE_COLS: &str = "s.id, s.name, s.neighbourhood, s.capacity, s.operator_org, \
     o.name AS operator_name, s.target_group, s.active";
pub(super) const SITE_FROM: &str = "shelter_sites s JOIN organisations o ON o.id = s.operator_org";

#[derive(sqlx::FromRow)]
pub(super) struct SiteRow {
    id: SiteId,
    name: String,
    neighbourhood: String,
    capacity: i64,
    operator_org: OrgId,
    operator_name: String,
    target_group: String,
    active: Flag,
}

impl From<SiteRow> for Site {
    fn from(r: SiteRow) -> Site {
        Site {
            id: r.id,
            name: r.name,
            neighbourhood: r.neighbourhood,
            capacity: r.capacity,
            operator_org: r.operator_org,
            operator_name: r.operator_name,
            target_group: r.target_group,
            active: r.active.0,
        }
    }
}

/// A site of the organisation that is active, for putting someone in one of its places.
pub(super) async fn own_active_site(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    site: SiteId,
) -> Result<bool> {
    let row: Option<SiteId> = sqlx::query_scalar(
        "SELECT id FROM shelter_sites WHERE id = $1 AND operator_org = $2 AND active = 1",
    )
    .bind(site)
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// The site of a place, if the organisation operates it and it is active.
pub(super) async fn own_place(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    place: PlaceId,
) -> Result<SiteId> {
    let row: Option<SiteId> = sqlx::query_scalar(
        "SELECT sp.site_id FROM shelter_places sp JOIN shelter_sites s ON s.id = sp.site_id \
         WHERE sp.id = $1 AND s.operator_org = $2 AND s.active = 1",
    )
    .bind(place)
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(Error::NotFound)
}

// Placements

const PLACEMENT_COLS: &str = "pl.id, pl.case_id, pl.person_id, pl.site_id, s.name AS site_name, \
     pl.place_id, sp.label AS place_label, pl.admitted_on, pl.stay_until, pl.discharged_on, \
     pl.discharge_reason, pr.alert_days, p.data_key, p.sealed";
const PLACEMENT_FROM: &str = "placements pl JOIN shelter_sites s ON s.id = pl.site_id \
     JOIN shelter_places sp ON sp.id = pl.place_id JOIN cases c ON c.id = pl.case_id \
     JOIN programmes pr ON pr.id = c.programme_id JOIN persons p ON p.id = pl.person_id";

/// The query for the placements (as [`PlacementRow`]) that `filter` selects.
pub(super) fn placements_where(filter: &str) -> String {
    format!("SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE {filter}")
}

#[derive(sqlx::FromRow)]
pub(super) struct PlacementRow {
    id: PlacementId,
    case_id: CaseId,
    site_id: SiteId,
    site_name: String,
    place_id: PlaceId,
    place_label: String,
    admitted_on: String,
    stay_until: Option<String>,
    discharged_on: Option<String>,
    discharge_reason: Option<String>,
    alert_days: String,
    #[sqlx(flatten)]
    person: PersonPart,
}

impl PlacementRow {
    /// The placement with its countdown to `today` (none once it has ended) and its
    /// person's label; its extensions are left empty.
    pub(super) fn into_placement(self, ctx: &Ctx, today: Date) -> Result<Placement> {
        let stay_until = parse_opt_date(self.stay_until.as_deref())?;
        let (days_left, alert) = if self.discharged_on.is_some() {
            (None, None)
        } else {
            countdown(today, stay_until, &alert_points(&self.alert_days))
        };
        Ok(Placement {
            person_label: self.person.label(ctx)?,
            id: self.id,
            case_id: self.case_id,
            person_id: self.person.id,
            site_id: self.site_id,
            site_name: self.site_name,
            place_id: self.place_id,
            place_label: self.place_label,
            admitted_on: self.admitted_on,
            stay_until: self.stay_until,
            days_left,
            alert,
            discharged_on: self.discharged_on,
            discharge_reason: self
                .discharge_reason
                .as_deref()
                .and_then(DischargeReason::parse),
            extensions: Vec::new(),
        })
    }
}

/// One placement, without its extensions.
pub(super) async fn load_placement(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    id: PlacementId,
) -> Result<Placement> {
    let row: Option<PlacementRow> = sqlx::query_as(&placements_where("pl.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or(Error::NotFound)?.into_placement(ctx, today(ctx))
}

/// The current stay in a place, whoever holds it.
pub(super) async fn stay_at_place(
    conn: &mut sqlx::AnyConnection,
    place: PlaceId,
) -> Result<Option<PlacementId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM placements WHERE place_id = $1 AND discharged_on IS NULL",
    )
    .bind(place)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The current stay of a person, wherever it is.
pub(super) async fn stay_of_person(
    conn: &mut sqlx::AnyConnection,
    person: PersonId,
) -> Result<Option<PlacementId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM placements WHERE person_id = $1 AND discharged_on IS NULL",
    )
    .bind(person)
    .fetch_optional(&mut *conn)
    .await?)
}

/// What a placement needs to know about a case.
pub(super) struct ShelterCase {
    pub id: CaseId,
    pub person_id: PersonId,
    pub max_months: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    person_id: PersonId,
    status: String,
    includes_shelter: Flag,
    max_months: Option<i64>,
}

/// A case of the organisation, open, in a programme with shelter; otherwise not found
/// (another organisation's case) or a conflict saying which rule stands in the way.
/// Only a person the organisation sees as its own (`people::visible_sql!`): access that
/// came through a referral, or has expired, is "not found" here as on the board.
pub(super) async fn shelter_case(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    now: i64,
    case_id: CaseId,
) -> Result<ShelterCase> {
    let row: Option<CaseRow> = sqlx::query_as(concat!(
        "SELECT c.person_id, c.status, pr.includes_shelter, pr.max_months FROM cases c \
         JOIN programmes pr ON pr.id = c.programme_id WHERE c.id = $3 AND c.org_id = $1 AND ",
        crate::people::visible_sql!("c.person_id")
    ))
    .bind(org)
    .bind(now)
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    if row.status != "open" {
        return Err(Error::Conflict("err-case-closed"));
    }
    if !row.includes_shelter.0 {
        return Err(Error::Conflict("err-programme-no-shelter"));
    }
    Ok(ShelterCase {
        id: case_id,
        person_id: row.person_id,
        max_months: row.max_months,
    })
}

/// A current stay, as the actions on it need it.
#[derive(sqlx::FromRow)]
pub(super) struct CurrentStay {
    pub case_id: CaseId,
    pub person_id: PersonId,
    pub stay_until: Option<String>,
    discharged_on: Option<String>,
}

/// A current placement in a site the organisation operates, with its case's limit data.
/// Only of a person the organisation sees as its own (`people::visible_sql!`), as for
/// admitting: a stay whose person it may no longer see is not found.
pub(super) async fn own_current_placement(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    now: i64,
    id: PlacementId,
) -> Result<CurrentStay> {
    let row: Option<CurrentStay> = sqlx::query_as(&format!(
        "SELECT pl.case_id, pl.person_id, pl.stay_until, pl.discharged_on FROM placements pl \
             JOIN shelter_sites s ON s.id = pl.site_id WHERE s.operator_org = $1 AND {} \
             AND pl.id = $3",
        crate::people::visible_sql!("pl.person_id")
    ))
    .bind(org)
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let stay = row.ok_or(Error::NotFound)?;
    if stay.discharged_on.is_some() {
        return Err(Error::Conflict("err-already-discharged"));
    }
    Ok(stay)
}

/// Ends a current stay on `on`; a stay that has already ended is a conflict.
pub(super) async fn mark_discharged(
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
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict("err-already-discharged"));
    }
    Ok(())
}
