//! The queries the referral use cases share, and the named rows they read: types and
//! services, consents, referral lines and heads, steps, and the sealed text.

use std::fmt::Display;

use super::model::*;
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::ids::{ConsentId, OrgId, PersonId, ReferralId, UserId};
use crate::{people, Actor, Ctx, Error, Result};

/// A code read from the database that the code no longer knows is an internal error.
pub(super) fn parse_code<T>(s: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(s).ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown code in database")))
}

fn parse_opt_code<T>(s: Option<&str>, parse: fn(&str) -> Option<T>) -> Result<Option<T>> {
    s.map(|s| parse_code(s, parse)).transpose()
}

/// Ids of different kinds in one audit event. (`Sync`, so that a use case's future, which
/// holds them across the write, stays `Send`.)
pub(super) type AnyId<'a> = &'a (dyn Display + Sync);

/// A referral id and a person id, for an audit event about both.
pub(super) fn both<'a>(referral: &'a ReferralId, person: &'a PersonId) -> [AnyId<'a>; 2] {
    [referral, person]
}

// ---------------------------------------------------------------------------------------
// Types and services

#[derive(sqlx::FromRow)]
struct TypeRow {
    code: String,
    label: String,
    fields: String,
}

/// The configured types, active ones only.
pub(super) async fn load_types(conn: &mut sqlx::AnyConnection) -> Result<Vec<ReferralType>> {
    let rows: Vec<TypeRow> = sqlx::query_as(
        "SELECT code, label, fields FROM referral_types WHERE active = 1 ORDER BY position, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReferralType {
            code: r.code,
            label: r.label,
            fields: parse_fields(&r.fields),
        })
        .collect())
}

/// The current allowlist of a type; none for an unknown type.
pub(super) async fn type_fields(
    conn: &mut sqlx::AnyConnection,
    code: &str,
) -> Result<Vec<SharedField>> {
    let fields: Option<String> =
        sqlx::query_scalar("SELECT fields FROM referral_types WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(fields.map(|f| parse_fields(&f)).unwrap_or_default())
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    name: String,
    org_id: OrgId,
    org_name: String,
    org_kind: String,
}

impl ServiceRow {
    /// Whether the organisation's kind may receive referrals (`firewall`).
    fn receives(&self) -> bool {
        let kind = self.org_kind.parse().unwrap_or(crate::orgs::OrgKind::Other);
        crate::firewall::rules(kind).referral_recipient
    }
}

impl From<ServiceRow> for ReceivingService {
    fn from(r: ServiceRow) -> Self {
        ReceivingService {
            id: r.id,
            name: r.name,
            org_id: r.org_id,
            org_name: r.org_name,
        }
    }
}

const SERVICE_COLS: &str = "s.id, s.name, o.id AS org_id, o.name AS org_name, o.kind AS org_kind";
const SERVICE_FROM: &str = "dir_services s JOIN dir_organizations d ON d.id = s.organization_id \
     JOIN organisations o ON o.id = d.haven_org_id \
     WHERE s.status = 'active' AND o.active = 1";

/// The active services of network organisations other than `not_org`, or of `only_org`.
pub(super) async fn load_services(
    conn: &mut sqlx::AnyConnection,
    not_org: OrgId,
    only_org: Option<OrgId>,
) -> Result<Vec<ReceivingService>> {
    let rows: Vec<ServiceRow> = match only_org {
        Some(o) => {
            sqlx::query_as(&format!(
                "SELECT {SERVICE_COLS} FROM {SERVICE_FROM} AND o.id <> $1 AND o.id = $2 \
                 ORDER BY o.name, s.name"
            ))
            .bind(not_org)
            .bind(o)
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {SERVICE_COLS} FROM {SERVICE_FROM} AND o.id <> $1 ORDER BY o.name, s.name"
            ))
            .bind(not_org)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter(ServiceRow::receives)
        .map(ReceivingService::from)
        .collect())
}

/// The receiving network organisation of an active directory service, when it is not the
/// actor's own: where a referral to that service would go.
pub(crate) async fn service_org(
    conn: &mut sqlx::AnyConnection,
    not_org: OrgId,
    service: &str,
) -> Result<Option<ReceivingService>> {
    let row: Option<ServiceRow> = sqlx::query_as(&format!(
        "SELECT {SERVICE_COLS} FROM {SERVICE_FROM} AND o.id <> $1 AND s.id = $2"
    ))
    .bind(not_org)
    .bind(service)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.filter(ServiceRow::receives).map(ReceivingService::from))
}

// ---------------------------------------------------------------------------------------
// Consents

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: ConsentId,
    person_id: PersonId,
    to_org: OrgId,
    to_org_name: String,
    purpose: String,
    share_residence_status: Flag,
    expires_at: i64,
    recorded_by: String,
    recorded_at: i64,
    withdrawn_at: Option<i64>,
    withdrawn_by: Option<String>,
}

const CONSENT_COLS: &str = "c.id, c.person_id, c.to_org, o.name AS to_org_name, c.purpose, \
     c.share_residence_status, c.expires_at, \
     COALESCE(ur.display_name, c.recorded_by) AS recorded_by, c.recorded_at, c.withdrawn_at, \
     uw.display_name AS withdrawn_by";
