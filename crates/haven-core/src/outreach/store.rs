//! The named rows of outreach, the sealing of a contact's payload, and the queries the use
//! cases share: the configured lists, sealed contacts and their person links, the referral
//! lines kept across an edit, and multi-row inserts.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;

use super::model::{Choice, Config, ContactData, Target};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::db::{placeholders, Flag};
use crate::ids::{OrgId, PersonId, ReferralId};
use crate::people::names;
use crate::{Actor, Ctx, Error, Result};

/// Ids of different kinds in one audit event. (`Sync`, so that a use case's future, which
/// holds them across the write, stays `Send`.)
pub(super) type AnyId<'a> = &'a (dyn Display + Sync);

// ---------------------------------------------------------------------------------------
// Configuration

/// A configured list, active codes only.
pub(super) async fn list(conn: &mut sqlx::AnyConnection, list: &str) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as(
        "SELECT code, label FROM config_lists WHERE list = $1 AND active = 1 \
         ORDER BY position, label",
    )
    .bind(list)
    .fetch_all(&mut *conn)
    .await?)
}

/// Every code a list has ever had, active or not: a record made offline before a code was
/// retired must still be accepted.
async fn codes(conn: &mut sqlx::AnyConnection, list: &str) -> Result<HashSet<String>> {
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM config_lists WHERE list = $1")
        .bind(list)
        .fetch_all(&mut *conn)
        .await?;
    Ok(codes.into_iter().collect())
}

/// The team's areas (with `all`, also the retired ones); the configured default list when
/// the team has none of its own.
pub(super) async fn areas(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    all: bool,
) -> Result<Vec<Choice>> {
    let rows: Vec<Choice> = sqlx::query_as(if all {
        "SELECT code, label FROM outreach_areas WHERE org_id = $1 ORDER BY position, label"
    } else {
        "SELECT code, label FROM outreach_areas WHERE org_id = $1 AND active = 1 \
         ORDER BY position, label"
    })
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return list(conn, "outreach_area").await;
    }
    Ok(rows)
}

/// An area's label, or its code when the team has no such area.
pub(super) async fn area_label(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    area: String,
) -> Result<String> {
    Ok(areas(conn, org, true)
        .await?
        .into_iter()
        .find(|c| c.code == area)
        .map(|c| c.label)
        .unwrap_or(area))
}

/// The team's outreach workers and leads (code = user id, label = display name).
pub(super) async fn workers(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT u.id AS code, u.display_name AS label \
         FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 AND r.role IN ('outreach_worker', 'team_lead') \
         ORDER BY u.display_name",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    name: String,
    org_name: String,
}

/// Where a person may be referred: active organisations, then active directory services.
pub(super) async fn targets(conn: &mut sqlx::AnyConnection) -> Result<Vec<Target>> {
    let orgs: Vec<Choice> = sqlx::query_as(
        "SELECT id AS code, name AS label FROM organisations WHERE active = 1 ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let services: Vec<ServiceRow> = sqlx::query_as(
        "SELECT s.id, s.name, o.name AS org_name FROM dir_services s \
         JOIN dir_organizations o ON o.id = s.organization_id \
         WHERE s.status = 'active' ORDER BY o.name, s.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<Target> = orgs
        .into_iter()
        .map(|o| Target {
            kind: "organisation".to_owned(),
            id: o.code,
            name: o.label,
        })
        .collect();
    out.extend(services.into_iter().map(|s| Target {
        kind: "service".to_owned(),
        id: s.id,
        name: format!("{}: {}", s.org_name, s.name),
    }));
    Ok(out)
}

/// The targets' names by (kind, id).
pub(super) async fn target_names(
    conn: &mut sqlx::AnyConnection,
) -> Result<HashMap<(String, String), String>> {
    Ok(targets(conn)
        .await?
        .into_iter()
        .map(|t| ((t.kind, t.id), t.name))
        .collect())
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    coarse_location: Flag,
    device_days: i64,
}

/// The team's settings: coarse location on or off, and the days a sent record stays on
/// the device. Without a row: off, 14 days.
pub(super) async fn settings(conn: &mut sqlx::AnyConnection, org: OrgId) -> Result<(bool, i64)> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT coarse_location, device_days FROM outreach_settings WHERE org_id = $1",
    )
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map_or((false, 14), |r| (r.coarse_location.0, r.device_days)))
}

