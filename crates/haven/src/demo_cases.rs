//! Invented casework for `haven demo`: the four programmes of the domain and a caseload for
//! the demo case manager, with perspectives, procedures, action plans, appointments, notes,
//! employment and a few closed cases. Dates are spread over the past months so that the
//! caseload shows deadlines, stays ending, overdue goals and people not seen for weeks.

use haven_core::cases::programmes::{self, ProgrammeInput};
use haven_core::cases::{
    self, AppointmentInput, AssignInput, CloseInput, EpisodeInput, GoalInput, NoteInput, OpenInput,
    PerspectiveInput, ProcedureInput,
};
use haven_core::ids::{CaseId, OrgId, ProgrammeId, UserId};
use haven_core::{Actor, Ctx, FixedClock, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use time::{Date, Duration};

const DAY: i64 = 86_400;

/// Name, target group, maximum months, caseload cap, shelter place, outcomes counted.
type ProgrammeSeed = (
    &'static str,
    &'static str,
    Option<i64>,
    i64,
    bool,
    &'static str,
);

pub(crate) const PROGRAMMES: &[ProgrammeSeed] = &[
    (
        "LVV shelter",
        "Rejected asylum seekers and undocumented people without shelter, counselled towards a durable solution",
        Some(18),
        25,
        true,
        "regularised,returned_voluntarily,moved_on,lost_contact,deceased,other",
    ),
    (
        "Dublin-claimant shelter",
        "Dublin claimants refused by other shelters, during their procedure",
        Some(6),
        15,
        true,
        "regularised,dublin_transfer,moved_on,returned_voluntarily,lost_contact,other",
    ),
    (
        "Refugee coaching (Amsterdam approach)",
        "Recognised refugees and their partners in their first three years",
        Some(36),
        40,
        false,
        "employment,moved_on,other",
    ),
    (
        "Return counselling",
        "Anyone considering a voluntary return, with reintegration support",
        None,
        40,
        false,
        "returned_voluntarily,regularised,moved_on,lost_contact,other",
    ),
];

const PROJECTS: &[&str] = &[
    "Wants to stay in the Netherlands; has lived here nine years and works informally in cleaning.",
    "Hopes to join a brother in Germany; unsure whether a legal route exists.",
    "Thinks about going back to Ghana if he can start a small business there.",
    "Wants a safe place first; has not thought further yet.",
    "Wants to finish the procedure here and then work as a nurse again.",
];
const SITUATIONS: &[&str] = &[
    "Sleeps in the shelter, eats at the day centre. Health stable; foot injury healing.",
    "Rejected twice; no new facts yet. Anxious about detention.",
    "Recognised last year; lives with a partner and two children; speaks A1 Dutch.",
    "Fingerprints taken in Italy; transfer deadline pending; refuses to go to Italy.",
];
const OPTIONS: &[&str] = &[
    "Repeat application on new facts; no-fault permit after documented return attempts; assisted voluntary return with reintegration support.",
    "Medical grounds (postponement of departure); family reunification is not available.",
    "Assisted voluntary return through IOM; onward migration only with a visa.",
];
const NOTES: &[&str] = &[
    "Met at the day centre. Talked about the options calmly; will think about it.",
    "Accompanied to the GP. Prescription collected.",
    "Phone call: appointment with the lawyer confirmed for next week.",
    "Missed the appointment; reached by phone, was ill.",
    "Came by with questions about the letter from the immigration service; explained it.",
];
const GOALS: &[(&str, &str, &str)] = &[
    (
        "language",
        "short",
        "Dutch course A2, three mornings a week",
    ),
    ("work", "short", "Work-experience placement in a kitchen"),
    ("health_care", "short", "Registered with a GP and a dentist"),
    ("legal_status", "long", "Decision on the repeat application"),
    ("return_preparation", "long", "Reintegration plan with IOM"),
    ("housing", "long", "Own room after the shelter"),
    ("income", "short", "Bank account and benefit application"),
    (
        "participation",
        "short",
        "Volunteer at the neighbourhood centre",
    ),
    ("education", "long", "Recognition of the nursing diploma"),
];

fn at(ctx: &Ctx, ts: i64) -> Ctx {
    Ctx {
        clock: Arc::new(FixedClock::at(ts)),
        ..ctx.clone()
    }
}

fn date_of(ts: i64) -> Date {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|d| d.date())
        .unwrap_or(Date::MIN)
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items
        .get(rng.gen_range(0..items.len().max(1)))
        .copied()
        .unwrap_or("")
}