const CONSENT_FROM: &str = "referral_consents c JOIN organisations o ON o.id = c.to_org \
     LEFT JOIN users ur ON ur.id = c.recorded_by LEFT JOIN users uw ON uw.id = c.withdrawn_by";

impl ConsentRow {
    fn consent(self, now: i64) -> Consent {
        Consent {
            id: self.id,
            person_id: self.person_id,
            to_org: self.to_org,
            to_org_name: self.to_org_name,
            purpose: self.purpose,
            share_residence_status: self.share_residence_status.0,
            expires_at: self.expires_at,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
            valid: self.withdrawn_at.is_none() && self.expires_at > now,
            withdrawn_at: self.withdrawn_at,
            withdrawn_by: self.withdrawn_by,
        }
    }
}

/// A consent recorded by the actor's organisation.
pub(super) async fn own_consent(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    id: ConsentId,
    now: i64,
) -> Result<Option<Consent>> {
    let row: Option<ConsentRow> = sqlx::query_as(&format!(
        "SELECT {CONSENT_COLS} FROM {CONSENT_FROM} WHERE c.id = $1 AND c.org_id = $2"
    ))
    .bind(id)
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.consent(now)))
}

/// The consents the actor's organisation recorded for a person, newest first.
pub(super) async fn person_consents(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    person: PersonId,
    now: i64,
) -> Result<Vec<Consent>> {
    let rows: Vec<ConsentRow> = sqlx::query_as(&format!(
        "SELECT {CONSENT_COLS} FROM {CONSENT_FROM} WHERE c.person_id = $1 AND c.org_id = $2 \
         ORDER BY c.recorded_at DESC"
    ))
    .bind(person)
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.consent(now)).collect())
}

/// "Not found" unless `org` may see the person.
pub(super) async fn require_visible(
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

// ---------------------------------------------------------------------------------------
// Referral lines

/// One referral as a list shows it, with the person's stored label for the sending side.
#[derive(sqlx::FromRow)]
pub(super) struct LineRow {
    id: ReferralId,
    pub person_id: PersonId,
    data_key: Option<String>,
    person_sealed: Option<Vec<u8>>,
    from_org_name: String,
    to_org_name: String,
    service_name: String,
    type_code: String,
    status: String,
    result: Option<String>,
    created_at: i64,
    updated_at: i64,
}

const LINE_COLS: &str = "r.id, r.person_id, p.data_key, p.sealed AS person_sealed, \
     fo.name AS from_org_name, too.name AS to_org_name, COALESCE(s.name, '') AS service_name, \
     r.type_code, r.status, r.result, r.created_at, r.updated_at";
const LINE_FROM: &str = "referrals r JOIN persons p ON p.id = r.person_id \
     JOIN organisations fo ON fo.id = r.from_org JOIN organisations too ON too.id = r.to_org \
     LEFT JOIN dir_services s ON s.id = r.service_id";

/// Which referrals a list or a read selects, by the side of the actor's organisation.
#[derive(Clone, Copy)]
pub(super) enum Side {
    Sent,
    Received,
}

impl Side {
    fn column(self) -> &'static str {
        match self {
            Side::Sent => "r.from_org",
            Side::Received => "r.to_org",
        }
    }
}

impl LineRow {
    /// The line; the person's label only `with_person` (the sending side), and none once
    /// the person was erased.
    pub(super) fn line(self, ctx: &Ctx, with_person: bool) -> Result<ReferralLine> {
        let person_label = if with_person {
            let (key, sealed) = (self.data_key.as_deref(), self.person_sealed.as_deref());
            match people::label_from_stored(ctx, self.person_id, key, sealed) {
                Ok(l) => l,
                Err(Error::Erased) => None,
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        Ok(ReferralLine {
            id: self.id,
            person_label,
            from_org_name: self.from_org_name,
            to_org_name: self.to_org_name,
            service_name: self.service_name,
            type_code: self.type_code,
            status: parse_code(&self.status, ReferralStatus::parse)?,
            result: parse_opt_code(self.result.as_deref(), ReferralResult::parse)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The referrals of one side of the actor's organisation, most recently changed first.
pub(super) async fn latest_lines(
    ctx: &Ctx,
    org: OrgId,
    side: Side,
    limit: i64,
) -> Result<Vec<LineRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE {} = $1 \
         ORDER BY r.updated_at DESC, r.id DESC LIMIT $2",
        side.column()
    ))
    .bind(org)
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.db.pool)
    .await?)
}

/// The referrals the actor's organisation sent for a person, newest first.
pub(super) async fn person_lines(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    person: PersonId,
) -> Result<Vec<LineRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.person_id = $1 AND r.from_org = $2 \
         ORDER BY r.created_at DESC"
    ))
    .bind(person)
    .bind(org)
    .fetch_all(&mut *conn)
    .await?)
}

