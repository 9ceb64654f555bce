//! What the app needs before it records anything: the configuration it caches, the key of
//! its local store, and the team's areas, which the team lead sets.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::model::{Choice, OutreachConfig};
use super::store::{areas, list, settings, targets, workers};
use crate::audit::AuditTx;
use crate::{Actor, Ctx, Error, Permission, Result};

/// What the app offers: the team's areas, the configured lists, the team's workers and the
/// referral targets. No personal data.
pub async fn config(ctx: &Ctx, actor: &Actor) -> Result<OutreachConfig> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    let programmes = if actor.can(Permission::CaseWrite) {
        sqlx::query_as(
            "SELECT id AS code, name AS label FROM programmes WHERE active = 1 ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let (coarse_location, device_days) = settings(&mut conn, org).await?;
    Ok(OutreachConfig {
        areas: areas(&mut conn, org, false).await?,
        situations: list(&mut conn, "outreach_situation").await?,
        needs: list(&mut conn, "outreach_need").await?,
        topics: list(&mut conn, "outreach_topic").await?,
        age_bands: list(&mut conn, "outreach_age_band").await?,
        directions: list(&mut conn, "outreach_direction").await?,
        workers: workers(&mut conn, org).await?,
        targets: targets(&mut conn).await?,
        programmes,
        coarse_location,
        device_days,
    })
}

/// The key the app encrypts its local store with, for this user: derived from the
/// blind-index key, so it is the same on every device and session of the user and is
/// never stored on the server. 32 bytes, base64.
pub fn device_key(ctx: &Ctx, actor: &Actor) -> Result<String> {
    actor.require(Permission::OutreachRecord)?;
    let user = actor.user_id.ok_or(Error::Forbidden)?.to_string();
    let mut k = ctx.keys.blind_index("outreach-device-key-1", &user);
    k.extend(ctx.keys.blind_index("outreach-device-key-2", &user));
    Ok(STANDARD.encode(k))
}

/// Sets a team's areas (configuration; no personal data). Codes are kept when a label
/// changes; areas left out are deactivated, not deleted, so old contacts keep their area.
pub async fn set_areas(ctx: &Ctx, actor: &Actor, areas_in: &[Choice]) -> Result<()> {
    actor.require(Permission::OutreachLead)?;
    let org = actor.require_org()?;
    let mut e = crate::error::Errors::default();
    for a in areas_in {
        let c = a.code.trim();
        if c.is_empty()
            || c.len() > 40
            || !c
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            e.push("areas", "err-choice");
        }
        if a.label.trim().is_empty() || a.label.chars().count() > 80 {
            e.push("areas", "err-too-long");
        }
    }
    if areas_in.len() > 100 {
        e.push("areas", "err-list-long");
    }
    e.finish()?;
    let mut tx = AuditTx::begin(ctx).await?;
    sqlx::query("UPDATE outreach_areas SET active = 0 WHERE org_id = $1")
        .bind(org)
        .execute(&mut *tx.tx)
        .await?;
    for (i, a) in areas_in.iter().enumerate() {
        let code = a.code.trim();
        let done = sqlx::query(
            "UPDATE outreach_areas SET label = $1, position = $2, active = 1 \
             WHERE org_id = $3 AND code = $4",
        )
        .bind(a.label.trim())
        .bind(i as i64)
        .bind(org)
        .bind(code)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO outreach_areas (org_id, code, label, position, active) \
                 VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(org)
            .bind(code)
            .bind(a.label.trim())
            .bind(i as i64)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    tx.log(ctx, actor, "outreach.areas.set", "organisation", &[org])
        .await?;
    tx.commit().await
}
