//! Stay extensions: an approver extends a stay at once, or a coordinator asks and an approver
//! decides. Either way the reason is sealed with the person's key and the extension records
//! who asked and who approved. An approved request's extension keeps the request's id, so
//! one id names the reason's seal from the request onwards.

use sqlx::Any;

use super::model::{Extension, ExtensionInput, ExtensionRequest, ExtensionRequestInput, Placement};
use super::store::{load_placement, own_current_placement, parse_date, AnyId, CurrentStay};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::ids::{ExtensionId, OrgId, PersonId, PlacementId, UserId};
use crate::people::PersonPart;
use crate::{dates, people, Actor, Ctx, Error, Permission, Result};

/// Extends a stay. Only an approver holding [`Permission::StayExtensionApprove`] may, and
/// only with a reason; the reason is sealed with the person's key.
pub async fn extend_stay(
    ctx: &Ctx,
    actor: &Actor,
    id: PlacementId,
    input: &ExtensionInput,
) -> Result<Placement> {
    actor.require(Permission::StayExtensionApprove)?;
    let org = actor.require_org()?;
    let approver = actor.user_id.ok_or(Error::Forbidden)?;
    let (end, requested_by) = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let stay = own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    let old_until = stay_limit(&stay)?;
    if end.new_until <= parse_date(old_until)? {
        return Err(Error::invalid("new_until", "err-extension-not-later"));
    }
    let requester = match requested_by {
        None => approver,
        Some(u) => {
            let row: Option<UserId> =
                sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND org_id = $2")
                    .bind(u)
                    .bind(org)
                    .fetch_optional(&mut *tx.tx)
                    .await?;
            row.ok_or(Error::invalid("requested_by", "err-choice"))?
        }
    };
    let key = people::data_key(ctx, &mut tx.tx, stay.person_id).await?;
    let ext_id = ExtensionId::new();
    let grant = Grant {
        id: ext_id,
        placement: id,
        old_until,
        new_until: &dates::format(end.new_until),
        sealed: seal_reason(&key, ext_id, &end.reason),
        approver,
        at: ctx.clock.now_ts(),
    };
    grant.record(&mut tx.tx, requester).await?;
    let ids: [AnyId; 2] = [&id, &ext_id];
    tx.log(ctx, actor, "placement.extend", "placement", &ids)
        .await?;
    let p = load_placement(ctx, &mut tx.tx, id).await?;
    let p = with_extensions(ctx, &mut tx.tx, p).await?;
    tx.commit().await?;
    Ok(p)
}

/// Asks for a stay to be extended; an approver decides (see [`decide_extension`]).
pub async fn request_extension(
    ctx: &Ctx,
    actor: &Actor,
    id: PlacementId,
    input: &ExtensionRequestInput,
) -> Result<ExtensionRequest> {
    actor.require(Permission::ShelterManage)?;
    let org = actor.require_org()?;
    let end = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let stay = own_current_placement(&mut tx.tx, org, ctx.clock.now_ts(), id).await?;
    if end.new_until <= parse_date(stay_limit(&stay)?)? {
        return Err(Error::invalid("new_until", "err-extension-not-later"));
    }
    let pending: Option<ExtensionId> = sqlx::query_scalar(
        "SELECT id FROM stay_extension_requests WHERE placement_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .fetch_optional(&mut *tx.tx)
    .await?;
    if pending.is_some() {
        return Err(Error::Conflict("err-extension-pending"));
    }
    let key = people::data_key(ctx, &mut tx.tx, stay.person_id).await?;
    let req_id = ExtensionId::new();
    sqlx::query(
        "INSERT INTO stay_extension_requests (id, placement_id, new_until, sealed, \
         requested_by, requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending')",
    )
    .bind(req_id)
    .bind(id)
    .bind(dates::format(end.new_until))
    .bind(seal_reason(&key, req_id, &end.reason))
    .bind(actor.audit_id())
    .bind(ctx.clock.now_ts())
    .execute(&mut *tx.tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() || d.message().contains("UNIQUE") => {
            Error::Conflict("err-extension-pending")
        }
        _ => Error::from(e),
    })?;
    let ids: [AnyId; 2] = [&id, &req_id];
    tx.log(ctx, actor, "placement.extension_request", "placement", &ids)
        .await?;
    let (_, r) = pending_requests(ctx, &mut tx.tx, org)
        .await?
        .into_iter()
        .find(|(_, r)| r.id == req_id.0)
        .ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(r)
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    placement_id: PlacementId,
    new_until: String,
    sealed: Vec<u8>,
    requested_by: String,
    status: String,
}

