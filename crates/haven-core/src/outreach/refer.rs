//! Referral lines of outreach contacts, and turning one into a consented referral.
//!
//! A contact's referral line says where the person was sent. For an anonymous person it
//! stays what it is, **signposting**: the person was told where to go, and nothing about
//! them was shared. Once the person is registered (with their consent, see
//! [`super::register()`]), a worker may turn a line to a directory service into a
//! **referral with consent**: the consent is recorded and the referral made through the
//! same code as a referral from a case (`referrals::record_consent_in`,
//! `referrals::refer_in`), with source `outreach` and the contact as source, and the
//! line's `referral_id` is set, all in one audited transaction. The team lead's view
//! ([`super::team()`]) reads the outcome through that id.

use serde::{Deserialize, Serialize};

use super::model::parse_id;
use super::store::{area_label, commit_read, target_names, AnyId};
use crate::audit::AuditTx;
use crate::ids::{OrgId, PersonId, ReferralId};
use crate::input::{given, text};
use crate::referrals::{self, ConsentInput, ReferInput, ReferralResult, ReferralStatus};
use crate::{Actor, Ctx, Error, Permission, Result};

/// What a referral line is: signposting (nothing shared) or a referral made with the
/// person's recorded consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Signposted,
    ReferredWithConsent,
}

/// The consented referral made from a line, as its sender sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineReferral {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReferralId,
    pub status: ReferralStatus,
    pub result: Option<ReferralResult>,
}

/// One referral line of a contact.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralLineState {
    /// The person's position in the contact.
    pub ordinal: i64,
    /// `organisation` or `service`.
    pub target_kind: String,
    pub target_id: String,
    pub target_name: String,
    /// The registered person, when the person consented to registration.
    pub person_id: Option<String>,
    pub kind: LineKind,
    pub referral: Option<LineReferral>,
    /// A consented referral can be made from this line now: the person is registered, the
    /// line is to a service of another network organisation, and none was made yet.
    pub can_refer: bool,
}

/// A contact's referral lines, for the staff page and the API. No sealed data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContactReferrals {
    pub contact_id: String,
    pub contact_at: i64,
    pub area: String,
    pub lines: Vec<ReferralLineState>,
}

/// A consented referral from a contact's referral line: which line (the person's position
/// and the service), and the consent as the person gave it. The receiving organisation is
/// the service's.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReferLineInput {
    pub ordinal: Option<i64>,
    /// The line's service (a directory service id).
    pub service_id: Option<String>,
    /// A referral type code.
    pub purpose: Option<String>,
    /// The last day the consent holds, `YYYY-MM-DD`; at most a year ahead.
    pub valid_until: Option<String>,
    pub share_residence_status: Option<bool>,
    /// The worker confirms the person said yes.
    pub person_agreed: Option<bool>,
    /// Why, in a few words, for the receiving organisation; sealed with the person's key.
    pub reason: Option<String>,
}

/// A referral line and the person at its position.
#[derive(sqlx::FromRow)]
struct LineRow {
    ordinal: i64,
    target_kind: String,
    target_id: String,
    referral_id: Option<ReferralId>,
    person_id: Option<PersonId>,
}

const LINE_SQL: &str = "SELECT r.ordinal, r.target_kind, r.target_id, r.referral_id, p.person_id \
     FROM outreach_referrals r LEFT JOIN outreach_contact_persons p \
       ON p.contact_id = r.contact_id AND p.ordinal = r.ordinal \
     WHERE r.contact_id = $1 AND r.org_id = $2";

#[derive(sqlx::FromRow)]
struct HeadRow {
    contact_at: i64,
    area: String,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    status: String,
    result: Option<String>,
}

/// The consented referral made from a line, when the actor's organisation made it.
async fn line_referral(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    id: ReferralId,
) -> Result<Option<LineReferral>> {
    let st: Option<StateRow> =
        sqlx::query_as("SELECT status, result FROM referrals WHERE id = $1 AND from_org = $2")
            .bind(id)
            .bind(org)
            .fetch_optional(&mut *conn)
            .await?;
    st.map(|st| {
        Ok(LineReferral {
            id,
            status: ReferralStatus::parse(&st.status)
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown referral status")))?,
            result: st.result.as_deref().and_then(ReferralResult::parse),
        })
    })
    .transpose()
}