async fn user(ctx: &Ctx, username: &str) -> anyhow::Result<Option<(UserId, OrgId)>> {
    let row: Option<Account> = sqlx::query_as("SELECT id, org_id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&ctx.db.pool)
        .await?;
    Ok(row.map(|a| (a.id, a.org_id)))
}

#[derive(sqlx::FromRow)]
struct Account {
    id: UserId,
    org_id: OrgId,
}

/// Seeds programmes and cases; returns the number of cases opened.
pub async fn seed(ctx: &Ctx) -> anyhow::Result<usize> {
    let e = |e: haven_core::Error| anyhow::anyhow!("seeding cases failed: {e:?}");
    let system = Actor::system();
    let mut progs: Vec<ProgrammeId> = Vec::new();
    for (name, target, months, cap, shelter, outcomes) in PROGRAMMES {
        let p = programmes::create(
            ctx,
            &system,
            &ProgrammeInput {
                name: Some((*name).to_owned()),
                target_group: Some((*target).to_owned()),
                max_months: months.map(|m| m.to_string()),
                caseload_cap: Some(cap.to_string()),
                includes_shelter: Some(shelter.to_string()),
                outcomes: vec![(*outcomes).to_owned()],
                alert_days: Some("90,30".into()),
                active: None,
            },
        )
        .await
        .map_err(e)?;
        progs.push(p.id);
    }
    let Some(mut s) = Seeder::new(ctx).await? else {
        return Ok(0);
    };
    s.progs = progs;
    let persons = crate::demo::registered_persons(ctx, s.org, 48).await?;
    let mut rng = StdRng::seed_from_u64(3);
    let mut opened = 0;
    for (i, person) in persons.iter().enumerate() {
        // LVV most often, as in the domain; then coaching, Dublin and return counselling.
        let kind = [0usize, 0, 2, 0, 1, 2, 3, 0][i % 8];
        let unassigned = i % 9 == 4;
        one_case(&s, &mut rng, i, kind, unassigned, person).await?;
        opened += 1;
    }
    // The demo case manager's colleagues carry shelter caseloads near the cap too, so the
    // city's shelters run full.
    let progs = std::mem::take(&mut s.progs);
    for (n, colleague) in COLLEAGUES.iter().enumerate() {
        let Some(mut c) = Seeder::for_manager(ctx, colleague).await? else {
            continue;
        };
        c.progs = progs.clone();
        let persons = persons_without_case(ctx, c.org, 29).await?;
        for (k, person) in persons.iter().enumerate() {
            // Mostly LVV, a quarter Dublin claimants.
            let kind = if k % 4 == 3 { 1 } else { 0 };
            one_case(&c, &mut rng, 100 * (n + 1) + k, kind, false, person).await?;
            opened += 1;
        }
    }
    Ok(opened)
}

/// The demo case manager's colleagues in the same team (usernames of [`crate::demo::USERS`]).
pub(crate) const COLLEAGUES: &[&str] = &["casemanager2", "casemanager3"];

/// Persons of `org` without a case yet, oldest first.
async fn persons_without_case(ctx: &Ctx, org: OrgId, limit: i64) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT p.id FROM persons p WHERE p.owner_org = $1 AND p.data_key IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id) \
         ORDER BY p.created_at, p.id LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(&ctx.db.pool)
    .await?)
}

