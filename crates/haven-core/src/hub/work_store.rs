//! Rows of the hub's work on reports (migration 0019) and their sealing with the report's
//! own data key; the queries the casework, hand-over and perpetrator use cases share.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

use super::access::hub_of;
use super::model::ReportStatus;
use super::store::{self, ReportRow};
use super::work_model::{
    Action, ActionData, ActionKind, Casework, Consent, ConsentHow, HandoverField, HandoverSummary,
    Measure, MeasureState, Need, Triage, Urgency,
};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::db::{placeholders, Flag};
use crate::ids::{HandoverConsentId, HandoverId, HubActionId, OrgId, ReportId};
use crate::{Actor, Ctx, Error, Permission, Result};

pub(crate) fn seal<T: Serialize>(dek: &Key, value: &T, aad: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
    Ok(dek.seal(&json, aad.as_bytes()))
}

pub(crate) fn open<T: DeserializeOwned>(dek: &Key, sealed: Option<&[u8]>, aad: &str) -> Result<T> {
    let json = dek.open(sealed.ok_or(Error::Erased)?, aad.as_bytes())?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

/// A report of the actor's hub opened for casework: the hub, the report's row and its
/// data key. Every casework use case opens with [`OnReport::open`] and closes with
/// [`OnReport::answer`], in one audited transaction.
pub(crate) struct OnReport {
    pub hub: OrgId,
    pub row: ReportRow,
    pub dek: Key,
}

impl OnReport {
    /// The report with its key, after the permission and the hub's kind are checked;
    /// `write` also requires it to be open. Another hub's report is not found.
    pub(crate) async fn open(
        ctx: &Ctx,
        tx: &mut AuditTx<'_>,
        actor: &Actor,
        id: ReportId,
        write: bool,
    ) -> Result<OnReport> {
        let p = if write {
            Permission::HubReportWrite
        } else {
            Permission::HubReportRead
        };
        let hub = hub_of(&mut tx.tx, actor, p).await?;
        let row = store::report_of_hub(&mut tx.tx, hub, id)
            .await?
            .ok_or(Error::NotFound)?;
        let dek = store::key_of(ctx, &row)?;
        if write && row.status != ReportStatus::Open {
            return Err(Error::Conflict("err-report-closed"));
        }
        Ok(OnReport { hub, row, dek })
    }

    /// The casework as it now stands, after the audit event (`action` on the objects
    /// `ids` of `object_type`) is written and the transaction committed.
    pub(crate) async fn answer(
        &self,
        ctx: &Ctx,
        mut tx: AuditTx<'_>,
        actor: &Actor,
        action: &str,
        object_type: &str,
        ids: &[impl std::fmt::Display],
    ) -> Result<Casework> {
        let c = casework(ctx, &mut tx.tx, self.hub, &self.row, &self.dek).await?;
        tx.log(ctx, actor, action, object_type, ids).await?;
        tx.commit().await?;
        Ok(c)
    }
}

#[derive(sqlx::FromRow)]
struct TriageRow {
    urgency: Urgency,
    needs: String,
    follow_up: Option<i64>,
    sealed: Option<Vec<u8>>,
    version: i64,
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
pub(crate) struct TriageData {
    pub notes: Option<String>,
}

pub(crate) fn triage_aad(id: ReportId) -> String {
    format!("report:{id}:triage")
}

pub(crate) fn action_aad(report: ReportId, id: HubActionId) -> String {
    format!("report:{report}:action:{id}")
}

#[derive(sqlx::FromRow)]
pub(crate) struct ActionRow {
    pub id: HubActionId,
    pub report_id: ReportId,
    pub kind: ActionKind,
    pub measure: Option<Measure>,
    pub state: Option<MeasureState>,
    pub day: i64,
    pub sealed: Option<Vec<u8>>,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: HandoverConsentId,
    police_org: OrgId,
    police_name: String,
    given_how: ConsentHow,
    given_at: i64,
    with_status: Flag,
    with_nationality: Flag,
    with_address: Flag,
}

#[derive(sqlx::FromRow)]
struct HandoverRow {
    id: HandoverId,
    police_name: String,
    fields: String,
    created_at: i64,
}

/// Field codes as stored (comma-separated), read back; unknown codes are dropped.
pub(crate) fn fields_of(s: &str) -> Vec<HandoverField> {
    s.split(',').filter_map(HandoverField::parse).collect()
}

async fn triage(conn: &mut AnyConnection, dek: &Key, id: ReportId) -> Result<Option<Triage>> {
    let row: Option<TriageRow> = sqlx::query_as(
        "SELECT urgency, needs, follow_up, sealed, version FROM hub_triage WHERE report_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let data: TriageData = match r.sealed {
        Some(_) => open(dek, r.sealed.as_deref(), &triage_aad(id))?,
        None => TriageData::default(),
    };
    Ok(Some(Triage {
        urgency: r.urgency,
        needs: r.needs.split(',').filter_map(Need::parse).collect(),
        follow_up: r.follow_up,
        notes: data.notes,
        version: r.version,
    }))
}

pub(crate) const ACTION_COLS: &str =
    "id, report_id, kind, measure, state, day, sealed, version FROM hub_actions";

pub(crate) fn action_of(dek: &Key, r: ActionRow) -> Result<Action> {
    let data: ActionData = open(dek, r.sealed.as_deref(), &action_aad(r.report_id, r.id))?;
    Ok(Action {
        id: r.id,
        kind: r.kind,
        day: r.day,
        measure: r.measure,
        state: r.state,
        data,
        version: r.version,
    })
}

pub(crate) async fn actions(
    conn: &mut AnyConnection,
    dek: &Key,
    id: ReportId,
) -> Result<Vec<Action>> {
    let rows: Vec<ActionRow> = sqlx::query_as(&format!(
        "SELECT {ACTION_COLS} WHERE report_id = $1 ORDER BY day, created_at, id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|r| action_of(dek, r)).collect()
}

/// The consents recorded on a report, newest first.
pub(crate) async fn consents(conn: &mut AnyConnection, id: ReportId) -> Result<Vec<Consent>> {
    let rows: Vec<ConsentRow> = sqlx::query_as(
        "SELECT c.id, c.police_org, o.name AS police_name, c.given_how, c.given_at, \
         c.with_status, c.with_nationality, c.with_address \
         FROM hub_handover_consents c JOIN organisations o ON o.id = c.police_org \
         WHERE c.report_id = $1 ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Consent {
            id: r.id,
            police_org: r.police_org,
            police_name: r.police_name,
            given_how: r.given_how,
            given_at: r.given_at,
            with_status: r.with_status.0,
            with_nationality: r.with_nationality.0,
            with_address: r.with_address.0,
        })
        .collect())
}

async fn handovers(conn: &mut AnyConnection, id: ReportId) -> Result<Vec<HandoverSummary>> {
    let rows: Vec<HandoverRow> = sqlx::query_as(
        "SELECT h.id, o.name AS police_name, h.fields, h.created_at FROM hub_handovers h \
         JOIN organisations o ON o.id = h.police_org WHERE h.report_id = $1 \
         ORDER BY h.created_at, h.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HandoverSummary {
            id: r.id,
            police_name: r.police_name,
            fields: fields_of(&r.fields),
            created_at: r.created_at,
        })
        .collect())
}

