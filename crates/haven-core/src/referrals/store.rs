//! The use cases of referrals: consents, referrals and their steps, and the receiving
//! organisation's view of the person.

use serde::Serialize;
use time::Duration;

use super::model::*;
use super::notify::{self, NotificationKind};
use crate::audit::AuditTx;
use crate::error::Errors;
use crate::ids::{parse_db, CaseId, ConsentId, OrgId, PersonId, ReferralId};
use crate::{dates, people, Actor, Ctx, Error, FieldError, Permission, Result};

/// The longest a consent may be given for: a year, so that it is asked again.
pub const MAX_CONSENT_DAYS: i64 = 366;

// ---------------------------------------------------------------------------------------
// Output types

/// A consent as the sending organisation sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Consent {
    #[schema(value_type = String, format = Uuid)]
    pub id: ConsentId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    #[schema(value_type = String, format = Uuid)]
    pub to_org: OrgId,
    pub to_org_name: String,
    /// The referral type the consent is for.
    pub purpose: String,
    pub share_residence_status: bool,
    /// The consent ends at this time (the end of its last day, UTC).
    pub expires_at: i64,
    pub recorded_by: String,
    pub recorded_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawn_by: Option<String>,
    /// Not withdrawn and not expired, now.
    pub valid: bool,
}

/// A directory service that can receive referrals: its organisation is a network member.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceivingService {
    pub id: String,
    pub name: String,
    #[schema(value_type = String, format = Uuid)]
    pub org_id: OrgId,
    pub org_name: String,
}

/// One step of a referral: what happened, when, and who did it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub kind: StepKind,
    pub result: Option<ReferralResult>,
    pub at: i64,
    pub by: String,
    pub org: String,
}

/// One line of a list of referrals. `person_label` is filled for the sending side only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralLine {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    pub person_label: Option<String>,
    pub from_org_name: String,
    pub to_org_name: String,
    pub service_name: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A referral as the sending organisation sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SentReferral {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    pub person_label: Option<String>,
    pub to_org_name: String,
    pub service_name: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
    pub reason: Option<String>,
    pub decline_reason: Option<String>,
    pub source_type: Option<SourceType>,
    pub source_id: Option<String>,
    pub consent: Consent,
    pub created_at: i64,
    pub steps: Vec<Step>,
}

/// A referral as the receiving organisation sees it. `person` and `reason` are present
/// only while the referral is open and its consent stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceivedReferral {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    pub from_org_name: String,
    pub service_name: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
    pub reason: Option<String>,
    pub consent_expires_at: i64,
    pub created_at: i64,
    pub steps: Vec<Step>,
    pub person: Option<ReferredPerson>,
    /// Where the referral was made (a case, street outreach): the kind only, never which
    /// case or contact.
    pub source_type: Option<SourceType>,
}

/// The consents and referrals a person has with the actor's organisation as sender.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonReferrals {
    pub consents: Vec<Consent>,
    pub referrals: Vec<ReferralLine>,
}

// ---------------------------------------------------------------------------------------
// Helpers

fn aad(id: ReferralId) -> String {
    format!("referral:{id}")
}

fn parse_code<T>(s: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(s).ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown code in database")))
}

pub(crate) fn opt_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> std::result::Result<Option<String>, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max {
        Err(FieldError::new(field, "err-too-long"))
    } else if s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(FieldError::new(field, "err-control-chars"))
    } else {
        Ok(Some(s.to_owned()))
    }
}

fn parse_id<T: std::str::FromStr>(
    v: &Option<String>,
    field: &'static str,
) -> std::result::Result<T, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Err(FieldError::new(field, "err-required")),
        Some(s) => s.parse().map_err(|_| FieldError::new(field, "err-choice")),
    }
}

/// The configured types, active ones only.
async fn load_types(conn: &mut sqlx::AnyConnection) -> Result<Vec<ReferralType>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, label, fields FROM referral_types WHERE active = 1 ORDER BY position, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, label, fields)| ReferralType {
            code,
            label,
            fields: parse_fields(&fields),
        })
        .collect())
}

async fn type_fields(conn: &mut sqlx::AnyConnection, code: &str) -> Result<Vec<SharedField>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT fields FROM referral_types WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(f,)| parse_fields(&f)).unwrap_or_default())
}

const SERVICE_COLS: &str = "s.id, s.name, o.id, o.name";
const SERVICE_FROM: &str = "dir_services s JOIN dir_organizations d ON d.id = s.organization_id \
     JOIN organisations o ON o.id = d.haven_org_id \
     WHERE s.status = 'active' AND o.active = 1";

