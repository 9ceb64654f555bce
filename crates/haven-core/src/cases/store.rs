//! The use cases of casework and their queries.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::Date;

use super::model::{self, *};
use super::programmes::{self, split_days};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::error::Errors;
use crate::ids::{
    parse_db, AppointmentId, CaseId, EpisodeId, GoalId, NoteId, OrgId, PersonId, PerspectiveId,
    ProcedureId, ProgrammeId, UserId,
};
use crate::{dates, people, Actor, Ctx, Error, Permission, Result, Role};

/// No contact for this long puts a case on top of the caseload.
pub const NO_CONTACT_DAYS: i64 = 28;
/// A procedure deadline this close needs attention.
pub const DEADLINE_NEAR_DAYS: i64 = 14;

// ---------------------------------------------------------------------------------------
// Output types

/// A reference to a staff member, for display.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub name: String,
}

/// Why a case needs attention; `date` is the date concerned, `days` how far it is from
/// today (negative: in the past).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attention {
    pub kind: AttentionKind,
    pub date: String,
    pub days: i64,
}

/// The head of a case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: CaseId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    /// Name or alias of the person, when recorded.
    pub person_label: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub case_manager: Option<StaffRef>,
    /// `open` or `closed`.
    pub status: String,
    pub intake_at: i64,
    pub manager_assigned_at: Option<i64>,
    /// Seconds from intake to the appointment of a case manager.
    pub wait_seconds: Option<i64>,
    /// The start of the programme for this person, `YYYY-MM-DD`.
    pub start_date: String,
    /// The end under the programme's maximum duration, if it has one.
    pub end_date: Option<String>,
    pub perspective: Perspective,
    pub last_contact_at: Option<i64>,
    pub closed_on: Option<String>,
    pub outcome: Option<Outcome>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutcomeDetails {
    pub permit_type: Option<String>,
    pub country: Option<String>,
    pub supporting_org: Option<String>,
    pub details: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PerspectiveText {
    /// Where the person wants to go, and why.
    pub migration_project: Option<String>,
    pub current_situation: Option<String>,
    pub legal_options: Option<String>,
    /// The person's own decision, in their words.
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PerspectiveEntry {
    #[schema(value_type = String, format = Uuid)]
    pub id: PerspectiveId,
    pub at: i64,
    pub recorded_by: String,
    pub perspective: Perspective,
    pub decision_stage: DecisionStage,
    #[serde(flatten)]
    pub text: PerspectiveText,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Procedure {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProcedureId,
    /// A code of the configured `procedure_type` list.
    pub kind: String,
    pub kind_label: String,
    pub filed_on: Option<String>,
    pub decision: Decision,
    pub decision_on: Option<String>,
    pub appeal_filed_on: Option<String>,
    pub deadline: Option<String>,
    pub notes: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressNote {
    pub at: i64,
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct GoalText {
    title: String,
    progress: Vec<ProgressNote>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Goal {
    #[schema(value_type = String, format = Uuid)]
    pub id: GoalId,
    pub domain: Domain,
    pub term: Term,
    pub owner: Option<StaffRef>,
    pub due_on: Option<String>,
    pub status: GoalStatus,
    pub title: String,
    /// Newest last.
    pub progress: Vec<ProgressNote>,
    pub overdue: bool,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Appointment {
    #[schema(value_type = String, format = Uuid)]
    pub id: AppointmentId,
    pub kind: ItemKind,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub title: String,
    pub created_by: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Note {
    #[schema(value_type = String, format = Uuid)]
    pub id: NoteId,
    pub at: i64,
    pub written_by: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Episode {
    #[schema(value_type = String, format = Uuid)]
    pub id: EpisodeId,
    pub start_on: String,
    pub end_on: Option<String>,
    pub contract: Contract,
    pub sector: String,
    pub hours_per_week: i64,
}

/// The status at a follow-up moment, computed from the episodes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    pub months: i64,
    pub date: String,
    pub status: EmploymentStatus,
    pub contract: Option<Contract>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Employment {
    pub episodes: Vec<Episode>,
    pub follow_up: Vec<FollowUp>,
}

/// A shelter placement of this case, read from the shelter tables.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlacementInfo {
    pub site: String,
    pub neighbourhood: String,
    pub place: String,
    pub admitted_on: String,
    pub stay_until: Option<String>,
    pub discharged_on: Option<String>,
    pub discharge_reason: Option<String>,
    pub extensions: i64,
    /// Days left until `stay_until`, for a current placement with a limit.
    pub days_left: Option<i64>,
}

/// One line of the case's own timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub at: i64,
    /// `intake`, `manager_assigned`, `perspective`, `procedure`, `goal`, `appointment`,
    /// `note`, `employment`, `closed`.
    pub what: String,
    pub by: Option<String>,
}

/// Everything on the case page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseFile {
    #[serde(flatten)]
    pub case: CaseSummary,
    pub outcome_details: Option<OutcomeDetails>,
    /// Newest first.
    pub perspectives: Vec<PerspectiveEntry>,
    pub procedures: Vec<Procedure>,
    pub goals: Vec<Goal>,
    pub appointments: Vec<Appointment>,
    /// Newest first.
    pub notes: Vec<Note>,
    pub employment: Employment,
    /// Whether the programme counts employment (refugee coaching).
    pub follows_employment: bool,
    pub placements: Vec<PlacementInfo>,
    pub attention: Vec<Attention>,
    /// Newest first.
    pub history: Vec<HistoryEntry>,
}

/// One case on a caseload or team list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseLine {
    #[serde(flatten)]
    pub case: CaseSummary,
    /// Most urgent first; empty when nothing needs attention.
    pub attention: Vec<Attention>,
}

// ---------------------------------------------------------------------------------------
// Helpers

fn today(ctx: &Ctx) -> Date {
    ctx.clock.now().date()
}

fn seal<T: Serialize>(key: &Key, v: &T, aad: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(v).map_err(anyhow::Error::from)?;
    Ok(key.seal(&json, aad.as_bytes()))
}

fn open<T: DeserializeOwned>(key: &Key, sealed: &[u8], aad: &str) -> Result<T> {
    let json = key.open(sealed, aad.as_bytes())?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

fn parse_code<T>(s: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(s).ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown code in database")))
}

/// The persons' visibility condition (`people::visible_sql`) for a case's person: referral
/// grants open only the referral view, never a case.
const PERSON_VISIBLE: &str = crate::people::visible_sql!("c.person_id");

type CaseRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<i64>,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
    i64,
);
const CASE_COLS: &str = "c.id, c.person_id, c.programme_id, c.case_manager_id, c.status, \
    c.intake_at, c.manager_assigned_at, c.start_date, c.perspective, c.last_contact_at, \
    c.closed_on, c.outcome, c.outcome_sealed, c.version";

struct Loaded {
    id: CaseId,
    person: PersonId,
    manager: Option<UserId>,
    open: bool,
    row: CaseRow,
}

/// Loads a case the actor's organisation holds and may see the person of.
async fn load(tx: &mut AuditTx<'_>, ctx: &Ctx, org: OrgId, id: CaseId) -> Result<Loaded> {
    let row: Option<CaseRow> = sqlx::query_as(&format!(
        "SELECT {CASE_COLS} FROM cases c WHERE c.id = $3 AND c.org_id = $1 AND {PERSON_VISIBLE}"
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    Ok(Loaded {
        id,
        person: parse_db(&row.1)?,
        manager: row.3.as_deref().map(parse_db).transpose()?,
        open: row.4 == "open",
        row,
    })
}

/// Answers "not found" for a case the actor's organisation may not see, before looking at
/// the input: another organisation learns nothing from a 422.
async fn ensure_visible(ctx: &Ctx, org: OrgId, id: CaseId) -> Result<()> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT c.id FROM cases c WHERE c.id = $3 AND c.org_id = $1 AND {PERSON_VISIBLE}"
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .fetch_optional(&ctx.db.pool)
    .await?;
    row.map(|_| ()).ok_or(Error::NotFound)
}

/// Loads an open case for a change.
async fn load_open(tx: &mut AuditTx<'_>, ctx: &Ctx, org: OrgId, id: CaseId) -> Result<Loaded> {
    let c = load(tx, ctx, org, id).await?;
    if !c.open {
        return Err(Error::Conflict("err-case-closed"));
    }
    Ok(c)
}

async fn touch(tx: &mut AuditTx<'_>, ctx: &Ctx, id: CaseId, contact: bool) -> Result<()> {
    let now = ctx.clock.now_ts();
    let sql = if contact {
        "UPDATE cases SET version = version + 1, updated_at = $1, last_contact_at = $1 WHERE id = $2"
    } else {
        "UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2"
    };
    sqlx::query(sql)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}

async fn names_of(
    conn: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<HashMap<String, String>> {
    let mut ids: Vec<&String> = ids.iter().filter(|i| *i != "system").collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, display_name FROM users WHERE id IN ({})",
        crate::db::placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        q = q.bind(id.clone());
    }
    Ok(q.fetch_all(&mut *conn).await?.into_iter().collect())
}

fn name_or_id(names: &HashMap<String, String>, id: &str) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

struct ProgrammeFacts {
    name: String,
    max_months: Option<i64>,
    cap: i64,
    outcomes: String,
    active: bool,
}

async fn programme_facts(conn: &mut sqlx::AnyConnection, id: &str) -> Result<ProgrammeFacts> {
    let row: Option<(String, Option<i64>, i64, String, i64)> = sqlx::query_as(
        "SELECT name, max_months, caseload_cap, outcomes, active FROM programmes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let r = row.ok_or(Error::NotFound)?;
    Ok(ProgrammeFacts {
        name: r.0,
        max_months: r.1,
        cap: r.2,
        outcomes: r.3,
        active: r.4 != 0,
    })
}

fn end_date(start: &str, max_months: Option<i64>) -> Option<String> {
    let start = dates::parse_stored(start)?;
    max_months.map(|m| dates::format(dates::stay_end(start, m)))
}

fn person_label(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Option<String> {
    people::label_from_stored(ctx, id, wrapped, sealed)
        .ok()
        .flatten()
}

fn summary(
    row: &CaseRow,
    label: Option<String>,
    programme_name: String,
    max_months: Option<i64>,
    manager: Option<StaffRef>,
) -> Result<CaseSummary> {
    Ok(CaseSummary {
        id: parse_db(&row.0)?,
        person_id: parse_db(&row.1)?,
        person_label: label,
        programme_id: parse_db(&row.2)?,
        programme_name,
        case_manager: manager,
        status: row.4.clone(),
        intake_at: row.5,
        manager_assigned_at: row.6,
        wait_seconds: row.6.map(|a| a - row.5),
        start_date: row.7.clone(),
        end_date: end_date(&row.7, max_months),
        perspective: parse_code(&row.8, Perspective::parse)?,
        last_contact_at: row.9,
        closed_on: row.10.clone(),
        outcome: row
            .11
            .as_deref()
            .map(|o| parse_code(o, Outcome::parse))
            .transpose()?,
        version: row.13,
    })
}

/// Builds the head of a case inside the transaction that loaded it.
async fn summary_of(tx: &mut AuditTx<'_>, ctx: &Ctx, c: &Loaded) -> Result<CaseSummary> {
    let p = programme_facts(&mut tx.tx, &c.row.2).await?;
    let person: Option<(Option<String>, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT data_key, sealed FROM persons WHERE id = $1")
            .bind(c.person.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let label = person.and_then(|(w, s)| person_label(ctx, c.person, w.as_deref(), s.as_deref()));
    let manager = match &c.row.3 {
        Some(m) => {
            let names = names_of(&mut tx.tx, std::slice::from_ref(m)).await?;
            Some(StaffRef {
                id: parse_db(m)?,
                name: name_or_id(&names, m),
            })
        }
        None => None,
    };
    summary(&c.row, label, p.name, p.max_months, manager)
}

// ---------------------------------------------------------------------------------------
// Case managers and the cap

/// Staff of the actor's organisation who can hold cases, for choosing a case manager or a
/// goal's owner.
pub async fn case_managers(ctx: &Ctx, actor: &Actor) -> Result<Vec<StaffRef>> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    managers_of(&mut conn, org).await
}

fn holds_cases(role: &str) -> bool {
    role.parse::<Role>()
        .is_ok_and(|r| r.permissions().contains(&Permission::CaseWrite))
}

async fn managers_of(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<Vec<StaffRef>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, r.role FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 ORDER BY u.display_name, u.id",
    )
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<StaffRef> = Vec::new();
    for (id, name, role) in rows {
        if holds_cases(&role) && !out.iter().any(|s| s.id.to_string() == id) {
            out.push(StaffRef {
                id: parse_db(&id)?,
                name,
            });
        }
    }
    Ok(out)
}

/// Makes `manager` the case manager of an open case, refusing one who is not a case
/// holder of the organisation or who is at the programme's caseload cap.
async fn set_manager(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    org: OrgId,
    c: &Loaded,
    manager: UserId,
) -> Result<()> {
    let managers = managers_of(&mut tx.tx, org).await?;
    if !managers.iter().any(|m| m.id == manager) {
        return Err(Error::invalid("case_manager_id", "err-not-case-manager"));
    }
    if c.manager == Some(manager) {
        return Ok(());
    }
    let p = programme_facts(&mut tx.tx, &c.row.2).await?;
    let (held,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM cases WHERE case_manager_id = $1 AND programme_id = $2 \
         AND status = 'open' AND id <> $3",
    )
    .bind(manager.to_string())
    .bind(&c.row.2)
    .bind(c.id.to_string())
    .fetch_one(&mut *tx.tx)
    .await?;
    if held >= p.cap {
        return Err(Error::Conflict("err-caseload-cap"));
    }
    let now = ctx.clock.now_ts();
    sqlx::query(
        "UPDATE cases SET case_manager_id = $1, manager_assigned_at = COALESCE(manager_assigned_at, $2), \
         version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(manager.to_string())
    .bind(now)
    .bind(c.id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Intake

/// Input for opening a case.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OpenInput {
    pub person_id: Option<String>,
    pub programme_id: Option<String>,
    /// `YYYY-MM-DD`; default today.
    pub start_date: Option<String>,
    /// Default `undecided`.
    pub perspective: Option<String>,
    /// What the intake and screening found; kept as the first note.
    pub screening_note: Option<String>,
    /// A case manager right away: yourself, or anyone if you may assign cases.
    pub case_manager_id: Option<String>,
}

/// Opens a case in a programme for a person the actor's organisation may see.
pub async fn open_case(ctx: &Ctx, actor: &Actor, input: &OpenInput) -> Result<CaseSummary> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    let mut e = Errors::default();
    let person: Option<PersonId> = e.take(
        model::required_text(&input.person_id, "person_id", 60).and_then(|s| {
            s.parse()
                .map_err(|_| crate::FieldError::new("person_id", "err-choice"))
        }),
    );
    let programme: Option<ProgrammeId> = e.take(
        model::required_text(&input.programme_id, "programme_id", 60).and_then(|s| {
            s.parse()
                .map_err(|_| crate::FieldError::new("programme_id", "err-choice"))
        }),
    );
    let start = e.take(model::opt_date(&input.start_date, "start_date"));
    let perspective = e.take(model::choice(
        &input.perspective,
        "perspective",
        Perspective::parse,
        Some(Perspective::Undecided),
    ));
    let note = e.take(model::text(&input.screening_note, "screening_note", 10_000));
    let manager: Option<Option<UserId>> =
        e.take(match input.case_manager_id.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| crate::FieldError::new("case_manager_id", "err-choice")),
        });
    let today = today(ctx);
    if let Some(Some(s)) = &start {
        if dates::days_between(today, *s).abs() > 3 * 366 {
            e.push("start_date", "err-date-range");
        }
    }
    e.finish()?;
    let (Some(person), Some(programme), Some(start), Some(perspective), Some(note), Some(manager)) =
        (person, programme, start, perspective, note, manager)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    if let Some(m) = manager {
        if Some(m) != actor.user_id {
            actor.require(Permission::CaseAssign)?;
        }
    }
    let start = start.unwrap_or(today);
    let now = ctx.clock.now_ts();
    let id = CaseId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    if !people::visible_to(ctx, &mut tx.tx, org, person).await? {
        return Err(Error::invalid("person_id", "err-choice"));
    }
    let facts = match programme_facts(&mut tx.tx, &programme.to_string()).await {
        Ok(f) if f.active => f,
        Ok(_) | Err(Error::NotFound) => return Err(Error::invalid("programme_id", "err-choice")),
        Err(e) => return Err(e),
    };
    let _ = facts;
    sqlx::query(
        "INSERT INTO cases (id, person_id, programme_id, org_id, case_manager_id, status, \
         intake_at, manager_assigned_at, start_date, perspective, last_contact_at, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, NULL, 'open', $5, NULL, $6, $7, $5, 1, $5, $5)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(programme.to_string())
    .bind(org.to_string())
    .bind(now)
    .bind(dates::format(start))
    .bind(perspective.as_str())
    .execute(&mut *tx.tx)
    .await?;
    if let Some(text) = note {
        let key = people::data_key(ctx, &mut tx.tx, person).await?;
        let nid = NoteId::new();
        sqlx::query(
            "INSERT INTO case_notes (id, case_id, at, written_by, sealed) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(nid.to_string())
        .bind(id.to_string())
        .bind(now)
        .bind(actor.audit_id())
        .bind(seal(&key, &text, &format!("note:{nid}"))?)
        .execute(&mut *tx.tx)
        .await?;
    }
    let loaded = load(&mut tx, ctx, org, id).await?;
    if let Some(m) = manager {
        set_manager(&mut tx, ctx, org, &loaded, m).await?;
    }
    let loaded = load(&mut tx, ctx, org, id).await?;
    let s = summary_of(&mut tx, ctx, &loaded).await?;
    tx.log(
        ctx,
        actor,
        "case.open",
        "case",
        &[id.to_string(), person.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// Input for (re)assigning a case manager.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssignInput {
    pub case_manager_id: Option<String>,
}

/// (Re)assigns the case manager: the team lead's work. Refused at the programme's cap.
pub async fn assign(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &AssignInput,
) -> Result<CaseSummary> {
    actor.require(Permission::CaseAssign)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let manager: UserId = model::required_text(&input.case_manager_id, "case_manager_id", 60)
        .and_then(|s| {
            s.parse()
                .map_err(|_| crate::FieldError::new("case_manager_id", "err-choice"))
        })
        .map_err(|f| Error::Invalid(vec![f]))?;
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    set_manager(&mut tx, ctx, org, &c, manager).await?;
    let c = load(&mut tx, ctx, org, id).await?;
    let s = summary_of(&mut tx, ctx, &c).await?;
    tx.log(
        ctx,
        actor,
        "case.assign",
        "case",
        &[id.to_string(), manager.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

// ---------------------------------------------------------------------------------------
// Reading a case

/// The whole case file. Audited.
pub async fn get(ctx: &Ctx, actor: &Actor, id: CaseId) -> Result<CaseFile> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load(&mut tx, ctx, org, id).await?;
    let file = read_file(&mut tx, ctx, &c).await?;
    tx.log(ctx, actor, "case.read", "case", &[id.to_string()])
        .await?;
    tx.commit().await?;
    Ok(file)
}

async fn read_file(tx: &mut AuditTx<'_>, ctx: &Ctx, c: &Loaded) -> Result<CaseFile> {
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    let today = today(ctx);
    let cid = c.id.to_string();
    let head = summary_of(tx, ctx, c).await?;
    let facts = programme_facts(&mut tx.tx, &c.row.2).await?;

    let outcome_details = match &c.row.12 {
        Some(s) => Some(open::<OutcomeDetails>(&key, s, &format!("outcome:{cid}"))?),
        None => None,
    };

    let prow: Vec<(String, i64, String, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT id, at, recorded_by, perspective, decision_stage, sealed FROM case_perspectives \
         WHERE case_id = $1 ORDER BY at DESC, id DESC",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;

    type ProcRow = (
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<Vec<u8>>,
        i64,
    );
    let procs: Vec<ProcRow> = sqlx::query_as(
        "SELECT id, kind, filed_on, decision, decision_on, appeal_filed_on, deadline, sealed, \
         updated_at FROM legal_procedures WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;
    let kinds = programmes::config_list(&mut tx.tx, "procedure_type").await?;

    type GoalRow = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        Vec<u8>,
        i64,
        i64,
    );
    let goals: Vec<GoalRow> = sqlx::query_as(
        "SELECT id, domain, term, owner_id, due_on, status, sealed, created_at, updated_at \
         FROM goals WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;

    type ItemRow = (String, String, i64, Option<i64>, Vec<u8>, String, i64);
    let items: Vec<ItemRow> = sqlx::query_as(
        "SELECT id, kind, due_at, done_at, sealed, created_by, created_at FROM appointments \
         WHERE case_id = $1 ORDER BY due_at, id",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;

    let notes: Vec<(String, i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT id, at, written_by, sealed FROM case_notes WHERE case_id = $1 ORDER BY at DESC, id DESC",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;

    type EpRow = (String, String, Option<String>, String, String, i64, i64);
    let eps: Vec<EpRow> = sqlx::query_as(
        "SELECT id, start_on, end_on, contract, sector, hours_per_week, created_at \
         FROM employment_episodes WHERE case_id = $1 ORDER BY start_on, id",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;

    type PlRow = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let pls: Vec<PlRow> = sqlx::query_as(
        "SELECT pl.id, s.name, s.neighbourhood, p.label, pl.admitted_on, pl.stay_until, \
         pl.discharged_on, pl.discharge_reason FROM placements pl \
         JOIN shelter_sites s ON s.id = pl.site_id JOIN shelter_places p ON p.id = pl.place_id \
         WHERE pl.case_id = $1 ORDER BY pl.admitted_on DESC, pl.id DESC",
    )
    .bind(&cid)
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut placements = Vec::new();
    for r in pls {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM stay_extensions WHERE placement_id = $1")
                .bind(&r.0)
                .fetch_one(&mut *tx.tx)
                .await?;
        let days_left = match (&r.5, &r.6) {
            (Some(until), None) => {
                dates::parse_stored(until).map(|u| dates::days_between(today, u))
            }
            _ => None,
        };
        placements.push(PlacementInfo {
            site: r.1,
            neighbourhood: r.2,
            place: r.3,
            admitted_on: r.4,
            stay_until: r.5,
            discharged_on: r.6,
            discharge_reason: r.7,
            extensions: n,
            days_left,
        });
    }

    let mut who: Vec<String> = Vec::new();
    who.extend(prow.iter().map(|r| r.2.clone()));
    who.extend(goals.iter().filter_map(|r| r.3.clone()));
    who.extend(items.iter().map(|r| r.5.clone()));
    who.extend(notes.iter().map(|r| r.2.clone()));
    let mut goal_texts = Vec::new();
    for g in &goals {
        let t: GoalText = open(&key, &g.6, &format!("goal:{}", g.0))?;
        who.extend(t.progress.iter().map(|p| p.by.clone()));
        goal_texts.push(t);
    }
    let names = names_of(&mut tx.tx, &who).await?;
    let mut history = vec![HistoryEntry {
        at: head.intake_at,
        what: "intake".into(),
        by: None,
    }];
    if let Some(at) = head.manager_assigned_at {
        history.push(HistoryEntry {
            at,
            what: "manager_assigned".into(),
            by: head.case_manager.as_ref().map(|m| m.name.clone()),
        });
    }

    let mut perspectives = Vec::new();
    for r in prow {
        let text: PerspectiveText = open(&key, &r.5, &format!("perspective:{}", r.0))?;
        let by = name_or_id(&names, &r.2);
        history.push(HistoryEntry {
            at: r.1,
            what: "perspective".into(),
            by: Some(by.clone()),
        });
        perspectives.push(PerspectiveEntry {
            id: parse_db(&r.0)?,
            at: r.1,
            recorded_by: by,
            perspective: parse_code(&r.3, Perspective::parse)?,
            decision_stage: parse_code(&r.4, DecisionStage::parse)?,
            text,
        });
    }

    let mut procedures = Vec::new();
    for r in procs {
        let notes: Option<String> = match &r.7 {
            Some(s) => open(&key, s, &format!("procedure:{}", r.0))?,
            None => None,
        };
        history.push(HistoryEntry {
            at: r.8,
            what: "procedure".into(),
            by: None,
        });
        procedures.push(Procedure {
            id: parse_db(&r.0)?,
            kind_label: kinds
                .iter()
                .find(|k| k.code == r.1)
                .map(|k| k.label.clone())
                .unwrap_or_else(|| r.1.clone()),
            kind: r.1,
            filed_on: r.2,
            decision: parse_code(&r.3, Decision::parse)?,
            decision_on: r.4,
            appeal_filed_on: r.5,
            deadline: r.6,
            notes,
            updated_at: r.8,
        });
    }

    let today_s = dates::format(today);
    let mut goal_list = Vec::new();
    for (r, t) in goals.into_iter().zip(goal_texts) {
        let status = parse_code(&r.5, GoalStatus::parse)?;
        history.push(HistoryEntry {
            at: r.7,
            what: "goal".into(),
            by: None,
        });
        goal_list.push(Goal {
            id: parse_db(&r.0)?,
            domain: parse_code(&r.1, Domain::parse)?,
            term: parse_code(&r.2, Term::parse)?,
            owner: match &r.3 {
                Some(o) => Some(StaffRef {
                    id: parse_db(o)?,
                    name: name_or_id(&names, o),
                }),
                None => None,
            },
            overdue: matches!(status, GoalStatus::Open | GoalStatus::InProgress)
                && r.4.as_deref().is_some_and(|d| d < today_s.as_str()),
            due_on: r.4,
            status,
            title: t.title,
            progress: t
                .progress
                .into_iter()
                .map(|p| ProgressNote {
                    by: name_or_id(&names, &p.by),
                    ..p
                })
                .collect(),
            updated_at: r.8,
        });
    }

    let now = ctx.clock.now_ts();
    let mut appointments = Vec::new();
    for r in items {
        let title: String = open(&key, &r.4, &format!("appointment:{}", r.0))?;
        history.push(HistoryEntry {
            at: r.6,
            what: "appointment".into(),
            by: Some(name_or_id(&names, &r.5)),
        });
        appointments.push(Appointment {
            id: parse_db(&r.0)?,
            kind: parse_code(&r.1, ItemKind::parse)?,
            due_at: r.2,
            done_at: r.3,
            title,
            created_by: name_or_id(&names, &r.5),
            overdue: r.3.is_none() && r.2 < now,
        });
    }

    let mut note_list = Vec::new();
    for r in notes {
        let text: String = open(&key, &r.3, &format!("note:{}", r.0))?;
        let by = name_or_id(&names, &r.2);
        history.push(HistoryEntry {
            at: r.1,
            what: "note".into(),
            by: Some(by.clone()),
        });
        note_list.push(Note {
            id: parse_db(&r.0)?,
            at: r.1,
            written_by: by,
            text,
        });
    }

    let mut episodes = Vec::new();
    let mut periods = Vec::new();
    for r in eps {
        let contract = parse_code(&r.3, Contract::parse)?;
        if let Some(start) = dates::parse_stored(&r.1) {
            periods.push(Period {
                start,
                end: r.2.as_deref().and_then(dates::parse_stored),
                contract,
            });
        }
        history.push(HistoryEntry {
            at: r.6,
            what: "employment".into(),
            by: None,
        });
        episodes.push(Episode {
            id: parse_db(&r.0)?,
            start_on: r.1,
            end_on: r.2,
            contract,
            sector: r.4,
            hours_per_week: r.5,
        });
    }
    let follow_up = match dates::parse_stored(&head.start_date) {
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
    if let (Some(on), Some(_)) = (&head.closed_on, &head.outcome) {
        if let Some(d) = dates::parse_stored(on) {
            history.push(HistoryEntry {
                at: d.midnight().assume_utc().unix_timestamp(),
                what: "closed".into(),
                by: None,
            });
        }
    }
    history.sort_by_key(|h| std::cmp::Reverse(h.at));

    let signals = Signals {
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
        alert_days: 0,
        overdue_goal: goal_list
            .iter()
            .filter(|g| g.overdue)
            .filter_map(|g| g.due_on.clone())
            .min(),
        last_contact_at: head.last_contact_at.unwrap_or(head.intake_at),
    };
    let alert = programme_alert_days(&mut tx.tx, &c.row.2).await?;
    let attention = if c.open {
        signals_attention(
            Signals {
                alert_days: alert,
                ..signals
            },
            today,
            now,
        )
    } else {
        Vec::new()
    };

    Ok(CaseFile {
        case: head,
        outcome_details,
        perspectives,
        procedures,
        goals: goal_list,
        appointments,
        notes: note_list,
        employment: Employment {
            episodes,
            follow_up,
        },
        follows_employment: facts.outcomes.split(',').any(|o| o == EMPLOYMENT_OUTCOME),
        placements,
        attention,
        history,
    })
}

async fn programme_alert_days(conn: &mut sqlx::AnyConnection, id: &str) -> Result<i64> {
    let row: Option<(String,)> = sqlx::query_as("SELECT alert_days FROM programmes WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row
        .map(|r| split_days(&r.0).first().copied().unwrap_or(90))
        .unwrap_or(90))
}

// ---------------------------------------------------------------------------------------
// What needs attention

struct Signals {
    next_deadline: Option<String>,
    stay_until: Option<String>,
    /// The programme's earliest alert point, in days before the end of a stay.
    alert_days: i64,
    overdue_goal: Option<String>,
    last_contact_at: i64,
}

fn signals_attention(s: Signals, today: Date, now: i64) -> Vec<Attention> {
    let mut out = Vec::new();
    if let Some(d) = s.next_deadline.as_deref().and_then(dates::parse_stored) {
        let days = dates::days_between(today, d);
        if days < 0 {
            out.push((AttentionKind::DeadlinePassed, d, days));
        } else if days <= DEADLINE_NEAR_DAYS {
            out.push((AttentionKind::DeadlineNear, d, days));
        }
    }
    if let Some(d) = s.stay_until.as_deref().and_then(dates::parse_stored) {
        let days = dates::days_between(today, d);
        if days < 0 {
            out.push((AttentionKind::StayEnded, d, days));
        } else if days <= s.alert_days {
            out.push((AttentionKind::StayEnding, d, days));
        }
    }
    if let Some(d) = s.overdue_goal.as_deref().and_then(dates::parse_stored) {
        out.push((AttentionKind::GoalOverdue, d, dates::days_between(today, d)));
    }
    if now - s.last_contact_at > NO_CONTACT_DAYS * 86_400 {
        let d = time::OffsetDateTime::from_unix_timestamp(s.last_contact_at)
            .map(|t| t.date())
            .unwrap_or(today);
        out.push((AttentionKind::NoContact, d, dates::days_between(today, d)));
    }
    out.sort_by_key(|(k, _, days)| (k.rank(), *days));
    out.into_iter()
        .map(|(kind, d, days)| Attention {
            kind,
            date: dates::format(d),
            days,
        })
        .collect()
}

fn urgency(a: &[Attention]) -> (i64, i64) {
    a.first()
        .map(|x| (x.kind.rank(), x.days))
        .unwrap_or((i64::MAX, 0))
}

type LineRow = (
    String,
    String,
    Option<String>,
    Option<Vec<u8>>,
    String,
    String,
    Option<i64>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

/// Cases as lines with what needs attention, most urgent first. `filter` is the SQL
/// condition after the organisation and visibility checks; its parameters start at `$3`.
async fn lines(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx,
    org: OrgId,
    filter: &str,
    binds: &[String],
) -> Result<Vec<CaseLine>> {
    let today = today(ctx);
    let today_s = dates::format(today);
    let sql = format!(
        "SELECT c.id, c.person_id, p.data_key, p.sealed, c.programme_id, g.name, g.max_months, \
         c.start_date, c.intake_at, c.manager_assigned_at, c.last_contact_at, c.perspective, \
         c.case_manager_id, g.alert_days, \
         (SELECT MIN(lp.deadline) FROM legal_procedures lp WHERE lp.case_id = c.id \
            AND lp.deadline IS NOT NULL AND lp.decision IN ('pending', 'refused')), \
         (SELECT MIN(pl.stay_until) FROM placements pl WHERE pl.case_id = c.id \
            AND pl.discharged_on IS NULL AND pl.stay_until IS NOT NULL) \
         FROM cases c JOIN persons p ON p.id = c.person_id JOIN programmes g ON g.id = c.programme_id \
         WHERE c.org_id = $1 AND {PERSON_VISIBLE} AND c.status = 'open' AND {filter} \
         ORDER BY c.intake_at"
    );
    let mut q = sqlx::query_as::<_, LineRow>(&sql)
        .bind(org.to_string())
        .bind(ctx.clock.now_ts());
    for b in binds {
        q = q.bind(b.clone());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    // Overdue goals of these cases, in one query.
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut overdue: HashMap<String, String> = HashMap::new();
    if !ids.is_empty() {
        let sql = format!(
            "SELECT case_id, MIN(due_on) FROM goals WHERE status IN ('open', 'in_progress') \
             AND due_on < $1 AND case_id IN ({}) GROUP BY case_id",
            crate::db::placeholders(2, ids.len())
        );
        let mut q = sqlx::query_as::<_, (String, Option<String>)>(&sql).bind(today_s.clone());
        for id in &ids {
            q = q.bind(id.clone());
        }
        for (cid, d) in q.fetch_all(&mut *conn).await? {
            if let Some(d) = d {
                overdue.insert(cid, d);
            }
        }
    }
    let mut managers: Vec<String> = rows.iter().filter_map(|r| r.12.clone()).collect();
    managers.dedup();
    let names = names_of(conn, &managers).await?;
    let now = ctx.clock.now_ts();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let person: PersonId = parse_db(&r.1)?;
        let attention = signals_attention(
            Signals {
                next_deadline: r.14.clone(),
                stay_until: r.15.clone(),
                alert_days: split_days(&r.13).first().copied().unwrap_or(90),
                overdue_goal: overdue.get(&r.0).cloned(),
                last_contact_at: r.10.unwrap_or(r.8),
            },
            today,
            now,
        );
        let manager = match &r.12 {
            Some(m) => Some(StaffRef {
                id: parse_db(m)?,
                name: name_or_id(&names, m),
            }),
            None => None,
        };
        out.push(CaseLine {
            case: CaseSummary {
                id: parse_db(&r.0)?,
                person_id: person,
                person_label: person_label(ctx, person, r.2.as_deref(), r.3.as_deref()),
                programme_id: parse_db(&r.4)?,
                programme_name: r.5,
                case_manager: manager,
                status: "open".into(),
                intake_at: r.8,
                manager_assigned_at: r.9,
                wait_seconds: r.9.map(|a| a - r.8),
                end_date: end_date(&r.7, r.6),
                start_date: r.7,
                perspective: parse_code(&r.11, Perspective::parse)?,
                last_contact_at: r.10,
                closed_on: None,
                outcome: None,
                version: 0,
            },
            attention,
        });
    }
    out.sort_by_key(|l| urgency(&l.attention));
    Ok(out)
}

/// The signed-in case manager's open cases, ordered by what needs attention. Audited.
pub async fn caseload(ctx: &Ctx, actor: &Actor) -> Result<Vec<CaseLine>> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let me = actor.user_id.ok_or(Error::Forbidden)?;
    // The list is read before the audit transaction, so a long caseload does not hold the
    // chain head; nothing is returned unless the event naming every case shown committed.
    let mut conn = ctx.db.pool.acquire().await?;
    let out = lines(
        &mut conn,
        ctx,
        org,
        "c.case_manager_id = $3",
        &[me.to_string()],
    )
    .await?;
    drop(conn);
    let mut tx = AuditTx::begin(ctx).await?;
    let ids: Vec<String> = out.iter().map(|l| l.case.id.to_string()).collect();
    tx.log(ctx, actor, "case.list", "case", &ids).await?;
    tx.commit().await?;
    Ok(out)
}

/// One case manager's load in one programme.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Load {
    #[schema(value_type = String, format = Uuid)]
    pub programme_id: ProgrammeId,
    pub open_cases: i64,
    pub cap: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ManagerLoad {
    pub manager: StaffRef,
    /// One entry per programme of the overview, in the same order.
    pub loads: Vec<Load>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProgrammeId,
    pub name: String,
    pub cap: i64,
}

/// The team lead's overview.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamOverview {
    pub programmes: Vec<ProgrammeRef>,
    pub managers: Vec<ManagerLoad>,
    /// Open cases without a case manager, longest waiting first.
    pub unassigned: Vec<CaseLine>,
    /// When a manager was chosen: that manager's open cases, for rebalancing.
    pub manager_cases: Vec<CaseLine>,
    /// Cases of the organisation with a case manager, and the time it took.
    pub assigned_cases: i64,
    pub average_wait_seconds: Option<i64>,
    pub longest_wait_seconds: Option<i64>,
}

/// Every case manager's caseload per programme, the cases waiting for one, and how long
/// appointing one took. Audited (the lists show persons).
pub async fn team(ctx: &Ctx, actor: &Actor, manager: Option<UserId>) -> Result<TeamOverview> {
    actor.require(Permission::CaseAssign)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    let progs: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, name, caseload_cap FROM programmes WHERE active = 1 OR id IN \
         (SELECT programme_id FROM cases WHERE org_id = $1 AND status = 'open') ORDER BY name",
    )
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let counts: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT case_manager_id, programme_id, COUNT(*) FROM cases WHERE org_id = $1 \
         AND status = 'open' AND case_manager_id IS NOT NULL GROUP BY case_manager_id, programme_id",
    )
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let staff = managers_of(&mut conn, org).await?;
    let mut managers = Vec::new();
    for m in staff {
        let mid = m.id.to_string();
        let mut loads = Vec::new();
        let mut total = 0;
        for p in &progs {
            let n = counts
                .iter()
                .find(|c| c.0 == mid && c.1 == p.0)
                .map(|c| c.2)
                .unwrap_or(0);
            total += n;
            loads.push(Load {
                programme_id: parse_db(&p.0)?,
                open_cases: n,
                cap: p.2,
            });
        }
        managers.push(ManagerLoad {
            manager: m,
            loads,
            total,
        });
    }
    let unassigned = lines(&mut conn, ctx, org, "c.case_manager_id IS NULL", &[]).await?;
    let mut unassigned = unassigned;
    unassigned.sort_by_key(|l| l.case.intake_at);
    let manager_cases = match manager {
        Some(m) => {
            lines(
                &mut conn,
                ctx,
                org,
                "c.case_manager_id = $3",
                &[m.to_string()],
            )
            .await?
        }
        None => Vec::new(),
    };
    let waits: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT intake_at, manager_assigned_at FROM cases WHERE org_id = $1 \
         AND manager_assigned_at IS NOT NULL",
    )
    .bind(org.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let n = waits.len() as i64;
    let sum: i64 = waits.iter().map(|(i, a)| (a - i).max(0)).sum();
    drop(conn);
    let mut ids: Vec<String> = unassigned.iter().map(|l| l.case.id.to_string()).collect();
    ids.extend(manager_cases.iter().map(|l| l.case.id.to_string()));
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "case.team", "case", &ids).await?;
    tx.commit().await?;
    Ok(TeamOverview {
        programmes: progs
            .into_iter()
            .map(|p| {
                Ok(ProgrammeRef {
                    id: parse_db(&p.0)?,
                    name: p.1,
                    cap: p.2,
                })
            })
            .collect::<Result<_>>()?,
        managers,
        unassigned,
        manager_cases,
        assigned_cases: n,
        average_wait_seconds: (n > 0).then(|| sum / n),
        longest_wait_seconds: waits.iter().map(|(i, a)| (a - i).max(0)).max(),
    })
}

// ---------------------------------------------------------------------------------------
// Perspective

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PerspectiveInput {
    pub perspective: Option<String>,
    pub decision_stage: Option<String>,
    pub migration_project: Option<String>,
    pub current_situation: Option<String>,
    pub legal_options: Option<String>,
    pub decision: Option<String>,
}

/// Records the perspective as it stands now; earlier entries stay as history.
pub async fn record_perspective(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &PerspectiveInput,
) -> Result<PerspectiveEntry> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let mut e = Errors::default();
    let perspective = e.take(model::choice(
        &input.perspective,
        "perspective",
        Perspective::parse,
        None,
    ));
    let stage = e.take(model::choice(
        &input.decision_stage,
        "decision_stage",
        DecisionStage::parse,
        None,
    ));
    let mp = e.take(model::text(
        &input.migration_project,
        "migration_project",
        5000,
    ));
    let cs = e.take(model::text(
        &input.current_situation,
        "current_situation",
        5000,
    ));
    let lo = e.take(model::text(&input.legal_options, "legal_options", 5000));
    let de = e.take(model::text(&input.decision, "decision", 5000));
    e.finish()?;
    let (Some(perspective), Some(stage), Some(mp), Some(cs), Some(lo), Some(de)) =
        (perspective, stage, mp, cs, lo, de)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let text = PerspectiveText {
        migration_project: mp,
        current_situation: cs,
        legal_options: lo,
        decision: de,
    };
    let pid = PerspectiveId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    sqlx::query(
        "INSERT INTO case_perspectives (id, case_id, at, recorded_by, perspective, decision_stage, \
         sealed) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(pid.to_string())
    .bind(id.to_string())
    .bind(now)
    .bind(actor.audit_id())
    .bind(perspective.as_str())
    .bind(stage.as_str())
    .bind(seal(&key, &text, &format!("perspective:{pid}"))?)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query("UPDATE cases SET perspective = $1 WHERE id = $2")
        .bind(perspective.as_str())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    touch(&mut tx, ctx, id, true).await?;
    tx.log(
        ctx,
        actor,
        "case.perspective",
        "case",
        &[id.to_string(), pid.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(PerspectiveEntry {
        id: pid,
        at: now,
        recorded_by: actor.audit_id(),
        perspective,
        decision_stage: stage,
        text,
    })
}

// ---------------------------------------------------------------------------------------
// Legal procedures

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProcedureInput {
    /// A code of the configured `procedure_type` list.
    pub kind: Option<String>,
    pub filed_on: Option<String>,
    /// pending (default), granted, refused, withdrawn.
    pub decision: Option<String>,
    pub decision_on: Option<String>,
    pub appeal_filed_on: Option<String>,
    pub deadline: Option<String>,
    pub notes: Option<String>,
}

struct ValidProcedure {
    kind: String,
    filed_on: Option<String>,
    decision: Decision,
    decision_on: Option<String>,
    appeal_filed_on: Option<String>,
    deadline: Option<String>,
    notes: Option<String>,
}

fn parse_procedure(input: &ProcedureInput) -> Result<ValidProcedure> {
    let mut e = Errors::default();
    let kind = e.take(model::required_text(&input.kind, "kind", 60));
    let filed = e.take(model::opt_date(&input.filed_on, "filed_on"));
    let decision = e.take(model::choice(
        &input.decision,
        "decision",
        Decision::parse,
        Some(Decision::Pending),
    ));
    let decision_on = e.take(model::opt_date(&input.decision_on, "decision_on"));
    let appeal = e.take(model::opt_date(&input.appeal_filed_on, "appeal_filed_on"));
    let deadline = e.take(model::opt_date(&input.deadline, "deadline"));
    let notes = e.take(model::text(&input.notes, "notes", 5000));
    if let (Some(Some(f)), Some(Some(d))) = (&filed, &decision_on) {
        if d < f {
            e.push("decision_on", "err-date-before-filed");
        }
    }
    if let (Some(Decision::Pending), Some(Some(_))) = (&decision, &decision_on) {
        e.push("decision_on", "err-decision-pending");
    }
    e.finish()?;
    match (kind, filed, decision, decision_on, appeal, deadline, notes) {
        (Some(kind), Some(f), Some(decision), Some(d), Some(a), Some(dl), Some(notes)) => {
            Ok(ValidProcedure {
                kind,
                filed_on: f.map(dates::format),
                decision,
                decision_on: d.map(dates::format),
                appeal_filed_on: a.map(dates::format),
                deadline: dl.map(dates::format),
                notes,
            })
        }
        _ => Err(Error::Internal(anyhow::anyhow!("validation inconsistency"))),
    }
}

/// Records a legal procedure (application, decision, appeal, deadline).
pub async fn add_procedure(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &ProcedureInput,
) -> Result<ProcedureId> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let v = parse_procedure(input)?;
    let pid = ProcedureId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    if !programmes::in_list(&mut tx.tx, "procedure_type", &v.kind).await? {
        return Err(Error::invalid("kind", "err-choice"));
    }
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    let sealed = match &v.notes {
        Some(n) => Some(seal(&key, &Some(n.clone()), &format!("procedure:{pid}"))?),
        None => None,
    };
    sqlx::query(
        "INSERT INTO legal_procedures (id, case_id, kind, filed_on, decision, decision_on, \
         appeal_filed_on, deadline, sealed, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(pid.to_string())
    .bind(id.to_string())
    .bind(&v.kind)
    .bind(&v.filed_on)
    .bind(v.decision.as_str())
    .bind(&v.decision_on)
    .bind(&v.appeal_filed_on)
    .bind(&v.deadline)
    .bind(sealed)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    touch(&mut tx, ctx, id, false).await?;
    tx.log(
        ctx,
        actor,
        "case.procedure.add",
        "case",
        &[id.to_string(), pid.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(pid)
}

/// Changes a procedure: its decision, appeal and deadline as they happen.
pub async fn update_procedure(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    pid: ProcedureId,
    input: &ProcedureInput,
) -> Result<()> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let v = parse_procedure(input)?;
    let mut tx = AuditTx::begin(ctx).await?;
    if !programmes::in_list(&mut tx.tx, "procedure_type", &v.kind).await? {
        return Err(Error::invalid("kind", "err-choice"));
    }
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    let sealed = match &v.notes {
        Some(n) => Some(seal(&key, &Some(n.clone()), &format!("procedure:{pid}"))?),
        None => None,
    };
    let done = sqlx::query(
        "UPDATE legal_procedures SET kind = $1, filed_on = $2, decision = $3, decision_on = $4, \
         appeal_filed_on = $5, deadline = $6, sealed = $7, updated_at = $8 \
         WHERE id = $9 AND case_id = $10",
    )
    .bind(&v.kind)
    .bind(&v.filed_on)
    .bind(v.decision.as_str())
    .bind(&v.decision_on)
    .bind(&v.appeal_filed_on)
    .bind(&v.deadline)
    .bind(sealed)
    .bind(ctx.clock.now_ts())
    .bind(pid.to_string())
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    touch(&mut tx, ctx, id, false).await?;
    tx.log(
        ctx,
        actor,
        "case.procedure.update",
        "case",
        &[id.to_string(), pid.to_string()],
    )
    .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------
// Action plan

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct GoalInput {
    pub title: Option<String>,
    pub domain: Option<String>,
    /// short or long.
    pub term: Option<String>,
    /// A staff member of your organisation; empty for none.
    pub owner_id: Option<String>,
    pub due_on: Option<String>,
    /// open (default), in_progress, achieved, dropped.
    pub status: Option<String>,
    /// A progress note to add.
    pub progress: Option<String>,
}

async fn check_owner(
    tx: &mut AuditTx<'_>,
    org: OrgId,
    owner: &Option<String>,
) -> Result<Option<String>> {
    match owner.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(o) => {
            let staff = managers_of(&mut tx.tx, org).await?;
            if staff.iter().any(|s| s.id.to_string() == o) {
                Ok(Some(o.to_owned()))
            } else {
                Err(Error::invalid("owner_id", "err-choice"))
            }
        }
    }
}

/// Adds a goal to the action plan; goals in several domains run in parallel.
pub async fn add_goal(ctx: &Ctx, actor: &Actor, id: CaseId, input: &GoalInput) -> Result<GoalId> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let mut e = Errors::default();
    let title = e.take(model::required_text(&input.title, "title", 300));
    let domain = e.take(model::choice(&input.domain, "domain", Domain::parse, None));
    let term = e.take(model::choice(
        &input.term,
        "term",
        Term::parse,
        Some(Term::Short),
    ));
    let due = e.take(model::opt_date(&input.due_on, "due_on"));
    let status = e.take(model::choice(
        &input.status,
        "status",
        GoalStatus::parse,
        Some(GoalStatus::Open),
    ));
    let progress = e.take(model::text(&input.progress, "progress", 5000));
    e.finish()?;
    let (Some(title), Some(domain), Some(term), Some(due), Some(status), Some(progress)) =
        (title, domain, term, due, status, progress)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let gid = GoalId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let owner = check_owner(&mut tx, org, &input.owner_id).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    let text = GoalText {
        title,
        progress: progress
            .map(|t| ProgressNote {
                at: now,
                by: actor.audit_id(),
                text: t,
            })
            .into_iter()
            .collect(),
    };
    sqlx::query(
        "INSERT INTO goals (id, case_id, domain, term, owner_id, due_on, status, sealed, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(gid.to_string())
    .bind(id.to_string())
    .bind(domain.as_str())
    .bind(term.as_str())
    .bind(owner)
    .bind(due.map(dates::format))
    .bind(status.as_str())
    .bind(seal(&key, &text, &format!("goal:{gid}"))?)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    touch(&mut tx, ctx, id, false).await?;
    tx.log(
        ctx,
        actor,
        "case.goal.add",
        "case",
        &[id.to_string(), gid.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(gid)
}

/// Changes a goal (status, due date, owner, title) and adds a progress note if given.
/// Empty fields keep their current value.
pub async fn update_goal(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    gid: GoalId,
    input: &GoalInput,
) -> Result<()> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let mut e = Errors::default();
    let title = e.take(model::text(&input.title, "title", 300));
    let domain = e.take(match input.domain.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Domain::parse(s)
            .map(Some)
            .ok_or(crate::FieldError::new("domain", "err-choice")),
    });
    let term = e.take(match input.term.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Term::parse(s)
            .map(Some)
            .ok_or(crate::FieldError::new("term", "err-choice")),
    });
    let due = e.take(model::opt_date(&input.due_on, "due_on"));
    let status = e.take(match input.status.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => GoalStatus::parse(s)
            .map(Some)
            .ok_or(crate::FieldError::new("status", "err-choice")),
    });
    let progress = e.take(model::text(&input.progress, "progress", 5000));
    e.finish()?;
    let (Some(title), Some(domain), Some(term), Some(due), Some(status), Some(progress)) =
        (title, domain, term, due, status, progress)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    type GoalEdit = (
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        Vec<u8>,
    );
    let row: Option<GoalEdit> = sqlx::query_as(
        "SELECT domain, term, owner_id, due_on, status, sealed FROM goals \
             WHERE id = $1 AND case_id = $2",
    )
    .bind(gid.to_string())
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    let owner = match input.owner_id.as_deref().map(str::trim) {
        None => row.2.clone(),
        Some(_) => check_owner(&mut tx, org, &input.owner_id).await?,
    };
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    let aad = format!("goal:{gid}");
    let mut text: GoalText = open(&key, &row.5, &aad)?;
    if let Some(t) = title {
        text.title = t;
    }
    if let Some(p) = progress {
        text.progress.push(ProgressNote {
            at: now,
            by: actor.audit_id(),
            text: p,
        });
    }
    sqlx::query(
        "UPDATE goals SET domain = $1, term = $2, owner_id = $3, due_on = $4, status = $5, \
         sealed = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(domain.map(|d| d.as_str().to_owned()).unwrap_or(row.0))
    .bind(term.map(|t| t.as_str().to_owned()).unwrap_or(row.1))
    .bind(owner)
    .bind(due.map(dates::format).or(row.3))
    .bind(status.map(|s| s.as_str().to_owned()).unwrap_or(row.4))
    .bind(seal(&key, &text, &aad)?)
    .bind(now)
    .bind(gid.to_string())
    .execute(&mut *tx.tx)
    .await?;
    touch(&mut tx, ctx, id, false).await?;
    tx.log(
        ctx,
        actor,
        "case.goal.update",
        "case",
        &[id.to_string(), gid.to_string()],
    )
    .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------
// Appointments, tasks and notes

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AppointmentInput {
    /// appointment (default) or task.
    pub kind: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// `HH:MM` (UTC); default 09:00.
    pub due_time: Option<String>,
}

fn parse_time(v: &Option<String>) -> std::result::Result<time::Time, crate::FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        return Ok(time::Time::from_hms(9, 0, 0).unwrap_or(time::Time::MIDNIGHT));
    }
    let err = || crate::FieldError::new("due_time", "err-time");
    let (h, m) = s.split_once(':').ok_or_else(err)?;
    let h: u8 = h.parse().map_err(|_| err())?;
    let m: u8 = m.parse().map_err(|_| err())?;
    time::Time::from_hms(h, m, 0).map_err(|_| err())
}

/// Plans an appointment with the person, or a task. An appointment counts as contact.
pub async fn add_appointment(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &AppointmentInput,
) -> Result<AppointmentId> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let mut e = Errors::default();
    let kind = e.take(model::choice(
        &input.kind,
        "kind",
        ItemKind::parse,
        Some(ItemKind::Appointment),
    ));
    let title = e.take(model::required_text(&input.title, "title", 300));
    let due = e.take(
        model::opt_date(&input.due_on, "due_on")
            .and_then(|d| d.ok_or(crate::FieldError::new("due_on", "err-required"))),
    );
    let time = e.take(parse_time(&input.due_time));
    e.finish()?;
    let (Some(kind), Some(title), Some(due), Some(time)) = (kind, title, due, time) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let due_at = due.with_time(time).assume_utc().unix_timestamp();
    let aid = AppointmentId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    sqlx::query(
        "INSERT INTO appointments (id, case_id, kind, due_at, done_at, sealed, created_by, \
         created_at) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
    )
    .bind(aid.to_string())
    .bind(id.to_string())
    .bind(kind.as_str())
    .bind(due_at)
    .bind(seal(&key, &title, &format!("appointment:{aid}"))?)
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    touch(&mut tx, ctx, id, kind == ItemKind::Appointment).await?;
    tx.log(
        ctx,
        actor,
        "case.appointment.add",
        "case",
        &[id.to_string(), aid.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(aid)
}

/// Marks an appointment or task done. A done appointment counts as contact. Marking it
/// done again changes nothing.
pub async fn complete_appointment(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    aid: AppointmentId,
) -> Result<()> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let mut tx = AuditTx::begin(ctx).await?;
    load_open(&mut tx, ctx, org, id).await?;
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT kind, done_at FROM appointments WHERE id = $1 AND case_id = $2")
            .bind(aid.to_string())
            .bind(id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((kind, done)) = row else {
        return Err(Error::NotFound);
    };
    if done.is_some() {
        return Ok(());
    }
    sqlx::query("UPDATE appointments SET done_at = $1 WHERE id = $2")
        .bind(ctx.clock.now_ts())
        .bind(aid.to_string())
        .execute(&mut *tx.tx)
        .await?;
    touch(&mut tx, ctx, id, kind == "appointment").await?;
    tx.log(
        ctx,
        actor,
        "case.appointment.done",
        "case",
        &[id.to_string(), aid.to_string()],
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NoteInput {
    pub text: Option<String>,
}

/// Adds a note (sealed). A note records a contact.
pub async fn add_note(ctx: &Ctx, actor: &Actor, id: CaseId, input: &NoteInput) -> Result<NoteId> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let text =
        model::required_text(&input.text, "text", 10_000).map_err(|f| Error::Invalid(vec![f]))?;
    let nid = NoteId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    sqlx::query(
        "INSERT INTO case_notes (id, case_id, at, written_by, sealed) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(nid.to_string())
    .bind(id.to_string())
    .bind(ctx.clock.now_ts())
    .bind(actor.audit_id())
    .bind(seal(&key, &text, &format!("note:{nid}"))?)
    .execute(&mut *tx.tx)
    .await?;
    touch(&mut tx, ctx, id, true).await?;
    tx.log(
        ctx,
        actor,
        "case.note.add",
        "case",
        &[id.to_string(), nid.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(nid)
}

// ---------------------------------------------------------------------------------------
// Employment follow-up

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EpisodeInput {
    pub start_on: Option<String>,
    /// Empty while the job lasts.
    pub end_on: Option<String>,
    /// temporary or fixed.
    pub contract: Option<String>,
    pub sector: Option<String>,
    /// 1–80.
    pub hours_per_week: Option<String>,
}

/// Records a period of employment; the 6/12/24-month status follows from these.
pub async fn add_episode(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &EpisodeInput,
) -> Result<EpisodeId> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let mut e = Errors::default();
    let start = e.take(
        model::opt_date(&input.start_on, "start_on")
            .and_then(|d| d.ok_or(crate::FieldError::new("start_on", "err-required"))),
    );
    let end = e.take(model::opt_date(&input.end_on, "end_on"));
    let contract = e.take(model::choice(
        &input.contract,
        "contract",
        Contract::parse,
        None,
    ));
    let sector = e.take(model::required_text(&input.sector, "sector", 100));
    let hours = e.take(
        model::number(&input.hours_per_week, "hours_per_week", 1..=80)
            .and_then(|h| h.ok_or(crate::FieldError::new("hours_per_week", "err-required"))),
    );
    if let (Some(s), Some(Some(en))) = (&start, &end) {
        if en < s {
            e.push("end_on", "err-end-before-start");
        }
    }
    e.finish()?;
    let (Some(start), Some(end), Some(contract), Some(sector), Some(hours)) =
        (start, end, contract, sector, hours)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let eid = EpisodeId::new();
    let mut tx = AuditTx::begin(ctx).await?;
    load_open(&mut tx, ctx, org, id).await?;
    sqlx::query(
        "INSERT INTO employment_episodes (id, case_id, start_on, end_on, contract, sector, \
         hours_per_week, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(eid.to_string())
    .bind(id.to_string())
    .bind(dates::format(start))
    .bind(end.map(dates::format))
    .bind(contract.as_str())
    .bind(&sector)
    .bind(hours)
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await?;
    touch(&mut tx, ctx, id, false).await?;
    tx.log(
        ctx,
        actor,
        "case.employment.add",
        "case",
        &[id.to_string(), eid.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(eid)
}

// ---------------------------------------------------------------------------------------
// Closure

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CloseInput {
    /// regularised, returned_voluntarily, moved_on, dublin_transfer, lost_contact,
    /// deceased, other. Required.
    pub outcome: Option<String>,
    /// `YYYY-MM-DD`; not in the future. Required.
    pub closed_on: Option<String>,
    /// For `regularised`: a code of the configured `permit_type` list.
    pub permit_type: Option<String>,
    /// For `returned_voluntarily` and `moved_on`.
    pub country: Option<String>,
    /// For `returned_voluntarily`: who supported the return.
    pub supporting_org: Option<String>,
    pub details: Option<String>,
}

/// Closes a case with its outcome. Closing without an outcome is refused.
pub async fn close(
    ctx: &Ctx,
    actor: &Actor,
    id: CaseId,
    input: &CloseInput,
) -> Result<CaseSummary> {
    actor.require(Permission::CaseWrite)?;
    let org = actor.require_org()?;
    ensure_visible(ctx, org, id).await?;
    let today = today(ctx);
    let mut e = Errors::default();
    let outcome = e.take(model::choice(
        &input.outcome,
        "outcome",
        Outcome::parse,
        None,
    ));
    let closed_on = e.take(
        model::opt_date(&input.closed_on, "closed_on")
            .and_then(|d| d.ok_or(crate::FieldError::new("closed_on", "err-required"))),
    );
    if let Some(d) = &closed_on {
        if *d > today {
            e.push("closed_on", "err-date-future");
        }
    }
    let permit = e.take(model::text(&input.permit_type, "permit_type", 60));
    let country = e.take(model::text(&input.country, "country", 100));
    let supporting = e.take(model::text(&input.supporting_org, "supporting_org", 200));
    let details = e.take(model::text(&input.details, "details", 5000));
    if let (Some(o), Some(p), Some(c), Some(s)) = (&outcome, &permit, &country, &supporting) {
        match o {
            Outcome::Regularised if p.is_none() => e.push("permit_type", "err-required"),
            Outcome::ReturnedVoluntarily => {
                if c.is_none() {
                    e.push("country", "err-required");
                }
                if s.is_none() {
                    e.push("supporting_org", "err-required");
                }
            }
            Outcome::MovedOn if c.is_none() => e.push("country", "err-required"),
            _ => {}
        }
    }
    e.finish()?;
    let (
        Some(outcome),
        Some(closed_on),
        Some(permit),
        Some(country),
        Some(supporting),
        Some(details),
    ) = (outcome, closed_on, permit, country, supporting, details)
    else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let details = OutcomeDetails {
        permit_type: permit.filter(|_| outcome == Outcome::Regularised),
        country: country
            .filter(|_| matches!(outcome, Outcome::ReturnedVoluntarily | Outcome::MovedOn)),
        supporting_org: supporting.filter(|_| outcome == Outcome::ReturnedVoluntarily),
        details,
    };
    let mut tx = AuditTx::begin(ctx).await?;
    if let Some(p) = &details.permit_type {
        if !programmes::in_list(&mut tx.tx, "permit_type", p).await? {
            return Err(Error::invalid("permit_type", "err-choice"));
        }
    }
    let c = load_open(&mut tx, ctx, org, id).await?;
    if let Some(start) = dates::parse_stored(&c.row.7) {
        if closed_on < start {
            return Err(Error::invalid("closed_on", "err-date-before-start"));
        }
    }
    let key = people::data_key(ctx, &mut tx.tx, c.person).await?;
    sqlx::query(
        "UPDATE cases SET status = 'closed', outcome = $1, closed_on = $2, outcome_sealed = $3, \
         version = version + 1, updated_at = $4 WHERE id = $5",
    )
    .bind(outcome.as_str())
    .bind(dates::format(closed_on))
    .bind(seal(&key, &details, &format!("outcome:{id}"))?)
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .execute(&mut *tx.tx)
    .await?;
    let c = load(&mut tx, ctx, org, id).await?;
    let s = summary_of(&mut tx, ctx, &c).await?;
    tx.log(ctx, actor, "case.close", "case", &[id.to_string()])
        .await?;
    tx.commit().await?;
    Ok(s)
}

/// The cases of a person, for the person page: open first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonCase {
    #[schema(value_type = String, format = Uuid)]
    pub id: CaseId,
    pub programme_name: String,
    pub status: String,
    pub start_date: String,
}

/// The actor's organisation's cases of a person. Audited.
pub async fn of_person(ctx: &Ctx, actor: &Actor, person: PersonId) -> Result<Vec<PersonCase>> {
    actor.require(Permission::CaseRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT c.id, g.name, c.status, c.start_date FROM cases c \
         JOIN programmes g ON g.id = c.programme_id \
         WHERE c.org_id = $1 AND {PERSON_VISIBLE} AND c.person_id = $3 \
         ORDER BY c.status DESC, c.intake_at DESC"
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(person.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    if !ids.is_empty() {
        tx.log(ctx, actor, "case.list", "case", &ids).await?;
    }
    tx.commit().await?;
    rows.into_iter()
        .map(|r| {
            Ok(PersonCase {
                id: parse_db(&r.0)?,
                programme_name: r.1,
                status: r.2,
                start_date: r.3,
            })
        })
        .collect()
}
