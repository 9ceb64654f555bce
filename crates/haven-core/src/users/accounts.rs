//! The administration of staff accounts, and the settings users change for themselves.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

use super::model::{
    parse_display_name, parse_email, parse_org, parse_password, parse_roles, parse_username,
    NewUser, User, UserUpdate,
};
use super::passwords::hash_password;
use super::second_factor::store_totp;
use super::store;
use crate::audit::AuditTx;
use crate::error::Errors;
use crate::ids::UserId;
use crate::{Actor, Ctx, Error, Permission, Result};

pub async fn list(ctx: &Ctx, actor: &Actor) -> Result<Vec<User>> {
    actor.require(Permission::UserManage)?;
    store::all_users(ctx).await
}

pub async fn get(ctx: &Ctx, actor: &Actor, id: UserId) -> Result<User> {
    actor.require(Permission::UserManage)?;
    store::load_user(ctx, id).await?.ok_or(Error::NotFound)
}

pub async fn find_by_username(ctx: &Ctx, actor: &Actor, username: &str) -> Result<User> {
    actor.require(Permission::UserManage)?;
    store::user_by_username(ctx, &username.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)
}

fn inconsistent() -> Error {
    Error::Internal(anyhow::anyhow!("validation inconsistency"))
}

/// Creates an account. Unless `totp_secret` is given, the user enrols a second factor at
/// first sign-in.
pub async fn create(
    ctx: &Ctx,
    actor: &Actor,
    input: &NewUser,
    totp_secret: Option<&[u8]>,
) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let mut errs = Errors::default();
    let username = errs.take(parse_username(&input.username));
    let display = errs.take(parse_display_name(&input.display_name));
    let org = errs.take(parse_org(&input.org_id));
    let roles = errs.take(parse_roles(&input.roles));
    let password = errs.take(parse_password(&input.password));
    let email = errs.take(parse_email(input.email.as_deref().unwrap_or_default()));
    errs.finish()?;
    let (Some(username), Some(display), Some(org), Some(roles), Some(password)) =
        (username, display, org, roles, password)
    else {
        return Err(inconsistent());
    };
    let hash = hash_password(password).await?;
    let id = UserId::new();
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let Some(kind) = crate::firewall::kind_of(&mut tx.tx, org).await? else {
        return Err(Error::invalid("org_id", "err-choice"));
    };
    crate::firewall::check_roles(kind, &roles).map_err(|e| Error::Invalid(vec![e]))?;
    if store::username_taken(&mut tx, &username).await? {
        return Err(Error::invalid("username", "err-username-taken"));
    }
    sqlx::query(
        "INSERT INTO users (id, org_id, username, display_name, password_hash, created_at, \
         updated_at, email, email_notify) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
    )
    .bind(id)
    .bind(org)
    .bind(&username)
    .bind(&display)
    .bind(&hash)
    .bind(now)
    .bind(email.flatten())
    .bind(i64::from(input.email_notify))
    .execute(&mut *tx.tx)
    .await?;
    store::set_roles(&mut tx.tx, id, &roles).await?;
    if let Some(secret) = totp_secret {
        store_totp(ctx, &mut tx, id, secret, 0).await?;
    }
    let roles_after: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let grant = super::grants::Grant {
        user: id,
        org_before: org,
        roles_before: &[],
        org_after: org,
        roles_after: &roles_after,
    };
    super::grants::record(ctx, &mut tx, actor, "user.create", &grant).await?;
    tx.commit().await?;
    store::load_user(ctx, id).await?.ok_or(Error::NotFound)
}

