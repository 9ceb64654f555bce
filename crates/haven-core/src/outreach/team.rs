//! The team lead's figures: contacts and people by area and week, follow-ups due, this
//! year's totals, and what became of the referral lines. Counts only: no alias, no free
//! text. The referral lines per target are one table for [`Disclosure`] (signposted, waiting,
//! declined, accepted, and each result), so every count shown of them, their total
//! included, gives no small count away; targets are listed by name, since an order by size
//! would place a withheld count between two shown ones.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration, Month, OffsetDateTime};

use super::store::{areas, target_names};
use crate::audit::AuditTx;
use crate::referrals::ReferralResult;
use crate::stats::{Count, Disclosure, Table};
use crate::{Actor, Ctx, Permission, Result};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaWeek {
    pub area: String,
    /// The Monday the week starts, `YYYY-MM-DD`.
    pub week: String,
    pub contacts: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = OutreachFollowUp)]
pub struct FollowUp {
    pub contact_id: String,
    pub followup_at: i64,
    pub area: String,
    pub people: i64,
}

/// The referral lines to one target this year, and what became of the consented ones,
/// each count through [`Disclosure`]: the outcomes happen at another organisation, to few
/// people.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralCount {
    pub kind: String,
    pub target_id: String,
    pub name: String,
    /// All lines to this target.
    pub referrals: Count,
    /// Lines that stayed signposting: the person was told where to go, nothing shared.
    pub signposted: Count,
    /// Lines turned into a referral with the person's recorded consent.
    pub referred_with_consent: Count,
    /// Of those: accepted by the receiving organisation (also when completed later).
    pub accepted: Count,
    pub declined: Count,
    /// Completed, by result.
    pub helped: Count,
    pub no_show: Count,
    pub not_eligible: Count,
    pub referred_on: Count,
}

/// Figures for the team lead. Counts only, and follow-ups by area and time: no alias, no
/// free text. Referral outcomes join through `outreach_referrals.referral_id`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamView {
    pub weeks: Vec<AreaWeek>,
    pub followups: Vec<FollowUp>,
    pub year: i32,
    pub contacts_this_year: i64,
    pub counselling_this_year: i64,
    pub people_this_year: i64,
    pub referrals: Vec<ReferralCount>,
}

/// The days the figures cover.
struct Period {
    /// The Monday of the first week shown.
    start_ts: i64,
    year: i32,
    /// The first of January.
    year_ts: i64,
}