/// For benchmarks (`haven demo --cases N`): more cases for the demo case manager, through
/// the same use cases as [`seed`], until they hold `cap` open cases in every programme (the
/// programmes' cap is 50). Returns the number of cases opened.
pub async fn fill_caseload(ctx: &Ctx, cap: i64) -> anyhow::Result<usize> {
    let Some(mut s) = Seeder::new(ctx).await? else {
        return Ok(0);
    };
    let (cm, org) = (s.cm, s.org);
    let mut progs: Vec<ProgrammeId> = Vec::new();
    for (name, ..) in PROGRAMMES {
        let id: ProgrammeId = sqlx::query_scalar("SELECT id FROM programmes WHERE name = $1")
            .bind(*name)
            .fetch_one(&ctx.db.pool)
            .await?;
        progs.push(id);
    }
    // Persons of the organisation without a case yet, after the demo's own 48.
    let persons = persons_without_case(ctx, org, 1000).await?;
    let mut held = Vec::new();
    for p in &progs {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases WHERE case_manager_id = $1 AND programme_id = $2 \
             AND status = 'open'",
        )
        .bind(cm)
        .bind(p)
        .fetch_one(&ctx.db.pool)
        .await?;
        held.push(n);
    }
    s.progs = progs;
    let mut rng = StdRng::seed_from_u64(4);
    let mut opened = 0;
    for (n, person) in persons.iter().enumerate() {
        // The programme furthest below the cap.
        let Some((kind, _)) = held
            .iter()
            .enumerate()
            .filter(|(_, h)| **h < cap)
            .min_by_key(|(_, h)| **h)
        else {
            break;
        };
        // Offset past the demo's 48, so that the variety (deadlines, contact) continues.
        if one_case(&s, &mut rng, 48 + n, kind, false, person).await? {
            held[kind] += 1;
        }
        opened += 1;
    }
    Ok(opened)
}

/// What every demo case needs to know.
struct Seeder<'a> {
    ctx: &'a Ctx,
    progs: Vec<ProgrammeId>,
    cm: UserId,
    org: OrgId,
    cm_actor: Actor,
    lead_actor: Actor,
    now: i64,
    today: Date,
}

impl<'a> Seeder<'a> {
    /// The demo case manager and team lead of their organisation, at work now, before the
    /// programmes are known; none when the demo accounts are missing.
    async fn new(ctx: &'a Ctx) -> anyhow::Result<Option<Self>> {
        Self::for_manager(ctx, "casemanager").await
    }

    /// The same for another case manager of the team.
    async fn for_manager(ctx: &'a Ctx, username: &str) -> anyhow::Result<Option<Self>> {
        let (Some((cm, org)), Some((lead, _))) =
            (user(ctx, username).await?, user(ctx, "teamlead").await?)
        else {
            return Ok(None);
        };
        let now = ctx.clock.now_ts();
        Ok(Some(Self {
            ctx,
            progs: Vec::new(),
            cm,
            org,
            cm_actor: Actor::staff(cm, org, vec![Role::CaseManager]),
            lead_actor: Actor::staff(lead, org, vec![Role::TeamLead]),
            now,
            today: date_of(now),
        }))
    }
}

/// The case manager records the person's perspective at `t`: still exploring, or decided
/// in the person's words.
async fn record_perspective(
    s: &Seeder<'_>,
    rng: &mut StdRng,
    id: CaseId,
    t: i64,
    perspective: &str,
    decision: Option<&str>,
) -> anyhow::Result<()> {
    let stage = if decision.is_some() {
        "decided"
    } else {
        "exploring"
    };
    let input = PerspectiveInput {
        perspective: Some(perspective.into()),
        decision_stage: Some(stage.into()),
        migration_project: Some(pick(rng, PROJECTS).to_owned()),
        current_situation: Some(pick(rng, SITUATIONS).to_owned()),
        legal_options: Some(pick(rng, OPTIONS).to_owned()),
        decision: decision.map(str::to_owned),
    };
    cases::record_perspective(&at(s.ctx, t), &s.cm_actor, id, &input)
        .await
        .map_err(|e| anyhow::anyhow!("seeding cases failed: {e:?}"))?;
    Ok(())
}

