//! What a referral opens to the receiving organisation: the `referral` row of
//! `person_access`, kept in step with the open, consented referrals, and the referred
//! person view it guards.

use super::model::{parse_fields, ReferredPerson};
use super::store::{open_text, type_fields};
use crate::db::Flag;
use crate::ids::{OrgId, PersonId, ReferralId};
use crate::{people, Ctx, Result};

/// The open, consented referral whose consent lasts longest.
#[derive(sqlx::FromRow)]
struct Best {
    id: ReferralId,
    expires_at: i64,
}

/// Brings the `referral` access row of (person, organisation) in line with the open,
/// consented referrals, in the caller's transaction. See the module documentation.
pub(crate) async fn sync_access(
    conn: &mut sqlx::AnyConnection,
    person: PersonId,
    org: OrgId,
    now: i64,
) -> Result<()> {
    let best: Option<Best> = sqlx::query_as(
        "SELECT r.id, c.expires_at FROM referrals r \
         JOIN referral_consents c ON c.id = r.consent_id \
         WHERE r.person_id = $1 AND r.to_org = $2 AND r.status IN ('sent', 'accepted') \
           AND c.withdrawn_at IS NULL AND c.expires_at > $3 \
         ORDER BY c.expires_at DESC, r.id LIMIT 1",
    )
    .bind(person)
    .bind(org)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM person_access WHERE person_id = $1 AND org_id = $2 AND basis = 'referral'",
    )
    .bind(person)
    .bind(org)
    .execute(&mut *conn)
    .await?;
    if let Some(best) = best {
        sqlx::query(
            "INSERT INTO person_access (person_id, org_id, basis, basis_ref, granted_at, \
             expires_at) VALUES ($1, $2, 'referral', $3, $4, $5)",
        )
        .bind(person)
        .bind(org)
        .bind(best.id)
        .bind(now)
        .bind(best.expires_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The grant behind the receiving side's view: the referral is to `org`, open, its consent
/// stands, and the `referral` access row of (person, org) is live. Holds what the view
/// needs.
#[derive(sqlx::FromRow)]
pub(super) struct Grant {
    pub person_id: PersonId,
    type_code: String,
    share_residence_status: Flag,
    data_key: Option<String>,
    person_sealed: Option<Vec<u8>>,
    sealed: Option<Vec<u8>>,
    /// The allowlist the referral was sent under.
    fields: Option<String>,
}

pub(super) async fn grant(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    id: ReferralId,
    now: i64,
) -> Result<Option<Grant>> {
    Ok(sqlx::query_as(
        "SELECT p.id AS person_id, r.type_code, c.share_residence_status, p.data_key, \
           p.sealed AS person_sealed, r.sealed, r.fields \
         FROM referrals r JOIN referral_consents c ON c.id = r.consent_id \
           JOIN persons p ON p.id = r.person_id \
         WHERE r.id = $1 AND r.to_org = $2 AND r.status IN ('sent', 'accepted') \
           AND c.withdrawn_at IS NULL AND c.expires_at > $3 \
           AND EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = p.id \
             AND a.org_id = $2 AND a.basis = 'referral' \
             AND (a.expires_at IS NULL OR a.expires_at > $3))",
    )
    .bind(id)
    .bind(org)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The person as the grant shows them, and the referral's reason.
pub(super) async fn shared_person(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    id: ReferralId,
    g: &Grant,
) -> Result<(ReferredPerson, Option<String>)> {
    let data = people::data_from_stored(
        ctx,
        g.person_id,
        g.data_key.as_deref(),
        g.person_sealed.as_deref(),
    )?;
    // Both the type's current allowlist and the one the referral was sent under.
    let mut fields = type_fields(conn, &g.type_code).await?;
    if let Some(sent) = &g.fields {
        let sent = parse_fields(sent);
        fields.retain(|f| sent.contains(f));
    }
    let text = open_text(ctx, conn, g.person_id, id, g.sealed.as_deref()).await?;
    Ok((
        ReferredPerson::from_data(data, &fields, g.share_residence_status.0),
        text.reason,
    ))
}
