//! The hub's rows, their sealing with each report's own data key, and the queries the
//! use cases share.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

use super::model::{
    Category, CategoryConfig, Channel, Message, MessageData, ReportData, ReportStatus,
    ReportSummary, ReporterRole,
};
use crate::crypto::Key;
use crate::db::Flag;
use crate::ids::{OrgId, ReportId, ReportMessageId, UserId};
use crate::{Ctx, Error, Result};

/// A report row. `data_key`, `sealed` and `receipt_bidx` are `None` once it was purged.
#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    pub id: ReportId,
    pub hub_org: OrgId,
    pub category: String,
    pub occurred: String,
    pub language: String,
    pub reporter_role: ReporterRole,
    pub channel: Channel,
    pub status: ReportStatus,
    pub recorded_by: Option<UserId>,
    pub data_key: Option<String>,
    pub sealed: Option<Vec<u8>>,
    pub receipt_bidx: Option<Vec<u8>>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub version: i64,
}

pub(crate) const REPORT_COLS: &str = "r.id, r.hub_org, r.category, r.occurred, r.language, \
     r.reporter_role, r.channel, r.status, r.recorded_by, r.data_key, r.sealed, \
     r.receipt_bidx, r.created_at, r.closed_at, r.version";

/// A list line: the plain columns and the conversation's size and last speaker.
#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: ReportId,
    pub category: String,
    pub occurred: String,
    pub language: String,
    pub reporter_role: ReporterRole,
    pub channel: Channel,
    pub status: ReportStatus,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub messages: i64,
    pub last_from_hub: Option<Flag>,
}

impl SummaryRow {
    pub fn into_summary(self) -> ReportSummary {
        ReportSummary {
            id: self.id,
            category: self.category,
            occurred: self.occurred,
            language: self.language,
            reporter_role: self.reporter_role,
            channel: self.channel,
            status: self.status,
            created_at: self.created_at,
            closed_at: self.closed_at,
            messages: self.messages,
            awaiting_hub: self.last_from_hub.is_some_and(|f| !f.0),
        }
    }
}

/// The list's columns; `$1` is the hub.
pub(crate) const SUMMARY_SQL: &str = "SELECT r.id, r.category, r.occurred, r.language, \
     r.reporter_role, r.channel, r.status, r.created_at, r.closed_at, \
     (SELECT COUNT(*) FROM hub_report_messages m WHERE m.report_id = r.id) AS messages, \
     (SELECT m.from_hub FROM hub_report_messages m WHERE m.report_id = r.id \
      ORDER BY m.seq DESC LIMIT 1) AS last_from_hub \
     FROM hub_reports r WHERE r.hub_org = $1";

#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    pub id: ReportMessageId,
    pub from_hub: Flag,
    pub sealed: Vec<u8>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    code: String,
    labels: String,
}

fn report_aad(id: ReportId) -> Vec<u8> {
    format!("report:{id}").into_bytes()
}

fn message_aad(report: ReportId, id: ReportMessageId) -> Vec<u8> {
    format!("report:{report}:message:{id}").into_bytes()
}

fn seal_json<T: Serialize>(dek: &Key, value: &T, aad: &[u8]) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
    Ok(dek.seal(&json, aad))
}

fn open_json<T: DeserializeOwned>(dek: &Key, sealed: &[u8], aad: &[u8]) -> Result<T> {
    let json = dek.open(sealed, aad)?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

/// A new report's data key: the key, and its wrapped form for the row.
pub(crate) fn new_key(ctx: &Ctx, id: ReportId) -> (Key, String) {
    let dek = Key::generate();
    let wrapped = ctx.keys.wrap_data_key(&dek, &id.to_string());
    (dek, wrapped)
}

/// The report's data key; [`Error::Erased`] once the report was purged.
pub(crate) fn key_of(ctx: &Ctx, r: &ReportRow) -> Result<Key> {
    let wrapped = r.data_key.as_deref().ok_or(Error::Erased)?;
    ctx.keys.data_key(wrapped, &r.id.to_string())
}

pub(crate) fn seal_report(dek: &Key, id: ReportId, data: &ReportData) -> Result<Vec<u8>> {
    seal_json(dek, data, &report_aad(id))
}

pub(crate) fn open_report(dek: &Key, r: &ReportRow) -> Result<ReportData> {
    let sealed = r.sealed.as_deref().ok_or(Error::Erased)?;
    open_json(dek, sealed, &report_aad(r.id))
}

/// Stores a new report row.
pub(crate) async fn insert_report(
    conn: &mut AnyConnection,
    r: &ReportRow,
    updated_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO hub_reports (id, hub_org, category, occurred, language, reporter_role, \
         channel, status, recorded_by, data_key, sealed, receipt_bidx, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(r.id)
    .bind(r.hub_org)
    .bind(&r.category)
    .bind(&r.occurred)
    .bind(&r.language)
    .bind(r.reporter_role.as_str())
    .bind(r.channel.as_str())
    .bind(r.status.as_str())
    .bind(r.recorded_by)
    .bind(&r.data_key)
    .bind(&r.sealed)
    .bind(&r.receipt_bidx)
    .bind(r.created_at)
    .bind(updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A report of the hub `hub`, purged or not.
pub(crate) async fn report_of_hub(
    conn: &mut AnyConnection,
    hub: OrgId,
    id: ReportId,
) -> Result<Option<ReportRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPORT_COLS} FROM hub_reports r WHERE r.hub_org = $1 AND r.id = $2"
    ))
    .bind(hub)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The report a receipt index finds, if it was not purged.
pub(crate) async fn report_by_receipt(
    conn: &mut AnyConnection,
    index: &[u8],
) -> Result<Option<ReportRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REPORT_COLS} FROM hub_reports r \
         WHERE r.receipt_bidx = $1 AND r.data_key IS NOT NULL"
    ))
    .bind(index.to_vec())
    .fetch_optional(&mut *conn)
    .await?)
}

