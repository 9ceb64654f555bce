//! Street outreach on the Reach Out model: contacting, informing, referring, in many short
//! contacts over time.
//!
//! Contacts are recorded on a device, often offline, and reach the server through
//! [`sync`]. The device makes each contact's id (a UUIDv7), so a submission can be repeated
//! safely:
//!
//! - the same id and the same payload, any number of times, give one record and the same
//!   answer (every version a contact has had is kept by the keyed MAC of its payload);
//! - the same id with a different payload, or an edit based on a version that is no longer
//!   the current one, is a conflict with a reason, never an overwrite.
//!
//! A batch is one transaction with one audit event naming every record written: all of it
//! is applied or none of it, and every record gets its own answer. Conflicts and invalid
//! records write nothing and do not stop the others.
//!
//! A contact's payload (aliases, free text, the detail of each person) is sealed with the
//! contact's own data key, like a person's fields. Aliases are found through blind-index
//! tokens (see `people::names`). Beside the sealed payload the table keeps only what the
//! team lead's figures need: when, which area, how many people, what was done.

pub mod model;
pub mod refer;
pub mod show;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::people::{self, names};
use crate::referrals::ReferralResult;
use crate::stats::Count;
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};
pub use model::{
    Config, ContactData, ContactInput, PersonData, PersonInput, ReferralTarget, ACTIVITIES,
    DECISIONS,
};
pub use refer::{
    lines, refer_line, refer_line_options, ContactReferrals, LineKind, LineReferral,
    ReferLineInput, ReferLineOptions, ReferralLineState,
};

/// The most records one sync request may carry.
pub const MAX_BATCH: usize = 1000;
/// How far back "recent contacts" reach when looking for a returning person.
pub const RECENT_DAYS: i64 = 180;

/// One record the device sends: a new contact (`base_version` 0) or an edit of the version
/// it was based on.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SyncRecord {
    /// Made by the device: a UUIDv7.
    pub id: String,
    #[serde(default)]
    pub base_version: i64,
    pub contact: ContactInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    /// The server holds this record at `version`: delete it from the device's queue.
    Stored,
    /// Not applied; `reason` says why. Show it to the worker.
    Conflict,
    /// Not applied; `fields` name what is wrong.
    Invalid,
}

/// The answer for one record. Repeating a record gives the same answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SyncResult {
    pub id: String,
    pub status: SyncStatus,
    /// With `stored`: the version the server holds for this payload.
    pub version: Option<i64>,
    /// With `conflict`: a message id (the API adds the text).
    pub reason: Option<&'static str>,
    /// With `conflict`: the server's current version, when the record exists.
    pub server_version: Option<i64>,
    pub fields: Vec<FieldError>,
}

impl SyncResult {
    fn stored(id: &str, version: i64) -> Self {
        Self {
            id: id.to_owned(),
            status: SyncStatus::Stored,
            version: Some(version),
            reason: None,
            server_version: None,
            fields: Vec::new(),
        }
    }
    fn conflict(id: &str, reason: &'static str, server_version: Option<i64>) -> Self {
        Self {
            id: id.to_owned(),
            status: SyncStatus::Conflict,
            version: None,
            reason: Some(reason),
            server_version,
            fields: Vec::new(),
        }
    }
    fn invalid(id: &str, fields: Vec<FieldError>) -> Self {
        Self {
            id: id.to_owned(),
            status: SyncStatus::Invalid,
            version: None,
            reason: None,
            server_version: None,
            fields,
        }
    }
}

/// A choice offered to the worker: a configured code and its label.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// A referral target the app offers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Target {
    /// `organisation` or `service`.
    pub kind: String,
    pub id: String,
    pub name: String,
}

/// Everything the app needs to record contacts offline; it caches this.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutreachConfig {
    pub areas: Vec<Choice>,
    pub situations: Vec<Choice>,
    pub needs: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub age_bands: Vec<Choice>,
    pub directions: Vec<Choice>,
    /// Workers of the team (id = user id, label = display name).
    pub workers: Vec<Choice>,
    pub targets: Vec<Target>,
    /// Programmes a case may be opened in on registration; empty without `CaseWrite`.
    pub programmes: Vec<Choice>,
    /// Whether the team turned on coarse location. Off by default.
    pub coarse_location: bool,
    /// How many days a sent record stays on the device.
    pub device_days: i64,
}

/// A contact as read back: its version (for edits) and its data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: String,
    pub version: i64,
    pub data: ContactData,
    /// Per person (by position): the registered person, when they consented.
    pub registered: Vec<Option<String>>,
}

/// One earlier meeting with a returning person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ThreadEntry {
    pub contact_id: String,
    pub version: i64,
    pub ordinal: i64,
    pub contact_at: i64,
    pub area: String,
    pub activities: Vec<String>,
    pub person: PersonData,
    pub person_id: Option<String>,
    pub followup_at: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// Configuration

async fn list(conn: &mut sqlx::AnyConnection, list: &str) -> Result<Vec<Choice>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, label FROM config_lists WHERE list = $1 AND active = 1 \
         ORDER BY position, label",
    )
    .bind(list)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, label)| Choice { code, label })
        .collect())
}

