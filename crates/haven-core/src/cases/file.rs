//! Reading a whole case file: the head, every subject's entries (each subject's module
//! reads its own), the shelter placements, the case's own timeline and what needs
//! attention. One read is one audit event.

use super::attention::{attention, first_alert, Signals};
use super::model::{
    CaseFile, CaseSummary, Decision, Goal, HistoryEntry, OutcomeDetails, PlacementInfo, Procedure,
    EMPLOYMENT_OUTCOME,
};
use super::store::{load, open, programme_facts, summary_of, today, CaseRow, FileReader};
use super::{employment, legal, notes, perspective, plan};
use crate::audit::AuditTx;
use crate::ids::CaseId;
use crate::{dates, people, Actor, Ctx, Permission, Result};

/// The whole case file. Audited.
pub async fn get(ctx: &Ctx, actor: &Actor, id: CaseId) -> Result<CaseFile> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load(&mut tx, ctx, org, id).await?;
    let file = read_file(&mut tx, ctx, &c).await?;
    tx.log(ctx, actor, "case.read", "case", &[id]).await?;
    tx.commit().await?;
    Ok(file)
}

/// Reads the file of a case loaded in `tx`. A closed case needs no attention.
async fn read_file(tx: &mut AuditTx<'_>, ctx: &Ctx, c: &CaseRow) -> Result<CaseFile> {
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    let today = today(ctx);
    let now = ctx.clock.now_ts();
    let head = summary_of(tx, ctx, c).await?;
    let facts = programme_facts(&mut tx.tx, c.programme_id).await?;
    let outcome_details: Option<OutcomeDetails> = match &c.outcome_sealed {
        Some(s) => Some(open(&key, s, &format!("outcome:{}", c.id))?),
        None => None,
    };
    // The subjects add their lines to the history in this order; the sort below is
    // stable, so lines at the same second keep it.
    let mut f = FileReader {
        conn: &mut tx.tx,
        case: c.id,
        key,
        history: opening_history(&head),
    };
    let perspectives = perspective::read(&mut f).await?;
    let procedures = legal::read(&mut f).await?;
    let goals = plan::read_goals(&mut f, &dates::format(today)).await?;
    let appointments = plan::read_appointments(&mut f, now).await?;
    let notes = notes::read(&mut f).await?;
    let employment = employment::read(&mut f, &head.start_date, today).await?;
    let placements = placements(&mut f, today).await?;
    let mut history = f.history;
    history.extend(closing_history(&head));
    history.sort_by_key(|h| std::cmp::Reverse(h.at));
    let attention = if c.is_open() {
        let alert_days = first_alert(&facts.alert_days);
        let signals = signals(&head, &procedures, &placements, &goals, alert_days);
        attention(signals, today, now)
    } else {
        Vec::new()
    };
    Ok(CaseFile {
        case: head,
        outcome_details,
        perspectives,
        procedures,
        goals,
        appointments,
        notes,
        employment,
        follows_employment: facts.outcomes.split(',').any(|o| o == EMPLOYMENT_OUTCOME),
        placements,
        attention,
        history,
    })
}

/// The first lines of a case's history: the intake, and the appointment of a case
/// manager.
fn opening_history(head: &CaseSummary) -> Vec<HistoryEntry> {
    let mut history = vec![HistoryEntry::new(head.intake_at, "intake", None)];
    if let Some(at) = head.manager_assigned_at {
        let by = head.case_manager.as_ref().map(|m| m.name.clone());
        history.push(HistoryEntry::new(at, "manager_assigned", by));
    }
    history
}

/// The closure of a closed case, at the start of its closing day.
fn closing_history(head: &CaseSummary) -> Option<HistoryEntry> {
    let (Some(on), Some(_)) = (&head.closed_on, &head.outcome) else {
        return None;
    };
    let d = dates::parse_stored(on)?;
    Some(HistoryEntry::new(
        d.midnight().assume_utc().unix_timestamp(),
        "closed",
        None,
    ))
}

/// What the attention of an open case is computed from: its procedures' deadlines, its
/// current stay, its overdue goals and its last contact.
fn signals(
    head: &CaseSummary,
    procedures: &[Procedure],
    placements: &[PlacementInfo],
    goals: &[Goal],
    alert_days: i64,
) -> Signals {
    Signals {
        next_deadline: procedures
            .iter()
            .filter(|p| matches!(p.decision, Decision::Pending | Decision::Refused))
            .filter_map(|p| p.deadline.clone())
            .min(),
        stay_until: placements
            .iter()
            .filter(|p| p.discharged_on.is_none())
            .filter_map(|p| p.stay_until.clone())
            .min(),
        alert_days,
        overdue_goal: goals
            .iter()
            .filter(|g| g.overdue)
            .filter_map(|g| g.due_on.clone())
            .min(),
        last_contact_at: head.last_contact_at.unwrap_or(head.intake_at),
    }
}

const PLACEMENTS: &str = "SELECT s.name AS site, s.neighbourhood, p.label AS place, \
    pl.admitted_on, pl.stay_until, pl.discharged_on, pl.discharge_reason, \
    (SELECT COUNT(*) FROM stay_extensions e WHERE e.placement_id = pl.id) AS extensions \
    FROM placements pl \
    JOIN shelter_sites s ON s.id = pl.site_id JOIN shelter_places p ON p.id = pl.place_id \
    WHERE pl.case_id = $1 ORDER BY pl.admitted_on DESC, pl.id DESC";

/// The shelter placements of a case, newest first, read from the shelter tables.
async fn placements(f: &mut FileReader<'_>, today: time::Date) -> Result<Vec<PlacementInfo>> {
    let mut placements: Vec<PlacementInfo> = f.rows(PLACEMENTS).await?;
    for p in &mut placements {
        // Days left only for a current stay with a limit.
        p.days_left = match (&p.stay_until, &p.discharged_on) {
            (Some(until), None) => {
                dates::parse_stored(until).map(|u| dates::days_between(today, u))
            }
            _ => None,
        };
    }
    Ok(placements)
}