async fn load_services(
    conn: &mut sqlx::AnyConnection,
    not_org: OrgId,
    only_org: Option<OrgId>,
) -> Result<Vec<ReceivingService>> {
    let rows: Vec<(String, String, String, String)> = match only_org {
        Some(o) => {
            sqlx::query_as(&format!(
                "SELECT {SERVICE_COLS} FROM {SERVICE_FROM} AND o.id <> $1 AND o.id = $2 \
                 ORDER BY o.name, s.name"
            ))
            .bind(not_org.to_string())
            .bind(o.to_string())
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {SERVICE_COLS} FROM {SERVICE_FROM} AND o.id <> $1 ORDER BY o.name, s.name"
            ))
            .bind(not_org.to_string())
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.into_iter()
        .map(|(id, name, org, org_name)| {
            Ok(ReceivingService {
                id,
                name,
                org_id: parse_db(&org)?,
                org_name,
            })
        })
        .collect()
}

/// The receiving network organisation of an active directory service, when it is not the
/// actor's own: where a referral to that service would go.
pub(crate) async fn service_org(
    conn: &mut sqlx::AnyConnection,
    not_org: OrgId,
    service: &str,
) -> Result<Option<ReceivingService>> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT {SERVICE_COLS} FROM {SERVICE_FROM} AND o.id <> $1 AND s.id = $2"
    ))
    .bind(not_org.to_string())
    .bind(service)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(id, name, org, org_name)| {
        Ok(ReceivingService {
            id,
            name,
            org_id: parse_db(&org)?,
            org_name,
        })
    })
    .transpose()
}

type ConsentRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    i64,
    Option<i64>,
    Option<String>,
);
const CONSENT_COLS: &str = "c.id, c.person_id, c.to_org, o.name, c.purpose, \
     c.share_residence_status, c.expires_at, COALESCE(ur.display_name, c.recorded_by), \
     c.recorded_at, c.withdrawn_at, uw.display_name";
const CONSENT_FROM: &str = "referral_consents c JOIN organisations o ON o.id = c.to_org \
     LEFT JOIN users ur ON ur.id = c.recorded_by LEFT JOIN users uw ON uw.id = c.withdrawn_by";

fn consent_from_row(r: ConsentRow, now: i64) -> Result<Consent> {
    Ok(Consent {
        id: parse_db(&r.0)?,
        person_id: parse_db(&r.1)?,
        to_org: parse_db(&r.2)?,
        to_org_name: r.3,
        purpose: r.4,
        share_residence_status: r.5 != 0,
        expires_at: r.6,
        recorded_by: r.7,
        recorded_at: r.8,
        valid: r.9.is_none() && r.6 > now,
        withdrawn_at: r.9,
        withdrawn_by: r.10,
    })
}