/// Every code a list has ever had, active or not: a record made offline before a code was
/// retired must still be accepted.
async fn codes(conn: &mut sqlx::AnyConnection, list: &str) -> Result<HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT code FROM config_lists WHERE list = $1")
        .bind(list)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

async fn areas(conn: &mut sqlx::AnyConnection, org: &str, all: bool) -> Result<Vec<Choice>> {
    let rows: Vec<(String, String)> = sqlx::query_as(if all {
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
    Ok(rows
        .into_iter()
        .map(|(code, label)| Choice { code, label })
        .collect())
}

async fn workers(conn: &mut sqlx::AnyConnection, org: &str) -> Result<Vec<Choice>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE u.org_id = $1 AND u.disabled = 0 AND r.role IN ('outreach_worker', 'team_lead') \
         ORDER BY u.display_name",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, label)| Choice { code, label })
        .collect())
}

async fn targets(conn: &mut sqlx::AnyConnection) -> Result<Vec<Target>> {
    let orgs: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organisations WHERE active = 1 ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    let services: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, o.name FROM dir_services s \
         JOIN dir_organizations o ON o.id = s.organization_id \
         WHERE s.status = 'active' ORDER BY o.name, s.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<Target> = orgs
        .into_iter()
        .map(|(id, name)| Target {
            kind: "organisation".to_owned(),
            id,
            name,
        })
        .collect();
    out.extend(services.into_iter().map(|(id, name, org)| Target {
        kind: "service".to_owned(),
        id,
        name: format!("{org}: {name}"),
    }));
    Ok(out)
}

async fn settings(conn: &mut sqlx::AnyConnection, org: &str) -> Result<(bool, i64)> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT coarse_location, device_days FROM outreach_settings WHERE org_id = $1",
    )
    .bind(org)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(g, d)| (g == 1, d)).unwrap_or((false, 14)))
}

/// What the app offers: the team's areas, the configured lists, the team's workers and the
/// referral targets. No personal data.
pub async fn config(ctx: &Ctx, actor: &Actor) -> Result<OutreachConfig> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?.to_string();
    let mut conn = ctx.db.pool.acquire().await?;
    let programmes = if actor.can(Permission::CaseWrite) {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, name FROM programmes WHERE active = 1 ORDER BY name")
                .fetch_all(&mut *conn)
                .await?;
        rows.into_iter()
            .map(|(code, label)| Choice { code, label })
            .collect()
    } else {
        Vec::new()
    };
    let (coarse_location, device_days) = settings(&mut conn, &org).await?;
    Ok(OutreachConfig {
        areas: areas(&mut conn, &org, false).await?,
        situations: list(&mut conn, "outreach_situation").await?,
        needs: list(&mut conn, "outreach_need").await?,
        topics: list(&mut conn, "outreach_topic").await?,
        age_bands: list(&mut conn, "outreach_age_band").await?,
        directions: list(&mut conn, "outreach_direction").await?,
        workers: workers(&mut conn, &org).await?,
        targets: targets(&mut conn).await?,
        programmes,
        coarse_location,
        device_days,
    })
}