/// A report's conversation, oldest first, opened with its key.
pub(crate) async fn messages(
    conn: &mut AnyConnection,
    dek: &Key,
    report: ReportId,
) -> Result<Vec<Message>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, from_hub, sealed, created_at FROM hub_report_messages \
         WHERE report_id = $1 ORDER BY seq",
    )
    .bind(report)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|m| {
            let d: MessageData = open_json(dek, &m.sealed, &message_aad(report, m.id))?;
            Ok(Message {
                from_hub: m.from_hub.0,
                text: d.text,
                created_at: m.created_at,
            })
        })
        .collect()
}

/// The start (00:00 UTC) of the day of a Unix time: the only time kept of what a reporter
/// does, so that no proxy's log can be matched to it by the second.
pub(crate) fn day_of(ts: i64) -> i64 {
    ts - ts.rem_euclid(86_400)
}

/// Adds a message, sealed with the report's key, as the next in the conversation (`seq`),
/// and touches the report. A reporter's message (no `author`) keeps only its day.
pub(crate) async fn insert_message(
    conn: &mut AnyConnection,
    dek: &Key,
    report: ReportId,
    author: Option<UserId>,
    text: String,
    now: i64,
) -> Result<ReportMessageId> {
    // A reporter's message: its day, and an id that holds no time (not a UUIDv7).
    let (at, id) = match author {
        Some(_) => (now, ReportMessageId::new()),
        None => (day_of(now), ReportMessageId::random()),
    };
    let sealed = seal_json(dek, &MessageData { text }, &message_aad(report, id))?;
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM hub_report_messages WHERE report_id = $1",
    )
    .bind(report)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO hub_report_messages \
         (id, report_id, from_hub, author, sealed, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(report)
    .bind(Flag(author.is_some()))
    .bind(author)
    .bind(sealed)
    .bind(at)
    .bind(seq)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE hub_reports SET updated_at = $1 WHERE id = $2 AND updated_at < $1")
        .bind(at)
        .bind(report)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// The active categories, in their order (the public form's).
pub(crate) async fn categories(conn: &mut AnyConnection) -> Result<Vec<Category>> {
    categories_where(conn, "WHERE active = 1").await
}

/// Every category, retired ones too: to name the category of any report or figure.
pub(crate) async fn all_categories(conn: &mut AnyConnection) -> Result<Vec<Category>> {
    categories_where(conn, "").await
}

async fn categories_where(conn: &mut AnyConnection, filter: &str) -> Result<Vec<Category>> {
    let rows: Vec<CategoryRow> = sqlx::query_as(&format!(
        "SELECT code, labels FROM hub_categories {filter} ORDER BY position, code"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Category {
            code: r.code,
            labels: serde_json::from_str(&r.labels).unwrap_or_default(),
        })
        .collect())
}

/// The organisation's kind, if it exists.
pub(crate) async fn org_kind(conn: &mut AnyConnection, org: OrgId) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1 AND active = 1")
            .bind(org)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The hub that receives reports made online: the active reporting hub registered first.
pub(crate) async fn public_hub(conn: &mut AnyConnection) -> Result<Option<OrgId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM organisations WHERE kind = 'reporting_hub' AND active = 1 \
         ORDER BY created_at, id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// A category row as its administrator sees it.
#[derive(sqlx::FromRow)]
pub(crate) struct CategoryConfigRow {
    pub code: String,
    pub labels: String,
    pub active: Flag,
    pub created_at: i64,
    pub version: i64,
}

impl CategoryConfigRow {
    pub fn into_config(self) -> CategoryConfig {
        CategoryConfig {
            code: self.code,
            // The ten of the migration were made at time 0; an added one later.
            builtin: self.created_at == 0,
            labels: serde_json::from_str(&self.labels).unwrap_or_default(),
            active: self.active.0,
            version: self.version,
        }
    }
}

const CONFIG_COLS: &str = "code, labels, active, created_at, version";

/// Every category with its configuration, in their order.
pub(crate) async fn category_configs(conn: &mut AnyConnection) -> Result<Vec<CategoryConfig>> {
    let rows: Vec<CategoryConfigRow> = sqlx::query_as(&format!(
        "SELECT {CONFIG_COLS} FROM hub_categories ORDER BY position, code"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(CategoryConfigRow::into_config)
        .collect())
}

/// One category's configuration.
pub(crate) async fn category_config(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<CategoryConfig>> {
    let row: Option<CategoryConfigRow> = sqlx::query_as(&format!(
        "SELECT {CONFIG_COLS} FROM hub_categories WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(CategoryConfigRow::into_config))
}

/// Adds a category after the others but before `other` (position 1000).
pub(crate) async fn insert_category(
    conn: &mut AnyConnection,
    code: &str,
    labels: &str,
    now: i64,
) -> Result<()> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 10 FROM hub_categories WHERE position < 1000",
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO hub_categories (code, position, active, labels, created_at, updated_at, \
         version) VALUES ($1, $2, 1, $3, $4, $4, 1)",
    )
    .bind(code)
    .bind(position.min(999))
    .bind(labels)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Changes a category's labels or state if it is still at `version`; whether it was.
pub(crate) async fn update_category(
    conn: &mut AnyConnection,
    code: &str,
    labels: &str,
    active: bool,
    version: i64,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE hub_categories SET labels = $1, active = $2, updated_at = $3, \
         version = version + 1 WHERE code = $4 AND version = $5",
    )
    .bind(labels)
    .bind(Flag(active))
    .bind(now)
    .bind(code)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