/// A contact's referral lines with what became of each. Audited as a read of the contact.
pub async fn lines(ctx: &Ctx, actor: &Actor, contact_id: &str) -> Result<ContactReferrals> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?;
    let id = parse_id(contact_id).ok_or(Error::NotFound)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let head: Option<HeadRow> = sqlx::query_as(
        "SELECT contact_at, area FROM outreach_contacts WHERE id = $1 AND org_id = $2",
    )
    .bind(&id)
    .bind(org)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let head = head.ok_or(Error::NotFound)?;
    let rows: Vec<LineRow> = sqlx::query_as(&format!(
        "{LINE_SQL} ORDER BY r.ordinal, r.target_kind, r.target_id"
    ))
    .bind(&id)
    .bind(org)
    .fetch_all(&mut *tx.tx)
    .await?;
    let names = target_names(&mut tx.tx).await?;
    let area = area_label(&mut tx.tx, org, head.area).await?;
    let may_refer = actor.can(Permission::ReferralSend);
    let mut lines = Vec::new();
    let mut ids = vec![id.clone()];
    for r in rows {
        let referral = match r.referral_id {
            Some(rid) => line_referral(&mut tx.tx, org, rid).await?,
            None => None,
        };
        let can_refer = may_refer
            && r.referral_id.is_none()
            && r.person_id.is_some()
            && r.target_kind == "service"
            && referrals::service_org(&mut tx.tx, org, &r.target_id)
                .await?
                .is_some();
        let person_id = r.person_id.map(|p| p.to_string());
        ids.extend(person_id.clone());
        lines.push(ReferralLineState {
            ordinal: r.ordinal,
            target_name: names
                .get(&(r.target_kind.clone(), r.target_id.clone()))
                .cloned()
                .unwrap_or_else(|| r.target_id.clone()),
            target_kind: r.target_kind,
            target_id: r.target_id,
            person_id,
            kind: if r.referral_id.is_some() {
                LineKind::ReferredWithConsent
            } else {
                LineKind::Signposted
            },
            referral,
            can_refer,
        });
    }
    // Contact and person ids in one sorted list, as text.
    ids.sort();
    ids.dedup();
    commit_read(tx, ctx, actor, &ids).await?;
    Ok(ContactReferrals {
        contact_id: id,
        contact_at: head.contact_at,
        area,
        lines,
    })
}

/// A line becomes a consented referral once, and only for a registered person: its
/// person, or why not.
fn referable<T>(referred: bool, person: Option<T>) -> Result<T> {
    if referred {
        return Err(Error::Conflict("err-outreach-already-referred"));
    }
    person.ok_or(Error::Conflict("err-outreach-anonymous-referral"))
}

/// The line's service, when a network organisation other than the actor's offers it.
async fn network_service(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    service: &str,
) -> Result<referrals::ReceivingService> {
    referrals::service_org(conn, org, service)
        .await?
        .ok_or(Error::Conflict("err-outreach-not-network"))
}

/// Records the consent a referral line's form carries, to `to_org`. Its problems and the
/// reason's are reported at once.
async fn record_consent(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    org: OrgId,
    person: PersonId,
    to_org: OrgId,
    input: &ReferLineInput,
) -> Result<referrals::Consent> {
    let consent = ConsentInput {
        to_org: Some(to_org.to_string()),
        purpose: input.purpose.clone(),
        valid_until: input.valid_until.clone(),
        share_residence_status: input.share_residence_status,
        person_agreed: input.person_agreed,
    };
    match referrals::record_consent_in(ctx, tx, actor, org, person, &consent).await {
        Err(Error::Invalid(mut fields)) => {
            if let Err(fe) = text(&input.reason, "reason", 2000) {
                fields.push(fe);
            }
            Err(Error::Invalid(fields))
        }
        other => other,
    }
}

