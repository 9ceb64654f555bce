//! Notifications in Haven: one row per recipient, holding a kind and a referral id, never
//! personal data. A new referral notifies every active user of the receiving organisation
//! who may receive referrals; accepting, declining and recording a result notify the staff
//! member who made the referral; a withdrawal notifies the receiving organisation again.
//! The unread count arrives with the session (`users::session`), so the header costs no
//! extra query.
//!
//! E-mail is optional. When the operator has configured an [`Outbox`] (`Ctx::outbox`), every
//! notification to a user with an e-mail address who has not opted out also becomes a
//! [`Mailing`]: the address, the user's interface language and the kind, nothing else. The
//! mailings of a transaction wait in its [`AuditTx`] and are handed to the outbox only after
//! it commits, so a rolled-back referral mails nobody, and the core never speaks SMTP.

use serde::Serialize;

use super::model::ReferralStatus;
use crate::audit::AuditTx;
use crate::ids::{parse_db, NotificationId, OrgId, ReferralId};
pub use crate::outbox::{Mailing, NotificationKind, Outbox};
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
    let list = (0..roles.len())
        .map(|i| format!("${}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT DISTINCT u.id, u.email, u.email_notify, u.locale FROM users u \
           JOIN user_roles ur ON ur.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 AND ur.role IN ({list})"
    );
    let mut q = sqlx::query_as::<_, MailRow>(&sql).bind(org.to_string());
    for r in roles {
        q = q.bind(r);
    }
    let users = q.fetch_all(&mut *tx.tx).await?;
    for (u, email, notify, locale) in users {
        insert(&mut tx.tx, &u, referral, kind, now).await?;
        queue(tx, email, notify, locale, kind);
    }
    Ok(())
}

/// A user's id, e-mail address, e-mail choice and interface language.
type MailRow = (String, Option<String>, i64, Option<String>);

/// Queues a mailing in the transaction when e-mail is configured and the user wants it.
fn queue(
    tx: &mut AuditTx<'_>,
    email: Option<String>,
    notify: i64,
    locale: Option<String>,
    kind: NotificationKind,
) {
    if let (true, Some(to), 1) = (tx.mails_wanted(), email, notify) {
        tx.mail(Mailing { to, locale, kind });
    }
}

/// Notifies one user (by id); a step taken by the command line notifies nobody.
pub(crate) async fn to_user(
    tx: &mut AuditTx<'_>,
    user: &str,
    referral: ReferralId,
    kind: NotificationKind,
    now: i64,
) -> Result<()> {
    if user.parse::<uuid::Uuid>().is_err() {
        return Ok(());
    }
    insert(&mut tx.tx, user, referral, kind, now).await?;
    if tx.mails_wanted() {
        let row: Option<MailRow> = sqlx::query_as(
            "SELECT id, email, email_notify, locale FROM users WHERE id = $1 AND disabled = 0",
        )
        .bind(user)
        .fetch_optional(&mut *tx.tx)
        .await?;
        if let Some((_, email, notify, locale)) = row {
            queue(tx, email, notify, locale, kind);
        }
    }
    Ok(())
}

async fn insert(
    conn: &mut sqlx::AnyConnection,
    user: &str,
    referral: ReferralId,
    kind: NotificationKind,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, referral_id, created_at) \
         SELECT $1, id, $3, $4, $5 FROM users WHERE id = $2",
    )
    .bind(NotificationId::new().to_string())
    .bind(user)
    .bind(kind.as_str())
    .bind(referral.to_string())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

type NotificationRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
);

/// The actor's notifications, unread first, then newest first.
pub async fn notifications(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<Notification>> {
    actor.require(Permission::NotificationRead)?;
    let user = actor.user_id.ok_or(Error::Forbidden)?;
    let org = actor.require_org()?;
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, n.kind, n.referral_id, r.to_org, fo.name, too.name, r.type_code, \
               r.status, n.created_at, n.read_at \
             FROM notifications n JOIN referrals r ON r.id = n.referral_id \
               JOIN organisations fo ON fo.id = r.from_org \
               JOIN organisations too ON too.id = r.to_org \
             WHERE n.user_id = $1 \
             ORDER BY CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END, n.created_at DESC, n.id DESC \
             LIMIT $2",
    )
    .bind(user.to_string())
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let incoming = r.3 == org.to_string();
            Ok(Notification {
                id: parse_db(&r.0)?,
                kind: NotificationKind::parse(&r.1)
                    .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown notification")))?,
                referral_id: parse_db(&r.2)?,
                incoming,
                other_org: if incoming { r.4 } else { r.5 },
                type_code: r.6,
                status: ReferralStatus::parse(&r.7)
                    .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown status")))?,
                created_at: r.8,
                read: r.9.is_some(),
            })
        })
        .collect()
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
            .bind(id.to_string())
            .bind(user.to_string())
            .execute(&ctx.db.pool)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
            )
            .bind(now)
            .bind(user.to_string())
            .execute(&ctx.db.pool)
            .await?;
        }
    }
    Ok(())
}