/// A consent recorded by the actor's organisation.
async fn own_consent(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    id: ConsentId,
    now: i64,
) -> Result<Option<Consent>> {
    let row: Option<ConsentRow> = sqlx::query_as(&format!(
        "SELECT {CONSENT_COLS} FROM {CONSENT_FROM} WHERE c.id = $1 AND c.org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| consent_from_row(r, now)).transpose()
}

async fn require_visible(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    person: PersonId,
) -> Result<()> {
    if people::visible_to(ctx, conn, org, person).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Brings the `referral` access row of (person, organisation) in line with the open,
/// consented referrals, in the caller's transaction. See the module documentation.
pub(crate) async fn sync_access(
    conn: &mut sqlx::AnyConnection,
    person: &str,
    org: &str,
    now: i64,
) -> Result<()> {
    let best: Option<(String, i64)> = sqlx::query_as(
        "SELECT r.id, c.expires_at FROM referrals r \
         JOIN referral_consents c ON c.id = r.consent_id \
         WHERE r.person_id = $1 AND r.to_org = $2 AND r.status IN ('sent', 'accepted') \
           AND c.withdrawn_at IS NULL AND c.expires_at > $3 \
         ORDER BY c.expires_at DESC, r.id LIMIT 1",
    )
    .bind(person)
    .bind(org)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM person_access WHERE person_id = $1 AND org_id = $2 AND basis = 'referral'",
    )
    .bind(person)
    .bind(org)
    .execute(&mut *conn)
    .await?;
    if let Some((referral, expires_at)) = best {
        sqlx::query(
            "INSERT INTO person_access (person_id, org_id, basis, basis_ref, granted_at, \
             expires_at) VALUES ($1, $2, 'referral', $3, $4, $5)",
        )
        .bind(person)
        .bind(org)
        .bind(referral)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn add_step(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    org: OrgId,
    referral: ReferralId,
    kind: StepKind,
    result: Option<ReferralResult>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO referral_steps (id, referral_id, kind, result, at, user_id, org_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(referral.to_string())
    .bind(kind.as_str())
    .bind(result.map(|r| r.as_str()))
    .bind(now)
    .bind(actor.audit_id())
    .bind(org.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn steps(conn: &mut sqlx::AnyConnection, referral: ReferralId) -> Result<Vec<Step>> {
    let rows: Vec<(String, Option<String>, i64, String, String)> = sqlx::query_as(
        "SELECT st.kind, st.result, st.at, COALESCE(u.display_name, st.user_id), \
           COALESCE(o.name, st.org_id) \
         FROM referral_steps st LEFT JOIN users u ON u.id = st.user_id \
           LEFT JOIN organisations o ON o.id = st.org_id \
         WHERE st.referral_id = $1 ORDER BY st.at, st.id",
    )
    .bind(referral.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(kind, result, at, by, org)| {
            Ok(Step {
                kind: parse_code(&kind, StepKind::parse)?,
                result: result
                    .map(|r| parse_code(&r, ReferralResult::parse))
                    .transpose()?,
                at,
                by,
                org,
            })
        })
        .collect()
}

/// The referral's sealed text, or nothing when the person was erased.
async fn open_text(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    person: PersonId,
    id: ReferralId,
    sealed: Option<&[u8]>,
) -> Result<ReferralText> {
    let Some(sealed) = sealed else {
        return Ok(ReferralText::default());
    };
    match people::data_key(ctx, conn, person).await {
        Ok(key) => {
            let json = key.open(sealed, aad(id).as_bytes())?;
            Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
        }
        Err(Error::Erased) => Ok(ReferralText::default()),
        Err(e) => Err(e),
    }
}

async fn seal_text(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    person: PersonId,
    id: ReferralId,
    text: &ReferralText,
) -> Result<Vec<u8>> {
    let key = people::data_key(ctx, conn, person).await?;
    let json = serde_json::to_vec(text).map_err(anyhow::Error::from)?;
    Ok(key.seal(&json, aad(id).as_bytes()))
}

/// The head of a referral: (person, consent, from_org, to_org, status, sealed).
type Head = (String, String, String, String, String, Option<Vec<u8>>);

async fn head(conn: &mut sqlx::AnyConnection, id: ReferralId) -> Result<Option<Head>> {
    Ok(sqlx::query_as(
        "SELECT person_id, consent_id, from_org, to_org, status, sealed FROM referrals \
         WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?)
}

/// Moves a referral from one of `from` to `to`; a referral in any other state is a conflict.
#[allow(clippy::too_many_arguments)]
async fn transition(
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    org: OrgId,
    id: ReferralId,
    from: &[ReferralStatus],
    to: ReferralStatus,
    result: Option<ReferralResult>,
    now: i64,
) -> Result<()> {
    let closes = !to.is_open();
    let mut done = 0;
    for f in from {
        let r = sqlx::query(
            "UPDATE referrals SET status = $1, result = COALESCE($2, result), \
               accepted_at = CASE WHEN $1 = 'accepted' THEN $3 ELSE accepted_at END, \
               closed_at = CASE WHEN $4 = 1 THEN $3 ELSE closed_at END, updated_at = $3 \
             WHERE id = $5 AND status = $6",
        )
        .bind(to.as_str())
        .bind(result.map(|r| r.as_str()))
        .bind(now)
        .bind(i64::from(closes))
        .bind(id.to_string())
        .bind(f.as_str())
        .execute(&mut *tx.tx)
        .await?;
        done += r.rows_affected();
    }
    if done == 0 {
        return Err(Error::Conflict("err-referral-state"));
    }
    let kind = match to {
        ReferralStatus::Sent => StepKind::Sent,
        ReferralStatus::Accepted => StepKind::Accepted,
        ReferralStatus::Declined => StepKind::Declined,
        ReferralStatus::Completed => StepKind::Completed,
        ReferralStatus::Withdrawn => StepKind::Withdrawn,
    };
    add_step(&mut tx.tx, actor, org, id, kind, result, now).await
}

// ---------------------------------------------------------------------------------------
// Sending side

/// The configured referral types.
pub async fn types(ctx: &Ctx, actor: &Actor) -> Result<Vec<ReferralType>> {
    actor.require(Permission::ReferralSend)?;
    let mut conn = ctx.db.pool.acquire().await?;
    load_types(&mut conn).await
}

/// The services one may refer to: active services of other network organisations.
pub async fn receiving_services(ctx: &Ctx, actor: &Actor) -> Result<Vec<ReceivingService>> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    load_services(&mut conn, org, None).await
}

/// What the consent form offers for a person: the types and the receiving services.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsentOptions {
    pub types: Vec<ReferralType>,
    pub services: Vec<ReceivingService>,
}

/// The choices for recording a consent for a person one's organisation may see.
pub async fn consent_options(ctx: &Ctx, actor: &Actor, person: PersonId) -> Result<ConsentOptions> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    require_visible(ctx, &mut conn, org, person).await?;
    Ok(ConsentOptions {
        types: load_types(&mut conn).await?,
        services: load_services(&mut conn, org, None).await?,
    })
}

/// Records a person's consent: the first step of every referral.
pub async fn record_consent(
    ctx: &Ctx,
    actor: &Actor,
    person: PersonId,
    input: &ConsentInput,
) -> Result<Consent> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let consent = record_consent_in(ctx, &mut tx, actor, org, person, input).await?;
    tx.commit().await?;
    Ok(consent)
}

/// The work of [`record_consent`] in the caller's audited transaction, with its event; the
/// caller has checked `ReferralSend`. Outreach uses it to record a consent and refer in one
/// transaction.
pub(crate) async fn record_consent_in(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    org: OrgId,
    person: PersonId,
    input: &ConsentInput,
) -> Result<Consent> {
    let now = ctx.clock.now_ts();
    let today = ctx.clock.now().date();
    require_visible(ctx, &mut tx.tx, org, person).await?;

    let mut e = Errors::default();
    let to_org: Option<OrgId> = e.take(parse_id(&input.to_org, "to_org"));
    if let Some(o) = to_org {
        if load_services(&mut tx.tx, org, Some(o)).await?.is_empty() {
            e.push("to_org", "err-choice");
        }
    }
    let purpose = match input.purpose.as_deref().map(str::trim) {
        None | Some("") => {
            e.push("purpose", "err-required");
            None
        }
        Some(p) => {
            if load_types(&mut tx.tx).await?.iter().any(|t| t.code == p) {
                Some(p.to_owned())
            } else {
                e.push("purpose", "err-choice");
                None
            }
        }
    };
    let until = match input.valid_until.as_deref().map(str::trim) {
        None | Some("") => {
            e.push("valid_until", "err-required");
            None
        }
        Some(s) => match dates::parse_input(s, "valid_until") {
            Ok(d) if d < today || dates::days_between(today, d) > MAX_CONSENT_DAYS => {
                e.push("valid_until", "err-consent-range");
                None
            }
            Ok(d) => Some(d),
            Err(fe) => {
                e.push(fe.field, fe.code);
                None
            }
        },
    };
    if input.person_agreed != Some(true) {
        e.push("person_agreed", "err-consent-required");
    }
    e.finish()?;
    let (Some(to_org), Some(purpose), Some(until)) = (to_org, purpose, until) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    // The consent holds to the end of its last day (UTC).
    let expires_at = (until + Duration::days(1))
        .midnight()
        .assume_utc()
        .unix_timestamp();
    let id = ConsentId::new();
    sqlx::query(
        "INSERT INTO referral_consents (id, person_id, org_id, to_org, purpose, \
         share_residence_status, expires_at, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(org.to_string())
    .bind(to_org.to_string())
    .bind(&purpose)
    .bind(i64::from(input.share_residence_status == Some(true)))
    .bind(expires_at)
    .bind(actor.audit_id())
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    let consent = own_consent(&mut tx.tx, org, id, now)
        .await?
        .ok_or(Error::NotFound)?;
    tx.log(
        ctx,
        actor,
        "referral.consent_record",
        "consent",
        &[id.to_string(), person.to_string()],
    )
    .await?;
    Ok(consent)
}

/// Records that the person withdrew a consent. Open referrals made under it are withdrawn,
/// and the receiving organisation's access ends at once. Returns the person's id.
pub async fn withdraw_consent(ctx: &Ctx, actor: &Actor, id: ConsentId) -> Result<PersonId> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let consent = own_consent(&mut tx.tx, org, id, now)
        .await?
        .ok_or(Error::NotFound)?;
    if consent.withdrawn_at.is_some() {
        return Err(Error::Conflict("err-consent-withdrawn"));
    }
    sqlx::query("UPDATE referral_consents SET withdrawn_at = $1, withdrawn_by = $2 WHERE id = $3")
        .bind(now)
        .bind(actor.audit_id())
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    let open: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM referrals WHERE consent_id = $1 AND status IN ('sent', 'accepted')",
    )
    .bind(id.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let mut ids = vec![id.to_string(), consent.person_id.to_string()];
    for (rid,) in open {
        let rid: ReferralId = parse_db(&rid)?;
        sqlx::query(
            "UPDATE referrals SET status = 'withdrawn', closed_at = $1, updated_at = $1 \
             WHERE id = $2",
        )
        .bind(now)
        .bind(rid.to_string())
        .execute(&mut *tx.tx)
        .await?;
        add_step(
            &mut tx.tx,
            actor,
            org,
            rid,
            StepKind::ConsentWithdrawn,
            None,
            now,
        )
        .await?;
        notify::to_receivers(
            &mut tx,
            consent.to_org,
            rid,
            NotificationKind::Withdrawn,
            now,
        )
        .await?;
        ids.push(rid.to_string());
    }
    sync_access(
        &mut tx.tx,
        &consent.person_id.to_string(),
        &consent.to_org.to_string(),
        now,
    )
    .await?;
    tx.log(ctx, actor, "referral.consent_withdraw", "consent", &ids)
        .await?;
    tx.commit().await?;
    Ok(consent.person_id)
}

/// A consent of the actor's organisation, with the services of its organisation: the
/// choices of the referral form.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferOptions {
    pub consent: Consent,
    pub services: Vec<ReceivingService>,
}

pub async fn refer_options(ctx: &Ctx, actor: &Actor, id: ConsentId) -> Result<ReferOptions> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut conn = ctx.db.pool.acquire().await?;
    let consent = own_consent(&mut conn, org, id, now)
        .await?
        .ok_or(Error::NotFound)?;
    require_visible(ctx, &mut conn, org, consent.person_id).await?;
    let services = load_services(&mut conn, org, Some(consent.to_org)).await?;
    Ok(ReferOptions { consent, services })
}

/// Refers a person under a valid consent to a service of the consented organisation.
pub async fn refer(ctx: &Ctx, actor: &Actor, input: &ReferInput) -> Result<ReferralId> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let id = refer_in(ctx, &mut tx, actor, org, input, false).await?;
    tx.commit().await?;
    Ok(id)
}

/// The work of [`refer`] in the caller's audited transaction, with its step, access row,
/// notification and event; the caller has checked `ReferralSend`. The source `outreach`
/// (a contact of the actor's organisation in which the consenting person is registered)
/// is accepted only with `allow_outreach`: the outreach use case sets it, together with
/// the contact line's `referral_id`, so that a referral is never counted as outreach
/// without its line.
pub(crate) async fn refer_in(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    org: OrgId,
    input: &ReferInput,
    allow_outreach: bool,
) -> Result<ReferralId> {
    let now = ctx.clock.now_ts();
    let mut e = Errors::default();
    let consent = match e.take(parse_id::<ConsentId>(&input.consent_id, "consent_id")) {
        Some(cid) => match own_consent(&mut tx.tx, org, cid, now).await? {
            Some(c) if c.valid => Some(c),
            _ => {
                e.push("consent_id", "err-consent-invalid");
                None
            }
        },
        None => None,
    };
    let service: Option<String> = match input.service_id.as_deref().map(str::trim) {
        None | Some("") => {
            e.push("service_id", "err-required");
            None
        }
        Some(s) => Some(s.to_owned()),
    };
    let reason = e.take(opt_text(&input.reason, "reason", 2000));
    let source = match (
        input
            .source_type
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        input
            .source_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (None, None) => None,
        (Some(t), Some(sid)) => match SourceType::parse(t) {
            Some(SourceType::Case) => match sid.parse::<CaseId>() {
                Ok(c) => Some((SourceType::Case, c.to_string())),
                Err(_) => {
                    e.push("source_id", "err-choice");
                    None
                }
            },
            Some(SourceType::Outreach) if allow_outreach => match uuid::Uuid::parse_str(sid) {
                Ok(c) => Some((SourceType::Outreach, c.to_string())),
                Err(_) => {
                    e.push("source_id", "err-choice");
                    None
                }
            },
            Some(SourceType::Outreach) | None => {
                e.push("source_type", "err-choice");
                None
            }
        },
        (None, Some(_)) => {
            e.push("source_type", "err-required");
            None
        }
        (Some(_), None) => {
            e.push("source_id", "err-required");
            None
        }
    };
    if let Some(c) = &consent {
        require_visible(ctx, &mut tx.tx, org, c.person_id).await?;
        if let Some(s) = &service {
            let ok = load_services(&mut tx.tx, org, Some(c.to_org))
                .await?
                .iter()
                .any(|x| &x.id == s);
            if !ok {
                e.push("service_id", "err-choice");
            }
        }
        if let Some((SourceType::Case, case)) = &source {
            let found: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM cases WHERE id = $1 AND org_id = $2 AND person_id = $3",
            )
            .bind(case)
            .bind(org.to_string())
            .bind(c.person_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
            if found.is_none() {
                e.push("source_id", "err-choice");
            }
        }
        if let Some((SourceType::Outreach, contact)) = &source {
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT ordinal FROM outreach_contact_persons \
                 WHERE contact_id = $1 AND org_id = $2 AND person_id = $3",
            )
            .bind(contact)
            .bind(org.to_string())
            .bind(c.person_id.to_string())
            .fetch_optional(&mut *tx.tx)
            .await?;
            if found.is_none() {
                e.push("source_id", "err-choice");
            }
        }
    }
    e.finish()?;
    let (Some(consent), Some(service), Some(reason)) = (consent, service, reason) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let id = ReferralId::new();
    let person = consent.person_id;
    let sealed = match reason {
        Some(r) => Some(
            seal_text(
                ctx,
                &mut tx.tx,
                person,
                id,
                &ReferralText {
                    reason: Some(r),
                    decline_reason: None,
                },
            )
            .await?,
        ),
        None => None,
    };
    // The allowlist as it is now: a later widening of the type does not reach this referral.
    let fields = type_fields(&mut tx.tx, &consent.purpose)
        .await?
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(
        "INSERT INTO referrals (id, person_id, consent_id, from_org, to_org, service_id, \
         type_code, source_type, source_id, status, sealed, created_by, created_at, updated_at, \
         fields) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sent', $10, $11, $12, $12, $13)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(consent.id.to_string())
    .bind(org.to_string())
    .bind(consent.to_org.to_string())
    .bind(&service)
    .bind(&consent.purpose)
    .bind(source.as_ref().map(|(t, _)| t.as_str()))
    .bind(source.as_ref().map(|(_, s)| s.clone()))
    .bind(sealed)
    .bind(actor.audit_id())
    .bind(now)
    .bind(fields)
    .execute(&mut *tx.tx)
    .await?;
    add_step(&mut tx.tx, actor, org, id, StepKind::Sent, None, now).await?;
    sync_access(
        &mut tx.tx,
        &person.to_string(),
        &consent.to_org.to_string(),
        now,
    )
    .await?;
    notify::to_receivers(tx, consent.to_org, id, NotificationKind::Received, now).await?;
    tx.log(
        ctx,
        actor,
        "referral.send",
        "referral",
        &[id.to_string(), person.to_string()],
    )
    .await?;
    Ok(id)
}

type LineRow = (
    String,
    String,
    Option<String>,
    Option<Vec<u8>>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
);
const LINE_COLS: &str = "r.id, r.person_id, p.data_key, p.sealed, fo.name, too.name, \
     COALESCE(s.name, ''), r.type_code, r.status, r.result, r.created_at, r.updated_at";
const LINE_FROM: &str = "referrals r JOIN persons p ON p.id = r.person_id \
     JOIN organisations fo ON fo.id = r.from_org JOIN organisations too ON too.id = r.to_org \
     LEFT JOIN dir_services s ON s.id = r.service_id";

fn line(ctx: &Ctx, r: LineRow, with_person: bool) -> Result<ReferralLine> {
    let person: PersonId = parse_db(&r.1)?;
    let person_label = if with_person {
        match people::label_from_stored(ctx, person, r.2.as_deref(), r.3.as_deref()) {
            Ok(l) => l,
            Err(Error::Erased) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    Ok(ReferralLine {
        id: parse_db(&r.0)?,
        person_label,
        from_org_name: r.4,
        to_org_name: r.5,
        service_name: r.6,
        type_code: r.7,
        status: parse_code(&r.8, ReferralStatus::parse)?,
        result: r
            .9
            .as_deref()
            .map(|x| parse_code(x, ReferralResult::parse))
            .transpose()?,
        created_at: r.10,
        updated_at: r.11,
    })
}

/// The referrals the actor's organisation sent, newest first, with the persons' names.
/// Audited with every person shown.
pub async fn sent(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<ReferralLine>> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let rows: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.from_org = $1 \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT $2"
    ))
    .bind(org.to_string())
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.db.pool)
    .await?;
    let mut ids: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "referral.list_sent", "person", &ids)
        .await?;
    tx.commit().await?;
    rows.into_iter().map(|r| line(ctx, r, true)).collect()
}