/// Everything the hub did on a report, opened with its key.
async fn casework(
    ctx: &Ctx,
    conn: &mut AnyConnection,
    hub: OrgId,
    row: &ReportRow,
    dek: &Key,
) -> Result<Casework> {
    Ok(Casework {
        report: row.id,
        category: row.category.clone(),
        occurred: row.occurred.clone(),
        open: row.status == ReportStatus::Open,
        triage: triage(conn, dek, row.id).await?,
        actions: actions(conn, dek, row.id).await?,
        perpetrators: super::perpetrators::of_report(ctx, conn, hub, row.id, dek).await?,
        consents: consents(conn, row.id).await?,
        handovers: handovers(conn, row.id).await?,
    })
}

/// Erases the hub's work on purged reports, in the purge's transaction: sealed parts go
/// and the perpetrators' blind indexes are dropped (a purged report flags nothing); kinds,
/// states and months stay for the figures.
pub(crate) async fn purge_work(conn: &mut AnyConnection, ids: &[ReportId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    for sql in [
        "UPDATE hub_triage SET sealed = NULL WHERE report_id IN",
        "UPDATE hub_actions SET sealed = NULL WHERE report_id IN",
        "UPDATE hub_handovers SET sealed = NULL WHERE report_id IN",
        "UPDATE hub_perpetrators SET sealed = NULL WHERE report_id IN",
        "DELETE FROM hub_perpetrator_index WHERE report_id IN",
    ] {
        let sql = format!("{sql} ({})", placeholders(1, ids.len()));
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
