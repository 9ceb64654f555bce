//! The reporter comes back with the receipt code: reads the state and the conversation,
//! and adds information. No account, no cookie: the code comes with every request.

use super::model::{same_index, Message, MessageInput, ReceiptCode, ReportStatus, ReporterView};
use super::store::{self, ReportRow};
use crate::audit::AuditTx;
use crate::{Actor, Ctx, Error, Result};

/// The error for a code that finds no report (never issued, mistyped, or purged); the web
/// layer counts these for the flood protection.
pub const UNKNOWN_CODE: &str = "err-receipt-unknown";

fn unknown() -> Error {
    Error::invalid("code", UNKNOWN_CODE)
}

/// The report a typed code opens, compared in constant time; none once it was purged.
async fn find(ctx: &Ctx, tx: &mut AuditTx<'_>, code: &Option<String>) -> Result<ReportRow> {
    let code = ReceiptCode::parse(code).map_err(|f| Error::Invalid(vec![f]))?;
    let index = code.index(&ctx.keys);
    let row = store::report_by_receipt(&mut tx.tx, &index)
        .await?
        .ok_or_else(unknown)?;
    match row.receipt_bidx.as_deref() {
        Some(stored) if same_index(stored, &index) => Ok(row),
        _ => Err(unknown()),
    }
}

/// What the holder of a code sees: the report's state and its conversation. Audited as a
/// read by the public (the report's id only).
pub async fn view(ctx: &Ctx, code: &Option<String>) -> Result<ReporterView> {
    let actor = Actor::public();
    let mut tx = AuditTx::begin(ctx).await?;
    let row = find(ctx, &mut tx, code).await?;
    let dek = store::key_of(ctx, &row)?;
    let messages = store::messages(&mut tx.tx, &dek, row.id).await?;
    tx.log(ctx, &actor, "hub.report.reporter_read", "report", &[row.id])
        .await?;
    tx.commit().await?;
    Ok(ReporterView::of(row, messages))
}

/// The reporter adds information to an open report.
pub async fn add(ctx: &Ctx, code: &Option<String>, input: &MessageInput) -> Result<ReporterView> {
    let actor = Actor::public();
    let mut tx = AuditTx::begin(ctx).await?;
    let row = find(ctx, &mut tx, code).await?;
    let text = input.parse()?;
    if row.status != ReportStatus::Open {
        return Err(Error::invalid("text", "err-report-closed"));
    }
    let dek = store::key_of(ctx, &row)?;
    let now = ctx.clock.now_ts();
    store::insert_message(&mut tx.tx, &dek, row.id, None, text, now).await?;
    let messages = store::messages(&mut tx.tx, &dek, row.id).await?;
    tx.log(
        ctx,
        &actor,
        "hub.report.reporter_message",
        "report",
        &[row.id],
    )
    .await?;
    tx.commit().await?;
    Ok(ReporterView::of(row, messages))
}

impl ReporterView {
    /// What the holder of the code sees of `row`: its plain state and the conversation.
    fn of(row: ReportRow, messages: Vec<Message>) -> Self {
        ReporterView {
            category: row.category,
            occurred: row.occurred,
            status: row.status,
            created_at: row.created_at,
            closed_at: row.closed_at,
            messages,
        }
    }
}