/// Everything a contact is checked against, loaded once per batch.
pub(super) async fn check_config(ctx: &Ctx, org: OrgId) -> Result<Config> {
    let mut conn = ctx.db.pool.acquire().await?;
    let set = |v: Vec<Choice>| v.into_iter().map(|c| c.code).collect::<HashSet<_>>();
    let organisations: Vec<String> = sqlx::query_scalar("SELECT id FROM organisations")
        .fetch_all(&mut *conn)
        .await?;
    let services: Vec<String> = sqlx::query_scalar("SELECT id FROM dir_services")
        .fetch_all(&mut *conn)
        .await?;
    Ok(Config {
        areas: set(areas(&mut conn, org, true).await?),
        situations: codes(&mut conn, "outreach_situation").await?,
        needs: codes(&mut conn, "outreach_need").await?,
        topics: codes(&mut conn, "outreach_topic").await?,
        age_bands: codes(&mut conn, "outreach_age_band").await?,
        directions: codes(&mut conn, "outreach_direction").await?,
        workers: set(workers(&mut conn, org).await?),
        organisations: organisations.into_iter().collect(),
        services: services.into_iter().collect(),
    })
}

// ---------------------------------------------------------------------------------------
// The sealed payload

fn aad(id: &str) -> Vec<u8> {
    format!("outreach-contact:{id}").into_bytes()
}

/// The keyed MAC of a normalised payload: what makes a repeated submission recognisable.
pub(super) fn payload_mac(ctx: &Ctx, data: &ContactData) -> Result<String> {
    let json = serde_json::to_string(data).map_err(anyhow::Error::from)?;
    Ok(hex::encode(ctx.keys.blind_index("outreach-payload", &json)))
}

/// The blind-index tokens of an alias, each once.
pub(super) fn alias_tokens(ctx: &Ctx, alias: &str) -> Vec<Vec<u8>> {
    let mut toks: Vec<Vec<u8>> = names::index_keys(alias)
        .iter()
        .map(|k| ctx.keys.blind_index("outreach-alias", k))
        .collect();
    toks.sort();
    toks.dedup();
    toks
}

pub(super) fn seal(dek: &Key, id: &str, data: &ContactData) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(data).map_err(anyhow::Error::from)?;
    Ok(dek.seal(&json, &aad(id)))
}

/// A contact as stored: its version and its sealed payload (none once erased).
#[derive(sqlx::FromRow)]
pub(super) struct SealedRow {
    pub id: String,
    pub version: i64,
    data_key: Option<String>,
    sealed: Option<Vec<u8>>,
}

impl SealedRow {
    pub(super) fn open(&self, ctx: &Ctx) -> Result<ContactData> {
        let (Some(wrapped), Some(sealed)) = (&self.data_key, &self.sealed) else {
            return Err(Error::Erased);
        };
        let dek = ctx.keys.unwrap_data_key(wrapped, &self.id)?;
        let json = dek.open(sealed, &aad(&self.id))?;
        Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
    }
}

