//! Configuring referral types: their label, the allowlist of person fields each shares
//! (from the fixed [`SharedField`] set), whether it is offered, and its place in lists.
//! Configuration, audited like programmes (`referral_type.update`). Types are not created
//! or deleted here: consents and referrals point at them, so one is deactivated instead.
//!
//! A change of the allowlist narrows open referrals at once; a widening reaches only
//! referrals made after it (see `referrals.fields`, migration 0012).

use serde::{Deserialize, Serialize};

use super::model::{parse_fields, SharedField};
use crate::audit::AuditTx;
use crate::db::Flag;
use crate::error::Errors;
use crate::{Actor, Ctx, Error, Permission, Result};

/// A referral type as configured, active or not.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralTypeConfig {
    pub code: String,
    pub label: String,
    pub fields: Vec<SharedField>,
    pub active: bool,
    pub position: i64,
}

/// A change of a referral type as typed. Every field is replaced.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReferralTypeInput {
    /// Shown where the type has no translation of its own; 1–80 characters.
    pub label: Option<String>,
    /// Codes from the fixed set: name, alias, birth, gender, nationalities, languages,
    /// phone. At least one.
    pub fields: Vec<String>,
    /// Offered for new consents; `false` deactivates the type. Default `true`.
    pub active: Option<bool>,
    /// Its place in lists, 0–1000.
    pub position: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    code: String,
    label: String,
    fields: String,
    active: Flag,
    position: i64,
}

fn from_row(r: Row) -> ReferralTypeConfig {
    ReferralTypeConfig {
        code: r.code,
        label: r.label,
        fields: parse_fields(&r.fields),
        active: r.active.0,
        position: r.position,
    }
}

/// Every referral type, active ones first in their order.
pub async fn list_types(ctx: &Ctx, actor: &Actor) -> Result<Vec<ReferralTypeConfig>> {
    actor.require(Permission::CaseworkConfigure)?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT code, label, fields, active, position FROM referral_types \
         ORDER BY active DESC, position, code",
    )
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub async fn get_type(ctx: &Ctx, actor: &Actor, code: &str) -> Result<ReferralTypeConfig> {
    actor.require(Permission::CaseworkConfigure)?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT code, label, fields, active, position FROM referral_types WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&ctx.db.pool)
    .await?;
    row.map(from_row).ok_or(Error::NotFound)
}

/// Changes a referral type's label, allowlist, active flag and position. Every problem is
/// reported at once; nothing is written unless all is well.
pub async fn update_type(
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    input: &ReferralTypeInput,
) -> Result<ReferralTypeConfig> {
    actor.require(Permission::CaseworkConfigure)?;
    let mut e = Errors::default();
    let label = input.label.as_deref().map(str::trim).unwrap_or("");
    if label.is_empty() {
        e.push("label", "err-required");
    } else if label.chars().count() > 80 {
        e.push("label", "err-too-long");
    } else if label.chars().any(char::is_control) {
        e.push("label", "err-control-chars");
    }
    let mut fields: Vec<SharedField> = Vec::new();
    let mut unknown = false;
    for f in &input.fields {
        match SharedField::parse(f) {
            Some(f) if !fields.contains(&f) => fields.push(f),
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown {
        // Notes and the residence status are never in an allowlist.
        e.push("fields", "err-referral-field-unknown");
    } else if fields.is_empty() {
        e.push("fields", "err-referral-fields-required");
    }
    let position = input.position.unwrap_or(0);
    if !(0..=1000).contains(&position) {
        e.push("position", "err-referral-position");
    }
    e.finish()?;
    // In the fixed order, so that the stored list reads the same whoever ticked what first.
    let stored = SharedField::ALL
        .iter()
        .filter(|f| fields.contains(f))
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let mut tx = AuditTx::begin(ctx).await?;
    let done = sqlx::query(
        "UPDATE referral_types SET label = $1, fields = $2, active = $3, position = $4 \
         WHERE code = $5",
    )
    .bind(label)
    .bind(&stored)
    .bind(Flag(input.active.unwrap_or(true)))
    .bind(position)
    .bind(code)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tx.log(ctx, actor, "referral_type.update", "referral_type", &[code])
        .await?;
    tx.commit().await?;
    get_type(ctx, actor, code).await
}
