//! The sending side's first step: the choices for a consent, recording the person's
//! consent, and recording that they withdrew it.

use super::access::sync_access;
use super::model::*;
use super::notify;
use super::store::{add_step, load_services, load_types, own_consent, require_visible, AnyId};
use crate::audit::AuditTx;
use crate::error::Errors;
use crate::ids::{ConsentId, OrgId, PersonId, ReferralId};
use crate::outbox::NotificationKind;
use crate::{Actor, Ctx, Error, Permission, Result};

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

/// A consent that passed every check.
struct ValidConsent {
    to_org: OrgId,
    purpose: String,
    expires_at: i64,
}

/// Checks a consent as typed against the services and types, reporting every problem at
/// once.
async fn validate(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    input: &ConsentInput,
) -> Result<ValidConsent> {
    let mut e = Errors::default();
    let to_org: Option<OrgId> = e.take(parse_id(&input.to_org, "to_org"));
    if let Some(o) = to_org {
        let kind = crate::firewall::kind_of(conn, o).await?;
        if kind.is_some_and(|k| !crate::firewall::rules(k).consent_recipient) {
            // The firewall by kind: never a consent to a police liaison unit (and the
            // other kinds that receive no personal data).
            e.push("to_org", "err-org-kind-no-consent");
        } else if load_services(conn, org, Some(o)).await?.is_empty() {
            e.push("to_org", "err-choice");
        }
    }
    let purpose = match e.take(required(&input.purpose, "purpose")) {
        Some(p) if load_types(conn).await?.iter().any(|t| t.code == p) => Some(p.to_owned()),
        Some(_) => {
            e.push("purpose", "err-choice");
            None
        }
        None => None,
    };
    let expires_at = e.take(input.expires_at(ctx.clock.now().date()));
    if input.person_agreed != Some(true) {
        e.push("person_agreed", "err-consent-required");
    }
    e.finish()?;
    let (Some(to_org), Some(purpose), Some(expires_at)) = (to_org, purpose, expires_at) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    Ok(ValidConsent {
        to_org,
        purpose,
        expires_at,
    })
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
    require_visible(ctx, &mut tx.tx, org, person).await?;
    let v = validate(ctx, &mut tx.tx, org, input).await?;
    let id = ConsentId::new();
    sqlx::query(
        "INSERT INTO referral_consents (id, person_id, org_id, to_org, purpose, \
         share_residence_status, expires_at, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(person)
    .bind(org)
    .bind(v.to_org)
    .bind(&v.purpose)
    .bind(i64::from(input.share_residence_status == Some(true)))
    .bind(v.expires_at)
    .bind(actor.audit_id())
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    let consent = own_consent(&mut tx.tx, org, id, now)
        .await?
        .ok_or(Error::NotFound)?;
    let ids: [AnyId; 2] = [&id, &person];
    tx.log(ctx, actor, "referral.consent_record", "consent", &ids)
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
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    let open: Vec<ReferralId> = sqlx::query_scalar(
        "SELECT id FROM referrals WHERE consent_id = $1 AND status IN ('sent', 'accepted')",
    )
    .bind(id)
    .fetch_all(&mut *tx.tx)
    .await?;
    for &rid in &open {
        sqlx::query(
            "UPDATE referrals SET status = 'withdrawn', closed_at = $1, updated_at = $1 \
             WHERE id = $2",
        )
        .bind(now)
        .bind(rid)
        .execute(&mut *tx.tx)
        .await?;
        let kind = StepKind::ConsentWithdrawn;
        add_step(&mut tx.tx, actor, org, rid, kind, None, now).await?;
        let kind = NotificationKind::Withdrawn;
        notify::to_receivers(&mut tx, consent.to_org, rid, kind, now).await?;
    }
    sync_access(&mut tx.tx, consent.person_id, consent.to_org, now).await?;
    let mut ids: Vec<AnyId> = vec![&id, &consent.person_id];
    ids.extend(open.iter().map(|r| r as AnyId));
    tx.log(ctx, actor, "referral.consent_withdraw", "consent", &ids)
        .await?;
    // On the erasure list before the commit, so a restore withdraws it again.
    ctx.db
        .note_erased(crate::backup::Kind::Consent, &[id], now)?;
    tx.commit().await?;
    Ok(consent.person_id)
}
