//! Granting a role that reads persons (the firewall, see [`crate::firewall`]): such a grant
//! is audited as `user.role_grant` (instead of `user.create` or `user.update`) with the
//! organisation and roles before and after (ids and role codes only), and announced to the organisation's other administrators as a
//! role notice, one row per administrator (`role_notices`, migration 0016), and by e-mail
//! through the outbox when it is configured (kind `role_granted`: no name, no role).

use serde::Serialize;

use crate::audit::AuditTx;
use crate::db::Flag;
use crate::firewall::reads_persons;
use crate::ids::{OrgId, UserId};
use crate::outbox::{Mailing, NotificationKind};
use crate::{Actor, Ctx, Error, Permission, Result, Role};

/// An account's organisation and roles before and after a change (`roles_before` empty for
/// a new account).
pub(super) struct Grant<'a> {
    pub user: UserId,
    pub org_before: OrgId,
    pub roles_before: &'a [String],
    pub org_after: OrgId,
    pub roles_after: &'a [&'a str],
}

impl Grant<'_> {
    /// The roles that read persons and that the account holds in its organisation only
    /// after the change.
    fn granted(&self) -> Vec<&str> {
        let moved = self.org_before != self.org_after;
        self.roles_after
            .iter()
            .copied()
            .filter(|r| r.parse::<Role>().is_ok_and(reads_persons))
            .filter(|r| moved || !self.roles_before.iter().any(|b| b == r))
            .collect()
    }
}

/// An administrator to tell, and where e-mail reaches them.
#[derive(sqlx::FromRow)]
struct AdminRow {
    id: UserId,
    email: Option<String>,
    email_notify: Flag,
    locale: Option<String>,
}

/// Audits a change of an account in the caller's transaction, as `action` (`user.create`,
/// `user.update`) naming the account, or, when it grants a role that reads persons, as
/// `user.role_grant` naming the account and its organisation and roles before and after
/// (`before=<org>/<role>+<role>`; no roles before for a new account), and announces
/// that grant to the organisation's other administrators. One event either way.
pub(super) async fn record(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &Actor,
    action: &str,
    g: &Grant<'_>,
) -> Result<()> {
    if g.granted().is_empty() {
        return tx.log(ctx, actor, action, "user", &[g.user]).await;
    }
    let before = format!("before={}/{}", g.org_before, g.roles_before.join("+"));
    let after = format!("after={}/{}", g.org_after, g.roles_after.join("+"));
    let ids = [g.user.to_string(), before, after];
    tx.log(ctx, actor, "user.role_grant", "user", &ids).await?;
    let admins: Vec<AdminRow> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.email, u.email_notify, u.locale FROM users u \
           JOIN user_roles ur ON ur.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 AND ur.role = $2 AND u.id <> $3",
    )
    .bind(g.org_after)
    .bind(Role::Administrator.as_str())
    .bind(g.user)
    .fetch_all(&mut *tx.tx)
    .await?;
    let now = ctx.clock.now_ts();
    for a in admins.into_iter().filter(|a| Some(a.id) != actor.user_id) {
        sqlx::query(
            "INSERT INTO role_notices (id, recipient, user_id, granted_by, roles_before, \
             roles_after, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::ids::RoleNoticeId::new())
        .bind(a.id)
        .bind(g.user)
        .bind(actor.audit_id())
        .bind(g.roles_before.join(","))
        .bind(g.roles_after.join(","))
        .bind(now)
        .execute(&mut *tx.tx)
        .await?;
        if let (true, Some(to), true) = (tx.mails_wanted(), a.email, a.email_notify.0) {
            tx.mail(Mailing {
                to,
                locale: a.locale,
                kind: NotificationKind::RoleGranted,
            });
        }
    }
    Ok(())
}

/// A role notice as the administrator told sees it: staff accounts and role codes, no
/// personal data of anyone served.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleNotice {
    #[schema(value_type = String, format = Uuid)]
    pub user_id: UserId,
    pub username: String,
    /// The account that made the change (`None`: the operator at the command line).
    pub granted_by: Option<String>,
    pub roles_before: Vec<Role>,
    pub roles_after: Vec<Role>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    user_id: UserId,
    username: String,
    granted_by: Option<String>,
    roles_before: String,
    roles_after: String,
    created_at: i64,
}

fn roles(s: &str) -> Vec<Role> {
    s.split(',').filter_map(|r| r.parse().ok()).collect()
}

/// The role notices addressed to the actor, newest first.
pub async fn role_notices(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<RoleNotice>> {
    actor.require(Permission::UserManage)?;
    let me = actor.user_id.ok_or(Error::Forbidden)?;
    let rows: Vec<NoticeRow> = sqlx::query_as(
        "SELECT n.user_id, u.username, g.username AS granted_by, n.roles_before, \
           n.roles_after, n.created_at \
         FROM role_notices n JOIN users u ON u.id = n.user_id \
           LEFT JOIN users g ON g.id = n.granted_by \
         WHERE n.recipient = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2",
    )
    .bind(me)
    .bind(limit.clamp(1, 200))
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoleNotice {
            user_id: r.user_id,
            username: r.username,
            granted_by: r.granted_by,
            roles_before: roles(&r.roles_before),
            roles_after: roles(&r.roles_after),
            created_at: r.created_at,
        })
        .collect())
}