fn monday(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

fn midnight(d: Date) -> i64 {
    d.midnight().assume_utc().unix_timestamp()
}

impl Period {
    fn new(today: Date, weeks: i64) -> Result<Self> {
        let start = monday(today) - Duration::weeks(weeks - 1);
        let year = today.year();
        let first =
            Date::from_calendar_date(year, Month::January, 1).map_err(anyhow::Error::from)?;
        Ok(Period {
            start_ts: midnight(start),
            year,
            year_ts: midnight(first),
        })
    }
}

/// A contact's unsealed figures.
#[derive(sqlx::FromRow)]
struct ContactRow {
    contact_at: i64,
    area: String,
    people: i64,
    counselling: i64,
}

/// This year's totals: contacts, counselling contacts, people.
#[derive(Default)]
struct Totals {
    contacts: i64,
    counselling: i64,
    people: i64,
}

/// Contacts and people per area and week, newest week first, and this year's totals.
fn tally(
    rows: Vec<ContactRow>,
    period: &Period,
    labels: &HashMap<String, String>,
) -> Result<(Vec<AreaWeek>, Totals)> {
    let mut grid: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    let mut year = Totals::default();
    for r in rows {
        if r.contact_at >= period.year_ts {
            year.contacts += 1;
            year.people += r.people;
            year.counselling += r.counselling;
        }
        if r.contact_at >= period.start_ts {
            let d = OffsetDateTime::from_unix_timestamp(r.contact_at)
                .map_err(anyhow::Error::from)?
                .date();
            let e = grid.entry((monday(d).to_string(), r.area)).or_default();
            e.0 += 1;
            e.1 += r.people;
        }
    }
    let mut weeks: Vec<AreaWeek> = grid
        .into_iter()
        .map(|((week, area), (contacts, people))| AreaWeek {
            area: labels.get(&area).cloned().unwrap_or(area),
            week,
            contacts,
            people,
        })
        .collect();
    weeks.sort_by(|a, b| b.week.cmp(&a.week).then(a.area.cmp(&b.area)));
    Ok((weeks, year))
}

/// One referral line this year, with its consented referral's state when one was made.
#[derive(sqlx::FromRow)]
struct OutcomeRow {
    target_kind: String,
    target_id: String,
    status: Option<String>,
    result: Option<String>,
    accepted_at: Option<i64>,
}

/// The parts one target's lines split into, in this order: signposted, referred and
/// waiting, declined, accepted and open, completed with each result, completed otherwise.
const PARTS: usize = 9;
const SIGNPOSTED: usize = 0;
const WAITING: usize = 1;
const DECLINED: usize = 2;
const ACCEPTED: usize = 3;
const COMPLETED: usize = 8;

fn result_part(r: &str) -> usize {
    match ReferralResult::parse(r) {
        Some(ReferralResult::Helped) => 4,
        Some(ReferralResult::NoShow) => 5,
        Some(ReferralResult::NotEligible) => 6,
        Some(ReferralResult::ReferredOn) => 7,
        None => COMPLETED,
    }
}

/// The figures shown of one target: all, signposted, referred, accepted (also completed),
/// declined, and each result.
fn target_table(cells: [i64; PARTS]) -> Table {
    let figures = vec![
        (0..PARTS).collect(),
        vec![SIGNPOSTED],
        (WAITING..PARTS).collect(),
        (ACCEPTED..PARTS).collect(),
        vec![DECLINED],
        vec![4],
        vec![5],
        vec![6],
        vec![7],
    ];
    Table {
        cells: cells.to_vec(),
        figures,
    }
}

/// The lines per target, by name, with what became of the consented ones.
fn referral_counts(
    lines: Vec<OutcomeRow>,
    names: &HashMap<(String, String), String>,
) -> Vec<ReferralCount> {
    let mut refs: BTreeMap<(String, String), [i64; PARTS]> = BTreeMap::new();
    for l in lines {
        let part = match (l.status.as_deref(), l.result.as_deref(), l.accepted_at) {
            (None, _, _) => SIGNPOSTED,
            (Some("declined"), _, _) => DECLINED,
            (Some("completed"), Some(r), _) => result_part(r),
            (Some("completed"), None, _) => COMPLETED,
            (Some(_), _, Some(_)) => ACCEPTED,
            (Some(_), _, None) => WAITING,
        };
        refs.entry((l.target_kind, l.target_id)).or_default()[part] += 1;
    }
    let disclosure = Disclosure::configured();
    let mut referrals: Vec<ReferralCount> = refs
        .into_iter()
        .map(|((kind, target_id), cells)| {
            let shown = disclosure.publish(&target_table(cells));
            ReferralCount {
                name: names
                    .get(&(kind.clone(), target_id.clone()))
                    .cloned()
                    .unwrap_or_else(|| target_id.clone()),
                kind,
                target_id,
                referrals: shown[0],
                signposted: shown[1],
                referred_with_consent: shown[2],
                accepted: shown[3],
                declined: shown[4],
                helped: shown[5],
                no_show: shown[6],
                not_eligible: shown[7],
                referred_on: shown[8],
            }
        })
        .collect();
    referrals.sort_by(|a, b| a.name.cmp(&b.name).then(a.target_id.cmp(&b.target_id)));
    referrals
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: String,
    followup_at: i64,
    area: String,
    people: i64,
}

/// The team lead's figures over the last `weeks` weeks, follow-ups due in the coming two
/// weeks (and overdue ones of the last two), and this year's totals.
pub async fn team(ctx: &Ctx, actor: &Actor, weeks: i64) -> Result<TeamView> {
    actor.require(Permission::OutreachLead)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now();
    let period = Period::new(now.date(), weeks.clamp(1, 52))?;
    let mut conn = ctx.db.pool.acquire().await?;
    let rows: Vec<ContactRow> = sqlx::query_as(
        "SELECT contact_at, area, people, counselling FROM outreach_contacts \
         WHERE org_id = $1 AND contact_at >= $2",
    )
    .bind(org)
    .bind(period.start_ts.min(period.year_ts))
    .fetch_all(&mut *conn)
    .await?;
    let labels: HashMap<String, String> = areas(&mut conn, org, true)
        .await?
        .into_iter()
        .map(|c| (c.code, c.label))
        .collect();
    let (week_rows, year) = tally(rows, &period, &labels)?;
    let ts = now.unix_timestamp();
    let due: Vec<DueRow> = sqlx::query_as(
        "SELECT id, followup_at, area, people FROM outreach_contacts \
         WHERE org_id = $1 AND followup_at IS NOT NULL AND followup_at >= $2 AND followup_at <= $3 \
         ORDER BY followup_at LIMIT 200",
    )
    .bind(org)
    .bind(ts - 14 * 86_400)
    .bind(ts + 14 * 86_400)
    .fetch_all(&mut *conn)
    .await?;
    let lines: Vec<OutcomeRow> = sqlx::query_as(
        "SELECT o.target_kind, o.target_id, r.status, r.result, r.accepted_at \
         FROM outreach_referrals o LEFT JOIN referrals r \
           ON r.id = o.referral_id AND r.from_org = o.org_id \
         WHERE o.org_id = $1 AND o.contact_at >= $2",
    )
    .bind(org)
    .bind(period.year_ts)
    .fetch_all(&mut *conn)
    .await?;
    let names = target_names(&mut conn).await?;
    drop(conn);
    let referrals = referral_counts(lines, &names);
    let followups: Vec<FollowUp> = due
        .into_iter()
        .map(|d| FollowUp {
            area: labels.get(&d.area).cloned().unwrap_or(d.area),
            contact_id: d.id,
            followup_at: d.followup_at,
            people: d.people,
        })
        .collect();
    // The follow-up lines name contacts: record which were shown.
    if !followups.is_empty() {
        let ids: Vec<&str> = followups.iter().map(|f| f.contact_id.as_str()).collect();
        let mut tx = AuditTx::begin(ctx).await?;
        tx.log(ctx, actor, "outreach.team.read", "outreach_contact", &ids)
            .await?;
        tx.commit().await?;
    }
    Ok(TeamView {
        weeks: week_rows,
        followups,
        year: period.year,
        contacts_this_year: year.contacts,
        counselling_this_year: year.counselling,
        people_this_year: year.people,
        referrals,
    })
}
