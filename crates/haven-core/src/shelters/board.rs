//! What a shelter organisation sees: the board of its sites (stays ending, the waiting list,
//! extension requests) and one site's page (its places, who holds them, its occupancy).
//!
//! Both list persons, so both write one event naming every stay, entry and person shown.

use std::collections::{HashMap, HashSet};
use time::{Date, Duration};

use super::extensions::pending_requests;
use super::model::{
    alert_points, Board, CaseChoice, FreePlace, MonthOccupancy, PlaceView, Placement, Site,
    SiteDetail, SiteLoad,
};
use super::store::{
    parse_date, parse_opt_date, placements_where, today, AnyId, PlacementRow, SiteRow, SITE_COLS,
    SITE_FROM,
};
use super::waiting::waiting_entries;
use crate::audit::AuditTx;
use crate::ids::{CaseId, OrgId, PersonId, PlaceId, PlacementId, ProgrammeId, SiteId};
use crate::people::PersonPart;
use crate::{dates, Actor, Ctx, Error, Permission, Result};

/// The shelter board: the organisation's sites, stays ending, the waiting list.
pub async fn board(ctx: &Ctx, actor: &Actor) -> Result<Board> {
    actor.require(Permission::ShelterRead)?;
    let org = actor.require_org()?;
    let today = today(ctx);
    // The board is read before the audit transaction, so its queries do not hold the chain
    // head; nothing is returned unless the event naming every person shown has committed.
    let mut conn = ctx.db.pool.acquire().await?;
    let sites = site_loads(ctx, &mut conn, org, None).await?;
    let ending = stays_ending(ctx, &mut conn, org, today).await?;
    let (waiting, candidates) = if actor.can(Permission::ShelterManage) {
        (
            waiting_entries(ctx, &mut conn, org).await?,
            candidates(ctx, &mut conn, org).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let extension_requests = pending_requests(ctx, &mut conn, org).await?;
    drop(conn);
    // The event names the stays, entries and requests shown, and every person whose data
    // the board returns: those of the stays, the waiting list, the requests and the
    // candidates.
    let mut ids: Vec<AnyId> = ending.iter().map(|p| &p.id as AnyId).collect();
    ids.extend(waiting.iter().map(|w| &w.id as AnyId));
    ids.extend(
        extension_requests
            .iter()
            .map(|(_, r)| &r.placement_id as AnyId),
    );
    let persons = ending
        .iter()
        .map(|p| &p.person_id)
        .chain(waiting.iter().map(|w| &w.person_id))
        .chain(extension_requests.iter().map(|(p, _)| p))
        .chain(candidates.iter().map(|(p, _)| p));
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

/// Current stays of the organisation's persons that reached an alert point or passed their
/// end, soonest end first.
async fn stays_ending(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    today: Date,
) -> Result<Vec<Placement>> {
    // Only stays within reach of the largest alert point of any programme are read (and
    // their names opened); the exact alert is then decided per programme.
    let points: Vec<String> = sqlx::query_scalar("SELECT alert_days FROM programmes")
        .fetch_all(&mut *conn)
        .await?;
    let reach = points
        .iter()
        .flat_map(|p| alert_points(p))
        .max()
        .unwrap_or(0);
    let horizon = dates::format(today + Duration::days(reach));
    let rows: Vec<PlacementRow> = sqlx::query_as(&placements_where(concat!(
        "s.operator_org = $1 AND ",
        crate::people::visible_sql!("pl.person_id"),
        " AND s.active = 1 AND pl.discharged_on IS NULL AND pl.stay_until IS NOT NULL \
         AND pl.stay_until <= $3 ORDER BY pl.stay_until, pl.id"
    )))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(horizon)
    .fetch_all(&mut *conn)
    .await?;
    let mut ending = Vec::new();
    for r in rows {
        let p = r.into_placement(ctx, today)?;
        if p.alert.is_some() || p.days_left.is_some_and(|d| d < 0) {
            ending.push(p);
        }
    }
    Ok(ending)
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
    let (places, occupants) = places(ctx, &mut tx.tx, org, id, today).await?;
    let occupancy = occupancy(&mut tx.tx, id, today, load.site.capacity).await?;
    let (candidates, free_places) = if actor.can(Permission::ShelterManage) {
        (
            candidates(ctx, &mut tx.tx, org).await?,
            free_places(&mut tx.tx, org).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    // The stays shown, and every person shown: the occupants and the candidates.
    let mut ids: Vec<AnyId> = occupants.iter().map(|(s, _)| s as AnyId).collect();
    push_persons(
        &mut ids,
        occupants
            .iter()
            .map(|(_, p)| p)
            .chain(candidates.iter().map(|(p, _)| p)),
    );
    tx.log(ctx, actor, "shelter.site", "placement", &ids)
        .await?;
    tx.commit().await?;
    Ok(SiteDetail {
        today: dates::format(today),
        load,
        places,
        occupancy,
        candidates: candidates.into_iter().map(|(_, c)| c).collect(),
        free_places,
    })
}

/// Adds the ids of the persons a list shows to its audit event's ids, each once.
fn push_persons<'a>(ids: &mut Vec<AnyId<'a>>, persons: impl IntoIterator<Item = &'a PersonId>) {
    let mut seen = HashSet::new();
    for p in persons {
        if seen.insert(*p) {
            ids.push(p);
        }
    }
}

#[derive(sqlx::FromRow)]
struct SiteLoadRow {
    #[sqlx(flatten)]
    site: SiteRow,
    taken: i64,
    arrivals_today: i64,
    arrivals_week: i64,
    departures_today: i64,
    departures_week: i64,
}

/// The organisation's active sites (or only `only`) with their places taken and this
/// week's arrivals and departures.
async fn site_loads(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    only: Option<SiteId>,
) -> Result<Vec<SiteLoad>> {
    let today = today(ctx);
    let sql = format!(
        "SELECT {SITE_COLS}, \
         (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.discharged_on IS NULL) AS taken, \
         (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.admitted_on = $2) AS arrivals_today, \
         (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.admitted_on >= $3 AND x.admitted_on <= $2) AS arrivals_week, \
         (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.discharged_on = $2) AS departures_today, \
         (SELECT COUNT(*) FROM placements x WHERE x.site_id = s.id AND x.discharged_on >= $3 AND x.discharged_on <= $2) AS departures_week \
         FROM {SITE_FROM} WHERE s.operator_org = $1 AND s.active = 1 {} ORDER BY s.name",
        if only.is_some() { "AND s.id = $4" } else { "" }
    );
    let monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let mut q = sqlx::query_as::<_, SiteLoadRow>(&sql)
        .bind(org)
        .bind(dates::format(today))
        .bind(dates::format(monday));
    if let Some(s) = only {
        q = q.bind(s);
    }
    Ok(q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            let site = Site::from(r.site);
            SiteLoad {
                free: (site.capacity - r.taken).max(0),
                site,
                taken: r.taken,
                arrivals_today: r.arrivals_today,
                arrivals_week: r.arrivals_week,
                departures_today: r.departures_today,
                departures_week: r.departures_week,
            }
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PlaceRow {
    id: PlaceId,
    label: String,
    /// 0 or 1. Not a `Flag`: PostgreSQL types the `CASE` as INTEGER, and `Flag` accepts
    /// only the BIGINT of a stored flag column.
    taken: i64,
}

/// A site's places in label order, with their occupants where the organisation sees them
/// as its own; also the stays and persons shown, for the audit event.
async fn places(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    site: SiteId,
    today: Date,
) -> Result<(Vec<PlaceView>, Vec<(PlacementId, PersonId)>)> {
    // Each place, and whether anybody holds it now (whoever it is).
    let places: Vec<PlaceRow> = sqlx::query_as(
        "SELECT sp.id, sp.label, CASE WHEN EXISTS (SELECT 1 FROM placements x \
           WHERE x.place_id = sp.id AND x.discharged_on IS NULL) THEN 1 ELSE 0 END AS taken \
         FROM shelter_places sp WHERE sp.site_id = $1 ORDER BY LENGTH(sp.label), sp.label",
    )
    .bind(site)
    .fetch_all(&mut *conn)
    .await?;
    // Who holds a place is shown only for persons the organisation sees as its own; a
    // place held by anyone else is shown as taken, without a name.
    let current: Vec<PlacementRow> = sqlx::query_as(&placements_where(concat!(
        "s.operator_org = $1 AND ",
        crate::people::visible_sql!("pl.person_id"),
        " AND pl.site_id = $3 AND pl.discharged_on IS NULL"
    )))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(site)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_place = HashMap::new();
    for r in current {
        let p = r.into_placement(ctx, today)?;
        by_place.insert(p.place_id, p);
    }
    let shown = by_place.values().map(|p| (p.id, p.person_id)).collect();
    let views = places
        .into_iter()
        .map(|r| PlaceView {
            id: r.id,
            label: r.label,
            taken: r.taken != 0,
            occupant: by_place.remove(&r.id),
        })
        .collect();
    Ok((views, shown))
}

#[derive(sqlx::FromRow)]
struct StayDates {
    admitted_on: String,
    discharged_on: Option<String>,
}

/// A site's occupancy in each of the past 12 months, this one included.
async fn occupancy(
    conn: &mut sqlx::AnyConnection,
    site: SiteId,
    today: Date,
    capacity: i64,
) -> Result<Vec<MonthOccupancy>> {
    let window_start = dates::format(dates::add_months(
        today.replace_day(1).unwrap_or(today),
        -11,
    ));
    let stays: Vec<StayDates> = sqlx::query_as(
        "SELECT admitted_on, discharged_on FROM placements WHERE site_id = $1 \
         AND (discharged_on IS NULL OR discharged_on >= $2)",
    )
    .bind(site)
    .bind(&window_start)
    .fetch_all(&mut *conn)
    .await?;
    let stays = stays
        .iter()
        .map(|s| {
            Ok((
                parse_date(&s.admitted_on)?,
                parse_opt_date(s.discharged_on.as_deref())?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(monthly_occupancy(today, capacity, &stays, 12))
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

#[derive(sqlx::FromRow)]
struct ProgrammeRow {
    id: ProgrammeId,
    name: String,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: CaseId,
    programme_id: ProgrammeId,
    #[sqlx(flatten)]
    person: PersonPart,
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
    let programmes: Vec<ProgrammeRow> =
        sqlx::query_as("SELECT id, name FROM programmes WHERE includes_shelter = 1")
            .fetch_all(&mut *conn)
            .await?;
    if programmes.is_empty() {
        return Ok(Vec::new());
    }
    let names: HashMap<ProgrammeId, String> =
        programmes.into_iter().map(|p| (p.id, p.name)).collect();
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
    let mut q = sqlx::query_as::<_, CandidateRow>(&sql)
        .bind(org)
        .bind(ctx.clock.now_ts());
    for id in names.keys() {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|r| {
            let choice = CaseChoice {
                case_id: r.id,
                person_label: r.person.label(ctx)?,
                programme: names
                    .get(&r.programme_id)
                    .cloned()
                    .unwrap_or_else(|| r.programme_id.to_string()),
            };
            Ok((r.person.id, choice))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct FreePlaceRow {
    place_id: PlaceId,
    site_id: SiteId,
    site_name: String,
    label: String,
}

/// The free places of the organisation's active sites, for moving someone.
async fn free_places(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<Vec<FreePlace>> {
    let rows: Vec<FreePlaceRow> = sqlx::query_as(
        "SELECT sp.id AS place_id, s.id AS site_id, s.name AS site_name, sp.label \
         FROM shelter_places sp \
         JOIN shelter_sites s ON s.id = sp.site_id WHERE s.operator_org = $1 AND s.active = 1 \
         AND NOT EXISTS (SELECT 1 FROM placements x WHERE x.place_id = sp.id AND x.discharged_on IS NULL) \
         ORDER BY s.name, LENGTH(sp.label), sp.label LIMIT 2000",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FreePlace {
            place_id: r.place_id,
            site_id: r.site_id,
            site_name: r.site_name,
            label: r.label,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

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