/// A person's consents and referrals with the actor's organisation as sender.
pub async fn of_person(ctx: &Ctx, actor: &Actor, person: PersonId) -> Result<PersonReferrals> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    require_visible(ctx, &mut tx.tx, org, person).await?;
    let rows: Vec<ConsentRow> = sqlx::query_as(&format!(
        "SELECT {CONSENT_COLS} FROM {CONSENT_FROM} WHERE c.person_id = $1 AND c.org_id = $2 \
         ORDER BY c.recorded_at DESC"
    ))
    .bind(person.to_string())
    .bind(org.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    let consents = rows
        .into_iter()
        .map(|r| consent_from_row(r, now))
        .collect::<Result<Vec<_>>>()?;
    let rows: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.person_id = $1 AND r.from_org = $2 \
         ORDER BY r.created_at DESC"
    ))
    .bind(person.to_string())
    .bind(org.to_string())
    .fetch_all(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "referral.list_person",
        "person",
        &[person.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(PersonReferrals {
        consents,
        referrals: rows
            .into_iter()
            .map(|r| line(ctx, r, false))
            .collect::<Result<_>>()?,
    })
}

/// One referral the actor's organisation sent, with every step.
pub async fn get_sent(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<SentReferral> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.id = $1 AND r.from_org = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    let (person, consent_id, _, _, _, sealed) =
        head(&mut tx.tx, id).await?.ok_or(Error::NotFound)?;
    let person: PersonId = parse_db(&person)?;
    let extra: (Option<String>, Option<String>) =
        sqlx::query_as("SELECT source_type, source_id FROM referrals WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *tx.tx)
            .await?;
    let l = line(ctx, row, true)?;
    let consent = own_consent(&mut tx.tx, org, parse_db(&consent_id)?, now)
        .await?
        .ok_or(Error::NotFound)?;
    let text = open_text(ctx, &mut tx.tx, person, id, sealed.as_deref()).await?;
    let steps = steps(&mut tx.tx, id).await?;
    tx.log(
        ctx,
        actor,
        "referral.read",
        "referral",
        &[id.to_string(), person.to_string()],
    )
    .await?;
    tx.commit().await?;
    Ok(SentReferral {
        id,
        person_id: person,
        person_label: l.person_label,
        to_org_name: l.to_org_name,
        service_name: l.service_name,
        type_code: l.type_code,
        status: l.status,
        result: l.result,
        reason: text.reason,
        decline_reason: text.decline_reason,
        source_type: extra
            .0
            .as_deref()
            .map(|s| parse_code(s, SourceType::parse))
            .transpose()?,
        source_id: extra.1,
        consent,
        created_at: l.created_at,
        steps,
    })
}

/// Withdraws a referral the actor's organisation sent, while it is open.
pub async fn withdraw(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<()> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let (person, _, from, to, _, _) = head(&mut tx.tx, id).await?.ok_or(Error::NotFound)?;
    if from != org.to_string() {
        return Err(Error::NotFound);
    }
    transition(
        &mut tx,
        actor,
        org,
        id,
        &[ReferralStatus::Sent, ReferralStatus::Accepted],
        ReferralStatus::Withdrawn,
        None,
        now,
    )
    .await?;
    sync_access(&mut tx.tx, &person, &to, now).await?;
    notify::to_receivers(
        &mut tx,
        parse_db(&to)?,
        id,
        NotificationKind::Withdrawn,
        now,
    )
    .await?;
    tx.log(
        ctx,
        actor,
        "referral.withdraw",
        "referral",
        &[id.to_string(), person],
    )
    .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------
// Receiving side

/// The referrals to the actor's organisation, newest first. No person data: who they are
/// is shown only on the referral itself, while it is open.
pub async fn received(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<ReferralLine>> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let rows: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.to_org = $1 \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT $2"
    ))
    .bind(org.to_string())
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.db.pool)
    .await?;
    rows.into_iter().map(|r| line(ctx, r, false)).collect()
}

