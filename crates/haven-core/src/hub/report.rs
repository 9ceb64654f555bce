//! Making a report: online without an account, or recorded by a hub officer from a visit
//! or a call. Either way the reporter gets a receipt code, shown once.

use super::access::hub_of;
use super::model::{Category, Channel, NewReport, ReceiptCode, ReportInput, ReportStatus};
use super::store::{self, ReportRow};
use crate::audit::AuditTx;
use crate::content::LANGUAGES;
use crate::ids::{OrgId, ReportId};
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};

/// The categories a reporter chooses from. Public: the list holds no personal data.
pub async fn categories(ctx: &Ctx) -> Result<Vec<Category>> {
    let mut conn = ctx.db.pool.acquire().await?;
    store::categories(&mut conn).await
}

/// Every category, retired ones too: to name the category of old reports and figures.
/// Public: the list holds no personal data.
pub async fn all_categories(ctx: &Ctx) -> Result<Vec<Category>> {
    let mut conn = ctx.db.pool.acquire().await?;
    store::all_categories(&mut conn).await
}

/// The categories, for a hub officer (the API's list): the permission and a hub.
pub async fn officer_categories(ctx: &Ctx, actor: &Actor) -> Result<Vec<Category>> {
    let mut conn = ctx.db.pool.acquire().await?;
    hub_of(&mut conn, actor, Permission::HubReportRead).await?;
    store::categories(&mut conn).await
}

/// Whether a hub takes reports online now (an active organisation of kind
/// `reporting_hub` exists). Public.
pub async fn accepting(ctx: &Ctx) -> Result<bool> {
    let mut conn = ctx.db.pool.acquire().await?;
    Ok(store::public_hub(&mut conn).await?.is_some())
}

/// A report made on the public site. Nothing about the request is stored but what the
/// reporter wrote: the caller passes no address, no user agent, no time finer than the
/// clock's. Returns the report's id and its receipt code, which exists nowhere else.
pub async fn submit(ctx: &Ctx, input: &ReportInput) -> Result<(ReportId, ReceiptCode)> {
    let actor = Actor::public();
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = store::public_hub(&mut tx.tx)
        .await?
        .ok_or(Error::Conflict("err-report-no-hub"))?;
    let new = parse(ctx, &mut tx, input).await?;
    let made = store_new(ctx, &mut tx, hub, new, Channel::Online, &actor).await?;
    tx.log(ctx, &actor, "hub.report.submit", "report", &[made.0])
        .await?;
    tx.commit().await?;
    Ok(made)
}

/// A report made in person or by phone (`channel`: `in_person` or `phone`), recorded by a
/// hub officer of the hub.
pub async fn record(
    ctx: &Ctx,
    actor: &Actor,
    input: &ReportInput,
    channel: &Option<String>,
) -> Result<(ReportId, ReceiptCode)> {
    let mut tx = AuditTx::begin(ctx).await?;
    let hub = hub_of(&mut tx.tx, actor, Permission::HubReportWrite).await?;
    let channel = match crate::input::choice::<Channel>(channel, "channel", None) {
        Ok(Channel::Online) | Err(_) if crate::input::given(channel).is_some() => {
            Err(FieldError::new("channel", "err-report-choice"))
        }
        other => other,
    };
    let (new, channel) = match (parse(ctx, &mut tx, input).await, channel) {
        (Ok(new), Ok(channel)) => (new, channel),
        (Err(Error::Invalid(mut fields)), Err(c)) => {
            fields.push(c);
            return Err(Error::Invalid(fields));
        }
        (Err(e), _) => return Err(e),
        (Ok(_), Err(c)) => return Err(Error::Invalid(vec![c])),
    };
    let made = store_new(ctx, &mut tx, hub, new, channel, actor).await?;
    tx.log(ctx, actor, "hub.report.record", "report", &[made.0])
        .await?;
    tx.commit().await?;
    Ok(made)
}

/// Checks a report against the active categories and the site's languages.
async fn parse(ctx: &Ctx, tx: &mut AuditTx<'_>, input: &ReportInput) -> Result<NewReport> {
    let codes: Vec<String> = store::categories(&mut tx.tx)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let languages: Vec<&str> = LANGUAGES.iter().map(|(c, _)| *c).collect();
    input.parse(ctx.clock.now_ts(), &codes, &languages)
}

/// Seals and stores a parsed report inside `tx`, with a fresh receipt code.
async fn store_new(
    ctx: &Ctx,
    tx: &mut AuditTx<'_>,
    hub: OrgId,
    new: NewReport,
    channel: Channel,
    actor: &Actor,
) -> Result<(ReportId, ReceiptCode)> {
    // A report made online keeps only its day, like the reporter's messages, and an id
    // that holds no time (a UUIDv7 would hold the millisecond).
    let (now, id) = match channel {
        Channel::Online => (store::day_of(ctx.clock.now_ts()), ReportId::random()),
        _ => (ctx.clock.now_ts(), ReportId::new()),
    };
    let (dek, wrapped) = store::new_key(ctx, id);
    let code = ReceiptCode::generate();
    let row = ReportRow {
        id,
        hub_org: hub,
        category: new.category,
        occurred: new.occurred,
        language: new.language,
        reporter_role: new.reporter_role,
        channel,
        status: ReportStatus::Open,
        recorded_by: actor.user_id,
        data_key: Some(wrapped),
        sealed: Some(store::seal_report(&dek, id, &new.data)?),
        receipt_bidx: Some(code.index(&ctx.keys)),
        created_at: now,
        closed_at: None,
        version: 1,
    };
    store::insert_report(&mut tx.tx, &row, now).await?;
    Ok((id, code))
}
