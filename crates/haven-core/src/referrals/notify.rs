//! Notifications in Haven: one row per recipient, holding a kind and a referral id, never
//! personal data. A new referral notifies every active user of the receiving organisation
//! who may receive referrals; accepting, declining and recording a result notify the staff
//! member who made the referral; a withdrawal notifies the receiving organisation again.
//! The unread count arrives with the session (`users::session`), so the header costs no
//! extra query.
//!
//! E-mail is optional. When the operator has configured an [`Outbox`](crate::outbox::Outbox) (`Ctx::outbox`), every
//! notification to a user with an e-mail address who has not opted out also becomes a
//! [`Mailing`]: the address, the user's interface language and the kind, nothing else. The
//! mailings of a transaction wait in its [`AuditTx`] and are handed to the outbox only after
//! it commits, so a rolled-back referral mails nobody, and the core never speaks SMTP.

use serde::Serialize;

use super::model::ReferralStatus;
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::ids::{NotificationId, OrgId, ReferralId, UserId};
use crate::outbox::{Mailing, NotificationKind};
use crate::{Actor, Ctx, Error, Permission, Result, Role};

/// One notification, with what a list needs to say what it is about.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notification {
    #[schema(value_type = String, format = Uuid)]
    pub id: NotificationId,
    pub kind: NotificationKind,
    #[schema(value_type = String, format = Uuid)]
    pub referral_id: ReferralId,
    /// True when the referral is to the reader's organisation (link to the received view).
    pub incoming: bool,
    /// The other organisation of the referral.
    pub other_org: String,
    pub type_code: String,
    pub status: ReferralStatus,
    pub created_at: i64,
    pub read: bool,
}

/// A user to notify: who, and where and in which language e-mail reaches them.
#[derive(sqlx::FromRow)]
struct MailRow {
    id: UserId,
    email: Option<String>,
    email_notify: Flag,
    locale: Option<String>,
}

/// Notifies the users of `org` who may receive referrals.
pub(crate) async fn to_receivers(
    tx: &mut AuditTx<'_>,
    org: OrgId,
    referral: ReferralId,
    kind: NotificationKind,
    now: i64,
) -> Result<()> {
    let roles: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| r.permissions().contains(&Permission::ReferralReceive))
        .map(|r| r.as_str())
        .collect();
    let sql = format!(
        "SELECT DISTINCT u.id, u.email, u.email_notify, u.locale FROM users u \
           JOIN user_roles ur ON ur.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 AND ur.role IN ({})",
        crate::db::placeholders(2, roles.len())
    );
    let mut q = sqlx::query_as::<_, MailRow>(&sql).bind(org);
    for r in roles {
        q = q.bind(r);
    }
    let users = q.fetch_all(&mut *tx.tx).await?;
    for u in users {
        insert(&mut tx.tx, u.id, referral, kind, now).await?;
        queue(tx, u, kind);
    }
    Ok(())
}

/// Queues a mailing in the transaction when e-mail is configured and the user wants it.
fn queue(tx: &mut AuditTx<'_>, user: MailRow, kind: NotificationKind) {
    if let (true, Some(to), true) = (tx.mails_wanted(), user.email, user.email_notify.0) {
        tx.mail(Mailing {
            to,
            locale: user.locale,
            kind,
        });
    }
}

/// Notifies one user.
pub(crate) async fn to_user(
    tx: &mut AuditTx<'_>,
    user: UserId,
    referral: ReferralId,
    kind: NotificationKind,
    now: i64,
) -> Result<()> {
    insert(&mut tx.tx, user, referral, kind, now).await?;
    if tx.mails_wanted() {
        let row: Option<MailRow> = sqlx::query_as(
            "SELECT id, email, email_notify, locale FROM users WHERE id = $1 AND disabled = 0",
        )
        .bind(user)
        .fetch_optional(&mut *tx.tx)
        .await?;
        if let Some(u) = row {
            queue(tx, u, kind);
        }
    }
    Ok(())
}

async fn insert(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    referral: ReferralId,
    kind: NotificationKind,
    now: i64,
) -> Result<()> {
    // Through `users`, so that a user who no longer exists gets nothing.
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, referral_id, created_at) \
         SELECT $1, id, $3, $4, $5 FROM users WHERE id = $2",
    )
    .bind(NotificationId::new())
    .bind(user)
    .bind(kind.as_str())
    .bind(referral)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: NotificationId,
    kind: String,
    referral_id: ReferralId,
    to_org: OrgId,
    from_org_name: String,
    to_org_name: String,
    type_code: String,
    status: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl NotificationRow {
    fn notification(self, org: OrgId) -> Result<Notification> {
        let incoming = self.to_org == org;
        Ok(Notification {
            id: self.id,
            kind: NotificationKind::parse(&self.kind)
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown notification")))?,
            referral_id: self.referral_id,
            incoming,
            other_org: if incoming {
                self.from_org_name
            } else {
                self.to_org_name
            },
            type_code: self.type_code,
            status: ReferralStatus::parse(&self.status)
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown status")))?,
            created_at: self.created_at,
            read: self.read_at.is_some(),
        })
    }
}

/// The actor's notifications, unread first, then newest first.
pub async fn notifications(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<Notification>> {
    actor.require(Permission::NotificationRead)?;
    let user = actor.user_id.ok_or(Error::Forbidden)?;
    let org = actor.require_org()?;
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, n.kind, n.referral_id, r.to_org, fo.name AS from_org_name, \
               too.name AS to_org_name, r.type_code, r.status, n.created_at, n.read_at \
             FROM notifications n JOIN referrals r ON r.id = n.referral_id \
               JOIN organisations fo ON fo.id = r.from_org \
               JOIN organisations too ON too.id = r.to_org \
             WHERE n.user_id = $1 \
             ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, n.created_at DESC, n.id DESC \
             LIMIT $2",
    )
    .bind(user)
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.db.pool)
    .await?;
    rows.into_iter().map(|r| r.notification(org)).collect()
}

/// Marks one of the actor's notifications read, or all of them when `id` is `None`.
pub async fn mark_read(ctx: &Ctx, actor: &Actor, id: Option<NotificationId>) -> Result<()> {
    actor.require(Permission::NotificationRead)?;
    let user = actor.user_id.ok_or(Error::Forbidden)?;
    let now = ctx.clock.now_ts();
    match id {
        Some(id) => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 \
                 AND read_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(user)
            .execute(&ctx.db.pool)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
            )
            .bind(now)
            .bind(user)
            .execute(&ctx.db.pool)
            .await?;
        }
    }
    Ok(())
}