/// The grant behind the receiving side's view: the referral is to `org`, open, its consent
/// stands, and the `referral` access row of (person, org) is live. Returns what the view
/// needs: (person id, type, residence-status flag, data key, sealed person, sealed text,
/// the allowlist the referral was sent under).
type Grant = (
    String,
    String,
    i64,
    Option<String>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<String>,
);

async fn grant(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    id: ReferralId,
    now: i64,
) -> Result<Option<Grant>> {
    Ok(sqlx::query_as(
        "SELECT p.id, r.type_code, c.share_residence_status, p.data_key, p.sealed, r.sealed, \
           r.fields \
         FROM referrals r JOIN referral_consents c ON c.id = r.consent_id \
           JOIN persons p ON p.id = r.person_id \
         WHERE r.id = $1 AND r.to_org = $2 AND r.status IN ('sent', 'accepted') \
           AND c.withdrawn_at IS NULL AND c.expires_at > $3 \
           AND EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = p.id \
             AND a.org_id = $2 AND a.basis = 'referral' \
             AND (a.expires_at IS NULL OR a.expires_at > $3))",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

async fn shared_person(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    id: ReferralId,
    g: &Grant,
) -> Result<(ReferredPerson, Option<String>)> {
    let person: PersonId = parse_db(&g.0)?;
    let data = people::data_from_stored(ctx, person, g.3.as_deref(), g.4.as_deref())?;
    // Both the type's current allowlist and the one the referral was sent under.
    let mut fields = type_fields(conn, &g.1).await?;
    if let Some(sent) = &g.6 {
        let sent = parse_fields(sent);
        fields.retain(|f| sent.contains(f));
    }
    let text = open_text(ctx, conn, person, id, g.5.as_deref()).await?;
    Ok((
        ReferredPerson::from_data(data, &fields, g.2 != 0),
        text.reason,
    ))
}

/// One referral to the actor's organisation. While it is open and consented it carries
/// the allowlisted fields of the person and the reason (an audited person read); after
/// that only its steps.
pub async fn get_received(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<ReceivedReferral> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.id = $1 AND r.to_org = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    let l = line(ctx, row, false)?;
    let (consent_expires_at, source_type): (i64, Option<String>) = sqlx::query_as(
        "SELECT c.expires_at, r.source_type FROM referrals r \
         JOIN referral_consents c ON c.id = r.consent_id WHERE r.id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&mut *tx.tx)
    .await?;
    let (person, reason, ids) = match grant(&mut tx.tx, org, id, now).await? {
        Some(g) => match shared_person(ctx, &mut tx.tx, id, &g).await {
            Ok((p, reason)) => (Some(p), reason, vec![id.to_string(), g.0.clone()]),
            Err(Error::Erased) => (None, None, vec![id.to_string()]),
            Err(e) => return Err(e),
        },
        None => (None, None, vec![id.to_string()]),
    };
    let steps = steps(&mut tx.tx, id).await?;
    let action = if person.is_some() {
        "referral.person_read"
    } else {
        "referral.read"
    };
    tx.log(ctx, actor, action, "referral", &ids).await?;
    tx.commit().await?;
    Ok(ReceivedReferral {
        id,
        from_org_name: l.from_org_name,
        service_name: l.service_name,
        type_code: l.type_code,
        status: l.status,
        result: l.result,
        reason,
        consent_expires_at,
        created_at: l.created_at,
        steps,
        person,
        source_type: source_type
            .as_deref()
            .map(|s| parse_code(s, SourceType::parse))
            .transpose()?,
    })
}

/// The referred person view: only the allowlisted fields, only while the referral is open
/// and its consent stands; otherwise "not found". Audited.
pub async fn referred_person(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<ReferredPerson> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let g = grant(&mut tx.tx, org, id, now)
        .await?
        .ok_or(Error::NotFound)?;
    let (p, _) = shared_person(ctx, &mut tx.tx, id, &g).await?;
    tx.log(
        ctx,
        actor,
        "referral.person_read",
        "referral",
        &[id.to_string(), g.0.clone()],
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

/// The receiving side's head of a referral, or "not found" for any other organisation.
async fn received_head(conn: &mut sqlx::AnyConnection, org: OrgId, id: ReferralId) -> Result<Head> {
    let h = head(conn, id).await?.ok_or(Error::NotFound)?;
    if h.3 != org.to_string() {
        return Err(Error::NotFound);
    }
    Ok(h)
}

async fn creator(conn: &mut sqlx::AnyConnection, id: ReferralId) -> Result<String> {
    let (u,): (String,) = sqlx::query_as("SELECT created_by FROM referrals WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok(u)
}

/// Accepts a referral to the actor's organisation.
pub async fn accept(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<()> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let (person, ..) = received_head(&mut tx.tx, org, id).await?;
    transition(
        &mut tx,
        actor,
        org,
        id,
        &[ReferralStatus::Sent],
        ReferralStatus::Accepted,
        None,
        now,
    )
    .await?;
    let sender = creator(&mut tx.tx, id).await?;
    notify::to_user(&mut tx, &sender, id, NotificationKind::Accepted, now).await?;
    tx.log(
        ctx,
        actor,
        "referral.accept",
        "referral",
        &[id.to_string(), person],
    )
    .await?;
    tx.commit().await
}

/// Declines a referral to the actor's organisation, with a reason for the sender.
pub async fn decline(ctx: &Ctx, actor: &Actor, id: ReferralId, input: &DeclineInput) -> Result<()> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let reason = match opt_text(&input.reason, "reason", 2000) {
        Ok(Some(r)) => r,
        Ok(None) => return Err(Error::invalid("reason", "err-required")),
        Err(fe) => return Err(Error::Invalid(vec![fe])),
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let (person, _, _, to, _, sealed) = received_head(&mut tx.tx, org, id).await?;
    transition(
        &mut tx,
        actor,
        org,
        id,
        &[ReferralStatus::Sent],
        ReferralStatus::Declined,
        None,
        now,
    )
    .await?;
    let pid: PersonId = parse_db(&person)?;
    match open_text(ctx, &mut tx.tx, pid, id, sealed.as_deref()).await {
        Ok(mut text) => {
            text.decline_reason = Some(reason);
            match seal_text(ctx, &mut tx.tx, pid, id, &text).await {
                Ok(s) => {
                    sqlx::query("UPDATE referrals SET sealed = $1 WHERE id = $2")
                        .bind(s)
                        .bind(id.to_string())
                        .execute(&mut *tx.tx)
                        .await?;
                }
                // An erased person keeps no text; the decline itself still counts.
                Err(Error::Erased) => {}
                Err(e) => return Err(e),
            }
        }
        Err(e) => return Err(e),
    }
    sync_access(&mut tx.tx, &person, &to, now).await?;
    let sender = creator(&mut tx.tx, id).await?;
    notify::to_user(&mut tx, &sender, id, NotificationKind::Declined, now).await?;
    tx.log(
        ctx,
        actor,
        "referral.decline",
        "referral",
        &[id.to_string(), person],
    )
    .await?;
    tx.commit().await
}

/// Records what came of an accepted referral; this closes it.
pub async fn record_result(
    ctx: &Ctx,
    actor: &Actor,
    id: ReferralId,
    input: &ResultInput,
) -> Result<()> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let result = match input.result.as_deref().map(str::trim) {
        None | Some("") => return Err(Error::invalid("result", "err-required")),
        Some(s) => ReferralResult::parse(s).ok_or(Error::invalid("result", "err-choice"))?,
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let (person, _, _, to, _, _) = received_head(&mut tx.tx, org, id).await?;
    transition(
        &mut tx,
        actor,
        org,
        id,
        &[ReferralStatus::Accepted],
        ReferralStatus::Completed,
        Some(result),
        now,
    )
    .await?;
    sync_access(&mut tx.tx, &person, &to, now).await?;
    let sender = creator(&mut tx.tx, id).await?;
    notify::to_user(&mut tx, &sender, id, NotificationKind::Completed, now).await?;
    tx.log(
        ctx,
        actor,
        "referral.result",
        "referral",
        &[id.to_string(), person],
    )
    .await?;
    tx.commit().await
}