/// Approves or refuses an extension request. Only an approver holding
/// [`Permission::StayExtensionApprove`]; approval extends the stay and records who asked
/// and who approved.
pub async fn decide_extension(
    ctx: &Ctx,
    actor: &Actor,
    request: uuid::Uuid,
    approve: bool,
) -> Result<Placement> {
    actor.require(Permission::StayExtensionApprove)?;
    let org = actor.require_org()?;
    let approver = actor.user_id.ok_or(Error::Forbidden)?;
    let request = ExtensionId(request);
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<RequestRow> = sqlx::query_as(
        "SELECT r.placement_id, r.new_until, r.sealed, r.requested_by, r.status \
         FROM stay_extension_requests r JOIN placements pl ON pl.id = r.placement_id \
         JOIN shelter_sites s ON s.id = pl.site_id WHERE r.id = $1 AND s.operator_org = $2",
    )
    .bind(request)
    .bind(org)
    .fetch_optional(&mut *tx.tx)
    .await?;
    let r = row.ok_or(Error::NotFound)?;
    if r.status != "pending" {
        return Err(Error::Conflict("err-extension-decided"));
    }
    let placement = r.placement_id;
    let now = ctx.clock.now_ts();
    if approve {
        let stay = own_current_placement(&mut tx.tx, org, now, placement).await?;
        let old_until = stay_limit(&stay)?;
        if parse_date(&r.new_until)? <= parse_date(old_until)? {
            return Err(Error::Conflict("err-extension-not-later"));
        }
        let grant = Grant {
            id: request,
            placement,
            old_until,
            new_until: &r.new_until,
            sealed: r.sealed,
            approver,
            at: now,
        };
        grant.record(&mut tx.tx, r.requested_by).await?;
    }
    sqlx::query(
        "UPDATE stay_extension_requests SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4",
    )
    .bind(if approve { "approved" } else { "refused" })
    .bind(approver)
    .bind(now)
    .bind(request)
    .execute(&mut *tx.tx)
    .await?;
    let action = if approve {
        "placement.extend"
    } else {
        "placement.extension_refuse"
    };
    let ids: [AnyId; 2] = [&placement, &request];
    tx.log(ctx, actor, action, "placement", &ids).await?;
    let p = load_placement(ctx, &mut tx.tx, placement).await?;
    let p = with_extensions(ctx, &mut tx.tx, p).await?;
    tx.commit().await?;
    Ok(p)
}

/// The last day of a stay that has a limit; a stay without one cannot be extended.
fn stay_limit(stay: &CurrentStay) -> Result<&str> {
    stay.stay_until
        .as_deref()
        .ok_or(Error::Conflict("err-no-stay-limit"))
}

/// An extension being granted: the stay's end moves from `old_until` to `new_until`.
struct Grant<'a> {
    id: ExtensionId,
    placement: PlacementId,
    old_until: &'a str,
    new_until: &'a str,
    sealed: Vec<u8>,
    approver: UserId,
    at: i64,
}