/// One referral of the given side of the actor's organisation.
pub(super) async fn one_line(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    side: Side,
    id: ReferralId,
) -> Result<Option<LineRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LINE_COLS} FROM {LINE_FROM} WHERE r.id = $1 AND {} = $2",
        side.column()
    ))
    .bind(id)
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?)
}

// ---------------------------------------------------------------------------------------
// A referral's head, its steps and its text

/// What the steps of a referral need to know about it.
#[derive(sqlx::FromRow)]
pub(super) struct Head {
    pub person_id: PersonId,
    pub consent_id: ConsentId,
    pub from_org: OrgId,
    pub to_org: OrgId,
    pub sealed: Option<Vec<u8>>,
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    /// The staff member who made it (a user id), or "system".
    pub created_by: String,
    pub consent_expires_at: i64,
}

impl Head {
    pub(super) fn source_type(&self) -> Result<Option<SourceType>> {
        parse_opt_code(self.source_type.as_deref(), SourceType::parse)
    }
}

pub(super) async fn head(conn: &mut sqlx::AnyConnection, id: ReferralId) -> Result<Option<Head>> {
    Ok(sqlx::query_as(
        "SELECT r.person_id, r.consent_id, r.from_org, r.to_org, r.sealed, r.source_type, \
           r.source_id, r.created_by, c.expires_at AS consent_expires_at \
         FROM referrals r JOIN referral_consents c ON c.id = r.consent_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub(super) async fn add_step(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    org: OrgId,
    referral: ReferralId,
    kind: StepKind,
    result: Option<ReferralResult>,
    now: i64,
) -> Result<()> {
    // Steps are never addressed by their id, so it has no id type of its own.
    let step = uuid::Uuid::now_v7().hyphenated().to_string();
    sqlx::query(
        "INSERT INTO referral_steps (id, referral_id, kind, result, at, user_id, org_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(step)
    .bind(referral)
    .bind(kind.as_str())
    .bind(result.map(|r| r.as_str()))
    .bind(now)
    .bind(actor.audit_id())
    .bind(org)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StepRow {
    kind: String,
    result: Option<String>,
    at: i64,
    by_name: String,
    org_name: String,
}

pub(super) async fn steps(
    conn: &mut sqlx::AnyConnection,
    referral: ReferralId,
) -> Result<Vec<Step>> {
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT st.kind, st.result, st.at, COALESCE(u.display_name, st.user_id) AS by_name, \
           COALESCE(o.name, st.org_id) AS org_name \
         FROM referral_steps st LEFT JOIN users u ON u.id = st.user_id \
           LEFT JOIN organisations o ON o.id = st.org_id \
         WHERE st.referral_id = $1 ORDER BY st.at, st.id",
    )
    .bind(referral)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Step {
                kind: parse_code(&r.kind, StepKind::parse)?,
                result: parse_opt_code(r.result.as_deref(), ReferralResult::parse)?,
                at: r.at,
                by: r.by_name,
                org: r.org_name,
            })
        })
        .collect()
}

/// A change of a referral's state, and the result it records when it completes.
pub(super) struct Move {
    /// The states the referral may be in; any other is a conflict.
    pub from: &'static [ReferralStatus],
    pub to: ReferralStatus,
    pub result: Option<ReferralResult>,
}

/// Moves a referral as `mv` says and records the step.
pub(super) async fn transition(
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    org: OrgId,
    id: ReferralId,
    mv: &Move,
    now: i64,
) -> Result<()> {
    let closes = !mv.to.is_open();
    let mut done = 0;
    for f in mv.from {
        let r = sqlx::query(
            "UPDATE referrals SET status = $1, result = COALESCE($2, result), \
               accepted_at = CASE WHEN $1 = 'accepted' THEN $3 ELSE accepted_at END, \
               closed_at = CASE WHEN $4 = 1 THEN $3 ELSE closed_at END, updated_at = $3 \
             WHERE id = $5 AND status = $6",
        )
        .bind(mv.to.as_str())
        .bind(mv.result.map(|r| r.as_str()))
        .bind(now)
        .bind(Flag(closes))
        .bind(id)
        .bind(f.as_str())
        .execute(&mut *tx.tx)
        .await?;
        done += r.rows_affected();
    }
    if done == 0 {
        return Err(Error::Conflict("err-referral-state"));
    }
    let kind = match mv.to {
        ReferralStatus::Sent => StepKind::Sent,
        ReferralStatus::Accepted => StepKind::Accepted,
        ReferralStatus::Declined => StepKind::Declined,
        ReferralStatus::Completed => StepKind::Completed,
        ReferralStatus::Withdrawn => StepKind::Withdrawn,
    };
    add_step(&mut tx.tx, actor, org, id, kind, mv.result, now).await
}

/// The staff member to tell about a step of the receiving side; nobody when the referral
/// was made from the command line.
pub(super) fn sender(head: &Head) -> Option<UserId> {
    head.created_by.parse().ok()
}

fn aad(id: ReferralId) -> String {
    format!("referral:{id}")
}

/// The referral's sealed text, or nothing when the person was erased.
pub(super) async fn open_text(
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

pub(super) async fn seal_text(
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