/// The team's contacts among `ids`.
pub(super) async fn sealed_contacts(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    ids: &[String],
) -> Result<Vec<SealedRow>> {
    let sql = format!(
        "SELECT c.id, c.version, c.data_key, c.sealed FROM outreach_contacts c \
         WHERE c.org_id = $1 AND c.id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as::<_, SealedRow>(&sql).bind(org);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

#[derive(sqlx::FromRow)]
struct PersonLinkRow {
    contact_id: String,
    ordinal: i64,
    person_id: Option<PersonId>,
}

/// The registered person of each (contact, position) among `ids`, when they consented.
pub(super) async fn person_links(
    conn: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<HashMap<(String, i64), Option<PersonId>>> {
    let sql = format!(
        "SELECT contact_id, ordinal, person_id FROM outreach_contact_persons \
         WHERE contact_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, PersonLinkRow>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.contact_id, r.ordinal), r.person_id))
        .collect())
}

/// Records that the actor read these contacts (and the persons named with them), and
/// commits: nothing read leaves before its event.
pub(super) async fn commit_read(
    mut tx: AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    ids: &[impl Display + Sync],
) -> Result<()> {
    tx.log(ctx, actor, "outreach.contact.read", "outreach_contact", ids)
        .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------
// Writing

/// A registered person's link to a position in a contact, kept across edits.
#[derive(sqlx::FromRow)]
pub(super) struct ConsentLink {
    pub ordinal: i64,
    pub person_id: Option<PersonId>,
    pub consent_at: Option<i64>,
    pub consent_by: Option<String>,
}

pub(super) async fn consent_links(
    conn: &mut sqlx::AnyConnection,
    contact_id: &str,
) -> Result<Vec<ConsentLink>> {
    Ok(sqlx::query_as(
        "SELECT ordinal, person_id, consent_at, consent_by FROM outreach_contact_persons \
         WHERE contact_id = $1",
    )
    .bind(contact_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A referral line that a consented referral was made from.
#[derive(sqlx::FromRow)]
pub(super) struct ReferredLine {
    ordinal: i64,
    target_kind: String,
    target_id: String,
    org_id: OrgId,
    referral_id: ReferralId,
    contact_at: i64,
}

/// The referral ids of a contact's lines, kept across an edit of the contact (the edit
/// rewrites the lines). A referred line the edit left out is kept: the referral was made.
pub(super) async fn keep_links(
    tx: &mut AuditTx<'_>,
    contact_id: &str,
) -> Result<Vec<ReferredLine>> {
    Ok(sqlx::query_as(
        "SELECT ordinal, target_kind, target_id, org_id, referral_id, contact_at \
         FROM outreach_referrals WHERE contact_id = $1 AND referral_id IS NOT NULL",
    )
    .bind(contact_id)
    .fetch_all(&mut *tx.tx)
    .await?)
}

pub(super) async fn restore_links(
    tx: &mut AuditTx<'_>,
    contact_id: &str,
    kept: Vec<ReferredLine>,
) -> Result<()> {
    for l in kept {
        let done = sqlx::query(
            "UPDATE outreach_referrals SET referral_id = $1 WHERE contact_id = $2 \
             AND ordinal = $3 AND target_kind = $4 AND target_id = $5",
        )
        .bind(l.referral_id)
        .bind(contact_id)
        .bind(l.ordinal)
        .bind(&l.target_kind)
        .bind(&l.target_id)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO outreach_referrals (contact_id, ordinal, target_kind, target_id, \
                 org_id, contact_at, referral_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(contact_id)
            .bind(l.ordinal)
            .bind(&l.target_kind)
            .bind(&l.target_id)
            .bind(l.org_id)
            .bind(l.contact_at)
            .bind(l.referral_id)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    Ok(())
}

/// One value of a multi-row insert.
pub(super) enum Arg {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Bytes(Vec<u8>),
    Org(OrgId),
    Person(Option<PersonId>),
}

/// Inserts rows into `table (cols)` with as few statements as the backends' parameter
/// limits allow: a batch of contacts becomes a handful of statements, not thousands.
pub(super) async fn insert_rows(
    tx: &mut AuditTx<'_>,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Arg>>,
) -> Result<()> {
    let per = (4000 / cols.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per).collect();
        let values: Vec<String> = (0..chunk.len())
            .map(|r| format!("({})", placeholders(r * cols.len() + 1, cols.len())))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            cols.join(", "),
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for a in chunk.into_iter().flatten() {
            q = match a {
                Arg::Text(v) => q.bind(v),
                Arg::OptText(v) => q.bind(v),
                Arg::Int(v) => q.bind(v),
                Arg::OptInt(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
                Arg::Org(v) => q.bind(v),
                Arg::Person(v) => q.bind(v),
            };
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}