async fn check_config(ctx: &Ctx, org: &str) -> Result<Config> {
    let mut conn = ctx.db.pool.acquire().await?;
    let set = |v: Vec<Choice>| v.into_iter().map(|c| c.code).collect::<HashSet<_>>();
    let organisations: Vec<(String,)> = sqlx::query_as("SELECT id FROM organisations")
        .fetch_all(&mut *conn)
        .await?;
    let services: Vec<(String,)> = sqlx::query_as("SELECT id FROM dir_services")
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
        organisations: organisations.into_iter().map(|r| r.0).collect(),
        services: services.into_iter().map(|r| r.0).collect(),
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

// ---------------------------------------------------------------------------------------
// Storage helpers

fn aad(id: &str) -> Vec<u8> {
    format!("outreach-contact:{id}").into_bytes()
}

fn payload_mac(ctx: &Ctx, data: &ContactData) -> Result<String> {
    let json = serde_json::to_string(data).map_err(anyhow::Error::from)?;
    Ok(hex::encode(ctx.keys.blind_index("outreach-payload", &json)))
}

fn alias_tokens(ctx: &Ctx, alias: &str) -> Vec<Vec<u8>> {
    names::index_keys(alias)
        .iter()
        .map(|k| ctx.keys.blind_index("outreach-alias", k))
        .collect()
}

fn open(ctx: &Ctx, id: &str, wrapped: Option<&str>, sealed: Option<&[u8]>) -> Result<ContactData> {
    let (Some(wrapped), Some(sealed)) = (wrapped, sealed) else {
        return Err(Error::Erased);
    };
    let dek = ctx.keys.unwrap_data_key(wrapped, id)?;
    let json = dek.open(sealed, &aad(id))?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

/// A record that passed parsing, ready to be applied.
struct Parsed {
    id: String,
    base_version: i64,
    data: ContactData,
    mac: String,
}

fn parse_id(s: &str) -> Option<String> {
    let u = Uuid::parse_str(s.trim()).ok()?;
    (u.get_version_num() == 7).then(|| u.to_string())
}

/// The derived, unsealed rows of a contact, written on create and rewritten on edit.
async fn write_rows(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    org: &str,
    id: &str,
    data: &ContactData,
    links: &HashMap<i64, (String, i64, String)>,
) -> Result<()> {
    for (i, p) in data.persons.iter().enumerate() {
        let ordinal = i as i64;
        let link = links.get(&ordinal);
        sqlx::query(
            "INSERT INTO outreach_contact_persons (contact_id, ordinal, org_id, contact_at, \
             person_id, consent_at, consent_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(ordinal)
        .bind(org)
        .bind(data.contact_at)
        .bind(link.map(|l| l.0.clone()))
        .bind(link.map(|l| l.1))
        .bind(link.map(|l| l.2.clone()))
        .execute(&mut *tx.tx)
        .await?;
        if let Some(alias) = &p.alias {
            let mut toks = alias_tokens(ctx, alias);
            toks.sort();
            toks.dedup();
            if !toks.is_empty() {
                let values: Vec<String> = (0..toks.len())
                    .map(|j| {
                        let b = j * 5;
                        format!(
                            "(${}, ${}, ${}, ${}, ${})",
                            b + 1,
                            b + 2,
                            b + 3,
                            b + 4,
                            b + 5
                        )
                    })
                    .collect();
                let sql = format!(
                    "INSERT INTO outreach_alias_tokens (token, org_id, contact_id, ordinal, \
                     contact_at) VALUES {}",
                    values.join(", ")
                );
                let mut q = sqlx::query(&sql);
                for t in toks {
                    q = q
                        .bind(t)
                        .bind(org)
                        .bind(id)
                        .bind(ordinal)
                        .bind(data.contact_at);
                }
                q.execute(&mut *tx.tx).await?;
            }
        }
        for r in &p.referrals {
            sqlx::query(
                "INSERT INTO outreach_referrals (contact_id, ordinal, target_kind, target_id, \
                 org_id, contact_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(ordinal)
            .bind(&r.kind)
            .bind(&r.id)
            .bind(org)
            .bind(data.contact_at)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    Ok(())
}

fn flags(data: &ContactData) -> (i64, i64, i64, i64) {
    (
        i64::from(data.has("contacted")),
        i64::from(data.has("informed")),
        i64::from(data.has("referred")),
        i64::from(data.counselling()),
    )
}

/// One value of a multi-row insert.
enum Arg {
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
    Bytes(Vec<u8>),
}

/// Inserts rows into `table (cols)` with as few statements as the backends' parameter
/// limits allow: a batch of contacts becomes a handful of statements, not thousands.
async fn insert_rows(
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
            .map(|r| {
                format!(
                    "({})",
                    crate::db::placeholders(r * cols.len() + 1, cols.len())
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            cols.join(", "),
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for a in row {
                q = match a {
                    Arg::Text(v) => q.bind(v),
                    Arg::Int(v) => q.bind(v),
                    Arg::OptInt(v) => q.bind(v),
                    Arg::Bytes(v) => q.bind(v),
                };
            }
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}

/// Inserts new contacts (version 1) and their derived rows, all of a batch at once.
async fn insert_many(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &str,
    org: &str,
    new: &[&Parsed],
    now: i64,
) -> Result<()> {
    use Arg::*;
    let (mut contacts, mut versions, mut persons, mut tokens, mut referrals) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in new {
        let dek = Key::generate();
        let json = serde_json::to_vec(&p.data).map_err(anyhow::Error::from)?;
        let sealed = dek.seal(&json, &aad(&p.id));
        let wrapped = ctx.keys.wrap_data_key(&dek, &p.id);
        let (contacted, informed, referred, counselling) = flags(&p.data);
        let at = p.data.contact_at;
        contacts.push(vec![
            Text(p.id.clone()),
            Text(org.to_owned()),
            Int(1),
            Text(p.mac.clone()),
            Text(wrapped),
            Bytes(sealed),
            Int(at),
            Text(p.data.area.clone()),
            Int(p.data.people_count),
            Int(contacted),
            Int(informed),
            Int(referred),
            Int(counselling),
            OptInt(p.data.followup_at),
            Int(now),
            Text(actor.to_owned()),
            Int(now),
            Text(actor.to_owned()),
        ]);
        versions.push(vec![Text(p.id.clone()), Int(1), Text(p.mac.clone())]);
        for (i, person) in p.data.persons.iter().enumerate() {
            let ordinal = i as i64;
            persons.push(vec![
                Text(p.id.clone()),
                Int(ordinal),
                Text(org.to_owned()),
                Int(at),
            ]);
            if let Some(alias) = &person.alias {
                let mut toks = alias_tokens(ctx, alias);
                toks.sort();
                toks.dedup();
                for t in toks {
                    tokens.push(vec![
                        Bytes(t),
                        Text(org.to_owned()),
                        Text(p.id.clone()),
                        Int(ordinal),
                        Int(at),
                    ]);
                }
            }
            for r in &person.referrals {
                referrals.push(vec![
                    Text(p.id.clone()),
                    Int(ordinal),
                    Text(r.kind.clone()),
                    Text(r.id.clone()),
                    Text(org.to_owned()),
                    Int(at),
                ]);
            }
        }
    }
    insert_rows(
        tx,
        "outreach_contacts",
        &[
            "id",
            "org_id",
            "version",
            "payload_mac",
            "data_key",
            "sealed",
            "contact_at",
            "area",
            "people",
            "contacted",
            "informed",
            "referred",
            "counselling",
            "followup_at",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ],
        contacts,
    )
    .await?;
    insert_rows(
        tx,
        "outreach_contact_versions",
        &["contact_id", "version", "payload_mac"],
        versions,
    )
    .await?;
    insert_rows(
        tx,
        "outreach_contact_persons",
        &["contact_id", "ordinal", "org_id", "contact_at"],
        persons,
    )
    .await?;
    insert_rows(
        tx,
        "outreach_alias_tokens",
        &["token", "org_id", "contact_id", "ordinal", "contact_at"],
        tokens,
    )
    .await?;
    insert_rows(
        tx,
        "outreach_referrals",
        &[
            "contact_id",
            "ordinal",
            "target_kind",
            "target_id",
            "org_id",
            "contact_at",
        ],
        referrals,
    )
    .await
}

async fn update(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    actor: &str,
    org: &str,
    p: &Parsed,
    version: i64,
    now: i64,
) -> Result<()> {
    let row: (Option<String>,) =
        sqlx::query_as("SELECT data_key FROM outreach_contacts WHERE id = $1")
            .bind(&p.id)
            .fetch_one(&mut *tx.tx)
            .await?;
    let dek = match row.0 {
        Some(w) => ctx.keys.unwrap_data_key(&w, &p.id)?,
        None => return Err(Error::Erased),
    };
    let json = serde_json::to_vec(&p.data).map_err(anyhow::Error::from)?;
    let sealed = dek.seal(&json, &aad(&p.id));
    let (contacted, informed, referred, counselling) = flags(&p.data);
    // Optimistic: the version checked before is required again here.
    let done = sqlx::query(
        "UPDATE outreach_contacts SET version = $1, payload_mac = $2, sealed = $3, \
         contact_at = $4, area = $5, people = $6, contacted = $7, informed = $8, referred = $9, \
         counselling = $10, followup_at = $11, updated_at = $12, updated_by = $13 \
         WHERE id = $14 AND version = $15",
    )
    .bind(version + 1)
    .bind(&p.mac)
    .bind(sealed)
    .bind(p.data.contact_at)
    .bind(&p.data.area)
    .bind(p.data.people_count)
    .bind(contacted)
    .bind(informed)
    .bind(referred)
    .bind(counselling)
    .bind(p.data.followup_at)
    .bind(now)
    .bind(actor)
    .bind(&p.id)
    .bind(version)
    .execute(&mut *tx.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Error::Conflict("err-outreach-stale"));
    }
    sqlx::query(
        "INSERT INTO outreach_contact_versions (contact_id, version, payload_mac) \
         VALUES ($1, $2, $3)",
    )
    .bind(&p.id)
    .bind(version + 1)
    .bind(&p.mac)
    .execute(&mut *tx.tx)
    .await?;
    // Consent links survive an edit, by position.
    type LinkRow = (i64, Option<String>, Option<i64>, Option<String>);
    let links: Vec<LinkRow> = sqlx::query_as(
        "SELECT ordinal, person_id, consent_at, consent_by FROM outreach_contact_persons \
         WHERE contact_id = $1",
    )
    .bind(&p.id)
    .fetch_all(&mut *tx.tx)
    .await?;
    let links: HashMap<i64, (String, i64, String)> = links
        .into_iter()
        .filter_map(|(o, p, a, b)| Some((o, (p?, a?, b?))))
        .collect();
    // Consented referrals made from lines survive an edit too.
    let referred = refer::keep_links(tx, &p.id).await?;
    for table in [
        "outreach_alias_tokens",
        "outreach_referrals",
        "outreach_contact_persons",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE contact_id = $1"))
            .bind(&p.id)
            .execute(&mut *tx.tx)
            .await?;
    }
    write_rows(ctx, tx, org, &p.id, &p.data, &links).await?;
    refer::restore_links(tx, &p.id, referred).await
}

// ---------------------------------------------------------------------------------------
// Use cases

/// Applies a batch of records from a device. See the module documentation for the rules.
pub async fn sync(ctx: &Ctx, actor: &Actor, records: &[SyncRecord]) -> Result<Vec<SyncResult>> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?.to_string();
    if records.len() > MAX_BATCH {
        return Err(Error::invalid("records", "err-list-long"));
    }
    let now = ctx.clock.now_ts();
    let cfg = check_config(ctx, &org).await?;
    // Parse everything first; an answer per record, in the order sent.
    let mut results: Vec<Option<SyncResult>> = vec![None; records.len()];
    let mut parsed: Vec<(usize, Parsed)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let Some(id) = parse_id(&r.id) else {
            results[i] = Some(SyncResult::invalid(
                &r.id,
                vec![FieldError::new("id", "err-outreach-id")],
            ));
            continue;
        };
        if r.base_version < 0 {
            results[i] = Some(SyncResult::invalid(
                &id,
                vec![FieldError::new("base_version", "err-choice")],
            ));
            continue;
        }
        match r.contact.parse(&cfg, now) {
            Ok(data) => {
                let mac = payload_mac(ctx, &data)?;
                parsed.push((
                    i,
                    Parsed {
                        id,
                        base_version: r.base_version,
                        data,
                        mac,
                    },
                ));
            }
            Err(Error::Invalid(f)) => results[i] = Some(SyncResult::invalid(&id, f)),
            Err(e) => return Err(e),
        }
    }

    let actor_id = actor.audit_id();
    let mut tx = AuditTx::begin(ctx).await?;
    // What the server holds for these ids: (org, version) and every (version → mac).
    let mut current: HashMap<String, (String, i64)> = HashMap::new();
    let mut history: HashMap<(String, i64), String> = HashMap::new();
    let ids: Vec<&str> = {
        let mut v: Vec<&str> = parsed.iter().map(|(_, p)| p.id.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    for chunk in ids.chunks(500) {
        let ph = crate::db::placeholders(1, chunk.len());
        let sql = format!("SELECT id, org_id, version FROM outreach_contacts WHERE id IN ({ph})");
        let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for (id, o, v) in q.fetch_all(&mut *tx.tx).await? {
            current.insert(id, (o, v));
        }
        let sql = format!(
            "SELECT contact_id, version, payload_mac FROM outreach_contact_versions \
             WHERE contact_id IN ({ph})"
        );
        let mut q = sqlx::query_as::<_, (String, i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for (id, v, m) in q.fetch_all(&mut *tx.tx).await? {
            history.insert((id, v), m);
        }
    }

    let mut written: Vec<String> = Vec::new();
    let mut new: Vec<&Parsed> = Vec::new();
    for (i, p) in &parsed {
        let target = p.base_version + 1;
        let answer = match current.get(&p.id).cloned() {
            Some((owner, _)) if owner != org => {
                SyncResult::conflict(&p.id, "err-outreach-id-taken", None)
            }
            _ if history.get(&(p.id.clone(), target)) == Some(&p.mac) => {
                // Applied before: the same answer again.
                SyncResult::stored(&p.id, target)
            }
            None if p.base_version == 0 => {
                new.push(p);
                current.insert(p.id.clone(), (org.clone(), 1));
                history.insert((p.id.clone(), 1), p.mac.clone());
                written.push(p.id.clone());
                SyncResult::stored(&p.id, 1)
            }
            None => SyncResult::conflict(&p.id, "err-outreach-missing", None),
            Some((_, v)) if p.base_version == 0 => {
                SyncResult::conflict(&p.id, "err-outreach-different-payload", Some(v))
            }
            Some((_, v)) if v == p.base_version => {
                // An edit of a contact created earlier in this batch needs its row.
                insert_many(ctx, &mut tx, &actor_id, &org, &new, now).await?;
                new.clear();
                update(ctx, &mut tx, &actor_id, &org, p, v, now).await?;
                current.insert(p.id.clone(), (org.clone(), target));
                history.insert((p.id.clone(), target), p.mac.clone());
                written.push(p.id.clone());
                SyncResult::stored(&p.id, target)
            }
            Some((_, v)) => SyncResult::conflict(&p.id, "err-outreach-stale", Some(v)),
        };
        results[*i] = Some(answer);
    }
    insert_many(ctx, &mut tx, &actor_id, &org, &new, now).await?;
    if !written.is_empty() {
        written.sort();
        written.dedup();
        tx.log(
            ctx,
            actor,
            "outreach.contact.sync",
            "outreach_contact",
            &written,
        )
        .await?;
    }
    tx.commit().await?;
    results
        .into_iter()
        .map(|r| r.ok_or_else(|| Error::Internal(anyhow::anyhow!("record without an answer"))))
        .collect()
}

/// Reads one contact of the actor's organisation, to show or edit it.
pub async fn get(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Contact> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?.to_string();
    let id = parse_id(id).ok_or(Error::NotFound)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<(i64, Option<String>, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT version, data_key, sealed FROM outreach_contacts WHERE id = $1 AND org_id = $2",
    )
    .bind(&id)
    .bind(&org)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let Some((version, wrapped, sealed)) = row else {
        return Err(Error::NotFound);
    };
    let links: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT ordinal, person_id FROM outreach_contact_persons WHERE contact_id = $1 \
         ORDER BY ordinal",
    )
    .bind(&id)
    .fetch_all(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "outreach.contact.read",
        "outreach_contact",
        std::slice::from_ref(&id),
    )
    .await?;
    tx.commit().await?;
    let data = open(ctx, &id, wrapped.as_deref(), sealed.as_deref())?;
    let mut registered = vec![None; data.persons.len()];
    for (o, p) in links {
        if let Some(slot) = usize::try_from(o).ok().and_then(|o| registered.get_mut(o)) {
            *slot = p;
        }
    }
    Ok(Contact {
        id,
        version,
        data,
        registered,
    })
}

/// Finds a returning person by alias among the team's contacts of the last
/// [`RECENT_DAYS`], spelling-tolerantly, and returns the thread of earlier contacts with
/// them, newest first.
pub async fn thread(ctx: &Ctx, actor: &Actor, alias: &str) -> Result<Vec<ThreadEntry>> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?.to_string();
    let Some((each, _)) = names::query_keys(alias) else {
        return Err(Error::invalid("alias", "err-required"));
    };
    let tokens: Vec<Vec<u8>> = each
        .iter()
        .map(|k| ctx.keys.blind_index("outreach-alias", k))
        .collect();
    let since = ctx.clock.now_ts() - RECENT_DAYS * 86_400;
    let ph = crate::db::placeholders(3, tokens.len());
    let sql = format!(
        "SELECT t.contact_id, t.ordinal FROM outreach_alias_tokens t \
         WHERE t.org_id = $1 AND t.contact_at >= $2 AND t.token IN ({ph}) \
         GROUP BY t.contact_id, t.ordinal HAVING COUNT(DISTINCT t.token) = {} \
         ORDER BY MAX(t.contact_at) DESC LIMIT 100",
        tokens.len()
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(&sql)
        .bind(&org)
        .bind(since);
    for t in &tokens {
        q = q.bind(t.clone());
    }
    let hits = q.fetch_all(&ctx.db.pool).await?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = hits.iter().map(|h| h.0.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut tx = AuditTx::begin(ctx).await?;
    let ph = crate::db::placeholders(2, ids.len());
    let sql = format!(
        "SELECT c.id, c.version, c.data_key, c.sealed FROM outreach_contacts c \
         WHERE c.org_id = $1 AND c.id IN ({ph})"
    );
    let mut q =
        sqlx::query_as::<_, (String, i64, Option<String>, Option<Vec<u8>>)>(&sql).bind(&org);
    for id in &ids {
        q = q.bind(id.clone());
    }
    let rows = q.fetch_all(&mut *tx.tx).await?;
    let sql = format!(
        "SELECT contact_id, ordinal, person_id FROM outreach_contact_persons \
         WHERE contact_id IN ({})",
        crate::db::placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, i64, Option<String>)>(&sql);
    for id in &ids {
        q = q.bind(id.clone());
    }
    let links: HashMap<(String, i64), Option<String>> = q
        .fetch_all(&mut *tx.tx)
        .await?
        .into_iter()
        .map(|(c, o, p)| ((c, o), p))
        .collect();
    tx.log(
        ctx,
        actor,
        "outreach.contact.read",
        "outreach_contact",
        &ids,
    )
    .await?;
    tx.commit().await?;
    let mut by_id: HashMap<String, (i64, ContactData)> = HashMap::new();
    for (id, version, wrapped, sealed) in rows {
        if let Ok(d) = open(ctx, &id, wrapped.as_deref(), sealed.as_deref()) {
            by_id.insert(id, (version, d));
        }
    }
    let mut out = Vec::new();
    for (id, ordinal) in hits {
        let Some((version, d)) = by_id.get(&id) else {
            continue;
        };
        let Some(person) = usize::try_from(ordinal).ok().and_then(|o| d.persons.get(o)) else {
            continue;
        };
        out.push(ThreadEntry {
            contact_id: id.clone(),
            version: *version,
            ordinal,
            contact_at: d.contact_at,
            area: d.area.clone(),
            activities: d.activities.clone(),
            person: person.clone(),
            person_id: links.get(&(id.clone(), ordinal)).cloned().flatten(),
            followup_at: d.followup_at,
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.contact_at));
    Ok(out)
}

/// Registering a person met in outreach, with their consent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RegisterInput {
    /// The person said yes to being registered, after being told what that means.
    #[serde(default)]
    pub consent: bool,
    /// The contacts (and the person's position in each) to link to the new person.
    #[serde(default)]
    pub links: Vec<LinkInput>,
    /// What the person agreed to have recorded.
    #[serde(default)]
    pub person: people::PersonInput,
    /// When set, a case is opened in this programme (needs `CaseWrite`).
    #[serde(default)]
    pub programme_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LinkInput {
    pub contact_id: String,
    pub ordinal: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub person_id: String,
    pub case_id: Option<String>,
}

/// Turns an alias contact thread into a registered person, with the person's recorded
/// consent, and opens a case when a programme is given. Without consent nothing is kept.
pub async fn register(ctx: &Ctx, actor: &Actor, input: &RegisterInput) -> Result<Registered> {
    actor.require(Permission::OutreachRecord)?;
    actor.require(Permission::PersonRegister)?;
    let org = actor.require_org()?.to_string();
    let mut e = crate::error::Errors::default();
    if !input.consent {
        e.push("consent", "err-outreach-consent");
    }
    if input.links.is_empty() || input.links.len() > 200 {
        e.push("links", "err-required");
    }
    let programme = input
        .programme_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if programme.is_some() && !actor.can(Permission::CaseWrite) {
        return Err(Error::Forbidden);
    }
    let mut links: Vec<(String, i64)> = Vec::new();
    for l in &input.links {
        match parse_id(&l.contact_id) {
            Some(id) => links.push((id, l.ordinal)),
            None => e.push("links", "err-choice"),
        }
    }
    e.finish()?;
    // The linked rows must exist, belong to the team and not be linked yet.
    for (id, ordinal) in &links {
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT person_id FROM outreach_contact_persons WHERE contact_id = $1 AND ordinal = $2 \
             AND org_id = $3",
        )
        .bind(id)
        .bind(ordinal)
        .bind(&org)
        .fetch_optional(&ctx.db.pool)
        .await?;
        match row {
            None => return Err(Error::invalid("links", "err-choice")),
            Some((Some(_),)) => return Err(Error::Conflict("err-outreach-already-registered")),
            Some((None,)) => {}
        }
    }
    // Check the person's fields before anything is written.
    input.person.parse(ctx.clock.now().date())?;
    let person = people::register(ctx, actor, &input.person).await?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let mut ids = vec![person.id.to_string()];
    for (id, ordinal) in &links {
        sqlx::query(
            "UPDATE outreach_contact_persons SET person_id = $1, consent_at = $2, consent_by = $3 \
             WHERE contact_id = $4 AND ordinal = $5 AND org_id = $6 AND person_id IS NULL",
        )
        .bind(person.id.to_string())
        .bind(now)
        .bind(actor.audit_id())
        .bind(id)
        .bind(ordinal)
        .bind(&org)
        .execute(&mut *tx.tx)
        .await?;
        ids.push(id.clone());
    }
    tx.log(
        ctx,
        actor,
        "outreach.contact.register",
        "outreach_contact",
        &ids,
    )
    .await?;
    tx.commit().await?;
    let case_id = match programme {
        Some(p) => Some(
            crate::cases::open_case(
                ctx,
                actor,
                &crate::cases::OpenInput {
                    person_id: Some(person.id.to_string()),
                    programme_id: Some(p.to_owned()),
                    ..Default::default()
                },
            )
            .await?
            .id
            .to_string(),
        ),
        None => None,
    };
    Ok(Registered {
        person_id: person.id.to_string(),
        case_id,
    })
}

// ---------------------------------------------------------------------------------------
// The team lead's view

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaWeek {
    pub area: String,
    /// The Monday the week starts, `YYYY-MM-DD`.
    pub week: String,
    pub contacts: i64,
    pub people: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    pub contact_id: String,
    pub followup_at: i64,
    pub area: String,
    pub people: i64,
}

/// The referral lines to one target this year, and what became of the consented ones.
/// Every count but the total is withheld below five ("fewer than 5"), as in the network
/// view: the outcomes happen at another organisation, to few people.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralCount {
    pub kind: String,
    pub target_id: String,
    pub name: String,
    /// All lines to this target.
    pub referrals: i64,
    /// Lines that stayed signposting: the person was told where to go, nothing shared.
    pub signposted: Count,
    /// Lines turned into a referral with the person's recorded consent.
    pub referred_with_consent: Count,
    /// Of those: accepted by the receiving organisation (also when completed later).
    pub accepted: Count,
    pub declined: Count,
    /// Completed, by result.
    pub helped: Count,
    pub no_show: Count,
    pub not_eligible: Count,
    pub referred_on: Count,
}

#[derive(Default)]
struct LineAcc {
    total: i64,
    referred: i64,
    accepted: i64,
    declined: i64,
    results: HashMap<String, i64>,
}

/// Figures for the team lead. Counts only, and follow-ups by area and time: no alias, no
/// free text. Referral outcomes join through `outreach_referrals.referral_id`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamView {
    pub weeks: Vec<AreaWeek>,
    pub followups: Vec<FollowUp>,
    pub year: i32,
    pub contacts_this_year: i64,
    pub counselling_this_year: i64,
    pub people_this_year: i64,
    pub referrals: Vec<ReferralCount>,
}

/// The team lead's figures over the last `weeks` weeks, follow-ups due in the coming two
/// weeks (and overdue ones of the last two), and this year's totals.
pub async fn team(ctx: &Ctx, actor: &Actor, weeks: i64) -> Result<TeamView> {
    actor.require(Permission::OutreachLead)?;
    let org = actor.require_org()?.to_string();
    let now = ctx.clock.now();
    let weeks = weeks.clamp(1, 52);
    let today = now.date();
    let monday = today - time::Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let start = monday - time::Duration::weeks(weeks - 1);
    let start_ts = start.midnight().assume_utc().unix_timestamp();
    let year = today.year();
    let year_ts = time::Date::from_calendar_date(year, time::Month::January, 1)
        .map_err(anyhow::Error::from)?
        .midnight()
        .assume_utc()
        .unix_timestamp();
    let lo = start_ts.min(year_ts);
    let mut conn = ctx.db.pool.acquire().await?;
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT contact_at, area, people, counselling FROM outreach_contacts \
         WHERE org_id = $1 AND contact_at >= $2",
    )
    .bind(&org)
    .bind(lo)
    .fetch_all(&mut *conn)
    .await?;
    let labels: HashMap<String, String> = areas(&mut conn, &org, true)
        .await?
        .into_iter()
        .map(|c| (c.code, c.label))
        .collect();
    let mut grid: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    let (mut contacts_year, mut counselling_year, mut people_year) = (0, 0, 0);
    for (at, area, people, counselling) in rows {
        if at >= year_ts {
            contacts_year += 1;
            people_year += people;
            counselling_year += counselling;
        }
        if at >= start_ts {
            let d = time::OffsetDateTime::from_unix_timestamp(at)
                .map_err(anyhow::Error::from)?
                .date();
            let m = d - time::Duration::days(i64::from(d.weekday().number_days_from_monday()));
            let e = grid.entry((m.to_string(), area)).or_default();
            e.0 += 1;
            e.1 += people;
        }
    }
    let mut week_rows: Vec<AreaWeek> = grid
        .into_iter()
        .map(|((week, area), (contacts, people))| AreaWeek {
            area: labels.get(&area).cloned().unwrap_or(area),
            week,
            contacts,
            people,
        })
        .collect();
    week_rows.sort_by(|a, b| b.week.cmp(&a.week).then(a.area.cmp(&b.area)));
    let ts = now.unix_timestamp();
    let due: Vec<(String, i64, String, i64)> = sqlx::query_as(
        "SELECT id, followup_at, area, people FROM outreach_contacts \
         WHERE org_id = $1 AND followup_at IS NOT NULL AND followup_at >= $2 AND followup_at <= $3 \
         ORDER BY followup_at LIMIT 200",
    )
    .bind(&org)
    .bind(ts - 14 * 86_400)
    .bind(ts + 14 * 86_400)
    .fetch_all(&mut *conn)
    .await?;
    // (kind, target, referral status, result, accepted at): one row per line.
    type OutcomeRow = (String, String, Option<String>, Option<String>, Option<i64>);
    let lines: Vec<OutcomeRow> = sqlx::query_as(
        "SELECT o.target_kind, o.target_id, r.status, r.result, r.accepted_at \
         FROM outreach_referrals o LEFT JOIN referrals r \
           ON r.id = o.referral_id AND r.from_org = o.org_id \
         WHERE o.org_id = $1 AND o.contact_at >= $2",
    )
    .bind(&org)
    .bind(year_ts)
    .fetch_all(&mut *conn)
    .await?;
    let mut refs: BTreeMap<(String, String), LineAcc> = BTreeMap::new();
    for (kind, target, status, result, accepted_at) in lines {
        let a = refs.entry((kind, target)).or_default();
        a.total += 1;
        let Some(status) = status else { continue };
        a.referred += 1;
        if accepted_at.is_some() {
            a.accepted += 1;
        }
        if status == "declined" {
            a.declined += 1;
        }
        if let (true, Some(r)) = (status == "completed", result) {
            *a.results.entry(r).or_default() += 1;
        }
    }
    let names: HashMap<(String, String), String> = targets(&mut conn)
        .await?
        .into_iter()
        .map(|t| ((t.kind, t.id), t.name))
        .collect();
    drop(conn);
    let mut referrals: Vec<ReferralCount> = refs
        .into_iter()
        .map(|((kind, target_id), a)| {
            let result = |r: ReferralResult| Count::of(*a.results.get(r.as_str()).unwrap_or(&0));
            ReferralCount {
                name: names
                    .get(&(kind.clone(), target_id.clone()))
                    .cloned()
                    .unwrap_or_else(|| target_id.clone()),
                kind,
                target_id,
                referrals: a.total,
                signposted: Count::of(a.total - a.referred),
                referred_with_consent: Count::of(a.referred),
                accepted: Count::of(a.accepted),
                declined: Count::of(a.declined),
                helped: result(ReferralResult::Helped),
                no_show: result(ReferralResult::NoShow),
                not_eligible: result(ReferralResult::NotEligible),
                referred_on: result(ReferralResult::ReferredOn),
            }
        })
        .collect();
    referrals.sort_by(|a, b| b.referrals.cmp(&a.referrals).then(a.name.cmp(&b.name)));
    let followups: Vec<FollowUp> = due
        .into_iter()
        .map(|(contact_id, followup_at, area, people)| FollowUp {
            contact_id,
            followup_at,
            area: labels.get(&area).cloned().unwrap_or(area),
            people,
        })
        .collect();
    // The follow-up lines name contacts: record which were shown.
    if !followups.is_empty() {
        let ids: Vec<String> = followups.iter().map(|f| f.contact_id.clone()).collect();
        let mut tx = AuditTx::begin(ctx).await?;
        tx.log(ctx, actor, "outreach.team.read", "outreach_contact", &ids)
            .await?;
        tx.commit().await?;
    }
    Ok(TeamView {
        weeks: week_rows,
        followups,
        year,
        contacts_this_year: contacts_year,
        counselling_this_year: counselling_year,
        people_this_year: people_year,
        referrals,
    })
}

/// Sets a team's areas (configuration; no personal data). Codes are kept when a label
/// changes; areas left out are deactivated, not deleted, so old contacts keep their area.
pub async fn set_areas(ctx: &Ctx, actor: &Actor, areas_in: &[Choice]) -> Result<()> {
    actor.require(Permission::OutreachLead)?;
    let org = actor.require_org()?.to_string();
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
        .bind(&org)
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
        .bind(&org)
        .bind(code)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO outreach_areas (org_id, code, label, position, active) \
                 VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(&org)
            .bind(code)
            .bind(a.label.trim())
            .bind(i as i64)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    tx.log(
        ctx,
        actor,
        "outreach.areas.set",
        "organisation",
        std::slice::from_ref(&org),
    )
    .await?;
    tx.commit().await
}
