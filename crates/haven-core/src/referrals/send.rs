//! The sending side: referring a person under their consent, the lists and reads of what
//! the actor's organisation sent, and withdrawing a referral.

use super::access::sync_access;
use super::model::*;
use super::notify;
use super::store::*;
use crate::audit::AuditTx;
use crate::error::Errors;
use crate::ids::{CaseId, ConsentId, OrgId, PersonId, ReferralId};
use crate::outbox::NotificationKind;
use crate::{Actor, Ctx, Error, Permission, Result};

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

/// A referral that passed every check.
struct ValidReferral {
    consent: Consent,
    service: String,
    reason: Option<String>,
    source: Option<Source>,
}

/// Whether a source belongs to the sending organisation and to the consenting person.
async fn source_belongs(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    person: PersonId,
    source: Source,
) -> Result<bool> {
    Ok(match source {
        Source::Case(case) => {
            let found: Option<CaseId> = sqlx::query_scalar(
                "SELECT id FROM cases WHERE id = $1 AND org_id = $2 AND person_id = $3",
            )
            .bind(case)
            .bind(org)
            .bind(person)
            .fetch_optional(&mut *conn)
            .await?;
            found.is_some()
        }
        Source::Outreach(_) => {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT ordinal FROM outreach_contact_persons \
                 WHERE contact_id = $1 AND org_id = $2 AND person_id = $3",
            )
            .bind(source.stored_id())
            .bind(org)
            .bind(person)
            .fetch_optional(&mut *conn)
            .await?;
            found.is_some()
        }
    })
}

/// Checks a referral as typed against the consent, the services and the source, reporting
/// every problem at once.
async fn validate(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    input: &ReferInput,
    allow_outreach: bool,
) -> Result<ValidReferral> {
    let now = ctx.clock.now_ts();
    let mut e = Errors::default();
    let consent = match e.take(parse_id::<ConsentId>(&input.consent_id, "consent_id")) {
        Some(cid) => match own_consent(conn, org, cid, now).await? {
            Some(c) if c.valid => Some(c),
            _ => {
                e.push("consent_id", "err-consent-invalid");
                None
            }
        },
        None => None,
    };
    let service = e.take(required(&input.service_id, "service_id").map(str::to_owned));
    let reason = e.take(opt_text(&input.reason, "reason", 2000));
    let source = e.take(input.source(allow_outreach)).flatten();
    if let Some(c) = &consent {
        require_visible(ctx, conn, org, c.person_id).await?;
        let kind = crate::firewall::kind_of(conn, c.to_org).await?;
        if kind.is_some_and(|k| !crate::firewall::rules(k).referral_recipient) {
            // A consent written before the firewall by kind, or an organisation whose kind
            // changed: no referral goes there.
            e.push("service_id", "err-org-kind-no-referral");
        } else if let Some(s) = &service {
            let services = load_services(conn, org, Some(c.to_org)).await?;
            if !services.iter().any(|x| &x.id == s) {
                e.push("service_id", "err-choice");
            }
        }
        if let Some(src) = source {
            if !source_belongs(conn, org, c.person_id, src).await? {
                e.push("source_id", "err-choice");
            }
        }
    }
    e.finish()?;
    let (Some(consent), Some(service), Some(reason)) = (consent, service, reason) else {
        return Err(Error::Internal(anyhow::anyhow!("validation inconsistency")));
    };
    Ok(ValidReferral {
        consent,
        service,
        reason,
        source,
    })
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
    let v = validate(ctx, &mut tx.tx, org, input, allow_outreach).await?;
    let id = ReferralId::new();
    let person = v.consent.person_id;
    let sealed = match v.reason {
        Some(r) => {
            let text = ReferralText {
                reason: Some(r),
                decline_reason: None,
            };
            Some(seal_text(ctx, &mut tx.tx, person, id, &text).await?)
        }
        None => None,
    };
    // The allowlist as it is now: a later widening of the type does not reach this referral.
    let fields = type_fields(&mut tx.tx, &v.consent.purpose)
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
    .bind(id)
    .bind(person)
    .bind(v.consent.id)
    .bind(org)
    .bind(v.consent.to_org)
    .bind(&v.service)
    .bind(&v.consent.purpose)
    .bind(v.source.map(|s| s.kind().as_str()))
    .bind(v.source.map(Source::stored_id))
    .bind(sealed)
    .bind(actor.audit_id())
    .bind(now)
    .bind(fields)
    .execute(&mut *tx.tx)
    .await?;
    add_step(&mut tx.tx, actor, org, id, StepKind::Sent, None, now).await?;
    sync_access(&mut tx.tx, person, v.consent.to_org, now).await?;
    notify::to_receivers(tx, v.consent.to_org, id, NotificationKind::Received, now).await?;
    tx.log(ctx, actor, "referral.send", "referral", &both(&id, &person))
        .await?;
    Ok(id)
}