/// Opens one case of programme `kind` for the demo case manager, with its history; returns
/// whether it is still open.
async fn one_case(
    s: &Seeder<'_>,
    rng: &mut StdRng,
    i: usize,
    kind: usize,
    unassigned: bool,
    person: &str,
) -> anyhow::Result<bool> {
    let e = |e: haven_core::Error| anyhow::anyhow!("seeding cases failed: {e:?}");
    let (ctx, progs, cm, now, today) = (s.ctx, &s.progs, s.cm, s.now, s.today);
    let (cm_actor, lead_actor) = (s.cm_actor.clone(), s.lead_actor.clone());
    let days_ago: i64 = if unassigned {
        rng.gen_range(1..25)
    } else {
        match kind {
            0 => rng.gen_range(20..545),
            1 => rng.gen_range(10..175),
            2 => rng.gen_range(30..900),
            _ => rng.gen_range(10..220),
        }
    };
    let intake = now - days_ago * DAY + rng.gen_range(8..16) * 3600;
    let perspective = match kind {
        2 => "regularisation",
        3 => "voluntary_return",
        _ => [
            "undecided",
            "regularisation",
            "undecided",
            "onward_migration",
        ][i % 4],
    };
    let c = cases::open_case(
        &at(ctx, intake),
        &cm_actor,
        &OpenInput {
            person_id: Some(person.to_owned()),
            programme_id: Some(progs[kind].to_string()),
            start_date: Some(date_of(intake).to_string()),
            perspective: Some(perspective.into()),
            screening_note: Some(pick(rng, SITUATIONS).to_owned()),
            case_manager_id: None,
        },
    )
    .await
    .map_err(e)?;
    let id = c.id;
    if unassigned {
        return Ok(true);
    }
    // Appointing a case manager took days, sometimes weeks.
    let assigned = (intake + rng.gen_range(1..30) * DAY).min(now - 3600);
    cases::assign(
        &at(ctx, assigned),
        &lead_actor,
        id,
        &AssignInput {
            case_manager_id: Some(cm.to_string()),
        },
    )
    .await
    .map_err(e)?;
    let mut t = assigned + 2 * DAY;
    let step = |t: i64, days: i64| (t + days * DAY).min(now - 600);
    t = step(t, 5);
    record_perspective(s, rng, id, t, perspective, None).await?;
    if days_ago > 90 && i.is_multiple_of(3) {
        t = step(t, 40);
        let decision = "Has decided to pursue this, after talking it over with family.";
        record_perspective(s, rng, id, t, perspective, Some(decision)).await?;
    }
    if kind <= 1 {
        let filed = date_of(t) - Duration::days(rng.gen_range(0..30));
        let deadline = today + Duration::days(rng.gen_range(-6..45));
        let refused = i.is_multiple_of(5);
        cases::add_procedure(
            &at(ctx, step(t, 1)),
            &cm_actor,
            id,
            &ProcedureInput {
                kind: Some(
                    if kind == 1 {
                        "asylum_repeat"
                    } else {
                        [
                            "asylum_repeat",
                            "medical_grounds",
                            "no_fault_permit",
                            "trafficking_victim",
                        ][i % 4]
                    }
                    .into(),
                ),
                filed_on: Some(filed.to_string()),
                decision: Some(if refused { "refused" } else { "pending" }.into()),
                decision_on: refused.then(|| (filed + Duration::days(30)).min(today).to_string()),
                appeal_filed_on: None,
                deadline: Some(deadline.to_string()),
                notes: Some("Lawyer: Open Door Legal Aid.".into()),
            },
        )
        .await
        .map_err(e)?;
    }
    for g in 0..rng.gen_range(1..4) {
        let (domain, term, title) = GOALS[(i + g * 3) % GOALS.len()];
        let due = today + Duration::days(rng.gen_range(-20..120));
        cases::add_goal(
            &at(ctx, step(t, 2)),
            &cm_actor,
            id,
            &GoalInput {
                title: Some(title.into()),
                domain: Some(domain.into()),
                term: Some(term.into()),
                owner_id: Some(cm.to_string()),
                due_on: Some(due.to_string()),
                status: Some(["open", "in_progress", "in_progress"][g % 3].into()),
                progress: (g == 1).then(|| "First steps taken; follow up next month.".into()),
            },
        )
        .await
        .map_err(e)?;
    }
    // Most are seen regularly; some not for over four weeks.
    let last = if i % 6 == 1 {
        now - rng.gen_range(30..60) * DAY
    } else {
        now - rng.gen_range(1..20) * DAY
    };
    if last > t {
        cases::add_note(
            &at(ctx, last),
            &cm_actor,
            id,
            &NoteInput {
                text: Some(pick(rng, NOTES).to_owned()),
            },
        )
        .await
        .map_err(e)?;
    }
    let due = today + Duration::days(rng.gen_range(1..14));
    cases::add_appointment(
        &at(ctx, last.max(t)),
        &cm_actor,
        id,
        &AppointmentInput {
            kind: Some(
                if i.is_multiple_of(2) {
                    "appointment"
                } else {
                    "task"
                }
                .into(),
            ),
            title: Some(
                if i.is_multiple_of(2) {
                    "Follow-up conversation at the day centre"
                } else {
                    "Request documents from the embassy"
                }
                .into(),
            ),
            due_on: Some(due.to_string()),
            due_time: Some("10:30".into()),
        },
    )
    .await
    .map_err(e)?;
    if kind == 2 && days_ago > 120 {
        let start = date_of(intake) + Duration::days(rng.gen_range(60..120));
        let end = (i % 4 == 2).then(|| start + Duration::days(rng.gen_range(90..200)));
        if start < today {
            cases::add_episode(
                &at(ctx, last.max(t)),
                &cm_actor,
                id,
                &EpisodeInput {
                    start_on: Some(start.to_string()),
                    end_on: end.filter(|d| *d < today).map(|d| d.to_string()),
                    contract: Some(
                        if i.is_multiple_of(3) {
                            "fixed"
                        } else {
                            "temporary"
                        }
                        .into(),
                    ),
                    sector: Some(
                        ["Hospitality", "Logistics", "Health care", "Cleaning"][i % 4].into(),
                    ),
                    hours_per_week: Some(["24", "32", "38", "16"][i % 4].into()),
                },
            )
            .await
            .map_err(e)?;
        }
    }
    if kind == 3 && days_ago > 120 {
        close(ctx, &cm_actor, id, now, "returned_voluntarily").await?;
        return Ok(false);
    } else if kind == 0 && days_ago > 500 && i.is_multiple_of(2) {
        close(ctx, &cm_actor, id, now, "regularised").await?;
        return Ok(false);
    }
    Ok(true)
}

async fn close(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    now: i64,
    outcome: &str,
) -> anyhow::Result<()> {
    let regularised = outcome == "regularised";
    cases::close(
        &at(ctx, now - 2 * DAY),
        actor,
        id,
        &CloseInput {
            outcome: Some(outcome.into()),
            closed_on: Some(date_of(now - 2 * DAY).to_string()),
            permit_type: regularised.then(|| "no_fault".into()),
            country: (!regularised).then(|| "Ghana".into()),
            supporting_org: (!regularised).then(|| "IOM".into()),
            details: Some("Reintegration support arranged.".into()),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("closing a demo case failed: {e:?}"))?;
    Ok(())
}