impl Grant<'_> {
    /// Records the extension and moves the stay's end. `requested_by` is a user id, or the
    /// text a request recorded for whoever asked.
    async fn record<R>(self, conn: &mut sqlx::AnyConnection, requested_by: R) -> Result<()>
    where
        R: for<'q> sqlx::Encode<'q, Any> + sqlx::Type<Any> + Send + 'static,
    {
        sqlx::query(
            "INSERT INTO stay_extensions (id, placement_id, old_until, new_until, sealed, \
             requested_by, approved_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(self.id)
        .bind(self.placement)
        .bind(self.old_until)
        .bind(self.new_until)
        .bind(self.sealed)
        .bind(requested_by)
        .bind(self.approver)
        .bind(self.at)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE placements SET stay_until = $1 WHERE id = $2")
            .bind(self.new_until)
            .bind(self.placement)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// The reason for an extension, sealed with the person's key and bound to its id.
fn seal_reason(key: &Key, id: ExtensionId, reason: &str) -> Vec<u8> {
    key.seal(reason.as_bytes(), format!("stay_extension:{id}").as_bytes())
}

fn open_reason(key: &Key, id: ExtensionId, sealed: &[u8]) -> Result<String> {
    let plain = key.open(sealed, format!("stay_extension:{id}").as_bytes())?;
    Ok(String::from_utf8(plain).map_err(anyhow::Error::from)?)
}

/// The person's data key; none once the person is erased.
fn key_unless_erased(r: Result<Key>) -> Result<Option<Key>> {
    match r {
        Ok(k) => Ok(Some(k)),
        Err(Error::Erased) => Ok(None),
        Err(e) => Err(e),
    }
}

#[derive(sqlx::FromRow)]
struct ExtensionRow {
    id: ExtensionId,
    old_until: String,
    new_until: String,
    sealed: Vec<u8>,
    requested_by: String,
    approved_by: String,
    at: i64,
}

/// The placement with the extensions granted during any stay of its case, oldest first.
pub(super) async fn with_extensions(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    mut placement: Placement,
) -> Result<Placement> {
    // Who asked and who approved are shown by display name where the account still
    // exists, otherwise as recorded.
    let rows: Vec<ExtensionRow> = sqlx::query_as(
        "SELECT e.id, e.old_until, e.new_until, e.sealed, \
         COALESCE(ru.display_name, e.requested_by) AS requested_by, \
         COALESCE(au.display_name, e.approved_by) AS approved_by, e.at \
         FROM stay_extensions e LEFT JOIN users ru ON ru.id = e.requested_by \
         LEFT JOIN users au ON au.id = e.approved_by \
         WHERE e.placement_id IN (SELECT x.id FROM placements x \
         WHERE x.case_id = (SELECT y.case_id FROM placements y WHERE y.id = $1)) ORDER BY e.at",
    )
    .bind(placement.id)
    .fetch_all(&mut *conn)
    .await?;
    let key = key_unless_erased(people::data_key(ctx, &mut *conn, placement.person_id).await)?;
    placement.extensions = rows
        .into_iter()
        .map(|r| {
            Ok(Extension {
                reason: match &key {
                    Some(k) => Some(open_reason(k, r.id, &r.sealed)?),
                    None => None,
                },
                old_until: r.old_until,
                new_until: r.new_until,
                requested_by: r.requested_by,
                approved_by: r.approved_by,
                at: r.at,
            })
        })
        .collect::<Result<_>>()?;
    Ok(placement)
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: ExtensionId,
    placement_id: PlacementId,
    site_name: String,
    place_label: String,
    stay_until: Option<String>,
    new_until: String,
    reason_sealed: Vec<u8>,
    display_name: Option<String>,
    requested_at: i64,
    #[sqlx(flatten)]
    person: PersonPart,
    requested_by: String,
}

/// The organisation's extension requests waiting for a decision, oldest first, for current
/// stays of persons it sees as its own. Each with its person, for the audit event.
pub(super) async fn pending_requests(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
) -> Result<Vec<(PersonId, ExtensionRequest)>> {
    let rows: Vec<PendingRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.placement_id, pl.person_id, s.name AS site_name, \
         sp.label AS place_label, pl.stay_until, r.new_until, r.sealed AS reason_sealed, \
         u.display_name, r.requested_at, p.data_key, p.sealed, \
         r.requested_by FROM stay_extension_requests r \
         JOIN placements pl ON pl.id = r.placement_id \
         JOIN shelter_sites s ON s.id = pl.site_id \
         JOIN shelter_places sp ON sp.id = pl.place_id \
         JOIN persons p ON p.id = pl.person_id \
         LEFT JOIN users u ON u.id = r.requested_by \
         WHERE s.operator_org = $1 AND {} AND r.status = 'pending' \
         AND pl.discharged_on IS NULL ORDER BY r.requested_at, r.id",
        crate::people::visible_sql!("pl.person_id")
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let key = key_unless_erased(people::data_key(ctx, &mut *conn, r.person.id).await)?;
        let reason = match key {
            Some(k) => Some(open_reason(&k, r.id, &r.reason_sealed)?),
            None => None,
        };
        let request = ExtensionRequest {
            id: r.id.0,
            placement_id: r.placement_id,
            person_label: r.person.label(ctx)?,
            site_name: r.site_name,
            place_label: r.place_label,
            stay_until: r.stay_until,
            new_until: r.new_until,
            reason,
            requested_by: r.display_name.unwrap_or(r.requested_by),
            requested_at: r.requested_at,
        };
        out.push((r.person.id, request));
    }
    Ok(out)
}