/// Turns a referral line of a registered person into a consented referral: records the
/// consent to the service's organisation, refers through the referrals module (source
/// `outreach`, the contact), and records the referral on the line, in one transaction.
/// An anonymous person's line stays signposting; a line already referred is a conflict.
pub async fn refer_line(
    ctx: &Ctx,
    actor: &Actor,
    contact_id: &str,
    input: &ReferLineInput,
) -> Result<ReferralId> {
    actor.require(Permission::OutreachRecord)?;
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let id = parse_id(contact_id).ok_or(Error::NotFound)?;
    let mut e = crate::error::Errors::default();
    if input.ordinal.is_none() {
        e.push("ordinal", "err-required");
    }
    let service = given(&input.service_id);
    if service.is_none() {
        e.push("service_id", "err-required");
    }
    e.finish()?;
    let (Some(ordinal), Some(service)) = (input.ordinal, service) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let line: Option<LineRow> = sqlx::query_as(&format!(
        "{LINE_SQL} AND r.ordinal = $3 AND r.target_kind = 'service' AND r.target_id = $4"
    ))
    .bind(&id)
    .bind(org)
    .bind(ordinal)
    .bind(service)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let line = line.ok_or(Error::NotFound)?;
    let person = referable(line.referral_id.is_some(), line.person_id)?;
    let to = network_service(&mut tx.tx, org, service).await?;
    let consent = record_consent(ctx, &mut tx, actor, org, person, to.org_id, input).await?;
    let rid = referrals::refer_in(
        ctx,
        &mut tx,
        actor,
        org,
        &ReferInput {
            consent_id: Some(consent.id.to_string()),
            service_id: Some(service.to_owned()),
            reason: input.reason.clone(),
            source_type: Some(referrals::SourceType::Outreach.as_str().to_owned()),
            source_id: Some(id.clone()),
        },
        true,
    )
    .await?;
    let done = sqlx::query(
        "UPDATE outreach_referrals SET referral_id = $1 WHERE contact_id = $2 AND ordinal = $3 \
         AND target_kind = 'service' AND target_id = $4 AND org_id = $5 AND referral_id IS NULL",
    )
    .bind(rid)
    .bind(&id)
    .bind(ordinal)
    .bind(service)
    .bind(org)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Error::Conflict("err-outreach-already-referred"));
    }
    let ids: [AnyId; 3] = [&id, &rid, &person];
    tx.log(
        ctx,
        actor,
        "outreach.contact.refer",
        "outreach_contact",
        &ids,
    )
    .await?;
    tx.commit().await?;
    Ok(rid)
}

/// What the form for a consented referral from a line shows: the line, where it goes, and
/// the referral types (the consent's purpose).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferLineOptions {
    pub contact_id: String,
    pub line: ReferralLineState,
    pub to_org_name: String,
    pub service_name: String,
    pub types: Vec<referrals::ReferralType>,
}

/// The choices for turning one line into a consented referral; the same refusals as
/// [`refer_line`] (anonymous, already referred, not a network organisation's service).
pub async fn refer_line_options(
    ctx: &Ctx,
    actor: &Actor,
    contact_id: &str,
    ordinal: i64,
    service: &str,
) -> Result<ReferLineOptions> {
    actor.require(Permission::OutreachRecord)?;
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let c = lines(ctx, actor, contact_id).await?;
    let line = c
        .lines
        .into_iter()
        .find(|l| l.ordinal == ordinal && l.target_kind == "service" && l.target_id == service)
        .ok_or(Error::NotFound)?;
    referable(line.referral.is_some(), line.person_id.as_ref())?;
    let mut conn = ctx.db.pool.acquire().await?;
    let to = network_service(&mut conn, org, service).await?;
    drop(conn);
    Ok(ReferLineOptions {
        contact_id: c.contact_id,
        line,
        to_org_name: to.org_name,
        service_name: to.name,
        types: referrals::types(ctx, actor).await?,
    })
}
