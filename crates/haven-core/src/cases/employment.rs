//! Employment follow-up: periods of employment, and the status 6, 12 and 24 months after
//! the start of the programme computed from them (never stored).

use time::Date;

use super::input::EpisodeInput;
use super::model::{Contract, Employment, EmploymentStatus, FollowUp, FOLLOW_UP_MONTHS};
use super::store::{case_org, finish_change, load_open, EpisodeRow, FileReader};
use crate::audit::AuditTx;
use crate::ids::{CaseId, EpisodeId};
use crate::{dates, Actor, Ctx, Permission, Result};

/// One employment period as the computation needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Option<Date>,
    pub contract: Contract,
}

/// The status `months` after `start`, as of `today`: employed when an episode covers that
/// day, not employed when none does, not yet reached when the day is still to come.
pub fn status_at(
    start: Date,
    months: i64,
    periods: &[Period],
    today: Date,
) -> (Date, EmploymentStatus, Option<Contract>) {
    let at = dates::add_months(start, months);
    if at > today {
        return (at, EmploymentStatus::NotYetReached, None);
    }
    let covering = periods
        .iter()
        .filter(|p| p.start <= at && p.end.is_none_or(|e| e >= at))
        // A fixed contract, where there is one, says more than a temporary one.
        .max_by_key(|p| matches!(p.contract, Contract::Fixed));
    match covering {
        Some(p) => (at, EmploymentStatus::Employed, Some(p.contract)),
        None => (at, EmploymentStatus::NotEmployed, None),
    }
}

/// Records a period of employment; the 6/12/24-month status follows from these.
pub async fn add_episode(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &EpisodeInput,
) -> Result<EpisodeId> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let v = input.parse()?;
    let eid = EpisodeId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    load_open(&mut tx, ctx, org, id).await?;
    sqlx::query(
        "INSERT INTO employment_episodes (id, case_id, start_on, end_on, contract, sector, \
         hours_per_week, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(eid)
    .bind(id)
    .bind(dates::format(v.start))
    .bind(v.end.map(dates::format))
    .bind(v.contract.as_str())
    .bind(&v.sector)
    .bind(v.hours)
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    finish_change(tx, ctx, actor, id, "case.employment.add", &eid, false).await?;
    Ok(eid)
}

const EPISODES: &str = "SELECT id, start_on, end_on, contract, sector, hours_per_week, created_at \
     FROM employment_episodes WHERE case_id = $1 ORDER BY start_on, id";

/// The episodes of a case by start, each also a line of the case's history (when it was
/// recorded), and the follow-up moments counted from `start_date`, the start of the
/// programme (`YYYY-MM-DD`).
pub(super) async fn read(
    f: &mut FileReader<'_>,
    start_date: &str,
    today: Date,
) -> Result<Employment> {
    let rows: Vec<EpisodeRow> = f.rows(EPISODES).await?;
    let mut episodes = Vec::with_capacity(rows.len());
    let mut periods = Vec::new();
    for r in rows {
        let e = r.episode;
        if let Some(start) = dates::parse_stored(&e.start_on) {
            periods.push(Period {
                start,
                end: e.end_on.as_deref().and_then(dates::parse_stored),
                contract: e.contract,
            });
        }
        f.record(r.created_at, "employment", None);
        episodes.push(e);
    }
    let follow_up = match dates::parse_stored(start_date) {
        Some(start) => FOLLOW_UP_MONTHS
            .iter()
            .map(|m| {
                let (d, status, contract) = status_at(start, *m, &periods, today);
                FollowUp {
                    months: *m,
                    date: dates::format(d),
                    status,
                    contract,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Employment {
        episodes,
        follow_up,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn follow_up_moments_clamp_at_month_ends_and_leap_days() {
        let start = date!(2027 - 08 - 31);
        let p = [Period {
            start: date!(2028 - 01 - 10),
            end: Some(date!(2028 - 02 - 29)),
            contract: Contract::Temporary,
        }];
        let today = date!(2030 - 01 - 01);
        assert_eq!(
            status_at(start, 6, &p, today),
            (
                date!(2028 - 02 - 29),
                EmploymentStatus::Employed,
                Some(Contract::Temporary)
            )
        );
        assert_eq!(
            status_at(start, 12, &p, today).1,
            EmploymentStatus::NotEmployed
        );
        assert_eq!(status_at(start, 24, &p, today).0, date!(2029 - 08 - 31));
        assert_eq!(
            status_at(start, 6, &p, date!(2028 - 02 - 28)).1,
            EmploymentStatus::NotYetReached
        );
    }
}