pub async fn update(ctx: &Ctx, actor: &Actor, id: UserId, input: &UserUpdate) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let mut errs = Errors::default();
    let display = errs.take(parse_display_name(&input.display_name));
    let org = errs.take(parse_org(&input.org_id));
    let roles = errs.take(parse_roles(&input.roles));
    let email = errs.take(parse_email(input.email.as_deref().unwrap_or_default()));
    errs.finish()?;
    let (Some(display), Some(org), Some(roles), Some(email)) = (display, org, roles, email) else {
        return Err(inconsistent());
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let Some(kind) = crate::firewall::kind_of(&mut tx.tx, org).await? else {
        return Err(Error::invalid("org_id", "err-choice"));
    };
    crate::firewall::check_roles(kind, &roles).map_err(|e| Error::Invalid(vec![e]))?;
    // What the account could do before, to end its sessions only when that changes.
    let mut roles_after: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    roles_after.sort_unstable();
    roles_after.dedup();
    let before = store::powers(&mut tx.tx, id).await?;
    let powers_changed = match &before {
        Some((org_before, roles_before)) => *org_before != org || *roles_before != roles_after,
        None => true,
    };
    if let Some((org_before, roles_before)) = &before {
        if actor.user_id == Some(id) {
            refuse_own_powers(*org_before != org, *roles_before != roles_after)?;
        }
    }
    let done = sqlx::query(
        "UPDATE users SET display_name = $1, org_id = $2, updated_at = $3, email = $5, \
         email_notify = $6 WHERE id = $4",
    )
    .bind(&display)
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(id)
    .bind(email)
    .bind(i64::from(input.email_notify))
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    store::set_roles(&mut tx.tx, id, &roles).await?;
    // A change of organisation or roles ends the user's sessions, so that no device keeps
    // what the old ones allowed (the outreach app's store among them); a new name or
    // e-mail address does not sign anybody out.
    if powers_changed {
        store::end_sessions_of(&mut tx.tx, id).await?;
    }
    let (org_before, roles_before) = before.unwrap_or((org, Vec::new()));
    let grant = super::grants::Grant {
        user: id,
        org_before,
        roles_before: &roles_before,
        org_after: org,
        roles_after: &roles_after,
    };
    super::grants::record(ctx, &mut tx, actor, "user.update", &grant).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// No account changes its own organisation or roles: another administrator must.
fn refuse_own_powers(org_changed: bool, roles_changed: bool) -> Result<()> {
    let mut errs = Errors::default();
    if org_changed {
        errs.push("org_id", "err-self-org");
    }
    if roles_changed {
        errs.push("roles", "err-self-roles");
    }
    errs.finish()
}

/// Runs `change` on one account, ends all its sessions and records `action`, in one
/// transaction; the account as it is afterwards.
async fn change_and_sign_out<'q>(
    ctx: &Ctx,
    actor: &Actor,
    id: UserId,
    action: &str,
    change: Query<'q, Any, AnyArguments<'q>>,
) -> Result<User> {
    let mut tx = AuditTx::begin(ctx).await?;
    if change.execute(&mut *tx.tx).await?.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    store::end_sessions_of(&mut tx.tx, id).await?;
    tx.log(ctx, actor, action, "user", &[id]).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Disables or re-enables an account; disabling ends all its sessions at once.
pub async fn set_disabled(ctx: &Ctx, actor: &Actor, id: UserId, disabled: bool) -> Result<User> {
    actor.require(Permission::UserManage)?;
    if actor.user_id == Some(id) && disabled {
        return Err(Error::Conflict("err-disable-self"));
    }
    let change = sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(ctx.clock.now_ts())
        .bind(id);
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    change_and_sign_out(ctx, actor, id, action, change).await
}

/// Removes a user's second factor; they enrol a new one at their next sign-in.
pub async fn reset_totp(ctx: &Ctx, actor: &Actor, id: UserId) -> Result<User> {
    actor.require(Permission::UserManage)?;
    let change = sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_last_step = 0, updated_at = $1 WHERE id = $2",
    )
    .bind(ctx.clock.now_ts())
    .bind(id);
    change_and_sign_out(ctx, actor, id, "user.totp_reset", change).await
}

/// Sets a user's interface language (a code from the translation files).
pub async fn set_locale(ctx: &Ctx, user: UserId, locale: &str) -> Result<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(user)
        .execute(&ctx.db.pool)
        .await?;
    Ok(())
}

/// Sets whether a user is e-mailed about new notifications: their own choice, like their
/// language (the address itself is set by an administrator).
pub async fn set_email_notify(ctx: &Ctx, user: UserId, on: bool) -> Result<()> {
    sqlx::query("UPDATE users SET email_notify = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(on))
        .bind(ctx.clock.now_ts())
        .bind(user)
        .execute(&ctx.db.pool)
        .await?;
    Ok(())
}
