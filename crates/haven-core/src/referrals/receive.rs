//! The receiving side: the list and reads of referrals to the actor's organisation, the
//! referred person view, and the decisions (accept, decline, record the result).

use super::access::{grant, shared_person, sync_access};
use super::model::*;
use super::notify;
use super::store::*;
use crate::audit::AuditTx;
use crate::ids::{OrgId, ReferralId};
use crate::outbox::NotificationKind;
use crate::{Actor, Ctx, Error, Permission, Result};

/// The referrals to the actor's organisation, newest first. No person data: who they are
/// is shown only on the referral itself, while it is open.
pub async fn received(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<ReferralLine>> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let rows = latest_lines(ctx, org, Side::Received, limit).await?;
    rows.into_iter().map(|r| r.line(ctx, false)).collect()
}

/// One referral to the actor's organisation. While it is open and consented it carries
/// the allowlisted fields of the person and the reason (an audited person read); after
/// that only its steps.
pub async fn get_received(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<ReceivedReferral> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row = one_line(&mut tx.tx, org, Side::Received, id)
        .await?
        .ok_or(Error::NotFound)?;
    let l = row.line(ctx, false)?;
    let h = head(&mut tx.tx, id).await?.ok_or(Error::NotFound)?;
    let shared = match grant(&mut tx.tx, org, id, now).await? {
        Some(g) => match shared_person(ctx, &mut tx.tx, id, &g).await {
            Ok((p, reason)) => Some((g.person_id, p, reason)),
            Err(Error::Erased) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let steps = steps(&mut tx.tx, id).await?;
    let (person, reason) = match shared {
        Some((pid, p, reason)) => {
            tx.log(
                ctx,
                actor,
                "referral.person_read",
                "referral",
                &both(&id, &pid),
            )
            .await?;
            (Some(p), reason)
        }
        None => {
            tx.log(ctx, actor, "referral.read", "referral", &[id])
                .await?;
            (None, None)
        }
    };
    tx.commit().await?;
    Ok(ReceivedReferral {
        id,
        from_org_name: l.from_org_name,
        service_name: l.service_name,
        type_code: l.type_code,
        status: l.status,
        result: l.result,
        reason,
        consent_expires_at: h.consent_expires_at,
        created_at: l.created_at,
        steps,
        person,
        source_type: h.source_type()?,
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
    let ids = both(&id, &g.person_id);
    tx.log(ctx, actor, "referral.person_read", "referral", &ids)
        .await?;
    tx.commit().await?;
    Ok(p)
}

/// Accepts a referral to the actor's organisation.
pub async fn accept(ctx: &Ctx, actor: &Actor, id: ReferralId) -> Result<()> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    decide(ctx, actor, org, id, Decision::Accept).await
}

/// Declines a referral to the actor's organisation, with a reason for the sender.
pub async fn decline(ctx: &Ctx, actor: &Actor, id: ReferralId, input: &DeclineInput) -> Result<()> {
    actor.require(Permission::ReferralReceive)?;
    let org = actor.require_org()?;
    let reason = input.parse()?;
    decide(ctx, actor, org, id, Decision::Decline(reason)).await
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
    let result = input.parse()?;
    decide(ctx, actor, org, id, Decision::Complete(result)).await
}

/// What the receiving side decided.
enum Decision {
    Accept,
    /// With the reason for the sender.
    Decline(String),
    Complete(ReferralResult),
}

impl Decision {
    /// The move it makes, what it tells the sender, and its audit action.
    fn effect(&self) -> (Move, NotificationKind, &'static str) {
        use ReferralStatus::*;
        let mv = |from: &'static [ReferralStatus], to, result| Move { from, to, result };
        match self {
            Decision::Accept => (
                mv(&[Sent], Accepted, None),
                NotificationKind::Accepted,
                "referral.accept",
            ),
            Decision::Decline(_) => (
                mv(&[Sent], Declined, None),
                NotificationKind::Declined,
                "referral.decline",
            ),
            Decision::Complete(r) => (
                mv(&[Accepted], Completed, Some(*r)),
                NotificationKind::Completed,
                "referral.result",
            ),
        }
    }
}

/// Takes a decision on a referral to `org` in one audited transaction: the step, the
/// decline reason (sealed with the rest of the referral's text), the access row when the
/// referral closes, and the sender's notification.
async fn decide(ctx: &Ctx, actor: &Actor, org: OrgId, id: ReferralId, d: Decision) -> Result<()> {
    let (mv, tell, action) = d.effect();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    // Any other organisation's referral is "not found".
    let h = head(&mut tx.tx, id)
        .await?
        .filter(|h| h.to_org == org)
        .ok_or(Error::NotFound)?;
    transition(&mut tx, actor, org, id, &mv, now).await?;
    if let Decision::Decline(reason) = d {
        let mut text = open_text(ctx, &mut tx.tx, h.person_id, id, h.sealed.as_deref()).await?;
        text.decline_reason = Some(reason);
        match seal_text(ctx, &mut tx.tx, h.person_id, id, &text).await {
            Ok(s) => {
                sqlx::query("UPDATE referrals SET sealed = $1 WHERE id = $2")
                    .bind(s)
                    .bind(id)
                    .execute(&mut *tx.tx)
                    .await?;
            }
            // An erased person keeps no text; the decline itself still counts.
            Err(Error::Erased) => {}
            Err(e) => return Err(e),
        }
    }
    if !mv.to.is_open() {
        sync_access(&mut tx.tx, h.person_id, h.to_org, now).await?;
    }
    if let Some(user) = sender(&h) {
        notify::to_user(&mut tx, user, id, tell, now).await?;
    }
    tx.log(ctx, actor, action, "referral", &both(&id, &h.person_id))
        .await?;
    tx.commit().await
}