/// The referrals the actor's organisation sent, newest first, with the persons' names.
/// Audited with every person shown.
pub async fn sent(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<ReferralLine>> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let rows = latest_lines(ctx, org, Side::Sent, limit).await?;
    let mut ids: Vec<PersonId> = rows.iter().map(|r| r.person_id).collect();
    ids.sort();
    ids.dedup();
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "referral.list_sent", "person", &ids)
        .await?;
    tx.commit().await?;
    rows.into_iter().map(|r| r.line(ctx, true)).collect()
}

/// A person's consents and referrals with the actor's organisation as sender.
pub async fn of_person(ctx: &Ctx, actor: &Actor, person: PersonId) -> Result<PersonReferrals> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    require_visible(ctx, &mut tx.tx, org, person).await?;
    let consents = person_consents(&mut tx.tx, org, person, now).await?;
    let rows = person_lines(&mut tx.tx, org, person).await?;
    tx.log(ctx, actor, "referral.list_person", "person", &[person])
        .await?;
    tx.commit().await?;
    Ok(PersonReferrals {
        consents,
        referrals: rows
            .into_iter()
            .map(|r| r.line(ctx, false))
            .collect::<Result<_>>()?,
    })
}

/// One referral the actor's organisation sent, with every step.
pub async fn get_sent(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<SentReferral> {
    actor.require(Permission::ReferralSend)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row = one_line(&mut tx.tx, org, Side::Sent, id)
        .await?
        .ok_or(Error::NotFound)?;
    let h = head(&mut tx.tx, id).await?.ok_or(Error::NotFound)?;
    let person = h.person_id;
    let l = row.line(ctx, true)?;
    let consent = own_consent(&mut tx.tx, org, h.consent_id, now)
        .await?
        .ok_or(Error::NotFound)?;
    let text = open_text(ctx, &mut tx.tx, person, id, h.sealed.as_deref()).await?;
    let steps = steps(&mut tx.tx, id).await?;
    tx.log(ctx, actor, "referral.read", "referral", &both(&id, &person))
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
        source_type: h.source_type()?,
        source_id: h.source_id,
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
    let h = head(&mut tx.tx, id).await?.ok_or(Error::NotFound)?;
    if h.from_org != org {
        return Err(Error::NotFound);
    }
    let mv = Move {
        from: &[ReferralStatus::Sent, ReferralStatus::Accepted],
        to: ReferralStatus::Withdrawn,
        result: None,
    };
    transition(&mut tx, actor, org, id, &mv, now).await?;
    sync_access(&mut tx.tx, h.person_id, h.to_org, now).await?;
    notify::to_receivers(&mut tx, h.to_org, id, NotificationKind::Withdrawn, now).await?;
    tx.log(
        ctx,
        actor,
        "referral.withdraw",
        "referral",
        &both(&id, &h.person_id),
    )
    .await?;
    // On the erasure list before the commit, so a restore withdraws it again.
    ctx.db
        .note_erased(crate::backup::Kind::Referral, &[id], now)?;
    tx.commit().await
}
